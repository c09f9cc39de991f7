/**
 * Band repair and improvement of a fixed-centre plan: greedy repair of band violations (cheapest extra cost per
 * unit of violation removed), then ejection chains (chains.ts), pair repair swaps (swaps.ts) and chains again,
 * then feasible improving single moves and swaps.
 * Guarantees: locked accounts never move; once no band is violated every later move keeps every band met
 * (within its slack); the plan is changed in place and only ever reassigns accounts to their candidate
 * territories, except the greedy repair's widening step (any territory) when no candidate move helps.
 * Deterministic unless the clock stops it: the deadline (the repair phases get 2 s of grace after it) or the
 * chains' own wall-clock cap.
 */
import type { Model } from "../model";
import type { Rng } from "../rng";
import { nowMs } from "../result";
import { slackBands } from "./bands";
import type { Cand } from "./candidates";
import { chainRepair } from "./chains";
import { pairRepair, swapImprove } from "./swaps";

/**
 * A greedy repair round that removes less than this share of the band violation is slow; two in a row
 * hand over to the ejection chains (measured on rep-leaves sub-problems of 11–14k accounts: 60 greedy rounds
 * took 360–600 ms and left 0.15–0.19 territory means of violation, which the chains then removed in 80 ms).
 */
const STALL = 0.1;

/**
 * Greedy repair of band violations (cheapest extra cost per unit of violation removed), pair swaps and
 * ejection chains, then feasible improving single moves and swaps between neighbouring territories.
 */
