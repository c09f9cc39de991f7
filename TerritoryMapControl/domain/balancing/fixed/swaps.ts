/**
 * Pair swaps in a fixed-centre plan: pair repair (swaps between the worst violating territory and a neighbour,
 * when single moves and chains are stuck) and pair improvement (swaps that lower the cost while every band
 * stays met, then single moves again).
 * Guarantees: a repair swap is applied only while it still removes violation at the current totals; an
 * improving swap or move only when the bands (widened by their slack) hold after it; locked accounts never move.
 */
import type { Model } from "../model";
import type { Rng } from "../rng";
import { nowMs } from "../result";
import { slackBands } from "./bands";
import type { Cand } from "./candidates";

/**
 * Pair repair: up to `pairRounds` rounds, each on the worst violated band row (territory t): every swap of an
 * account leaving t with one entering it from the same territory s that reduces the violation, cheapest per
 * unit of violation removed first. Returns whether any swap was applied.
 */
export function pairRepair(
  model: Model,
  cand: Cand,
  assign: Int32Array,
  tot: Float64Array,
  invStart: Int32Array,
  invSlots: Int32Array,
  vio: (r: number, v: number) => number,
  totalV: () => number,
  costOf: (i: number, t: number) => number,
  apply: (i: number, t: number) => void,
  deadline: number,
  pairRounds: number,
): boolean {
  const { k, M, w, lock } = model;
  const { L, cnt, t: ct, c: cc } = cand;
  let pairsMoved = false;
  for (let round = 0; round < pairRounds && totalV() > 0; round++) {
    if (nowMs() > deadline + 2000) break;
    let worstR = -1;
    let worstV = 0;
    for (let r = 0; r < k * M; r++) {
      const v = vio(r, tot[r]);
      if (v > worstV) {
        worstV = v;
        worstR = r;
      }
    }
    const t = (worstR / M) | 0;
    // out-moves (i: t -> s) and in-moves (j: s -> t), grouped by s, cheapest first
    const outBy = new Map<number, { i: number; d: number }[]>();
    const inBy = new Map<number, { i: number; d: number }[]>();
    // only accounts having t among their candidates can take part (in index order, through the inverse index)
    for (let e = invStart[t]; e < invStart[t + 1]; e++) {
      const i = (invSlots[e] / L) | 0;
      if (lock[i] >= 0) continue;
      const s = assign[i];
      const base = i * L;
      if (s === t) {
        const cs = costOf(i, t);
        for (let j = 0; j < cnt[i]; j++) {
          const u = ct[base + j];
          if (u === t) continue;
          let arr = outBy.get(u);
          if (!arr) outBy.set(u, (arr = []));
          arr.push({ i, d: cc[base + j] - cs });
        }
      } else {
        for (let j = 0; j < cnt[i]; j++) {
          if (ct[base + j] !== t) continue;
          let arr = inBy.get(s);
          if (!arr) inBy.set(s, (arr = []));
          arr.push({ i, d: cc[base + j] - costOf(i, s) });
        }
      }
    }
    // every improving swap, cheapest per unit of violation removed first; then applied in that order while
    // each still removes violation at the totals as they stand (a round applies them all, so a sliver of excess
    // is gone in one round instead of one swap per round)
    const cR: number[] = [];
    const cI: number[] = [];
    const cJ: number[] = [];
    const cS: number[] = [];
    const pairDv = (i: number, j: number, s: number) => {
      let dv = 0;
      for (let m = 0; m < M; m++) {
        const d = w[i * M + m] - w[j * M + m];
        if (d === 0) continue;
        const rt = t * M + m;
        const rs = s * M + m;
        dv += vio(rt, tot[rt] - d) - vio(rt, tot[rt]) + vio(rs, tot[rs] + d) - vio(rs, tot[rs]);
      }
      return dv;
    };
    for (const [s, outs] of outBy) {
      const ins = inBy.get(s);
      if (!ins) continue;
      outs.sort((a, b) => a.d - b.d);
      ins.sort((a, b) => a.d - b.d);
      const A = Math.min(outs.length, 60);
      const B = Math.min(ins.length, 60);
      for (let x = 0; x < A; x++) {
        const i = outs[x].i;
        for (let y = 0; y < B; y++) {
          const j = ins[y].i;
          const dv = pairDv(i, j, s);
          if (dv >= -1e-12) continue;
          cR.push((outs[x].d + ins[y].d) / -dv);
          cI.push(i);
          cJ.push(j);
          cS.push(s);
        }
      }
    }
    if (cR.length === 0) break;
    const order = cR.map((_, q) => q).sort((a, b) => cR[a] - cR[b]);
    for (const q of order) {
      const i = cI[q];
      const j = cJ[q];
      const s = cS[q];
      if (assign[i] !== t || assign[j] !== s || pairDv(i, j, s) >= -1e-12) continue;
      apply(i, s);
      apply(j, t);
      pairsMoved = true;
      if (vio(worstR, tot[worstR]) === 0) break;
    }
  }
  return pairsMoved;
}

