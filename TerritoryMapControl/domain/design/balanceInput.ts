/**
 * From the auto-balance dialog's settings to the engine's `TerritoryProblem`, and from the engine's result
 * back to a plan: the preview figures (per-territory totals, max deviation, accounts moved, gap to the proven
 * lower bound) and the new assignment.
 *
 * Two ways to ask:
 * - a number of territories: the engine places the centres among the accounts ("points"); existing plan
 *   territories 0..k-1 are reused in order, so today's owners count as "current" for the disruption setting;
 * - chosen reps with home bases: fixed centres; a rep's territory is the plan territory they own today, or a new one.
 * Accounts without coordinates cannot be balanced: they keep their territory and are counted in `excluded`.
 */
import { haversineKm, type BalanceResult, type BalanceRule, type TerritoryProblem } from "../balancing";
import type { AccountTable } from "../accountTable";
import { joinIds, type ColumnarProblem } from "./columnar";

/** What to balance: the account count or one of the table's measure columns (by index). */
export type BalanceMeasure = { kind: "count" } | { kind: "column"; column: number };

export interface BalanceRepTarget {
  repId: string;
  /** Home base [longitude, latitude]. */
  home: [number, number];
  /** The plan territory this rep owns today, or null for a new territory. */
  territory: number | null;
}

export interface BalanceSetup {
  /** Number of territories when no reps are chosen. */
  territories: number;
  /** Chosen reps (fixed centres); null or empty = "number of territories". */
  reps: BalanceRepTarget[] | null;
  /** Measures to balance, each within ±tolerance of the mean (at least one). */
  measures: BalanceMeasure[];
  /** Allowed deviation from the mean per territory, e.g. 0.05 = ±5 %. */
  tolerance: number;
  /** Upper capacity per rep for each measure in `measures` (null = none); reps mode only. */
  capacity?: (number | null)[];
  /** Locked accounts stay in their territory (when that territory is part of the problem). */
  respectLocks: boolean;
  /**
   * How strongly to keep today's owners: an account that changes territory costs `moveCostFactor` × the mean
   * distance of an account to its territory's centre (0 = today's owners do not matter). See `domain/defaults.ts`.
   */
  moveCostFactor: number;
}

export interface BalanceInput {
  /** The engine's problem in columns (no per-account objects on the main thread); `problemFromColumns` expands it. */
  problem: ColumnarProblem;
  /** Table index of each problem point. */
  pointToAccount: Int32Array;
  /** Plan territory index of each problem territory (new territories numbered from `territoryCount`). */
  planTerritory: number[];
  /** Territories in the plan today. */
  territoryCount: number;
  /** Problem territories that are new plan territories (reps without a territory today), with their rep. */
  newTerritories: { problemTerritory: number; planTerritory: number; repId: string }[];
  /** Accounts left out because they have no coordinates. */
  excluded: number;
  /** Display names of the problem's measures. */
  measureLabels: string[];
}

function measureName(table: AccountTable, m: BalanceMeasure): string {
  return m.kind === "count" ? "accounts" : (table.measures[m.column] ?? `measure${m.column}`);
}

/**
 * Builds the engine's problem. `territoryCount` = territories in the plan today; `include` (1 per account), when
 * given, limits the problem to those accounts (a region's accounts, see design/scope).
 */
