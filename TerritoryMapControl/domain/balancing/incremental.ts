/**
 * Incremental re-solve for runtime changes with fixed centres (rep leaves, capacity change).
 *
 * Objective (unchanged): Σ distance(account, centre) + moveCost × [territory ≠ current], under the bands.
 *
 * Method: with a cost per moved account most accounts cannot profitably move whatever the new prices
 * turn out to be, so only an active set is re-optimised and every other account keeps its territory.
 *  1. Active set: accounts without an owner (e.g. the departed rep's), accounts whose lock differs from
 *     today's, accounts with a focus territory (e.g. one whose capacity changed) among their nearest
 *     centres, and accounts near a boundary: their Lagrangian margin at the previous plan's prices (best
 *     other territory minus staying, before the move cost) is below MARGIN × the mean distance, or among
 *     the ACTIVE_SHARE smallest margins when that reaches further.
 *  2. The active accounts form a sub-problem whose bands are the full bands minus what the fixed accounts
 *     bring to each territory; a cold price search (the smoothed Lagrangian dual of solveFixed) on it
 *     gives the prices of the change.
 *  3. Pricing out: every fixed account whose reduced cost at those prices, move cost included, says it
 *     would rather move joins the active set.
 *  4. The sub-problem is solved from those prices (argmin, greedy repair, ejection chains along the
 *     territory graph when a band can only be met by passing the change on through several territories,
 *     then single moves and swaps); 3–4 are repeated once if pricing out still adds more than 1 % of
 *     the active accounts. With a move cost the price search's steps are stretched to the move cost
 *     (fixed/prices.ts scheduleReach): the prices that make an account leave its territory must pay for the move;
 *     and the accounts without an owner get more candidate territories (fixed/candidates.ts UNOWNED_CANDIDATES).
 *     A plan left a sliver outside a band (NEAR_FEASIBLE) is repaired again with every account of the
 *     territories concerned before a wider stage is tried.
 * When the sub-problem cannot be balanced (the change needs accounts deeper inside territories, e.g. a
 * rep at the edge of the map whose neighbours are all at their band edge), the active set grows in
 * stages: the margin is multiplied by GROW and 2–4 run again from the last prices (progress phases
 * `stage-1`, `stage-2`, ...). Only when STAGES stages fail, or the active set would be most of the
 * accounts, is the full problem solved (`full-resolve`); a full-solve plan still outside a band is
 * band-repaired (`band-repair`, ejection chains) and reported infeasible only if that fails. Up to
 * SMALL_N accounts the full problem is solved as well and the lower-objective plan kept. The reported
 * lower bound is the Lagrangian dual of the FULL problem at the final prices or at the previous plan's
 * prices, whichever is higher (exact over each account's nearest centres, bounded below elsewhere): a
 * proven bound.
 * How many accounts move is set by the objective, i.e. by the move cost (runtime.ts defaultMoveCost,
 * or the caller's): the re-solve does not trade objective for fewer moves behind the caller's back.
 * Deterministic for a seed (no decision depends on the clock unless the time limit is hit).
 */
import { diagnose } from "./diagnostics";
import { repairPlan, solveFixed } from "./fixed";
import { compileProblem, slack, type Model } from "./model";
import { buildResult, nowMs } from "./result";
import { Rng } from "./rng";
import { solve } from "./solve";
import { DEFAULT_OPTIONS, type BalanceResult, type SolveOptions, type TerritoryProblem } from "./types";

export interface IncrementalOptions {
  /** Previous prices (original units, k × M of the NEW problem; NaN/undefined rows = unknown → 0). */
  prices: ArrayLike<number> | null;
  /** Territories whose surroundings are re-optimised in full (new rep, changed capacity). */
  focus: number[];
}

/** Margin (in units of the mean distance to today's centre) below which an account is re-optimised. */
const MARGIN = 0.035;
/**
 * At least this share of the owned accounts, those nearest a boundary, is re-optimised (the margin is raised
 * until it is reached). A margin in distance units alone selects fewer accounts on a sparser base: 6 % of the
 * accounts on the 25k test base against 10.5 % on the 100k bench base, and there the incremental plan ended
 * 2.7–3.3 % above a full re-solve at 8× the mean distance per move (with this share: 3 % below it, 132 instead
 * of 301 accounts moved).
 */
