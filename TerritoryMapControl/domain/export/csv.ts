/**
 * CSV export of a working plan: one row per account — account id, account name, territory, rep.
 *
 * RFC 4180: CRLF line ends, fields containing a comma, quote, CR or LF are quoted, quotes doubled. Spreadsheet
 * formula injection guard (OWASP "CSV injection"): a field beginning with =, +, -, @, tab or CR is prefixed with
 * a single quote so Excel / Sheets show it as text instead of evaluating it.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import type { WorkingPlan } from "../workspace/workspace";

export interface CsvHeaders {
  accountId: string;
  accountName: string;
  territory: string;
  rep: string;
}

export const DEFAULT_CSV_HEADERS: CsvHeaders = { accountId: "Account ID", accountName: "Account name", territory: "Territory", rep: "Rep" };

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula guard, then RFC 4180 quoting. */
export function csvField(value: string): string {
  let v = value;
  if (FORMULA_START.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV record (no line end). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}

/**
 * The plan as CSV text (header row first, CRLF after every record). `repName` turns a rep id into a display
 * name (unknown ids are written as the id, never dropped); unassigned accounts have an empty territory.
 *
 * @example
 * const text = planToCsv(plan, (id) => reps.get(id) ?? id);
 */
export function planToCsv(plan: WorkingPlan, repName: (repId: string) => string, headers: CsvHeaders = DEFAULT_CSV_HEADERS): string {
  const lines: string[] = [csvRecord([headers.accountId, headers.accountName, headers.territory, headers.rep])];
  const { ids, names } = plan.table;
  const territoryName = plan.territories.map((t) => t.name);
  const rep = plan.territories.map((t) => (t.repId ? repName(t.repId) : ""));
  for (let i = 0; i < ids.length; i++) {
    const t = plan.assignment[i];
    lines.push(csvRecord([ids[i], names[i], t >= 0 ? territoryName[t] : "", t >= 0 ? rep[t] : ""]));
  }
  return lines.join("\r\n") + "\r\n";
}
