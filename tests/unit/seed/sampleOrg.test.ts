import { createHash } from "node:crypto";
import { codes } from "zipcodes";
import { SqliteDataverseStore, standardTables } from "../../../local/dataverse";
import {
  BAD_COORDINATE_KINDS,
  BENCHMARK_ACCOUNTS,
  DISTRICTS,
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

/** The territory hierarchy as read from the rows alone: parent, children, depth and root (region) of each. */
function hierarchy(org: SampleOrg) {
  const byId = new Map(org.territories.map((t) => [t.territoryid as string, t]));
  const children = new Map<string, Row[]>();
  for (const t of org.territories) {
    const parent = t.parentterritoryid as string | null;
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const chain = (id: string): Row[] => {
    const out: Row[] = [];
    for (let t = byId.get(id); t; t = byId.get(t.parentterritoryid as string)) {
      if (out.length > org.territories.length) throw new Error(`parent cycle at ${id}`);
      out.push(t);
    }
    return out;
  };
  const roots = org.territories.filter((t) => t.parentterritoryid === null);
  const leaves = org.territories.filter((t) => !children.has(t.territoryid as string));
  return { byId, children, chain, roots, leaves };
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

  it("creates at least 20,000 accounts, 40 reps plus the manager, 9 regions, 2 districts and one territory per rep", () => {
    expect(org.accounts.length).toBeGreaterThanOrEqual(20000);
    expect(org.systemusers).toHaveLength(41);
    expect(org.territories).toHaveLength(51);
    expect(org.territories.filter((t) => t.parentterritoryid === null).map((t) => t.name)).toEqual(REGIONS.map((r) => r.name));
    expect(REGIONS).toHaveLength(9);
    expect(org.summary).toMatchObject({
      accounts: 20000,
      reps: 40,
      systemusers: 41,
      territories: 51,
      regions: 9,
      districts: 2,
      repTerritories: 40,
      hierarchyDepth: 3,
    });
    // The leaves are exactly the rep territories: one per rep, each the rep's own.
    const { leaves } = hierarchy(org);
    expect(leaves).toHaveLength(40);
    expect(new Set(leaves.map((t) => t.territoryid))).toEqual(new Set(org.systemusers.slice(1).map((u) => u.territoryid)));
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
    const { children, chain } = hierarchy(org);
    for (const t of org.territories) {
      expect(users.has(t.managerid as string)).toBe(true);
      if (t.parentterritoryid !== null) expect(territories.has(t.parentterritoryid as string)).toBe(true);
      // rep territories (the leaves) are managed by their rep, whose own territory they are
      if (!children.has(t.territoryid as string)) expect(users.get(t.managerid as string)?.territoryid).toBe(t.territoryid);
      expect(chain(t.territoryid as string).length).toBeLessThanOrEqual(3);
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
      // a rep territory or a region (never a district), owned by the territory's manager
      const isDistrict = !!territory && territory.parentterritoryid !== null && children.has(territory.territoryid as string);
      // ... or, for a rep territory, by the owner team
      const teamOwned = org.teams.some((t) => t.teamid === a.ownerid) && !!territory && !children.has(territory.territoryid as string);
      return !territory || isDistrict || (a.ownerid !== territory.managerid && !teamOwned);
    });
    expect(broken).toEqual([]);
    expect(unassigned.length / org.accounts.length).toBeGreaterThan(0.01);
    expect(unassigned.length / org.accounts.length).toBeLessThan(0.05);
    expect(unassigned.length).toBe(org.summary.unassignedAccounts);
  });

  it("has an owner team (the manager and two reps) owning about 1 % of the rep-territory accounts", () => {
    expect(org.teams).toHaveLength(1);
    const team = org.teams[0];
    expect(team).toMatchObject({ name: "Strategic Accounts", teamtype: 0 });
    expect(org.teamMembers.map((m) => m.systemuserid)).toEqual(org.systemusers.slice(0, 3).map((u) => u.systemuserid));
    const owned = org.accounts.filter((a) => a.ownerid === team.teamid);
    expect(owned.length).toBe(org.summary.teamOwnedAccounts);
    expect(owned.length / org.accounts.length).toBeGreaterThan(0.005);
    expect(owned.length / org.accounts.length).toBeLessThan(0.015);
    expect(owned.every((a) => a.territoryid !== null)).toBe(true);
  });

  it("assigns each account to the nearest rep home base in its region, leaving the plan unbalanced", () => {
    const regionOf = new Map(REGIONS.flatMap((r) => r.states.map((s) => [s, r.name] as const)));
    const { chain, roots } = hierarchy(org);
    const regionIds = new Set(roots.map((t) => t.territoryid));
    const reps = org.systemusers
      .filter((u) => u.systemuserid !== SAMPLE_MANAGER_ID)
      .map((u) => ({
        id: u.systemuserid,
        lat: u.address1_latitude as number,
        lon: u.address1_longitude as number,
        region: chain(u.territoryid as string).at(-1)?.name,
        territoryid: u.territoryid,
      }));
    const misassigned = org.accounts.filter((a) => {
      if (a.territoryid === null || regionIds.has(a.territoryid) || classify(a) !== "good") return false;
      const region = regionOf.get(a.address1_stateorprovince as string);
      const lat = a.address1_latitude as number;
      const lon = a.address1_longitude as number;
      const candidates = reps.filter((r) => r.region === region);
      const nearest = candidates.reduce((best, r) => (km(lat, lon, r.lat, r.lon) < km(lat, lon, best.lat, best.lon) ? r : best));
      return a.territoryid !== nearest.territoryid;
    });
    expect(misassigned).toEqual([]);
    const { min, max } = org.summary.accountsPerRepTerritory;
    expect(min).toBeGreaterThan(0);
    expect(max / min).toBeGreaterThan(3);
  });

  describe("territory hierarchy that naive code gets wrong", () => {
    it("holds 1–2 % of the accounts at a region (no rep territory), in every region, owned by the region's manager", () => {
      const { byId, roots } = hierarchy(org);
      const regionIds = new Set(roots.map((t) => t.territoryid));
      const atRegion = org.accounts.filter((a) => regionIds.has(a.territoryid));
      expect(atRegion.length / org.accounts.length).toBeGreaterThanOrEqual(0.01);
      expect(atRegion.length / org.accounts.length).toBeLessThanOrEqual(0.02);
      expect(org.summary.regionOnlyAccounts).toBe(atRegion.length);
      expect(org.summary.assignedAccounts).toBe(org.accounts.filter((a) => a.territoryid !== null).length);
      expect(new Set(atRegion.map((a) => a.territoryid))).toEqual(regionIds);
      expect(atRegion.filter((a) => a.ownerid !== byId.get(a.territoryid as string)?.managerid)).toEqual([]);
      // held at the region the account's state belongs to
      const regionOf = new Map(REGIONS.flatMap((r) => r.states.map((s) => [s, r.name] as const)));
      expect(
        atRegion.filter((a) => byId.get(a.territoryid as string)?.name !== regionOf.get(a.address1_stateorprovince as string)),
      ).toEqual([]);
    });

    it("makes the signed-in user (the first systemuser, WhoAmI of the stand-in) the manager of regions and a district", () => {
      const { roots, children } = hierarchy(org);
      expect(org.systemusers[0]?.systemuserid).toBe(SAMPLE_MANAGER_ID);
      expect(roots.filter((t) => t.managerid === SAMPLE_MANAGER_ID).length).toBeGreaterThanOrEqual(1);
      const districts = org.territories.filter((t) => t.parentterritoryid !== null && children.has(t.territoryid as string));
      expect(districts.some((t) => t.managerid === SAMPLE_MANAGER_ID)).toBe(true);
    });

    it("has a region with a single rep territory", () => {
      const { roots, children } = hierarchy(org);
      const single = roots.filter((r) => {
        const kids = children.get(r.territoryid as string) ?? [];
        return kids.length === 1 && !children.has(kids[0]?.territoryid as string);
      });
      expect(single.map((r) => r.name)).toEqual(["Northern Rockies"]);
    });

    it("has a three-level branch: region → districts → rep territories, a district managed by one of its reps", () => {
      const { byId, chain, children, leaves } = hierarchy(org);
      const depths = leaves.map((t) => chain(t.territoryid as string).length);
      expect(depths.filter((d) => d === 3)).toHaveLength(7); // the Midwest's reps
      expect(depths.filter((d) => d !== 2 && d !== 3)).toEqual([]);
      const districts = org.territories.filter((t) => t.parentterritoryid !== null && children.has(t.territoryid as string));
      expect(districts).toHaveLength(2);
      expect(districts.map((d) => byId.get(d.parentterritoryid as string)?.name)).toEqual(["Midwest", "Midwest"]);
      expect(districts.map((d) => (children.get(d.territoryid as string) ?? []).length)).toEqual([4, 3]);
      // the region's rep territories all sit under a district, in the district that holds the rep's state
      const midwest = org.territories.find((t) => t.name === "Midwest");
      expect((children.get(midwest?.territoryid as string) ?? []).map((t) => t.territoryid)).toEqual(districts.map((d) => d.territoryid));
      const stateOfRep = new Map(org.systemusers.map((u) => [u.territoryid, u.address1_stateorprovince as string]));
      for (const [i, d] of districts.entries()) {
        const states = new Set(DISTRICTS[i]?.states);
        expect((children.get(d.territoryid as string) ?? []).filter((t) => !states.has(stateOfRep.get(t.territoryid) ?? ""))).toEqual([]);
      }
      // a senior rep also manages their district (a user managing two territories)
      const playerCoach = districts.find((d) => d.managerid !== SAMPLE_MANAGER_ID);
      const rep = org.systemusers.find((u) => u.systemuserid === playerCoach?.managerid);
      expect(byId.get(rep?.territoryid as string)?.parentterritoryid).toBe(playerCoach?.territoryid);
    });

    it("has territory names over 40 characters (rep territories and a district)", () => {
      const { children } = hierarchy(org);
      const long = org.territories.filter((t) => (t.name as string).length > 40);
      expect(long.filter((t) => !children.has(t.territoryid as string)).length).toBeGreaterThanOrEqual(3);
      expect(long.some((t) => t.parentterritoryid !== null && children.has(t.territoryid as string))).toBe(true);
      expect(long.map((t) => t.name)).toContain("Northeast - New York Metro & Long Island (Enterprise)");
    });
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
    expect(few.territories).toHaveLength(12); // 9 regions + 3 (no Midwest rep, so no district)
    expect(few.summary).toMatchObject({ districts: 0, hierarchyDepth: 2, territories: 12 });
    expect(few.accounts.filter((a) => a.territoryid !== null).length).toBeGreaterThan(450);
    const four = generateSampleOrg({ accounts: 0, reps: 4 }); // Chicago: one district with one rep
    expect(four.summary).toMatchObject({ districts: 1, hierarchyDepth: 3, territories: 14 });
    const many = generateSampleOrg({ accounts: 500, reps: 60 });
    expect(many.territories).toHaveLength(71);
    expect(new Set(many.territories.map((t) => t.name)).size).toBe(71);
    expect(new Set(many.systemusers.map((u) => u.fullname)).size).toBe(61);
    expect(hierarchy(many).leaves).toHaveLength(60);
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
      { table: "territory", rows: 51 },
      { table: "account", rows: 1000 },
    ]);
  });

  it("fills the local Dataverse store, and only once", () => {
    const store = new SqliteDataverseStore({ dbPath: ":memory:", tables: standardTables });
    try {
      expect(seedIfEmpty(store, { accounts: 2000 }).seeded).toBe(true);
      expect([store.count("systemuser"), store.count("territory"), store.count("account")]).toEqual([41, 51, 2000]);
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
