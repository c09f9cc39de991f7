/**
 * Drawn shapes and what they do to a plan: select the accounts inside, create a territory from them, add them
 * to or remove them from a territory. Everything works on the flat arrays of `AccountTable` and an assignment
 * (`Int32Array`, territory index per account, -1 = unassigned) with its lock flags (`Uint8Array`, 1 = locked),
 * the same shape as a draft's `Assignments`.
 *
 * Functions return a `MovePlan` (which accounts move from where to where, their totals, what was skipped and
 * why); `applyMoves` turns it into a new assignment and `TerritoryTotals.apply` updates the totals in place, so
 * moving a 10,000-account lasso never recomputes the other 90,000.
 */
import type { MultiPolygon, Polygon } from "geojson";
import { totalsOf, type AccountTable, type Totals } from "./accountTable";
import { circleRing } from "./geo";
import type { SpatialIndex } from "./spatial";

export type DrawnShapeKind = "polygon" | "rectangle" | "circle" | "lasso" | "box";

/** A shape drawn on the map (from DrawingAdapter, or built in code). Positions are [longitude, latitude]. */
export interface DrawnShape {
  /** Stable id of the shape (the drawing tools' shape id), used to edit or delete it. */
  id: string;
  kind: DrawnShapeKind;
  /** The outline; for a circle a geodesic 64-step approximation (selection uses centre + radius exactly). */
  geometry: Polygon | MultiPolygon;
  /** Circle only: centre [lon, lat] and radius in metres. */
  center?: [number, number];
  radiusM?: number;
}

/** A circle shape from its centre and radius (metres). */
export function circleShape(id: string, center: [number, number], radiusM: number): DrawnShape {
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new Error(`A circle needs a positive radius in metres (got ${radiusM})`);
  return { id, kind: "circle", center, radiusM, geometry: { type: "Polygon", coordinates: [circleRing(center[0], center[1], radiusM)] } };
}

/** A rectangle shape from a lon/lat box. */
export function boxShape(id: string, west: number, south: number, east: number, north: number, kind: "rectangle" | "box" = "box"): DrawnShape {
  return {
    id,
    kind,
    geometry: { type: "Polygon", coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] },
  };
}

/** Indexes of the accounts inside a shape. */
export function selectByShape(index: SpatialIndex, shape: DrawnShape): Int32Array {
  if (shape.kind === "circle" && shape.center && shape.radiusM !== undefined) return index.inCircle(shape.center[0], shape.center[1], shape.radiusM);
  return index.inPolygon(shape.geometry);
}

/** Which accounts move, from where, to where. */
export interface MovePlan {
  /** Account indexes that change territory. */
  indexes: Int32Array;
  /** Their territory before the move (-1 = unassigned), aligned with `indexes`. */
  from: Int32Array;
  /** Territory they move to (-1 = unassigned). */
  to: number;
  /** Totals of the accounts that move. */
  totals: Totals;
  /** Accounts that were targeted but are locked to another territory (left where they are). */
  skippedLocked: number;
  /** Accounts that were targeted but already where the action would put them. */
  unchanged: number;
}

function planMoves(table: AccountTable, assignment: Int32Array, locked: Uint8Array | null, candidates: ArrayLike<number>, to: number, only: number | null): MovePlan {
  const idx = new Int32Array(candidates.length);
  const from = new Int32Array(candidates.length);
  let k = 0;
  let skippedLocked = 0;
  let unchanged = 0;
  for (let q = 0; q < candidates.length; q++) {
    const i = candidates[q];
    const t = assignment[i];
    if (only !== null && t !== only) {
      unchanged++;
      continue;
    }
    if (t === to) {
      unchanged++;
      continue;
    }
    if (locked !== null && locked[i]) {
      skippedLocked++;
      continue;
    }
    idx[k] = i;
    from[k] = t;
    k++;
  }
  const indexes = idx.slice(0, k);
  return { indexes, from: from.slice(0, k), to, totals: totalsOf(table, indexes), skippedLocked, unchanged };
}

/** Move the accounts at `indexes` (a selection) to territory `to` (-1 = unassigned); locked accounts stay. */
export function planMove(table: AccountTable, assignment: Int32Array, locked: Uint8Array | null, indexes: ArrayLike<number>, to: number): MovePlan {
  return planMoves(table, assignment, locked, indexes, to, null);
}

/**
 * What a shape does:
 * - `create`: a new territory (index `territory`, usually the current territory count) from the accounts inside;
 * - `add`: the accounts inside join `territory`;
 * - `remove`: the accounts inside that belong to `territory` become unassigned.
 * Locked accounts never move (counted in `skippedLocked`).
 */
