/**
 * The working plan: the territory design the manager is editing right now.
 *
 * Holds the territories (key, name, colour, rep, linked Dynamics territory, lock), the territory of every account
 * in scope, account locks, where the plan came from (source draft(s) and lineage), whether it has unsaved changes,
 * and per-territory totals (accounts + every measure) with targets and deviations.
 *
 * Design (for map tools built on top — lasso, draw, auto-balance):
 * - Accounts live in an immutable {@link AccountTable} built once per load (parallel arrays, position = account
 *   index). A plan refers to accounts by position; `table.index` maps account id → position.
 * - A {@link WorkingPlan} is an immutable value: every operation returns a NEW plan (React can compare by
 *   reference) and never mutates its input. Operations copy the assignment array (Int32Array, ~0.1 ms per 100k)
 *   and update totals incrementally (O(accounts moved)), so moving 10,000 of 100,000 accounts takes a few ms.
 * - Every operation also reports which account positions changed (`changed`), so the map redraws only those.
 * - Territory index = position in `territories`; -1 = unassigned.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import type { AccountBaseline, Draft, DraftStatus, DraftTerritory, JsonValue } from "../drafts/model";
import { territoryShapes, type ShapeProblem } from "../design/shapes";
import { normaliseId, type AccountTable } from "../accountTable";
import { buildTree, rollUp, siblingsOf, type TerritoryTree } from "../hierarchy";

// ------------------------------------------------------------------ accounts

export { buildAccountTable, normaliseId, type AccountInput, type AccountTable } from "../accountTable";

// ------------------------------------------------------------------ plan

/** One territory of the working plan. */
export interface PlanTerritory {
  /** Stable key inside the plan (draft territory key, or the Dynamics territory id for the live state). */
  readonly key: string;
  readonly name: string;
  /** "#rrggbb". */
  readonly color: string;
  /** Rep (systemuser id) or null. */
  readonly repId: string | null;
  /** The Dynamics territory it stands for, or null (publishing will create one). */
  readonly territoryId: string | null;
  /** Left alone by auto-balance. */
  readonly locked: boolean;
  /** Shape and postal codes carried over from a draft (opaque here). */
  readonly geometry: JsonValue | null;
  readonly postalCodes: readonly string[];
  /** Key of the parent territory (a region or district) in this plan; null / absent = top level. */
  readonly parentKey?: string | null;
}

/** Where the plan came from. */
export interface PlanSource {
  /** The saved draft this plan overwrites on "Save as draft" (after confirmation), or null. */
  readonly draftId: string | null;
  /** Save token of that draft when loaded / last saved (conflict detection). */
  readonly saveToken: string | null;
  readonly name: string;
  readonly version: number;
  /** Lineage: the draft this plan derives from (kept by "Save as new draft"). */
  readonly parentId: string | null;
  /** Every draft territories were replotted from (one for a plain replot; several when combined). */
  readonly fromDrafts: readonly { id: string; name: string; version: number }[];
  readonly notes: string;
  readonly balancingSettings: JsonValue | null;
  /** Status of the source draft when loaded or last saved (absent = a draft); a published plan is saved as new. */
  readonly status?: DraftStatus;
  /** The draft it was saved from with "Save as new draft" (name and version then), when known. */
  readonly from?: { readonly name: string; readonly version: number } | null;
}

/** Totals per territory (index = territory index) plus the unassigned bucket. */
export interface PlanTotals {
  /** Accounts per territory. */
  readonly accounts: Int32Array;
  /** Per measure (same order as table.measures), total per territory. */
  readonly values: readonly Float64Array[];
  readonly unassignedAccounts: number;
  readonly unassignedValues: readonly number[];
}

export interface WorkingPlan {
  readonly table: AccountTable;
  readonly territories: readonly PlanTerritory[];
  /** Territory index per account position (-1 = unassigned). */
  readonly assignment: Int32Array;
  /** 1 where the account is locked to its territory. */
  readonly accountLocks: Uint8Array;
  readonly totals: PlanTotals;
  /**
   * Explicit targets per measure ("accounts" or a measure name) — a territory's target total. Measures without an
   * explicit target use the mean over territories.
   */
  readonly targets: Readonly<Record<string, number>>;
  readonly source: PlanSource | null;
  /** True when the plan differs from its source (or has never been saved and was edited). */
  readonly dirty: boolean;
  /** Increases with every change (cheap change detection). */
  readonly revision: number;
}

