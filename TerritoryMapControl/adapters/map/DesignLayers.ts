/**
 * Map views for designing territories, each attached to an existing, ready atlas.Map and removed by `dispose`:
 * - TerritoryPolygonLayer: territory outlines (drawn geometry or a hull) filled in the territory colour, plus
 *   overlaps between territories hatched in red;
 * - HeatMapView: density heat map weighted by count or by a measure (weights from domain/design/density);
 * - ClusterView: clustered bubbles for low zoom (DataSource clustering with per-cluster sums), sized and
 *   coloured by the number of accounts;
 * - legend data for the Fluent legend (territory colours with counts, heat-map gradient, cluster sizes).
 *
 * Only azure-maps-control is used (no text fields: offline styles ship no glyphs, see the offline notes);
 * labels belong in the Fluent legend and popups.
 */
import * as atlas from "azure-maps-control";
import type { MultiPolygon, Polygon } from "geojson";
import type { ClustersPort, HeatMapPort, OutlinesPort, TerritoryShapeFeature } from "../../app/ports/map";

export type { TerritoryShapeFeature } from "../../app/ports/map";

let nextLayerId = 1;
const uid = (prefix: string): string => `tmap-${prefix}-${nextLayerId++}`;

/** Colour of overlap areas (hatching, tint and outline) and of their legend row. */
export const OVERLAP_COLOR = "#d13438";
/** Id of the hatch image in the map's image sprite (shared by every TerritoryPolygonLayer on a map). */
export const OVERLAP_PATTERN_ID = "tmap-overlap-hatch";
/**
 * Hatch tile in image pixels (a power of two so the pattern repeats seamlessly) and the stripe period along x
 * (divides the size, so stripes continue across tiles). Added with pixelRatio 2: stripes ~2 CSS px wide, ~5.7 apart.
 */
const HATCH_SIZE = 32;
const HATCH_PERIOD = 16;
const HATCH_PIXEL_RATIO = 2;

/**
 * Diagonal hatching (45°, OVERLAP_COLOR stripes on transparent) as ImageData, built in memory: nothing is fetched,
 * so it works offline. Each pixel's coverage of a 4 px wide stripe is computed for smooth edges.
 */
export function overlapHatch(color = OVERLAP_COLOR, size = HATCH_SIZE, period = HATCH_PERIOD): ImageData {
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  const data = new Uint8ClampedArray(size * size * 4);
  const half = 2; // half the stripe width, in image pixels across the stripe
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Distance (along x) from the pixel centre to the nearest stripe x + y ≡ 0 (mod period), scaled to the normal.
      const u = (((x + y + 1) % period) + period) % period;
      const d = Math.min(u, period - u) * Math.SQRT1_2;
      const coverage = Math.max(0, Math.min(1, half + 0.5 - d));
      const o = (y * size + x) * 4;
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
      data[o + 3] = Math.round(coverage * 230);
    }
  }
  return new ImageData(data, size, size);
}

/**
 * Territory outlines + overlap hatching. Add it below the account bubbles (`before` = a layer id or layer).
 * Overlaps are drawn as a faint red tint, diagonal red hatching (a fill pattern from an in-memory image, see
 * overlapHatch) and a dashed red outline, so they stand out against any territory colour.
 */
export class TerritoryPolygonLayer implements OutlinesPort {
  private readonly map: atlas.Map;
  private readonly source: atlas.source.DataSource;
  private readonly overlapSource: atlas.source.DataSource;
  private readonly fill: atlas.layer.PolygonLayer;
  private readonly outline: atlas.layer.LineLayer;
  private readonly overlapTint: atlas.layer.PolygonLayer;
  private readonly overlapFill: atlas.layer.PolygonLayer;
  private readonly overlapLine: atlas.layer.LineLayer;

