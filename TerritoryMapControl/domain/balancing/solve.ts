/**
 * Balancing engine entry point.
 *
 * Objective: minimise Σ distance(account, its territory centre) + moveCost × (accounts moved from
 * `current`), subject to balance bands, capacities, locks and optional contiguity. Dispatches to the
 * fixed-centre Lagrangian solver (home bases) or the centres-among-points location–allocation solver,
 * runs infeasibility diagnostics first and always returns the best plan found, with a plain report
 * when some constraint is not met.
 */
import { distanceMatrix } from './distance';
import { diagnose } from './diagnostics';
import { solveFixed } from './fixed';
import { compileProblem, type Model } from './model';
import { solvePoints } from './points';
import { buildResult, componentsPerTerritory, evaluatePlan, nowMs } from './result';
import { Rng } from './rng';
import { DEFAULT_OPTIONS, type BalanceResult, type SolveOptions, type TerritoryProblem } from './types';

/** Automatic time budget (ms) when `timeLimitMs` is null. */
export function autoTimeLimitMs(model: Model): number {
  if (model.fixed) return 20_000;
  return Math.min(8000, 600 + 12 * model.n);
}

export function solve(problem: TerritoryProblem, options: Partial<SolveOptions> = {}): BalanceResult {
  const start = nowMs();
  const opts: SolveOptions = { ...DEFAULT_OPTIONS, ...options };
  const model = compileProblem(problem);
  const diagnostics = diagnose(model);
  const limit = opts.timeLimitMs ?? autoTimeLimitMs(model);
  const deadline = start + limit;
  const rng = new Rng(opts.seed);
  opts.onProgress?.({ phase: 'start', fraction: 0 });
  let result: BalanceResult;
  if (model.fixed) {
    const out = solveFixed(model, opts, deadline, rng);
    result = buildResult(model, out.assign, null, out.lowerBound, start, diagnostics, out.cancelled, out.prices);
  } else if (model.n <= opts.denseLimit) {
    const D = distanceMatrix(model.kind, model.x, model.y);
    let first: { assign: Int32Array; centers: Int32Array } | null = null;
    if (model.contiguous && model.adj) {
      // the unconstrained optimum is often already connected, and then optimal with contiguity too:
      // spend 40 % of the budget without contiguity and keep that plan if it happens to be connected.
      const relaxed: Model = { ...model, contiguous: false };
      const free = solvePoints(relaxed, opts, start + 0.4 * (deadline - start), rng, D, opts.maxRestarts ?? 1_000_000);
      const comp = componentsPerTerritory(model, free.assign);
      if (free.feasible && comp.every((c) => c === 1)) first = free;
    }
    const out = solvePoints(model, opts, deadline, rng, D, opts.maxRestarts ?? 1_000_000);
    let best: { assign: Int32Array; centers: Int32Array } = out;
    if (first) {
      const a = evaluatePlan(model, first.assign, first.centers);
      const b = evaluatePlan(model, out.assign, out.centers);
      if (a.violations.length === 0 && (b.violations.length > 0 || a.distanceCost + model.moveCost * a.moved < b.distanceCost + model.moveCost * b.moved)) best = first;
    }
    result = buildResult(model, best.assign, best.centers, null, start, diagnostics, out.cancelled);
  } else {
    const out = solveLargePoints(model, opts, deadline, rng);
    result = buildResult(model, out.assign, out.centers, null, start, diagnostics, out.cancelled);
  }
  if (!result.feasible && result.infeasibility.length === 0) {
    result.infeasibility.push({ code: 'not-met', message: 'No plan meeting every constraint was found within the time limit' });
  }
  opts.onProgress?.({ phase: 'done', fraction: 1, bestObjective: result.objective, lowerBound: result.lowerBound });
  return result;
}

/**
 * Large n with centres among the points: location–allocation with the fixed-centre solver as the
 * allocation step and, as the location step, the member point nearest to the territory's mean
 * (a few alternations; no proven bound).
 */
