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
 */
import { slack, type Model } from "./model";
import { Rng } from "./rng";
import { nowMs } from "./result";
import type { SolveOptions } from "./types";

export interface FixedOutcome {
  assign: Int32Array;
  lowerBound: number | null;
  prices: Float64Array;
  cancelled: boolean;
}

interface Cand {
  L: number;
  /** Lower bound on the cost of any non-candidate territory (Infinity when there is none). */
  cutoff: Float64Array;
  cnt: Uint8Array;
  t: Int32Array;
  c: Float64Array;
}

function buildCandidates(model: Model, L0: number): Cand {
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

/** Accounts re-ordered along a serpentine grid so that neighbouring accounts sit close in memory. */
function spatialOrder(model: Model): Int32Array {
  const { n, x, y } = model;
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < x0) x0 = x[i];
    if (x[i] > x1) x1 = x[i];
    if (y[i] < y0) y0 = y[i];
    if (y[i] > y1) y1 = y[i];
  }
  const g = 256;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(g - 1, Math.floor(((x[i] - x0) / (x1 - x0 || 1)) * g));
    const cy = Math.min(g - 1, Math.floor(((y[i] - y0) / (y1 - y0 || 1)) * g));
    key[i] = cy * g + (cy % 2 ? g - 1 - cx : cx);
  }
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => key[a] - key[b]);
  return perm;
}

function permuteModel(model: Model, perm: Int32Array): Model {
  const { n, M } = model;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n * M);
  const lock = new Int32Array(n);
  const current = model.current ? new Int32Array(n) : null;
  for (let q = 0; q < n; q++) {
    const i = perm[q];
    x[q] = model.x[i];
    y[q] = model.y[i];
    for (let m = 0; m < M; m++) w[q * M + m] = model.w[i * M + m];
    lock[q] = model.lock[i];
    if (current) current[q] = model.current![i];
  }
  return { ...model, x, y, w, lock, current, ids: perm.length ? Array.from(perm, (i) => model.ids[i]) : model.ids };
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
  const { n, k, M, w, lb, ub } = model;
  const cancelledFn = opts.isCancelled ?? (() => false);
  const cand = buildCandidates(model, opts.candidates);
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

/**
 * Exact coordinate ascent on the hard Lagrangian dual: for each band row (t, m) in turn, move its price
 * to the breakpoint where territory t's total (under the argmin assignment) enters its band, or, when
 * the price is non-zero and the total sits strictly inside the band, towards zero while it stays in.
 * Each step can only raise the dual; it also makes the argmin plan nearly balanced.
 */
function coordinatePolish(
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

/**
 * Hard Lagrangian dual value (a proven lower bound), original units. Exact over the candidate centres;
 * every other centre costs at least `cutoff` (the L-th smallest cost) plus the smallest price term.
 */
function dualBound(model: Model, cand: Cand, p: Float64Array, D0: number, avgW: Float64Array): number {
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

/** Bands widened by their slack, ub + slack(ub) and lb − slack(lb): the same values the checks used inline. */
function slackBands(model: Model): { ubS: Float64Array; lbS: Float64Array } {
  const R = model.k * model.M;
  const ubS = new Float64Array(R);
  const lbS = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    ubS[r] = model.ub[r] + slack(model.ub[r]);
    lbS[r] = model.lb[r] - slack(model.lb[r]);
  }
  return { ubS, lbS };
}

/**
 * Greedy repair of band violations (cheapest extra cost per unit of violation removed), pair swaps and
 * ejection chains, then feasible improving single moves and swaps between neighbouring territories.
 */
function repairAndImprove(model: Model, cand: Cand, assign: Int32Array, deadline: number, rng: Rng, pairRounds: number): void {
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
    // each still removes violation at the totals as they stand (one round used to apply only the first, and
    // a sliver of excess took 30 rounds of ~10 ms)
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

/**
 * Candidate territories of an account without an owner when moves cost something (the others keep
 * `candidates`, 12 by default). With 12, a departed rep's accounts could reach only the first ring or two of
 * territories around; when those were at their band edges the change was passed on by moving owned accounts,
 * territory after territory. On the unseen 100k base (seed 7) at 8× the mean distance per move, 20 brought the
 * worst reps from 0.57–0.69× to 0.24–0.37× the departed rep's accounts moved, with a 2–4 % lower objective; 30
 * did no better.
 */
const UNOWNED_CANDIDATES = 20;

/** Sum of the learning rates of a geometric schedule of `steps` steps from lr0 to lr1: how far it can move a price. */
function scheduleReach(steps: number, lr0: number, lr1: number): number {
  let sum = 0;
  for (let it = 0; it < steps; it++) sum += lr0 * Math.pow(lr1 / lr0, steps > 1 ? it / (steps - 1) : 1);
  return sum || 1;
}

/**
 * A greedy repair round that removes less than this share of the band violation is slow; two in a row
 * hand over to the ejection chains (measured on rep-leaves sub-problems of 11–14k accounts: 60 greedy rounds
 * took 360–600 ms and left 0.15–0.19 territory means of violation, which the chains then removed in 80 ms).
 */
const STALL = 0.1;

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
function chainRepair(
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

function swapImprove(
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
