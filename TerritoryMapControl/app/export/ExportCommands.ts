/**
 * Export: the working plan as CSV (one row per account with address, coordinates, territory, parent, rep and
 * measures), GeoJSON (RFC 7946: territory outlines with totals, then account points) or KML (territory outlines and one
 * Placemark per account), handed to the file sink (a browser download in the product).
 */
import { planToCsv } from "../../domain/export/csv";
import { planToGeoJsonText } from "../../domain/export/geojson";
import { planKml } from "../../domain/export/planKml";
import type { PlanSession } from "../plan/PlanSession";
import type { FileSink } from "../ports/files";

export type ExportFormat = "csv" | "geojson" | "kml";

/** A file name from user text: letters, digits, space, dot, dash and underscore only. */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._-]+/gu, "")
    .trim()
    .slice(0, 80);
  return cleaned || fallback;
}

export class ExportCommands {
  public constructor(
    private readonly session: PlanSession,
    private readonly files: FileSink,
  ) {}

  /** Writes the current plan in `format`; returns false when there is no plan yet. */
  public export(format: ExportFormat): boolean {
    const plan = this.session.plan;
    if (!plan) return false;
    const t = this.session.t;
    const base = safeFileName(plan.source?.name ?? "", "territory-plan");
    const repName = this.session.repName;
    switch (format) {
      case "csv": {
        const csv = planToCsv(plan, repName, {
          accountId: t("Export_ColAccountId"),
          accountName: t("Export_ColAccountName"),
          street: t("Export_ColStreet"),
          city: t("Export_ColCity"),
          state: t("Export_ColState"),
          postalCode: t("Export_ColPostalCode"),
          latitude: t("Export_ColLatitude"),
          longitude: t("Export_ColLongitude"),
          territory: t("Export_ColTerritory"),
          parentTerritory: t("Export_ColParentTerritory"),
          rep: t("Export_ColRep"),
        });
        // A byte-order mark so spreadsheet programs read the file as UTF-8.
        this.files.save({ name: `${base}.csv`, mimeType: "text/csv;charset=utf-8", content: `\ufeff${csv}` });
        break;
      }
      case "geojson":
        this.files.save({ name: `${base}.geojson`, mimeType: "application/geo+json", content: planToGeoJsonText(plan, repName) });
        break;
      case "kml": {
        const content = planKml(plan, repName, t("Plan_Live"), {
          territories: t("Territories_Title"),
          accounts: t("Export_KmlAccounts"),
          unassigned: t("Territories_Unassigned"),
          territory: t("Export_ColTerritory"),
          rep: t("Export_ColRep"),
        });
        this.files.save({ name: `${base}.kml`, mimeType: "application/vnd.google-earth.kml+xml", content });
        break;
      }
    }
    return true;
  }
}
