/**
 * Compiles a TerritoryProblem into the engine's internal model (typed arrays, bands per territory and
 * measure, adjacency in CSR form) and rejects malformed input with a clear message (ProblemError).
 */
import { distanceFn, type DistanceFn } from "./distance";
import type { DistanceKind, TerritoryProblem } from "./types";
import { delaunayEdges } from "./delaunay";

export class ProblemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProblemError";
  }
}

export interface Adjacency {
  start: Int32Array; // n + 1
  list: Int32Array;
}

export interface Model {
  name: string;
  n: number;
  k: number;
  M: number;
  measures: string[];
  ids: string[];
  x: Float64Array;
  y: Float64Array;
  /** n × M weights. */
  w: Float64Array;
  kind: DistanceKind;
  dist: DistanceFn;
  fixed: boolean;
  cx: Float64Array;
  cy: Float64Array;
  /** n × M capacity of a point as a centre (Infinity = none); null when no point has one. */
  pointCap: Float64Array | null;
  /** k × M lower / upper bands (−Infinity / Infinity when none); upper includes `capacities`. */
  lb: Float64Array;
  ub: Float64Array;
  /** Per measure: true when some row constrains it. */
  constrained: boolean[];
  lock: Int32Array;
  current: Int32Array | null;
  moveCost: number;
  contiguous: boolean;
  adj: Adjacency | null;
  total: Float64Array;
}

const EPS = 1e-9;
export function slack(bound: number): number {
  return EPS * Math.max(1, Math.abs(bound));
}

function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