export interface PlanChange {
  plan: WorkingPlan;
  /** Account positions whose territory changed. */
  changed: Int32Array;
}

export class PlanError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "PlanError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Totals from scratch: O(accounts × measures). */
export function computeTotals(table: AccountTable, territoryCount: number, assignment: Int32Array): PlanTotals {
  const accounts = new Int32Array(territoryCount);
  const values = table.measures.map(() => new Float64Array(territoryCount));
  const unassignedValues = table.measures.map(() => 0);
  let unassignedAccounts = 0;
  for (let i = 0; i < assignment.length; i++) {
    const t = assignment[i];
    if (t < 0 || t >= territoryCount) {
      unassignedAccounts++;
      for (let m = 0; m < values.length; m++) unassignedValues[m] += table.values[m][i];
      continue;
    }
    accounts[t]++;
    for (let m = 0; m < values.length; m++) values[m][t] += table.values[m][i];
  }
  return { accounts, values, unassignedAccounts, unassignedValues };
}

/**
 * A new plan over `table`. `assignment` gives each account position its territory index (-1 unassigned).
 *
 * @example
 * const plan = createPlan(table, territories, assignment, { source: null });
 */
export function createPlan(
  table: AccountTable,
  territories: readonly PlanTerritory[],
  assignment: Int32Array,
  options: { source?: PlanSource | null; accountLocks?: Uint8Array; targets?: Record<string, number>; dirty?: boolean } = {},
): WorkingPlan {
  if (assignment.length !== table.ids.length)
    throw new PlanError(`The plan has ${assignment.length} assignments for ${table.ids.length} accounts.`);
  const keys = new Set<string>();
  for (const t of territories) {
    if (keys.has(t.key)) throw new PlanError(`Territory key "${t.key}" is used twice.`);
    keys.add(t.key);
  }
  const k = territories.length;
  for (let i = 0; i < assignment.length; i++) {
    const t = assignment[i];
    if (t < -1 || t >= k) throw new PlanError(`Account ${table.ids[i]} points at territory ${t}, but the plan has ${k}.`);
  }
  const locks = options.accountLocks ?? new Uint8Array(table.ids.length);
  if (locks.length !== table.ids.length) throw new PlanError("Account locks and accounts differ in length.");
  return {
    table,
    territories: [...territories],
    assignment,
    accountLocks: locks,
    totals: computeTotals(table, k, assignment),
    targets: { ...(options.targets ?? {}) },
    source: options.source ?? null,
    dirty: options.dirty ?? false,
    revision: 0,
  };
}

function with_(plan: WorkingPlan, patch: Partial<WorkingPlan>): WorkingPlan {
  return { ...plan, ...patch, dirty: patch.dirty ?? true, revision: plan.revision + 1 };
}

/** Index of a territory key, or throws. */
export function territoryIndex(plan: WorkingPlan, key: string): number {
  const i = plan.territories.findIndex((t) => t.key === key);
  if (i < 0) throw new PlanError(`The plan has no territory "${key}".`);
  return i;
}

/**
 * Moves accounts to a territory (`null` = unassign). Unknown account ids throw (nothing is dropped silently);
 * accounts already there are skipped. Totals are updated incrementally.
 *
 * @example
 * const { plan: next, changed } = moveAccounts(plan, ["5f1c…", "9a2e…"], "t7");
 */
export function moveAccounts(plan: WorkingPlan, accountIds: Iterable<string>, territoryKey: string | null): PlanChange {
  const positions: number[] = [];
  const unknown: string[] = [];
  for (const raw of accountIds) {
    const p = plan.table.index.get(raw) ?? plan.table.index.get(normaliseId(raw));
    if (p === undefined) unknown.push(raw);
    else positions.push(p);
  }
  if (unknown.length) throw new PlanError(`${unknown.length} account(s) are not in this plan (first: ${unknown[0]}).`);
  return movePositions(plan, positions, territoryKey);
}

