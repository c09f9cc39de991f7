/**
 * Fixed-centre balanced assignment (reps' home bases).
 *
 * Objective: minimise Σ distance(account, its territory's home base) + moveCost × [territory ≠ current],
 * subject to per-territory, per-measure bands lb ≤ total ≤ ub (balance tolerance, min/max, capacities)
 * and locks.
 *
 * Method: Lagrangian relaxation of the band rows. One price per (territory, measure); the dual
 *   L(p) = Σ_i min_t (c_it + Σ_m p_tm w_im) − Σ_tm (p⁺_tm ub_tm − p⁻_tm lb_tm)
 * is a proven lower bound for any p. We maximise an entropy-smoothed version (soft-min with annealed
 * temperature) with Adam, first on random subsamples, then on all accounts, each account restricted to
 * its nearest `candidates` centres. The hard argmin at the final prices nearly decides the plan; violations
 * are repaired greedily (cheapest cost per unit of violation removed) and the plan is improved with
 * feasible single moves and pair swaps. The reported bound is L(p) evaluated over ALL centres.
 *
 * Modules: candidates.ts (candidate territories), spatial.ts (memory order of large problems), prices.ts
 * (smoothed dual search), polish.ts (coordinate ascent on the hard dual), bound.ts (the proven bound),
 * repair.ts (greedy band repair and improvement), chains.ts (ejection chains), swaps.ts (pair swaps),
 * bands.ts (bands widened by their slack). This file is the entry: solveFixed and repairPlan.
 */
import type { Model } from "../model";
import type { Rng } from "../rng";
import type { SolveOptions } from "../types";
import { dualBound } from "./bound";
import { buildCandidates } from "./candidates";
import { coordinatePolish } from "./polish";
import { searchPrices } from "./prices";
import { repairAndImprove } from "./repair";
import { permuteModel, spatialOrder } from "./spatial";

export interface FixedOutcome {
  assign: Int32Array;
  lowerBound: number | null;
  prices: Float64Array;
  cancelled: boolean;
}

/**
 * `mode`: 'full' = prices, repaired plan and dual bound; 'no-bound' skips the bound (the caller computes
 * its own; lowerBound is then null); 'prices' stops after the price search (the plan is the unrepaired
 * argmin at the final prices). `pairRounds` caps the pair-swap repair (each round scans every account).
 */
export function solveFixed(
  model: Model,
  opts: SolveOptions,
  deadline: number,
  rng: Rng,
  mode: "full" | "no-bound" | "prices" = "full",
  pairRounds = 400,
): FixedOutcome {
  // one object shape for every caller (full solve, sub-problems): the hot loops then keep their
  // optimised code from one call to the next
  opts = {
    seed: opts.seed,
    timeLimitMs: opts.timeLimitMs,
    candidates: opts.candidates,
    dualIterations: opts.dualIterations,
    polishSweeps: opts.polishSweeps,
    maxRestarts: opts.maxRestarts,
    denseLimit: opts.denseLimit,
    onProgress: opts.onProgress,
    isCancelled: opts.isCancelled,
    warmPrices: opts.warmPrices ?? null,
  };
  if (model.n < 20000) return solveFixedInner(model, opts, deadline, rng, mode, pairRounds);
  const perm = spatialOrder(model);
  const out = solveFixedInner(permuteModel(model, perm), opts, deadline, rng, mode, pairRounds);
  const assign = new Int32Array(model.n);
  for (let q = 0; q < model.n; q++) assign[perm[q]] = out.assign[q];
  return { ...out, assign };
}

/**
 * Repairs and improves a given plan (`assign`, changed in place) without any price search: greedy band
 * repair, pair swaps, ejection chains, then feasible improving moves and swaps. Used on a plan that is
 * already close to its bands (e.g. a full re-solve's plan left with small band excesses).
 */
export function repairPlan(model: Model, assign: Int32Array, opts: SolveOptions, deadline: number, rng: Rng, pairRounds = 30): void {
  if (model.n >= 20000) {
    const perm = spatialOrder(model);
    const sub = permuteModel(model, perm);
    const a = new Int32Array(model.n);
    for (let q = 0; q < model.n; q++) a[q] = assign[perm[q]];
    repairAndImprove(sub, buildCandidates(sub, opts.candidates), a, deadline, rng, pairRounds);
    for (let q = 0; q < model.n; q++) assign[perm[q]] = a[q];
    return;
  }
  repairAndImprove(model, buildCandidates(model, opts.candidates), assign, deadline, rng, pairRounds);
}

function solveFixedInner(
  model: Model,
  opts: SolveOptions,
  deadline: number,
  rng: Rng,
  mode: "full" | "no-bound" | "prices",
  pairRounds: number,
): FixedOutcome {
  const { n, k, M } = model;
  const cand = buildCandidates(model, opts.candidates);
  const { L, cnt, t: ct } = cand;
  const { D0, avgW, rows, ubN, lbN, wn, cn, p, warmIn, cancelled } = searchPrices(model, cand, opts, deadline, rng);
  if (rows.length > 0 && !cancelled) {
    coordinatePolish(cand, cn, wn, p, rows, ubN, lbN, M, k, n, opts.polishSweeps + (warmIn ? 1 : 0), deadline);
  }
  opts.onProgress?.({ phase: "assign", fraction: 0.6 });
  // primal: hard argmin at final prices
  const assign = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * L;
    let best = Infinity;
    let bt = ct[base];
    for (let j = 0; j < cnt[i]; j++) {
      const t = ct[base + j];
      let v = cn[base + j];
      for (let m = 0; m < M; m++) v += p[t * M + m] * wn[i * M + m];
      if (v < best) {
        best = v;
        bt = t;
      }
    }
    assign[i] = bt;
  }
  const toOriginal = () => {
    const prices = new Float64Array(k * M);
    for (let r = 0; r < k * M; r++) prices[r] = (p[r] * D0) / avgW[r % M];
    return prices;
  };
  if (mode === "prices") return { assign, lowerBound: null, prices: toOriginal(), cancelled };
  repairAndImprove(model, cand, assign, deadline, rng, pairRounds);
  opts.onProgress?.({ phase: "bound", fraction: 0.9 });
  const lowerBound = mode === "full" && (rows.length === 0 || !cancelled) ? dualBound(model, cand, p, D0, avgW) : null;
  return { assign, lowerBound, prices: toOriginal(), cancelled };
}