export function buildAdjacency(n: number, edges: ArrayLike<number>[] | Int32Array): Adjacency {
  const deg = new Int32Array(n + 1);
  const m = edges instanceof Int32Array ? edges.length / 2 : edges.length;
  const ea = (e: number) => (edges instanceof Int32Array ? edges[2 * e] : (edges[e] as ArrayLike<number>)[0]);
  const eb = (e: number) => (edges instanceof Int32Array ? edges[2 * e + 1] : (edges[e] as ArrayLike<number>)[1]);
  for (let e = 0; e < m; e++) {
    deg[ea(e)]++;
    deg[eb(e)]++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + deg[i];
  const fill = start.slice(0, n);
  const list = new Int32Array(start[n]);
  for (let e = 0; e < m; e++) {
    const a = ea(e);
    const b = eb(e);
    list[fill[a]++] = b;
    list[fill[b]++] = a;
  }
  return { start, list };
}

export function compileProblem(p: TerritoryProblem): Model {
  if (p === null || typeof p !== "object") throw new ProblemError("Problem must be an object");
  const kind = p.distance;
  if (kind !== "euclidean" && kind !== "euclidean-floor" && kind !== "haversine-km") {
    throw new ProblemError(`"distance" must be "euclidean", "euclidean-floor" or "haversine-km" (got ${JSON.stringify(kind)})`);
  }
  const geographic = p.space === "geographic" || kind === "haversine-km";
  if (!Array.isArray(p.points)) throw new ProblemError('"points" must be an array');
  const n = p.points.length;
  const k = p.territories;
  if (!Number.isInteger(k) || k <= 0) throw new ProblemError(`"territories" must be a positive integer (got ${JSON.stringify(k)})`);
  if (k > n) throw new ProblemError(`"territories" (${k}) is larger than the number of points (${n})`);
  if (!Array.isArray(p.measures) || p.measures.some((m) => typeof m !== "string")) {
    throw new ProblemError('"measures" must be an array of names');
  }
  const M = p.measures.length;
  if (new Set(p.measures).size !== M) throw new ProblemError('"measures" contains a duplicate name');
  if (p.centers !== "fixed" && p.centers !== "points") {
    throw new ProblemError(`"centers" must be "fixed" or "points" (got ${JSON.stringify(p.centers)})`);
  }
  const fixed = p.centers === "fixed";
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n * M);
  const ids: string[] = new Array(n);
  const seen = new Set<string>();
  let pointCap: Float64Array | null = null;
  const lock = new Int32Array(n).fill(-1);
  const total = new Float64Array(M);
  for (let i = 0; i < n; i++) {
    const pt = p.points[i];
    if (pt === null || typeof pt !== "object") throw new ProblemError(`points[${i}] must be an object`);
    const id = pt.id;
    if (typeof id !== "string" && typeof id !== "number") throw new ProblemError(`points[${i}] has no "id"`);
    const sid = String(id);
    if (seen.has(sid)) throw new ProblemError(`Duplicate point id "${sid}" (points[${i}])`);
    seen.add(sid);
    ids[i] = sid;
    if (!isNum(pt.x) || !isNum(pt.y)) throw new ProblemError(`Point "${sid}" (points[${i}]) has missing or non-numeric coordinates`);
    if (geographic && (Math.abs(pt.y) > 90 || Math.abs(pt.x) > 180)) {
      throw new ProblemError(`Point "${sid}" has coordinates outside longitude [-180, 180] / latitude [-90, 90]`);
    }
    x[i] = pt.x;
    y[i] = pt.y;
    if (!Array.isArray(pt.w) || pt.w.length !== M) {
      throw new ProblemError(`Point "${sid}" must have "w" with ${M} weight(s), one per measure`);
    }
    for (let m = 0; m < M; m++) {
      const v = pt.w[m];
      if (!isNum(v)) throw new ProblemError(`Point "${sid}" has a non-numeric weight for "${p.measures[m]}" (${String(v)})`);
      if (v < 0) throw new ProblemError(`Point "${sid}" has a negative weight for "${p.measures[m]}" (${v})`);
      w[i * M + m] = v;
      total[m] += v;
    }
    if (pt.cap !== undefined && pt.cap !== null) {
      if (!Array.isArray(pt.cap) || pt.cap.length !== M) throw new ProblemError(`Point "${sid}" must have "cap" with ${M} value(s)`);
      if (!pointCap) pointCap = new Float64Array(n * M).fill(Infinity);
      for (let m = 0; m < M; m++) {
        const c = pt.cap[m];
        if (c === null) continue;
        if (!isNum(c) || c < 0) throw new ProblemError(`Point "${sid}" has an invalid capacity for "${p.measures[m]}" (${String(c)})`);
        pointCap[i * M + m] = c;
      }
    }
    if (pt.lock !== undefined && pt.lock !== null) {
      if (!Number.isInteger(pt.lock) || pt.lock < 0 || pt.lock >= k) {
        throw new ProblemError(`Point "${sid}" is locked to territory ${String(pt.lock)}, which does not exist (0..${k - 1})`);
      }
      lock[i] = pt.lock;
    }
  }
  const cx = new Float64Array(fixed ? k : 0);
  const cy = new Float64Array(fixed ? k : 0);
  if (fixed) {
    if (!Array.isArray(p.fixedCenters) || p.fixedCenters.length !== k) {
      throw new ProblemError(`"fixedCenters" must list exactly ${k} centres (one per territory) when "centers" is "fixed"`);
    }
    p.fixedCenters.forEach((c, t) => {
      if (!c || !isNum(c.x) || !isNum(c.y)) throw new ProblemError(`fixedCenters[${t}] has missing or non-numeric coordinates`);
      cx[t] = c.x;
      cy[t] = c.y;
    });
  }
  checkMagnitudes(p, n, k, M, x, y, cx, cy, w, total, fixed);
  const lb = new Float64Array(k * M).fill(-Infinity);
  const ub = new Float64Array(k * M).fill(Infinity);
  const constrained = new Array<boolean>(M).fill(false);
  for (const rule of p.balance ?? []) {
    const m = p.measures.indexOf(rule.measure);
    if (m < 0) throw new ProblemError(`Balance rule names unknown measure "${rule.measure}"`);
    const mean = total[m] / k;
    let lo = -Infinity;
    let hi = Infinity;
    if (rule.tolerance !== undefined && rule.tolerance !== null) {
      if (!isNum(rule.tolerance) || rule.tolerance < 0)
        throw new ProblemError(`Balance tolerance for "${rule.measure}" must be a number ≥ 0`);
      lo = (1 - rule.tolerance) * mean;
      hi = (1 + rule.tolerance) * mean;
    }
    if (rule.min !== undefined && rule.min !== null) {
      if (!isNum(rule.min)) throw new ProblemError(`Balance min for "${rule.measure}" must be a number`);
      lo = Math.max(lo, rule.min);
    }
    if (rule.max !== undefined && rule.max !== null) {
      if (!isNum(rule.max)) throw new ProblemError(`Balance max for "${rule.measure}" must be a number`);
      hi = Math.min(hi, rule.max);
    }
    if (lo === -Infinity && hi === Infinity) throw new ProblemError(`Balance rule for "${rule.measure}" needs a tolerance, min or max`);
    constrained[m] = true;
    for (let t = 0; t < k; t++) {
      lb[t * M + m] = Math.max(lb[t * M + m], lo);
      ub[t * M + m] = Math.min(ub[t * M + m], hi);
    }
  }
  if (p.capacities !== undefined && p.capacities !== null) {
    if (!Array.isArray(p.capacities) || p.capacities.length !== k)
      throw new ProblemError(`"capacities" must have one row per territory (${k})`);
    p.capacities.forEach((row, t) => {
      if (!Array.isArray(row) || row.length !== M) throw new ProblemError(`capacities[${t}] must have ${M} value(s)`);
      row.forEach((c, m) => {
        if (c === null) return;
        if (!isNum(c) || c < 0) throw new ProblemError(`capacities[${t}][${m}] must be a number ≥ 0 or null`);
        ub[t * M + m] = Math.min(ub[t * M + m], c);
        constrained[m] = true;
      });
    });
  }
  if (pointCap) for (let m = 0; m < M; m++) for (let i = 0; i < n; i++) if (pointCap[i * M + m] < Infinity) constrained[m] = true;
  let current: Int32Array | null = null;
  if (p.current !== undefined && p.current !== null) {
    if (!Array.isArray(p.current) || p.current.length !== n) throw new ProblemError(`"current" must have one entry per point (${n})`);
    current = new Int32Array(n);
    p.current.forEach((c, i) => {
      if (!Number.isInteger(c) || c < -1 || c >= k)
        throw new ProblemError(`current[${i}] must be -1 or a territory index 0..${k - 1} (got ${String(c)})`);
      current![i] = c;
    });
  }
  const moveCost = p.moveCost ?? 0;
  if (!isNum(moveCost) || moveCost < 0) throw new ProblemError('"moveCost" must be a number ≥ 0');
  if (!Number.isFinite(moveCost * n * 4)) {
    throw new ProblemError(`"moveCost" (${moveCost}) is too large: ${n} moved accounts would cost more than the largest number`);
  }
  let adj: Adjacency | null = null;
  if (p.edges !== undefined && p.edges !== null) {
    if (!Array.isArray(p.edges)) throw new ProblemError('"edges" must be an array of [i, j] pairs');
    p.edges.forEach((e, idx) => {
      if (
        !Array.isArray(e) ||
        e.length !== 2 ||
        !Number.isInteger(e[0]) ||
        !Number.isInteger(e[1]) ||
        e[0] < 0 ||
        e[1] < 0 ||
        e[0] >= n ||
        e[1] >= n
      ) {
        throw new ProblemError(`edges[${idx}] must be a pair of point indexes 0..${n - 1}`);
      }
    });
    adj = buildAdjacency(n, p.edges);
  }
  const contiguous = p.contiguous === true;
  if (contiguous && !adj) adj = buildAdjacency(n, delaunayEdges(x, y));
  return {
    name: p.name ?? "problem",
    n,
    k,
    M,
    measures: p.measures.slice(),
    ids,
    x,
    y,
    w,
    kind,
    dist: distanceFn(kind),
    fixed,
    cx,
    cy,
    pointCap,
    lb,
    ub,
    constrained,
    lock,
    current,
    moveCost,
    contiguous,
    adj,
    total,
  };
}

