/**
 * Drawn territory shapes survive save → reload → replot (domain part): the territory geometry stores the shape kind
 * (circle centre + radius, rectangle, polygon) next to its outline, drafts saved before (plain Polygon) still load as
 * polygons, malformed geometry is reported (never thrown, never dropped), and editing a shape moves the accounts of
 * the area that changed exactly as drawing the new shape would have.
 */
import type { Polygon } from "geojson";
import {
  applyMoves,
  boxShape,
  circleShape,
  parseTerritoryGeometry,
  planShapeAction,
  planShapeEdit,
  selectByShape,
  shapeIdOfTerritory,
  SpatialIndex,
  territoryGeometry,
  territoryKeyOfShape,
  territoryOutlineOf,
  territoryShapeOf,
  territoryShapes,
  type DrawnShape,
} from "../../../TerritoryMapControl/domain/design";
import { decodeDraftBody, encodeDraftBody } from "../../../TerritoryMapControl/domain/drafts/codec";
import type { JsonValue } from "../../../TerritoryMapControl/domain/drafts/model";
import { replotTerritories } from "../../../TerritoryMapControl/domain/drafts/replot";
import { buildAccountTable, createPlan, fromDraft, toDraft, type PlanTerritory } from "../../../TerritoryMapControl/domain/workspace";
import { randomTable } from "./builders";

const square: Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [-100, 30],
      [-90, 30],
      [-95, 40],
      [-100, 30],
    ],
  ],
};

function guid(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
}

function territory(key: string, geometry: JsonValue | null): PlanTerritory {
  return { key, name: `T ${key}`, color: "#112233", repId: null, territoryId: null, locked: false, geometry, postalCodes: [] };
}

