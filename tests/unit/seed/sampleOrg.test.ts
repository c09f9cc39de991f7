import { createHash } from "node:crypto";
import { codes } from "zipcodes";
import { SqliteDataverseStore, standardTables } from "../../../local/dataverse";
import {
  BAD_COORDINATE_KINDS,
  BENCHMARK_ACCOUNTS,
  INDUSTRY_CODES,
  REGIONS,
  SAMPLE_MANAGER_ID,
  generateSampleOrg,
  seedIfEmpty,
  type BadCoordinateKind,
  type Row,
  type SampleOrg,
} from "../../../local/seed";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Independent of the generator's own bounds: contiguous US, Alaska (both sides of 180°), Hawaii. */
function inUs(lat: number, lon: number): boolean {
  return (
    (lat >= 24 && lat <= 49.6 && lon >= -125.1 && lon <= -66.7) ||
    (lat >= 51 && lat <= 71.6 && ((lon >= -180 && lon <= -129) || (lon >= 172 && lon <= 180))) ||
    (lat >= 18.5 && lat <= 22.6 && lon >= -161 && lon <= -154.5)
  );
}

function km(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = (lon2 - lon1) * Math.cos(((lat1 + lat2) * Math.PI) / 360);
  return 111.195 * Math.hypot(x, lat2 - lat1);
}

/** Classifies an account's stored coordinates against its postal code's centroid. */
function classify(row: Row): "good" | BadCoordinateKind {
  const lat = row.address1_latitude as number | null;
  const lon = row.address1_longitude as number | null;
  if (lat === null || lon === null) return "missing";
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return "outOfRange";
  if (lat === 0 && lon === 0) return "nullIsland";
  const zip = codes[row.address1_postalcode as string];
  if (!zip) throw new Error(`unknown postal code ${String(row.address1_postalcode)}`);
  if (km(lat, lon, zip.latitude, zip.longitude) < 2.5) return "good";
  if (km(lon, lat, zip.latitude, zip.longitude) < 2.5) return "swapped";
  if (km(lat, -lon, zip.latitude, zip.longitude) < 2.5) return "signFlipped";
  throw new Error(`unclassifiable coordinates ${lat}, ${lon} for ${zip.zip}`);
}

function digest(org: SampleOrg): string {
  const hash = createHash("sha256");
  for (const table of [org.systemusers, org.territories, org.accounts]) {
    for (const row of table) hash.update(JSON.stringify(row));
  }
  return hash.digest("hex");
}

