/**
 * The territory tree (domain/hierarchy) and what the plan does with it: rollups, targets among siblings, moves
 * into leaves only, balancing scopes, the draft format that stores the tree, and Compare.
 */
import { buildTree, leavesUnder, rollUp } from "../../../TerritoryMapControl/domain/hierarchy";
import {
  buildAccountTable,
  deleteTerritory,
  fromDraft,
  setParent,
  movePositions,
  planFromLiveState,
  PlanError,
  territoryBounds,
  territoryRows,
  toDraft,
  treeFindings,
  treeOf,
  type AccountInput,
} from "../../../TerritoryMapControl/domain/workspace";
import { leafScope, liftAssignment, planTerritoryOf } from "../../../TerritoryMapControl/domain/design/scope";
import { bandMisses, toleranceMet, type BalancePreview } from "../../../TerritoryMapControl/domain/design/balanceInput";
import { decodeDraftBody, encodeDraftBody } from "../../../TerritoryMapControl/domain/drafts/codec";
import { draftStats } from "../../../TerritoryMapControl/domain/drafts/compare";
import { guids } from "../drafts/builders";

const tree = (list: [string, string | null][]) => buildTree(list.map(([key, parentKey]) => ({ key, name: key.toUpperCase(), parentKey })));

describe("the territory tree", () => {
  it("finds leaves, roots, depth and a parents-first order at any depth", () => {
    const t = tree([
      ["east", null],
      ["ny", "east"],
      ["metro", "east"],
      ["brooklyn", "metro"],
      ["queens", "metro"],
      ["west", null],
    ]);
    expect(t.leaves).toEqual([1, 3, 4, 5]);
    expect(t.roots).toEqual([0, 5]);
    expect(Array.from(t.depth)).toEqual([0, 1, 1, 2, 2, 0]);
    expect(t.order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(leavesUnder(t, 0)).toEqual([1, 3, 4]);
    expect(Array.from(rollUp(t, [5, 10, 1, 20, 30, 7]))).toEqual([66, 10, 51, 20, 30, 7]);
    expect(t.problems).toEqual([]);
  });

  it("a cycle of parents is cut and reported by name; nothing is dropped", () => {
    const t = tree([
      ["a", "c"],
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
    ]);
    expect(t.problems).toEqual([{ kind: "cycle", index: 0, key: "a", name: "A", parentKey: "c" }]);
    expect(t.order.slice().sort()).toEqual([0, 1, 2, 3]);
    expect(t.roots).toEqual([0]);
    expect(t.leaves).toEqual([3]);
  });

  it("a missing parent or a territory that is its own parent becomes a root with a problem", () => {
    const t = tree([
      ["a", "gone"],
      ["b", "b"],
    ]);
    expect(t.problems.map((p) => [p.kind, p.name, p.parentKey])).toEqual([
      ["missing-parent", "A", "gone"],
      ["cycle", "B", "b"],
    ]);
    expect(t.roots).toEqual([0, 1]);
  });
});

function accounts(n: number): AccountInput[] {
  return guids(n, 7).map((id, i) => ({ id, name: `A${i}`, latitude: 40 + i / 100, longitude: -100 + i / 10, measures: [i + 1] }));
}

/** Region R over leaves X (3 accounts) and Y (1 account); R holds 2 accounts itself; leaf Z at the top level has 2. */
function regionPlan() {
  const table = buildAccountTable(accounts(8), ["revenue"]);
  const ids = ["r", "x", "y", "z"];
  const territories = [
    { id: ids[0], name: "Region", managerId: null, parentId: null },
    { id: ids[1], name: "X", managerId: null, parentId: "r" },
    { id: ids[2], name: "Y", managerId: null, parentId: "r" },
    { id: ids[3], name: "Z", managerId: null, parentId: null },
  ];
  const live = ["x", "x", "x", "y", "r", "r", "z", "z"];
  return planFromLiveState(
    table,
    territories,
    live,
    () => "#123456",
    () => "?",
  );
}

describe("the plan as a tree", () => {
  it("keeps the parent of each live territory and rolls totals up; leaves are measured against the leaves' mean", () => {
    const plan = regionPlan();
    expect(plan.territories.map((t) => t.parentKey)).toEqual([null, "r", "r", null]);
    const rows = territoryRows(plan);
    const r = rows[0];
    expect(r).toMatchObject({ leaf: false, accounts: 6, direct: 2, depth: 0 });
    // region against its sibling Z: (6 + 2) / 2 = 4
    expect(r.target.accounts).toBe(4);
    expect(r.deviation.accounts).toBeCloseTo(0.5);
    // leaves X, Y, Z: (3 + 1 + 2) / 3 = 2
    expect(rows[1]).toMatchObject({ leaf: true, accounts: 3, parentKey: "r", depth: 1 });
    expect(rows[1].target.accounts).toBe(2);
    expect(rows[3].deviation.accounts).toBe(0);
  });

  it("refuses to move accounts into a region, naming it", () => {
    const plan = regionPlan();
    expect(() => movePositions(plan, [0], "r")).toThrow(PlanError);
    expect(() => movePositions(plan, [0], "r")).toThrow(/"Region" is over other territories/);
    expect(movePositions(plan, [4], "y").plan.totals.accounts[2]).toBe(2);
  });

  it("a territory goes under a region, never under itself or one of its own territories", () => {
    const plan = setParent(regionPlan(), "z", "r");
    expect(treeOf(plan).children[0]).toEqual([1, 2, 3]);
    expect(() => setParent(plan, "r", "x")).toThrow(/"Region" cannot go under "X", which is under it/);
    expect(() => setParent(plan, "r", "r")).toThrow(PlanError);
    expect(setParent(plan, "z", "r")).toBe(plan);
  });

  it("deleting a region keeps its territories under the region's parent", () => {
    const { plan } = deleteTerritory(regionPlan(), "r");
    expect(plan.territories.map((t) => [t.key, t.parentKey])).toEqual([
      ["x", null],
      ["y", null],
      ["z", null],
    ]);
  });

  it("a draft keeps the tree (body format 3) and a flat draft stays readable by the format before", () => {
    const plan = regionPlan();
    const draft = toDraft(plan, "FY27");
    expect(draft.territories.map((t) => t.parentKey ?? null)).toEqual([null, "r", "r", null]);
    const encoded = encodeDraftBody({ territories: draft.territories, assignments: draft.assignments });
    const raw = decodeDraftBody(encoded.chunks);
    expect(raw.territories.map((t) => t.parentKey ?? null)).toEqual([null, "r", "r", null]);
    const back = fromDraft(plan.table, { ...draft, territories: raw.territories, assignments: raw.assignments }, { saved: false });
    expect(treeOf(back.plan).leaves).toEqual([1, 2, 3]);
    const flat = encodeDraftBody({
      territories: draft.territories.map(({ parentKey: _p, ...t }) => t),
      assignments: draft.assignments,
    });
    expect(decodeDraftBody(flat.chunks).territories.every((t) => t.parentKey === undefined)).toBe(true);
  });

  it("Compare measures leaves against leaves and a region against its siblings: no region at −100 %", () => {
    const stats = draftStats(toDraft(regionPlan()));
    expect(stats.territories.map((t) => [t.name, t.leaf, Math.round(t.deviations[0] * 100)])).toEqual([
      ["Region", false, 50],
      ["X", true, 50],
      ["Y", true, -50],
      ["Z", true, 0],
    ]);
    expect(stats.means[0]).toBe(2);
  });

  it("the bounds of a region cover its territories and the accounts it holds", () => {
    const plan = regionPlan();
    const b = territoryBounds(plan, "r");
    expect(b).not.toBeNull();
    const [w, , e] = b as number[];
    expect(w).toBeCloseTo(-100);
    expect(e).toBeCloseTo(-99.5);
    expect(territoryBounds(plan, "z")?.[0]).toBeCloseTo(-99.4);
  });
});

describe("zooming to a territory", () => {
  it("a stray geocode among many accounts does not stretch the box to the world", () => {
    const list = accounts(200).map((a, i) => (i === 7 ? { ...a, latitude: -33.9, longitude: 151.2 } : a));
    const table = buildAccountTable(list, ["revenue"]);
    const plan = planFromLiveState(
      table,
      [{ id: "x", name: "X", managerId: null, parentId: null }],
      list.map(() => "x"),
      () => "#123456",
      () => "?",
    );
    const [w, s, e, n] = territoryBounds(plan, "x") as number[];
    expect(e).toBeLessThan(0);
    expect(s).toBeGreaterThan(30);
    expect(w).toBeLessThan(e);
    expect(n).toBeGreaterThan(s);
  });
});

describe("what the manager is told about the tree", () => {
  it("regions holding accounts, territories without a rep, a rep of several territories, unusable parents — by name", () => {
    const table = buildAccountTable(accounts(8), ["revenue"]);
    const plan = planFromLiveState(
      table,
      [
        { id: "r", name: "Region", managerId: "m", parentId: null },
        { id: "x", name: "X", managerId: "ana", parentId: "r" },
        { id: "y", name: "Y", managerId: "ana", parentId: "r" },
        { id: "z", name: "Z", managerId: null, parentId: "gone" },
        { id: "c1", name: "C1", managerId: "bo", parentId: "c2" },
        { id: "c2", name: "C2", managerId: "cy", parentId: "c1" },
      ],
      ["x", "x", "x", "y", "r", "r", "z", "z"],
      () => "#123456",
      () => "?",
    );
    expect(treeFindings(plan)).toEqual([
      { kind: "missing-parent", territory: "Z" },
      { kind: "cycle", territory: "C1" },
      { kind: "rep-of-several", repId: "ana", territories: ["X", "Y"] },
      { kind: "no-rep", territories: ["Z"] },
      { kind: "held-by-parent", territory: "Region", accounts: 2 },
    ]);
  });

  it("a flat list of territories has nothing to say", () => {
    const table = buildAccountTable(accounts(2), ["revenue"]);
    const plan = planFromLiveState(
      table,
      [{ id: "x", name: "X", managerId: null, parentId: null }],
      ["x", "x"],
      () => "#123456",
      () => "?",
    );
    expect(treeFindings(plan)).toEqual([]);
  });
});

describe("balancing scopes", () => {
  it("the whole plan: leaves only, accounts a region holds are to be assigned", () => {
    const plan = regionPlan();
    const scope = leafScope(treeOf(plan), plan.assignment, -1);
    expect(scope.leaves).toEqual([1, 2, 3]);
    expect(Array.from(scope.assignment)).toEqual([0, 0, 0, 1, -1, -1, 2, 2]);
    expect(scope.heldByParents).toBe(2);
    expect(Array.from(scope.include)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("one region: only its leaves and accounts; the result lifts back without touching the rest", () => {
    const plan = regionPlan();
    const scope = leafScope(treeOf(plan), plan.assignment, 0);
    expect(scope.leaves).toEqual([1, 2]);
    expect(Array.from(scope.include)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    // the run puts two of X's accounts and both held accounts into Y; a new local territory 2 gets one account
    const local = Int32Array.from([0, 1, 1, 1, 1, 2, -1, -1]);
    const lifted = liftAssignment(scope, local, plan.assignment);
    expect(Array.from(lifted)).toEqual([1, 2, 2, 2, 2, 4, 3, 3]);
    expect(planTerritoryOf(scope, 2)).toBe(4);
  });
});

describe("what auto-balance could not meet", () => {
  const preview = (totals: number[]): BalancePreview => ({
    territories: totals.map((t, i) => ({ planTerritory: i, accounts: t, totals: [t] })),
    maxDeviation: [Math.max(...totals.map((t) => Math.abs(t / (totals.reduce((a, b) => a + b, 0) / totals.length) - 1)))],
    moved: 0,
    newlyAssigned: 0,
    gapToBound: null,
    lowerBound: null,
    objective: 0,
    feasible: false,
    status: "infeasible",
    infeasibility: [],
  });

  it("names each territory outside its band with whole numbers, largest miss first, and the tolerance the plan meets", () => {
    const p = preview([426, 500, 500, 574]);
    // mean 500, ±5 % → 475–525
    expect(bandMisses(p, 0.05)).toEqual([
      { territory: 0, measure: 0, total: 426, lower: 475, upper: 525 },
      { territory: 3, measure: 0, total: 574, lower: 475, upper: 525 },
    ]);
    expect(toleranceMet(p)).toBe(0.15);
    expect(bandMisses(p, 0.15)).toEqual([]);
  });
});
