import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Polygon } from "geojson";
import {
  convexHullRing,
  densityGrid,
  heatWeights,
  hullOf,
  overlaps,
  SpatialIndex,
  territoryHulls,
  legendStops,
} from "../../../TerritoryMapControl/domain/design";
import { kmlColor, planToKml, xmlEscape } from "../../../TerritoryMapControl/domain/export/kml";
import { randomTable } from "./builders";

const square = (w: number, s: number, e: number, n: number): Polygon => ({
  type: "Polygon",
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

describe("hulls", () => {
  it("convex hull of points, ignoring interior and collinear points", () => {
    const ring = convexHullRing([
      [0, 0],
      [2, 0],
      [1, 0],
      [2, 2],
      [0, 2],
      [1, 1],
      [0.5, 1.5],
    ]);
    expect(ring).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ]);
    expect(
      convexHullRing([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toEqual([]);
  });

  it("territory hulls contain every account of the territory; concave hulls are smaller", () => {
    const table = randomTable(3000, 5);
    const assignment = Int32Array.from({ length: table.size }, (_, i) => (table.lon[i] < -100 ? 0 : 1));
    const hulls = territoryHulls(table, assignment, 3);
    expect(hulls[2]).toBeNull();
    const index = SpatialIndex.of(table);
    const inside0 = new Set(index.inPolygon(hulls[0]!));
    let members = 0;
    for (let i = 0; i < table.size; i++) if (assignment[i] === 0) members++;
    // The hull is in lon/lat and the index tests edges in Mercator: allow the few accounts on the outline.
    let covered = 0;
    for (let i = 0; i < table.size; i++) if (assignment[i] === 0 && inside0.has(i)) covered++;
    expect(covered / members).toBeGreaterThan(0.98);
    const concave = hullOf(
      table,
      Array.from({ length: table.size }, (_, i) => i).filter((i) => assignment[i] === 0),
      { concavity: 1 },
    );
    expect(concave?.type).toBe("Polygon");
  });
});

describe("overlaps", () => {
  it("finds overlapping pairs with area and accounts in the overlap, and accounts outside every polygon", () => {
    const table = randomTable(4000, 9);
    const index = SpatialIndex.of(table);
    const a = square(-110, 30, -95, 40);
    const b = square(-100, 35, -85, 45);
    const c = square(-80, 30, -70, 35);
    const report = overlaps(index, [
      { territory: 0, geometry: a },
      { territory: 1, geometry: b },
      { territory: 2, geometry: c },
    ]);
    expect(report.pairs).toHaveLength(1);
    expect(report.pairs[0]).toMatchObject({ a: 0, b: 1 });
    const both = index.inBox([-100, 35, -95, 40]).length;
    expect(report.pairs[0].accounts).toBe(both);
    expect(report.accountsInOverlaps).toBe(both);
    expect(report.pairs[0].areaKm2).toBeGreaterThan(200_000);
    expect(report.pairs[0].areaKm2).toBeLessThan(300_000);
    // the intersection itself (hatched on the map): the box [-100, 35, -95, 40] the two polygons share
    const g = report.pairs[0].geometry;
    expect(g?.type).toBe("Polygon");
    const ring = (g as { coordinates: number[][][] }).coordinates[0];
    expect(Math.min(...ring.map((p) => p[0]))).toBeCloseTo(-100, 6);
    expect(Math.max(...ring.map((p) => p[0]))).toBeCloseTo(-95, 6);
    expect(Math.min(...ring.map((p) => p[1]))).toBeCloseTo(35, 6);
    expect(Math.max(...ring.map((p) => p[1]))).toBeCloseTo(40, 6);
    const covered = new Set([...index.inPolygon(a), ...index.inPolygon(b), ...index.inPolygon(c)]).size;
    expect(report.outsideAll).toBe(4000 - covered);
  });
});

describe("density", () => {
  it("heat weights are 0..1 scaled by a high quantile; grid cells add up", () => {
    const table = randomTable(1000, 2, 5);
    const w = heatWeights(table, 0);
    expect(Math.max(...w)).toBe(1);
    expect(w[table.size - 1]).toBe(0);
    expect(heatWeights(table, null).reduce((s, x) => s + x, 0)).toBe(1000);
    const cells = densityGrid(table, 5);
    expect(cells.reduce((s, c) => s + c.count, 0)).toBe(1000);
    expect(legendStops(10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

describe("KML export", () => {
  const table = randomTable(200, 4, 3);
  const names = table.names.slice() as string[];
  names[0] = `Smith & Sons <"Ltd"> 'x' \u0001 é 😀`;
  const assignment = Int32Array.from({ length: table.size }, (_, i) => (i % 4 === 3 ? -1 : i % 4));
  const kml = planToKml({
    name: "Plan <2026>",
    accounts: { ids: table.ids, names, lon: table.lon, lat: table.lat, postalCodes: table.postalCodes },
    assignment,
    territories: [
      { name: "North & East", color: "#1f77b4", rep: "Ann <A>", geometry: square(-110, 30, -95, 40) },
      {
        name: "West",
        color: "#ff7f0e",
        rep: null,
        geometry: { type: "MultiPolygon", coordinates: [square(-120, 30, -115, 35).coordinates, square(-114, 36, -112, 38).coordinates] },
      },
      { name: "South", color: "#2ca02c", rep: "Bo", geometry: null },
    ],
  });

  it("is well-formed XML (xmllint) with one account Placemark per account", () => {
    const dir = mkdtempSync(join(tmpdir(), "kml-"));
    const file = join(dir, "plan.kml");
    writeFileSync(file, kml, "utf8");
    const lint = spawnSync("xmllint", ["--noout", file], { encoding: "utf8" });
    if (lint.error) throw new Error(`xmllint is required for this test (apt-get install libxml2-utils): ${lint.error.message}`);
    expect(lint.stderr).toBe("");
    expect(lint.status).toBe(0);
    const count = spawnSync("xmllint", ["--xpath", "count(//*[local-name()='Placemark'][starts-with(@id,'a')])", file], {
      encoding: "utf8",
    });
    expect(Number(count.stdout.trim())).toBe(table.size);
    const points = spawnSync("xmllint", ["--xpath", "count(//*[local-name()='Placemark']/*[local-name()='Point'])", file], {
      encoding: "utf8",
    });
    expect(Number(points.stdout.trim())).toBe(200);
    const name = spawnSync("xmllint", ["--xpath", "string(//*[local-name()='Placemark'][@id='a0']/*[local-name()='name'])", file], {
      encoding: "utf8",
    });
    expect(name.stdout.replace(/\n$/, "")).toBe(`Smith & Sons <"Ltd"> 'x' \uFFFD é 😀`);
    const polys = spawnSync("xmllint", ["--xpath", "count(//*[local-name()='Polygon'])", file], { encoding: "utf8" });
    expect(Number(polys.stdout.trim())).toBe(3);
  });

  it("styles territories by colour in KML's aabbggrr order and escapes text", () => {
    expect(kmlColor("#1f77b4")).toBe("ffb4771f");
    expect(kmlColor("#1f77b4", 0x40)).toBe("40b4771f");
    expect(kml).toContain('<Style id="t0"><IconStyle><color>ffb4771f</color>');
    expect(kml).toContain("<name>North &amp; East</name>");
    expect(kml).not.toContain("Ann <A>");
    expect(xmlEscape("a\u0000b\uD800c")).toBe("a\uFFFDb\uFFFDc");
  });
});