  public constructor(map: atlas.Map, options: { before?: string | atlas.layer.Layer; fillOpacity?: number } = {}) {
    this.map = map;
    this.source = new atlas.source.DataSource(uid("territory-shapes"));
    this.overlapSource = new atlas.source.DataSource(uid("territory-overlaps"));
    map.sources.add([this.source, this.overlapSource]);
    this.fill = new atlas.layer.PolygonLayer(this.source, uid("territory-fill"), {
      fillColor: ["get", "color"] as unknown as string,
      fillOpacity: options.fillOpacity ?? 0.14,
    });
    this.outline = new atlas.layer.LineLayer(this.source, uid("territory-outline"), {
      strokeColor: ["get", "color"] as unknown as string,
      strokeWidth: 2,
    });
    // An ImageData is added to the sprite synchronously (and restored by atlas after a style change); the id is
    // shared, so a second layer on the same map reuses the image.
    if (!map.imageSprite.hasImage(OVERLAP_PATTERN_ID)) {
      void map.imageSprite.add(OVERLAP_PATTERN_ID, overlapHatch(), { pixelRatio: HATCH_PIXEL_RATIO }).catch(() => undefined);
    }
    this.overlapTint = new atlas.layer.PolygonLayer(this.overlapSource, uid("overlap-tint"), {
      fillColor: OVERLAP_COLOR,
      fillOpacity: 0.12,
    });
    this.overlapFill = new atlas.layer.PolygonLayer(this.overlapSource, uid("overlap-fill"), {
      fillPattern: OVERLAP_PATTERN_ID,
      fillOpacity: 1,
    });
    this.overlapLine = new atlas.layer.LineLayer(this.overlapSource, uid("overlap-line"), {
      strokeColor: OVERLAP_COLOR,
      strokeWidth: 2,
      strokeDashArray: [3, 2],
    });
    map.layers.add(this.layers, options.before);
  }

  private get layers(): atlas.layer.Layer[] {
    return [this.fill, this.outline, this.overlapTint, this.overlapFill, this.overlapLine];
  }

  /** Replaces the territory shapes. */
  public setTerritories(shapes: readonly TerritoryShapeFeature[]): void {
    this.source.setShapes(
      shapes.map(
        (s) =>
          new atlas.data.Feature(
            s.geometry as atlas.data.Polygon | atlas.data.MultiPolygon,
            { territory: s.id, name: s.name, color: s.color },
            s.id,
          ),
      ),
    );
  }

  /**
   * Replaces the overlap areas (e.g. turf intersections of overlapping pairs; empty geometries are skipped) and
   * returns how many are drawn.
   */
  public setOverlaps(areas: readonly (Polygon | MultiPolygon | null | undefined)[]): number {
    const features = areas
      .filter((g): g is Polygon | MultiPolygon => !!g && Array.isArray(g.coordinates) && g.coordinates.length > 0)
      .map((g) => new atlas.data.Feature(g as atlas.data.Polygon | atlas.data.MultiPolygon, {}));
    this.overlapSource.setShapes(features);
    return features.length;
  }

  /** Overlap areas currently drawn. */
  public get overlapCount(): number {
    return this.overlapSource.getShapes().length;
  }

  public setVisible(visible: boolean): void {
    for (const l of this.layers) l.setOptions({ visible });
  }

  /** Layer id the account bubbles can be placed above. */
  public get topLayerId(): string {
    return this.overlapLine.getId();
  }

  public dispose(): void {
    this.map.layers.remove(this.layers);
    this.map.sources.remove([this.source, this.overlapSource]);
  }
}

/** Heat-map colour ramp by density (0..1), shared with the legend. */
export const HEAT_GRADIENT: readonly { stop: number; color: string }[] = [
  { stop: 0, color: "rgba(0,0,255,0)" },
  { stop: 0.1, color: "#4575b4" },
  { stop: 0.3, color: "#91bfdb" },
  { stop: 0.5, color: "#fee090" },
  { stop: 0.7, color: "#fc8d59" },
  { stop: 1, color: "#d73027" },
];

function heatColor(): atlas.Expression {
  const e: unknown[] = ["interpolate", ["linear"], ["heatmap-density"]];
  for (const g of HEAT_GRADIENT) e.push(g.stop, g.color);
  return e as atlas.Expression;
}

