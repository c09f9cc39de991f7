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
  // k-means++ style seeding on a sample
  const centers = new Int32Array(k);
  const dmin = new Float64Array(n).fill(Infinity);
  centers[0] = rng.int(n);
  for (let t = 1; t < k; t++) {
    const p = centers[t - 1];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = model.dist(x[i], y[i], x[p], y[p]);
      if (d < dmin[i]) dmin[i] = d;
      sum += dmin[i] * dmin[i];
    }
    let u = rng.next() * sum;
    let q = 0;
    for (; q < n - 1; q++) {
      u -= dmin[q] * dmin[q];
      if (u <= 0) break;
    }
    centers[t] = q;
  }
  let assign: Int32Array = new Int32Array(n);
  let cancelled = false;
  for (let round = 0; round < 6; round++) {
    const fixedModel: Model = { ...model, fixed: true, cx: new Float64Array(k), cy: new Float64Array(k), lock: model.lock.slice() };
    for (let t = 0; t < k; t++) {
      fixedModel.cx[t] = x[centers[t]];
      fixedModel.cy[t] = y[centers[t]];
      fixedModel.lock[centers[t]] = t;
    }
    const out = solveFixed(fixedModel, { ...opts, dualIterations: Math.round(opts.dualIterations / 2) }, deadline, rng);
    assign = out.assign;
    cancelled = out.cancelled;
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
  for (let t = 0; t < k; t++) assign[centers[t]] = t;
  return { assign, centers, cancelled };
}
