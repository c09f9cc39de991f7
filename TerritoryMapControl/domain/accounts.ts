/**
 * Accounts, territories and reps as the control sees them, and the pure mapping from Dataverse Web API
 * rows to those objects (including the coordinate validation that decides whether an account can be
 * plotted).
 *
 * Placement rules (decided here, relied on by the map and by the "without coordinates" list):
 * - `missing`      latitude or longitude is null / undefined / empty text — the address was never geocoded.
 * - `invalid`      a coordinate is present but is not a finite number (non-numeric text, NaN, ±Infinity),
 *                  or the pair is exactly (0, 0) — "null island", the usual placeholder of a failed geocode.
 * - `out-of-range` both are finite numbers but |latitude| > 90 or |longitude| > 180. Pairs that merely look
 *                  swapped are NOT corrected: a latitude of -98 is out of range (reported, not guessed), and
 *                  an in-range pair is taken as given because a swap cannot be proven without the address.
 * - `placed`       everything else; `latitude` / `longitude` are then finite numbers.
 * Accounts that are not `placed` carry `latitude = longitude = null` and are listed, never silently dropped.
 */

export type Placement = "placed" | "missing" | "out-of-range" | "invalid";

export interface Account {
  id: string;
  name: string;
  /** Finite latitude in [-90, 90] when `placement === "placed"`, otherwise null. */
  latitude: number | null;
  /** Finite longitude in [-180, 180] when `placement === "placed"`, otherwise null. */
  longitude: number | null;
  placement: Placement;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  /** address1_line1 (absent when the row did not carry it). */
  street?: string | null;
  /** Territory (territory.territoryid) or null when unassigned. */
  territoryId: string | null;
  /** Owner (systemuser or team id) when the row carried `_ownerid_value`, otherwise null. */
  ownerId: string | null;
  /** One value per measure column, in the order of the query's `measureColumns`; missing/non-numeric = 0. */
  measures: number[];
}

export interface Territory {
  id: string;
  name: string;
  /** Manager (systemuser id) or null. */
  managerId: string | null;
  /** Parent territory id or null. */
  parentId: string | null;
}

export interface Rep {
  id: string;
  fullName: string;
  /** The rep's home base (systemuser address1 coordinates) or null when not usable. */
  homeBase: { latitude: number; longitude: number } | null;
}

/** A Dataverse Web API row (JSON object) as returned by retrieveMultipleRecords. */
export type Row = Record<string, unknown>;

/**
 * Columns the control selects for every account, in addition to the measure columns. Kept to what the map,
 * popups and totals show: each selected lookup costs four JSON properties per row once the platform adds its
 * annotations (formatted value, navigation property, logical name), i.e. ~20 % of a 100k-account load for the
 * owner alone. The owner is read when a flow needs it (publishing), so `Account.ownerId` is null here.
 */
export const ACCOUNT_COLUMNS: readonly string[] = [
  "accountid",
  "name",
  "address1_latitude",
  "address1_longitude",
  "address1_postalcode",
  "address1_city",
  "address1_stateorprovince",
  "address1_line1",
  "_territoryid_value",
  "_ownerid_value",
];

/** Result of validating one coordinate pair. */
export interface CoordinateCheck {
  placement: Placement;
  latitude: number | null;
  longitude: number | null;
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

/** Number from a JSON value (number or numeric text); NaN when it is not numeric. */
function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

/**
 * Classifies a latitude/longitude pair (see the placement rules at the top of this file).
 *
 * @example
 * checkCoordinates(47.6, -122.3)  // { placement: "placed", latitude: 47.6, longitude: -122.3 }
 * checkCoordinates(null, -122.3)  // { placement: "missing", latitude: null, longitude: null }
 * checkCoordinates(0, 0)          // { placement: "invalid", ... }
 * checkCoordinates(-98.3, 39.5)   // { placement: "out-of-range", ... }
 */
export function checkCoordinates(lat: unknown, lon: unknown): CoordinateCheck {
  if (isBlank(lat) || isBlank(lon)) return { placement: "missing", latitude: null, longitude: null };
  const la = toNumber(lat);
  const lo = toNumber(lon);
  if (!Number.isFinite(la) || !Number.isFinite(lo)) return { placement: "invalid", latitude: null, longitude: null };
  if (la === 0 && lo === 0) return { placement: "invalid", latitude: null, longitude: null };
  if (Math.abs(la) > 90 || Math.abs(lo) > 180) return { placement: "out-of-range", latitude: null, longitude: null };
  return { placement: "placed", latitude: la, longitude: lo };
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function id(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value.toLowerCase() : null;
}

/**
 * Maps one Web API `accounts` row to an Account. Lookups are read from `_<name>_value`; measure columns
 * that are null, missing or non-numeric count as 0.
 *
 * @example
 * accountFromRow({ accountid: "A1", name: "Contoso", address1_latitude: 47.6, address1_longitude: -122.3,
 *   _territoryid_value: "T1", revenue: 1000 }, ["revenue"]).measures  // [1000]
 */
export function accountFromRow(row: Row, measureColumns: readonly string[]): Account {
  const coords = checkCoordinates(row.address1_latitude, row.address1_longitude);
  const measures = measureColumns.map((column) => {
    const n = toNumber(row[column]);
    return Number.isFinite(n) ? n : 0;
  });
  return {
    id: id(row.accountid) ?? "",
    name: text(row.name) ?? "",
    latitude: coords.latitude,
    longitude: coords.longitude,
    placement: coords.placement,
    postalCode: text(row.address1_postalcode),
    city: text(row.address1_city),
    state: text(row.address1_stateorprovince),
    street: text(row.address1_line1),
    territoryId: id(row._territoryid_value),
    ownerId: id(row._ownerid_value),
    measures,
  };
}

/** Maps a Web API `territories` row (territoryid, name, _managerid_value, _parentterritoryid_value). */
export function territoryFromRow(row: Row): Territory {
  return {
    id: id(row.territoryid) ?? "",
    name: text(row.name) ?? "",
    managerId: id(row._managerid_value),
    parentId: id(row._parentterritoryid_value),
  };
}

/** Maps a Web API `systemusers` row (systemuserid, fullname, address1_latitude, address1_longitude). */
export function repFromRow(row: Row): Rep {
  const coords = checkCoordinates(row.address1_latitude, row.address1_longitude);
  return {
    id: id(row.systemuserid) ?? "",
    fullName: text(row.fullname) ?? "",
    homeBase: coords.placement === "placed" ? { latitude: coords.latitude as number, longitude: coords.longitude as number } : null,
  };
}

/** Number of accounts per territory id ("" = unassigned). */
export function countByTerritory(accounts: readonly Account[], into: Map<string, number> = new Map()): Map<string, number> {
  for (const a of accounts) {
    const key = a.territoryId ?? "";
    into.set(key, (into.get(key) ?? 0) + 1);
  }
  return into;
}
