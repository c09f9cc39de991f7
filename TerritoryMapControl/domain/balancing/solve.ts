/**
 * Balancing engine entry point.
 *
 * Objective: minimise Σ distance(account, its territory centre) + moveCost × (accounts moved from
 * `current`), subject to balance bands, capacities, locks and optional contiguity. Dispatches to the
 * fixed-centre Lagrangian solver (home bases) or the centres-among-points location–allocation solver,
 * runs infeasibility diagnostics first and always returns the best plan found, with a plain report
 * when some constraint is not met.
 */
import { distanceMatrix } from "./distance";
import { diagnose } from "./diagnostics";
import { solveFixed } from "./fixed";
import { compileProblem, type Model } from "./model";
import { solvePoints } from "./points";
import { buildResult, componentsPerTerritory, evaluatePlan, nowMs } from "./result";
import { Rng } from "./rng";
import { DEFAULT_OPTIONS, type BalanceResult, type SolveOptions, type TerritoryProblem } from "./types";

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
  opts.onProgress?.({ phase: "start", fraction: 0 });
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
    // Keeping today's owners (move cost > 0): a location–allocation started from today's territories first (see
    // warmCenters); the multi-start search, seeded at random, then has to beat it.
    let warm: { assign: Int32Array; centers: Int32Array } | null = null;
    if (!first && warmCenters(model)) {
      const w = solveLargePoints(model, opts, start + 0.3 * (deadline - start), rng);
      if (!w.cancelled && (!model.contiguous || componentsPerTerritory(model, w.assign).every((c) => c === 1))) warm = w;
    }
    const out = solvePoints(model, opts, deadline, rng, D, opts.maxRestarts ?? 1_000_000);
    let best: { assign: Int32Array; centers: Int32Array } = out;
    for (const other of [first, warm]) {
      if (!other) continue;
      const a = evaluatePlan(model, other.assign, other.centers);
      const b = evaluatePlan(model, best.assign, best.centers);
      if (
        a.violations.length === 0 &&
        (b.violations.length > 0 || a.distanceCost + model.moveCost * a.moved < b.distanceCost + model.moveCost * b.moved)
      )
        best = other;
    }
    result = buildResult(model, best.assign, best.centers, null, start, diagnostics, out.cancelled);
  } else {
    const out = solveLargePoints(model, opts, deadline, rng);
    result = buildResult(model, out.assign, out.centers, null, start, diagnostics, out.cancelled);
  }
  if (!result.feasible && result.infeasibility.length === 0) {
    result.infeasibility.push({ code: "not-met", message: "No plan meeting every constraint was found within the time limit" });
  }
  opts.onProgress?.({ phase: "done", fraction: 1, bestObjective: result.objective, lowerBound: result.lowerBound });
  return result;
}

/**
 * Large n with centres among the points: location–allocation with the fixed-centre solver as the
 * allocation step and, as the location step, the member point nearest to the territory's mean
 * (a few alternations; no proven bound).
 */
