/**
 * Planar geometry for territory assignment: GeoJSON Polygon / MultiPolygon (or a Feature / FeatureCollection of
 * them) compiled into flat coordinate rings with bounding boxes, and an exact even-odd point-in-polygon test
 * (holes honoured). Coordinates are [longitude, latitude] as in GeoJSON; territories are small enough that the
 * planar test on degrees is what every map draws (the same test Turf's booleanPointInPolygon makes).
 *
 * Pure TypeScript: no DOM, React, map SDK, PCF or Node imports.
 */

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** One polygon: an outer ring then holes, each ring as interleaved x,y pairs (closed or not). */
export interface CompiledPolygon {
  rings: Float64Array[];
  bbox: BBox;
}

/** A territory shape: one or more polygons (a MultiPolygon), with the union bbox. */
export interface CompiledShape {
  polygons: CompiledPolygon[];
  bbox: BBox;
}

export class GeometryError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "GeometryError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

type Json = unknown;

function isObject(v: Json): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function compileRing(ring: Json, where: string): Float64Array {
  if (!Array.isArray(ring) || ring.length < 3) throw new GeometryError(`${where}: a ring needs at least 3 positions.`);
  const out = new Float64Array(ring.length * 2);
  ring.forEach((p: Json, i) => {
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      typeof p[0] !== "number" ||
      typeof p[1] !== "number" ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1])
    ) {
      throw new GeometryError(`${where}: position ${i} is not [longitude, latitude].`);
    }
    out[2 * i] = p[0];
    out[2 * i + 1] = p[1];
  });
  return out;
}

function ringBBox(ring: Float64Array): BBox {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    const x = ring[i],
      y = ring[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

function union(a: BBox, b: BBox): BBox {
  return { minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) };
}

function compilePolygonCoords(coords: Json, where: string): CompiledPolygon {
  if (!Array.isArray(coords) || coords.length === 0) throw new GeometryError(`${where}: a Polygon needs at least its outer ring.`);
  const rings = coords.map((r: Json, i) => compileRing(r, `${where} ring ${i}`));
  return { rings, bbox: ringBBox(rings[0]) };
}

/**
 * Compiles a GeoJSON geometry, Feature or FeatureCollection of Polygons / MultiPolygons.
 * Returns null for null / undefined (a territory without a shape); throws GeometryError for anything else.
 */
export function compileShape(geojson: Json, where = "geometry"): CompiledShape | null {
  if (geojson === null || geojson === undefined) return null;
  const polygons: CompiledPolygon[] = [];
  const visit = (g: Json, path: string): void => {
    if (!isObject(g)) throw new GeometryError(`${path}: not a GeoJSON object.`);
    switch (g.type) {
      case "Feature":
        if (g.geometry !== null) visit(g.geometry, `${path}.geometry`);
        return;
      case "FeatureCollection":
        if (!Array.isArray(g.features)) throw new GeometryError(`${path}: FeatureCollection without features.`);
        g.features.forEach((f: Json, i) => visit(f, `${path}.features[${i}]`));
        return;
      case "GeometryCollection":
        if (!Array.isArray(g.geometries)) throw new GeometryError(`${path}: GeometryCollection without geometries.`);
        g.geometries.forEach((f: Json, i) => visit(f, `${path}.geometries[${i}]`));
        return;
      case "Polygon":
        polygons.push(compilePolygonCoords(g.coordinates, path));
        return;
      case "MultiPolygon":
        if (!Array.isArray(g.coordinates)) throw new GeometryError(`${path}: MultiPolygon without coordinates.`);
        g.coordinates.forEach((c: Json, i) => polygons.push(compilePolygonCoords(c, `${path}[${i}]`)));
        return;
      default:
        throw new GeometryError(`${path}: a territory shape must be a Polygon or MultiPolygon (got ${String(g.type)}).`);
    }
  };
  visit(geojson, where);
  if (polygons.length === 0) return null;
  return { polygons, bbox: polygons.map((p) => p.bbox).reduce(union) };
}

/** Even-odd crossing test of one ring (x = longitude, y = latitude). */
function insideRing(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = ring[i],
      yi = ring[i + 1],
      xj = ring[j],
      yj = ring[j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when (x, y) lies inside the polygon (inside the outer ring and in none of its holes). */
export function pointInPolygon(p: CompiledPolygon, x: number, y: number): boolean {
  const b = p.bbox;
  if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY) return false;
  if (!insideRing(p.rings[0], x, y)) return false;
  for (let h = 1; h < p.rings.length; h++) if (insideRing(p.rings[h], x, y)) return false;
  return true;
}

export function pointInShape(s: CompiledShape, x: number, y: number): boolean {
  const b = s.bbox;
  if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY) return false;
  for (const p of s.polygons) if (pointInPolygon(p, x, y)) return true;
  return false;
}

/**
 * Uniform grid over the bounding boxes of many shapes: each cell lists the entries whose bbox overlaps it, in
 * the order they were added (callers add in precedence order, so the first exact hit in a cell wins).
 */
export class ShapeGrid<T> {
  private readonly cells: Array<Array<{ shape: CompiledShape; value: T }> | undefined>;
  private readonly bounds: BBox;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cw: number;
  private readonly ch: number;

  public constructor(entries: ReadonlyArray<{ shape: CompiledShape; value: T }>, targetPerCell = 2) {
    if (entries.length === 0) {
      this.bounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };
      this.nx = this.ny = 1;
      this.cw = this.ch = 1;
      this.cells = [undefined];
      return;
    }
    this.bounds = entries.map((e) => e.shape.bbox).reduce(union);
    const w = Math.max(1e-9, this.bounds.maxX - this.bounds.minX);
    const h = Math.max(1e-9, this.bounds.maxY - this.bounds.minY);
    // About (entries × targetPerCell²) cells, shaped like the bounds; capped to keep memory small.
    const cellsWanted = Math.min(1 << 18, Math.max(16, entries.length * targetPerCell * targetPerCell * 16));
    this.nx = Math.max(1, Math.min(4096, Math.round(Math.sqrt((cellsWanted * w) / h))));
    this.ny = Math.max(1, Math.min(4096, Math.round(cellsWanted / this.nx)));
    this.cw = w / this.nx;
    this.ch = h / this.ny;
    this.cells = new Array(this.nx * this.ny);
    for (const e of entries) {
      const b = e.shape.bbox;
      const x0 = this.cellX(b.minX),
        x1 = this.cellX(b.maxX),
        y0 = this.cellY(b.minY),
        y1 = this.cellY(b.maxY);
      for (let cy = y0; cy <= y1; cy++) {
        for (let cx = x0; cx <= x1; cx++) {
          const k = cy * this.nx + cx;
          (this.cells[k] ??= []).push(e);
        }
      }
    }
  }

  private cellX(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.bounds.minX) / this.cw)));
  }

  private cellY(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.bounds.minY) / this.ch)));
  }

  /** The first entry (in insertion order) whose shape contains (x, y), or undefined. */
  public first(x: number, y: number): T | undefined {
    const b = this.bounds;
    if (!(x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY)) return undefined;
    const list = this.cells[this.cellY(y) * this.nx + this.cellX(x)];
    if (!list) return undefined;
    for (const e of list) if (pointInShape(e.shape, x, y)) return e.value;
    return undefined;
  }
}
