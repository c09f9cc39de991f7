/**
 * Publishing a draft — the pure planning step: from a draft and what Dynamics holds today, the writes that make
 * Dynamics match the draft, and the conflicts the user has to decide first.
 *
 * Objective: write only what differs (a second publish writes nothing), never overwrite silently what someone
 * changed in Dynamics after the draft was made, and give created territories ids that do not depend on who runs
 * the publish or how often (so an interrupted publish resumes without duplicates).
 *
 * - Territories: each draft territory stands for `territoryId`, or — when it has none — for the territory with id
 *   {@link publishedTerritoryId}(planId, key). Missing → create (with that id); present → update the fields that
 *   differ: name, managerid (the rep; null clears it), parentterritoryid (the draft's parent territory — from its
 *   tree, else the Dynamics parent it names — only when it has one).
 * - Accounts: territoryid is written only where today's value differs from the draft's; an account the draft leaves
 *   unassigned keeps its territory unless `unassigned: "clear"`. When owners follow territories, the owner becomes
 *   the territory's rep where it differs (territories without a rep leave owners alone).
 * - Conflicts: accounts whose territory today differs from the draft-time baseline AND from the draft. Each needs
 *   a decision, "overwrite" (write the draft's value) or "keep" (leave the account, owner included, as it is).
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { isNormalisedGuid, type AccountBaseline, type Assignments, type DraftTerritory } from "../drafts/model";
import { publishedTerritoryId } from "./uuid";

/** A `territory` row as Dynamics holds it. */
export interface LiveTerritory {
  id: string;
  name: string;
  managerId: string | null;
  parentId: string | null;
}

/** An account's publish-relevant columns as Dynamics holds them. */
export interface LiveAccount {
  territoryId: string | null;
  ownerId: string | null;
}

/** Today's state (ids lower-case, brace-free). Accounts not in the map no longer exist (or cannot be read). */
export interface LiveState {
  territories: ReadonlyMap<string, LiveTerritory>;
  accounts: ReadonlyMap<string, LiveAccount>;
}

export type ConflictChoice = "overwrite" | "keep";

/** The user's answer to the conflicts: one choice for all, exceptions per account. */
export interface ConflictDecisions {
  /** Applies to every conflict without its own choice; null = undecided. */
  all: ConflictChoice | null;
  byAccount?: ReadonlyMap<string, ConflictChoice>;
}

/** The part of a draft publishing needs. */
export interface PublishableDraft {
  territories: readonly DraftTerritory[];
  assignments: Assignments;
  baseline?: AccountBaseline | null;
}

export interface PlanOptions {
  /** The plan being published (tmap_planid): namespaces the ids of created territories. */
  planId: string;
  /** Owners follow territories: an account's owner becomes its territory's rep. */
  ownersFollowTerritories: boolean;
  /** Accounts the draft leaves unassigned: keep their territory (default) or clear it. */
  unassigned?: "leave" | "clear";
  decisions?: ConflictDecisions;
}

export interface TerritoryWrite {
  kind: "create" | "update";
  /** territoryid (client-supplied on create). */
  id: string;
  /** Draft territory index and key. */
  index: number;
  key: string;
  /** Only the fields to write; `parentId` / `managerId` null = clear. */
  fields: { name?: string; managerId?: string | null; parentId?: string | null };
  /** Today's row (null on create). */
  before: LiveTerritory | null;
}

export interface AccountWrite {
  accountId: string;
  /** New territoryid (null = clear); undefined = unchanged. */
  territoryId?: string | null;
  /** New owner (systemuser id); undefined = unchanged. */
  ownerId?: string;
}

export interface PublishConflict {
  accountId: string;
  /** Territory when the draft was made. */
  baselineTerritoryId: string | null;
  /** Territory today. */
  liveTerritoryId: string | null;
  /** Territory the draft gives it. */
  plannedTerritoryId: string | null;
  decision: ConflictChoice | null;
}