/** Points of the accounts with coordinates, with weight `w` (e.g. from heatWeights) and optional revenue `r`. */
function pointFeatures(
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  extra: ArrayLike<number> | null,
): atlas.data.Feature<atlas.data.Point, { w: number; r: number }>[] {
  const out: atlas.data.Feature<atlas.data.Point, { w: number; r: number }>[] = [];
  for (let i = 0; i < lon.length; i++) {
    const x = lon[i];
    const y = lat[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const w = weights ? weights[i] : 1;
    if (weights && !(w > 0)) continue;
    out.push(new atlas.data.Feature(new atlas.data.Point([x, y]), { w, r: extra ? extra[i] : 0 }));
  }
  return out;
}

/** Density heat map by count (weights null) or by a measure (weights 0..1 from heatWeights). */
export class HeatMapView implements HeatMapPort {
  private readonly map: atlas.Map;
  private readonly source: atlas.source.DataSource;
  private readonly layer: atlas.layer.HeatMapLayer;

  public constructor(map: atlas.Map, options: { before?: string | atlas.layer.Layer; visible?: boolean } = {}) {
    this.map = map;
    this.source = new atlas.source.DataSource(uid("heat"));
    map.sources.add(this.source);
    this.layer = new atlas.layer.HeatMapLayer(this.source, uid("heat-layer"), {
      weight: ["get", "w"] as unknown as number,
      // Wider kernels when zoomed out so the US-wide view reads as regions, not specks.
      radius: ["interpolate", ["exponential", 2], ["zoom"], 0, 2, 4, 10, 10, 40] as unknown as number,
      intensity: ["interpolate", ["linear"], ["zoom"], 0, 0.6, 9, 2] as unknown as number,
      opacity: 0.8,
      color: heatColor(),
      visible: options.visible ?? true,
    });
    map.layers.add(this.layer, options.before);
  }

  /** Replaces the points; `weights` aligned with lon/lat (null = every account weighs 1). */
  public setData(lon: ArrayLike<number>, lat: ArrayLike<number>, weights: ArrayLike<number> | null): void {
    this.source.setShapes(pointFeatures(lon, lat, weights, null));
  }

  public setVisible(visible: boolean): void {
    this.layer.setOptions({ visible });
  }

  public dispose(): void {
    this.map.layers.remove(this.layer);
    this.map.sources.remove(this.source);
  }
}

/** Cluster size classes (account counts) and their colours and radii, shared with the legend. */
export const CLUSTER_CLASSES: readonly { min: number; color: string; radius: number }[] = [
  { min: 0, color: "#6baed6", radius: 12 },
  { min: 100, color: "#3182bd", radius: 18 },
  { min: 1000, color: "#08519c", radius: 26 },
  { min: 10000, color: "#08306b", radius: 34 },
];

/**
 * Clustered bubbles for low zoom. Show it up to `maxZoom` and let the account pins take over above it
 * (the map adapter's pin layers then get `minZoom = maxZoom`). Clusters carry `point_count` and the sum of `r`
 * (e.g. revenue) as `revenue`.
 */
export class ClusterView implements ClustersPort {
  private readonly map: atlas.Map;
  private readonly source: atlas.source.DataSource;
  private readonly clusters: atlas.layer.BubbleLayer;
  private readonly singles: atlas.layer.BubbleLayer;
  public readonly maxZoom: number;

  public constructor(
    map: atlas.Map,
    options: { maxZoom?: number; radius?: number; before?: string | atlas.layer.Layer; visible?: boolean } = {},
  ) {
    this.map = map;
    this.maxZoom = options.maxZoom ?? 7;
    this.source = new atlas.source.DataSource(uid("clusters"), {
      cluster: true,
      clusterRadius: options.radius ?? 45,
      clusterMaxZoom: this.maxZoom,
      clusterProperties: { revenue: ["+", ["get", "r"]] as unknown as atlas.AggregateExpression },
    });
    map.sources.add(this.source);
    const radius: unknown[] = ["step", ["get", "point_count"], CLUSTER_CLASSES[0].radius];
    const color: unknown[] = ["step", ["get", "point_count"], CLUSTER_CLASSES[0].color];
    for (const c of CLUSTER_CLASSES.slice(1)) {
      radius.push(c.min, c.radius);
      color.push(c.min, c.color);
    }
    const visible = options.visible ?? true;
    this.clusters = new atlas.layer.BubbleLayer(this.source, uid("cluster-bubbles"), {
      filter: ["has", "point_count"],
      radius: radius as unknown as number,
      color: color as unknown as string,
      strokeColor: "#ffffff",
      strokeWidth: 2,
      opacity: 0.85,
      maxZoom: this.maxZoom + 1,
      visible,
    });
    this.singles = new atlas.layer.BubbleLayer(this.source, uid("cluster-singles"), {
      filter: ["!", ["has", "point_count"]],
      radius: 4,
      color: CLUSTER_CLASSES[0].color,
      strokeWidth: 0,
      maxZoom: this.maxZoom + 1,
      visible,
    });
    map.layers.add([this.clusters, this.singles], options.before);
  }

  /** Replaces the points (`revenue` aligned with lon/lat is summed per cluster; null = 0). */
  public setData(lon: ArrayLike<number>, lat: ArrayLike<number>, revenue: ArrayLike<number> | null = null): void {
    this.source.setShapes(pointFeatures(lon, lat, null, revenue));
  }

  public setVisible(visible: boolean): void {
    this.clusters.setOptions({ visible });
    this.singles.setOptions({ visible });
  }

  /** Layer ids for click handlers (e.g. zoom into a cluster with `expansionZoom`). */
  public get layerIds(): string[] {
    return [this.clusters.getId(), this.singles.getId()];
  }

  /** Zoom at which a cluster (by `cluster_id`) breaks apart. */
  public expansionZoom(clusterId: number): Promise<number> {
    return this.source.getClusterExpansionZoom(clusterId);
  }

  public dispose(): void {
    this.map.layers.remove([this.clusters, this.singles]);
    this.map.sources.remove(this.source);
  }
}

export interface LegendEntry {
  label: string;
  color: string;
  /** Accounts (or another count) shown next to the swatch; null = none. */
  count: number | null;
  /** "hatch": draw the swatch hatched like the map's overlap areas (e.g. CSS repeating-linear-gradient in `color`). */
  pattern?: "hatch";
}

/**
 * Legend rows for territory colours (in the order given), the unassigned accounts and — when there are any —
 * the hatched overlap areas (`count` = accounts inside two or more territories).
 */
export function territoryLegend(
  territories: readonly { name: string; color: string; accounts: number }[],
  unassigned: { label: string; color: string; accounts: number } | null,
  overlaps: { label: string; areas: number; accounts: number } | null = null,
): LegendEntry[] {
  const rows: LegendEntry[] = territories.map((t) => ({ label: t.name, color: t.color, count: t.accounts }));
  if (unassigned && unassigned.accounts > 0) rows.push({ label: unassigned.label, color: unassigned.color, count: unassigned.accounts });
  if (overlaps && (overlaps.areas > 0 || overlaps.accounts > 0))
    rows.push({ label: overlaps.label, color: OVERLAP_COLOR, count: overlaps.accounts, pattern: "hatch" });
  return rows;
}

/** CSS background of a hatched legend swatch, matching the map's overlap hatching. */
export const OVERLAP_SWATCH_CSS = `repeating-linear-gradient(135deg, ${OVERLAP_COLOR} 0 2px, rgba(209, 52, 56, 0.12) 2px 6px)`;

/** Legend rows for the cluster classes ("100+ accounts" style labels from a template with {0}). */
export function clusterLegend(template: string): LegendEntry[] {
  return CLUSTER_CLASSES.map((c) => ({ label: template.replace("{0}", c.min.toLocaleString()), color: c.color, count: null }));
}
