/**
 * Territory outlines of a working plan: the drawn shape where a territory has one, else the convex hull of its
 * placed accounts.
 */
import type { JsonValue } from "../drafts/model";
import type { WorkingPlan } from "../workspace/workspace";
import { territoryHulls, type TerritoryPolygon } from "./polygons";
import { territoryOutlineOf } from "./shapes";

/** Whether a territory's geometry is a drawn area (polygon, rectangle, circle). */
export function isDrawnArea(g: JsonValue | null): boolean {
  return territoryOutlineOf(g) !== null;
}

/** Territory outlines: drawn geometry where there is one, else the convex hull of the territory's accounts. */
export function territoryOutlines(plan: WorkingPlan): (TerritoryPolygon["geometry"] | null)[] {
  const hulls = territoryHulls(plan.table, plan.assignment, plan.territories.length);
  return plan.territories.map((t, i) => territoryOutlineOf(t.geometry) ?? hulls[i]);
}
