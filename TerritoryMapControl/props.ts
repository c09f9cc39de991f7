import type { AccountRepository } from "./adapters/dataverse/AccountRepository";
import type { DraftRepository } from "../dataverse/drafts/DraftRepository";
import type { Publisher } from "./components/publish/publisher";

/** Everything the control's UI needs, as plain values: components never see the PCF context. */
export interface ControlSettings {
  /** FetchXML <filter> fragment or OData $filter expression selecting the accounts in scope. */
  accountScope: string;
  /** Numeric account columns used as measures (account count is implicit). */
  measureColumns: string[];
  /** Schema name of the environment variable holding the Azure Maps key ("" = offline basemap). */
  mapsKeyVariable: string;
  center: { latitude: number; longitude: number };
  zoom: number;
}

/** Publishing drafts to Dynamics (issue 6), wired by index.ts from the PCF context. */
export interface PublishingProps {
  /** A publisher bound to one plan: publishPlan over the organisation's Web API as the signed-in user. */
  publisherFor: (planId: string) => Publisher;
  /**
   * Why this user may not publish (resx text naming the missing rights), or null: context.utils.hasEntityPrivilege,
   * asked once at startup. The server checks the exact privileges again before writing anything.
   */
  checkPrivileges: () => Promise<string | null>;
}

export interface TerritoryMapProps {
  repository: AccountRepository;
  /** Saved drafts (tmap_plan) through context.webAPI. */
  draftRepository: DraftRepository;
  /**
   * Publish was chosen for the saved, unmodified draft `draftId` (the publish flow is wired by the host of this
   * callback). Without it, Publish is shown disabled.
   */
  onPublishRequested?: (draftId: string) => void;
  /** When given, Publish opens the publish dialog for the draft (preview, conflicts, progress, result). */
  publishing?: PublishingProps;
  settings: ControlSettings;
  /** Localised string from the control's resx; falls back to the key. */
  getString: (key: string) => string;
  /** Current plan/view state JSON from the bound column (null when empty). */
  planState: string | null;
  onPlanStateChange: (value: string) => void;
  /** Allocated size in px (-1 when the platform gives none). */
  width: number;
  height: number;
  disabled: boolean;
  userId: string;
}
