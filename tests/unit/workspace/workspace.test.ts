/** The working plan (domain/workspace): operations, totals, targets, and the round trip to domain/drafts. */
import {
  ACCOUNTS,
  PlanError,
  accountsIn,
  addTerritory,
  assignRep,
  buildAccountTable,
  computeTotals,
  createPlan,
  deleteTerritory,
  fromDraft,
  markSaved,
  moveAccounts,
  movePositions,
  planFromLiveState,
  renameTerritory,
  setAccountsLocked,
  setTarget,
  targetsOf,
  territoryRows,
  toDraft,
  type AccountInput,
  type PlanTerritory,
  type WorkingPlan,
} from "../../../TerritoryMapControl/domain/workspace";
import { compareDrafts, replotTerritories, validateDraft } from "../../../TerritoryMapControl/domain/drafts";
import { guids, prng } from "../drafts/builders";

const MEASURES = ["revenue", "tmap_workloadhours"];

function accounts(n: number, seed = 3): AccountInput[] {
  const ids = guids(n, seed);
  const rnd = prng(seed);
  return ids.map((id, i) => ({
    id,
    name: `Account ${i}`,
    latitude: 30 + rnd() * 10,
    longitude: -100 + rnd() * 10,
    measures: [Math.round(rnd() * 1000), 1 + (i % 5)],
  }));
}

function territories(k: number): PlanTerritory[] {
  return Array.from({ length: k }, (_, i) => ({
    key: `t${i}`,
    name: `T${i}`,
    color: "#000000",
    repId: null,
    territoryId: null,
    locked: false,
    geometry: null,
    postalCodes: [],
  }));
}

function plan(n: number, k: number, seed = 3): WorkingPlan {
  const table = buildAccountTable(accounts(n, seed), MEASURES);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i % 10 === 9 ? -1 : i % k;
  return createPlan(table, territories(k), a);
}

/** Totals recomputed from scratch must equal the incrementally maintained ones. */
function expectConsistent(p: WorkingPlan): void {
  const fresh = computeTotals(p.table, p.territories.length, p.assignment);
  expect(Array.from(p.totals.accounts)).toEqual(Array.from(fresh.accounts));
  p.totals.values.forEach((v, m) => Array.from(v).forEach((x, t) => expect(x).toBeCloseTo(fresh.values[m][t], 6)));
  expect(p.totals.unassignedAccounts).toBe(fresh.unassignedAccounts);
  p.totals.unassignedValues.forEach((x, m) => expect(x).toBeCloseTo(fresh.unassignedValues[m], 6));
}

describe("account table", () => {
  it("keeps the first of duplicate ids, normalises ids, and zeroes non-numeric measures", () => {
    const [a, b] = guids(2, 9);
    const table = buildAccountTable(
      [
        { id: `{${a.toUpperCase()}}`, name: "A", latitude: null, longitude: null, measures: [Number.NaN, 2] },
        { id: b, name: "B", latitude: 1, longitude: 2, measures: [5] },
        { id: a, name: "A again", latitude: 1, longitude: 1, measures: [9, 9] },
      ],
      MEASURES,
    );
    expect(table.ids).toEqual([a, b]);
    expect(table.names).toEqual(["A", "B"]);
    expect(Array.from(table.values[0])).toEqual([0, 5]);
    expect(Array.from(table.values[1])).toEqual([2, 0]);
    expect(Number.isNaN(table.lat[0])).toBe(true);
    expect(table.index.get(b)).toBe(1);
  });
});