export interface PublishCounts {
  /** Accounts in the draft. */
  accounts: number;
  /** Accounts already as planned (nothing to write). */
  unchanged: number;
  /** Accounts whose territoryid is written. */
  territoryChanges: number;
  /** Accounts whose owner is written. */
  ownerChanges: number;
  /** Account records written (territory and/or owner). */
  accountWrites: number;
  /** Accounts of the draft that no longer exist in Dynamics (not written). */
  missing: number;
  conflicts: number;
  /** Conflicts left as they are in Dynamics. */
  keptConflicts: number;
  unresolvedConflicts: number;
  territoryCreates: number;
  territoryUpdates: number;
}

export interface PublishPlan {
  planId: string;
  /** Dynamics territory id of each draft territory (by index). */
  territoryIds: string[];
  territoryWrites: TerritoryWrite[];
  /** Account writes after the conflict decisions (undecided conflicts are not in it). */
  accountWrites: AccountWrite[];
  conflicts: PublishConflict[];
  missingAccounts: string[];
  counts: PublishCounts;
  /** False when the draft has no baseline: conflicts cannot be detected (old drafts). */
  baselineKnown: boolean;
  /** Problems that prevent publishing (invalid ids, empty names); empty = publishable. */
  problems: string[];
}

const MAX_TERRITORY_NAME = 200;

/**
 * The writes that make Dynamics match the draft.
 *
 * @example
 * const plan = planPublish(draft, live, { planId, ownersFollowTerritories: true, decisions: { all: "overwrite" } });
 * plan.accountWrites.length   // accounts to write; plan.counts.unresolvedConflicts must be 0 before publishing
 */
