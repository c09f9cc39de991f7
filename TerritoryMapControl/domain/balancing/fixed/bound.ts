/**
 * The dual bound of the fixed-centre solve: the hard Lagrangian dual at the final prices, in original units.
 * Guarantees: a proven lower bound on the objective of every plan meeting the bands and locks, for any prices
 * (exact over each account's candidate territories, bounded below by the candidates' cutoff elsewhere).
 */
import type { Model } from "../model";
import type { Cand } from "./candidates";

/**
 * Hard Lagrangian dual value (a proven lower bound), original units. Exact over the candidate centres;
 * every other centre costs at least `cutoff` (the L-th smallest cost) plus the smallest price term.
 */
export function dualBound(model: Model, cand: Cand, p: Float64Array, D0: number, avgW: Float64Array): number {
  const { n, k, M, w, lb, ub } = model;
  const { L, cnt, t: ct, c: cc, cutoff } = cand;
  const pr = new Float64Array(k * M);
  for (let r = 0; r < k * M; r++) pr[r] = (p[r] * D0) / avgW[r % M];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    const base = i * L;
    for (let j = 0; j < cnt[i]; j++) {
      const t = ct[base + j];
      let v = cc[base + j];
      for (let m = 0; m < M; m++) v += pr[t * M + m] * w[i * M + m];
      if (v < best) best = v;
    }
    if (cutoff[i] < Infinity) {
      let minP = Infinity;
      for (let t = 0; t < k; t++) {
        let v = 0;
        for (let m = 0; m < M; m++) v += pr[t * M + m] * w[i * M + m];
        if (v < minP) minP = v;
      }
      best = Math.min(best, cutoff[i] + minP);
    }
    sum += best;
  }
  for (let r = 0; r < k * M; r++) {
    if (pr[r] > 0) sum -= pr[r] * ub[r];
    else if (pr[r] < 0) sum -= pr[r] * lb[r];
  }
  return sum;
}