const ACTIVE_SHARE = 0.1;
/** Fixed accounts whose reduced margin at the sub-problem's prices is below this join the active set. */
const PRICE_OUT = 0;
/** Warm re-solves after pricing out, while pricing out still adds accounts. */
const MAX_ROUNDS = 2;
/** Active-set stages before the full re-solve; each multiplies the margin by GROW. */
const STAGES = 3;
const GROW = 3;
/** Above this share of the accounts, the full problem is solved instead. */
const MAX_ACTIVE = 0.6;
/** Nearest centres examined per account (margins and the bound). */
const NEAR = 8;
/** An account having a focus territory among its FOCUS_NEAR nearest centres is re-optimised. */
const FOCUS_NEAR = 4;
/**
 * Pair-swap repair rounds in a sub-problem: when single moves cannot balance it, the change needs more
 * than the active set, and the full problem is solved instead of a long repair.
 */
const SUB_PAIR_ROUNDS = 30;
/** Up to this many accounts the full problem is solved too and the better plan kept. */
const SMALL_N = 20_000;
/**
 * A sub-problem plan outside its bands by at most this much (summed over territories and measures, in
 * territory means) is band-repaired on all the accounts before a wider stage is tried: on the 100k bases a
 * handful of reps ended stage 1 at 0.0006–0.002 (a few accounts' worth) and the wider stage cost 1–3 s more.
 */
const NEAR_FEASIBLE = 0.02;
/** Dual iterations for the sub-problem (it starts from fewer, better-placed accounts). */
const SUB_DUAL_ITERATIONS = 120;

interface Nearest {
  L: number;
  t: Int32Array;
  d: Float64Array;
  /** Distance to the L-th nearest centre (every other centre is at least that far). */
  cut: Float64Array;
  /** Distance to today's centre (−1 = no owner). */
  dCur: Float64Array;
}

function nearestCentres(model: Model, L0: number): Nearest {
  const { n, k, x, y, cx, cy, current, dist } = model;
  const L = Math.min(L0, k);
  const t = new Int32Array(n * L);
  const d = new Float64Array(n * L);
  const cut = new Float64Array(n).fill(Infinity);
  const dCur = new Float64Array(n).fill(-1);
  // geographic: the chord between 3-D unit vectors, R·chord, is at most the great-circle distance
  // 2R·asin(chord / 2) and within 0.03 % of it up to 500 km: close enough for margins, and a valid
  // under-estimate for the lower bound, without any trigonometry per account–centre pair
  const geo = model.kind === "haversine-km";
  const R = 6371.0088;
  const RAD = Math.PI / 180;
  const ux = new Float64Array(k);
  const uy = new Float64Array(k);
  const uz = new Float64Array(k);
  if (geo) {
    for (let s = 0; s < k; s++) {
      ux[s] = Math.cos(cy[s] * RAD) * Math.cos(cx[s] * RAD);
      uy[s] = Math.cos(cy[s] * RAD) * Math.sin(cx[s] * RAD);
      uz[s] = Math.sin(cy[s] * RAD);
    }
  }
  const key = new Float64Array(k);
  const idx = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    if (geo) {
      const la = y[i] * RAD;
      const lo = x[i] * RAD;
      const cl = Math.cos(la);
      const ax = cl * Math.cos(lo);
      const ay = cl * Math.sin(lo);
      const az = Math.sin(la);
      for (let s = 0; s < k; s++) {
        const dx = ax - ux[s];
        const dy = ay - uy[s];
        const dz = az - uz[s];
        key[s] = dx * dx + dy * dy + dz * dz;
      }
    } else for (let s = 0; s < k; s++) key[s] = dist(x[i], y[i], cx[s], cy[s]);
    let m = 0;
    for (let s = 0; s < k; s++) {
      const v = key[s];
      if (m < L) {
        let p = m++;
        while (p > 0 && key[idx[p - 1]] > v) {
          idx[p] = idx[p - 1];
          p--;
        }
        idx[p] = s;
      } else if (v < key[idx[L - 1]]) {
        let p = L - 1;
        while (p > 0 && key[idx[p - 1]] > v) {
          idx[p] = idx[p - 1];
          p--;
        }
        idx[p] = s;
      }
    }
    const base = i * L;
    for (let j = 0; j < L; j++) {
      const s = idx[j];
      t[base + j] = s;
      d[base + j] = geo ? R * Math.sqrt(key[s]) : key[s];
    }
    if (L < k) cut[i] = d[base + L - 1];
    const c = current ? current[i] : -1;
    if (c >= 0) dCur[i] = geo ? R * Math.sqrt(key[c]) : key[c];
  }
  return { L, t, d, cut, dCur };
}

