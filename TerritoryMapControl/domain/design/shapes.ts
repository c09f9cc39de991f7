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
import type { JsonValue } from "../drafts/model";
import { totalsOf, type AccountTable, type Totals } from "../accountTable";
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
export function boxShape(
  id: string,
  west: number,
  south: number,
  east: number,
  north: number,
  kind: "rectangle" | "box" = "box",
): DrawnShape {
  return {
    id,
    kind,
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [west, south],
          [east, south],
          [east, north],
          [west, north],
          [west, south],
        ],
      ],
    },
  };
}

/** Indexes of the accounts inside a shape. */
export function selectByShape(index: SpatialIndex, shape: DrawnShape): Int32Array {
  if (shape.kind === "circle" && shape.center && shape.radiusM !== undefined)
    return index.inCircle(shape.center[0], shape.center[1], shape.radiusM);
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

function planMoves(
  table: AccountTable,
  assignment: Int32Array,
  locked: Uint8Array | null,
  candidates: ArrayLike<number>,
  to: number,
  only: number | null,
): MovePlan {
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
export function planMove(
  table: AccountTable,
  assignment: Int32Array,
  locked: Uint8Array | null,
  indexes: ArrayLike<number>,
  to: number,
): MovePlan {
  return planMoves(table, assignment, locked, indexes, to, null);
}

/**
 * What a shape does:
 * - `create`: a new territory (index `territory`, usually the current territory count) from the accounts inside;
 * - `add`: the accounts inside join `territory`;
 * - `remove`: the accounts inside that belong to `territory` become unassigned.
 * Locked accounts never move (counted in `skippedLocked`).
 */
export type ShapeAction =
  { kind: "create"; territory: number } | { kind: "add"; territory: number } | { kind: "remove"; territory: number };

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
    const M = table.values.length;
    const totals = new TerritoryTotals(territories, M);
    for (let i = 0; i < table.size; i++) {
      const t = assignment[i];
      if (t >= territories) totals.grow(t + 1);
      const s = t < 0 ? 0 : t + 1;
      totals.counts[s]++;
      for (let m = 0; m < M; m++) totals.sums[s * M + m] += table.values[m][i];
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
        const v = table.values[m][i];
        this.sums[f * M + m] -= v;
        this.sums[to * M + m] += v;
      }
    }
  }

  /** Totals of territory `t` (-1 = the unassigned accounts). */
  public of(t: number): Totals {
    const s = t < 0 ? 0 : t + 1;
    if (s > this.territories) return { count: 0, values: new Array<number>(this.measureCount).fill(0) };
    const M = this.measureCount;
    return { count: this.counts[s], values: Array.from(this.sums.subarray(s * M, s * M + M)) };
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

// ------------------------------------------------------------------ drawn territory shapes in a plan / draft

/**
 * A drawn territory keeps its shape in the territory's `geometry` (working plan and draft): a GeoJSON Polygon or
 * MultiPolygon (the outline every reader understands — outlines, overlaps, KML) with one foreign member
 * (RFC 7946 §6.1) saying which drawing it came from, so it can be restored as an editable shape:
 *
 *   { "type": "Polygon", "coordinates": [...], "tmapShape": { "kind": "circle", "center": [lon, lat], "radiusM": 2500 } }
 *
 * `kind` is "polygon", "rectangle" or "circle" (a circle also carries its centre and radius in metres; its
 * coordinates are the 64-step outline). A geometry without `tmapShape` (drafts saved before) is a polygon. A GeoJSON
 * Feature whose geometry is such a Polygon / MultiPolygon is accepted too (the draft model allows features).
 */
export const SHAPE_MEMBER = "tmapShape";

/** The kinds a territory shape is restored as (lasso and box are selections, never stored). */
export type TerritoryShapeKind = "polygon" | "rectangle" | "circle";

/** Territory key of a shape drawn with id `id` (a drawn territory's key is `drawn-<shape id>`). */
export function territoryKeyOfShape(id: string): string {
  return id.startsWith("t:") ? id.slice(2) : `drawn-${id}`;
}

/**
 * Shape id for a territory key — the inverse of `territoryKeyOfShape`: `drawn-<id>` → `<id>` (the id the shape
 * was drawn with), any other key (e.g. a territory replotted from a draft made elsewhere) → `t:<key>`.
 */
export function shapeIdOfTerritory(key: string): string {
  if (key.startsWith("drawn-") && !key.startsWith("drawn-t:")) return key.slice("drawn-".length);
  return `t:${key}`;
}

/** The territory `geometry` to store for a drawn shape (outline + `tmapShape`). */
export function territoryGeometry(shape: DrawnShape): JsonValue {
  const kind: TerritoryShapeKind =
    shape.kind === "circle" ? "circle" : shape.kind === "rectangle" || shape.kind === "box" ? "rectangle" : "polygon";
  const info: { [key: string]: JsonValue } = { kind };
  if (kind === "circle") {
    if (!shape.center || shape.radiusM === undefined) throw new Error("A circle shape needs its centre and radius.");
    info.center = [shape.center[0], shape.center[1]];
    info.radiusM = shape.radiusM;
  }
  return { type: shape.geometry.type, coordinates: shape.geometry.coordinates as unknown as JsonValue, [SHAPE_MEMBER]: info };
}

export type ParsedGeometry =
  | { ok: true; kind: TerritoryShapeKind; geometry: Polygon | MultiPolygon; center?: [number, number]; radiusM?: number }
  | { ok: false; reason: string };

/** Largest radius a circle may have (a quarter of the Earth's circumference). */
const MAX_RADIUS_M = 10_000_000;

function isObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function positionProblem(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2) return "a position is not [longitude, latitude]";
  const [lon, lat] = p as unknown[];
  if (typeof lon !== "number" || typeof lat !== "number" || !Number.isFinite(lon) || !Number.isFinite(lat))
    return "a position is not a pair of numbers";
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return `position [${lon}, ${lat}] is outside longitude -180…180 / latitude -90…90`;
  return null;
}

