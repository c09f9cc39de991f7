/**
 * Deterministic sample organisation: sales reps (systemuser), Dynamics territories (territory) and
 * accounts (account) shaped like a real US sales org.
 *
 * Objective: realistic, reproducible data for development, tests and benchmarks. The same options give
 * identical rows on every run and machine. Accounts are drawn from real US postal codes (the `zipcodes`
 * npm package), concentrated where business is (zip density plus a boost around large metros), with a
 * heavy-tailed revenue, correlated employees and workload hours, a few percent of missing or bad
 * coordinates, and a plausible but unbalanced starting territory plan (nearest rep home base within the
 * account's region).
 *
 * Territory hierarchy (`territory.parentterritoryid`), with the default 40 reps — 51 territories, shaped to
 * contain what naive hierarchy code gets wrong:
 * - 9 regions (parent null, REGIONS), all managed by the sales manager, who is the signed-in user.
 * - 40 rep territories, one per rep and managed by that rep (`systemuser.territoryid` points back), named
 *   "<Region> - <city>"; a few carry longer names over 40 characters ("Northeast - New York Metro & Long
 *   Island (Enterprise)").
 * - The Midwest has three levels: region → 2 districts (DISTRICTS) → its 7 rep territories. "Midwest - Great
 *   Lakes District" is managed by the sales manager; "Midwest - Heartland & Upper Plains District" (43
 *   characters) by its first rep, Minneapolis, who thus manages two territories, the district sorting first
 *   by name. A district exists when a rep's home base is in its states.
 * - The Northern Rockies (ID, MT, WY) have a single rep territory (Boise).
 * - Accounts: about 3 % without territory (owned by the sales manager), about 1.5 % held at their region
 *   only (territoryid = the region, owned by its manager; in every region), the rest in the rep territory
 *   of the nearest rep of their region, owned by that rep. No account is assigned to a district.
 * Fewer reps (option `reps`) leave later regions without rep territories and districts out (depth 2).
 * - Teams: the owner team "Strategic Accounts" (the sales manager and the first two reps) owns about 1 % of the
 *   accounts of rep territories (their own random stream); territories are organisation-owned in Dynamics.
 *
 * Accounts come from their own random streams, one fixed set of draws per account (the region-only choice
 * has a stream of its own), so the first N accounts of a larger org are the same as an org of N accounts
 * (reps and territories do not depend on the account count).
 *
 * Rows are keyed by attribute logical name and use only the columns of local/dataverse/standardTables.ts
 * (the local store rejects unknown keys); lookups hold the target's guid under the lookup's logical name
 * (`account.territoryid`, `account.ownerid`, `territory.managerid`, `territory.parentterritoryid`,
 * `systemuser.territoryid`). The manager comes first among the systemusers: the local Web API's WhoAmI
 * answers the first systemuser, so the manager is the dev host's current user.
 *
 * @example
 * const org = generateSampleOrg({ accounts: 20000 });
 * org.summary.coordinates.missing; // accounts without latitude/longitude
 */
import { codes } from "zipcodes";
import { createPrng, cumulativeSampler, type Prng } from "./prng";
import {
  CUSTOMER_TYPES,
  DISTRICTS,
  FIRST_NAMES,
  INDUSTRY_PROFILES,
  LAST_NAMES,
  METRO_CENTRES,
  NAME_PREFIXES,
  NAME_SUFFIXES,
  REGIONS,
  REP_BASES,
  STREET_NAMES,
  STREET_TYPES,
  US_STATES,
} from "./data";

export type Row = Record<string, unknown>;

/** Share of rep-territory accounts owned by the Strategic Accounts team. */
const TEAM_OWNED_SHARE = 0.01;

/** The owner team of the sample org: the sales manager and the first two reps. */
function sampleTeam(seed: number, systemusers: Row[]): { team: Row; members: { teamid: string; systemuserid: string }[] } {
  const teamid = createPrng((seed ^ 0x7ea30001) >>> 0).guid();
  const users = systemusers.slice(0, 3).map((u) => String(u.systemuserid));
  return {
    team: { teamid, name: "Strategic Accounts", teamtype: 0, description: "Owner team of the largest customers" },
    members: users.map((systemuserid) => ({ teamid, systemuserid })),
  };
}