describe("territory shape geometry", () => {
  it("stores a circle's centre and radius next to its outline, and reads them back exactly", () => {
    const c = circleShape("c1", [-97.123456789012, 35.98765432101], 123_456.789);
    const g = territoryGeometry(c);
    const stored = JSON.parse(JSON.stringify(g)) as JsonValue;
    expect((stored as { type: string }).type).toBe("Polygon");
    const parsed = parseTerritoryGeometry(stored);
    expect(parsed).toEqual({ ok: true, kind: "circle", geometry: c.geometry, center: c.center, radiusM: c.radiusM });
    // The outline is what any other reader (outline layer, overlaps, KML) sees.
    expect(territoryOutlineOf(stored)).toEqual(c.geometry);
  });

  it("keeps rectangles and polygons apart; a plain Polygon (drafts saved before) loads as a polygon", () => {
    const rect = boxShape("r", -110, 30, -95, 42, "rectangle");
    expect(parseTerritoryGeometry(territoryGeometry(rect))).toMatchObject({ ok: true, kind: "rectangle", geometry: rect.geometry });
    const poly: DrawnShape = { id: "p", kind: "polygon", geometry: square };
    expect(parseTerritoryGeometry(territoryGeometry(poly))).toMatchObject({ ok: true, kind: "polygon", geometry: square });
    expect(parseTerritoryGeometry(square as unknown as JsonValue)).toEqual({ ok: true, kind: "polygon", geometry: square });
    // A rectangle drawn before this change was stored as a plain Polygon too: it comes back as a polygon.
    expect(parseTerritoryGeometry(rect.geometry as unknown as JsonValue)).toMatchObject({ ok: true, kind: "polygon" });
    // A GeoJSON Feature (the draft model allows one) with the shape kind in its properties.
    const feature = {
      type: "Feature",
      properties: { tmapShape: { kind: "circle", center: [-97, 35], radiusM: 5000 } },
      geometry: square,
    } as unknown as JsonValue;
    expect(parseTerritoryGeometry(feature)).toMatchObject({ ok: true, kind: "circle", center: [-97, 35], radiusM: 5000 });
    expect(parseTerritoryGeometry(null)).toBeNull();
  });

  it.each<[string, unknown, RegExp]>([
    ["a string", "POLYGON((0 0))", /not a GeoJSON object/],
    [
      "a line",
      {
        type: "LineString",
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      /LineString is not an area/,
    ],
    [
      "an unclosed ring",
      {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
      /not closed/,
    ],
    [
      "a short ring",
      {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      },
      /3 positions/,
    ],
    [
      "a text position",
      {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            ["1", 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      /pair of numbers/,
    ],
    [
      "a latitude of 95",
      {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 95],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      /outside/,
    ],
    ["an empty MultiPolygon", { type: "MultiPolygon", coordinates: [] }, /no polygons/],
    ["a negative radius", { ...square, tmapShape: { kind: "circle", center: [-97, 35], radiusM: -3 } }, /radius/],
    ["a circle without centre", { ...square, tmapShape: { kind: "circle", radiusM: 3 } }, /centre/],
    ["an unknown kind", { ...square, tmapShape: { kind: "hexagon" } }, /unknown shape kind "hexagon"/],
    ["a rectangle with 4 positions", { ...square, tmapShape: { kind: "rectangle" } }, /one ring of 5/],
  ])("reports %s with a reason instead of throwing", (_, g, reason) => {
    const parsed = parseTerritoryGeometry(g as JsonValue);
    expect(parsed).toMatchObject({ ok: false });
    expect((parsed as { reason: string }).reason).toMatch(reason);
    expect(territoryOutlineOf(g as JsonValue)).toBeNull();
  });

  it("maps shape ids and territory keys both ways", () => {
    for (const key of ["drawn-abc", "drawn-abc~2", "t7", "drawn-t:x", "0f8fad5b-d9cb-469f-a165-70867728950e", "t:odd"]) {
      expect(territoryKeyOfShape(shapeIdOfTerritory(key))).toBe(key);
    }
    // A freshly drawn shape's territory is drawn-<its id>, and restoring it gives the shape its id back.
    expect(territoryKeyOfShape("5b1c")).toBe("drawn-5b1c");
    expect(shapeIdOfTerritory("drawn-5b1c")).toBe("5b1c");
  });
});

describe("save → reload → By Territory replot keeps the drawn shapes", () => {
  it("a circle, a rectangle and an old plain polygon come back as what they were; a malformed one is reported", () => {
    const n = 50;
    const table = buildAccountTable(
      Array.from({ length: n }, (_, i) => ({ id: guid(i), name: `A${i}`, latitude: 30 + i / 10, longitude: -100 + i / 10, measures: [i] })),
      ["revenue"],
    );
    const circle = circleShape("c9", [-97.5, 33.25], 42_000.5);
    const rect = boxShape("r4", -101, 29, -99, 31, "rectangle");
    const broken = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ],
    } as unknown as JsonValue;
    const territories = [
      territory(territoryKeyOfShape(circle.id), territoryGeometry(circle)),
      territory(territoryKeyOfShape(rect.id), territoryGeometry(rect)),
      territory("drawn-legacy", square as unknown as JsonValue),
      territory("t-plain", null),
      territory("drawn-broken", broken),
    ];
    const assignment = Int32Array.from({ length: n }, (_, i) => i % 5);
    const plan = createPlan(table, territories, assignment, { dirty: true });

    // Saved (encoded into chunks as the repository stores them), read back, replotted By Territory.
    const draft = toDraft(plan, "Shapes");
    const body = decodeDraftBody(encodeDraftBody({ territories: draft.territories, assignments: draft.assignments }).chunks);
    const replotted = replotTerritories(
      [{ draft: { ...draft, id: "d1", territories: body.territories, assignments: body.assignments } }],
      "Shapes",
    ).draft;
    const loaded = fromDraft(table, replotted, { saved: false });

    expect(loaded.geometryProblems).toEqual([
      { key: "drawn-broken", name: "T drawn-broken", reason: expect.stringMatching(/3 positions/) },
    ]);
    // Nothing dropped: the malformed geometry is still in the plan, as stored.
    expect(loaded.plan.territories[4].geometry).toEqual(broken);

    const { shapes, problems } = territoryShapes(loaded.plan.territories);
    expect(problems).toHaveLength(1);
    expect(shapes.map((s) => s.kind)).toEqual(["circle", "rectangle", "polygon"]);
    expect(shapes[0]).toEqual({ ...circle, id: "c9" });
    expect(shapes[1]).toEqual({ ...rect, id: "r4" });
    expect(shapes[2]).toEqual({ id: "legacy", kind: "polygon", geometry: square });
    // Shape ids lead back to the plan's territories (edit / erase find their territory).
    expect(shapes.map((s) => territoryKeyOfShape(s.id))).toEqual(["drawn-c9", "drawn-r4", "drawn-legacy"]);

    // Saved again: the circle is stored exactly as before (no drift through the round trip).
    expect(toDraft(loaded.plan).territories[0].geometry).toEqual(territoryGeometry(circle));
  });
});

describe("editing a drawn shape", () => {
  const table = randomTable(6_000, 7);
  const index = SpatialIndex.of(table);
  const center: [number, number] = [-96, 37];
  const small = circleShape("c", center, 300_000);
  const large = circleShape("c", center, 600_000);

  /** A plan where territory 1 was just created from `shape` over a random assignment into territories 0 and 2. */
  function created(shape: DrawnShape, locked: Uint8Array | null = null): Int32Array {
    const start = Int32Array.from({ length: table.size }, (_, i) => (i % 3 === 1 ? -1 : i % 3));
    return applyMoves(start, planShapeAction(table, index, start, locked, shape, { kind: "create", territory: 1 }));
  }

  it("growing a circle adds exactly the accounts of the ring; the result equals drawing the larger circle", () => {
    const before = created(small);
    const { join, leave } = planShapeEdit(table, index, before, null, small, large, 1);
    const inSmall = new Set(selectByShape(index, small));
    const ring = Array.from(selectByShape(index, large)).filter((i) => !inSmall.has(i));
    expect(ring.length).toBeGreaterThan(100);
    expect(Array.from(join.indexes).sort((a, b) => a - b)).toEqual(ring.sort((a, b) => a - b));
    expect(join.to).toBe(1);
    expect(leave.indexes.length).toBe(0);
    expect(applyMoves(before, join)).toEqual(created(large));
    expect(join.totals.count).toBe(ring.length);
  });

  it("shrinking a circle unassigns the territory's accounts that fell outside, and nobody else's", () => {
    const before = created(large);
    // One account in the ring was moved by hand to territory 0: shrinking does not touch it.
    const inSmall = new Set(selectByShape(index, small));
    const ringAccount = Array.from(selectByShape(index, large)).find((i) => !inSmall.has(i)) as number;
    before[ringAccount] = 0;
    const { join, leave } = planShapeEdit(table, index, before, null, large, small, 1);
    expect(join.indexes.length).toBe(0);
    expect(leave.to).toBe(-1);
    const after = applyMoves(before, leave);
    for (let i = 0; i < table.size; i++) {
      if (inSmall.has(i)) expect(after[i]).toBe(before[i]);
      else if (i === ringAccount) expect(after[i]).toBe(0);
      else if (before[i] === 1) expect(after[i]).toBe(-1);
      else expect(after[i]).toBe(before[i]);
    }
    expect(leave.indexes.length).toBe(Array.from(before).filter((t, i) => t === 1 && !inSmall.has(i)).length);
  });

  it("locked accounts stay where they are (counted)", () => {
    const before = created(small);
    const locked = new Uint8Array(table.size);
    const inSmall = new Set(selectByShape(index, small));
    const ring = Array.from(selectByShape(index, large)).filter((i) => !inSmall.has(i) && before[i] !== 1);
    for (const i of ring.slice(0, 10)) locked[i] = 1;
    const { join } = planShapeEdit(table, index, before, locked, small, large, 1);
    expect(join.skippedLocked).toBe(10);
    expect(join.indexes.length).toBe(ring.length - 10);
  });

  it("a territory's stored geometry is the 'before' shape of an edit", () => {
    const stored = territoryGeometry(small);
    const before = territoryShapeOf("drawn-c", stored);
    expect(before).toEqual(small);
    expect(territoryShapeOf("x", null)).toBeNull();
    expect(territoryShapeOf("x", { type: "Point", coordinates: [0, 0] })).toBeNull();
  });
});
