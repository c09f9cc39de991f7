import type { MultiPolygon, Polygon, Position } from "geojson";
import {
  buildAccountTable,
  applyMoves,
  boxShape,
  circleShape,
  countUnassigned,
  haversineMetres,
  mercatorY,
  planMove,
  planShapeAction,
  selectByShape,
  setLocked,
  SpatialIndex,
  TerritoryTotals,
  totalsOf,
} from "../../../TerritoryMapControl/domain/design";
import { anAccount, randomTable, rng } from "./builders";

/** Reference: even-odd rule in (lon, Mercator y), every account tested against every edge. */
function naiveInPolygon(lon: Float64Array, lat: Float64Array, g: Polygon | MultiPolygon): number[] {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const projected = polys.map((rings) => rings.map((ring) => ring.map((p) => [p[0], mercatorY(p[1])])));
  const out: number[] = [];
  for (let i = 0; i < lon.length; i++) {
    if (Number.isNaN(lon[i])) continue;
    const px = lon[i];
    const py = mercatorY(lat[i]);
    let any = false;
    for (const rings of projected) {
      let odd = false;
      for (const ring of rings) {
        for (let v = 0; v < ring.length; v++) {
          const a = ring[v];
          const b = ring[(v + 1) % ring.length];
          const ay = a[1];
          const by = b[1];
          if (ay > py !== by > py && px < a[0] + ((py - ay) * (b[0] - a[0])) / (by - ay)) odd = !odd;
        }
      }
      if (odd) any = true;
    }
    if (any) out.push(i);
  }
  return out;
}

const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);

function randomLasso(r: () => number, vertices: number): Polygon {
  const cx = -110 + r() * 30;
  const cy = 30 + r() * 12;
  const ring: Position[] = [];
  for (let v = 0; v < vertices; v++) {
    const a = (2 * Math.PI * v) / vertices;
    const rad = 2 + r() * 6;
    ring.push([cx + rad * Math.cos(a), cy + rad * 0.7 * Math.sin(a)]);
  }
  ring.push(ring[0]);
  return { type: "Polygon", coordinates: [ring] };
}

describe("SpatialIndex", () => {
  const table = randomTable(10000, 7, 50);
  const index = SpatialIndex.of(table);

  it("indexes only the accounts with coordinates", () => {
    expect(index.placed).toBe(10000);
    expect(index.size).toBe(10050);
  });

  it("selects exactly what a brute-force even-odd test selects, for random star-shaped lassos", () => {
    const r = rng(3);
    for (let k = 0; k < 10; k++) {
      const poly = randomLasso(r, 5 + Math.floor(r() * 300));
      const got = sorted(index.inPolygon(poly));
      expect(got).toEqual(naiveInPolygon(table.lon, table.lat, poly));
      expect(got.length).toBeGreaterThan(0);
    }
  });

  it("honours holes and self-intersections (even-odd) and unites MultiPolygon parts", () => {
    const outer: Position[] = [
      [-110, 30],
      [-90, 30],
      [-90, 45],
      [-110, 45],
      [-110, 30],
    ];
    const hole: Position[] = [
      [-105, 35],
      [-95, 35],
      [-95, 40],
      [-105, 40],
      [-105, 35],
    ];
    const withHole: Polygon = { type: "Polygon", coordinates: [outer, hole] };
    const got = sorted(index.inPolygon(withHole));
    expect(got).toEqual(naiveInPolygon(table.lon, table.lat, withHole));
    const inHole = sorted(index.inBox([-105, 35, -95, 40]));
    expect(inHole.length).toBeGreaterThan(0);
    expect(got.some((i) => inHole.includes(i))).toBe(false);

    const bowtie: Polygon = {
      type: "Polygon",
      coordinates: [
        [
          [-120, 30],
          [-100, 45],
          [-100, 30],
          [-120, 45],
          [-120, 30],
        ],
      ],
    };
    expect(sorted(index.inPolygon(bowtie))).toEqual(naiveInPolygon(table.lon, table.lat, bowtie));

    const multi: MultiPolygon = {
      type: "MultiPolygon",
      coordinates: [
        [
          [
            [-120, 30],
            [-110, 30],
            [-110, 40],
            [-120, 40],
            [-120, 30],
          ],
        ],
        [
          [
            [-115, 35],
            [-100, 35],
            [-100, 45],
            [-115, 45],
            [-115, 35],
          ],
        ],
      ],
    };
    const union = sorted(index.inPolygon(multi));
    const a = index.inPolygon({ type: "Polygon", coordinates: multi.coordinates[0] });
    const b = index.inPolygon({ type: "Polygon", coordinates: multi.coordinates[1] });
    expect(union).toEqual(sorted([...new Set([...a, ...b])]));
  });

  it("tests polygon edges in Web Mercator, as the map draws them", () => {
    // A long diagonal edge: in plain lon/lat a point just below it would be outside; in Mercator it is inside.
    // Edge (-120, 30)–(-80, 60) at lon -100: lat 45 in plate carrée, ~47.07 in Mercator. (-100, 46) is between.
    const t = buildAccountTable([anAccount(0, -100, 46), anAccount(1, -100, 47.5)], ["revenue", "workload"]);
    const idx = SpatialIndex.of(t);
    const tri: Polygon = {
      type: "Polygon",
      coordinates: [
        [
          [-120, 30],
          [-80, 60],
          [-80, 30],
          [-120, 30],
        ],
      ],
    };
    expect(Array.from(idx.inPolygon(tri))).toEqual([0]);
  });

  it("selects boxes and geodesic circles exactly", () => {
    const box: [number, number, number, number] = [-100, 35, -90, 42];
    const expected: number[] = [];
    for (let i = 0; i < table.size; i++)
      if (table.lon[i] >= -100 && table.lon[i] <= -90 && table.lat[i] >= 35 && table.lat[i] <= 42) expected.push(i);
    expect(sorted(index.inBox(box))).toEqual(expected);

    const c: [number, number] = [-95, 38];
    const radius = 400_000;
    const inCircle: number[] = [];
    for (let i = 0; i < table.size; i++)
      if (!Number.isNaN(table.lon[i]) && haversineMetres(c[0], c[1], table.lon[i], table.lat[i]) <= radius) inCircle.push(i);
    const shape = circleShape("c1", c, radius);
    expect(sorted(selectByShape(index, shape))).toEqual(inCircle);
    expect(shape.geometry.type).toBe("Polygon");
    expect((shape.geometry as Polygon).coordinates[0]).toHaveLength(65);
    expect(() => circleShape("bad", c, -1)).toThrow(/positive radius/);
  });

  it("returns nothing for empty or degenerate input", () => {
    const empty = SpatialIndex.of(buildAccountTable([], []));
    expect(empty.inBox([-180, -90, 180, 90])).toHaveLength(0);
    expect(
      index.inPolygon({
        type: "Polygon",
        coordinates: [
          [
            [-100, 30],
            [-90, 30],
          ],
        ],
      }),
    ).toHaveLength(0);
    expect(index.inBox([10, 10, 0, 0])).toHaveLength(0);
  });
});

