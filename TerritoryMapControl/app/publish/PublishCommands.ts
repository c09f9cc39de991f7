/**
 * Publish: when the plan may be published (a saved, unchanged draft, a user with the rights), the publisher bound
 * to it, and what changes once it is published (territories linked to the Dynamics territories written, the plan
 * marked Published, the next draft's baseline = what was written, Dynamics' territories and reps read again).
 */
import { publishedTerritoryId } from "../../domain/publish/uuid";
import { linkPublishedTerritories, liveAfterPublish } from "../../domain/workspace";
import { formatTemplate } from "../../domain/text";
import type { DraftCommands } from "../drafts/DraftCommands";
import type { PlanLoader } from "../loading/PlanLoader";
import type { PlanSession } from "../plan/PlanSession";
import type { Publisher, PublishingPort, PublishResult } from "../ports/publishing";
import { Store } from "../store";

export interface PublishState {
  /** The plan being published (the publish dialog is open), or null. */
  target: { id: string; name: string; publisher: Publisher } | null;
  /** Why the user may not publish, null = may, undefined = still being checked. */
  disabledReason: string | null | undefined;
}

export class PublishCommands extends Store<PublishState> {
  public constructor(
    private readonly session: PlanSession,
    private readonly loader: PlanLoader,
    private readonly drafts: DraftCommands,
    private readonly publishing: PublishingPort | undefined,
  ) {
    super({ target: null, disabledReason: undefined });
  }

  /** Asks once whether the user has the rights (a failed check lets them try: the server checks again). */
  public start(): void {
    if (!this.publishing) return;
    this.publishing.checkPrivileges().then(
      (reason) => this.set({ disabledReason: reason }),
      () => this.set({ disabledReason: null }),
    );
  }

  /** Why Publish is disabled for the current plan, or null when it can be published. */
  public blockedReason(): string | null {
    const t = this.session.t;
    const plan = this.session.plan;
    const { disabledReason } = this.get();
    if (disabledReason) return disabledReason;
    if (!plan?.source?.draftId) return t("Publish_NeedsDraft");
    if (plan.dirty) return t("Publish_NeedsSave");
    if (!this.publishing) return t("Publish_Unavailable");
    if (disabledReason === undefined) return t("Publish_CheckingRights");
    return null;
  }

  /** Opens the publish dialog for the saved, unchanged draft on screen. */
  public open(): void {
    const source = this.session.plan?.source;
    if (!this.publishing || !source?.draftId || this.session.plan?.dirty) return;
    this.set({ target: { id: source.draftId, name: source.name, publisher: this.publishing.publisherFor(source.draftId) } });
  }

  public close(): void {
    this.set({ target: null });
  }

  /** Dynamics territory id → name: the Dynamics list, the plan's territories, and those the publish will create. */
  public readonly territoryName = (id: string): string | undefined => {
    const key = id.toLowerCase();
    const planId = this.get().target?.id.toLowerCase();
    for (const t of this.session.plan?.territories ?? []) {
      const tid = t.territoryId ?? (planId ? publishedTerritoryId(planId, t.key) : null);
      if (tid && tid.toLowerCase() === key) return t.name;
    }
    return this.loader.get().territories.find((t) => t.id.toLowerCase() === key)?.name;
  };

  /** After a publish finished (published or partial). */
  public published(result: PublishResult): void {
    const session = this.session;
    const cur = session.plan;
    if (cur && cur.source?.draftId && cur.source.draftId.toLowerCase() === result.planId.toLowerCase()) {
      const live = session.liveTerritories(cur);
      if (live) session.setLiveTerritories(cur, liveAfterPublish(cur, live, result, new Date().toISOString()));
      void session.commit(linkPublishedTerritories(cur, result), "none");
    }
    this.drafts.invalidateList();
    session.notify({
      intent: result.status === "published" ? "success" : "warning",
      text: formatTemplate(
        session.t(result.status === "published" ? "Publish_Done" : "Publish_PartialDone"),
        result.written.accounts,
        result.written.territoriesCreated + result.written.territoriesUpdated,
      ),
      testId: "publish-info",
      data: { planId: result.planId, status: result.status, accounts: result.written.accounts },
    });
    // Names of the territories it created, and their reps.
    this.loader.reloadReference();
  }
}