/** Like {@link moveAccounts} with account positions (what map tools have after a spatial query). */
export function movePositions(plan: WorkingPlan, positions: ArrayLike<number>, territoryKey: string | null): PlanChange {
  const to = territoryKey === null ? -1 : territoryIndex(plan, territoryKey);
  if (to >= 0 && !treeOf(plan).leaf[to]) {
    throw new PlanError(`"${plan.territories[to].name}" is over other territories: accounts go into one of its territories.`);
  }
  const n = plan.table.ids.length;
  const assignment = plan.assignment.slice();
  const accounts = plan.totals.accounts.slice();
  const values = plan.totals.values.map((v) => v.slice());
  const unassignedValues = [...plan.totals.unassignedValues];
  let unassignedAccounts = plan.totals.unassignedAccounts;
  const measureValues = plan.table.values;
  const mCount = measureValues.length;
  const changed = new Int32Array(positions.length);
  let c = 0;
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k];
    if (!(i >= 0 && i < n)) throw new PlanError(`Account position ${i} is outside the plan (0–${n - 1}).`);
    const from = assignment[i];
    if (from === to) continue;
    assignment[i] = to;
    changed[c++] = i;
    if (from >= 0) {
      accounts[from]--;
      for (let m = 0; m < mCount; m++) values[m][from] -= measureValues[m][i];
    } else {
      unassignedAccounts--;
      for (let m = 0; m < mCount; m++) unassignedValues[m] -= measureValues[m][i];
    }
    if (to >= 0) {
      accounts[to]++;
      for (let m = 0; m < mCount; m++) values[m][to] += measureValues[m][i];
    } else {
      unassignedAccounts++;
      for (let m = 0; m < mCount; m++) unassignedValues[m] += measureValues[m][i];
    }
  }
  if (c === 0) return { plan, changed: new Int32Array(0) };
  return {
    plan: with_(plan, { assignment, totals: { accounts, values, unassignedAccounts, unassignedValues } }),
    changed: changed.slice(0, c),
  };
}

function validName(name: string, what: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new PlanError(`${what} needs a name.`);
  if (trimmed.length > 200) throw new PlanError(`${what} name has at most 200 characters.`);
  return trimmed;
}

function replaceTerritory(plan: WorkingPlan, key: string, patch: Partial<PlanTerritory>): WorkingPlan {
  const i = territoryIndex(plan, key);
  const territories = plan.territories.map((t, j) => (j === i ? { ...t, ...patch } : t));
  return with_(plan, { territories });
}

/** Renames a territory (names need not be unique, but must not be empty). */
export function renameTerritory(plan: WorkingPlan, key: string, name: string): WorkingPlan {
  return replaceTerritory(plan, key, { name: validName(name, "A territory") });
}

/**
 * Puts a territory under another one (a region or district); null = top level. A territory cannot go under itself
 * or under one of its own territories.
 */
export function setParent(plan: WorkingPlan, key: string, parentKey: string | null): WorkingPlan {
  const i = territoryIndex(plan, key);
  if (parentKey !== null) {
    const p = territoryIndex(plan, parentKey);
    for (let v = p; v >= 0; v = treeOf(plan).parent[v]) {
      if (v === i) throw new PlanError(`"${plan.territories[i].name}" cannot go under "${plan.territories[p].name}", which is under it.`);
    }
  }
  if ((plan.territories[i].parentKey ?? null) === parentKey) return plan;
  return replaceTerritory(plan, key, { parentKey });
}

/** Assigns a rep (systemuser id) to a territory; null removes the rep. */
export function assignRep(plan: WorkingPlan, key: string, repId: string | null): WorkingPlan {
  return replaceTerritory(plan, key, { repId: repId === null ? null : normaliseId(repId) });
}

/** Locks / unlocks a territory (auto-balance leaves locked territories alone). */
export function setTerritoryLocked(plan: WorkingPlan, key: string, locked: boolean): WorkingPlan {
  return replaceTerritory(plan, key, { locked });
}

/** Locks / unlocks accounts to their current territory. */
export function setAccountsLocked(plan: WorkingPlan, accountIds: Iterable<string>, locked: boolean): WorkingPlan {
  const accountLocks = plan.accountLocks.slice();
  for (const id of accountIds) {
    const p = plan.table.index.get(normaliseId(id));
    if (p === undefined) throw new PlanError(`Account ${id} is not in this plan.`);
    accountLocks[p] = locked ? 1 : 0;
  }
  return with_(plan, { accountLocks });
}