describe("moves and totals", () => {
  const table = randomTable(5000, 11, 20);
  const index = SpatialIndex.of(table);
  const assignment = new Int32Array(table.size).map((_, i) => (i < 20 ? -1 : i % 3));

  it("creates a territory from a drawn shape, skipping locked accounts, and updates totals incrementally", () => {
    const locked = new Uint8Array(table.size);
    const shape = boxShape("b", -110, 30, -95, 42, "rectangle");
    const inside = selectByShape(index, shape);
    const lockedOnes = setLocked(locked, inside.slice(0, 10), true);
    const totals = TerritoryTotals.of(table, assignment, 3);
    const plan = planShapeAction(table, index, assignment, lockedOnes, shape, { kind: "create", territory: 3 });
    expect(plan.skippedLocked).toBe(10);
    expect(plan.indexes.length).toBe(inside.length - 10);
    expect(plan.totals).toEqual(totalsOf(table, plan.indexes));
    const next = applyMoves(assignment, plan);
    totals.apply(table, plan);
    const fresh = TerritoryTotals.of(table, next, 4);
    for (let t = -1; t < 4; t++) {
      expect(totals.of(t).count).toBe(fresh.of(t).count);
      totals.of(t).values.forEach((v, m) => expect(v).toBeCloseTo(fresh.of(t).values[m], 6));
    }
    expect(assignment[plan.indexes[0]]).not.toBe(3); // input untouched
  });

  it("adds to and removes from a territory; removal only touches that territory", () => {
    const shape = boxShape("b", -100, 30, -85, 45);
    const add = planShapeAction(table, index, assignment, null, shape, { kind: "add", territory: 1 });
    const afterAdd = applyMoves(assignment, add);
    const inside = selectByShape(index, shape);
    for (const i of inside) expect(afterAdd[i]).toBe(1);
    const remove = planShapeAction(table, index, afterAdd, null, shape, { kind: "remove", territory: 1 });
    expect(remove.to).toBe(-1);
    expect(remove.indexes.length).toBe(inside.length);
    const onlyT0 = planShapeAction(table, index, assignment, null, shape, { kind: "remove", territory: 0 });
    for (const i of onlyT0.indexes) expect(assignment[i]).toBe(0);
    expect(onlyT0.unchanged).toBe(inside.length - onlyT0.indexes.length);
  });

  it("moves a selection and counts the unassigned accounts", () => {
    const sel = Int32Array.from([0, 1, 2, 25, 26]);
    const plan = planMove(table, assignment, null, sel, 2);
    expect(Array.from(plan.from)).toEqual([-1, -1, -1, 1]); // 26 is already in territory 2
    expect(plan.unchanged).toBe(1);
    const next = applyMoves(assignment, plan);
    const before = countUnassigned(table, assignment);
    const after = countUnassigned(table, next);
    expect(before.total).toBe(20);
    expect(after.total).toBe(17);
    expect(after.placed).toBe(17);
    expect(before.unplaced).toBe(0);
  });
});

describe("buildAccountTable", () => {
  it("keeps every account at one position: unplaced at NaN, postal codes trimmed (blank = none), totals and the index agree", () => {
    const accounts = [
      { id: "{A}", name: "A", latitude: 40, longitude: -100, placement: "placed", postalCode: "02134", measures: [1] },
      { id: "b", name: "B", latitude: null, longitude: null, placement: "missing", postalCode: null, measures: [2] },
      { id: "c", name: "C", latitude: 41, longitude: -99, placement: "placed", postalCode: " ", measures: [3] },
    ];
    const t = buildAccountTable(accounts, ["revenue"]);
    expect(t.ids).toEqual(["a", "b", "c"]);
    expect(Number.isNaN(t.lon[1]) && Number.isNaN(t.lat[1])).toBe(true);
    expect(t.postalCodes).toEqual(["02134", null, null]);
    expect(t.measures).toEqual(["revenue"]);
    expect(totalsOf(t, [0, 1, 2])).toEqual({ count: 3, values: [6] });
    expect(Array.from(SpatialIndex.of(t).inBox([-101, 39, -98, 42]))).toEqual([0, 2]);
  });
});