/** Sub-model of the accounts `act` (in index order); bands shifted by what the other accounts bring. */
function subModel(model: Model, act: Int32Array, fixedTot: Float64Array): Model {
  const { M, k } = model;
  const na = act.length;
  const x = new Float64Array(na);
  const y = new Float64Array(na);
  const w = new Float64Array(na * M);
  const lock = new Int32Array(na);
  const current = new Int32Array(na);
  const total = new Float64Array(M);
  const ids: string[] = new Array(na);
  for (let q = 0; q < na; q++) {
    const i = act[q];
    x[q] = model.x[i];
    y[q] = model.y[i];
    for (let m = 0; m < M; m++) {
      w[q * M + m] = model.w[i * M + m];
      total[m] += model.w[i * M + m];
    }
    lock[q] = model.lock[i];
    current[q] = model.current ? model.current[i] : -1;
    ids[q] = model.ids[i];
  }
  const lb = new Float64Array(k * M);
  const ub = new Float64Array(k * M);
  for (let r = 0; r < k * M; r++) {
    // (the checks widen a band by slack(bound); slack(bound − fixed) ≤ slack(bound) for 0 ≤ fixed ≤ bound)
    lb[r] = model.lb[r] - fixedTot[r];
    ub[r] = model.ub[r] - fixedTot[r];
  }
  return { ...model, n: na, x, y, w, lock, current, total, ids, lb, ub, pointCap: null, adj: null, contiguous: false };
}

/**
 * How far a plan is outside its bands: the violation summed over territories and measures, in territory means
 * (as the repair counts it), and the territories with a measure outside its band (beyond the validator's slack).
 */
function bandViolation(model: Model, assign: Int32Array): { total: number; territories: Uint8Array } {
  const { n, k, M, w, lb, ub, total } = model;
  const tot = new Float64Array(k * M);
  for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) tot[assign[i] * M + m] += w[i * M + m];
  const territories = new Uint8Array(k);
  let v = 0;
  for (let r = 0; r < k * M; r++) {
    const unit = total[r % M] / k || 1;
    if (tot[r] > ub[r]) v += (tot[r] - ub[r]) / unit;
    else if (tot[r] < lb[r]) v += (lb[r] - tot[r]) / unit;
    if (tot[r] > ub[r] + slack(ub[r]) || tot[r] < lb[r] - slack(lb[r])) territories[(r / M) | 0] = 1;
  }
  return { total: v, territories };
}

/** Lagrangian dual of the full problem at prices `pr` (original units): a proven lower bound. */
function fullBound(model: Model, near: Nearest, pr: ArrayLike<number>): number {
  const { n, k, M, w, lb, ub, current, moveCost, lock } = model;
  const { L, t, d, cut, dCur } = near;
  const minPrice = new Float64Array(M).fill(Infinity);
  for (let r = 0; r < k * M; r++) minPrice[r % M] = Math.min(minPrice[r % M], pr[r]);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = current ? current[i] : -1;
    const wi = i * M;
    if (lock[i] >= 0) {
      const s = lock[i];
      let v = model.dist(model.x[i], model.y[i], model.cx[s], model.cy[s]) + (c >= 0 && c !== s ? moveCost : 0);
      for (let m = 0; m < M; m++) v += pr[s * M + m] * w[wi + m];
      sum += v;
      continue;
    }
    let best = Infinity;
    for (let j = 0; j < L; j++) {
      const s = t[i * L + j];
      let v = d[i * L + j] + (c >= 0 && c !== s ? moveCost : 0);
      for (let m = 0; m < M; m++) v += pr[s * M + m] * w[wi + m];
      if (v < best) best = v;
    }
    if (c >= 0) {
      let v = dCur[i];
      for (let m = 0; m < M; m++) v += pr[c * M + m] * w[wi + m];
      if (v < best) best = v;
    }
    if (cut[i] < Infinity) {
      // any other centre is at least cut[i] away and is not today's (that one is counted above);
      // its price term is at least Σ_m w_im · min_t p_tm (weights are ≥ 0)
      let v = cut[i] + (c >= 0 ? moveCost : 0);
      for (let m = 0; m < M; m++) v += w[wi + m] * minPrice[m];
      if (v < best) best = v;
    }
    sum += best;
  }
  for (let r = 0; r < k * M; r++) {
    if (pr[r] > 0) sum -= pr[r] * ub[r];
    else if (pr[r] < 0) sum -= pr[r] * lb[r];
  }
  return sum;
}

