/**
 * The accounts as flat arrays, the shape every design operation works on (selection, totals, postal codes,
 * hulls, export). Position i describes one account everywhere: `ids[i]`, `lon[i]`, an assignment's `[i]`.
 * Accounts without usable coordinates keep their position with `lon = lat = NaN`: they are never selected by
 * a shape but still count in totals and postal-code matches.
 */
import type { Account } from "../accounts";

export interface AccountTable {
  readonly size: number;
  readonly ids: readonly string[];
  readonly names: readonly string[];
  /** Longitude / latitude in degrees, NaN when the account is not placed. */
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** One column per measure (the control's measure columns, in order); missing values are 0. */
  readonly measures: readonly Float64Array[];
  /** Measure names in the order of `measures` (e.g. ["revenue", "tmap_workloadhours"]). */
  readonly measureNames: readonly string[];
  /** address1_postalcode as stored (trimmed), or null. */
  readonly postalCodes: readonly (string | null)[];
}

/** Builds the table from the control's accounts. */
export function accountTable(accounts: readonly Account[], measureNames: readonly string[]): AccountTable {
  const n = accounts.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const M = measureNames.length;
  const measures = Array.from({ length: M }, () => new Float64Array(n));
  const ids = new Array<string>(n);
  const names = new Array<string>(n);
  const postalCodes = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const a = accounts[i];
    ids[i] = a.id;
    names[i] = a.name;
    const placed = a.placement === "placed" && a.latitude !== null && a.longitude !== null;
    lon[i] = placed ? (a.longitude as number) : Number.NaN;
    lat[i] = placed ? (a.latitude as number) : Number.NaN;
    for (let m = 0; m < M; m++) {
      const v = a.measures[m];
      measures[m][i] = typeof v === "number" && Number.isFinite(v) ? v : 0;
    }
    const pc = a.postalCode === null ? null : a.postalCode.trim();
    postalCodes[i] = pc === "" ? null : pc;
  }
  return { size: n, ids, names, lon, lat, measures, measureNames: measureNames.slice(), postalCodes };
}

/** Totals of a set of accounts: how many and the sum of each measure. */
export interface Totals {
  count: number;
  /** One sum per measure, in the order of `AccountTable.measures`. */
  measures: number[];
}

/** Sums the measures of the accounts at `indexes`. */
export function totalsOf(table: AccountTable, indexes: ArrayLike<number>): Totals {
  const M = table.measures.length;
  const sums = new Array<number>(M).fill(0);
  for (let m = 0; m < M; m++) {
    const col = table.measures[m];
    let s = 0;
    for (let k = 0; k < indexes.length; k++) s += col[indexes[k]];
    sums[m] = s;
  }
  return { count: indexes.length, measures: sums };
}

/** Index of each account id (first occurrence). */
export function indexById(table: AccountTable): Map<string, number> {
  const map = new Map<string, number>();
  table.ids.forEach((id, i) => {
    if (!map.has(id)) map.set(id, i);
  });
  return map;
}

/** Parallel columns another model already holds (e.g. the working plan's account table). */
export interface AccountColumns {
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly latitude: Float64Array;
  readonly longitude: Float64Array;
  /** Measure names, in the order of `values`. */
  readonly measures: readonly string[];
  readonly values: readonly Float64Array[];
}

/**
 * An AccountTable over existing columns, without copying them (positions stay the same, so an assignment of the
 * other model indexes this table too). `postalCodeOf(position, id)` supplies address1_postalcode.
 */
export function accountTableFromColumns(
  columns: AccountColumns,
  postalCodeOf: ((position: number, id: string) => string | null) | null = null,
): AccountTable {
  const n = columns.ids.length;
  const postalCodes = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const pc = postalCodeOf ? postalCodeOf(i, columns.ids[i]) : null;
    const t = pc === null ? null : pc.trim();
    postalCodes[i] = t === "" ? null : t;
  }
  return {
    size: n,
    ids: columns.ids,
    names: columns.names,
    lon: columns.longitude,
    lat: columns.latitude,
    measures: columns.values,
    measureNames: columns.measures,
    postalCodes,
  };
}