function ringsProblem(rings: unknown): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return "a polygon has no rings";
  for (const ring of rings) {
    if (!Array.isArray(ring)) return "a ring is not a list of positions";
    if (ring.length < 4) return `a ring has ${ring.length} positions (at least 4 are needed)`;
    for (const p of ring) {
      const why = positionProblem(p);
      if (why) return why;
    }
    const a = ring[0] as number[];
    const b = ring[ring.length - 1] as number[];
    if (a[0] !== b[0] || a[1] !== b[1]) return "a ring is not closed (its first and last positions differ)";
  }
  return null;
}

/**
 * Reads a territory's stored geometry. `null` = the territory has no geometry (defined by its accounts). A
 * malformed geometry gives `{ ok: false, reason }` — it is never thrown, so one bad territory cannot stop a replot.
 */
export function parseTerritoryGeometry(stored: JsonValue | null | undefined): ParsedGeometry | null {
  if (stored === null || stored === undefined) return null;
  if (!isObject(stored)) return { ok: false, reason: "the geometry is not a GeoJSON object" };
  let g: { [key: string]: JsonValue } = stored;
  let info: JsonValue | undefined = stored[SHAPE_MEMBER];
  if (g.type === "Feature") {
    if (!isObject(g.geometry)) return { ok: false, reason: "the feature has no geometry" };
    const props = g.properties;
    info = info ?? (isObject(props) ? props[SHAPE_MEMBER] : undefined);
    g = g.geometry;
    info = info ?? g[SHAPE_MEMBER];
  }
  if (g.type !== "Polygon" && g.type !== "MultiPolygon")
    return {
      ok: false,
      reason: `a ${typeof g.type === "string" ? g.type : "geometry without a type"} is not an area (Polygon or MultiPolygon expected)`,
    };
  if (g.type === "Polygon") {
    const why = ringsProblem(g.coordinates);
    if (why) return { ok: false, reason: why };
  } else {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return { ok: false, reason: "a MultiPolygon has no polygons" };
    for (const poly of g.coordinates) {
      const why = ringsProblem(poly);
      if (why) return { ok: false, reason: why };
    }
  }
  const geometry = { type: g.type, coordinates: g.coordinates } as unknown as Polygon | MultiPolygon;
  if (info === undefined) return { ok: true, kind: "polygon", geometry };
  if (!isObject(info)) return { ok: false, reason: `"${SHAPE_MEMBER}" is not an object` };
  const kind = info.kind;
  if (kind === "polygon") return { ok: true, kind, geometry };
  if (kind === "rectangle") {
    if (geometry.type !== "Polygon" || geometry.coordinates.length !== 1 || geometry.coordinates[0].length !== 5)
      return { ok: false, reason: "a rectangle must be a Polygon with one ring of 5 positions" };
    return { ok: true, kind, geometry };
  }
  if (kind === "circle") {
    const why = positionProblem(info.center);
    if (why) return { ok: false, reason: `the circle's centre: ${why}` };
    const r = info.radiusM;
    if (typeof r !== "number" || !Number.isFinite(r) || r <= 0 || r > MAX_RADIUS_M)
      return {
        ok: false,
        reason: `the circle's radius must be a number of metres above 0 and at most ${MAX_RADIUS_M} (got ${JSON.stringify(r ?? null)})`,
      };
    const c = info.center as number[];
    return { ok: true, kind, geometry, center: [c[0], c[1]], radiusM: r };
  }
  return { ok: false, reason: `unknown shape kind ${JSON.stringify(kind ?? null)} (polygon, rectangle or circle expected)` };
}

