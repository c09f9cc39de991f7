/**
 * Where a territory lies on the map: the box around the accounts of its subtree (a region: every account of its
 * territories and the accounts it holds itself).
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { subtreeOf } from "../hierarchy";
import { treeOf, type WorkingPlan } from "./workspace";

/**
 * [west, south, east, north] of the placed accounts of the territory `key` and everything under it, or null when
 * none of them has coordinates. O(accounts).
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
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (let i = 0; i < plan.assignment.length; i++) {
    const t = plan.assignment[i];
    if (t < 0 || !inside[t] || Number.isNaN(lon[i])) continue;
    if (lon[i] < w) w = lon[i];
    if (lon[i] > e) e = lon[i];
    if (lat[i] < s) s = lat[i];
    if (lat[i] > n) n = lat[i];
  }
  return w <= e ? [w, s, e, n] : null;
}
