/**
 * The working plan and publishing: what Dynamics held for each account (the baseline a saved draft records, so a
 * publish can list the accounts someone moved in Dynamics since), and how the plan and that state look after a
 * publish (territories linked to the Dynamics territories the publish created or updated).
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { baselineFromTerritoryIds, type AccountBaseline, type Draft } from "../drafts/model";
import { publishedTerritoryId } from "../publish/uuid";
import { normaliseId, PlanError, type WorkingPlan } from "./workspace";

/** Each account's Dynamics territory as last read, parallel to `table.ids` (null = none), and when it was read. */
export interface LiveTerritories {
  readonly territoryIds: readonly (string | null)[];
  /** ISO 8601, or null when unknown. */
  readonly takenOn: string | null;
}

/**
 * The draft baseline of `plan` from the live territories of its accounts.
 *
 * @example
 * draft.baseline = baselineOf(plan, { territoryIds: territoryOfAccount, takenOn: loadedOn });
 */
export function baselineOf(plan: WorkingPlan, live: LiveTerritories): AccountBaseline {
  if (live.territoryIds.length !== plan.table.ids.length) {
    throw new PlanError(`The live territories describe ${live.territoryIds.length} accounts but the plan holds ${plan.table.ids.length}.`);
  }
  return baselineFromTerritoryIds(plan.table.ids, live.territoryIds, live.takenOn);
}

/** What a finished publish reports that the plan and the live state need (a PublishResult fits). */
export interface PublishOutcome {
  /** The published plan (tmap_planid). */
  planId: string;
  /** Dynamics territory id per draft territory key (created ones included). */
  territoryIds: Readonly<Record<string, string>>;
  /** Conflicts and the decision taken: "keep" left the account as Dynamics had it. */
  conflicts: readonly { accountId: string; liveTerritoryId: string | null; decision: "overwrite" | "keep" | null }[];
  /** Records Dynamics rejected: their state is not known. */
  failures: readonly { table: "account" | "territory"; id: string }[];
}

/**
 * The plan after it was published: every territory linked to its Dynamics territory (so a later "Save as new
 * draft" publishes into the same territories instead of creating new ones) and its source marked Published. The
 * assignments do not change; the plan stays as saved (not dirty).
 */
export function linkPublishedTerritories(plan: WorkingPlan, outcome: Pick<PublishOutcome, "planId" | "territoryIds">): WorkingPlan {
  let changed = false;
  const territories = plan.territories.map((t) => {
    const id = outcome.territoryIds[t.key];
    if (!id || (t.territoryId !== null && normaliseId(t.territoryId) === normaliseId(id))) return t;
    changed = true;
    return { ...t, territoryId: normaliseId(id) };
  });
  const source =
    plan.source && plan.source.draftId && normaliseId(plan.source.draftId) === normaliseId(outcome.planId)
      ? { ...plan.source, status: "published" as const }
      : plan.source;
  if (!changed && source === plan.source) return plan;
  return { ...plan, territories, source, revision: plan.revision + 1 };
}

/**
 * The live territories after a publish of `plan`: accounts the plan assigns now hold their territory's Dynamics id,
 * except conflicts the user kept (they hold what Dynamics had) and records Dynamics rejected (unchanged: not known).
 * Accounts the plan leaves unassigned keep their territory (publishing leaves them alone).
 */
export function liveAfterPublish(
  plan: WorkingPlan,
  live: LiveTerritories,
  outcome: PublishOutcome,
  takenOn: string | null,
): LiveTerritories {
  const n = plan.table.ids.length;
  if (live.territoryIds.length !== n)
    throw new PlanError(`The live territories describe ${live.territoryIds.length} accounts but the plan holds ${n}.`);
  const idOfTerritory = plan.territories.map((t) => {
    const id = outcome.territoryIds[t.key] ?? t.territoryId;
    return id ? normaliseId(id) : null;
  });
  const kept = new Map<string, string | null>();
  for (const c of outcome.conflicts)
    if (c.decision === "keep") kept.set(normaliseId(c.accountId), c.liveTerritoryId ? normaliseId(c.liveTerritoryId) : null);
  const failed = new Set(outcome.failures.filter((f) => f.table === "account").map((f) => normaliseId(f.id)));
  const next = live.territoryIds.slice();
  for (let i = 0; i < n; i++) {
    const t = plan.assignment[i];
    if (t < 0) continue;
    const id = plan.table.ids[i];
    if (failed.has(id)) continue;
    if (kept.has(id)) {
      next[i] = kept.get(id) ?? null;
      continue;
    }
    const planned = idOfTerritory[t];
    if (planned) next[i] = planned;
  }
  return { territoryIds: next, takenOn };
}

/**
 * A loaded draft whose territories point at the Dynamics territories its publish created: a draft that was
 * published (or archived after being published, or whose publish was interrupted) leaves `territoryId` null in
 * its body for the territories publishing created, whose ids are {@link publishedTerritoryId}(draft id, key).
 * Filling them in keeps a replot → "Save as new draft" → publish from creating the same territories again.
 * Drafts never published are returned unchanged.
 */
export function withPublishedTerritoryIds(draft: Draft): Draft {
  if (!draft.id || draft.status === "draft") return draft;
  if (!draft.territories.some((t) => !t.territoryId)) return draft;
  const planId = normaliseId(draft.id);
  return {
    ...draft,
    territories: draft.territories.map((t) => (t.territoryId ? t : { ...t, territoryId: publishedTerritoryId(planId, t.key) })),
  };
}
