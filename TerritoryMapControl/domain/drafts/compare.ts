/**
 * Comparing drafts, and reconciling a stored draft with today's accounts.
 *
 * Objective of `compareDrafts`: what a manager needs to choose between two designs — per-territory totals and
 * their deviation from the mean for every measure, which accounts change territory (from → to), and which reps
 * gain or lose accounts. Territories are matched across the two drafts by the Dynamics territory they stand for,
 * then by rep, then by name (case-insensitive), each territory matched at most once.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { buildTree, rollUp, siblingsOf } from "../hierarchy";
import type { Assignments, Draft, DraftTerritory } from "./model";

/** Per-account measure values, e.g. revenue and workload; the account count is always measured. */
export interface AccountMeasures {
  /** Measure names, in the order of the values. */
  names: readonly string[];
  /** accountId → one value per name (missing accounts count 0). */
  values: ReadonlyMap<string, readonly number[]>;
}

/** The implicit first measure. */
export const ACCOUNTS_MEASURE = "accounts";

export interface TerritoryStats {
  /** Territory index in its draft. */
  index: number;
  key: string;
  name: string;
  repId: string | null;
  territoryId: string | null;
  /** One total per measure of {@link DraftComparison.measures} (a region's: its whole subtree). */
  totals: number[];
  /**
   * (total − mean) / mean per measure; 0 when the mean is 0. A leaf territory is measured against the mean of the
   * draft's leaves, a region or district against the mean of its siblings.
   */
  deviations: number[];
  /** False for a region or district. */
  leaf: boolean;
  /** Key of the parent territory, or null at the top level. */
  parentKey: string | null;
  depth: number;
}

export interface DraftStats {
  territories: TerritoryStats[];
  /** Mean total per measure over the draft's leaf territories. */
  means: number[];
  /** Largest |deviation| per measure over the leaf territories. */
  maxAbsDeviation: number[];
  unassigned: number;
}

export type MatchReason = "territoryId" | "rep" | "name";

export interface TerritoryPair {
  /** Index in draft A, or null when the territory exists only in B. */
  a: number | null;
  /** Index in draft B, or null when the territory exists only in A. */
  b: number | null;
  matchedBy: MatchReason | null;
}

export interface MovedAccount {
  accountId: string;
  /** Territory index in A (-1 = unassigned). */
  from: number;
  /** Territory index in B (-1 = unassigned). */
  to: number;
}

export interface RepChange {
  repId: string;
  /** Accounts the rep owns in B but not in A. */
  gained: number;
  /** Accounts the rep owns in A but not in B. */
  lost: number;
}

export interface DraftComparison {
  /** "accounts" followed by the given measure names. */
  measures: string[];
  a: DraftStats;
  b: DraftStats;
  pairs: TerritoryPair[];
  /** Accounts present in both drafts whose (matched) territory differs. */
  moved: { count: number; accounts: MovedAccount[] };
  /** Accounts only in A / only in B. */
  onlyInA: number;
  onlyInB: number;
  /** Reps whose book of accounts changes, most affected first. */
  repsAffected: RepChange[];
}

/** The parts of a draft a comparison needs (a published state can be expressed the same way). */
export type ComparableDraft = Pick<Draft, "territories" | "assignments">;

/**
 * Per-territory totals and deviations of one draft.
 *
 * @example
 * const s = draftStats(draft, { names: ["revenue"], values });   // s.territories[0].totals = [accounts, revenue]
 */