/** The sales manager: the current user of the dev host. Fixed so the host and tests can refer to it. */
export const SAMPLE_MANAGER_ID = "6d2c1f40-0a5e-4b7d-8c3e-5a17c0de2026";
export const SAMPLE_MANAGER_NAME = { first: "Dana", last: "Whitfield" } as const;
export const DEFAULT_SEED = 20261122;
export const DEFAULT_ACCOUNTS = 20000;
export const DEFAULT_REPS = 40;
/** Accounts seeded for benchmarks (`--large`). */
export const BENCHMARK_ACCOUNTS = 100000;
/** Email / UPN domain of the sample users. */
export const SAMPLE_EMAIL_DOMAIN = "contoso.example";

export interface SampleOrgOptions {
  /** Number of accounts; default 20,000 (100,000 for benchmarks). */
  accounts?: number;
  /** Number of sales reps (one territory each); default 40. At least 1. */
  reps?: number;
  /** Random seed; default 20261122. */
  seed?: number;
}

/** How an account's coordinates are wrong. */
export type BadCoordinateKind =
  | "missing" // latitude and longitude null (never geocoded)
  | "outOfRange" // a slipped decimal point: latitude or longitude ×10, outside ±90 / ±180
  | "swapped" // latitude and longitude exchanged (only where both stay within range)
  | "nullIsland" // (0, 0): a failed geocode stored as zeros
  | "signFlipped"; // longitude sign lost: the point lands in Asia

export const BAD_COORDINATE_KINDS: readonly BadCoordinateKind[] = ["missing", "outOfRange", "swapped", "nullIsland", "signFlipped"];

export interface SampleOrgSummary {
  seed: number;
  accounts: number;
  activeAccounts: number;
  inactiveAccounts: number;
  reps: number;
  systemusers: number;
  /** Top-level territories (parentterritoryid null). */
  regions: number;
  /** Territories between a region and rep territories. */
  districts: number;
  /** One per rep: the leaves of the hierarchy. */
  repTerritories: number;
  /** All territories: regions + districts + rep territories. */
  territories: number;
  /** Levels of the deepest branch (region → district → rep territory = 3). */
  hierarchyDepth: number;
  /** Accounts with a territory: a rep territory or a region (regionOnlyAccounts). */
  assignedAccounts: number;
  /** Accounts whose territory is a region, not a rep territory (owned by the region's manager). */
  regionOnlyAccounts: number;
  /** Accounts in rep territories owned by the Strategic Accounts team. */
  teamOwnedAccounts: number;
  unassignedAccounts: number;
  coordinates: Record<"good" | BadCoordinateKind, number> & { badShare: number };
  revenue: { total: number; median: number; p99: number; max: number; top1PercentShare: number };
  accountsByRegion: Record<string, number>;
  accountsPerRepTerritory: { min: number; max: number; mean: number };
  /** Share of accounts within 60 km of one of the listed metro centres. */
  metroShare: number;
  generationMs: number;
}

export interface SampleOrg {
  systemusers: Row[];
  territories: Row[];
  accounts: Row[];
  /** Owner teams (team rows) and their members (team id, systemuser id). */
  teams: Row[];
  teamMembers: { teamid: string; systemuserid: string }[];
  summary: SampleOrgSummary;
}

/** Latitude/longitude boxes of the 50 states and DC (contiguous US, Alaska, Hawaii). */
export const US_BOUNDS: readonly { name: string; minLat: number; maxLat: number; minLon: number; maxLon: number }[] = [
  { name: "contiguous", minLat: 24.3, maxLat: 49.5, minLon: -125, maxLon: -66.8 },
  { name: "alaska", minLat: 51, maxLat: 72, minLon: -180, maxLon: -129 },
  { name: "hawaii", minLat: 18.5, maxLat: 22.5, minLon: -161, maxLon: -154.5 },
];

/** True when the point lies inside one of US_BOUNDS shrunk by `margin` degrees. */
export function isWithinUsBounds(lat: number, lon: number, margin = 0): boolean {
  return US_BOUNDS.some(
    (b) => lat >= b.minLat + margin && lat <= b.maxLat - margin && lon >= b.minLon + margin && lon <= b.maxLon - margin,
  );
}

// ---------------------------------------------------------------------------------------------------
// Postal codes
// ---------------------------------------------------------------------------------------------------

interface ZipEntry {
  zip: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
  region: number;
  /** Within 60 km of a metro centre. */
  metro: boolean;
}