export function planPublish(draft: PublishableDraft, live: LiveState, options: PlanOptions): PublishPlan {
  const planId = options.planId.toLowerCase();
  const problems: string[] = [];
  const territories = draft.territories;

  // ---- territories
  const territoryIds = territories.map((t) => (t.territoryId ? t.territoryId.toLowerCase() : publishedTerritoryId(planId, t.key)));
  const seenIds = new Map<string, number>();
  const keyIndex = new Map(territories.map((t, i) => [t.key, i]));
  const territoryWrites: TerritoryWrite[] = [];
  territories.forEach((t, index) => {
    const id = territoryIds[index];
    if (!isNormalisedGuid(id)) {
      problems.push(`Territory "${t.name}" points at "${t.territoryId}", which is not a territory id.`);
      return;
    }
    const other = seenIds.get(id);
    if (other !== undefined)
      problems.push(`Territories "${territories[other].name}" and "${t.name}" both stand for the same Dynamics territory.`);
    seenIds.set(id, index);
    const name = t.name.trim();
    if (!name) problems.push(`Territory ${index + 1} has no name.`);
    if (name.length > MAX_TERRITORY_NAME)
      problems.push(`The name of territory "${name.slice(0, 40)}…" is longer than ${MAX_TERRITORY_NAME} characters.`);
    const managerId = t.repId ? t.repId.toLowerCase() : null;
    if (managerId !== null && !isNormalisedGuid(managerId)) problems.push(`The rep of territory "${name}" is not a user id.`);
    // The draft's tree first (its parent, created by this publish or already in Dynamics), else what the draft names.
    const parentIndex = t.parentKey ? keyIndex.get(t.parentKey) : undefined;
    const parentId =
      parentIndex !== undefined
        ? territoryIds[parentIndex]
        : t.parentTerritoryId === undefined
          ? undefined
          : t.parentTerritoryId
            ? t.parentTerritoryId.toLowerCase()
            : null;
    if (parentId && !isNormalisedGuid(parentId)) problems.push(`The parent of territory "${name}" is not a territory id.`);
    if (parentId && parentId === id) problems.push(`Territory "${name}" cannot be its own parent.`);
    const before = live.territories.get(id) ?? null;
    if (!before) {
      const fields: TerritoryWrite["fields"] = { name, managerId };
      if (parentId) fields.parentId = parentId;
      territoryWrites.push({ kind: "create", id, index, key: t.key, fields, before: null });
      return;
    }
    const fields: TerritoryWrite["fields"] = {};
    if (before.name !== name) fields.name = name;
    if ((before.managerId ?? null) !== managerId) fields.managerId = managerId;
    if (parentId !== undefined && (before.parentId ?? null) !== parentId) fields.parentId = parentId;
    if (Object.keys(fields).length) territoryWrites.push({ kind: "update", id, index, key: t.key, fields, before });
  });

  // ---- accounts
  const { accountIds, territory } = draft.assignments;
  const n = accountIds.length;
  const baseline = draft.baseline ?? null;
  const baselineKnown = !!baseline && baseline.territory.length === n;
  if (baseline && !baselineKnown)
    problems.push(`The draft's baseline describes ${baseline.territory.length} accounts but the draft holds ${n}.`);
  const clearUnassigned = options.unassigned === "clear";
  const decisions = options.decisions;
  const repOf = territories.map((t) => (t.repId ? t.repId.toLowerCase() : null));
  const accountWrites: AccountWrite[] = [];
  const conflicts: PublishConflict[] = [];
  const missingAccounts: string[] = [];
  let unchanged = 0,
    territoryChanges = 0,
    ownerChanges = 0,
    kept = 0,
    unresolved = 0;
  for (let i = 0; i < n; i++) {
    const accountId = accountIds[i];
    const now = live.accounts.get(accountId);
    if (!now) {
      missingAccounts.push(accountId);
      continue;
    }
    const t = territory[i];
    const liveTerritory = now.territoryId ?? null;
    let planned: string | null;
    if (t >= 0) planned = territoryIds[t];
    else if (clearUnassigned) planned = null;
    else planned = liveTerritory; // leave as it is
    const wantOwner = options.ownersFollowTerritories && t >= 0 ? repOf[t] : null;
    const territoryDiffers = planned !== liveTerritory;
    const ownerDiffers = wantOwner !== null && wantOwner !== (now.ownerId ?? null);
    if (!territoryDiffers && !ownerDiffers) {
      unchanged++;
      continue;
    }
    if (territoryDiffers && baselineKnown && baseline) {
      const b = baseline.territory[i];
      const baselineTerritory = b >= 0 ? baseline.territoryIds[b] : null;
      if (baselineTerritory !== liveTerritory) {
        const decision = decisions?.byAccount?.get(accountId) ?? decisions?.all ?? null;
        conflicts.push({
          accountId,
          baselineTerritoryId: baselineTerritory,
          liveTerritoryId: liveTerritory,
          plannedTerritoryId: planned,
          decision,
        });
        if (decision === null) {
          unresolved++;
          continue;
        }
        if (decision === "keep") {
          kept++;
          continue;
        }
      }
    }
    const w: AccountWrite = { accountId };
    if (territoryDiffers) {
      w.territoryId = planned;
      territoryChanges++;
    }
    if (ownerDiffers && wantOwner !== null) {
      w.ownerId = wantOwner;
      ownerChanges++;
    }
    accountWrites.push(w);
  }

  const creates = territoryWrites.filter((w) => w.kind === "create").length;
  return {
    planId,
    territoryIds,
    territoryWrites,
    accountWrites,
    conflicts,
    missingAccounts,
    baselineKnown,
    problems,
    counts: {
      accounts: n,
      unchanged,
      territoryChanges,
      ownerChanges,
      accountWrites: accountWrites.length,
      missing: missingAccounts.length,
      conflicts: conflicts.length,
      keptConflicts: kept,
      unresolvedConflicts: unresolved,
      territoryCreates: creates,
      territoryUpdates: territoryWrites.length - creates,
    },
  };
}

/** Territory writes ordered so a parent created by this publish exists before its children point at it. */
export function orderTerritoryWrites(writes: readonly TerritoryWrite[]): TerritoryWrite[] {
  const byId = new Map(writes.map((w) => [w.id, w]));
  const out: TerritoryWrite[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (w: TerritoryWrite): void => {
    const s = state.get(w.id);
    if (s === 2) return;
    if (s === 1) throw new Error(`Territory "${w.fields.name ?? w.key}" is its own ancestor.`);
    state.set(w.id, 1);
    const parent = w.fields.parentId ? byId.get(w.fields.parentId) : undefined;
    if (parent && parent.kind === "create") visit(parent);
    state.set(w.id, 2);
    out.push(w);
  };
  writes.forEach(visit);
  return out;
}