export function draftStats(d: ComparableDraft, measures: AccountMeasures = { names: [], values: new Map() }): DraftStats {
  const m = 1 + measures.names.length;
  const k = d.territories.length;
  const totals = d.territories.map(() => new Array<number>(m).fill(0));
  let unassigned = 0;
  const { accountIds, territory } = d.assignments;
  for (let i = 0; i < accountIds.length; i++) {
    const t = territory[i];
    if (t < 0 || t >= k) {
      unassigned++;
      continue;
    }
    const row = totals[t];
    row[0]++;
    const v = measures.values.get(accountIds[i]);
    if (v) for (let j = 1; j < m; j++) row[j] += Number.isFinite(v[j - 1]) ? v[j - 1] : 0;
  }
  const tree = buildTree(d.territories);
  const rolled = Array.from({ length: m }, (_, j) =>
    rollUp(
      tree,
      totals.map((row) => row[j]),
    ),
  );
  const means = new Array<number>(m).fill(0);
  for (const t of tree.leaves) for (let j = 0; j < m; j++) means[j] += totals[t][j];
  for (let j = 0; j < m; j++) means[j] = tree.leaves.length ? means[j] / tree.leaves.length : 0;
  const maxAbsDeviation = new Array<number>(m).fill(0);
  const territories = d.territories.map((t, index): TerritoryStats => {
    const leaf = tree.leaf[index] === 1;
    const siblings = leaf ? null : siblingsOf(tree, index);
    const own = rolled.map((r) => r[index]);
    const deviations = own.map((v, j) => {
      let mean = means[j];
      if (siblings) {
        mean = 0;
        for (const x of siblings) mean += rolled[j][x];
        mean /= siblings.length;
      }
      return mean ? (v - mean) / mean : 0;
    });
    if (leaf)
      deviations.forEach((x, j) => {
        maxAbsDeviation[j] = Math.max(maxAbsDeviation[j], Math.abs(x));
      });
    const p = tree.parent[index];
    return {
      index,
      key: t.key,
      name: t.name,
      repId: t.repId,
      territoryId: t.territoryId,
      totals: own,
      deviations,
      leaf,
      parentKey: p >= 0 ? d.territories[p].key : null,
      depth: tree.depth[index],
    };
  });
  return { territories, means, maxAbsDeviation, unassigned };
}

/** Matches territories of A and B: by territoryId, then rep, then name; unmatched ones are paired with null. */
export function matchTerritories(a: readonly DraftTerritory[], b: readonly DraftTerritory[]): TerritoryPair[] {
  const pairs: TerritoryPair[] = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pass = (reason: MatchReason, keyOf: (t: DraftTerritory) => string | null) => {
    const byKey = new Map<string, number[]>();
    b.forEach((t, j) => {
      const key = usedB.has(j) ? null : keyOf(t);
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), j]);
    });
    a.forEach((t, i) => {
      if (usedA.has(i)) return;
      const key = keyOf(t);
      const candidates = key ? byKey.get(key) : undefined;
      const j = candidates?.find((x) => !usedB.has(x));
      if (j === undefined) return;
      usedA.add(i);
      usedB.add(j);
      pairs.push({ a: i, b: j, matchedBy: reason });
    });
  };
  pass("territoryId", (t) => t.territoryId?.toLowerCase() ?? null);
  pass("rep", (t) => t.repId?.toLowerCase() ?? null);
  pass("name", (t) => t.name.trim().toLowerCase() || null);
  a.forEach((_, i) => {
    if (!usedA.has(i)) pairs.push({ a: i, b: null, matchedBy: null });
  });
  b.forEach((_, j) => {
    if (!usedB.has(j)) pairs.push({ a: null, b: j, matchedBy: null });
  });
  return pairs.sort((p, q) => (p.a ?? Number.MAX_SAFE_INTEGER) - (q.a ?? Number.MAX_SAFE_INTEGER) || (p.b ?? 0) - (q.b ?? 0));
}

export interface CompareOptions {
  /** Cap on `moved.accounts` (the count is always exact). Default: no cap. */
  maxMovedListed?: number;
}

/**
 * Compares draft A (e.g. the original or the published state) with draft B (e.g. the rework).
 *
 * @example
 * const c = compareDrafts(original, rework, { names: ["revenue"], values });
 * c.moved.count;        // accounts that change territory
 * c.repsAffected;       // [{ repId, gained, lost }]
 */
