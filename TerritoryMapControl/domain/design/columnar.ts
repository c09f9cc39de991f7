/**
 * A balancing problem in columns (typed arrays + one joined id string) instead of one object per account.
 *
 * Building 100,000 `ProblemPoint` objects on the page's main thread and structured-cloning them to the worker
 * blocks the page for hundreds of milliseconds; the columnar form is built from an `AccountTable` in a few
 * milliseconds, clones as a handful of memcpys, and the worker turns it back into a `TerritoryProblem`
 * (`problemFromColumns`) off the main thread. The worker protocol (adapters/worker/protocol.ts) sends it as is.
 */
import type { TerritoryProblem } from "../balancing";

export const ID_SEPARATOR = "\u001f";

export interface ColumnarProblem {
  packed: 1;
  /** Everything of the problem except `points` and `current`. */
  rest: Omit<TerritoryProblem, "points" | "current">;
  n: number;
  /** Point ids joined with ID_SEPARATOR (or an array when an id contains the separator). */
  ids: string | string[];
  x: Float64Array;
  y: Float64Array;
  /** n × measures weights, row-major. */
  w: Float64Array;
  /** n × measures point capacities (NaN = none), or null. */
  cap: Float64Array | null;
  /** Lock territory per point, -1 = none. */
  lock: Int32Array;
  /** Today's territory per point (-1 = none), or null. */
  current: Int32Array | null;
}

export function isColumnar(p: TerritoryProblem | ColumnarProblem): p is ColumnarProblem {
  return (p as ColumnarProblem).packed === 1;
}

/** Joins ids for a ColumnarProblem (array when an id contains the separator). */
export function joinIds(ids: readonly string[]): string | string[] {
  for (const id of ids) if (id.includes(ID_SEPARATOR)) return ids.slice();
  return ids.join(ID_SEPARATOR);
}

/** The columns of a TerritoryProblem. */
export function columnsFromProblem(problem: TerritoryProblem): ColumnarProblem {
  const { points, current, ...rest } = problem;
  const n = points.length;
  const M = problem.measures.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n * M);
  const lock = new Int32Array(n).fill(-1);
  let cap: Float64Array | null = null;
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    ids[i] = p.id;
    x[i] = p.x;
    y[i] = p.y;
    for (let m = 0; m < M; m++) w[i * M + m] = p.w[m];
    if (p.lock !== undefined && p.lock !== null) lock[i] = p.lock;
    if (p.cap) {
      if (!cap) cap = new Float64Array(n * M).fill(Number.NaN);
      for (let m = 0; m < M; m++) cap[i * M + m] = p.cap[m] ?? Number.NaN;
    }
  }
  return { packed: 1, rest, n, ids: joinIds(ids), x, y, w, cap, lock, current: current ? Int32Array.from(current) : null };
}

/** The TerritoryProblem the columns stand for (a plain problem is returned as is). */
export function problemFromColumns(p: TerritoryProblem | ColumnarProblem): TerritoryProblem {
  if (!isColumnar(p)) return p;
  const M = p.rest.measures.length;
  const ids = typeof p.ids === "string" ? (p.n === 0 ? [] : p.ids.split(ID_SEPARATOR)) : p.ids;
  if (ids.length !== p.n) throw new Error(`Columnar problem: ${ids.length} ids for ${p.n} points`);
  const points: TerritoryProblem["points"] = new Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const w = new Array<number>(M);
    for (let m = 0; m < M; m++) w[m] = p.w[i * M + m];
    const point: TerritoryProblem["points"][number] = { id: ids[i], x: p.x[i], y: p.y[i], w };
    if (p.lock[i] >= 0) point.lock = p.lock[i];
    if (p.cap) {
      const cap = new Array<number>(M);
      let any = false;
      for (let m = 0; m < M; m++) {
        cap[m] = p.cap[i * M + m];
        if (!Number.isNaN(cap[m])) any = true;
      }
      if (any) point.cap = cap;
    }
    points[i] = point;
  }
  const problem: TerritoryProblem = { ...p.rest, points };
  if (p.current) problem.current = Array.from(p.current);
  return problem;
}
