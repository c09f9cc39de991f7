import { feature } from "topojson-client";
import type { Topology, GeometryCollection } from "topojson-specification";
import type { FeatureCollection, Geometry, Position } from "geojson";
import statesTopology from "us-atlas/states-10m.json";

/**
 * Offline basemap: US states from us-atlas (TopoJSON, ~115 KB) converted once to GeoJSON and lightly thinned
 * (vertices closer than SIMPLIFY_DEGREES ≈ 5 km to the previous kept one are dropped: 14.5k → 11k vertices,
 * invisible below zoom 6). Used when no Azure Maps key is configured; nothing is fetched from the network.
 * What made the basemap cheap with software WebGL is drawing fill and outline from ONE source (the outlines
 * are the polygon rings, no separate mesh) with a coarse tiling tolerance — see MapAdapter.addOfflineBasemap.
 */
const SIMPLIFY_DEGREES = 0.05;

let cache: FeatureCollection | null = null;

/** Drops vertices within `tolerance` degrees of the previous kept vertex; rings stay closed and ≥ 4 points. */
export function thinRing(ring: Position[], tolerance: number): Position[] {
  if (ring.length <= 4) return ring;
  const kept: Position[] = [ring[0]];
  const t2 = tolerance * tolerance;
  for (let i = 1; i < ring.length - 1; i++) {
    const [x0, y0] = kept[kept.length - 1];
    const dx = ring[i][0] - x0;
    const dy = ring[i][1] - y0;
    if (dx * dx + dy * dy >= t2) kept.push(ring[i]);
  }
  kept.push(ring[ring.length - 1]);
  return kept.length >= 4 ? kept : ring;
}

function thin(geometry: Geometry): Geometry {
  if (geometry.type === "Polygon") return { type: "Polygon", coordinates: geometry.coordinates.map((r) => thinRing(r, SIMPLIFY_DEGREES)) };
  if (geometry.type === "MultiPolygon") {
    return { type: "MultiPolygon", coordinates: geometry.coordinates.map((p) => p.map((r) => thinRing(r, SIMPLIFY_DEGREES))) };
  }
  return geometry;
}

/** US states as polygons (drawn as fill and, from the same source, as outlines). */
export function usStates(): FeatureCollection {
  if (!cache) {
    const topology = statesTopology as unknown as Topology<{ states: GeometryCollection }>;
    const states = feature(topology, topology.objects.states) as unknown as FeatureCollection;
    cache = { type: "FeatureCollection", features: states.features.map((f) => ({ ...f, geometry: thin(f.geometry) })) };
  }
  return cache;
}

/** An inline MapLibre style with only a background (the "water"): no style, glyph or sprite requests. */
export const OFFLINE_STYLE = {
  version: 8,
  sources: {},
  layers: [{ id: "background", type: "background", paint: { "background-color": "#d4e4f1" } }],
};

/** 1×1 light-blue PNG, the thumbnail the style picker wants. */
export const OFFLINE_THUMBNAIL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==";