/**
 * Rejects numbers that are finite one by one but whose sums or products are not: a measure whose total
 * overflows, or coordinates so far apart that a distance, or the sum of n distances, overflows. The
 * factor of 4 leaves room for the sums the engine forms (objective plus move costs, totals plus a band).
 */
function checkMagnitudes(
  p: TerritoryProblem,
  n: number,
  k: number,
  M: number,
  x: Float64Array,
  y: Float64Array,
  cx: Float64Array,
  cy: Float64Array,
  w: Float64Array,
  total: Float64Array,
  fixed: boolean,
): void {
  for (let m = 0; m < M; m++) {
    if (!Number.isFinite(total[m] * 4)) {
      let big = 0;
      for (let i = 1; i < n; i++) if (w[i * M + m] > w[big * M + m]) big = i;
      throw new ProblemError(
        `The weights of "${p.measures[m]}" add up to more than the largest number the engine can hold ` +
          `(largest: ${w[big * M + m]} on point "${String(p.points[big].id)}"); scale the measure down`,
      );
    }
  }
  if (p.distance === "haversine-km" || p.space === "geographic") return; // bounded by the range check
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  const span = (vx: number, vy: number) => {
    if (vx < x0) x0 = vx;
    if (vx > x1) x1 = vx;
    if (vy < y0) y0 = vy;
    if (vy > y1) y1 = vy;
  };
  for (let i = 0; i < n; i++) span(x[i], y[i]);
  if (fixed) for (let t = 0; t < k; t++) span(cx[t], cy[t]);
  const dx = x1 - x0;
  const dy = y1 - y0;
  // the longest possible distance, squared on the way (euclidean), times the number of points
  if (
    !Number.isFinite(dx) ||
    !Number.isFinite(dy) ||
    !Number.isFinite((dx * dx + dy * dy) * 4) ||
    !Number.isFinite(Math.hypot(dx, dy) * n * 4)
  ) {
    throw new ProblemError(
      `The coordinates span x ${x0} to ${x1} and y ${y0} to ${y1}: distances between them, or their sum over ` +
        `${n} points, are larger than the largest number the engine can hold; use smaller units`,
    );
  }
}
