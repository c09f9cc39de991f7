import { assignmentsFromMap, type Draft } from "../../../TerritoryMapControl/domain/drafts/model";
import { replotTerritories } from "../../../TerritoryMapControl/domain/drafts/replot";
import { guids, territory } from "./builders";

const [a1, a2, a3, a4, a5] = guids(5, 77);
const [q3Id, q4Id] = guids(2, 78);

const q3: Draft = {
  id: q3Id,
  name: "Q3",
  version: 2,
  parentId: null,
  status: "draft",
  notes: "",
  balancingSettings: { tolerance: 0.1 },
  metrics: null,
  territories: [territory(0, { key: "north" }), territory(1, { key: "south" })],
  assignments: assignmentsFromMap(
    new Map([
      [a1, 0],
      [a2, 0],
      [a3, 1],
      [a4, 1],
    ]),
    [a1],
  ),
  saveToken: "x",
};
const q4: Draft = {
  ...q3,
  id: q4Id,
  name: "Q4",
  version: 5,
  territories: [territory(0, { key: "north", name: "North (Q4)" }), territory(1, { key: "west" })],
  assignments: assignmentsFromMap(
    new Map([
      [a2, 0],
      [a5, 0],
      [a3, 1],
    ]),
  ),
};

describe("replotTerritories", () => {
  it("replots one whole draft as a new draft with lineage", () => {
    const { draft, overlaps } = replotTerritories([{ draft: q3 }], "Q3 rework");
    expect(draft).toMatchObject({ name: "Q3 rework", version: 3, parentId: q3Id, status: "draft" });
    expect(draft.id).toBeUndefined();
    expect(draft.saveToken).toBeUndefined();
    expect(Array.from(draft.assignments.territory)).toEqual([0, 0, 1, 1]);
    expect(Array.from(draft.assignments.locked)).toEqual([1, 0, 0, 0]);
    expect(overlaps).toBe(0);
  });

  it("combines chosen territories of several drafts; overlaps go to the first and are counted", () => {
    const r = replotTerritories(
      [
        { draft: q3, keys: ["north"] },
        { draft: q4, keys: ["north"] },
      ],
      "North compare",
    );
    expect(r.draft.territories.map((t) => t.key)).toEqual(["north", "north~2"]);
    expect(r.origins).toEqual([
      { draftId: q3Id, key: "north" },
      { draftId: q4Id, key: "north" },
    ]);
    expect(r.overlaps).toBe(1); // a2 is in both norths
    const byId = new Map(r.draft.assignments.accountIds.map((id, i) => [id, r.draft.assignments.territory[i]]));
    expect([byId.get(a1), byId.get(a2), byId.get(a3), byId.get(a4), byId.get(a5)]).toEqual([0, 0, -1, -1, 1]);
    expect(r.draft.version).toBe(6);
  });

  it("names a missing territory key", () => {
    expect(() => replotTerritories([{ draft: q3, keys: ["east"] }], "x")).toThrow('Draft "Q3" has no territory "east".');
  });

  it("leaves the sources untouched", () => {
    const before = JSON.stringify({ t: q3.territories, a: Array.from(q3.assignments.territory) });
    const r = replotTerritories([{ draft: q3 }], "copy");
    r.draft.territories[0].postalCodes.push("00000");
    r.draft.assignments.territory[0] = 1;
    expect(JSON.stringify({ t: q3.territories, a: Array.from(q3.assignments.territory) })).toBe(before);
  });
});
