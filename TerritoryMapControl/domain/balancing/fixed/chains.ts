/**
 * Ejection chains for band repair: the excess (or shortfall) of a territory is passed along the cheapest path
 * of territories to the nearest one with room, one account per hop.
 * Guarantees: a chain is kept only if the total band violation falls (otherwise it is undone), locked accounts
 * never move, accounts move only to their candidate territories; deterministic, but bounded in wall-clock time
 * (CHAIN_MS per call, and the repair's deadline grace).
 */
import type { Model } from "../model";
import { nowMs } from "../result";
import type { Cand } from "./candidates";

/** Wall-clock budget of one ejection-chain repair, ms. */
const CHAIN_MS = 3000;

/**
 * Band repair by ejection chains. For the worst violated band row (territory a, measure m), a shortest
 * path in the territory graph (edge u → v: the cheapest account of u that has v among its candidate
 * centres, cost = extra distance/move cost per unit of measure m, plus a penalty for the violation the
 * move would cause on the other measures) leads from a to the nearest territory with room (over the
 * band: accounts pushed out of a; under it: pulled in). One account moves along each edge of the path;
 * the chain is kept only if the total violation falls, otherwise its accounts are barred for that row
 * and another path is tried. Deterministic; stops at the deadline (plus the repair's grace) or after
 * CHAIN_MS.
 */