/** Adds a territory (no accounts yet). The key must be new. */
export function addTerritory(
  plan: WorkingPlan,
  territory: Omit<PlanTerritory, "locked" | "geometry" | "postalCodes"> & Partial<PlanTerritory>,
): WorkingPlan {
  if (plan.territories.some((t) => t.key === territory.key)) throw new PlanError(`Territory key "${territory.key}" is used twice.`);
  const t: PlanTerritory = { locked: false, geometry: null, postalCodes: [], ...territory, name: validName(territory.name, "A territory") };
  const k = plan.territories.length + 1;
  const accounts = new Int32Array(k);
  accounts.set(plan.totals.accounts);
  const values = plan.totals.values.map((v) => {
    const nv = new Float64Array(k);
    nv.set(v);
    return nv;
  });
  return with_(plan, { territories: [...plan.territories, t], totals: { ...plan.totals, accounts, values } });
}

export interface DeleteResult extends PlanChange {
  /** Accounts the deleted territory held; they are now unassigned. */
  unassigned: number;
}

/**
 * Deletes a territory: its accounts become unassigned (counted in `unassigned`), later territories shift down
 * one index.
 */
export function deleteTerritory(plan: WorkingPlan, key: string): DeleteResult {
  const d = territoryIndex(plan, key);
  const assignment = plan.assignment.slice();
  const changed: number[] = [];
  for (let i = 0; i < assignment.length; i++) {
    const t = assignment[i];
    if (t === d) {
      assignment[i] = -1;
      changed.push(i);
    } else if (t > d) assignment[i] = t - 1;
  }
  const k = plan.territories.length - 1;
  const accounts = new Int32Array(k);
  const drop = <T extends Int32Array | Float64Array>(src: T, dst: T): T => {
    for (let j = 0, o = 0; j < src.length; j++) if (j !== d) dst[o++] = src[j];
    return dst;
  };
  drop(plan.totals.accounts, accounts);
  const values = plan.totals.values.map((v) => drop(v, new Float64Array(k)));
  const unassignedValues = plan.totals.unassignedValues.map((u, m) => u + plan.totals.values[m][d]);
  const unassigned = plan.totals.accounts[d];
  const gone = plan.territories[d];
  const next = with_(plan, {
    territories: plan.territories
      .filter((_, j) => j !== d)
      .map((t) => (t.parentKey === gone.key ? { ...t, parentKey: gone.parentKey ?? null } : t)),
    assignment,
    totals: { accounts, values, unassignedAccounts: plan.totals.unassignedAccounts + unassigned, unassignedValues },
  });
  return { plan: next, changed: Int32Array.from(changed), unassigned };
}

/** A plan with a whole new assignment (totals recomputed) and the positions that changed. */
export function withAssignment(plan: WorkingPlan, next: Int32Array): { plan: WorkingPlan; changed: Int32Array } {
  const changed: number[] = [];
  for (let i = 0; i < next.length; i++) if (next[i] !== plan.assignment[i]) changed.push(i);
  if (changed.length === 0) return { plan, changed: new Int32Array(0) };
  return {
    plan: {
      ...plan,
      assignment: next,
      totals: computeTotals(plan.table, plan.territories.length, next),
      dirty: true,
      revision: plan.revision + 1,
    },
    changed: Int32Array.from(changed),
  };
}

/** A plan whose territories (same order and count) were replaced, e.g. with a new outline or postal codes. */
export function withTerritories(plan: WorkingPlan, territories: readonly PlanTerritory[]): WorkingPlan {
  if (territories.length !== plan.territories.length) throw new PlanError("withTerritories keeps the territory count.");
  return { ...plan, territories, dirty: true, revision: plan.revision + 1 };
}

/** Locks (1) or unlocks (0) accounts by position. */
export function setPositionsLocked(plan: WorkingPlan, positions: ArrayLike<number>, locked: boolean): WorkingPlan {
  const accountLocks = plan.accountLocks.slice();
  for (let k = 0; k < positions.length; k++) accountLocks[positions[k]] = locked ? 1 : 0;
  return { ...plan, accountLocks, dirty: true, revision: plan.revision + 1 };
}

