/** Publishing a saved draft to Dynamics' territories and account ownership (publishPlan in the product). */
import type { ConflictPolicy, PublishProgress, PublishResult } from "../../../dataverse/publish/publishPlan";

export type { PublishProgress, PublishResult } from "../../../dataverse/publish/publishPlan";

/** What the publish dialog asks of the publisher: a dry run (preview) or the publish itself. */
export interface PublisherRequest {
  dryRun?: boolean;
  conflictPolicy?: ConflictPolicy;
  signal?: AbortSignal;
  onProgress?: (p: PublishProgress) => void;
}

/** Publishes one plan as the signed-in user. */
export type Publisher = (request: PublisherRequest) => Promise<PublishResult>;

/** Publishing, where this host can publish (the organisation's Web API URL is known). */
export interface PublishingPort {
  /** A publisher bound to one plan. */
  publisherFor: (planId: string) => Publisher;
  /** Why this user may not publish (names the missing rights), or null. */
  checkPrivileges: () => Promise<string | null>;
}
