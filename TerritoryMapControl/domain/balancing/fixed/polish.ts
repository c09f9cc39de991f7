/**
 * Polishing of the prices: exact coordinate ascent on the hard Lagrangian dual, one band row at a time, after
 * the smoothed search: each step moves one price to where its territory's total (under the argmin plan) enters
 * the band, or towards zero while the total stays inside it. Guarantees: prices keep the sign their row's bands
 * allow; a step is clamped (MAXSTEP) so that accounts left out of the examined lists (farther than REACH from
 * their best territory) cannot switch unless one weighs more than REACH / MAXSTEP average accounts;
 * deterministic, stops at the deadline.
 */
import { nowMs } from "../result";
import type { Cand } from "./candidates";

/**
 * Exact coordinate ascent on the hard Lagrangian dual: for each band row (t, m) in turn, move its price
 * to the breakpoint where territory t's total (under the argmin assignment) enters its band, or, when
 * the price is non-zero and the total sits strictly inside the band, towards zero while it stays in.
 * Each step can only raise the dual; it also makes the argmin plan nearly balanced.
 */
export function coordinatePolish(
  cand: Cand,
  cn: Float64Array,
  wn: Float64Array,
  p: Float64Array,
  rows: number[],
  ubN: Float64Array,
  lbN: Float64Array,
  M: number,
  k: number,
  n: number,
  sweeps: number,
  deadline: number,
): void {
  const { L, cnt, t: ct } = cand;
  // inverse index: for each territory, the (account, slot) pairs having it as a candidate
  const deg = new Int32Array(k + 1);
  // (only the nearest PL candidates of each account: farther ones practically never switch)
  const PL = L;
  for (let i = 0; i < n; i++) for (let j = 0; j < Math.min(PL, cnt[i]); j++) deg[ct[i * L + j] + 1]++;
  for (let t = 0; t < k; t++) deg[t + 1] += deg[t];
  const inv = new Int32Array(deg[k]);
  const fill = deg.slice(0, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < Math.min(PL, cnt[i]); j++) inv[fill[ct[i * L + j]]++] = i * L + j;
  const maxDeg = Math.max(...Array.from({ length: k }, (_, t) => deg[t + 1] - deg[t]));
  const bp = new Float64Array(maxDeg);
  const bw = new Float64Array(maxDeg);
  const ord = new Int32Array(maxDeg);
  const ord2 = new Int32Array(maxDeg);
  const score = (i: number, slot: number) => {
    const t = ct[slot];
    let v = cn[slot];
    for (let m = 0; m < M; m++) v += p[t * M + m] * wn[i * M + m];
    return v;
  };
  // per account: best and second-best score and their slots (kept up to date incrementally)
  const b1 = new Float64Array(n);
  const b2 = new Float64Array(n);
  const s1 = new Int32Array(n);
  const s2 = new Int32Array(n);
  const top2 = (i: number) => {
    let v1 = Infinity,
      v2 = Infinity,
      q1 = -1,
      q2 = -1;
    const base = i * L;
    for (let j = 0; j < cnt[i]; j++) {
      const v = score(i, base + j);
      if (v < v1) {
        v2 = v1;
        q2 = q1;
        v1 = v;
        q1 = base + j;
      } else if (v < v2) {
        v2 = v;
        q2 = base + j;
      }
    }
    b1[i] = v1;
    s1[i] = q1;
    b2[i] = v2;
    s2[i] = q2;
  };
  for (let i = 0; i < n; i++) top2(i);
  const keys = new Float64Array(maxDeg);
  /** The (up to) K entries of ord[0..q) with the smallest (asc) / largest (desc) breakpoints, in order. */
  const K = 256;
  const firstK = (q: number, asc: boolean): Int32Array => {
    if (q <= K) return ord.subarray(0, q).sort(asc ? (a, b) => bp[a] - bp[b] : (a, b) => bp[b] - bp[a]);
    for (let z = 0; z < q; z++) keys[z] = asc ? bp[ord[z]] : -bp[ord[z]];
    const th = quickselect(keys, q, K - 1);
    let c = 0;
    for (let z = 0; z < q; z++) {
      const v = asc ? bp[ord[z]] : -bp[ord[z]];
      if (v <= th && c < K) ord[c++] = ord[z];
    }
    return ord.subarray(0, c).sort(asc ? (a, b) => bp[a] - bp[b] : (a, b) => bp[b] - bp[a]);
  };
  // per sweep: keep only slots within reach (score − best ≤ REACH); price steps are clamped to MAXSTEP
  // so that accounts outside the lists (weight ≤ REACH / MAXSTEP average accounts) cannot switch.
  const REACH = 1.5;
  const MAXSTEP = 0.25;
  const fullDeg = deg.slice();
  const fullInv = inv.slice();
  for (let sweep = 0; sweep < sweeps; sweep++) {
    if (nowMs() > deadline) break;
    {
      let q = 0;
      for (let t = 0; t < k; t++) {
        const from = fullDeg[t];
        const to = fullDeg[t + 1];
        deg[t] = q;
        for (let e = from; e < to; e++) {
          const slot = fullInv[e];
          const i = (slot / L) | 0;
          if (s1[i] === slot || score(i, slot) - b1[i] <= REACH) inv[q++] = slot;
        }
      }
      deg[k] = q;
    }
    let worst = 0;
    for (const r of rows) {
      const t = (r / M) | 0;
      const m = r % M;
      const u = ubN[r];
      const l = lbN[r];
      let T = 0;
      let nIn = 0;
      let nOut = 0;
      for (let e = deg[t]; e < deg[t + 1]; e++) {
        const slot = inv[e];
        const i = (slot / L) | 0;
        const wi = wn[i * M + m];
        const inT = s1[i] === slot;
        const st = inT ? b1[i] : score(i, slot);
        const other = inT ? b2[i] : b1[i];
        if (inT) T += wi;
        if (wi <= 0 || other === Infinity) continue;
        const d = (other - st) / wi;
        bp[nIn + nOut] = d;
        bw[nIn + nOut] = inT ? wi : -wi;
        ord2[nIn + nOut] = i;
        if (inT) nIn++;
        else nOut++;
      }
      const cntBp = nIn + nOut;
      const pr = p[r];
      let delta = 0;
      if (T > u + 1e-12) {
        // raise the price: drop accounts with the smallest positive breakpoints until T ≤ u
        worst = Math.max(worst, T - u);
        let q = 0;
        for (let z = 0; z < cntBp; z++) if (bw[z] > 0) ord[q++] = z;
        const sub = firstK(q, true);
        let tt = T;
        let z = 0;
        while (z < sub.length && tt > u + 1e-12) tt -= bw[sub[z++]];
        if (z === 0) continue;
        const lo = bp[sub[z - 1]];
        const hi = z < sub.length ? bp[sub[z]] : lo + 1e-3;
        delta = Math.max(0, (lo + hi) / 2);
        if (pr < 0 && pr + delta > 0 && T - 0 <= u) delta = -pr;
      } else if (T < l - 1e-12) {
        worst = Math.max(worst, l - T);
        let q = 0;
        for (let z = 0; z < cntBp; z++) if (bw[z] < 0) ord[q++] = z;
        const sub = firstK(q, false);
        let tt = T;
        let z = 0;
        while (z < sub.length && tt < l - 1e-12) tt -= bw[sub[z++]];
        if (z === 0) continue;
        const hi = bp[sub[z - 1]];
        const lo = z < sub.length ? bp[sub[z]] : hi - 1e-3;
        delta = Math.min(0, (lo + hi) / 2);
      } else if (pr > 0) {
        // inside the band with a positive price: lower it while T stays ≤ u (dual improves)
        let q = 0;
        for (let z = 0; z < cntBp; z++) if (bw[z] < 0) ord[q++] = z;
        const sub = firstK(q, false);
        let tt = T;
        let z = 0;
        while (z < sub.length && tt - bw[sub[z]] <= u && bp[sub[z]] > -pr) tt -= bw[sub[z++]];
        const hi = z > 0 ? bp[sub[z - 1]] : 0;
        const lo = z < sub.length ? Math.max(bp[sub[z]], -pr) : -pr;
        delta = Math.min(0, z < sub.length ? (lo + hi) / 2 : q > sub.length ? hi : -pr);
        if (z < sub.length && bp[sub[z]] <= -pr) delta = -pr;
      } else if (pr < 0) {
        let q = 0;
        for (let z = 0; z < cntBp; z++) if (bw[z] > 0) ord[q++] = z;
        const sub = firstK(q, true);
        let tt = T;
        let z = 0;
        while (z < sub.length && tt - bw[sub[z]] >= l && bp[sub[z]] < -pr) tt -= bw[sub[z++]];
        const lo = z > 0 ? bp[sub[z - 1]] : 0;
        const hi = z < sub.length ? Math.min(bp[sub[z]], -pr) : -pr;
        delta = Math.max(0, z < sub.length ? (lo + hi) / 2 : q > sub.length ? lo : -pr);
        if (z < sub.length && bp[sub[z]] >= -pr) delta = -pr;
      }
      if (delta > MAXSTEP) delta = MAXSTEP;
      if (delta < -MAXSTEP) delta = -MAXSTEP;
      if (delta !== 0) {
        p[r] = pr + delta;
        if ((pr > 0 && p[r] < 0) || (pr < 0 && p[r] > 0)) p[r] = 0;
        if (p[r] > 0 && u === Infinity) p[r] = 0;
        if (p[r] < 0 && l === -Infinity) p[r] = 0;
        // refresh the top-2 of the accounts having t as a candidate
        for (let e = deg[t]; e < deg[t + 1]; e++) {
          const slot = inv[e];
          const i = (slot / L) | 0;
          const v = score(i, slot);
          if (s1[i] === slot) {
            if (v <= b2[i]) b1[i] = v;
            else top2(i);
          } else if (s2[i] === slot) {
            if (v < b1[i]) {
              b2[i] = b1[i];
              s2[i] = s1[i];
              b1[i] = v;
              s1[i] = slot;
            } else if (v <= b2[i] || cnt[i] === 2) b2[i] = v;
            else top2(i);
          } else if (v < b1[i]) {
            b2[i] = b1[i];
            s2[i] = s1[i];
            b1[i] = v;
            s1[i] = slot;
          } else if (v < b2[i]) {
            b2[i] = v;
            s2[i] = slot;
          }
        }
      }
    }
    if (worst < 1e-9) break;
  }
}

/** k-th smallest (0-based) of a[0..len) (reorders a). */
function quickselect(a: Float64Array, len: number, kth: number): number {
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return a[kth];
  }
  return a[kth];
}
