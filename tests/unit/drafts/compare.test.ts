import { compareDrafts, draftStats, matchTerritories, publishedState, reconcile } from "../../../TerritoryMapControl/domain/drafts/compare";
import { assignmentsFromMap } from "../../../TerritoryMapControl/domain/drafts/model";
import type { ComparableDraft } from "../../../TerritoryMapControl/domain/drafts/compare";
import { guids, territory } from "./builders";

const [a1, a2, a3, a4, a5, a6] = guids(6, 11);
const [repAda, repBob, repCy] = guids(3, 12);
const [terrNorth, terrSouth] = guids(2, 13);

const original: ComparableDraft = {
  territories: [
    territory(0, { key: "n", name: "North", repId: repAda, territoryId: terrNorth }),
    territory(1, { key: "s", name: "South", repId: repBob, territoryId: terrSouth }),
    territory(2, { key: "e", name: "East", repId: null }),
  ],
  assignments: assignmentsFromMap(
    new Map([
      [a1, 0],
      [a2, 0],
      [a3, 1],
      [a4, 1],
      [a5, 2],
      [a6, -1],
    ]),
  ),
};

// The rework: territories re-ordered, East renamed "east " and given to Cy, a2 moves North → South, a5 East → North.
const rework: ComparableDraft = {
  territories: [
    territory(0, { key: "s2", name: "South (new)", repId: repBob, territoryId: terrSouth }),
    territory(1, { key: "e2", name: "east ", repId: repCy }),
    territory(2, { key: "n2", name: "North", repId: repAda, territoryId: terrNorth }),
  ],
  assignments: assignmentsFromMap(
    new Map([
      [a1, 2],
      [a2, 0],
      [a3, 0],
      [a4, 0],
      [a5, 2],
      [a6, -1],
    ]),
  ),
};

const measures = {
  names: ["revenue"],
  values: new Map([
    [a1, [100]],
    [a2, [200]],
    [a3, [300]],
    [a4, [400]],
    [a5, [500]],
    [a6, [600]],
  ]),
};

describe("draftStats", () => {
  it("totals accounts and each measure per territory, with deviation from the mean", () => {
    const s = draftStats(original, measures);
    expect(s.territories.map((t) => t.totals)).toEqual([
      [2, 300],
      [2, 700],
      [1, 500],
    ]);
    expect(s.means).toEqual([5 / 3, 500]);
    expect(s.territories[1].deviations[1]).toBeCloseTo(0.4);
    expect(s.territories[0].deviations[1]).toBeCloseTo(-0.4);
    expect(s.maxAbsDeviation[0]).toBeCloseTo(0.4);
    expect(s.unassigned).toBe(1);
  });
});

describe("matchTerritories", () => {
  it("matches by Dynamics territory, then rep, then name", () => {
    expect(matchTerritories(original.territories, rework.territories)).toEqual([
      { a: 0, b: 2, matchedBy: "territoryId" },
      { a: 1, b: 0, matchedBy: "territoryId" },
      { a: 2, b: 1, matchedBy: "name" },
    ]);
  });

  it("matches by rep when there is no territory link, and leaves the rest unmatched", () => {
    const a = [territory(0, { repId: repAda, name: "X" }), territory(1, { name: "Only in A" })];
    const b = [territory(0, { repId: repAda, name: "Y" }), territory(1, { name: "Only in B" })];
    expect(matchTerritories(a, b)).toEqual([
      { a: 0, b: 0, matchedBy: "rep" },
      { a: 1, b: null, matchedBy: null },
      { a: null, b: 1, matchedBy: null },
    ]);
  });
});

describe("compareDrafts", () => {
  const c = compareDrafts(original, rework, measures);

  it("lists the accounts that change territory, with from/to indexes", () => {
    expect(c.moved.count).toBe(2);
    expect(c.moved.accounts.sort((x, y) => x.accountId.localeCompare(y.accountId))).toEqual(
      [
        { accountId: a2, from: 0, to: 0 },
        { accountId: a5, from: 2, to: 2 },
      ].sort((x, y) => x.accountId.localeCompare(y.accountId)),
    );
  });

  it("names the reps affected with accounts gained and lost", () => {
    // a2: Ada → Bob; a5: (East, no rep) → Ada
    expect(c.repsAffected).toEqual(
      [
        { repId: repAda, gained: 1, lost: 1 },
        { repId: repBob, gained: 1, lost: 0 },
      ].sort((x, y) => y.gained + y.lost - (x.gained + x.lost) || x.repId.localeCompare(y.repId)),
    );
  });

  it("gives both sides' totals", () => {
    expect(c.measures).toEqual(["accounts", "revenue"]);
    expect(c.b.territories.map((t) => t.totals)).toEqual([
      [3, 900],
      [0, 0],
      [2, 600],
    ]);
  });

  it("counts accounts present on one side only, and caps the listed moves", () => {
    const fewer: ComparableDraft = {
      territories: rework.territories,
      assignments: assignmentsFromMap(
        new Map([
          [a1, 0],
          [a2, 0],
        ]),
      ),
    };
    const r = compareDrafts(original, fewer, undefined, { maxMovedListed: 1 });
    expect(r.onlyInA).toBe(4);
    expect(r.onlyInB).toBe(0);
    expect(r.moved.count).toBe(2); // a1 and a2: North → South
    expect(r.moved.accounts).toHaveLength(1);
  });

  it("compares with the published state", () => {
    const live = publishedState(
      [
        { id: terrNorth, name: "North", managerId: repAda },
        { id: terrSouth, name: "South", managerId: repBob },
      ],
      [
        { id: a1, territoryId: terrNorth },
        { id: a2, territoryId: terrNorth },
        { id: a3, territoryId: terrSouth },
        { id: a4, territoryId: null },
      ],
    );
    const r = compareDrafts(live, rework);
    expect(r.moved.count).toBe(2); // a2 North → South, a4 none → South
    expect(r.onlyInB).toBe(2);
  });
});

describe("reconcile", () => {
  it("drops deleted accounts and appends new ones unassigned, with counts", () => {
    const [created] = guids(1, 99);
    const r = reconcile(original, [a1, a2, a3, `{${created.toUpperCase()}}`]);
    expect({ missing: r.missing, added: r.added }).toEqual({ missing: 3, added: 1 });
    expect(r.missingIds.sort()).toEqual([a4, a5, a6].sort());
    expect(r.addedIds).toEqual([created]);
    expect(Array.from(r.assignments.territory)).toEqual([0, 0, 1, -1]);
    expect(r.assignments.accountIds).toEqual([a1, a2, a3, created]);
  });

  it("reports zero counts when nothing changed", () => {
    const r = reconcile(original, [a1, a2, a3, a4, a5, a6]);
    expect([r.missing, r.added]).toEqual([0, 0]);
  });
});