/**
 * Marks the fixed accounts whose reduced margin at prices `pr` (cost of the best other territory,
 * move cost included, minus the cost of staying; in units of D0) is below `th`. Returns how many.
 */
function priceOut(model: Model, near: Nearest, pr: ArrayLike<number>, active: Uint8Array, D0: number, th: number): number {
  const { n, M, w, current, moveCost, lock } = model;
  const { L, t, d, dCur } = near;
  let added = 0;
  for (let i = 0; i < n; i++) {
    if (active[i] || lock[i] >= 0) continue;
    const c = current![i];
    let stay = dCur[i];
    for (let m = 0; m < M; m++) stay += pr[c * M + m] * w[i * M + m];
    let other = Infinity;
    for (let j = 0; j < L; j++) {
      const s = t[i * L + j];
      if (s === c) continue;
      let v = d[i * L + j] + moveCost;
      for (let m = 0; m < M; m++) v += pr[s * M + m] * w[i * M + m];
      if (v < other) other = v;
    }
    if ((other - stay) / D0 < th) {
      active[i] = 1;
      added++;
    }
  }
  return added;
}

/** The margin below which `share` of the accounts with a finite margin lie (−Infinity when there are none). */
function shareMargin(margin: Float64Array, share: number): number {
  let c = 0;
  for (let i = 0; i < margin.length; i++) if (Number.isFinite(margin[i])) c++;
  if (c === 0) return -Infinity;
  const fin = new Float64Array(c);
  c = 0;
  for (let i = 0; i < margin.length; i++) if (Number.isFinite(margin[i])) fin[c++] = margin[i];
  fin.sort();
  return fin[Math.min(c - 1, Math.floor(share * c))];
}

/**
 * Re-solves `problem` (fixed centres, with `current` and `moveCost`) keeping accounts far from any
 * boundary where they are. Falls back to a full solve when the problem is not of that kind, or when the
 * active set would be most of the accounts anyway.
 */