let keySeq = 0;
/** A territory key no other territory of this session has ("balance-…", "postal-…"). */
export function newTerritoryKey(prefix: string): string {
  keySeq++;
  return `${prefix}-${Date.now().toString(36)}-${keySeq}`;
}

/** Sets (or with null clears) the target total of a measure ("accounts" or a measure name). */
export function setTarget(plan: WorkingPlan, measure: string, target: number | null): WorkingPlan {
  if (measure !== ACCOUNTS && !plan.table.measures.includes(measure)) throw new PlanError(`Unknown measure "${measure}".`);
  if (target !== null && !(Number.isFinite(target) && target > 0)) throw new PlanError("A target must be a positive number.");
  const targets = { ...plan.targets };
  if (target === null) delete targets[measure];
  else targets[measure] = target;
  return with_(plan, { targets });
}

/** Marks the plan saved as `source` (after a successful save). */
export function markSaved(plan: WorkingPlan, source: PlanSource): WorkingPlan {
  return { ...plan, source, dirty: false, revision: plan.revision + 1 };
}

// ------------------------------------------------------------------ totals, targets, deviation

export const ACCOUNTS = "accounts";

export interface TerritoryRow {
  index: number;
  key: string;
  name: string;
  color: string;
  repId: string | null;
  territoryId: string | null;
  locked: boolean;
  accounts: number;
  /** Totals per measure (table.measures order). */
  values: number[];
  /** Target per measure name, "accounts" included. */
  target: Record<string, number>;
  /** (total − target) / target per measure name, "accounts" included; 0 when the target is 0. */
  deviation: Record<string, number>;
  /** Key of the parent territory, or null at the top level. */
  parentKey: string | null;
  /** 0 at the top level. */
  depth: number;
  /** False for a region or district: `accounts` and `values` are then the rolled-up totals of its subtree. */
  leaf: boolean;
  /** Accounts a parent holds itself (in the region without a rep territory); 0 for a leaf. */
  direct: number;
}

/**
 * The plan's territory tree (see domain/hierarchy), computed once per territory list.
 *
 * @example
 * treeOf(plan).leaves // indexes of the territories that hold accounts
 */
export function treeOf(plan: Pick<WorkingPlan, "territories">): TerritoryTree {
  let tree = trees.get(plan.territories);
  if (!tree) {
    tree = buildTree(plan.territories);
    trees.set(plan.territories, tree);
  }
  return tree;
}
const trees = new WeakMap<readonly PlanTerritory[], TerritoryTree>();

/**
 * Target per measure of a leaf territory: the explicit target, else the mean over the plan's leaves (regions and
 * districts are not targets: they hold their leaves' totals).
 */
export function targetsOf(plan: WorkingPlan): Record<string, number> {
  const leaves = treeOf(plan).leaves;
  const k = leaves.length;
  const out: Record<string, number> = {};
  const mean = (arr: ArrayLike<number>): number => {
    let s = 0;
    for (const j of leaves) s += arr[j];
    return k ? s / k : 0;
  };
  out[ACCOUNTS] = plan.targets[ACCOUNTS] ?? mean(plan.totals.accounts);
  plan.table.measures.forEach((m, j) => {
    out[m] = plan.targets[m] ?? mean(plan.totals.values[j]);
  });
  return out;
}

/**
 * One row per territory with totals, targets and deviations: what the Territory Management card lists. A leaf is
 * measured against the leaf target ({@link targetsOf}); a region or district shows its subtree's totals, measured
 * against the mean of its siblings.
 *
 * @example
 * territoryRows(plan)[0].deviation.tmap_workloadhours   // +0.12 = 12 % above target
 */
