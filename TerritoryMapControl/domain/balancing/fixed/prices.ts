/**
 * The price search of the fixed-centre solve: one Lagrangian price per band row (territory, measure), found by
 * maximising an entropy-smoothed dual (soft-min with an annealed temperature) with Adam, first on random
 * subsamples of the accounts, then on all of them, each account restricted to its candidate territories.
 * Works in normalised units (distances / D0, weights / the mean weight per account).
 * Guarantees: prices stay on the sign their row allows (no positive price without an upper band, no negative
 * one without a lower band); the random subsamples are the only use of `rng`; stops at the deadline or when
 * the caller cancels, with the prices reached so far.
 */
import type { Model } from "../model";
import type { Rng } from "../rng";
import { nowMs } from "../result";
import type { SolveOptions } from "../types";
import type { Cand } from "./candidates";

/** The prices and the normalised problem they belong to. */
export interface PriceSearch {
  /** Mean cost of an account's nearest candidate: the distance unit of the normalised problem. */
  D0: number;
  /** Mean weight per account, per measure: the weight unit of the normalised problem. */
  avgW: Float64Array;
  /** Band rows with at least one finite bound. */
  rows: number[];
  /** Normalised upper / lower bands (k × M). */
  ubN: Float64Array;
  lbN: Float64Array;
  /** Normalised weights (n × M) and candidate costs (n × L). */
  wn: Float64Array;
  cn: Float64Array;
  /** Prices (k × M), normalised units. */
  p: Float64Array;
  /** The warm prices used as the start, or null for a cold search. */
  warmIn: Float64Array | number[] | null;
  cancelled: boolean;
}

/** Sum of the learning rates of a geometric schedule of `steps` steps from lr0 to lr1: how far it can move a price. */
function scheduleReach(steps: number, lr0: number, lr1: number): number {
  let sum = 0;
  for (let it = 0; it < steps; it++) sum += lr0 * Math.pow(lr1 / lr0, steps > 1 ? it / (steps - 1) : 1);
  return sum || 1;
}

