/** Export writers: CSV (RFC 4180 + formula-injection guard) and GeoJSON (RFC 7946 points). */
import { csvField, planToCsv } from "../../../TerritoryMapControl/domain/export/csv";
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
      { id: ids[0], name: "Plain Co", latitude: 47.6, longitude: -122.3, measures: [] },
      { id: ids[1], name: 'Smith, Jones & "Partners"', latitude: 40.7, longitude: -74, measures: [] },
      { id: ids[2], name: '=HYPERLINK("http://evil","x")', latitude: null, longitude: null, measures: [] },
      { id: ids[3], name: "Line\nbreak", latitude: 91, longitude: 0, measures: [] },
    ],
    [],
  );
  const territories: PlanTerritory[] = [
    { key: "w", name: "West", color: "#112233", repId: null, territoryId: null, locked: false, geometry: null, postalCodes: [] },
    { key: "e", name: "+East", color: "#445566", repId: null, territoryId: null, locked: false, geometry: null, postalCodes: [] },
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
  });

  it("writes one row per account (id, name, territory, rep) with CRLF, unassigned accounts kept", () => {
    const csv = planToCsv(samplePlan(), reps);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("Account ID,Account name,Territory,Rep");
    expect(lines[1]).toBe(`${ids[0]},Plain Co,West,'@Ana Rep`);
    expect(lines[2]).toBe(`${ids[1]},"Smith, Jones & ""Partners""",'+East,`);
    expect(lines[3]).toBe(`${ids[2]},"'=HYPERLINK(""http://evil"",""x"")",'+East,`);
    expect(lines[4]).toBe(`${ids[3]},"Line\nbreak",,`);
    expect(lines[5]).toBe("");
    expect(lines).toHaveLength(6);
  });

  it("uses the given (localised) headers", () => {
    expect(
      planToCsv(samplePlan(), reps, { accountId: "Id", accountName: "Nom", territory: "Territoire", rep: "Commercial" }).split("\r\n")[0],
    ).toBe("Id,Nom,Territoire,Commercial");
  });
});

describe("geojson", () => {
  it("one Point per placed account ([lon, lat]) with properties; unplaced accounts counted, not dropped silently", () => {
    const fc = planToGeoJson(samplePlan(), reps);
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0]).toEqual({
      type: "Feature",
      geometry: { type: "Point", coordinates: [-122.3, 47.6] },
      properties: {
        accountId: ids[0],
        name: "Plain Co",
        territory: "West",
        territoryKey: "w",
        rep: "@Ana Rep",
        repId: "00000000-0000-4000-8000-0000000000aa",
        color: "#112233",
      },
    });
    expect(fc.features[1].properties).toMatchObject({ territory: "+East", rep: null });
    expect(fc.unplaced).toBe(2);
    expect(fc.unplacedAccountIds).toEqual([ids[2], ids[3]]);
    expect(JSON.parse(planToGeoJsonText(samplePlan(), reps))).toEqual(fc);
  });
});