export function chainRepair(
  model: Model,
  cand: Cand,
  assign: Int32Array,
  tot: Float64Array,
  vio: (r: number, v: number) => number,
  totalV: () => number,
  apply: (i: number, t: number) => void,
  deadline: number,
): void {
  const { n, k, M, w, lb, ub, lock } = model;
  const { L, cnt, t: ct, c: cc } = cand;
  const scale = new Float64Array(M);
  for (let m = 0; m < M; m++) scale[m] = model.total[m] / k || 1;
  // entries (u → v, account, extra cost), grouped by ordered pair and sorted by extra cost
  const K2 = k * k;
  const start = new Int32Array(K2 + 1);
  const costOfSlot = (i: number, t: number) => {
    for (let j = 0; j < cnt[i]; j++) if (ct[i * L + j] === t) return cc[i * L + j];
    return Infinity;
  };
  for (let i = 0; i < n; i++) {
    if (lock[i] >= 0) continue;
    const u = assign[i];
    for (let j = 0; j < cnt[i]; j++) {
      const v = ct[i * L + j];
      if (v !== u) start[u * k + v + 1]++;
    }
  }
  for (let q = 0; q < K2; q++) start[q + 1] += start[q];
  const entI = new Int32Array(start[K2]);
  const entD = new Float64Array(start[K2]);
  {
    const fill = start.slice(0, K2);
    for (let i = 0; i < n; i++) {
      if (lock[i] >= 0) continue;
      const u = assign[i];
      const cu = costOfSlot(i, u);
      for (let j = 0; j < cnt[i]; j++) {
        const v = ct[i * L + j];
        if (v === u) continue;
        const e = fill[u * k + v]++;
        entI[e] = i;
        entD[e] = cc[i * L + j] - (cu === Infinity ? 0 : cu);
      }
    }
    const ord: number[] = [];
    for (let q = 0; q < K2; q++) {
      const a = start[q];
      const b = start[q + 1];
      if (b - a < 2) continue;
      ord.length = 0;
      for (let e = a; e < b; e++) ord.push(e);
      ord.sort((x, y) => entD[x] - entD[y] || entI[x] - entI[y]);
      const ti = ord.map((e) => entI[e]);
      const td = ord.map((e) => entD[e]);
      for (let e = a; e < b; e++) {
        entI[e] = ti[e - a];
        entD[e] = td[e - a];
      }
    }
  }
  const home = Int32Array.from(assign); // entries are valid while their account is still in `home`
  const out: number[][] = Array.from({ length: k }, () => []);
  const inn: number[][] = Array.from({ length: k }, () => []);
  for (let u = 0; u < k; u++)
    for (let v = 0; v < k; v++)
      if (start[u * k + v + 1] > start[u * k + v]) {
        out[u].push(v);
        inn[v].push(u);
      }
  const ptr = start.slice(0, K2);
  let meanCost = 0;
  for (let i = 0; i < n; i++) {
    const c = costOfSlot(i, assign[i]);
    if (c < Infinity) meanCost += c;
  }
  const harmUnit = (meanCost / Math.max(1, n) || 1) * (n / k);
  let edgeCost = 0;
  const barred = new Int32Array(n).fill(-1);
  const SCAN = 8;
  const PENALTY = 4;
  // violation caused on measures other than m by moving i from u to v (at the current totals)
  const otherHarm = (i: number, u: number, v: number, m: number) => {
    let h = 0;
    for (let q = 0; q < M; q++) {
      if (q === m) continue;
      const wi = w[i * M + q];
      if (wi === 0) continue;
      const ru = u * M + q;
      const rv = v * M + q;
      h += vio(ru, tot[ru] - wi) - vio(ru, tot[ru]) + vio(rv, tot[rv] + wi) - vio(rv, tot[rv]);
    }
    return h > 0 ? h : 0;
  };
  // best account on edge u → v for measure m: [account, cost] or null
  const edge = (u: number, v: number, m: number, row: number): number => {
    const q = u * k + v;
    let e = ptr[q];
    const end = start[q + 1];
    while (e < end && assign[entI[e]] !== home[entI[e]]) e++;
    ptr[q] = e;
    let best = -1;
    let bc = Infinity;
    let seen = 0;
    for (; e < end && seen < SCAN; e++) {
      const i = entI[e];
      if (assign[i] !== u || home[i] !== u || barred[i] === row) continue;
      const wm = w[i * M + m] / scale[m];
      if (wm <= 0) continue;
      seen++;
      // (harm: violation in territory means; priced at PENALTY accounts' mean cost per account it stands for)
      const c = (Math.max(0, entD[e]) + PENALTY * harmUnit * otherHarm(i, u, v, m) + 1e-9 * harmUnit) / wm;
      if (c < bc) {
        bc = c;
        best = i;
      }
    }
    edgeCost = bc;
    return best;
  };
  const dist = new Float64Array(k);
  const done = new Uint8Array(k);
  const via = new Int32Array(k); // account moved on the tree edge into (push) / out of (pull) the node
  const par = new Int32Array(k);
  const rowBad = new Uint8Array(k * M);
  let fails = 0;
  // the same grace as the repair above, and at most CHAIN_MS of chains (each moves a few accounts)
  const stopAt = Math.min(deadline + 2000, nowMs() + CHAIN_MS);
  for (let iter = 0; iter < 50 * n && totalV() > 0; iter++) {
    if ((iter & 15) === 0 && nowMs() > stopAt) break;
    let row = -1;
    let worst = 0;
    for (let r = 0; r < k * M; r++) {
      if (rowBad[r]) continue;
      const v = vio(r, tot[r]);
      if (v > worst) {
        worst = v;
        row = r;
      }
    }
    if (row < 0) break;
    const a = (row / M) | 0;
    const m = row % M;
    const push = tot[row] > ub[row];
    dist.fill(Infinity);
    done.fill(0);
    par.fill(-1);
    dist[a] = 0;
    let target = -1;
    let fallback = -1;
    for (;;) {
      let u = -1;
      let du = Infinity;
      for (let t = 0; t < k; t++)
        if (!done[t] && dist[t] < du) {
          du = dist[t];
          u = t;
        }
      if (u < 0) break;
      done[u] = 1;
      if (u !== a) {
        // the end of the path should have room for the account that arrives (push) or leaves (pull) on every
        // measure, not only on m: otherwise the last hop moves the violation to another measure, the chain is
        // undone, and after 200 such failures the row is left to the (slow) pair swaps. The nearest territory
        // with room on m alone is kept in case no territory has room on every measure.
        const fits = (q: number) => {
          const wq = w[via[u] * M + q];
          const rq = u * M + q;
          return push ? tot[rq] + wq <= ub[rq] && vio(rq, tot[rq]) === 0 : tot[rq] - wq >= lb[rq] && vio(rq, tot[rq]) === 0;
        };
        if (fits(m)) {
          let all = true;
          for (let q = 0; q < M && all; q++) if (q !== m) all = fits(q);
          if (all) {
            target = u;
            break;
          }
          if (fallback < 0) fallback = u;
        }
      }
      const nb = push ? out[u] : inn[u];
      for (const v of nb) {
        if (done[v]) continue;
        const i = push ? edge(u, v, m, row) : edge(v, u, m, row);
        if (i < 0) continue;
        const d = du + edgeCost;
        if (d < dist[v]) {
          dist[v] = d;
          par[v] = u;
          via[v] = i;
        }
      }
    }
    if (target < 0) target = fallback;
    if (target < 0) {
      rowBad[row] = 1;
      continue;
    }
    const before = totalV();
    const moves: number[] = [];
    for (let v = target; v !== a; v = par[v]) {
      const i = via[v];
      const from = assign[i];
      apply(i, push ? v : par[v]);
      moves.push(i, from);
    }
    if (totalV() < before - 1e-12) {
      fails = 0;
      rowBad.fill(0);
      continue;
    }
    for (let q = moves.length - 2; q >= 0; q -= 2) apply(moves[q], moves[q + 1]);
    for (let q = 0; q < moves.length; q += 2) barred[moves[q]] = row;
    if (++fails > 200) rowBad[row] = 1;
  }
}