function solveLargePoints(
  model: Model,
  opts: SolveOptions,
  deadline: number,
  rng: Rng,
): { assign: Int32Array; centers: Int32Array; cancelled: boolean } {
  const { n, k, x, y } = model;
  // Seeding: recursive median bisection into k groups of equal total weight (first measure), each centre the
  // member nearest its group's mean. Balanced starting centres sit inside the dense areas; distance-weighted
  // seeding (k-means++) favours remote accounts (islands, mis-geocoded points), whose territories cannot be
  // filled by the candidate-limited allocation and leave the plan far outside the bands.
  void rng;
  const centers = new Int32Array(k);
  const M = model.M;
  const weight = (i: number) => (M > 0 ? model.w[i * M] : 1);
  const geo = model.kind === "haversine-km";
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
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity,
      sy = 0;
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
  split(
    Int32Array.from({ length: n }, (_, i) => i),
    k,
  );
  const warm = warmCenters(model);
  // the median splits' centres, for when today's territories turn out to be a bad start (below)
  const splitCenters = centers.slice();
  if (warm) {
    // Today's territories as the starting centres, so that territory t stays today's territory t (the move cost
    // and `current` then refer to the same territories); a territory whose accounts are all locked elsewhere takes the
    // seeding's centres farthest from the ones already chosen.
    const chosen = new Set<number>();
    for (let t = 0; t < k; t++) if (warm[t] >= 0) chosen.add(warm[t]);
    const pool = Array.from(centers).filter((c) => !chosen.has(c));
    for (let t = 0; t < k; t++) {
      if (warm[t] >= 0) continue;
      let bestQ = -1;
      let bestD = -1;
      pool.forEach((c, q) => {
        if (chosen.has(c)) return;
        let d = Infinity;
        for (const o of chosen) d = Math.min(d, model.dist(x[c], y[c], x[o], y[o]));
        if (d > bestD) {
          bestD = d;
          bestQ = q;
        }
      });
      warm[t] = bestQ >= 0 ? pool[bestQ] : (pool[0] ?? 0);
      chosen.add(warm[t]);
    }
    centers.set(warm);
  }
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
    // the warm round gets at most 40 % of what is left, so that the median splits still have time if it fails
    const roundDeadline = warm && round === 0 ? roundStart + 0.4 * (deadline - roundStart) : deadline;
    const out = solveFixed(fixedModel, { ...opts, dualIterations: Math.round(opts.dualIterations / 2) }, roundDeadline, rng);
    assign = out.assign;
    cancelled = out.cancelled;
    const solved = centers.slice();
    for (let t = 0; t < k; t++) assign[solved[t]] = t;
    const ev = evaluatePlan(model, assign, solved);
    const cost = ev.distanceCost + model.moveCost * ev.moved;
    const violations = ev.violations.length;
    if (!bestPlan || violations < bestPlan.violations || (violations === bestPlan.violations && cost < bestPlan.cost))
      bestPlan = { assign, centers: solved, violations, cost };
    lastRoundMs = nowMs() - roundStart;
    if (cancelled || nowMs() > deadline) break;
    if (warm && round === 0 && violations > 0) {
      // today's territories cannot be balanced from where they are (e.g. fewer of them than k, or far from
      // balanced): the next rounds start from the median splits instead; the relabelling by overlap
      // (domain/design/balanceInput.ts) still keeps today's names where territories match
      centers.set(splitCenters);
      continue;
    }
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

/**
 * Warm start for centres among the points when today's owners count (move cost > 0 and some `current`): the
 * centre of each of today's territories is its member nearest its weighted mean (first measure), a member not
 * locked to another territory. -1 for territories without accounts today; null when there is nothing to keep.
 */
function warmCenters(model: Model): Int32Array | null {
  const { n, k, x, y, current, lock } = model;
  if (!current || !(model.moveCost > 0)) return null;
  const M = model.M;
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  let any = false;
  for (let i = 0; i < n; i++) {
    const t = current[i];
    if (t < 0 || t >= k) continue;
    const wi = (M > 0 ? model.w[i * M] : 1) || 1e-9;
    sx[t] += wi * x[i];
    sy[t] += wi * y[i];
    sw[t] += wi;
    any = true;
  }
  if (!any) return null;
  // only a re-balance of the same territories, and only when they are near their bands today (within half a
  // band width outside): with territories that have no accounts today (k larger than today's count), or far
  // from balanced, today's centres are a worse start than the median splits and far slower to balance
  // (100k sample-org accounts, 40 unbalanced territories: 125 % deviation after 10 s, against 4.98 %)
  for (let t = 0; t < k; t++) if (!(sw[t] > 0)) return null;
  const tot = new Float64Array(k * M);
  for (let i = 0; i < n; i++) {
    const t = current[i];
    if (t < 0 || t >= k) continue;
    for (let m = 0; m < M; m++) tot[t * M + m] += model.w[i * M + m];
  }
  for (let r = 0; r < k * M; r++) {
    const lo = model.lb[r];
    const hi = model.ub[r];
    const half = Number.isFinite(lo) && Number.isFinite(hi) ? (hi - lo) / 2 : 0;
    if ((Number.isFinite(lo) && tot[r] < lo - half) || (Number.isFinite(hi) && tot[r] > hi + half)) return null;
  }
  const centers = new Int32Array(k).fill(-1);
  const best = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const t = current[i];
    if (t < 0 || t >= k || (lock[i] >= 0 && lock[i] !== t)) continue;
    const d = model.dist(x[i], y[i], sx[t] / sw[t], sy[t] / sw[t]);
    if (d < best[t]) {
      best[t] = d;
      centers[t] = i;
    }
  }
  return centers;
}
