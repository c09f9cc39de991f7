/**
 * Density helpers for the heat map and the clustered view: per-account weights normalised so that a few huge
 * accounts do not wash out the map (revenue is heavy-tailed), and counts / weights per grid cell (for a legend
 * or a server-side summary).
 */
import type { AccountTable } from "../accountTable";

/**
 * Weights in [0, 1] for a heat map: value / the `quantile` (default 0.99) of the positive values, capped at 1.
 * `column` = null weighs every account 1 (density by count). Unplaced accounts get 0.
 */
export function heatWeights(table: AccountTable, column: number | null, quantile = 0.99): Float32Array {
  const n = table.size;
  const out = new Float32Array(n);
  if (column === null) {
    for (let i = 0; i < n; i++) out[i] = Number.isNaN(table.lon[i]) ? 0 : 1;
    return out;
  }
  const col = table.values[column];
  if (!col) throw new Error(`Unknown measure column ${column}`);
  const positive: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(table.lon[i]) && col[i] > 0) positive.push(col[i]);
  if (positive.length === 0) return out;
  const sorted = Float64Array.from(positive).sort();
  const scale = sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] || sorted[sorted.length - 1];
  for (let i = 0; i < n; i++) out[i] = Number.isNaN(table.lon[i]) || !(col[i] > 0) ? 0 : Math.min(1, col[i] / scale);
  return out;
}

export interface DensityCell {
  /** Cell centre. */
  lon: number;
  lat: number;
  count: number;
  /** Sum of the measure (or the count when no column). */
  weight: number;
}

/** Accounts aggregated on a lon/lat grid of `cellDeg` degrees (non-empty cells only, heaviest first). */
export function densityGrid(table: AccountTable, cellDeg: number, column: number | null = null): DensityCell[] {
  if (!(cellDeg > 0)) throw new Error("cellDeg must be > 0");
  const cells = new Map<number, DensityCell>();
  const col = column === null ? null : table.values[column];
  const cols = Math.ceil(360 / cellDeg) + 1;
  for (let i = 0; i < table.size; i++) {
    const x = table.lon[i];
    if (Number.isNaN(x)) continue;
    const cx = Math.floor((x + 180) / cellDeg);
    const cy = Math.floor((table.lat[i] + 90) / cellDeg);
    const key = cy * cols + cx;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { lon: -180 + (cx + 0.5) * cellDeg, lat: -90 + (cy + 0.5) * cellDeg, count: 0, weight: 0 }));
    c.count++;
    c.weight += col ? col[i] : 1;
  }
  return [...cells.values()].sort((a, b) => b.weight - a.weight);
}

/** Legend stops for a density layer: `steps` evenly spaced thresholds from 0 to the maximum. */
export function legendStops(max: number, steps = 5): number[] {
  if (!(max > 0)) return [0];
  return Array.from({ length: steps + 1 }, (_, s) => (max * s) / steps);
}
