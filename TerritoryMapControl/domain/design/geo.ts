/**
 * Small geographic helpers for the design tools (pure).
 *
 * Selection shapes are tested in the plane the map draws them in: x = longitude in degrees, y = Web Mercator
 * y (`mercatorY`). A straight polygon edge on an Azure Map is straight in that plane, so "inside" means what the
 * manager sees inside the drawn outline. Circles are geodesic (a radius in metres around a point), as the
 * drawing tools define them. Shapes are assumed not to cross the antimeridian (the product plans US territories).
 */

/** Mean Earth radius in metres (IUGG), the radius the drawing tools and turf use for circles. */
export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;
/** Web Mercator's latitude limit (degrees). */
export const MAX_MERCATOR_LAT = 85.0511287798066;

/** Web Mercator y of a latitude in degrees (dimensionless: ln(tan(π/4 + φ/2))), clamped to the Mercator limit. */
export function mercatorY(latDeg: number): number {
  const lat = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, latDeg));
  return Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2));
}

/** Inverse of `mercatorY` (degrees). */
export function latFromMercatorY(y: number): number {
  return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD;
}

/** Great-circle distance in metres between two lon/lat points (degrees). */
export function haversineMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Bounding box [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number];

/**
 * Lon/lat box that contains every point within `radiusM` metres of (lon, lat).
 * Longitudes span the whole world when the circle reaches a pole.
 */
export function circleBBox(lon: number, lat: number, radiusM: number): BBox {
  const d = radiusM / EARTH_RADIUS_M;
  const south = Math.max(-90, lat - d / RAD);
  const north = Math.min(90, lat + d / RAD);
  if (north >= 90 || south <= -90 || d >= Math.PI / 2) return [-180, south, 180, north];
  const dLon = Math.asin(Math.min(1, Math.sin(d) / Math.cos(lat * RAD))) / RAD;
  return [Math.max(-180, lon - dLon), south, Math.min(180, lon + dLon), north];
}

/**
 * A geodesic circle as a closed polygon ring of lon/lat positions (the destination point formula, like turf's
 * `circle` and the drawing tools' `getCircularPositions`). `steps` vertices plus the closing one.
 */
export function circleRing(lon: number, lat: number, radiusM: number, steps = 64): [number, number][] {
  const d = radiusM / EARTH_RADIUS_M;
  const φ1 = lat * RAD;
  const λ1 = lon * RAD;
  const ring: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    const θ = (-2 * Math.PI * i) / steps;
    const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
    const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
    ring.push([((λ2 / RAD + 540) % 360) - 180, φ2 / RAD]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}