export function territoryRows(plan: WorkingPlan): TerritoryRow[] {
  const tree = treeOf(plan);
  const leafTarget = targetsOf(plan);
  const dev = (v: number, t: number): number => (t ? (v - t) / t : 0);
  const names = [ACCOUNTS, ...plan.table.measures];
  // per measure (accounts first): the subtree total of every territory
  const rolled = [rollUp(tree, plan.totals.accounts), ...plan.totals.values.map((v) => rollUp(tree, v))];
  return plan.territories.map((t, index) => {
    const leaf = tree.leaf[index] === 1;
    const target: Record<string, number> = {};
    const deviation: Record<string, number> = {};
    const siblings = leaf ? null : siblingsOf(tree, index);
    names.forEach((m, j) => {
      let goal = leafTarget[m];
      if (siblings) {
        let s = 0;
        for (const x of siblings) s += rolled[j][x];
        goal = siblings.length ? s / siblings.length : 0;
      }
      target[m] = goal;
      deviation[m] = dev(rolled[j][index], goal);
    });
    return {
      index,
      key: t.key,
      name: t.name,
      color: t.color,
      repId: t.repId,
      territoryId: t.territoryId,
      locked: t.locked,
      accounts: rolled[0][index],
      values: plan.table.measures.map((_, m) => rolled[m + 1][index]),
      target,
      deviation,
      parentKey: tree.parent[index] >= 0 ? plan.territories[tree.parent[index]].key : null,
      depth: tree.depth[index],
      leaf,
      direct: leaf ? 0 : plan.totals.accounts[index],
    };
  });
}

/** Account positions of a territory (null = unassigned). */
export function accountsIn(plan: WorkingPlan, territoryKey: string | null): number[] {
  const t = territoryKey === null ? -1 : territoryIndex(plan, territoryKey);
  const out: number[] = [];
  for (let i = 0; i < plan.assignment.length; i++) if (plan.assignment[i] === t) out.push(i);
  return out;
}

// ------------------------------------------------------------------ drafts

/**
 * The plan as a domain/drafts Draft, ready for the repository: id / token / lineage from the source, territory
 * totals snapshot, every account's territory and lock, and — when given — each account's Dynamics territory when
 * the draft is made (`baseline`, see published.ts `baselineOf`), which publishing uses to detect conflicts.
 */
export function toDraft(plan: WorkingPlan, name?: string, baseline?: AccountBaseline | null): Draft {
  const src = plan.source;
  const rows = territoryRows(plan);
  const territories: DraftTerritory[] = plan.territories.map((t, i) => {
    const totals: Record<string, number> = { [ACCOUNTS]: rows[i].accounts };
    plan.table.measures.forEach((m, j) => {
      totals[m] = rows[i].values[j];
    });
    return {
      key: t.key,
      name: t.name,
      color: t.color,
      geometry: t.geometry,
      postalCodes: [...t.postalCodes],
      repId: t.repId,
      territoryId: t.territoryId,
      totals,
      ...(t.locked ? { locked: true } : {}),
      ...(t.parentKey ? { parentKey: t.parentKey } : {}),
    };
  });
  const draft: Draft = {
    name: name ?? src?.name ?? "",
    version: src?.version ?? 1,
    parentId: src?.parentId ?? null,
    status: src?.status ?? "draft",
    notes: src?.notes ?? "",
    balancingSettings: src?.balancingSettings ?? null,
    metrics: { targets: { ...plan.targets }, unassigned: plan.totals.unassignedAccounts },
    territories,
    assignments: { accountIds: plan.table.ids, territory: plan.assignment.slice(), locked: plan.accountLocks.slice() },
  };
  if (baseline) {
    if (baseline.territory.length !== plan.table.ids.length)
      throw new PlanError(`The baseline describes ${baseline.territory.length} accounts but the plan holds ${plan.table.ids.length}.`);
    draft.baseline = baseline;
  }
  if (src?.draftId) {
    draft.id = src.draftId;
    if (src.saveToken) draft.saveToken = src.saveToken;
  }
  return draft;
}

export interface FromDraftResult {
  plan: WorkingPlan;
  /** Accounts in the draft that are not in scope today (deleted or out of scope). */
  missing: number;
  /** Accounts in scope today that the draft does not know (created since): unassigned. */
  added: number;
  /**
   * Territories whose stored geometry cannot be read (see design/shapes `parseTerritoryGeometry`). Their geometry
   * is kept as stored (nothing is dropped) but they are shown by their accounts' hull, not as a drawn shape.
   */
  geometryProblems: ShapeProblem[];
}

/**
 * A plan from a loaded (or replotted) draft over today's accounts. Accounts the draft no longer finds are counted
 * (`missing`), accounts created since are unassigned (`added`) — reconciling, not failing.
 *
 * `saved` = the draft is exactly a stored draft (a plain replot): saving overwrites it (after confirmation).
 * Otherwise (combined replot) the plan has no draft to overwrite and keeps `draft.parentId` as its lineage.
 */
