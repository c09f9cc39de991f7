/**
 * CSV export of a working plan: one row per account — account id, name, street, city, state, postal code, latitude,
 * longitude, territory, parent territory, rep, then one column per measure (headed by the measure's name).
 *
 * RFC 4180: CRLF line ends, fields containing a comma, quote, CR or LF are quoted, quotes doubled. Spreadsheet
 * formula injection guard (OWASP "CSV injection"): a text field beginning with =, +, -, @, tab or CR is prefixed
 * with a single quote so Excel / Sheets show it as text instead of evaluating it. Numbers (coordinates, measures)
 * are written as plain numbers (a negative longitude stays a number).
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { treeOf } from "../workspace/workspace";
import type { WorkingPlan } from "../workspace/workspace";

export interface CsvHeaders {
  accountId: string;
  accountName: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
  latitude: string;
  longitude: string;
  territory: string;
  parentTerritory: string;
  rep: string;
}

export const DEFAULT_CSV_HEADERS: CsvHeaders = {
  accountId: "Account ID",
  accountName: "Account name",
  street: "Street",
  city: "City",
  state: "State",
  postalCode: "Postal code",
  latitude: "Latitude",
  longitude: "Longitude",
  territory: "Territory",
  parentTerritory: "Parent territory",
  rep: "Rep",
};

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula guard, then RFC 4180 quoting. */
export function csvField(value: string): string {
  let v = value;
  if (FORMULA_START.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A number as a CSV field: finite numbers as JavaScript writes them (no grouping, "." decimals), else empty. */
export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "";
}

/** One CSV record (no line end): strings are guarded and quoted, numbers written as numbers. */
export function csvRecord(fields: readonly (string | number)[]): string {
  return fields.map((f) => (typeof f === "number" ? csvNumber(f) : csvField(f))).join(",");
}

/**
 * The plan as CSV text (header row first, CRLF after every record). `repName` turns a rep id into a display
 * name (unknown ids are written as the id, never dropped); unassigned accounts have an empty territory, parent
 * and rep; accounts without coordinates have empty latitude and longitude.
 *
 * @example
 * const text = planToCsv(plan, (id) => reps.get(id) ?? id);
 */
export function planToCsv(plan: WorkingPlan, repName: (repId: string) => string, headers: CsvHeaders = DEFAULT_CSV_HEADERS): string {
  const { ids, names, postalCodes, lat, lon, measures, values, addresses } = plan.table;
  const lines: string[] = [
    csvRecord([
      headers.accountId,
      headers.accountName,
      headers.street,
      headers.city,
      headers.state,
      headers.postalCode,
      headers.latitude,
      headers.longitude,
      headers.territory,
      headers.parentTerritory,
      headers.rep,
      ...measures,
    ]),
  ];
  const tree = treeOf(plan);
  const territoryName = plan.territories.map((t) => t.name);
  const parentName = plan.territories.map((_, i) => (tree.parent[i] >= 0 ? territoryName[tree.parent[i]] : ""));
  const rep = plan.territories.map((t) => (t.repId ? repName(t.repId) : ""));
  for (let i = 0; i < ids.length; i++) {
    const t = plan.assignment[i];
    lines.push(
      csvRecord([
        ids[i],
        names[i],
        addresses?.streets[i] ?? "",
        addresses?.cities[i] ?? "",
        addresses?.states[i] ?? "",
        postalCodes[i] ?? "",
        lat[i],
        lon[i],
        t >= 0 ? territoryName[t] : "",
        t >= 0 ? parentName[t] : "",
        t >= 0 ? rep[t] : "",
        ...values.map((column) => column[i]),
      ]),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