interface PreparedZips {
  entries: ZipEntry[];
  pick: (rng: Prng) => number;
}

const METRO_SIGMA_KM = 40;
const METRO_RADIUS_KM = 60;
/** Extra weight per million metro inhabitants for a zip at a metro centre (tuned so ~55-60% of accounts are metro). */
const METRO_BOOST_PER_MILLION = 1;
const JITTER_KM = 2;

let preparedZips: PreparedZips | null = null;
const nearestZipCache = new Map<string, ZipEntry>();

// Local bindings: global lookups are noticeably slower inside test sandboxes (vm contexts).
const { cos, sin, sqrt, abs, pow, exp, log, round, min, max } = Math;
const HALF_DEGREE = Math.PI / 360;

const regionOfState = new Map<string, number>();
REGIONS.forEach((r, i) => r.states.forEach((s) => regionOfState.set(s, i)));

/** Approximate distance in km (equirectangular; plenty for ranking nearby points). */
function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = (lon2 - lon1) * cos((lat1 + lat2) * HALF_DEGREE);
  const y = lat2 - lat1;
  return 111.195 * sqrt(x * x + y * y);
}

function prepareZips(): PreparedZips {
  if (preparedZips) return preparedZips;
  const entries: ZipEntry[] = [];
  const keys = Object.keys(codes).sort();
  for (const key of keys) {
    const z = codes[key];
    if (!z || z.country !== "US") continue;
    const region = regionOfState.get(z.state);
    if (region === undefined) continue; // territories (PR, GU…) and military (AA, AE, AP)
    const lat = z.latitude;
    const lon = z.longitude;
    if (typeof lat !== "number" || typeof lon !== "number" || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    if (lat === 0 || lon === 0) continue;
    // Skip the dataset's own bad points (e.g. a positive New York longitude, Wake Island filed under HI);
    // the margin keeps jittered points inside the bounds too.
    if (!isWithinUsBounds(lat, lon, 0.05)) continue;
    let metro = false;
    for (const m of METRO_CENTRES) {
      if (abs(m.lat - lat) < 1 && distanceKm(lat, lon, m.lat, m.lon) <= METRO_RADIUS_KM) {
        metro = true;
        break;
      }
    }
    entries.push({ zip: z.zip, city: z.city.trim(), state: z.state, lat, lon, region, metro });
  }
  const weights = entries.map((e) => {
    let boost = 0;
    for (const m of METRO_CENTRES) {
      if (abs(m.lat - e.lat) > 2) continue;
      const d = distanceKm(e.lat, e.lon, m.lat, m.lon);
      boost += m.populationM * exp(-((d / METRO_SIGMA_KM) ** 2));
    }
    return 1 + METRO_BOOST_PER_MILLION * boost;
  });
  preparedZips = { entries, pick: cumulativeSampler(weights) };
  return preparedZips;
}

/** The postal code whose centroid is nearest to a point (memoised: rep bases are fixed). */
function nearestZip(lat: number, lon: number): ZipEntry {
  const key = `${lat},${lon}`;
  const cached = nearestZipCache.get(key);
  if (cached) return cached;
  const { entries } = prepareZips();
  let best = entries[0] as ZipEntry;
  let bestD = Infinity;
  for (const e of entries) {
    if (abs(e.lat - lat) * 111 > bestD) continue;
    const d = distanceKm(lat, lon, e.lat, e.lon);
    if (d < bestD) {
      bestD = d;
      best = e;
    }
  }
  nearestZipCache.set(key, best);
  return best;
}

const round5 = (x: number): number => round(x * 1e5) / 1e5;

/** A point uniformly within `km` of (lat, lon), rounded to 5 decimals (about 1 m). */
function jitter(rng: Prng, lat: number, lon: number, km: number): [number, number] {
  const r = km * sqrt(rng.next());
  const t = 2 * Math.PI * rng.next();
  const dLat = (r * cos(t)) / 110.574;
  const dLon = (r * sin(t)) / (111.32 * cos((lat * Math.PI) / 180));
  return [round5(lat + dLat), round5(lon + dLon)];
}

function streetAddress(rng: Prng): string {
  return `${rng.int(1, 9899)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_TYPES)}`;
}

// ---------------------------------------------------------------------------------------------------
// Users and territories
// ---------------------------------------------------------------------------------------------------

interface Rep {
  id: string;
  territoryId: string;
  region: number;
  lat: number;
  lon: number;
}

interface Hierarchy {
  systemusers: Row[];
  /** Regions, then districts, then rep territories. */
  territories: Row[];
  reps: Rep[];
  repsByRegion: Rep[][];
  /** Territory id and manager of each region (REGIONS order). */
  regions: { id: string; managerId: string }[];
  districts: number;
  depth: number;
}

function personRow(id: string, first: string, last: string): Row {
  const alias = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
  return {
    systemuserid: id,
    firstname: first,
    lastname: last,
    fullname: `${first} ${last}`,
    internalemailaddress: `${alias}@${SAMPLE_EMAIL_DOMAIN}`,
    isdisabled: false,
  };
}

function generateUsersAndTerritories(seed: number, repCount: number): Hierarchy {
  const rng = createPrng(seed);
  const zips = prepareZips();
  const systemusers: Row[] = [];
  const regionRows: Row[] = [];
  const repRows: Row[] = [];
  const repStates: string[] = [];

  const manager = personRow(SAMPLE_MANAGER_ID, SAMPLE_MANAGER_NAME.first, SAMPLE_MANAGER_NAME.last);
  const hq = nearestZip(41.8781, -87.6298);
  Object.assign(manager, {
    address1_city: hq.city,
    address1_stateorprovince: hq.state,
    address1_postalcode: hq.zip,
    address1_latitude: round5(hq.lat),
    address1_longitude: round5(hq.lon),
    territoryid: null,
  });
  systemusers.push(manager);

  const regionIds = REGIONS.map(() => rng.guid());
  REGIONS.forEach((region, i) => {
    regionRows.push({
      territoryid: regionIds[i],
      name: region.name,
      description: `Region: ${region.states.join(", ")}`,
      managerid: SAMPLE_MANAGER_ID,
      parentterritoryid: null,
    });
  });

  const usedNames = new Set<string>([`${SAMPLE_MANAGER_NAME.first} ${SAMPLE_MANAGER_NAME.last}`]);
  const usedTerritoryNames = new Set<string>([...REGIONS.map((r) => r.name), ...DISTRICTS.map(districtName)]);
  const reps: Rep[] = [];
  const repsByRegion: Rep[][] = REGIONS.map(() => []);
  for (let i = 0; i < repCount; i++) {
    const base = REP_BASES[i];
    const home = base ? nearestZip(base.lat, base.lon) : (zips.entries[zips.pick(rng)] as ZipEntry);
    const baseCity = base ? base.city : home.city;
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    while (usedNames.has(`${first} ${last}`)) {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    }
    usedNames.add(`${first} ${last}`);
    const id = rng.guid();
    const territoryId = rng.guid();
    const [lat, lon] = jitter(rng, home.lat, home.lon, JITTER_KM);
    const region = home.region;
    const user = personRow(id, first, last);
    Object.assign(user, {
      address1_city: home.city,
      address1_stateorprovince: home.state,
      address1_postalcode: home.zip,
      address1_latitude: lat,
      address1_longitude: lon,
      territoryid: territoryId,
    });
    systemusers.push(user);

    const regionDef = REGIONS[region] as (typeof REGIONS)[number];
    const label = base?.territory ?? baseCity;
    let name = `${regionDef.name} - ${label}`;
    for (let n = 2; usedTerritoryNames.has(name); n++) name = `${regionDef.name} - ${label} ${n}`;
    usedTerritoryNames.add(name);
    repStates.push(home.state);
    repRows.push({
      territoryid: territoryId,
      name,
      description: `${first} ${last}, based in ${baseCity}, ${home.state}`,
      managerid: id,
      parentterritoryid: regionIds[region],
    });
    const rep: Rep = { id, territoryId, region, lat, lon };
    reps.push(rep);
    (repsByRegion[region] as Rep[]).push(rep);
  }

  // Districts (drawn after the reps, so that adding one leaves every user and rep territory as it was): a
  // district exists when at least one rep's home base lies in its states; its reps' territories move under it.
  const districtRows: Row[] = [];
  for (const district of DISTRICTS) {
    const region = REGIONS.findIndex((r) => r.key === district.region);
    const members = reps.map((_, i) => i).filter((i) => reps[i]?.region === region && district.states.includes(repStates[i] as string));
    const id = rng.guid();
    const first = members[0];
    if (first === undefined) continue;
    const senior = reps[first] as Rep;
    districtRows.push({
      territoryid: id,
      name: districtName(district),
      description: `District: ${district.states.join(", ")}`,
      managerid: district.managedBy === "seniorRep" ? senior.id : SAMPLE_MANAGER_ID,
      parentterritoryid: regionIds[region],
    });
    for (const i of members) (repRows[i] as Row).parentterritoryid = id;
  }
  return {
    systemusers,
    territories: [...regionRows, ...districtRows, ...repRows],
    reps,
    repsByRegion,
    regions: regionRows.map((r) => ({ id: r.territoryid as string, managerId: r.managerid as string })),
    districts: districtRows.length,
    depth: districtRows.length > 0 ? 3 : 2,
  };
}

function districtName(district: (typeof DISTRICTS)[number]): string {
  const region = REGIONS.find((r) => r.key === district.region);
  return `${region?.name ?? district.region} - ${district.name}`;
}

// ---------------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------------

const BAD_COORDINATE_SHARE = 0.03;
const UNASSIGNED_SHARE = 0.03;
/** Accounts held at the region (house accounts, or waiting for a rep): territory = the region. */
const REGION_ONLY_SHARE = 0.015;
const INACTIVE_SHARE = 0.02;

function accountName(
  rng: Prng,
  industryNouns: readonly string[],
  city: string,
  enterprise: boolean,
  suffixPick: (r: Prng) => number,
): string {
  const noun = rng.pick(industryNouns);
  const u = rng.next();
  let core: string;
  if (u < 0.45) core = `${rng.pick(NAME_PREFIXES)} ${noun}`;
  else if (u < 0.7) core = `${rng.pick(LAST_NAMES)} ${noun}`;
  else if (u < 0.85 && city.length <= 16 && /^[A-Z][a-z]/.test(city)) core = `${city} ${noun}`;
  else core = `${rng.pick(LAST_NAMES)} & ${rng.pick(LAST_NAMES)} ${noun}`;
  const suffixDraw = (NAME_SUFFIXES[suffixPick(rng)] as (typeof NAME_SUFFIXES)[number]).text;
  const suffix = enterprise ? (rng.chance(0.5) ? "Corporation" : "Holdings") : suffixDraw;
  if (!suffix || core.includes(".") || core.endsWith(suffix.replace(".", ""))) return core;
  return `${core} ${suffix}`;
}

/** Revenue in USD: ~94% small firms (median ~$3.5M), ~5% mid-market, ~0.7% enterprises ($1B+, Pareto tail). */
function drawRevenue(rng: Prng, factor: number): { revenue: number; enterprise: boolean } {
  const u = rng.next();
  const x = rng.next(); // always consumed: keeps the stream aligned whatever the tier
  const n = rng.normal();
  let revenue: number;
  let enterprise = false;
  if (u < 0.007) {
    revenue = min(1e9 / pow(1 - x, 1 / 1.5), 3e11);
    enterprise = true;
  } else if (u < 0.06) {
    revenue = min(max(exp(log(1.2e8) + 0.8 * n) * factor, 5e7), 9.5e8);
  } else {
    revenue = min(max(exp(log(3.5e6) + 0.9 * n) * factor, 2.5e5), 4.9e7);
  }
  return { revenue: round(revenue / 1000) * 1000, enterprise };
}

interface CoordinateState {
  lat: number | null;
  lon: number | null;
  kind: BadCoordinateKind | null;
}

function corruptCoordinates(rng: Prng, lat: number, lon: number): CoordinateState {
  const bad = rng.next() < BAD_COORDINATE_SHARE;
  const k = rng.next();
  const which = rng.next();
  if (!bad) return { lat, lon, kind: null };
  if (k < 0.5) return { lat: null, lon: null, kind: "missing" };
  if (k < 0.68) {
    return which < 0.5 ? { lat: round5(lat * 10), lon, kind: "outOfRange" } : { lat, lon: round5(lon * 10), kind: "outOfRange" };
  }
  if (k < 0.82 && abs(lon) <= 90) return { lat: lon, lon: lat, kind: "swapped" };
  if (k < 0.91) return { lat: 0, lon: 0, kind: "nullIsland" };
  return { lat, lon: -lon, kind: "signFlipped" };
}

function nearestRep(candidates: readonly Rep[], lat: number, lon: number): Rep {
  let best = candidates[0] as Rep;
  let bestD = Infinity;
  for (const r of candidates) {
    const d = distanceKm(lat, lon, r.lat, r.lon);
    if (d < bestD) {
      bestD = d;
      best = r;
    }
  }
  return best;
}

function quantileOfSorted(sortedAsc: Float64Array, q: number): number {
  if (sortedAsc.length === 0) return 0;
  return sortedAsc[min(sortedAsc.length - 1, Math.floor(q * sortedAsc.length))] as number;
}

/**
 * Generates the sample organisation.
 * @example
 * const { systemusers, territories, accounts, summary } = generateSampleOrg({ accounts: 100000 });
 */
export function generateSampleOrg(options: SampleOrgOptions = {}): SampleOrg {
  const started = performance.now();
  const accountCount = options.accounts ?? DEFAULT_ACCOUNTS;
  const repCount = options.reps ?? DEFAULT_REPS;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(accountCount) || accountCount < 0)
    throw new RangeError(`accounts must be a non-negative integer, got ${accountCount}`);
  if (!Number.isInteger(repCount) || repCount < 1) throw new RangeError(`reps must be a positive integer, got ${repCount}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);

  const zips = prepareZips();
  const hierarchy = generateUsersAndTerritories(seed, repCount);
  const { systemusers, territories, reps, repsByRegion } = hierarchy;

  const rng = createPrng((seed ^ 0x5eed5eed) >>> 0);
  // A second per-account stream (one draw per account) for the region-only choice, so that the draws above
  // and every account's other columns stay what they were without it.
  const regionOnlyRng = createPrng((seed ^ 0x7e77a1e5) >>> 0);
  // A third one for team ownership.
  const teamRng = createPrng((seed ^ 0x7ea3c0de) >>> 0);
  const team = sampleTeam(seed, systemusers);
  const pickIndustry = cumulativeSampler(INDUSTRY_PROFILES.map((p) => p.weight));
  const pickCustomerType = cumulativeSampler(CUSTOMER_TYPES.map((c) => c.weight));
  const pickSuffix = cumulativeSampler(NAME_SUFFIXES.map((s) => s.weight));

  const coordinates: SampleOrgSummary["coordinates"] = {
    good: 0,
    missing: 0,
    outOfRange: 0,
    swapped: 0,
    nullIsland: 0,
    signFlipped: 0,
    badShare: 0,
  };
  const accountsByRegion: Record<string, number> = Object.fromEntries(REGIONS.map((r) => [r.name, 0]));
  const perTerritory = new Map<string, number>(reps.map((r) => [r.territoryId, 0]));
  const revenues = new Float64Array(accountCount);
  let inactive = 0;
  let unassigned = 0;
  let regionOnly = 0;
  let teamOwnedAccounts = 0;
  let metro = 0;

  const accounts: Row[] = new Array<Row>(accountCount);
  for (let i = 0; i < accountCount; i++) {
    const zip = zips.entries[zips.pick(rng)] as ZipEntry;
    const [lat, lon] = jitter(rng, zip.lat, zip.lon, JITTER_KM);
    const industry = INDUSTRY_PROFILES[pickIndustry(rng)] as (typeof INDUSTRY_PROFILES)[number];
    const { revenue, enterprise } = drawRevenue(rng, industry.revenueFactor);
    const revenuePerEmployee = rng.lognormal(log(180000), 0.45);
    const rawEmployees = max(1, round(revenue / revenuePerEmployee));
    const employees = rawEmployees >= 1000 ? round(rawEmployees / 10) * 10 : rawEmployees;
    const hoursRaw = 8 * pow(revenue / 1e6, 0.4) * rng.lognormal(0, 0.3);
    const workloadHours = round(min(400, max(5, hoursRaw)) * 10) / 10;
    const name = accountName(rng, industry.nouns, zip.city, enterprise, pickSuffix);
    const street = streetAddress(rng);
    const line1 = rng.chance(0.25) ? `${street}, Suite ${rng.int(1, 9) * 100 + rng.int(0, 30)}` : street;
    const customerType = (CUSTOMER_TYPES[pickCustomerType(rng)] as (typeof CUSTOMER_TYPES)[number]).code;
    const isInactive = rng.chance(INACTIVE_SHARE);
    const isUnassigned = rng.chance(UNASSIGNED_SHARE);
    const coords = corruptCoordinates(rng, lat, lon);
    const id = rng.guid();
    const atRegion = regionOnlyRng.next() < REGION_ONLY_SHARE && !isUnassigned;

    // Assignment follows where the account really is (its address), as a postal-code based plan would,
    // whatever state its stored coordinates are in. Region-only accounts belong to the region's manager.
    const regionReps = repsByRegion[zip.region] as Rep[];
    const rep = isUnassigned || atRegion ? null : nearestRep(regionReps.length > 0 ? regionReps : reps, lat, lon);
    const region = hierarchy.regions[zip.region] as Hierarchy["regions"][number];
    const territoryId = atRegion ? region.id : rep ? rep.territoryId : null;
    const teamOwned = teamRng.next() < TEAM_OWNED_SHARE && !!rep;
    const ownerId = atRegion ? region.managerId : teamOwned ? team.team.teamid : rep ? rep.id : SAMPLE_MANAGER_ID;
    if (teamOwned) teamOwnedAccounts++;

    accounts[i] = {
      accountid: id,
      name,
      accountnumber: `ACC-${String(i + 1).padStart(6, "0")}`,
      address1_line1: line1,
      address1_city: zip.city,
      address1_stateorprovince: zip.state,
      address1_postalcode: zip.zip,
      address1_country: "United States",
      address1_latitude: coords.lat,
      address1_longitude: coords.lon,
      revenue,
      numberofemployees: employees,
      industrycode: industry.code,
      customertypecode: customerType,
      tmap_workloadhours: workloadHours,
      statecode: isInactive ? 1 : 0,
      statuscode: isInactive ? 2 : 1,
      territoryid: territoryId,
      ownerid: ownerId,
    };

    coordinates[coords.kind ?? "good"]++;
    const regionName = (REGIONS[zip.region] as (typeof REGIONS)[number]).name;
    accountsByRegion[regionName] = (accountsByRegion[regionName] ?? 0) + 1;
    if (rep) perTerritory.set(rep.territoryId, (perTerritory.get(rep.territoryId) ?? 0) + 1);
    else if (atRegion) regionOnly++;
    else unassigned++;
    if (isInactive) inactive++;
    if (zip.metro) metro++;
    revenues[i] = revenue;
  }
  coordinates.badShare = accountCount > 0 ? (accountCount - coordinates.good) / accountCount : 0;

  const sorted = revenues.slice().sort();
  let total = 0;
  for (const r of sorted) total += r;
  const topCount = max(1, Math.floor(accountCount / 100));
  let top = 0;
  for (let i = sorted.length - topCount; i < sorted.length; i++) top += i >= 0 ? (sorted[i] as number) : 0;
  const territoryCounts = [...perTerritory.values()];

  const summary: SampleOrgSummary = {
    seed,
    accounts: accountCount,
    activeAccounts: accountCount - inactive,
    inactiveAccounts: inactive,
    reps: reps.length,
    systemusers: systemusers.length,
    regions: REGIONS.length,
    districts: hierarchy.districts,
    repTerritories: reps.length,
    territories: territories.length,
    hierarchyDepth: hierarchy.depth,
    assignedAccounts: accountCount - unassigned,
    regionOnlyAccounts: regionOnly,
    teamOwnedAccounts,
    unassignedAccounts: unassigned,
    coordinates,
    revenue: {
      total,
      median: quantileOfSorted(sorted, 0.5),
      p99: quantileOfSorted(sorted, 0.99),
      max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : 0,
      top1PercentShare: total > 0 ? top / total : 0,
    },
    accountsByRegion,
    accountsPerRepTerritory: {
      min: min(...territoryCounts),
      max: max(...territoryCounts),
      mean: territoryCounts.reduce((a, b) => a + b, 0) / territoryCounts.length,
    },
    metroShare: accountCount > 0 ? metro / accountCount : 0,
    generationMs: 0,
  };
  summary.generationMs = round(performance.now() - started);
  return { systemusers, territories, accounts, teams: [team.team], teamMembers: team.members, summary };
}

/** Exposed for tests: every state the sample draws from (50 states + DC). */
export const SAMPLE_STATES = US_STATES;