function solveLargePoints(model: Model, opts: SolveOptions, deadline: number, rng: Rng): { assign: Int32Array; centers: Int32Array; cancelled: boolean } {
  const { n, k, x, y } = model;
  // Seeding: recursive median bisection into k groups of equal total weight (first measure), each centre the
  // member nearest its group's mean. Balanced starting centres sit inside the dense areas; distance-weighted
  // seeding (k-means++) favours remote accounts (islands, mis-geocoded points), whose territories cannot be
  // filled by the candidate-limited allocation and leave the plan far outside the bands.
  void rng;
  const centers = new Int32Array(k);
  const M = model.M;
  const weight = (i: number) => (M > 0 ? model.w[i * M] : 1);
  const geo = model.kind === 'haversine-km';
  let next = 0;
  const split = (idx: Int32Array, kk: number): void => {
    if (kk === 1 || idx.length <= 1) {
      let mx = 0;
      let my = 0;
      for (const i of idx) {
        mx += x[i];
        my += y[i];
      }
      mx /= Math.max(1, idx.length);
      my /= Math.max(1, idx.length);
      let bestI = idx.length > 0 ? idx[0] : 0;
      let bestD = Infinity;
      for (const i of idx) {
        const d = model.dist(x[i], y[i], mx, my);
        if (d < bestD) {
          bestD = d;
          bestI = i;
        }
      }
      for (let r = 0; r < kk; r++) centers[next++] = bestI;
      return;
    }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, sy = 0;
    for (const i of idx) {
      if (x[i] < x0) x0 = x[i];
      if (x[i] > x1) x1 = x[i];
      if (y[i] < y0) y0 = y[i];
      if (y[i] > y1) y1 = y[i];
      sy += y[i];
    }
    const scale = geo ? Math.cos(((sy / idx.length) * Math.PI) / 180) : 1;
    const byX = (x1 - x0) * scale >= y1 - y0;
    const key = byX ? x : y;
    const sorted = Array.from(idx).sort((p, q) => key[p] - key[q]);
    const k1 = Math.floor(kk / 2);
    let total = 0;
    for (const i of sorted) total += weight(i);
    const target = (total * k1) / kk;
    let acc = 0;
    let cut = 0;
    while (cut < sorted.length - 1 && acc + weight(sorted[cut]) <= target) acc += weight(sorted[cut++]);
    cut = Math.max(1, Math.min(sorted.length - 1, cut));
    split(Int32Array.from(sorted.slice(0, cut)), k1);
    split(Int32Array.from(sorted.slice(cut)), kk - k1);
  };
  split(Int32Array.from({ length: n }, (_, i) => i), k);
  let assign: Int32Array = new Int32Array(n);
  let cancelled = false;
  // The best plan over the rounds, with the centres it was allocated to: a later round may be cut short by
  // the deadline (unrepaired) or be worse, and must not replace a better plan.
  let bestPlan: { assign: Int32Array; centers: Int32Array; violations: number; cost: number } | null = null;
  let lastRoundMs = 0;
  for (let round = 0; round < 6; round++) {
    const roundStart = nowMs();
    // a round that cannot finish before the deadline would only return an unrepaired plan
    if (bestPlan && roundStart + lastRoundMs > deadline) break;
    const fixedModel: Model = { ...model, fixed: true, cx: new Float64Array(k), cy: new Float64Array(k), lock: model.lock.slice() };
    for (let t = 0; t < k; t++) {
      fixedModel.cx[t] = x[centers[t]];
      fixedModel.cy[t] = y[centers[t]];
      fixedModel.lock[centers[t]] = t;
    }
    const out = solveFixed(fixedModel, { ...opts, dualIterations: Math.round(opts.dualIterations / 2) }, deadline, rng);
    assign = out.assign;
    cancelled = out.cancelled;
    const solved = centers.slice();
    for (let t = 0; t < k; t++) assign[solved[t]] = t;
    const ev = evaluatePlan(model, assign, solved);
    const cost = ev.distanceCost + model.moveCost * ev.moved;
    const violations = ev.violations.length;
    if (!bestPlan || violations < bestPlan.violations || (violations === bestPlan.violations && cost < bestPlan.cost)) bestPlan = { assign, centers: solved, violations, cost };
    lastRoundMs = nowMs() - roundStart;
    if (cancelled || nowMs() > deadline) break;
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      sx[assign[i]] += x[i];
      sy[assign[i]] += y[i];
      cnt[assign[i]]++;
    }
    const best = new Float64Array(k).fill(Infinity);
    let changed = false;
    const next = centers.slice();
    for (let i = 0; i < n; i++) {
      const t = assign[i];
      const d = model.dist(x[i], y[i], sx[t] / cnt[t], sy[t] / cnt[t]);
      if (d < best[t]) {
        best[t] = d;
        next[t] = i;
      }
    }
    for (let t = 0; t < k; t++) if (next[t] !== centers[t]) changed = true;
    centers.set(next);
    if (!changed) break;
  }
  if (!bestPlan) {
    for (let t = 0; t < k; t++) assign[centers[t]] = t;
    return { assign, centers, cancelled };
  }
  return { assign: bestPlan.assign, centers: bestPlan.centers, cancelled };
}
