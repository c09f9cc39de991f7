/**
 * Candidate territories of each account for the fixed-centre solve: the `candidates` nearest centres by cost
 * (distance plus the move cost away from today's territory), more for accounts without an owner when moves cost
 * something, the current territory always among them, and a locked account's one territory.
 * Guarantees: `cutoff[i]` is a lower bound on the cost of every territory left out of account i's list (what
 * keeps the dual bound proven); ties between equal costs resolve in territory order. On the sphere the arcsine
 * is computed only for the nearest centres by chord, which hold the cheapest.
 */
import type { Model } from "../model";

export interface Cand {
  L: number;
  /** Lower bound on the cost of any non-candidate territory (Infinity when there is none). */
  cutoff: Float64Array;
  cnt: Uint8Array;
  t: Int32Array;
  c: Float64Array;
}

/**
 * Candidate territories of an account without an owner when moves cost something (the others keep
 * `candidates`, 12 by default). With 12, a departed rep's accounts could reach only the first ring or two of
 * territories around; when those were at their band edges the change was passed on by moving owned accounts,
 * territory after territory. On the unseen 100k base (seed 7) at 8× the mean distance per move, 20 brought the
 * worst reps from 0.57–0.69× to 0.24–0.37× the departed rep's accounts moved, with a 2–4 % lower objective; 30
 * did no better.
 */
const UNOWNED_CANDIDATES = 20;

export function buildCandidates(model: Model, L0: number): Cand {
  const { n, k, x, y, dist, cx, cy, current, moveCost, lock } = model;
  // with a move cost, an account without an owner (a departed rep's) may reach further than the others: sending
  // it one territory further is often cheaper than moving owned accounts along (see UNOWNED_CANDIDATES)
  const reach = current && moveCost > 0;
  const L1 = Math.min(L0, k);
  const L = reach ? Math.min(Math.max(L0, UNOWNED_CANDIDATES), k) : L1;
  const cnt = new Uint8Array(n);
  const ct = new Int32Array(n * L);
  const cc = new Float64Array(n * L);
  const cutoff = new Float64Array(n).fill(Infinity);
  const dk = new Float64Array(k);
  const idx = new Int32Array(k);
  const chord = new Float64Array(k);
  const near = new Int32Array(k + 2);
  const poolT = new Int32Array(k + 2);
  // geographic: great-circle distance from 3-D unit vectors (2R·asin(chord/2), equal to haversine),
  // so no trigonometry per account–centre pair
  const geo = model.kind === "haversine-km";
  const R = 6371.0088;
  const RAD = Math.PI / 180;
  const ux = new Float64Array(geo ? k : 0);
  const uy = new Float64Array(geo ? k : 0);
  const uz = new Float64Array(geo ? k : 0);
  if (geo) {
    for (let t = 0; t < k; t++) {
      const la = cy[t] * RAD;
      const lo = cx[t] * RAD;
      ux[t] = Math.cos(la) * Math.cos(lo);
      uy[t] = Math.cos(la) * Math.sin(lo);
      uz[t] = Math.sin(la);
    }
  }
  for (let i = 0; i < n; i++) {
    const base = i * L;
    const cur = current ? current[i] : -1;
    if (lock[i] >= 0) {
      const t = lock[i];
      cnt[i] = 1;
      ct[base] = t;
      cc[base] = dist(x[i], y[i], cx[t], cy[t]) + (cur >= 0 && cur !== t ? moveCost : 0);
      continue;
    }
    const Li = cur < 0 ? L : L1;
    let pool = k;
    if (geo) {
      const la = y[i] * RAD;
      const lo = x[i] * RAD;
      const ax = Math.cos(la) * Math.cos(lo);
      const ay = Math.cos(la) * Math.sin(lo);
      const az = Math.sin(la);
      for (let t = 0; t < k; t++) {
        const dx = ax - ux[t];
        const dy = ay - uy[t];
        const dz = az - uz[t];
        chord[t] = dx * dx + dy * dy + dz * dz;
      }
      if (Li + 1 < k) {
        // the distance is increasing in the chord: the Li + 1 nearest by chord (plus the current
        // territory) hold the Li cheapest, so only those need the arcsine
        let m = 0;
        for (let t = 0; t < k; t++) {
          const v = chord[t];
          if (m <= Li) {
            let p = m++;
            while (p > 0 && chord[near[p - 1]] > v) {
              near[p] = near[p - 1];
              p--;
            }
            near[p] = t;
          } else if (v < chord[near[Li]]) {
            let p = Li;
            while (p > 0 && chord[near[p - 1]] > v) {
              near[p] = near[p - 1];
              p--;
            }
            near[p] = t;
          }
        }
        pool = 0;
        let hasCur = false;
        for (let j = 0; j <= Li; j++) if (near[j] === cur) hasCur = true;
        if (cur >= 0 && !hasCur) near[Li + 1] = cur;
        const sz = Li + 1 + (cur >= 0 && !hasCur ? 1 : 0);
        // visit the pool in territory order (ties then resolve as in a scan over all territories)
        for (let j = 0; j < sz; j++) {
          const v = near[j];
          let p = pool++;
          while (p > 0 && poolT[p - 1] > v) {
            poolT[p] = poolT[p - 1];
            p--;
          }
          poolT[p] = v;
        }
      } else for (let t = 0; t < k; t++) poolT[t] = t;
      for (let j = 0; j < pool; j++) {
        const t = poolT[j];
        dk[t] = 2 * R * Math.asin(Math.min(1, Math.sqrt(chord[t]) / 2)) + (cur >= 0 && cur !== t ? moveCost : 0);
      }
    } else {
      for (let t = 0; t < k; t++) dk[t] = dist(x[i], y[i], cx[t], cy[t]) + (cur >= 0 && cur !== t ? moveCost : 0);
      for (let t = 0; t < k; t++) poolT[t] = t;
    }
    // partial selection of the L smallest (insertion into a small sorted list)
    let m = 0;
    for (let jj = 0; jj < pool; jj++) {
      const t = poolT[jj];
      const v = dk[t];
      if (m < Li) {
        let p = m++;
        while (p > 0 && dk[idx[p - 1]] > v) {
          idx[p] = idx[p - 1];
          p--;
        }
        idx[p] = t;
      } else if (v < dk[idx[Li - 1]]) {
        let p = Li - 1;
        while (p > 0 && dk[idx[p - 1]] > v) {
          idx[p] = idx[p - 1];
          p--;
        }
        idx[p] = t;
      }
    }
    if (Li < k) cutoff[i] = dk[idx[Li - 1]];
    if (cur >= 0) {
      let has = false;
      for (let j = 0; j < Li; j++) if (idx[j] === cur) has = true;
      if (!has) idx[Li - 1] = cur;
    }
    cnt[i] = Li;
    for (let j = 0; j < Li; j++) {
      ct[base + j] = idx[j];
      cc[base + j] = dk[idx[j]];
    }
  }
  return { L, cutoff, cnt, t: ct, c: cc };
}