describe("operations", () => {
  it("moves accounts, updating totals incrementally, without touching the input plan", () => {
    const p = plan(1000, 5);
    const before = p.assignment.slice();
    const ids = [0, 1, 2, 9].map((i) => p.table.ids[i]); // 9 is unassigned
    const { plan: next, changed } = moveAccounts(p, ids, "t4");
    expect(Array.from(changed).sort((x, y) => x - y)).toEqual([0, 1, 2, 9]);
    expect(Array.from(p.assignment)).toEqual(Array.from(before));
    expect(next).not.toBe(p);
    expect(next.dirty).toBe(true);
    expect(next.revision).toBe(p.revision + 1);
    expect(next.totals.accounts[4]).toBe(p.totals.accounts[4] + 4);
    expect(next.totals.unassignedAccounts).toBe(p.totals.unassignedAccounts - 1);
    expectConsistent(next);
  });

  it("skips accounts already in the target; moving nothing returns the same plan", () => {
    const p = plan(100, 5);
    const r = moveAccounts(p, [p.table.ids[4]], "t4");
    expect(r.plan).toBe(p);
    expect(r.changed.length).toBe(0);
  });

  it("unassigns with a null target and refuses unknown accounts and territories with a message", () => {
    const p = plan(100, 5);
    const r = moveAccounts(p, [p.table.ids[0]], null);
    expect(r.plan.assignment[0]).toBe(-1);
    expectConsistent(r.plan);
    expect(() => moveAccounts(p, ["not-in-plan"], "t1")).toThrow(/1 account\(s\) are not in this plan/);
    expect(() => moveAccounts(p, [p.table.ids[0]], "nope")).toThrow(PlanError);
    expect(() => movePositions(p, [1000], "t1")).toThrow(/outside the plan/);
  });

  it("renames, assigns reps and validates names", () => {
    const p = plan(10, 3);
    const [rep] = guids(1, 42);
    const q = assignRep(renameTerritory(p, "t1", "  North  "), "t1", rep.toUpperCase());
    expect(q.territories[1]).toMatchObject({ name: "North", repId: rep });
    expect(p.territories[1].name).toBe("T1");
    expect(assignRep(q, "t1", null).territories[1].repId).toBeNull();
    expect(() => renameTerritory(p, "t1", "   ")).toThrow(/needs a name/);
    expect(() => renameTerritory(p, "t1", "x".repeat(201))).toThrow(/200 characters/);
  });

  it("deletes a territory: its accounts become unassigned (counted), later indexes shift", () => {
    const p = plan(1000, 5);
    const held = p.totals.accounts[2];
    const last = p.assignment.findIndex((t) => t === 4);
    const r = deleteTerritory(p, "t2");
    expect(r.unassigned).toBe(held);
    expect(r.changed.length).toBe(held);
    expect(r.plan.territories.map((t) => t.key)).toEqual(["t0", "t1", "t3", "t4"]);
    expect(r.plan.assignment[last]).toBe(3);
    expect(r.plan.totals.unassignedAccounts).toBe(p.totals.unassignedAccounts + held);
    expectConsistent(r.plan);
    expect(accountsIn(r.plan, "t4")).toEqual(accountsIn(p, "t4"));
  });

  it("adds a territory and moves accounts into it", () => {
    const p = addTerritory(plan(100, 2), { key: "new", name: "New", color: "#123456", repId: null, territoryId: null });
    expect(p.territories).toHaveLength(3);
    const r = moveAccounts(p, p.table.ids.slice(0, 10), "new");
    expect(r.plan.totals.accounts[2]).toBe(10);
    expectConsistent(r.plan);
    expect(() => addTerritory(p, { key: "new", name: "Again", color: "#000000", repId: null, territoryId: null })).toThrow(/used twice/);
  });

  it("locks accounts", () => {
    const p = plan(10, 2);
    const q = setAccountsLocked(p, [p.table.ids[3]], true);
    expect(q.accountLocks[3]).toBe(1);
    expect(p.accountLocks[3]).toBe(0);
  });
});

describe("totals, targets and deviation", () => {
  it("uses the mean as the target unless one is set, and reports deviations per measure", () => {
    const table = buildAccountTable(accounts(4), MEASURES);
    const p = createPlan(table, territories(2), Int32Array.from([0, 0, 0, 1]));
    const rows = territoryRows(p);
    expect(rows.map((r) => r.accounts)).toEqual([3, 1]);
    expect(rows[0].target[ACCOUNTS]).toBe(2);
    expect(rows[0].deviation[ACCOUNTS]).toBeCloseTo(0.5);
    expect(rows[1].deviation[ACCOUNTS]).toBeCloseTo(-0.5);
    const workload = table.values[1];
    expect(rows[0].values[1]).toBe(workload[0] + workload[1] + workload[2]);
    const q = setTarget(p, ACCOUNTS, 4);
    expect(targetsOf(q)[ACCOUNTS]).toBe(4);
    expect(territoryRows(q)[1].deviation[ACCOUNTS]).toBeCloseTo(-0.75);
    expect(() => setTarget(p, "nope", 1)).toThrow(/Unknown measure/);
    expect(() => setTarget(p, ACCOUNTS, 0)).toThrow(/positive/);
    expect(targetsOf(setTarget(q, ACCOUNTS, null))[ACCOUNTS]).toBe(2);
  });
});