function correlation(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("generateSampleOrg (default: 20,000 accounts, 40 reps)", () => {
  let org: SampleOrg;
  beforeAll(() => {
    org = generateSampleOrg({});
  });

  it("creates at least 20,000 accounts, 40 reps plus the manager, 8 regions and one territory per rep", () => {
    expect(org.accounts.length).toBeGreaterThanOrEqual(20000);
    expect(org.systemusers).toHaveLength(41);
    expect(org.territories).toHaveLength(48);
    expect(org.territories.filter((t) => t.parentterritoryid === null).map((t) => t.name)).toEqual(REGIONS.map((r) => r.name));
    expect(org.summary).toMatchObject({ accounts: 20000, reps: 40, systemusers: 41, territories: 48, regions: 8 });
  });

  it("is deterministic: the same seed gives identical rows, another seed different ones", () => {
    expect(digest(generateSampleOrg({}))).toBe(digest(org));
    const other = generateSampleOrg({ seed: 7 });
    expect(other.accounts[0]).not.toEqual(org.accounts[0]);
    expect(digest(other)).not.toBe(digest(org));
  });

  it("uses only columns of the standard tables, with values their schema allows", () => {
    const tables: [string, Row[]][] = [
      ["systemuser", org.systemusers],
      ["territory", org.territories],
      ["account", org.accounts],
    ];
    for (const [name, rows] of tables) {
      const schema = standardTables.find((t) => t.logicalName === name);
      const attributes = new Map(schema?.attributes.map((a) => [a.logicalName, a]));
      const keys = new Set(rows.flatMap((r) => Object.keys(r)));
      expect([...keys].filter((k) => !attributes.has(k))).toEqual([]);
      for (const key of keys) {
        const a = attributes.get(key);
        if (a?.maxLength !== undefined) {
          expect(rows.filter((r) => typeof r[key] === "string" && (r[key] as string).length > (a.maxLength as number))).toEqual([]);
        }
        if (a?.options !== undefined) {
          const options = new Set(a.options);
          expect(rows.filter((r) => r[key] !== null && r[key] !== undefined && !options.has(r[key] as number))).toEqual([]);
        }
      }
    }
  });

  it("gives every row a unique guid and every account a unique account number", () => {
    const ids = [
      ...org.systemusers.map((u) => u.systemuserid),
      ...org.territories.map((t) => t.territoryid),
      ...org.accounts.map((a) => a.accountid),
    ];
    expect(ids.filter((id) => typeof id !== "string" || !GUID.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(org.accounts.map((a) => a.accountnumber)).size).toBe(org.accounts.length);
  });

  it("takes postal code, city and state from the postal-code dataset, in the 50 states and DC", () => {
    const states = new Set(REGIONS.flatMap((r) => r.states));
    expect(states.size).toBe(51);
    const mismatches = org.accounts.filter((a) => {
      const zip = codes[a.address1_postalcode as string];
      return (
        !zip ||
        zip.country !== "US" ||
        a.address1_city !== zip.city ||
        a.address1_stateorprovince !== zip.state ||
        !states.has(zip.state) ||
        a.address1_country !== "United States"
      );
    });
    expect(mismatches).toEqual([]);
    expect(new Set(org.accounts.map((a) => a.address1_stateorprovince)).size).toBe(51);
  });

  it("puts every good coordinate inside the US, near its postal code, with at most 5 decimals", () => {
    const good = org.accounts.filter((a) => classify(a) === "good");
    const offending = good.filter((a) => {
      const lat = a.address1_latitude as number;
      const lon = a.address1_longitude as number;
      return !inUs(lat, lon) || Math.round(lat * 1e5) / 1e5 !== lat || Math.round(lon * 1e5) / 1e5 !== lon;
    });
    expect(offending).toEqual([]);
    expect(good.length).toBe(org.summary.coordinates.good);
    // Alaska and Hawaii are represented.
    expect(org.accounts.some((a) => a.address1_stateorprovince === "AK")).toBe(true);
    expect(org.accounts.some((a) => a.address1_stateorprovince === "HI")).toBe(true);
  });

  it("has 2–5% missing or bad coordinates, about half missing, every kind present and counted in the summary", () => {
    const counts: Record<string, number> = { good: 0 };
    for (const kind of BAD_COORDINATE_KINDS) counts[kind] = 0;
    for (const a of org.accounts) {
      const kind = classify(a);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    const bad = org.accounts.length - (counts.good ?? 0);
    expect(bad / org.accounts.length).toBeGreaterThanOrEqual(0.02);
    expect(bad / org.accounts.length).toBeLessThanOrEqual(0.05);
    expect((counts.missing ?? 0) / bad).toBeGreaterThan(0.35);
    expect((counts.missing ?? 0) / bad).toBeLessThan(0.65);
    for (const kind of BAD_COORDINATE_KINDS) expect(counts[kind]).toBeGreaterThan(0);
    const { badShare, ...byKind } = org.summary.coordinates;
    expect(byKind).toEqual(counts);
    expect(badShare).toBeCloseTo(bad / org.accounts.length, 10);
    // Nothing unstorable in a Double column.
    expect(org.accounts.filter((a) => [a.address1_latitude, a.address1_longitude].some((v) => v !== null && !Number.isFinite(v)))).toEqual(
      [],
    );
  });

  it("concentrates accounts in metro areas", () => {
    expect(org.summary.metroShare).toBeGreaterThan(0.5);
    const nyc = org.accounts.filter((a) => a.address1_stateorprovince === "NY").length;
    const wy = org.accounts.filter((a) => a.address1_stateorprovince === "WY").length;
    expect(nyc).toBeGreaterThan(10 * wy);
  });

  it("has a heavy-tailed revenue: mostly $1–10M firms, a few $1B+ enterprises, top 1% holding over 20%", () => {
    const revenues = org.accounts.map((a) => a.revenue as number).sort((x, y) => y - x);
    const total = revenues.reduce((a, b) => a + b, 0);
    const top = revenues.slice(0, revenues.length / 100).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.2);
    expect(org.summary.revenue.top1PercentShare).toBeCloseTo(top / total, 10);
    const median = revenues[revenues.length / 2] as number;
    expect(median).toBeGreaterThan(1e6);
    expect(median).toBeLessThan(1e7);
    expect(revenues.filter((r) => r >= 1e9).length).toBeGreaterThanOrEqual(20);
    expect(revenues.every((r) => Number.isInteger(r) && r > 0)).toBe(true);
  });

  it("correlates employees and workload hours with revenue; workload within 5–400 hours", () => {
    const logRevenue = org.accounts.map((a) => Math.log(a.revenue as number));
    const employees = org.accounts.map((a) => a.numberofemployees as number);
    const hours = org.accounts.map((a) => a.tmap_workloadhours as number);
    expect(employees.every((e) => Number.isInteger(e) && e >= 1)).toBe(true);
    expect(hours.every((h) => h >= 5 && h <= 400)).toBe(true);
    expect(correlation(logRevenue, employees.map(Math.log))).toBeGreaterThan(0.8);
    expect(correlation(logRevenue, hours.map(Math.log))).toBeGreaterThan(0.6);
  });

  it("uses standard option values: industrycode 1..33, customertypecode, a few inactive accounts", () => {
    const industries = new Set(org.accounts.map((a) => a.industrycode as number));
    expect(industries.size).toBeGreaterThanOrEqual(20);
    for (const code of industries) expect(INDUSTRY_CODES[code]).toBeDefined();
    const customerTypes = new Set([1, 3, 5, 8, 9, 10, 12]);
    const invalid = org.accounts.filter(
      (a) =>
        !customerTypes.has(a.customertypecode as number) ||
        !((a.statecode === 0 && a.statuscode === 1) || (a.statecode === 1 && a.statuscode === 2)) ||
        typeof a.name !== "string" ||
        a.name.length === 0 ||
        a.name.length > 160,
    );
    expect(invalid).toEqual([]);
    const inactive = org.accounts.filter((a) => a.statecode === 1).length / org.accounts.length;
    expect(inactive).toBeGreaterThan(0.005);
    expect(inactive).toBeLessThan(0.05);
  });

  it("keeps lookups consistent: territories, managers, owners and the parent regions exist", () => {
    const users = new Map(org.systemusers.map((u) => [u.systemuserid as string, u]));
    const territories = new Map(org.territories.map((t) => [t.territoryid as string, t]));
    expect(org.systemusers[0]).toMatchObject({
      systemuserid: SAMPLE_MANAGER_ID,
      fullname: "Dana Whitfield",
      isdisabled: false,
      territoryid: null,
    });
    for (const t of org.territories) {
      expect(users.has(t.managerid as string)).toBe(true);
      if (t.parentterritoryid !== null) {
        expect(territories.get(t.parentterritoryid as string)?.parentterritoryid).toBeNull();
        expect(users.get(t.managerid as string)?.territoryid).toBe(t.territoryid);
      }
    }
    for (const u of org.systemusers) {
      if (u.systemuserid === SAMPLE_MANAGER_ID) continue;
      expect(territories.get(u.territoryid as string)?.managerid).toBe(u.systemuserid);
      expect(inUs(u.address1_latitude as number, u.address1_longitude as number)).toBe(true);
      expect(u.internalemailaddress).toMatch(/^[a-z.]+@contoso\.example$/);
    }
    const unassigned = org.accounts.filter((a) => a.territoryid === null);
    expect(unassigned.filter((a) => a.ownerid !== SAMPLE_MANAGER_ID)).toEqual([]);
    const broken = org.accounts.filter((a) => {
      if (a.territoryid === null) return false;
      const territory = territories.get(a.territoryid as string);
      // must be a rep territory (not a region) owned by its rep
      return !territory || territory.parentterritoryid === null || a.ownerid !== territory.managerid;
    });
    expect(broken).toEqual([]);
    expect(unassigned.length / org.accounts.length).toBeGreaterThan(0.01);
    expect(unassigned.length / org.accounts.length).toBeLessThan(0.05);
    expect(unassigned.length).toBe(org.summary.unassignedAccounts);
  });

  it("assigns each account to the nearest rep home base in its region, leaving the plan unbalanced", () => {
    const regionOf = new Map(REGIONS.flatMap((r) => r.states.map((s) => [s, r.name] as const)));
    const territories = new Map(org.territories.map((t) => [t.territoryid as string, t]));
    const regionName = new Map(org.territories.filter((t) => t.parentterritoryid === null).map((t) => [t.territoryid, t.name]));
    const reps = org.systemusers
      .filter((u) => u.systemuserid !== SAMPLE_MANAGER_ID)
      .map((u) => ({
        id: u.systemuserid,
        lat: u.address1_latitude as number,
        lon: u.address1_longitude as number,
        region: regionName.get(territories.get(u.territoryid as string)?.parentterritoryid),
      }));
    const misassigned = org.accounts.filter((a) => {
      if (a.territoryid === null || classify(a) !== "good") return false;
      const region = regionOf.get(a.address1_stateorprovince as string);
      const lat = a.address1_latitude as number;
      const lon = a.address1_longitude as number;
      const candidates = reps.filter((r) => r.region === region);
      const nearest = candidates.reduce((best, r) => (km(lat, lon, r.lat, r.lon) < km(lat, lon, best.lat, best.lon) ? r : best));
      return a.ownerid !== nearest.id;
    });
    expect(misassigned).toEqual([]);
    const { min, max } = org.summary.accountsPerRepTerritory;
    expect(min).toBeGreaterThan(0);
    expect(max / min).toBeGreaterThan(3);
  });
});

describe("generateSampleOrg options", () => {
  // Generation speed (100k in ~1 s) is a benchmark figure (bench:load seeds 100k and prints hostStartMs), not a test.
  it("seeds 100,000 accounts for benchmarks, the first 20,000 identical to the default org", () => {
    const large = generateSampleOrg({ accounts: BENCHMARK_ACCOUNTS });
    expect(large.accounts).toHaveLength(100000);
    expect(new Set(large.accounts.map((a) => a.accountnumber)).size).toBe(100000);
    const small = generateSampleOrg({});
    expect(large.systemusers).toEqual(small.systemusers);
    expect(large.territories).toEqual(small.territories);
    expect(digest({ ...small, accounts: large.accounts.slice(0, 20000) })).toBe(digest(small));
    expect(large.summary.coordinates.badShare).toBeGreaterThan(0.02);
    expect(large.summary.coordinates.badShare).toBeLessThan(0.05);
    expect(large.summary.revenue.top1PercentShare).toBeGreaterThan(0.2);
  });

  it("supports other sales-force sizes", () => {
    const few = generateSampleOrg({ accounts: 500, reps: 3 });
    expect(few.systemusers).toHaveLength(4);
    expect(few.territories).toHaveLength(11);
    expect(few.accounts.filter((a) => a.territoryid !== null).length).toBeGreaterThan(450);
    const many = generateSampleOrg({ accounts: 500, reps: 60 });
    expect(many.territories).toHaveLength(68);
    expect(new Set(many.territories.map((t) => t.name)).size).toBe(68);
    expect(new Set(many.systemusers.map((u) => u.fullname)).size).toBe(61);
  });

  it("rejects invalid options", () => {
    expect(() => generateSampleOrg({ accounts: -1 })).toThrow("accounts must be a non-negative integer, got -1");
    expect(() => generateSampleOrg({ reps: 0 })).toThrow("reps must be a positive integer, got 0");
    expect(() => generateSampleOrg({ seed: Number.NaN })).toThrow("seed must be a finite number, got NaN");
  });
});

describe("seedIfEmpty", () => {
  function fakeStore(initialAccounts: number) {
    const inserted: { table: string; rows: number }[] = [];
    return {
      inserted,
      count: (table: string) => (table === "account" ? initialAccounts : 0),
      insertMany: (table: string, rows: Record<string, unknown>[]) => {
        inserted.push({ table, rows: rows.length });
      },
    };
  }

  it("inserts systemusers, territories and accounts in that order into an empty store", () => {
    const store = fakeStore(0);
    const result = seedIfEmpty(store, { accounts: 1000 });
    expect(result.seeded).toBe(true);
    expect(result.summary?.accounts).toBe(1000);
    expect(store.inserted).toEqual([
      { table: "systemuser", rows: 41 },
      { table: "territory", rows: 48 },
      { table: "account", rows: 1000 },
    ]);
  });

  it("fills the local Dataverse store, and only once", () => {
    const store = new SqliteDataverseStore({ dbPath: ":memory:", tables: standardTables });
    try {
      expect(seedIfEmpty(store, { accounts: 2000 }).seeded).toBe(true);
      expect([store.count("systemuser"), store.count("territory"), store.count("account")]).toEqual([41, 48, 2000]);
      expect(seedIfEmpty(store, { accounts: 2000 })).toEqual({ seeded: false, summary: null });
      expect(store.count("account")).toBe(2000);
    } finally {
      store.close();
    }
  });

  it("leaves a store that already has accounts untouched", () => {
    const store = fakeStore(5);
    expect(seedIfEmpty(store, { accounts: 1000 })).toEqual({ seeded: false, summary: null });
    expect(store.inserted).toEqual([]);
  });
});
