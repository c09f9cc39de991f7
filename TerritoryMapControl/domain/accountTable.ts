/**
 * The accounts in scope as one table of parallel columns, built once per load. Position i describes one account
 * everywhere: `ids[i]`, `lon[i]`, `values[m][i]`, a plan's `assignment[i]`, a selection's entries. Every part of the
 * control (the working plan, selection, totals, postal codes, outlines, balancing input, export) reads this table.
 *
 * Vocabulary: a **measure** is a numeric account column by name ("revenue", "tmap_workloadhours"); `values[m]` holds
 * measure m of every account. Accounts without usable coordinates keep their position with `lon = lat = NaN`: a
 * shape never selects them, but they count in totals and postal-code matches.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */

export interface AccountTable {
  readonly size: number;
  /** Lower-case GUIDs without braces. */
  readonly ids: readonly string[];
  readonly names: readonly string[];
  /** Longitude / latitude in degrees; NaN when the account is not placed. */
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** address1_postalcode as stored (trimmed), or null. */
  readonly postalCodes: readonly (string | null)[];
  /** Address (address1_line1, address1_city, address1_stateorprovince) as loaded, or null; absent in tables built without them. */
  readonly addresses?: {
    readonly streets: readonly (string | null)[];
    readonly cities: readonly (string | null)[];
    readonly states: readonly (string | null)[];
  };
  /** Measure column names, in the order of `values`. */
  readonly measures: readonly string[];
  /** One column per measure: the value of every account (missing or not a number = 0). */
  readonly values: readonly Float64Array[];
  /** account id → position. */
  readonly index: ReadonlyMap<string, number>;
}

/** What the table is built from (domain/accounts Account fits). */
export interface AccountInput {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  /** Accounts whose placement is not "placed" get no coordinates. */
  placement?: string;
  postalCode?: string | null;
  street?: string | null;
  city?: string | null;
  state?: string | null;
  /** One value per measure, in the order of the table's measures. */
  measures: readonly number[];
}

export function normaliseId(id: string): string {
  return id
    .trim()
    .replace(/^\{|\}$/g, "")
    .toLowerCase();
}

/**
 * Builds the table. Duplicate ids keep their first occurrence (a page overlap must not count twice).
 *
 * @example
 * const table = buildAccountTable(accounts, ["revenue", "tmap_workloadhours"]);
 */
export function buildAccountTable(accounts: readonly AccountInput[], measures: readonly string[]): AccountTable {
  const index = new Map<string, number>();
  const keep: AccountInput[] = [];
  const ids: string[] = [];
  for (const a of accounts) {
    const id = normaliseId(a.id);
    if (index.has(id)) continue;
    index.set(id, ids.length);
    ids.push(id);
    keep.push(a);
  }
  const n = ids.length;
  const values = measures.map(() => new Float64Array(n));
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const names = new Array<string>(n);
  const postalCodes = new Array<string | null>(n);
  const streets = new Array<string | null>(n);
  const cities = new Array<string | null>(n);
  const states = new Array<string | null>(n);
  const blankToNull = (v: string | null | undefined): string | null => (v && v.trim() !== "" ? v.trim() : null);
  for (let i = 0; i < n; i++) {
    const a = keep[i];
    names[i] = a.name;
    const placed = (a.placement === undefined || a.placement === "placed") && a.latitude !== null && a.longitude !== null;
    lon[i] = placed ? (a.longitude as number) : Number.NaN;
    lat[i] = placed ? (a.latitude as number) : Number.NaN;
    for (let m = 0; m < measures.length; m++) {
      const v = a.measures[m];
      values[m][i] = typeof v === "number" && Number.isFinite(v) ? v : 0;
    }
    const pc = a.postalCode ? a.postalCode.trim() : "";
    postalCodes[i] = pc === "" ? null : pc;
    streets[i] = blankToNull(a.street);
    cities[i] = blankToNull(a.city);
    states[i] = blankToNull(a.state);
  }
  return { size: n, ids, names, lon, lat, postalCodes, addresses: { streets, cities, states }, measures: [...measures], values, index };
}

/** How many accounts and the sum of each measure. */
export interface Totals {
  count: number;
  /** One sum per measure, in the order of the table's measures. */
  values: number[];
}

/** Sums the measures of the accounts at `indexes`. */
export function totalsOf(table: Pick<AccountTable, "values">, indexes: ArrayLike<number>): Totals {
  const sums = table.values.map((col) => {
    let s = 0;
    for (let k = 0; k < indexes.length; k++) s += col[indexes[k]];
    return s;
  });
  return { count: indexes.length, values: sums };
}