export function buildBalanceInput(
  table: AccountTable,
  assignment: Int32Array,
  locked: Uint8Array | null,
  territoryCount: number,
  setup: BalanceSetup,
  include: Uint8Array | null = null,
): BalanceInput {
  if (setup.measures.length === 0) throw new Error("Choose at least one measure to balance");
  if (!(setup.tolerance >= 0) || !Number.isFinite(setup.tolerance)) throw new Error("The tolerance must be a number ≥ 0");
  for (const m of setup.measures) {
    if (m.kind === "column" && (m.column < 0 || m.column >= table.values.length)) throw new Error(`Unknown measure column ${m.column}`);
  }
  const reps = setup.reps && setup.reps.length > 0 ? setup.reps : null;
  const k = reps ? reps.length : setup.territories;
  if (!Number.isInteger(k) || k < 1) throw new Error("The number of territories must be a whole number ≥ 1");

  const planTerritory: number[] = [];
  const newTerritories: BalanceInput["newTerritories"] = [];
  const toProblem = new Map<number, number>();
  if (reps) {
    let next = territoryCount;
    reps.forEach((r, t) => {
      if (!Number.isFinite(r.home[0]) || !Number.isFinite(r.home[1])) throw new Error(`Rep ${r.repId} has no home base`);
      if (r.territory !== null && r.territory >= 0) {
        if (toProblem.has(r.territory)) throw new Error(`Two reps own territory ${r.territory}`);
        planTerritory.push(r.territory);
        toProblem.set(r.territory, t);
      } else {
        planTerritory.push(next);
        newTerritories.push({ problemTerritory: t, planTerritory: next, repId: r.repId });
        next++;
      }
    });
  } else {
    for (let t = 0; t < k; t++) {
      planTerritory.push(t);
      if (t < territoryCount) toProblem.set(t, t);
    }
  }

  const placed: number[] = [];
  let considered = 0;
  for (let i = 0; i < table.size; i++) {
    if (include && !include[i]) continue;
    considered++;
    if (!Number.isNaN(table.lon[i])) placed.push(i);
  }
  const n = placed.length;
  const pointToAccount = Int32Array.from(placed);
  const measureLabels = setup.measures.map((m) => measureName(table, m));
  const M = setup.measures.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n * M);
  const lock = new Int32Array(n).fill(-1);
  const current = new Int32Array(n);
  const ids = new Array<string>(n);
  const columns = setup.measures.map((m) => (m.kind === "count" ? null : table.values[m.column]));
  for (let p = 0; p < n; p++) {
    const i = pointToAccount[p];
    ids[p] = table.ids[i];
    x[p] = table.lon[i];
    y[p] = table.lat[i];
    for (let m = 0; m < M; m++) {
      const col = columns[m];
      w[p * M + m] = col === null ? 1 : Math.max(0, col[i]);
    }
    const cur = toProblem.get(assignment[i]);
    current[p] = cur === undefined ? -1 : cur;
    if (setup.respectLocks && locked && locked[i] && cur !== undefined) lock[p] = cur;
  }

  // A move costs `moveCostFactor` × the mean distance of an account to its current territory's centre.
  let moveCost = 0;
  if (setup.moveCostFactor > 0) {
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const cnt = new Float64Array(k);
    for (let p = 0; p < n; p++) {
      const t = current[p];
      if (t < 0) continue;
      sx[t] += x[p];
      sy[t] += y[p];
      cnt[t]++;
    }
    let s = 0;
    let c = 0;
    for (let p = 0; p < n; p++) {
      const t = current[p];
      if (t < 0) continue;
      const cx = reps ? reps[t].home[0] : sx[t] / cnt[t];
      const cy = reps ? reps[t].home[1] : sy[t] / cnt[t];
      s += haversineKm(x[p], y[p], cx, cy);
      c++;
    }
    moveCost = c > 0 ? setup.moveCostFactor * (s / c) : 0;
  }

  const balance: BalanceRule[] = measureLabels.map((measure) => ({ measure, tolerance: setup.tolerance }));
  const rest: Omit<TerritoryProblem, "points" | "current"> = {
    format: "territory-instance/1",
    name: "auto-balance",
    space: "geographic",
    distance: "haversine-km",
    territories: k,
    centers: reps ? "fixed" : "points",
    measures: measureLabels,
    balance,
    moveCost,
  };
  if (reps) {
    rest.fixedCenters = reps.map((r) => ({ x: r.home[0], y: r.home[1], id: r.repId }));
    if (setup.capacity && setup.capacity.some((c) => c !== null && c !== undefined)) {
      rest.capacities = reps.map(() => setup.measures.map((_, m) => setup.capacity?.[m] ?? null));
    }
  }
  const problem: ColumnarProblem = { packed: 1, rest, n, ids: joinIds(ids), x, y, w, cap: null, lock, current };
  return { problem, pointToAccount, planTerritory, territoryCount, newTerritories, excluded: considered - n, measureLabels };
}

export interface BalancePreview {
  /** Per problem territory: plan territory index, account count and one total per balanced measure. */
  territories: { planTerritory: number; accounts: number; totals: number[] }[];
  /** Per balanced measure: max |total − mean| / mean. */
  maxDeviation: number[];
  /** Accounts whose plan territory would change (including unassigned accounts that receive one). */
  moved: number;
  /** Of those, accounts that had no territory. */
  newlyAssigned: number;
  /** (objective − lower bound) / lower bound, or null when the engine proved no bound. */
  gapToBound: number | null;
  lowerBound: number | null;
  objective: number;
  feasible: boolean;
  status: BalanceResult["status"];
  /** The engine's plain-language reasons when constraints could not all be met. */
  infeasibility: string[];
}