export function swapImprove(
  model: Model,
  cand: Cand,
  assign: Int32Array,
  tot: Float64Array,
  costOf: (i: number, t: number) => number,
  fits: (i: number, s: number, t: number) => boolean,
  apply: (i: number, t: number) => void,
  deadline: number,
  _rng: Rng,
): void {
  const { n, k, M, w, lock } = model;
  const { L, cnt, t: ct, c: cc } = cand;
  const { ubS, lbS } = slackBands(model);
  // bucket accounts with a positive gain of moving s -> t (ignoring bands): one bucket per key s·k + t,
  // accounts in index order inside a bucket, buckets visited in the order of their first account
  const K2 = k * k;
  const start = new Int32Array(K2 + 1);
  const fill = new Int32Array(K2);
  const keys = new Int32Array(K2);
  const sorted = new Uint8Array(K2);
  let ei = new Int32Array(0);
  let eg = new Float64Array(0);
  const lim = 40;
  /** Sorts bucket `key` by decreasing gain (ties: index order, as a stable sort would). */
  const sortBucket = (key: number) => {
    if (sorted[key]) return;
    sorted[key] = 1;
    const a0 = start[key];
    const len = start[key + 1] - a0;
    const pos = Array.from({ length: len }, (_, q) => a0 + q);
    pos.sort((a, b) => eg[b] - eg[a] || a - b);
    const si = pos.map((q) => ei[q]);
    const sg = pos.map((q) => eg[q]);
    for (let q = 0; q < len; q++) {
      ei[a0 + q] = si[q];
      eg[a0 + q] = sg[q];
    }
  };
  for (let pass = 0; pass < 3; pass++) {
    start.fill(0);
    sorted.fill(0);
    let nKeys = 0;
    for (let i = 0; i < n; i++) {
      if (lock[i] >= 0) continue;
      const s = assign[i];
      const cs = costOf(i, s);
      const base = i * L;
      for (let j = 0; j < cnt[i]; j++) {
        const t = ct[base + j];
        if (t === s) continue;
        if (cs - cc[base + j] > 0) {
          const key = s * k + t;
          if (start[key + 1]++ === 0) keys[nKeys++] = key;
        }
      }
    }
    for (let key = 0; key < K2; key++) start[key + 1] += start[key];
    if (ei.length < start[K2]) {
      ei = new Int32Array(start[K2]);
      eg = new Float64Array(start[K2]);
    }
    fill.set(start.subarray(0, K2));
    for (let i = 0; i < n; i++) {
      if (lock[i] >= 0) continue;
      const s = assign[i];
      const cs = costOf(i, s);
      const base = i * L;
      for (let j = 0; j < cnt[i]; j++) {
        const t = ct[base + j];
        if (t === s) continue;
        const g = cs - cc[base + j];
        if (g > 0) {
          const q = fill[s * k + t]++;
          ei[q] = i;
          eg[q] = g;
        }
      }
    }
    let improved = 0;
    for (let z = 0; z < nKeys; z++) {
      const key = keys[z];
      const s = Math.floor(key / k);
      const t = key % k;
      if (s > t) continue;
      const bkey = t * k + s;
      if (start[bkey + 1] === start[bkey]) continue;
      sortBucket(key);
      sortBucket(bkey);
      const aLen = Math.min(lim, start[key + 1] - start[key]);
      const bLen = Math.min(lim, start[bkey + 1] - start[bkey]);
      for (let a = 0; a < aLen; a++) {
        const i = ei[start[key] + a];
        if (assign[i] !== s) continue;
        for (let b = 0; b < bLen; b++) {
          const j = ei[start[bkey] + b];
          if (assign[j] !== t) continue;
          const gain = costOf(i, s) - costOf(i, t) + costOf(j, t) - costOf(j, s);
          if (gain <= 1e-12) continue;
          // band check after swap
          let ok = true;
          for (let m = 0; m < M && ok; m++) {
            const d = w[i * M + m] - w[j * M + m];
            const rs = s * M + m;
            const rt = t * M + m;
            if (tot[rs] - d < lbS[rs] || tot[rs] - d > ubS[rs]) ok = false;
            if (tot[rt] + d < lbS[rt] || tot[rt] + d > ubS[rt]) ok = false;
          }
          if (!ok) continue;
          apply(i, t);
          apply(j, s);
          improved++;
          break;
        }
      }
    }
    // single moves again (swaps may free slack)
    for (let i = 0; i < n; i++) {
      if (lock[i] >= 0) continue;
      const s = assign[i];
      const cs = costOf(i, s);
      const base = i * L;
      for (let j = 0; j < cnt[i]; j++) {
        const t = ct[base + j];
        if (t !== s && cs - cc[base + j] > 1e-12 && fits(i, s, t)) {
          apply(i, t);
          improved++;
          break;
        }
      }
    }
    if (improved === 0 || nowMs() > deadline) break;
  }
}
