/** The working plan as KML: territory outlines (drawn or hull) and one Placemark per account. */
import { territoryOutlines } from "../design/outlines";
import type { WorkingPlan } from "../workspace/workspace";
import { planToKml, type KmlLabels } from "./kml";

/**
 * @example
 * const kml = planKml(plan, repName, "Live territories", labels);
 */
export function planKml(plan: WorkingPlan, repName: (repId: string) => string, planName: string, labels: KmlLabels): string {
  const table = plan.table;
  const outlines = territoryOutlines(plan);
  return planToKml({
    name: plan.source?.name || planName,
    accounts: { ids: table.ids, names: table.names, lon: table.lon, lat: table.lat, postalCodes: table.postalCodes },
    assignment: plan.assignment,
    territories: plan.territories.map((t, i) => ({
      name: t.name,
      color: t.color,
      rep: t.repId ? repName(t.repId) : null,
      geometry: outlines[i],
    })),
    labels,
  });
}