export function solveIncremental(problem: TerritoryProblem, inc: IncrementalOptions, options: Partial<SolveOptions> = {}): BalanceResult {
  const start = nowMs();
  const opts: SolveOptions = { ...DEFAULT_OPTIONS, ...options };
  const model = compileProblem(problem);
  const full = () => solve(problem, { ...options, warmPrices: null });
  if (!model.fixed || !model.current || model.contiguous) return full();
  const diagnostics = diagnose(model);
  const deadline = start + (opts.timeLimitMs ?? 20_000);
  const { n, k, M, w, current, lock } = model;
  const cur = current!;
  opts.onProgress?.({ phase: "start", fraction: 0 });
  const near = nearestCentres(model, NEAR);
  const { L } = near;
  const pr = new Float64Array(k * M);
  if (inc.prices && inc.prices.length === k * M) for (let r = 0; r < k * M; r++) pr[r] = Number.isFinite(inc.prices[r]) ? inc.prices[r] : 0;
  for (let r = 0; r < k * M; r++) {
    if ((pr[r] > 0 && model.ub[r] === Infinity) || (pr[r] < 0 && model.lb[r] === -Infinity)) pr[r] = 0;
  }
  const isFocus = new Uint8Array(k);
  for (const f of inc.focus) if (f >= 0 && f < k) isFocus[f] = 1;
  // margins at the previous prices, in units of the mean distance to today's centre
  let D0 = 0;
  let owned = 0;
  for (let i = 0; i < n; i++) {
    if (near.dCur[i] >= 0) {
      D0 += near.dCur[i];
      owned++;
    }
  }
  D0 = owned && D0 > 0 ? D0 / owned : 1;
  const margin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = cur[i];
    if (c < 0 || (lock[i] >= 0 && lock[i] !== c)) {
      margin[i] = -Infinity;
      continue;
    }
    if (lock[i] >= 0) {
      margin[i] = Infinity;
      continue;
    }
    if (isFocus[c]) {
      margin[i] = -Infinity;
      continue;
    }
    let stay = near.dCur[i];
    for (let m = 0; m < M; m++) stay += pr[c * M + m] * w[i * M + m];
    let other = Infinity;
    let focusNear = false;
    for (let j = 0; j < L; j++) {
      const s = near.t[i * L + j];
      if (isFocus[s] && j < FOCUS_NEAR) focusNear = true;
      if (s === c) continue;
      let v = near.d[i * L + j];
      for (let m = 0; m < M; m++) v += pr[s * M + m] * w[i * M + m];
      if (v < other) other = v;
    }
    margin[i] = focusNear ? -Infinity : (other - stay) / D0;
  }
  const rng = new Rng(opts.seed);
  const active = new Uint8Array(n);
  const margin0 = Math.max(MARGIN, shareMargin(margin, ACTIVE_SHARE));
  for (let i = 0; i < n; i++) if (margin[i] < margin0) active[i] = 1;
  /** The sub-problem of the flagged accounts; every other account stays in today's territory. */
  const subOf = (flags: Uint8Array = active) => {
    let na = 0;
    for (let i = 0; i < n; i++) if (flags[i]) na++;
    const act = new Int32Array(na);
    const fixedTot = new Float64Array(k * M);
    na = 0;
    for (let i = 0; i < n; i++) {
      if (flags[i]) act[na++] = i;
      else for (let m = 0; m < M; m++) fixedTot[cur[i] * M + m] += w[i * M + m];
    }
    return { act, sub: subModel(model, act, fixedTot) };
  };
  // (no coordinate polish in the sub-problems: the repair that follows does that work for less)
  const subOpts: SolveOptions = { ...opts, warmPrices: null, dualIterations: SUB_DUAL_ITERATIONS, polishSweeps: 0 };
  const cancelled = () => opts.isCancelled?.() ?? false;
  // Stages: the active set at margin MARGIN, then widened geometrically (× GROW) while the restricted
  // problem cannot be balanced; at each stage
  // 1. prices of the change, from the active accounts (a cold price search on the first stage, the
  //    previous stage's prices after that);
  // 2. pricing out: fixed accounts that would rather move at those prices join the active set;
  // 3. the active accounts are re-solved from those prices (and 2–3 repeated while accounts join).
  let prices: Float64Array | null = null;
  let best: BalanceResult | null = null;
  let boundOld: number | null = null;
  let th = margin0;
  for (let stage = 1; stage <= STAGES; stage++, th *= GROW) {
    for (let i = 0; i < n; i++) if (margin[i] < th) active[i] = 1;
    const phase = `stage-${stage}`;
    const f0 = (stage - 1) / STAGES;
    if (!prices) {
      const first = subOf();
      if (first.act.length > MAX_ACTIVE * n) break;
      opts.onProgress?.({ phase, fraction: 0.05 + 0.85 * f0 });
      const out = solveFixed(first.sub, subOpts, deadline, rng, "prices");
      if (out.cancelled) break;
      prices = out.prices;
      priceOut(model, near, prices, active, D0, PRICE_OUT);
    }
    let stageBest: BalanceResult | null = null;
    let tooBig = false;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { act, sub } = subOf();
      const na = act.length;
      if (na > MAX_ACTIVE * n) {
        tooBig = true;
        break;
      }
      opts.onProgress?.({ phase, fraction: Math.min(0.9, 0.05 + 0.85 * (f0 + (0.3 + 0.3 * round) / STAGES)) });
      const out = solveFixed(sub, { ...subOpts, warmPrices: prices }, deadline, rng, "no-bound", SUB_PAIR_ROUNDS);
      const assign = Int32Array.from(cur);
      for (let q = 0; q < na; q++) assign[act[q]] = out.assign[q];
      // the best of valid dual values: at the new prices and at the previous plan's
      if (boundOld === null) boundOld = fullBound(model, near, pr);
      const lowerBound = out.cancelled ? null : Math.max(fullBound(model, near, out.prices), boundOld, best?.lowerBound ?? -Infinity);
      let result = buildResult(model, assign, null, lowerBound, start, diagnostics, out.cancelled, out.prices);
      const outside = result.feasible ? null : bandViolation(model, assign);
      if (outside && outside.total <= NEAR_FEASIBLE && !out.cancelled && !cancelled()) {
        // a sliver outside a band that the restricted repair could not remove (two measures tight in every
        // territory around): the repair again, from this plan, with every account of the territories outside
        // their bands added to the active ones, before a wider stage is tried
        const bad = outside.territories;
        const wider = new Uint8Array(n);
        for (let i = 0; i < n; i++) if (active[i] || bad[assign[i]] || (cur[i] >= 0 && bad[cur[i]])) wider[i] = 1;
        const { act: actW, sub: subW } = subOf(wider);
        const subAssign = new Int32Array(actW.length);
        for (let q = 0; q < actW.length; q++) subAssign[q] = assign[actW[q]];
        repairPlan(subW, subAssign, opts, deadline, rng, SUB_PAIR_ROUNDS);
        const fixedPlan = Int32Array.from(assign);
        for (let q = 0; q < actW.length; q++) fixedPlan[actW[q]] = subAssign[q];
        const repaired = buildResult(model, fixedPlan, null, lowerBound, start, diagnostics, false, out.prices);
        if (repaired.feasible) result = repaired;
      }
      if (!stageBest || (result.feasible && (!stageBest.feasible || result.objective < stageBest.objective))) stageBest = result;
      if (out.cancelled || cancelled()) break;
      prices = out.prices;
      // the active set could not absorb the change: the next stage widens it
      if (!result.feasible) break;
      if (priceOut(model, near, prices, active, D0, PRICE_OUT) <= 0.01 * na) break;
    }
    if (stageBest && (!best || (stageBest.feasible && (!best.feasible || stageBest.objective < best.objective)))) best = stageBest;
    if (tooBig || (best && (best.feasible || best.status === "cancelled")) || cancelled()) break;
  }
  if (best && (best.feasible || best.status === "cancelled")) {
    if (best.feasible && n <= SMALL_N && !cancelled()) {
      // small problems: the full solve is cheap; keep whichever plan has the lower objective
      const other = full();
      if (other.feasible && other.objective < best.objective - 1e-9 * Math.abs(best.objective)) {
        other.lowerBound = Math.max(other.lowerBound ?? -Infinity, best.lowerBound ?? -Infinity);
        best = other;
      }
    }
    best.timeMs = Math.round(nowMs() - start);
    opts.onProgress?.({ phase: "done", fraction: 1, bestObjective: best.objective, lowerBound: best.lowerBound });
    return best;
  }
  // last resort: the full problem (the change needs accounts deep inside territories)
  opts.onProgress?.({ phase: "full-resolve", fraction: 0.9 });
  let fallback = full();
  if (!fallback.feasible && fallback.status !== "cancelled" && !cancelled()) {
    // band repair of the full solve's plan (ejection chains): small excesses are removed, and the
    // plan is reported infeasible only when they cannot be
    opts.onProgress?.({ phase: "band-repair", fraction: 0.95 });
    const assign = Int32Array.from(fallback.assignment);
    repairPlan(model, assign, opts, nowMs(), rng, SUB_PAIR_ROUNDS);
    const repaired = buildResult(
      model,
      assign,
      null,
      fallback.lowerBound,
      start,
      diagnostics,
      false,
      fallback.prices ? Float64Array.from(fallback.prices) : undefined,
    );
    if (repaired.feasible || Math.max(...repaired.maxDeviation) < Math.max(...fallback.maxDeviation)) fallback = repaired;
  }
  // a plan from the stages that is closer to the bands than the full solve's is not thrown away
  if (!fallback.feasible && best && !best.feasible && Math.max(...best.maxDeviation) < Math.max(...fallback.maxDeviation)) fallback = best;
  fallback.timeMs = Math.round(nowMs() - start);
  opts.onProgress?.({ phase: "done", fraction: 1, bestObjective: fallback.objective, lowerBound: fallback.lowerBound });
  return fallback;
}
