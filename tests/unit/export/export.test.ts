/** Export writers: CSV (RFC 4180 + formula-injection guard; address, coordinates, tree, measures) and GeoJSON (RFC 7946 territories + points). */
import { csvField, csvRecord, planToCsv } from "../../../TerritoryMapControl/domain/export/csv";
import { planToGeoJson, planToGeoJsonText } from "../../../TerritoryMapControl/domain/export/geojson";
import { assignRep, buildAccountTable, createPlan, type PlanTerritory } from "../../../TerritoryMapControl/domain/workspace";

const ids = [
  "00000000-0000-4000-8000-000000000001",
  "00000000-0000-4000-8000-000000000002",
  "00000000-0000-4000-8000-000000000003",
  "00000000-0000-4000-8000-000000000004",
];

function samplePlan() {
  const table = buildAccountTable(
    [
      {
        id: ids[0],
        name: "Plain Co",
        latitude: 47.6,
        longitude: -122.3,
        street: "1 Main St, Suite 2",
        city: "Seattle",
        state: "WA",
        postalCode: "98101",
        measures: [1500.5, 12],
      },
      { id: ids[1], name: 'Smith, Jones & "Partners"', latitude: 40.7, longitude: -74, city: "New York", measures: [-20, 3] },
      { id: ids[2], name: '=HYPERLINK("http://evil","x")', latitude: null, longitude: null, postalCode: "10001", measures: [0, 0] },
      { id: ids[3], name: "Line\nbreak", latitude: 91, longitude: 0, measures: [7, 1] },
    ],
    ["revenue", "=hours"],
  );
  const territories: PlanTerritory[] = [
    {
      key: "w",
      name: "West",
      color: "#112233",
      repId: null,
      territoryId: null,
      locked: false,
      geometry: null,
      postalCodes: [],
      parentKey: "r",
    },
    {
      key: "e",
      name: "+East",
      color: "#445566",
      repId: null,
      territoryId: null,
      locked: false,
      geometry: null,
      postalCodes: [],
      parentKey: "r",
    },
    { key: "r", name: "Region", color: "#778899", repId: null, territoryId: null, locked: false, geometry: null, postalCodes: [] },
  ];
  const plan = createPlan(table, territories, Int32Array.from([0, 1, 1, -1]));
  return assignRep(plan, "w", "00000000-0000-4000-8000-0000000000aa");
}

const reps = (id: string) => (id === "00000000-0000-4000-8000-0000000000aa" ? "@Ana Rep" : id);

describe("csv", () => {
  it("quotes per RFC 4180 and guards against formula injection", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("=A1,B1")).toBe(`"'=A1,B1"`);
    // numbers stay numbers (a negative longitude is not a formula); NaN is an empty field
    expect(csvRecord(["-x", -122.3, Number.NaN, 0.5])).toBe("'-x,-122.3,,0.5");
  });

  it("writes one row per account: id, name, address, postal code, coordinates, territory, parent, rep, measures", () => {
    const csv = planToCsv(samplePlan(), reps);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "Account ID,Account name,Street,City,State,Postal code,Latitude,Longitude,Territory,Parent territory,Rep,revenue,'=hours",
    );
    expect(lines[1]).toBe(`${ids[0]},Plain Co,"1 Main St, Suite 2",Seattle,WA,98101,47.6,-122.3,West,Region,'@Ana Rep,1500.5,12`);
    expect(lines[2]).toBe(`${ids[1]},"Smith, Jones & ""Partners""",,New York,,,40.7,-74,'+East,Region,,-20,3`);
    expect(lines[3]).toBe(`${ids[2]},"'=HYPERLINK(""http://evil"",""x"")",,,,10001,,,'+East,Region,,0,0`);
    expect(lines[4]).toBe(`${ids[3]},"Line\nbreak",,,,,91,0,,,,7,1`);
    expect(lines[5]).toBe("");
    expect(lines).toHaveLength(6);
  });

  it("uses the given (localised) headers", () => {
    const headers = {
      accountId: "Id",
      accountName: "Nom",
      street: "Rue",
      city: "Ville",
      state: "État",
      postalCode: "Code postal",
      latitude: "Lat",
      longitude: "Lon",
      territory: "Territoire",
      parentTerritory: "Parent",
      rep: "Commercial",
    };
    expect(planToCsv(samplePlan(), reps, headers).split("\r\n")[0]).toBe(
      "Id,Nom,Rue,Ville,État,Code postal,Lat,Lon,Territoire,Parent,Commercial,revenue,'=hours",
    );
  });
});

