/**
 * Plan helpers the design tools rely on: replacing a whole assignment (auto-balance / accepted proposals) with
 * totals recomputed, territory outlines (drawn geometry first, else the hull of the accounts) and the KML export
 * with every account.
 */
import { execFileSync } from "node:child_process";
import type { Account } from "../../../TerritoryMapControl/domain/accounts";
import { territoryOutlines } from "../../../TerritoryMapControl/domain/design/outlines";
import { planKml } from "../../../TerritoryMapControl/domain/export/planKml";
import { buildAccountTable, createPlan, withAssignment, type PlanTerritory } from "../../../TerritoryMapControl/domain/workspace";

function account(i: number, lon: number | null, lat: number | null, postalCode: string | null): Account {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: `Account <${i}> & co`,
    latitude: lat,
    longitude: lon,
    placement: lon === null ? "missing" : "placed",
    postalCode,
    city: null,
    state: null,
    territoryId: null,
    ownerId: null,
    measures: [i * 10],
  };
}

const accounts: Account[] = [
  account(0, -100, 40, "10001"),
  account(1, -99, 40, "10001-1234"),
  account(2, -99, 41, "10002"),
  account(3, -100, 41, "10003"),
  account(4, -90, 35, "20001"),
  account(5, -89, 35, "20002"),
  account(6, -89, 36, "20003"),
  account(7, null, null, "20004"),
];
const territory = (key: string, geometry: PlanTerritory["geometry"] = null): PlanTerritory => ({
  key,
  name: `T ${key}`,
  color: "#1f77b4",
  repId: null,
  territoryId: null,
  locked: false,
  geometry,
  postalCodes: [],
});
const square = {
  type: "Polygon",
  coordinates: [
    [
      [-101, 39],
      [-98, 39],
      [-98, 42],
      [-101, 42],
      [-101, 39],
    ],
  ],
};

function plan() {
  const table = buildAccountTable(accounts, ["revenue"]);
  return createPlan(table, [territory("a", square), territory("b")], Int32Array.from([0, 0, 0, 0, 1, 1, 1, -1]));
}

test("withAssignment recomputes totals and reports exactly the changed positions", () => {
  const p = plan();
  const r = withAssignment(p, Int32Array.from([0, 1, 1, 0, 1, 1, 1, 1]));
  expect(Array.from(r.changed)).toEqual([1, 2, 7]);
  expect(Array.from(r.plan.totals.accounts)).toEqual([2, 6]);
  expect(r.plan.totals.values[0][0]).toBe(0 + 30);
  expect(r.plan.totals.unassignedAccounts).toBe(0);
  expect(r.plan.dirty).toBe(true);
  expect(r.plan.revision).toBe(p.revision + 1);
  expect(p.totals.accounts[0]).toBe(4); // input untouched
  expect(withAssignment(p, p.assignment.slice()).plan).toBe(p);
});

test("outlines: drawn geometry first, else the hull of the territory's placed accounts", () => {
  const p = plan();
  expect(p.table.postalCodes[1]).toBe("10001-1234");
  const outlines = territoryOutlines(p);
  expect(outlines[0]).toEqual(square);
  expect(outlines[1]?.type).toBe("Polygon");
  const ring = (outlines[1] as { coordinates: number[][][] }).coordinates[0];
  for (const [x, y] of [
    [-90, 35],
    [-89, 35],
    [-89, 36],
  ])
    expect(ring.some((q) => q[0] === x && q[1] === y)).toBe(true);
});

test("KML: well-formed, escaped, one Placemark per account (the one without coordinates without geometry)", () => {
  const p = plan();
  const kml = planKml(p, () => "Rep", "Live", {
    territories: "Territories",
    accounts: "Accounts",
    unassigned: "Unassigned",
    territory: "Territory",
    rep: "Rep",
  });
  execFileSync("xmllint", ["--noout", "-"], { input: kml });
  const folders = kml.split("<Folder>");
  expect(folders).toHaveLength(3);
  expect((folders[2].match(/<Placemark /g) ?? []).length).toBe(accounts.length);
  expect((folders[2].match(/<Point>/g) ?? []).length).toBe(accounts.length - 1);
  expect(kml).toContain("Account &lt;3&gt; &amp; co");
  expect((folders[1].match(/<Polygon>/g) ?? []).length).toBe(2);
});
