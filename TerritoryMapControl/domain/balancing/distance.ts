/**
 * Distances used by the balancing engine. One code path: `distanceFn(kind)` returns a function of two
 * coordinate pairs; planar (x, y) for euclidean / euclidean-floor, (longitude, latitude) in degrees for
 * haversine-km. "euclidean-floor" floors each point-to-centre distance (OR-Library convention).
 */
import type { DistanceKind } from "./types";

export type DistanceFn = (x1: number, y1: number, x2: number, y2: number) => number;

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

export function euclidean(x1: number, y1: number, x2: number, y2: number): number {
  const dx = x1 - x2;
  const dy = y1 - y2;
  return Math.sqrt(dx * dx + dy * dy);
}

export function euclideanFloor(x1: number, y1: number, x2: number, y2: number): number {
  return Math.floor(euclidean(x1, y1, x2, y2));
}

/** Great-circle distance in km; x = longitude, y = latitude, degrees. */
export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function distanceFn(kind: DistanceKind): DistanceFn {
  switch (kind) {
    case "euclidean":
      return euclidean;
    case "euclidean-floor":
      return euclideanFloor;
    case "haversine-km":
      return haversineKm;
    default:
      throw new Error(`Unknown distance "${String(kind)}": expected euclidean, euclidean-floor or haversine-km`);
  }
}

/** Dense n × n matrix (row-major) of point-to-point distances. */
export function distanceMatrix(kind: DistanceKind, x: Float64Array, y: Float64Array): Float64Array {
  const f = distanceFn(kind);
  const n = x.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = f(x[i], y[i], x[j], y[j]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}