export function repairAndImprove(model: Model, cand: Cand, assign: Int32Array, deadline: number, rng: Rng, pairRounds: number): void {
  const { n, k, M, w, lb, ub, lock } = model;
  const { L, cnt, t: ct, c: cc } = cand;
  const tot = new Float64Array(k * M);
  for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) tot[assign[i] * M + m] += w[i * M + m];
  const scale = new Float64Array(M);
  for (let m = 0; m < M; m++) scale[m] = model.total[m] / k || 1;
  // bands widened by their slack, computed once (the loops below are hot)
  const { ubS, lbS } = slackBands(model);
  const vio = (r: number, v: number) => {
    const m = r % M;
    let e = 0;
    if (v > ubS[r]) e += v - ub[r];
    if (v < lbS[r]) e += lb[r] - v;
    return e / scale[m];
  };
  const deltaV = (i: number, s: number, t: number): number => {
    let d = 0;
    for (let m = 0; m < M; m++) {
      const wi = w[i * M + m];
      if (wi === 0) continue;
      const rs = s * M + m;
      const rt = t * M + m;
      d += vio(rs, tot[rs] - wi) - vio(rs, tot[rs]) + vio(rt, tot[rt] + wi) - vio(rt, tot[rt]);
    }
    return d;
  };
  // deltaV reading the current violations from a snapshot (valid while `tot` does not change)
  const curV = new Float64Array(k * M);
  const deltaVSnap = (i: number, s: number, t: number): number => {
    let d = 0;
    for (let m = 0; m < M; m++) {
      const wi = w[i * M + m];
      if (wi === 0) continue;
      const rs = s * M + m;
      const rt = t * M + m;
      d += vio(rs, tot[rs] - wi) - curV[rs] + vio(rt, tot[rt] + wi) - curV[rt];
    }
    return d;
  };
  const totalV = () => {
    let v = 0;
    for (let r = 0; r < k * M; r++) v += vio(r, tot[r]);
    return v;
  };
  const costOf = (i: number, t: number): number => {
    const base = i * L;
    for (let j = 0; j < cnt[i]; j++) if (ct[base + j] === t) return cc[base + j];
    return Infinity;
  };
  const apply = (i: number, t: number) => {
    const s = assign[i];
    for (let m = 0; m < M; m++) {
      tot[s * M + m] -= w[i * M + m];
      tot[t * M + m] += w[i * M + m];
    }
    assign[i] = t;
  };
  // --- repair
  const invStart = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < cnt[i]; j++) invStart[ct[i * L + j] + 1]++;
  for (let t = 0; t < k; t++) invStart[t + 1] += invStart[t];
  const invSlots = new Int32Array(invStart[k]);
  {
    const fillInv = invStart.slice(0, k);
    for (let i = 0; i < n; i++) for (let j = 0; j < cnt[i]; j++) invSlots[fillInv[ct[i * L + j]]++] = i * L + j;
  }
  const stamp = new Int32Array(n);
  let stampId = 0;
  const visit = new Int32Array(n);
  const badT = new Uint8Array(k);
  const mvI = new Int32Array(n);
  const mvT = new Int32Array(n);
  const mvR = new Float64Array(n);
  // rounds that remove less than STALL of the violation, in a row, end the greedy repair: what is left is
  // a chain problem (neighbours at their band edges), and ejection chains remove it for far less time
  let slowRounds = 0;
  for (let round = 0; round < 60 && totalV() > 0; round++) {
    if (nowMs() > deadline + 2000) break;
    const roundV = totalV();
    badT.fill(0);
    for (let r = 0; r < k * M; r++) if (vio(r, tot[r]) > 0) badT[(r / M) | 0] = 1;
    let nmv = 0;
    // accounts touching a bad territory, found through the inverse candidate index
    stampId++;
    let nvis = 0;
    for (let t = 0; t < k; t++) {
      if (!badT[t]) continue;
      for (let e = invStart[t]; e < invStart[t + 1]; e++) {
        const i = (invSlots[e] / L) | 0;
        if (stamp[i] !== stampId) {
          stamp[i] = stampId;
          visit[nvis++] = i;
        }
      }
    }
    // candidate moves are scored against the totals as they stand at the start of the round
    for (let r = 0; r < k * M; r++) curV[r] = vio(r, tot[r]);
    for (let q = 0; q < nvis; q++) {
      const i = visit[q];
      if (lock[i] >= 0) continue;
      const s = assign[i];
      const base = i * L;
      const cs = costOf(i, s);
      let bestR = Infinity;
      let bt = -1;
      for (let j = 0; j < cnt[i]; j++) {
        const t = ct[base + j];
        if (t === s || (!badT[s] && !badT[t])) continue;
        const dv = deltaVSnap(i, s, t);
        if (dv < -1e-12) {
          const ratio = (cc[base + j] - (cs === Infinity ? 0 : cs)) / -dv;
          if (ratio < bestR) {
            bestR = ratio;
            bt = t;
          }
        }
      }
      if (bt >= 0) {
        mvI[nmv] = i;
        mvT[nmv] = bt;
        mvR[nmv] = bestR;
        nmv++;
      }
    }
    if (nmv === 0) {
      // widen: allow moves to any territory (not only candidates) for accounts in violating territories
      let movedAny = false;
      for (let i = 0; i < n && totalV() > 0; i++) {
        if (lock[i] >= 0) continue;
        const s = assign[i];
        if (!badT[s]) continue;
        let bt = -1;
        let bd = -1e-12;
        for (let t = 0; t < k; t++) {
          if (t === s) continue;
          const dv = deltaV(i, s, t);
          if (dv < bd) {
            bd = dv;
            bt = t;
          }
        }
        if (bt >= 0) {
          apply(i, bt);
          movedAny = true;
        }
      }
      if (!movedAny) break;
      continue;
    }
    const ord = new Int32Array(nmv);
    for (let q = 0; q < nmv; q++) ord[q] = q;
    ord.sort((a, b) => mvR[a] - mvR[b]);
    for (let q = 0; q < nmv; q++) {
      const i = mvI[ord[q]];
      const t = mvT[ord[q]];
      if (deltaV(i, assign[i], t) < -1e-12) {
        apply(i, t);
        if ((q & 255) === 0 && totalV() === 0) break;
      }
    }
    slowRounds = totalV() > (1 - STALL) * roundV ? slowRounds + 1 : 0;
    if (slowRounds >= 2) break;
  }
  // --- ejection chains: when every neighbour of a violating territory is at its own band edge, no
  // single move or pair swap helps; the excess is passed along a path of territories to one with room
  if (totalV() > 0) chainRepair(model, cand, assign, tot, vio, totalV, apply, deadline);
  // --- pair repair: swaps between a violating territory and a neighbour when chains are stuck too
  const pairsMoved = pairRepair(model, cand, assign, tot, invStart, invSlots, vio, totalV, costOf, apply, deadline, pairRounds);
  // (and chains again from what the swaps changed)
  if (totalV() > 0 && pairsMoved) chainRepair(model, cand, assign, tot, vio, totalV, apply, deadline);
  if (totalV() > 0) return;
  // --- improve: feasible single moves
  const fits = (i: number, s: number, t: number): boolean => {
    for (let m = 0; m < M; m++) {
      const wi = w[i * M + m];
      const rs = s * M + m;
      const rt = t * M + m;
      if (tot[rs] - wi < lbS[rs]) return false;
      if (tot[rt] + wi > ubS[rt]) return false;
    }
    return true;
  };
  for (let sweep = 0; sweep < 6; sweep++) {
    let improved = 0;
    for (let i = 0; i < n; i++) {
      if (lock[i] >= 0) continue;
      const s = assign[i];
      const cs = costOf(i, s);
      const base = i * L;
      let bt = -1;
      let bg = 1e-12;
      for (let j = 0; j < cnt[i]; j++) {
        const t = ct[base + j];
        if (t === s) continue;
        const g = cs - cc[base + j];
        if (g > bg && fits(i, s, t)) {
          bg = g;
          bt = t;
        }
      }
      if (bt >= 0) {
        apply(i, bt);
        improved++;
      }
    }
    if (improved === 0 || nowMs() > deadline) break;
  }
  // --- swaps: for each ordered territory pair, pair the most "wanting to move" accounts
  if (nowMs() > deadline) return;
  swapImprove(model, cand, assign, tot, costOf, fits, apply, deadline, rng);
}