/** The figures shown before anything is applied. */
export function balancePreview(input: BalanceInput, result: BalanceResult, assignment: Int32Array): BalancePreview {
  const k = input.problem.rest.territories;
  const counts = new Array<number>(k).fill(0);
  let moved = 0;
  let newlyAssigned = 0;
  result.assignment.forEach((t, p) => {
    counts[t]++;
    const before = assignment[input.pointToAccount[p]];
    if (before !== input.planTerritory[t]) {
      moved++;
      if (before < 0) newlyAssigned++;
    }
  });
  const gap = result.lowerBound !== null && result.lowerBound > 0 ? (result.objective - result.lowerBound) / result.lowerBound : null;
  return {
    territories: input.planTerritory.map((planTerritory, t) => ({ planTerritory, accounts: counts[t], totals: result.totals[t] ?? [] })),
    maxDeviation: result.maxDeviation,
    moved,
    newlyAssigned,
    gapToBound: gap,
    lowerBound: result.lowerBound,
    objective: result.objective,
    feasible: result.feasible,
    status: result.status,
    infeasibility: result.infeasibility.map((r) => r.message),
  };
}

/** A territory outside its band for one measure: what it holds and what the band asks, in whole units. */
export interface BandMiss {
  /** Index in `preview.territories`. */
  territory: number;
  /** Index of the balanced measure (setup order). */
  measure: number;
  total: number;
  lower: number;
  upper: number;
}

/**
 * The territories a result leaves outside ±tolerance of the mean (per balanced measure), largest miss first, with
 * the band rounded inwards to whole units (what a manager can check against the totals shown).
 */
export function bandMisses(preview: BalancePreview, tolerance: number): BandMiss[] {
  const k = preview.territories.length;
  const measures = preview.maxDeviation.length;
  const out: (BandMiss & { miss: number })[] = [];
  for (let m = 0; m < measures; m++) {
    let sum = 0;
    for (const t of preview.territories) sum += t.totals[m] ?? 0;
    const mean = k ? sum / k : 0;
    const lower = Math.ceil(mean * (1 - tolerance) - 1e-9);
    const upper = Math.floor(mean * (1 + tolerance) + 1e-9);
    preview.territories.forEach((t, i) => {
      const total = t.totals[m] ?? 0;
      const miss = total < mean * (1 - tolerance) - 1e-9 ? lower - total : total > mean * (1 + tolerance) + 1e-9 ? total - upper : 0;
      if (miss > 0) out.push({ territory: i, measure: m, total: Math.round(total), lower, upper, miss });
    });
  }
  return out.sort((a, b) => b.miss - a.miss || a.territory - b.territory).map(({ miss: _miss, ...rest }) => rest);
}

/** The smallest whole-percent tolerance the result meets (what to offer when the asked one was not met). */
export function toleranceMet(preview: BalancePreview): number {
  const worst = Math.max(0, ...preview.maxDeviation.filter((x) => Number.isFinite(x)));
  return Math.ceil(worst * 100 - 1e-9) / 100;
}

/**
 * "A number of territories": the engine numbers its territories in its own way, so territory t of the result is
 * not necessarily today's territory t. Result territories are matched to plan territories so that the most accounts
 * stay in today's territory (maximum-weight matching on the overlaps, `maxWeightMatching`), so Apply keeps the names and reps of the
 * territories that mostly stayed and "accounts moved" counts real moves. A result territory holding accounts
 * locked to plan territory t stays t. Result territories overlapping no free plan territory take the plan
 * territories left unmatched (lowest first), then new ones from `territoryCount`. Chosen reps (fixed centres,
 * each rep's own territory) are returned unchanged.
 */