describe("geojson", () => {
  it("territories first (hull or drawn shape, parent, rep, totals over the subtree), then one Point per placed account", () => {
    const fc = planToGeoJson(samplePlan(), reps);
    expect(fc.type).toBe("FeatureCollection");
    const territories = fc.features.filter((f) => f.properties.kind === "territory");
    const points = fc.features.filter((f) => f.properties.kind === "account");
    expect(fc.features.slice(0, 3)).toEqual(territories);
    expect(territories.map((f) => f.properties)).toEqual([
      {
        kind: "territory",
        key: "w",
        name: "West",
        parent: "Region",
        parentKey: "r",
        rep: "@Ana Rep",
        repId: "00000000-0000-4000-8000-0000000000aa",
        color: "#112233",
        outline: null,
        totals: { accounts: 1, revenue: 1500.5, "=hours": 12 },
      },
      expect.objectContaining({ key: "e", parent: "Region", rep: null, outline: null, totals: { accounts: 2, revenue: -20, "=hours": 3 } }),
      expect.objectContaining({ key: "r", parent: null, parentKey: null, totals: { accounts: 3, revenue: 1480.5, "=hours": 15 } }),
    ]);
    // fewer than 3 placed accounts: no outline rather than a made-up one
    expect(territories.map((f) => f.geometry)).toEqual([null, null, null]);
    expect(points).toHaveLength(2);
    expect(points[0]).toEqual({
      type: "Feature",
      geometry: { type: "Point", coordinates: [-122.3, 47.6] },
      properties: {
        kind: "account",
        accountId: ids[0],
        name: "Plain Co",
        street: "1 Main St, Suite 2",
        city: "Seattle",
        state: "WA",
        postalCode: "98101",
        territory: "West",
        territoryKey: "w",
        parent: "Region",
        rep: "@Ana Rep",
        repId: "00000000-0000-4000-8000-0000000000aa",
        color: "#112233",
        measures: { revenue: 1500.5, "=hours": 12 },
      },
    });
    expect(points[1].properties).toMatchObject({ territory: "+East", parent: "Region", rep: null, street: null, city: "New York" });
    expect(fc.unplaced).toBe(2);
    expect(fc.unplacedAccountIds).toEqual([ids[2], ids[3]]);
    expect(JSON.parse(planToGeoJsonText(samplePlan(), reps))).toEqual(fc);
  });

  it("a territory's drawn shape is its geometry; without one, the convex hull of the accounts of its subtree", () => {
    const at = (k: number, lon: number, lat: number) => ({ id: `a${k}`, name: `A${k}`, latitude: lat, longitude: lon, measures: [1] });
    const table = buildAccountTable(
      [at(0, -100, 40), at(1, -99, 40), at(2, -99.5, 41), at(3, -90, 30), at(4, -89, 30), at(5, -89.5, 31), at(6, -95, 35)],
      ["revenue"],
    );
    const drawn = {
      type: "Polygon",
      coordinates: [
        [
          [-91, 29],
          [-88, 29],
          [-88, 32],
          [-91, 32],
          [-91, 29],
        ],
      ],
    };
    const t = (key: string, parentKey: string | null, geometry: PlanTerritory["geometry"] = null): PlanTerritory => ({
      key,
      name: key.toUpperCase(),
      color: "#000000",
      repId: null,
      territoryId: null,
      locked: false,
      geometry,
      postalCodes: [],
      parentKey,
    });
    const plan = createPlan(table, [t("a", "r"), t("b", "r", drawn), t("r", null)], Int32Array.from([0, 0, 0, 1, 1, 1, 2]));
    const [a, b, r] = planToGeoJson(plan, reps).features;
    expect(a.properties).toMatchObject({ outline: "hull", parent: "R" });
    const ringOf = (g: unknown) => ((g as { coordinates: number[][][] }).coordinates[0] ?? []).map((p) => p.join(" ")).sort();
    expect(new Set(ringOf(a.geometry))).toEqual(new Set(["-100 40", "-99 40", "-99.5 41"]));
    expect(b.properties).toMatchObject({ outline: "drawn" });
    expect(b.geometry).toEqual(drawn);
    // the region's hull covers its own account and every account under it
    expect(r.properties).toMatchObject({ outline: "hull", totals: { accounts: 7, revenue: 7 } });
    const regionRing = new Set(ringOf(r.geometry));
    for (const corner of ["-100 40", "-99.5 41", "-90 30", "-89 30", "-89.5 31"]) expect(regionRing).toContain(corner);
  });
});