export function fromDraft(
  table: AccountTable,
  draft: Draft,
  options: { saved: boolean; fromDrafts?: PlanSource["fromDrafts"] },
): FromDraftResult {
  const assignment = new Int32Array(table.ids.length).fill(-1);
  const accountLocks = new Uint8Array(table.ids.length);
  const a = draft.assignments;
  let missing = 0;
  const seen = new Uint8Array(table.ids.length);
  for (let i = 0; i < a.accountIds.length; i++) {
    const p = table.index.get(a.accountIds[i]);
    if (p === undefined) {
      missing++;
      continue;
    }
    seen[p] = 1;
    assignment[p] = a.territory[i];
    accountLocks[p] = a.locked[i];
  }
  let added = 0;
  for (let p = 0; p < seen.length; p++) if (!seen[p]) added++;
  const territories: PlanTerritory[] = draft.territories.map((t) => ({
    key: t.key,
    name: t.name,
    color: t.color,
    repId: t.repId,
    territoryId: t.territoryId,
    locked: !!t.locked,
    geometry: t.geometry,
    postalCodes: [...t.postalCodes],
    parentKey: t.parentKey ?? null,
  }));
  const metrics = draft.metrics as { targets?: Record<string, unknown> } | null;
  const targets: Record<string, number> = {};
  if (metrics && typeof metrics === "object" && !Array.isArray(metrics) && metrics.targets && typeof metrics.targets === "object") {
    for (const [k, v] of Object.entries(metrics.targets)) if (typeof v === "number" && v > 0) targets[k] = v;
  }
  const source: PlanSource = {
    draftId: options.saved ? (draft.id ?? null) : null,
    saveToken: options.saved ? (draft.saveToken ?? null) : null,
    name: draft.name,
    version: draft.version,
    parentId: draft.parentId,
    fromDrafts: options.fromDrafts ?? (draft.id ? [{ id: draft.id, name: draft.name, version: draft.version }] : []),
    notes: draft.notes,
    balancingSettings: draft.balancingSettings,
    status: options.saved ? draft.status : "draft",
  };
  const plan = createPlan(table, territories, assignment, { source, accountLocks, targets, dirty: !options.saved });
  return { plan, missing, added, geometryProblems: territoryShapes(territories).problems };
}

/**
 * The live state (each account's Dynamics territory today) as a plan: one territory per Dynamics territory
 * (key = territory id, parent = its `parentterritoryid`, rep = its manager), accounts whose territory is not in the
 * list get a territory named by `unknownName`. Accounts Dynamics assigns to a region stay with the region (shown
 * as without a rep territory). Not dirty, no source draft.
 */
export function planFromLiveState(
  table: AccountTable,
  territories: readonly { id: string; name: string; managerId: string | null; parentId?: string | null }[],
  territoryOfAccount: readonly (string | null)[],
  colorOf: (territoryId: string) => string,
  unknownName: (territoryId: string) => string,
): WorkingPlan {
  if (territoryOfAccount.length !== table.ids.length) throw new PlanError("One territory per account is needed.");
  const list: PlanTerritory[] = [];
  const index = new Map<string, number>();
  const add = (id: string, name: string, repId: string | null, parentKey: string | null): number => {
    index.set(id, list.length);
    list.push({ key: id, name, color: colorOf(id), repId, territoryId: id, locked: false, geometry: null, postalCodes: [], parentKey });
    return list.length - 1;
  };
  for (const t of territories) {
    const id = normaliseId(t.id);
    if (!index.has(id)) add(id, t.name, t.managerId ? normaliseId(t.managerId) : null, t.parentId ? normaliseId(t.parentId) : null);
  }
  const assignment = new Int32Array(table.ids.length);
  for (let i = 0; i < assignment.length; i++) {
    const raw = territoryOfAccount[i];
    if (!raw) {
      assignment[i] = -1;
      continue;
    }
    const id = normaliseId(raw);
    assignment[i] = index.get(id) ?? add(id, unknownName(id), null, null);
  }
  return createPlan(table, list, assignment, { source: null, dirty: false });
}