/** A territory shape problem found when a plan is loaded. */
export interface ShapeProblem {
  key: string;
  name: string;
  reason: string;
}

/**
 * The drawn shapes of a plan's territories (shape id = `shapeIdOfTerritory(key)`), in territory order, and the
 * territories whose geometry could not be read (reported, never dropped silently; their shape is not shown).
 */
export function territoryShapes(territories: readonly { key: string; name: string; geometry: JsonValue | null }[]): {
  shapes: DrawnShape[];
  problems: ShapeProblem[];
} {
  const shapes: DrawnShape[] = [];
  const problems: ShapeProblem[] = [];
  for (const t of territories) {
    const parsed = parseTerritoryGeometry(t.geometry);
    if (parsed === null) continue;
    if (!parsed.ok) {
      problems.push({ key: t.key, name: t.name, reason: parsed.reason });
      continue;
    }
    const id = shapeIdOfTerritory(t.key);
    shapes.push(
      parsed.kind === "circle"
        ? { id, kind: "circle", geometry: parsed.geometry, center: parsed.center, radiusM: parsed.radiusM }
        : { id, kind: parsed.kind, geometry: parsed.geometry },
    );
  }
  return { shapes, problems };
}

/** The outline of a territory's stored geometry, or null when it has none or it is malformed. */
export function territoryOutlineOf(stored: JsonValue | null | undefined): Polygon | MultiPolygon | null {
  const parsed = parseTerritoryGeometry(stored);
  return parsed && parsed.ok ? parsed.geometry : null;
}

/**
 * What editing a drawn territory's shape does (vertex edit, circle resize, dragging the shape): the same as
 * drawing it, for the area that changed —
 * - `join`: accounts inside the new shape but not the old one move to `territory` (from wherever they are);
 * - `leave`: accounts of `territory` inside the old shape but no longer inside the new one become unassigned.
 * Accounts in both keep their territory (moves made by hand inside the shape stay); locked accounts never move.
 * Without an old shape, every account inside the new one joins and none leaves.
 */
export function planShapeEdit(
  table: AccountTable,
  index: SpatialIndex,
  assignment: Int32Array,
  locked: Uint8Array | null,
  before: DrawnShape | null,
  after: DrawnShape,
  territory: number,
): { join: MovePlan; leave: MovePlan } {
  const inAfter = selectByShape(index, after);
  const inBefore = before ? selectByShape(index, before) : new Int32Array(0);
  const mark = new Uint8Array(table.size);
  for (let k = 0; k < inBefore.length; k++) mark[inBefore[k]] |= 1;
  for (let k = 0; k < inAfter.length; k++) mark[inAfter[k]] |= 2;
  const entered: number[] = [];
  const exited: number[] = [];
  for (let k = 0; k < inAfter.length; k++) if (mark[inAfter[k]] === 2) entered.push(inAfter[k]);
  for (let k = 0; k < inBefore.length; k++) if (mark[inBefore[k]] === 1) exited.push(inBefore[k]);
  return {
    join: planMoves(table, assignment, locked, entered, territory, null),
    leave: planMoves(table, assignment, locked, exited, -1, territory),
  };
}

/** A territory's stored geometry as the DrawnShape it was drawn as (id `shapeIdOfTerritory(key)`), or null. */
export function territoryShapeOf(key: string, stored: JsonValue | null | undefined): DrawnShape | null {
  return territoryShapes([{ key, name: key, geometry: stored ?? null }]).shapes[0] ?? null;
}
