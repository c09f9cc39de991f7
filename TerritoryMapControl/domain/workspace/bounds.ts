/**
 * Where a territory lies on the map: the box around the accounts of its subtree (a region: every account of its
 * territories and the accounts it holds itself).
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { subtreeOf } from "../hierarchy";
import { treeOf, type WorkingPlan } from "./workspace";

/** Accounts from which the box leaves out the outermost 1 % on each side (a stray geocode must not zoom out to the world). */
const TRIM_FROM = 100;

/**
 * [west, south, east, north] of the placed accounts of the territory `key` and everything under it, or null when
 * none of them has coordinates. From 100 accounts on, the outermost 1 % on each side are left out. O(n log n).
 *
 * @example
 * territoryBounds(plan, northeast.key) // [-80.5, 38.9, -66.9, 47.5]
 */
export function territoryBounds(plan: WorkingPlan, key: string): [number, number, number, number] | null {
  const index = plan.territories.findIndex((t) => t.key === key);
  if (index < 0) return null;
  const inside = new Uint8Array(plan.territories.length);
  for (const i of subtreeOf(treeOf(plan), index)) inside[i] = 1;
  const { lon, lat } = plan.table;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < plan.assignment.length; i++) {
    const t = plan.assignment[i];
    if (t < 0 || !inside[t] || Number.isNaN(lon[i])) continue;
    xs.push(lon[i]);
    ys.push(lat[i]);
  }
  if (xs.length === 0) return null;
  const x = Float64Array.from(xs).sort();
  const y = Float64Array.from(ys).sort();
  const cut = x.length >= TRIM_FROM ? Math.floor(x.length / 100) : 0;
  const last = x.length - 1 - cut;
  return [x[cut], y[cut], x[last], y[last]];
}