export function compareDrafts(
  a: ComparableDraft,
  b: ComparableDraft,
  measures?: AccountMeasures,
  options: CompareOptions = {},
): DraftComparison {
  const statsA = draftStats(a, measures);
  const statsB = draftStats(b, measures);
  const pairs = matchTerritories(a.territories, b.territories);
  const aToB = new Int32Array(a.territories.length).fill(-2); // -2 = A territory has no counterpart in B
  for (const p of pairs) if (p.a !== null && p.b !== null) aToB[p.a] = p.b;

  const bIndex = positionIndex(b.assignments);
  const seenInB = new Uint8Array(b.assignments.accountIds.length);
  const moved: MovedAccount[] = [];
  let movedCount = 0;
  let onlyInA = 0;
  const repDelta = new Map<string, { gained: number; lost: number }>();
  const bump = (repId: string | null, field: "gained" | "lost") => {
    if (!repId) return;
    const r = repDelta.get(repId) ?? { gained: 0, lost: 0 };
    r[field]++;
    repDelta.set(repId, r);
  };
  const limit = options.maxMovedListed ?? Number.POSITIVE_INFINITY;
  const { accountIds, territory } = a.assignments;
  for (let i = 0; i < accountIds.length; i++) {
    const pos = bIndex.get(accountIds[i]);
    if (pos === undefined) {
      onlyInA++;
      continue;
    }
    seenInB[pos] = 1;
    const from = territory[i];
    const to = b.assignments.territory[pos];
    const expected = from < 0 ? -1 : aToB[from];
    if (expected === to) continue;
    movedCount++;
    if (moved.length < limit) moved.push({ accountId: accountIds[i], from, to });
    const repFrom = from >= 0 ? (a.territories[from]?.repId ?? null) : null;
    const repTo = to >= 0 ? (b.territories[to]?.repId ?? null) : null;
    if (repFrom !== repTo) {
      bump(repFrom, "lost");
      bump(repTo, "gained");
    }
  }
  let onlyInB = 0;
  for (let j = 0; j < seenInB.length; j++) if (!seenInB[j]) onlyInB++;
  const repsAffected = [...repDelta]
    .map(([repId, r]) => ({ repId, ...r }))
    .sort((x, y) => y.gained + y.lost - (x.gained + x.lost) || x.repId.localeCompare(y.repId));
  return {
    measures: [ACCOUNTS_MEASURE, ...(measures?.names ?? [])],
    a: statsA,
    b: statsB,
    pairs,
    moved: { count: movedCount, accounts: moved },
    onlyInA,
    onlyInB,
    repsAffected,
  };
}

/** accountId → position in the assignment arrays. */
export function positionIndex(a: Assignments): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < a.accountIds.length; i++) m.set(a.accountIds[i], i);
  return m;
}

export interface Reconciliation {
  /** Assignments restricted to today's accounts; accounts created since the save are appended unassigned (-1). */
  assignments: Assignments;
  /** Accounts in the draft that no longer exist (deleted or out of scope). */
  missing: number;
  /** Accounts that exist today but are not in the draft. */
  added: number;
  missingIds: string[];
  addedIds: string[];
}

/**
 * Reconciles a stored draft with today's account ids: a draft whose accounts were deleted or created since it
 * was saved still loads — the caller reports the counts instead of failing.
 *
 * @example
 * const r = reconcile(draft, accounts.map((a) => a.id));
 * if (r.missing || r.added) notify(`${r.missing} accounts no longer exist, ${r.added} are new`);
 */
export function reconcile(draft: Pick<Draft, "assignments">, currentAccountIds: Iterable<string>): Reconciliation {
  const current = new Set<string>();
  for (const id of currentAccountIds) current.add(id.replace(/^\{|\}$/g, "").toLowerCase());
  const a = draft.assignments;
  const keepIds: string[] = [];
  const keepT: number[] = [];
  const keepL: number[] = [];
  const missingIds: string[] = [];
  const inDraft = new Set<string>();
  for (let i = 0; i < a.accountIds.length; i++) {
    const id = a.accountIds[i];
    inDraft.add(id);
    if (current.has(id)) {
      keepIds.push(id);
      keepT.push(a.territory[i]);
      keepL.push(a.locked[i]);
    } else missingIds.push(id);
  }
  const addedIds: string[] = [];
  for (const id of current)
    if (!inDraft.has(id)) {
      addedIds.push(id);
      keepIds.push(id);
      keepT.push(-1);
      keepL.push(0);
    }
  return {
    assignments: { accountIds: keepIds, territory: Int32Array.from(keepT), locked: Uint8Array.from(keepL) },
    missing: missingIds.length,
    added: addedIds.length,
    missingIds,
    addedIds,
  };
}

/**
 * The published state (each account's `territoryid` today) as a comparable draft, so a draft can be compared
 * with what is live in Dynamics.
 */
export function publishedState(
  territories: readonly { id: string; name: string; managerId: string | null }[],
  accounts: readonly { id: string; territoryId: string | null }[],
): ComparableDraft {
  const index = new Map<string, number>();
  const ts: DraftTerritory[] = territories.map((t, i) => {
    index.set(t.id.toLowerCase(), i);
    return {
      key: t.id.toLowerCase(),
      name: t.name,
      color: "",
      geometry: null,
      postalCodes: [],
      repId: t.managerId,
      territoryId: t.id.toLowerCase(),
      totals: {},
    };
  });
  const accountIds = accounts.map((x) => x.id.replace(/^\{|\}$/g, "").toLowerCase());
  const territory = Int32Array.from(accounts, (x) => (x.territoryId ? (index.get(x.territoryId.toLowerCase()) ?? -1) : -1));
  return { territories: ts, assignments: { accountIds, territory, locked: new Uint8Array(accountIds.length) } };
}
