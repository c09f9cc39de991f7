/**
 * Territory polygons: a hull of a territory's accounts (convex, or concave via concaveman through turf), and the
 * overlaps between territory polygons — which pairs overlap, by how much area, and how many accounts sit in the
 * overlap — plus the accounts that no territory polygon covers.
 */
import { area, convex, featureCollection, intersect, multiPoint, feature as turfFeature } from "@turf/turf";
import type { MultiPolygon, Polygon, Position } from "geojson";
import type { AccountTable } from "../accountTable";
import type { SpatialIndex } from "./spatial";

function cross(o: Position, a: Position, b: Position): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Convex hull (Andrew's monotone chain) of lon/lat positions as a counter-clockwise closed ring; [] when < 3 distinct non-collinear points. */
export function convexHullRing(points: Position[]): Position[] {
  const pts = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return [];
  const lower: Position[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Position[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  if (hull.length < 3) return [];
  return [...hull.map((p) => [p[0], p[1]]), [hull[0][0], hull[0][1]]];
}

export interface HullOptions {
  /**
   * undefined = convex hull. A number = concave hull (concaveman's concavity: 1 hugs the accounts closely,
   * 2–3 is a good territory outline, larger values approach the convex hull).
   */
  concavity?: number;
}

/** The outline of the accounts at `indexes` (unplaced accounts ignored) as a GeoJSON Polygon, or null with fewer than 3 distinct placed accounts. */
export function hullOf(table: AccountTable, indexes: ArrayLike<number>, options: HullOptions = {}): Polygon | null {
  const pts: Position[] = [];
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k];
    if (!Number.isNaN(table.lon[i])) pts.push([table.lon[i], table.lat[i]]);
  }
  if (options.concavity === undefined) {
    const ring = convexHullRing(pts);
    return ring.length === 0 ? null : { type: "Polygon", coordinates: [ring] };
  }
  if (pts.length < 3) return null;
  const hull = convex(multiPoint(pts), { concavity: options.concavity });
  return hull ? hull.geometry : null;
}

/** Hull of every territory 0..territories-1 of an assignment (null where a territory has < 3 placed accounts). */
export function territoryHulls(
  table: AccountTable,
  assignment: Int32Array,
  territories: number,
  options: HullOptions = {},
): (Polygon | null)[] {
  const members: number[][] = Array.from({ length: territories }, () => []);
  for (let i = 0; i < table.size; i++) {
    const t = assignment[i];
    if (t >= 0 && t < territories) members[t].push(i);
  }
  return members.map((m) => hullOf(table, m, options));
}

export interface TerritoryPolygon {
  /** Territory index (or any key the caller uses). */
  territory: number;
  geometry: Polygon | MultiPolygon;
}

export interface OverlapPair {
  a: number;
  b: number;
  /** Area of the intersection in km². */
  areaKm2: number;
  /** Placed accounts inside both polygons. */
  accounts: number;
  /** The intersection itself (drawn hatched on the map); null when it has no area or could not be computed. */
  geometry: Polygon | MultiPolygon | null;
}

export interface OverlapReport {
  pairs: OverlapPair[];
  /** Distinct accounts inside two or more polygons. */
  accountsInOverlaps: number;
  /** Placed accounts inside no polygon. */
  outsideAll: number;
}

function bboxOf(g: Polygon | MultiPolygon): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  for (const rings of polys) {
    for (const p of rings[0] ?? []) {
      w = Math.min(w, p[0]);
      e = Math.max(e, p[0]);
      s = Math.min(s, p[1]);
      n = Math.max(n, p[1]);
    }
  }
  return [w, s, e, n];
}

/**
 * Which territory polygons overlap (intersection area > `minAreaKm2`, or any account inside both), the accounts
 * in overlaps and the placed accounts no polygon covers.
 */
export function overlaps(index: SpatialIndex, polygons: readonly TerritoryPolygon[], minAreaKm2 = 1e-6): OverlapReport {
  const inside = polygons.map((p) => index.inPolygon(p.geometry));
  const hits = new Uint16Array(index.size);
  for (const sel of inside) for (let k = 0; k < sel.length; k++) hits[sel[k]]++;
  let accountsInOverlaps = 0;
  let covered = 0;
  for (let i = 0; i < hits.length; i++) {
    if (hits[i] >= 2) accountsInOverlaps++;
    if (hits[i] >= 1) covered++;
  }
  const boxes = polygons.map((p) => bboxOf(p.geometry));
  const mark = new Int32Array(index.size).fill(-1);
  const pairs: OverlapPair[] = [];
  for (let a = 0; a < polygons.length; a++) {
    const selA = inside[a];
    for (let k = 0; k < selA.length; k++) mark[selA[k]] = a;
    for (let b = a + 1; b < polygons.length; b++) {
      const A = boxes[a];
      const B = boxes[b];
      if (A[0] > B[2] || B[0] > A[2] || A[1] > B[3] || B[1] > A[3]) continue;
      const selB = inside[b];
      let accounts = 0;
      for (let k = 0; k < selB.length; k++) if (mark[selB[k]] === a) accounts++;
      let areaKm2 = 0;
      let geometry: Polygon | MultiPolygon | null = null;
      try {
        const x = intersect(featureCollection([turfFeature(polygons[a].geometry), turfFeature(polygons[b].geometry)]));
        areaKm2 = x ? area(x) / 1e6 : 0;
        geometry = x && areaKm2 > minAreaKm2 ? x.geometry : null;
      } catch {
        areaKm2 = Number.NaN; // self-intersecting outline: the account count still tells
      }
      if (areaKm2 > minAreaKm2 || accounts > 0)
        pairs.push({ a: polygons[a].territory, b: polygons[b].territory, areaKm2, accounts, geometry });
    }
  }
  return { pairs, accountsInOverlaps, outsideAll: index.placed - covered };
}