export function relabelByOverlap(input: BalanceInput, result: Pick<BalanceResult, "assignment">, assignment: Int32Array): BalanceInput {
  if (input.problem.rest.centers !== "points") return input;
  const k = input.problem.rest.territories;
  const n = input.pointToAccount.length;
  if (result.assignment.length !== n) throw new Error(`The result has ${result.assignment.length} accounts, the problem ${n}`);
  let territoryCount = input.territoryCount;
  for (let i = 0; i < assignment.length; i++) if (assignment[i] + 1 > territoryCount) territoryCount = assignment[i] + 1;
  // overlap[t][s]: accounts in result territory t that are in plan territory s today (sparse).
  const overlap = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const s = assignment[input.pointToAccount[p]];
    if (s < 0) continue;
    const key = result.assignment[p] * territoryCount + s;
    overlap.set(key, (overlap.get(key) ?? 0) + 1);
  }
  const planOf = new Array<number>(k).fill(-1);
  const taken = new Set<number>();
  // Locks first: a locked account must stay in its plan territory, whatever the numbering.
  const lock = input.problem.lock;
  for (let p = 0; p < n; p++) {
    const l = lock[p];
    if (l < 0) continue;
    const t = result.assignment[p];
    const s = input.planTerritory[l];
    if (planOf[t] === -1 && !taken.has(s)) {
      planOf[t] = s;
      taken.add(s);
    }
  }
  // The rest: the matching that keeps the most accounts in today's territory (Hungarian method); a greedy
  // largest-overlap-first matching can keep far fewer (10 + 0 instead of 9 + 9 when two territories swap halves).
  const rows: number[] = [];
  for (let t = 0; t < k; t++) if (planOf[t] === -1) rows.push(t);
  const cols: number[] = [];
  for (let s = 0; s < territoryCount; s++) if (!taken.has(s)) cols.push(s);
  if (rows.length > 0 && cols.length > 0) {
    const colIndex = new Map<number, number>(cols.map((s, c) => [s, c]));
    const rowIndex = new Map<number, number>(rows.map((t, r) => [t, r]));
    const weight = new Float64Array(rows.length * cols.length);
    for (const [key, count] of overlap) {
      const r = rowIndex.get(Math.floor(key / territoryCount));
      const c = colIndex.get(key % territoryCount);
      if (r !== undefined && c !== undefined) weight[r * cols.length + c] = count;
    }
    const match = maxWeightMatching(weight, rows.length, cols.length);
    for (let r = 0; r < rows.length; r++) {
      const c = match[r];
      // a territory sharing no account with any of today's is not "matched": it takes an unused one below
      if (c < 0 || weight[r * cols.length + c] <= 0) continue;
      planOf[rows[r]] = cols[c];
      taken.add(cols[c]);
    }
  }
  let free = 0;
  let fresh = territoryCount;
  for (let t = 0; t < k; t++) {
    if (planOf[t] !== -1) continue;
    while (free < territoryCount && taken.has(free)) free++;
    if (free < territoryCount) {
      planOf[t] = free;
      taken.add(free);
    } else planOf[t] = fresh++;
  }
  return { ...input, planTerritory: planOf };
}

/**
 * Maximum-weight matching of `rows` × `cols` (weights row-major, ≥ 0): the column of each row, −1 when the row
 * has none (more rows than columns). Hungarian method with potentials on the square matrix padded with zeros,
 * O(N³) for N = max(rows, cols); deterministic.
 */
export function maxWeightMatching(weight: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const N = Math.max(rows, cols);
  let maxW = 0;
  for (let q = 0; q < rows * cols; q++) if (weight[q] > maxW) maxW = weight[q];
  // minimise cost = maxW − weight (padding: maxW); 1-based arrays as in the classic formulation
  const cost = (i: number, j: number) => (i <= rows && j <= cols ? maxW - weight[(i - 1) * cols + (j - 1)] : maxW);
  const u = new Float64Array(N + 1);
  const v = new Float64Array(N + 1);
  const p = new Int32Array(N + 1); // p[j]: row matched to column j
  const way = new Int32Array(N + 1);
  const minv = new Float64Array(N + 1);
  const used = new Uint8Array(N + 1);
  for (let i = 1; i <= N; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= N; j++) {
        if (used[j]) continue;
        const cur = cost(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= N; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const match = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= N; j++) if (p[j] >= 1 && p[j] <= rows && j <= cols) match[p[j] - 1] = j - 1;
  return match;
}

/** The plan's new assignment (accounts without coordinates keep theirs). */
export function applyBalance(input: BalanceInput, result: Pick<BalanceResult, "assignment">, assignment: Int32Array): Int32Array {
  const next = assignment.slice();
  result.assignment.forEach((t, p) => {
    next[input.pointToAccount[p]] = input.planTerritory[t];
  });
  return next;
}

export interface BalanceRep {
  id: string;
  name: string;
  /** Home base [longitude, latitude] from the rep's address, or null. */
  home: [number, number] | null;
  /** The plan territory (index) this rep owns today, or null. */
  territoryIndex: number | null;
}

export interface AutoBalanceApplyResult {
  /** The new territory of every account (plan territory index, -1 = unassigned). */
  assignment: Int32Array;
  /** Plan territories that do not exist yet (reps without a territory today), to be created by the caller. */
  newTerritories: { planTerritory: number; repId: string }[];
  preview: BalancePreview;
  setup: BalanceSetup;
}
