/**
 * Centres chosen among the points (capacitated / balanced p-median style territory design).
 *
 * Objective: minimise Σ distance(point, centre point of its territory) (+ move cost), each centre
 * belonging to its own territory, with capacities (per centre point), balance bands and, optionally,
 * contiguity on an adjacency graph.
 *
 * Method: multi-start location–allocation with a penalised objective F = cost + μ·(band violation).
 * Allocation = local search with shifts and pair swaps (only connectivity-preserving ones when
 * contiguity is asked: the moved point must touch the target territory and must not be an articulation
 * point of its own); location = best medoid of each territory; then an iterated local search of
 * vertex substitutions (move one centre to another point, re-optimise, keep if better). μ grows while
 * the plan stays infeasible. Seeded PRNG: same seed + same budget ⇒ same plan.
 */
import { slack, type Model } from "./model";
import { Rng } from "./rng";
import { nowMs } from "./result";
import type { SolveOptions } from "./types";

export interface PointsOutcome {
  assign: Int32Array;
  centers: Int32Array;
  cancelled: boolean;
  feasible: boolean;
}

export function solvePoints(
  model: Model,
  opts: SolveOptions,
  deadline: number,
  rng: Rng,
  D: Float64Array,
  maxRestarts: number,
): PointsOutcome {
  const { n, k, M, w, lb, ub, lock, adj, contiguous, current, moveCost, pointCap } = model;
  const cancelledFn = opts.isCancelled ?? (() => false);
  const scale = new Float64Array(M);
  for (let m = 0; m < M; m++) scale[m] = model.total[m] / k || 1;
  const moveC = (i: number, t: number) => (current && current[i] >= 0 && current[i] !== t ? moveCost : 0);
  // mean distance to the nearest of k random centres ~ typical assignment distance
  let avgD = 0;
  for (let i = 0; i < n; i++) avgD += D[i * n + ((i * 7919 + 13) % n)];
  avgD = avgD / n / Math.sqrt(k) || 1;

  // ---- state
  const a = new Int32Array(n);
  const c = new Int32Array(k);
  const isC = new Int32Array(n).fill(-1);
  const tot = new Float64Array(k * M);
  const ubT = new Float64Array(k * M);
  let mu = (2 * avgD * n) / k;
  const vioR = (r: number, v: number) => {
    let e = 0;
    const u = ubT[r];
    const l = lb[r];
    if (v > u + slack(u)) e += v - u;
    if (v < l - slack(l)) e += l - v;
    return e / scale[r % M];
  };
  const setCentreCaps = (t: number) => {
    for (let m = 0; m < M; m++) ubT[t * M + m] = Math.min(ub[t * M + m], pointCap ? pointCap[c[t] * M + m] : Infinity);
  };
  const recompute = () => {
    tot.fill(0);
    for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) tot[a[i] * M + m] += w[i * M + m];
    for (let t = 0; t < k; t++) setCentreCaps(t);
  };
  const totalV = () => {
    let v = 0;
    for (let r = 0; r < k * M; r++) v += vioR(r, tot[r]);
    return v;
  };
  const cost = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += D[i * n + c[a[i]]] + moveC(i, a[i]);
    return s;
  };
  // connectivity helpers
  const mark = new Int32Array(n);
  let markId = 0;
  const stack = new Int32Array(n);
  /** Would territory s stay connected without point i (and, for a swap, with point j added)? */
  const staysConnected = (s: number, i: number, j: number): boolean => {
    if (!adj) return true;
    markId++;
    let start = -1;
    let size = 0;
    for (let v = 0; v < n; v++)
      if ((a[v] === s && v !== i) || v === j) {
        size++;
        if (start < 0) start = v;
      }
    if (size === 0) return false;
    let sp = 0;
    stack[sp++] = start;
    mark[start] = markId;
    let seen = 1;
    while (sp) {
      const v = stack[--sp];
      for (let e = adj.start[v]; e < adj.start[v + 1]; e++) {
        const u = adj.list[e];
        if (mark[u] !== markId && u !== i && (a[u] === s || u === j)) {
          mark[u] = markId;
          seen++;
          stack[sp++] = u;
        }
      }
    }
    return seen === size;
  };
  const touches = (i: number, t: number, except: number): boolean => {
    if (!adj) return true;
    for (let e = adj.start[i]; e < adj.start[i + 1]; e++) {
      const u = adj.list[e];
      if (a[u] === t && u !== except) return true;
    }
    return false;
  };
  // nearest other points (swap partners)
  const NN = Math.min(n - 1, 48);
  const nn = new Int32Array(n * NN);
  {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) idx[j] = j;
      const row = i * n;
      const sorted = Array.from(idx).sort((p, q) => D[row + p] - D[row + q]);
      let q = 0;
      for (const j of sorted) {
        if (j === i) continue;
        if (q >= NN) break;
        nn[i * NN + q++] = j;
      }
    }
  }
  const near = new Int32Array(n * Math.min(k, 12));
  const NL = Math.min(k, 12);
  const nearD = new Float64Array(NL);
  const refreshNear = () => {
    for (let i = 0; i < n; i++) {
      // insertion into the NL smallest
      let m = 0;
      const base = i * NL;
      for (let t = 0; t < k; t++) {
        const v = D[i * n + c[t]];
        // Insert into the sorted list of the NL nearest: grow it while short, else replace the farthest.
        if (m < NL || v < nearD[NL - 1]) {
          let q = m < NL ? m++ : NL - 1;
          while (q > 0 && nearD[q - 1] > v) {
            nearD[q] = nearD[q - 1];
            near[base + q] = near[base + q - 1];
            q--;
          }
          nearD[q] = v;
          near[base + q] = t;
        }
      }
    }
  };

  // ---- allocation local search (penalised)
  // ILS acceptance: a worse plan (within ACC relative) is accepted now and then to leave local optima;
  // not with contiguity, where the restricted moves make drifting costly.
  const ACC = contiguous ? 0 : 0.1 / k;
  // every 4th restart is a fresh k-means++ start for small k; otherwise restarts kick the best plan
  const FRESH = k <= 12;
  const localSearch = (): void => {
    for (let pass = 0; pass < 200; pass++) {
      let improved = false;
      for (let i = 0; i < n; i++) {
        if (lock[i] >= 0 || isC[i] >= 0) continue;
        const s = a[i];
        const base = D[i * n + c[s]] + moveC(i, s);
        let bestG = 1e-9;
        let bt = -1;
        let bj = -1;
        for (let q = 0; q < NL; q++) {
          const t = near[i * NL + q];
          if (t === s) continue;
          // shift
          let dv = 0;
          for (let m = 0; m < M; m++) {
            const wi = w[i * M + m];
            if (wi === 0) continue;
            const rs = s * M + m;
            const rt = t * M + m;
            dv += vioR(rs, tot[rs] - wi) - vioR(rs, tot[rs]) + vioR(rt, tot[rt] + wi) - vioR(rt, tot[rt]);
          }
          const g = base - D[i * n + c[t]] - moveC(i, t) - mu * dv;
          if (g > bestG && (!contiguous || (touches(i, t, -1) && staysConnected(s, i, -1)))) {
            bestG = g;
            bt = t;
            bj = -1;
          }
        }
        // swaps with a nearby j in another territory
        for (let qq = 0; qq < NN; qq++) {
          const j = nn[i * NN + qq];
          const t = a[j];
          if (t === s || lock[j] >= 0 || isC[j] >= 0) continue;
          const dc = D[i * n + c[t]] + D[j * n + c[s]] + moveC(i, t) + moveC(j, s) - base - D[j * n + c[t]] - moveC(j, t);
          let dv2 = 0;
          for (let m = 0; m < M; m++) {
            const d = w[i * M + m] - w[j * M + m];
            if (d === 0) continue;
            const rs = s * M + m;
            const rt = t * M + m;
            dv2 += vioR(rs, tot[rs] - d) - vioR(rs, tot[rs]) + vioR(rt, tot[rt] + d) - vioR(rt, tot[rt]);
          }
          const g2 = -dc - mu * dv2;
          if (g2 > bestG) {
            if (contiguous) {
              a[i] = t;
              a[j] = s;
              const ok = staysConnected(s, -1, -1) && staysConnected(t, -1, -1);
              a[i] = s;
              a[j] = t;
              if (!ok) continue;
            }
            bestG = g2;
            bt = t;
            bj = j;
          }
        }
        if (bt >= 0) {
          for (let m = 0; m < M; m++) {
            const d = w[i * M + m] - (bj >= 0 ? w[bj * M + m] : 0);
            tot[s * M + m] -= d;
            tot[bt * M + m] += d;
          }
          a[i] = bt;
          if (bj >= 0) a[bj] = s;
          improved = true;
        }
      }
      if (!improved) break;
    }
  };
  // ---- location: best medoid per territory
  const locate = (): boolean => {
    let changed = false;
    for (let t = 0; t < k; t++) {
      const mem: number[] = [];
      for (let i = 0; i < n; i++) if (a[i] === t) mem.push(i);
      const cur = c[t];
      let bestP = cur;
      let bestF = Infinity;
      for (const p of mem) {
        let s = 0;
        for (const i of mem) s += D[i * n + p];
        let dv = 0;
        if (pointCap) {
          for (let m = 0; m < M; m++) {
            const r = t * M + m;
            const u0 = ubT[r];
            ubT[r] = Math.min(ub[r], pointCap[p * M + m]);
            dv += vioR(r, tot[r]);
            ubT[r] = u0;
          }
        }
        const f = s + mu * dv;
        if (f < bestF - 1e-9 || (p === cur && f <= bestF + 1e-9)) {
          bestF = f;
          bestP = p;
        }
      }
      if (bestP !== cur) {
        isC[cur] = -1;
        c[t] = bestP;
        isC[bestP] = t;
        setCentreCaps(t);
        changed = true;
      }
    }
    if (changed) refreshNear();
    return changed;
  };
  const descend = () => {
    for (let r = 0; r < 30; r++) {
      localSearch();
      if (!locate()) break;
    }
  };
  // ---- construction
  const seedCentres = () => {
    isC.fill(-1);
    const dmin = new Float64Array(n).fill(Infinity);
    let first = rng.int(n);
    for (let t = 0; t < k; t++) {
      let p = first;
      if (t > 0) {
        let sum = 0;
        for (let i = 0; i < n; i++) if (isC[i] < 0) sum += dmin[i] * dmin[i];
        let u = rng.next() * sum;
        p = -1;
        for (let i = 0; i < n; i++) {
          if (isC[i] >= 0) continue;
          u -= dmin[i] * dmin[i];
          if (u <= 0) {
            p = i;
            break;
          }
        }
        if (p < 0)
          for (let i = n - 1; i >= 0; i--)
            if (isC[i] < 0) {
              p = i;
              break;
            }
      }
      c[t] = p;
      isC[p] = t;
      for (let i = 0; i < n; i++) dmin[i] = Math.min(dmin[i], D[i * n + p]);
      first = p;
    }
  };
  const initialAssign = () => {
    if (contiguous && adj) {
      // multi-source growth along the graph by distance to centre, keeps every territory connected
      a.fill(-1);
      const heap: [number, number, number][] = [];
      const push = (d: number, i: number, t: number) => {
        heap.push([d, i, t]);
        let q = heap.length - 1;
        while (q > 0) {
          const pp = (q - 1) >> 1;
          if (heap[pp][0] <= heap[q][0]) break;
          [heap[pp], heap[q]] = [heap[q], heap[pp]];
          q = pp;
        }
      };
      const pop = (): [number, number, number] => {
        const top = heap[0];
        const last = heap.pop()!;
        if (heap.length) {
          heap[0] = last;
          let q = 0;
          for (;;) {
            const l = 2 * q + 1;
            const r = l + 1;
            let s = q;
            if (l < heap.length && heap[l][0] < heap[s][0]) s = l;
            if (r < heap.length && heap[r][0] < heap[s][0]) s = r;
            if (s === q) break;
            [heap[s], heap[q]] = [heap[q], heap[s]];
            q = s;
          }
        }
        return top;
      };
      // balance-aware growth: cost = distance × (1 + load share)
      const load = new Float64Array(k);
      for (let t = 0; t < k; t++) push(0, c[t], t);
      while (heap.length) {
        const [, i, t] = pop();
        if (a[i] >= 0) continue;
        a[i] = t;
        load[t] += w[i * M] / (scale[0] || 1);
        for (let e = adj.start[i]; e < adj.start[i + 1]; e++) {
          const u = adj.list[e];
          if (a[u] < 0) push(D[u * n + c[t]] * (1 + 2 * load[t]), u, t);
        }
      }
      for (let i = 0; i < n; i++) if (a[i] < 0) a[i] = near[i * NL];
    } else {
      for (let i = 0; i < n; i++) a[i] = near[i * NL];
    }
    for (let i = 0; i < n; i++) if (lock[i] >= 0) a[i] = lock[i];
    for (let t = 0; t < k; t++) a[c[t]] = t;
    recompute();
  };

  // ---- best tracking
  let bestCost = Infinity;
  let bestFeasible = false;
  let bestV = Infinity;
  const bestA = new Int32Array(n);
  const bestC = new Int32Array(k);
  const consider = () => {
    const v = totalV();
    const feas = v === 0;
    const cst = cost();
    if ((feas && (!bestFeasible || cst < bestCost - 1e-9)) || (!bestFeasible && !feas && v < bestV)) {
      bestFeasible = feas;
      bestCost = cst;
      bestV = v;
      bestA.set(a);
      bestC.set(c);
      opts.onProgress?.({ phase: "search", fraction: 0.5, bestObjective: cst });
    }
  };
  let cancelled = false;
  const saveA = new Int32Array(n);
  const saveC = new Int32Array(k);
  const startMu = mu;
  for (let start = 0; start < maxRestarts; start++) {
    if (cancelledFn()) {
      cancelled = true;
      break;
    }
    if (start > 0 && nowMs() > deadline) break;
    mu = startMu;
    if (start >= 2 && bestFeasible && (start % 4 !== 0 || !FRESH)) {
      // restart from the best plan with a kick: a few centres moved to random nearby points
      a.set(bestA);
      c.set(bestC);
      isC.fill(-1);
      for (let q = 0; q < k; q++) isC[c[q]] = q;
      const kicks = 2 + rng.int(Math.max(1, Math.min(4, k - 1)));
      for (let kk = 0; kk < kicks; kk++) {
        const t = rng.int(k);
        const cand = nn[c[t] * NN + rng.int(Math.min(NN, 24))];
        if (isC[cand] >= 0 || (lock[cand] >= 0 && lock[cand] !== t) || (contiguous && a[cand] !== t)) continue;
        isC[c[t]] = -1;
        c[t] = cand;
        isC[cand] = t;
        a[cand] = t;
      }
      refreshNear();
      if (!contiguous) for (let i = 0; i < n; i++) if (lock[i] < 0 && isC[i] < 0) a[i] = near[i * NL];
      recompute();
    } else {
      seedCentres();
      refreshNear();
      initialAssign();
    }
    descend();
    for (let r = 0; r < 8 && totalV() > 0; r++) {
      mu *= 3;
      descend();
    }
    consider();
    // ---- iterated vertex substitution
    let fails = 0;
    const maxFails = Math.max(60, 6 * k);
    const Fcur = () => cost() + mu * totalV();
    let cur = Fcur();
    for (let it = 0; fails < maxFails; it++) {
      if (nowMs() > deadline || ((it & 7) === 0 && cancelledFn())) break;
      saveA.set(a);
      saveC.set(c);
      const t = rng.int(k);
      // new centre: a random point among the ~n/k nearest to the current centre (not a centre, not locked elsewhere)
      let p = -1;
      for (let tries = 0; tries < 20 && p < 0; tries++) {
        // a point near a random member of t (or near its centre)
        let anchor = c[t];
        for (let g = 0; g < 8; g++) {
          const q = rng.int(n);
          if (a[q] === t) {
            anchor = q;
            break;
          }
        }
        const u = rng.next();
        // mostly a point near the territory; sometimes anywhere (close here, open elsewhere)
        const cand = u < 0.1 && !contiguous ? rng.int(n) : u < 0.35 ? anchor : nn[anchor * NN + rng.int(Math.min(NN, 12))];
        if (isC[cand] >= 0 || (lock[cand] >= 0 && lock[cand] !== t)) continue;
        if (contiguous && a[cand] !== t) continue;
        p = cand;
      }
      if (p < 0) {
        fails++;
        continue;
      }
      const old = c[t];
      isC[old] = -1;
      c[t] = p;
      isC[p] = t;
      if (a[p] !== t) {
        for (let m = 0; m < M; m++) {
          tot[a[p] * M + m] -= w[p * M + m];
          tot[t * M + m] += w[p * M + m];
        }
        a[p] = t;
      }
      setCentreCaps(t);
      refreshNear();
      if (!contiguous) {
        // re-allocate all points to the nearest centre, then repair by local search
        for (let i = 0; i < n; i++) {
          if (lock[i] >= 0 || isC[i] >= 0) continue;
          if (a[i] === t) a[i] = near[i * NL];
          else if (D[i * n + p] < D[i * n + c[a[i]]]) a[i] = t;
        }
        recompute();
      }
      descend();
      const f = Fcur();
      const accept = f < cur - 1e-9 || (ACC > 0 && f < cur * (1 + ACC) && rng.next() < 0.1);
      if (accept) {
        if (f < cur - 1e-9) fails = 0;
        else fails++;
        cur = f;
        consider();
      } else {
        fails++;
        for (let q = 0; q < k; q++) isC[c[q]] = -1;
        a.set(saveA);
        c.set(saveC);
        for (let q = 0; q < k; q++) isC[c[q]] = q;
        recompute();
        refreshNear();
      }
    }
    consider();
  }
  return { assign: bestA, centers: bestC, cancelled, feasible: bestFeasible };
}
