/**
 * Runtime changes as re-solves with a cost per moved account (minimal disruption): a rep leaves (their
 * accounts are redistributed), a new rep starts (a territory carved around a home base), capacities
 * change. Each returns the new problem, the result and the accounts moved.
 *
 * Rep leaves and capacity change use the incremental re-solve (incremental.ts: accounts near a boundary
 * plus those priced out by the change are re-optimised, the rest keep their territory), starting from the
 * previous plan's prices; a new rep is a full re-solve with the move cost.
 */
import { MOVE_COST_FACTOR } from "../defaults";
import { distanceFn } from "./distance";
import { solveIncremental, type IncrementalOptions } from "./incremental";
import { solve } from "./solve";
import type { BalanceResult, SolveOptions, TerritoryProblem } from "./types";

export interface ChangeOutcome {
  problem: TerritoryProblem;
  result: BalanceResult;
  /** Accounts whose territory changed, excluding those that had no owner (e.g. the departed rep's). */
  movedOther: number;
  /** Accounts that had no owner and received one. */
  reassigned: number;
}

export { MOVE_COST_FACTOR };

/** MOVE_COST_FACTOR × the mean distance from an account to its centre in `assignment` (see defaults.ts). */
export function defaultMoveCost(problem: TerritoryProblem, assignment: number[], centers: number[] | null): number {
  const f = distanceFn(problem.distance);
  let s = 0;
  problem.points.forEach((p, i) => {
    const t = assignment[i];
    const c = problem.centers === "fixed" ? problem.fixedCenters![t] : problem.points[centers![t]];
    s += f(p.x, p.y, c.x, c.y);
  });
  return (MOVE_COST_FACTOR * s) / Math.max(1, problem.points.length);
}

function finishIncremental(problem: TerritoryProblem, inc: IncrementalOptions, opts: Partial<SolveOptions>): ChangeOutcome {
  return outcome(problem, solveIncremental(problem, inc, opts));
}

function outcome(problem: TerritoryProblem, result: BalanceResult): ChangeOutcome {
  let movedOther = 0;
  let reassigned = 0;
  problem.current!.forEach((c, i) => {
    if (c < 0) reassigned++;
    else if (c !== result.assignment[i]) movedOther++;
  });
  return { problem, result, movedOther, reassigned };
}

/**
 * Prices of the previous plan (kOld territories) carried over to the new problem's kNew territories:
 * `keep(t)` names the old territory of new territory t (−1 = new, price 0). Null when the plan has none.
 */
function remapPrices(prices: number[] | undefined, kOld: number, kNew: number, M: number, keep: (t: number) => number): number[] | null {
  if (!prices || prices.length !== kOld * M) return null;
  const out: number[] = [];
  for (let t = 0; t < kNew; t++) {
    const src = keep(t);
    for (let m = 0; m < M; m++) out.push(src >= 0 && src < kOld ? prices[src * M + m] : 0);
  }
  return out;
}

/** Territory `leaving` is removed; its accounts become unowned and are redistributed. */
export function repLeaves(
  problem: TerritoryProblem,
  plan: Pick<BalanceResult, "assignment" | "centers" | "prices">,
  leaving: number,
  opts: Partial<SolveOptions> & { moveCost?: number } = {},
): ChangeOutcome {
  const k = problem.territories;
  if (!Number.isInteger(leaving) || leaving < 0 || leaving >= k)
    throw new Error(`repLeaves: territory ${leaving} does not exist (0..${k - 1})`);
  if (k <= 1) throw new Error("repLeaves: the last territory cannot be removed");
  const map = (t: number) => (t === leaving ? -1 : t > leaving ? t - 1 : t);
  const moveCost = opts.moveCost ?? defaultMoveCost(problem, plan.assignment, plan.centers);
  const next: TerritoryProblem = {
    ...problem,
    name: `${problem.name ?? "problem"}-rep-leaves-${leaving}`,
    territories: k - 1,
    fixedCenters: problem.fixedCenters?.filter((_, t) => t !== leaving),
    capacities: problem.capacities?.filter((_, t) => t !== leaving),
    points: problem.points.map((p) =>
      p.lock === undefined || p.lock === null ? p : { ...p, lock: p.lock === leaving ? undefined : map(p.lock) },
    ),
    current: plan.assignment.map(map),
    moveCost,
    reference: null,
  };
  const prices = remapPrices(plan.prices, k, k - 1, problem.measures.length, (t) => (t >= leaving ? t + 1 : t));
  return finishIncremental(next, { prices, focus: [] }, opts);
}

/** A new rep starts at `home`; a territory is carved from the neighbours with minimal disruption. */
export function newRep(
  problem: TerritoryProblem,
  plan: Pick<BalanceResult, "assignment" | "centers" | "prices">,
  home: { x: number; y: number; id?: string },
  opts: Partial<SolveOptions> & { moveCost?: number; capacity?: (number | null)[] } = {},
): ChangeOutcome {
  if (problem.centers !== "fixed") throw new Error("newRep: needs fixed centres (reps' home bases)");
  const k = problem.territories;
  const moveCost = opts.moveCost ?? defaultMoveCost(problem, plan.assignment, plan.centers);
  const next: TerritoryProblem = {
    ...problem,
    name: `${problem.name ?? "problem"}-new-rep`,
    territories: k + 1,
    fixedCenters: [...problem.fixedCenters!, home],
    capacities:
      problem.capacities || opts.capacity
        ? [
            ...(problem.capacities ?? Array.from({ length: k }, () => problem.measures.map(() => null))),
            opts.capacity ?? problem.measures.map(() => null),
          ]
        : undefined,
    current: plan.assignment.slice(),
    moveCost,
    reference: null,
  };
  // a full re-solve: carving a territory reshapes all its neighbours, and the incremental re-solve
  // (solveIncremental, focus on the new territory) gave plans up to 3 % costlier on the synthetic bases
  return outcome(next, solve(next, { ...opts, warmPrices: null }));
}

/** Capacities (per territory, per measure; null = none) change; re-solve with minimal disruption. */
export function capacityChange(
  problem: TerritoryProblem,
  plan: Pick<BalanceResult, "assignment" | "centers" | "prices">,
  capacities: (number | null)[][],
  opts: Partial<SolveOptions> & { moveCost?: number } = {},
): ChangeOutcome {
  const moveCost = opts.moveCost ?? defaultMoveCost(problem, plan.assignment, plan.centers);
  const next: TerritoryProblem = {
    ...problem,
    name: `${problem.name ?? "problem"}-capacity-change`,
    capacities,
    current: plan.assignment.slice(),
    moveCost,
    reference: null,
  };
  // territories whose capacity row changed: their surroundings are re-optimised in full
  const focus: number[] = [];
  const before = problem.capacities;
  const k = problem.territories;
  const row = (r: (number | null)[] | undefined) => (Array.isArray(r) ? r.map((v) => v ?? null) : []);
  const none = (r: (number | null)[]) => r.every((v) => v === null);
  for (let t = 0; t < k; t++) {
    const a = row(Array.isArray(capacities) ? capacities[t] : undefined);
    const b = row(before?.[t]);
    if (!(none(a) && none(b)) && JSON.stringify(a) !== JSON.stringify(b)) focus.push(t);
  }
  const prices = remapPrices(plan.prices, k, k, problem.measures.length, (t) => t);
  return finishIncremental(next, { prices, focus }, opts);
}