describe("drafts", () => {
  it("round-trips through a Draft: territories, assignments, locks, targets, lineage", () => {
    const p = setTarget(assignRep(plan(500, 4), "t0", guids(1, 5)[0]), ACCOUNTS, 120);
    const draft = toDraft(p, "Q3 plan");
    expect(validateDraft(draft)).toEqual([]);
    expect(draft.id).toBeUndefined();
    expect(draft.territories[0].totals[ACCOUNTS]).toBe(p.totals.accounts[0]);
    const saved = { ...draft, id: guids(1, 77)[0], saveToken: "tok" };
    const back = fromDraft(p.table, saved, { saved: true });
    expect(back.missing).toBe(0);
    expect(back.added).toBe(0);
    expect(Array.from(back.plan.assignment)).toEqual(Array.from(p.assignment));
    expect(back.plan.territories[0].repId).toBe(p.territories[0].repId);
    expect(back.plan.targets[ACCOUNTS]).toBe(120);
    expect(back.plan.source).toMatchObject({ draftId: saved.id, saveToken: "tok", name: "Q3 plan" });
    expect(back.plan.dirty).toBe(false);
    // toDraft of a plan from a saved draft carries id and token (overwrite + conflict detection).
    expect(toDraft(back.plan)).toMatchObject({ id: saved.id, saveToken: "tok", name: "Q3 plan" });
  });

  it("reconciles: accounts deleted since are counted as missing, accounts created since are unassigned", () => {
    const p = plan(200, 4);
    const draft = toDraft(p, "old");
    const today = buildAccountTable([...accounts(200).slice(10), ...accounts(5, 99)], MEASURES);
    const r = fromDraft(today, draft, { saved: false });
    expect(r.missing).toBe(10);
    expect(r.added).toBe(5);
    expect(r.plan.totals.unassignedAccounts).toBeGreaterThanOrEqual(5);
    expect(r.plan.dirty).toBe(true);
    expect(r.plan.source?.draftId).toBeNull();
  });

  it("a combined replot keeps the lineage (parent = first source) and is not tied to a stored draft", () => {
    const p = plan(300, 4);
    const a = { ...toDraft(p, "A"), id: guids(1, 11)[0] };
    const b = { ...toDraft(p, "B"), id: guids(1, 12)[0] };
    const combined = replotTerritories(
      [
        { draft: a, keys: ["t0"] },
        { draft: b, keys: ["t1"] },
      ],
      "A + B",
    );
    const r = fromDraft(p.table, combined.draft, {
      saved: false,
      fromDrafts: [
        { id: a.id, name: "A", version: 1 },
        { id: b.id, name: "B", version: 1 },
      ],
    });
    expect(r.plan.source).toMatchObject({ draftId: null, parentId: a.id });
    expect(r.plan.territories.map((t) => t.key)).toEqual(["t0", "t1"]);
    expect(r.plan.totals.accounts[0]).toBe(p.totals.accounts[0]);
  });

  it("markSaved clears the dirty flag and records the new source", () => {
    const p = moveAccounts(plan(50, 2), [guids(50, 3)[0]], "t1").plan;
    const s = markSaved(p, {
      draftId: "x",
      saveToken: "t",
      name: "n",
      version: 2,
      parentId: null,
      fromDrafts: [],
      notes: "",
      balancingSettings: null,
    });
    expect(s.dirty).toBe(false);
    expect(s.source?.version).toBe(2);
  });

  it("compare of two plans counts exactly the moved accounts", () => {
    const p = plan(1000, 5);
    const moved = p.table.ids.slice(100, 130);
    const q = moveAccounts(p, moved, "t3").plan;
    const c = compareDrafts(toDraft(p, "a"), toDraft(q, "b"));
    const really = moved.filter((id) => p.assignment[p.table.index.get(id) as number] !== 3);
    expect(c.moved.count).toBe(really.length);
  });
});

describe("live state", () => {
  it("one territory per Dynamics territory; unknown territory ids get their own territory; not dirty", () => {
    const table = buildAccountTable(accounts(4), MEASURES);
    const p = planFromLiveState(
      table,
      [{ id: "AAA", name: "West", managerId: null }],
      ["aaa", null, "zzz", "aaa"],
      () => "#111111",
      (id) => `Unknown ${id}`,
    );
    expect(p.territories.map((t) => [t.key, t.name])).toEqual([
      ["aaa", "West"],
      ["zzz", "Unknown zzz"],
    ]);
    expect(Array.from(p.assignment)).toEqual([0, -1, 1, 0]);
    expect(p.dirty).toBe(false);
    expect(p.source).toBeNull();
  });
});