export type ShapeAction = { kind: "create"; territory: number } | { kind: "add"; territory: number } | { kind: "remove"; territory: number };

export function planShapeAction(
  table: AccountTable,
  index: SpatialIndex,
  assignment: Int32Array,
  locked: Uint8Array | null,
  shape: DrawnShape,
  action: ShapeAction,
): MovePlan {
  const inside = selectByShape(index, shape);
  if (action.kind === "remove") return planMoves(table, assignment, locked, inside, -1, action.territory);
  return planMoves(table, assignment, locked, inside, action.territory, null);
}

/** A new assignment with the plan applied (the input is not changed). */
export function applyMoves(assignment: Int32Array, plan: MovePlan): Int32Array {
  const next = assignment.slice();
  for (let k = 0; k < plan.indexes.length; k++) next[plan.indexes[k]] = plan.to;
  return next;
}

/** A new lock array with the accounts at `indexes` locked (value 1) or unlocked (0). */
export function setLocked(locked: Uint8Array, indexes: ArrayLike<number>, value: boolean): Uint8Array {
  const next = locked.slice();
  const v = value ? 1 : 0;
  for (let k = 0; k < indexes.length; k++) next[indexes[k]] = v;
  return next;
}

/**
 * Count and measure totals per territory (plus the unassigned), kept up to date by `apply` in O(moved × measures).
 * Slot 0 is "unassigned", slot t + 1 is territory t.
 */
export class TerritoryTotals {
  public territories: number;
  public readonly measureCount: number;
  private counts: Float64Array;
  private sums: Float64Array;

  public constructor(territories: number, measureCount: number) {
    this.territories = territories;
    this.measureCount = measureCount;
    this.counts = new Float64Array(territories + 1);
    this.sums = new Float64Array((territories + 1) * measureCount);
  }

  public static of(table: AccountTable, assignment: Int32Array, territories: number): TerritoryTotals {
    const M = table.measures.length;
    const totals = new TerritoryTotals(territories, M);
    for (let i = 0; i < table.size; i++) {
      const t = assignment[i];
      if (t >= territories) totals.grow(t + 1);
      const s = t < 0 ? 0 : t + 1;
      totals.counts[s]++;
      for (let m = 0; m < M; m++) totals.sums[s * M + m] += table.measures[m][i];
    }
    return totals;
  }

  /** Makes room for territories up to index `territories - 1`. */
  public grow(territories: number): void {
    if (territories <= this.territories) return;
    const M = this.measureCount;
    const counts = new Float64Array(territories + 1);
    counts.set(this.counts);
    const sums = new Float64Array((territories + 1) * M);
    sums.set(this.sums);
    this.counts = counts;
    this.sums = sums;
    this.territories = territories;
  }

  /** Applies a move plan computed against the assignment these totals describe. */
  public apply(table: AccountTable, plan: MovePlan): void {
    if (plan.to >= this.territories) this.grow(plan.to + 1);
    const M = this.measureCount;
    const to = plan.to < 0 ? 0 : plan.to + 1;
    for (let k = 0; k < plan.indexes.length; k++) {
      const i = plan.indexes[k];
      const f = plan.from[k] < 0 ? 0 : plan.from[k] + 1;
      this.counts[f]--;
      this.counts[to]++;
      for (let m = 0; m < M; m++) {
        const v = table.measures[m][i];
        this.sums[f * M + m] -= v;
        this.sums[to * M + m] += v;
      }
    }
  }

  /** Totals of territory `t` (-1 = the unassigned accounts). */
  public of(t: number): Totals {
    const s = t < 0 ? 0 : t + 1;
    if (s > this.territories) return { count: 0, measures: new Array<number>(this.measureCount).fill(0) };
    const M = this.measureCount;
    return { count: this.counts[s], measures: Array.from(this.sums.subarray(s * M, s * M + M)) };
  }

  /** Accounts without a territory. */
  public get unassigned(): number {
    return this.counts[0];
  }
}

/** Accounts without a territory (assignment -1), split by whether they can be shown on the map. */
export function countUnassigned(table: AccountTable, assignment: Int32Array): { total: number; placed: number; unplaced: number } {
  let placed = 0;
  let unplaced = 0;
  for (let i = 0; i < table.size; i++) {
    if (assignment[i] >= 0) continue;
    if (Number.isNaN(table.lon[i])) unplaced++;
    else placed++;
  }
  return { total: placed + unplaced, placed, unplaced };
}
