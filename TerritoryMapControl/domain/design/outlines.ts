/**
 * Territory outlines of a working plan: the drawn shape where a territory has one, else the convex hull of its
 * placed accounts.
 */
import type { Account } from "../accounts";
import type { JsonValue } from "../drafts/model";
import { normaliseId, type WorkingPlan } from "../workspace/workspace";
import { accountTableFromColumns, type AccountTable } from "./accountTable";
import { territoryHulls, type TerritoryPolygon } from "./polygons";
import { territoryOutlineOf } from "./shapes";

/** The design table of a plan (columns shared with the plan's table) with each account's postal code. */
export function designTableOf(plan: WorkingPlan, accounts: readonly Account[]): AccountTable {
  const postal = new Map<string, string | null>();
  for (const a of accounts) postal.set(normaliseId(a.id), a.postalCode);
  return accountTableFromColumns(plan.table, (_, id) => postal.get(id) ?? null);
}

/** Whether a territory's geometry is a drawn area (polygon, rectangle, circle). */
export function isDrawnArea(g: JsonValue | null): boolean {
  return territoryOutlineOf(g) !== null;
}

/** Territory outlines: drawn geometry where there is one, else the convex hull of the territory's accounts. */
export function territoryOutlines(plan: WorkingPlan, table: AccountTable): (TerritoryPolygon["geometry"] | null)[] {
  const hulls = territoryHulls(table, plan.assignment, plan.territories.length);
  return plan.territories.map((t, i) => territoryOutlineOf(t.geometry) ?? hulls[i]);
}