export function searchPrices(model: Model, cand: Cand, opts: SolveOptions, deadline: number, rng: Rng): PriceSearch {
  const { n, k, M, w, lb, ub } = model;
  const cancelledFn = opts.isCancelled ?? (() => false);
  const { L, cnt, t: ct, c: cc } = cand;
  // scales
  let D0 = 0;
  for (let i = 0; i < n; i++) D0 += cc[i * L];
  D0 = D0 / n || 1;
  const avgW = new Float64Array(M);
  for (let m = 0; m < M; m++) avgW[m] = model.total[m] / n || 1;
  // active rows
  const rows: number[] = [];
  for (let r = 0; r < k * M; r++) if (lb[r] > -Infinity || ub[r] < Infinity) rows.push(r);
  const ubN = new Float64Array(k * M);
  const lbN = new Float64Array(k * M);
  for (let r = 0; r < k * M; r++) {
    const m = r % M;
    ubN[r] = ub[r] / avgW[m];
    lbN[r] = lb[r] / avgW[m];
  }
  const wn = new Float64Array(n * M);
  for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) wn[i * M + m] = w[i * M + m] / avgW[m];
  const cn = new Float64Array(cc.length);
  for (let q = 0; q < cc.length; q++) cn[q] = cc[q] / D0;

  const p = new Float64Array(k * M);
  // warm prices come in original units (distance per unit of weight); the ascent works in normalised units
  const warmIn = opts.warmPrices && opts.warmPrices.length === k * M ? opts.warmPrices : null;
  if (warmIn) for (let r = 0; r < k * M; r++) p[r] = Number.isFinite(warmIn[r]) ? (warmIn[r] * avgW[r % M]) / D0 : 0;
  const projectPrice = (r: number) => {
    if (p[r] > 0 && ub[r] === Infinity) p[r] = 0;
    if (p[r] < 0 && lb[r] === -Infinity) p[r] = 0;
  };
  for (let r = 0; r < k * M; r++) projectPrice(r);
  let cancelled = false;

  if (rows.length > 0) {
    const mA = new Float64Array(k * M);
    const vA = new Float64Array(k * M);
    let step = 0;
    const E = new Float64Array(k * M);
    const s = new Float64Array(L);
    // With a move cost the prices that balance the plan are of the order of the move cost (an account leaves
    // its current territory only when the price difference pays for the move: moveCost / D0 in the normalised
    // units used here), but a schedule can move a price by at most the sum of its learning rates (Adam's steps
    // are about lr each): 3.0 for 60 steps from 0.1 down to 0.02. The steps of the first schedule that runs
    // are stretched so that the search can travel that far, and the later schedules keep the stretch.
    const needed = model.current && model.moveCost > 0 ? model.moveCost / D0 : 0;
    let lrScale = 0;
    const stretch = (steps: number, lr0: number, lr1: number) => {
      if (lrScale === 0) lrScale = Math.max(1, needed / scheduleReach(steps, lr0, lr1));
    };
    const runDual = (sample: Int32Array, iters: number, lr0: number, lr1: number, tau0: number, tau1: number, frac: Float64Array) => {
      const b1 = 0.9,
        b2 = 0.999;
      for (let it = 0; it < iters; it++) {
        if (cancelledFn()) {
          cancelled = true;
          return;
        }
        if (nowMs() > deadline) return;
        const f = iters > 1 ? it / (iters - 1) : 1;
        const tau = tau0 * Math.pow(tau1 / tau0, f);
        const lr = lrScale * lr0 * Math.pow(lr1 / lr0, f);
        E.fill(0);
        const cut = 25 * tau;
        for (let q = 0; q < sample.length; q++) {
          const i = sample[q];
          const base = i * L;
          const c = cnt[i];
          let smin = Infinity;
          if (M === 2) {
            // the common two-measure case, unrolled (same operations in the same order)
            const w0 = wn[2 * i];
            const w1 = wn[2 * i + 1];
            for (let j = 0; j < c; j++) {
              const t2 = 2 * ct[base + j];
              let v = cn[base + j];
              v += p[t2] * w0;
              v += p[t2 + 1] * w1;
              s[j] = v;
              if (v < smin) smin = v;
            }
          } else {
            for (let j = 0; j < c; j++) {
              const t = ct[base + j];
              let v = cn[base + j];
              for (let m = 0; m < M; m++) v += p[t * M + m] * wn[i * M + m];
              s[j] = v;
              if (v < smin) smin = v;
            }
          }
          let z = 0;
          for (let j = 0; j < c; j++) {
            const d = s[j] - smin;
            const e = d > cut ? 0 : Math.exp(-d / tau);
            s[j] = e;
            z += e;
          }
          if (M === 2) {
            const w0 = wn[2 * i];
            const w1 = wn[2 * i + 1];
            for (let j = 0; j < c; j++) {
              if (s[j] === 0) continue;
              const pr = s[j] / z;
              const t2 = 2 * ct[base + j];
              E[t2] += pr * w0;
              E[t2 + 1] += pr * w1;
            }
          } else {
            for (let j = 0; j < c; j++) {
              if (s[j] === 0) continue;
              const pr = s[j] / z;
              const t = ct[base + j];
              for (let m = 0; m < M; m++) E[t * M + m] += pr * wn[i * M + m];
            }
          }
        }
        step++;
        for (const r of rows) {
          const m = r % M;
          const u = ubN[r] * frac[m];
          const l = lbN[r] * frac[m];
          let g: number;
          if (p[r] > 0) g = E[r] - u;
          else if (p[r] < 0) g = E[r] - l;
          else g = E[r] > u ? E[r] - u : E[r] < l ? E[r] - l : 0;
          const scale = frac[m] * (model.total[m] / avgW[m] / k); // accounts per territory
          g /= scale;
          mA[r] = b1 * mA[r] + (1 - b1) * g;
          vA[r] = b2 * vA[r] + (1 - b2) * g * g;
          const mh = mA[r] / (1 - Math.pow(b1, step));
          const vh = vA[r] / (1 - Math.pow(b2, step));
          const old = p[r];
          p[r] += (lr * mh) / (Math.sqrt(vh) + 1e-8);
          if ((old > 0 && p[r] < 0) || (old < 0 && p[r] > 0)) p[r] = 0;
          projectPrice(r);
        }
      }
    };
    const iters = opts.dualIterations;
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    const sampleOf = (size: number): [Int32Array, Float64Array] => {
      if (size >= n) return [all, new Float64Array(M).fill(1)];
      const perm = all.slice();
      for (let i = 0; i < size; i++) {
        const j = i + rng.int(n - i);
        const tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
      const smp = perm.slice(0, size);
      const frac = new Float64Array(M);
      for (const i of smp) for (let m = 0; m < M; m++) frac[m] += wn[i * M + m];
      for (let m = 0; m < M; m++) frac[m] /= model.total[m] / avgW[m] || 1;
      return [smp, frac];
    };
    const warm = !!warmIn;
    const t0 = warm ? 0.02 : 0.3;
    const perT = n / k;
    // Stage sizes: enough accounts per territory for the sample to be representative
    const s1 = Math.min(n, Math.max(2000, Math.round(120 * k)));
    const s2 = Math.min(n, Math.max(8000, Math.round(300 * k)));
    if (!warm && s1 < n && perT > 100) {
      const [a, f] = sampleOf(s1);
      stretch(Math.round(iters * 0.5), 0.1, 0.02);
      runDual(a, Math.round(iters * 0.5), 0.1, 0.02, t0, 0.03, f);
    }
    opts.onProgress?.({ phase: "prices", fraction: 0.2 });
    if (!cancelled && s2 < n && perT > 100 && !warm) {
      const [a, f] = sampleOf(s2);
      stretch(Math.round(iters * 0.4), 0.02, 0.003);
      runDual(a, Math.round(iters * (warm ? 0.15 : 0.4)), warm ? 0.01 : 0.02, 0.003, perT > 100 && !warm ? 0.03 : t0, 0.01, f);
    }
    opts.onProgress?.({ phase: "prices", fraction: 0.4 });
    if (!cancelled && !(warm && perT > 100)) {
      const full = perT > 100 ? Math.round(iters * 0.06) : iters;
      const [a, f] = sampleOf(n);
      if (perT > 100) {
        stretch(full, 0.003, 0.0005);
        runDual(a, full, 0.003, 0.0005, 0.008, 0.002, f);
      } else {
        stretch(full, 0.1, 0.001);
        runDual(a, full, 0.1, 0.001, t0, 0.002, f);
      }
    }
  }
  return { D0, avgW, rows, ubN, lbN, wn, cn, p, warmIn, cancelled };
}
