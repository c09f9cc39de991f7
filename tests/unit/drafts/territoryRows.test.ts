import {
  reconcileTerritoryRows,
  targetMeasureOf,
  territoryTargets,
  type TerritoryRowView,
} from "../../../TerritoryMapControl/domain/drafts/territoryRows";
import type { DraftTerritory } from "../../../TerritoryMapControl/domain/drafts/model";

const territory = (key: string, name: string, totals: Record<string, number>, extra: Partial<DraftTerritory> = {}): DraftTerritory => ({
  key,
  name,
  color: "#aa0000",
  geometry: null,
  postalCodes: [],
  repId: null,
  territoryId: null,
  totals,
  ...extra,
});

describe("draft territory rows: target and deviation", () => {
  const ts = [territory("a", "A", { revenue: 100, tmap_workloadhours: 10 }), territory("b", "B", { revenue: 300, tmap_workloadhours: 30 })];

  it("uses the first balancing measure, else workload, else the account count", () => {
    expect(targetMeasureOf(ts, { measures: ["revenue", "accounts"] })).toBe("revenue");
    expect(targetMeasureOf(ts, null)).toBe("tmap_workloadhours");
    expect(targetMeasureOf([territory("a", "A", {})], { tolerance: 0.1 })).toBe("accounts");
  });

  it("target = the average; deviation = (total − target) / target", () => {
    expect(territoryTargets(ts, [5, 15], "revenue")).toEqual({ measure: "revenue", target: 200, deviation: [-0.5, 0.5] });
    expect(territoryTargets([territory("a", "A", {}), territory("b", "B", {})], [10, 30], "accounts")).toEqual({
      measure: "accounts",
      target: 20,
      deviation: [-0.5, 0.5],
    });
    expect(territoryTargets(ts, [0, 0], "missing").deviation).toEqual([0, 0]);
  });
});

describe("draft territory rows: reconciliation with hand edits in Dynamics", () => {
  const ts = [
    territory("a", "North", {}, { repId: "u1" }),
    territory("b", "South", {}),
    territory("c", "East", {}),
    territory("d", "West", {}, { repId: "u2" }),
  ];
  const row = (t: DraftTerritory, over: Partial<TerritoryRowView> = {}): TerritoryRowView => ({
    key: t.key,
    name: t.name,
    color: t.color,
    repId: t.repId,
    ...over,
  });

  it("rows as saved: nothing differs and the territories are unchanged", () => {
    const r = reconcileTerritoryRows(
      ts,
      ts.map((t) => row(t)),
    );
    expect(r.differences).toEqual([]);
    expect(r.territories).toEqual(ts);
  });

  it("takes over a new name, colour and rep; a deleted row keeps the territory; a cleared rep is not taken over", () => {
    const r = reconcileTerritoryRows(ts, [
      row(ts[0], { name: "  North-East ", color: "#00FF00" }),
      row(ts[1], { repId: "u9" }),
      row(ts[3], { repId: null, color: "not a colour" }),
    ]);
    expect(r.differences).toEqual([
      { kind: "renamed", key: "a", territory: "North", from: "North", to: "North-East" },
      { kind: "recolored", key: "a", territory: "North-East", from: "#aa0000", to: "#00ff00" },
      { kind: "rep-changed", key: "b", territory: "South", from: null, to: "u9" },
      { kind: "deleted", key: "c", territory: "East" },
    ]);
    expect(r.territories.map((t) => [t.name, t.color, t.repId])).toEqual([
      ["North-East", "#00ff00", "u1"],
      ["South", "#aa0000", "u9"],
      ["East", "#aa0000", null],
      ["West", "#aa0000", "u2"],
    ]);
    expect(ts[0].name).toBe("North"); // the input is not changed
  });
});
