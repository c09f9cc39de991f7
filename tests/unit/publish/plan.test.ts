import {
  describeMissing,
  missingPrivileges,
  orderTerritoryWrites,
  planPublish,
  publishedTerritoryId,
  requiredPrivileges,
  sha1,
  uuidv5,
  type LiveAccount,
  type LiveTerritory,
  type PublishableDraft,
} from "../../../TerritoryMapControl/domain/publish";
import { baselineFromTerritoryIds, type DraftTerritory } from "../../../TerritoryMapControl/domain/drafts/model";
import { decodeDraftBody, encodeDraftBody } from "../../../TerritoryMapControl/domain/drafts/codec";

const g = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const PLAN = g(9999);
const T1 = g(101),
  T2 = g(102),
  T3 = g(103),
  OTHER = g(199);
const REP1 = g(201),
  REP2 = g(202);
const A = [g(1), g(2), g(3), g(4), g(5)];

function territory(
  key: string,
  territoryId: string | null,
  repId: string | null,
  name = key,
  extra: Partial<DraftTerritory> = {},
): DraftTerritory {
  return { key, name, color: "#000000", geometry: null, postalCodes: [], repId, territoryId, totals: {}, ...extra };
}

function live(
  territories: LiveTerritory[],
  accounts: [string, LiveAccount][],
): { territories: Map<string, LiveTerritory>; accounts: Map<string, LiveAccount> } {
  return { territories: new Map(territories.map((t) => [t.id, t])), accounts: new Map(accounts) };
}

const liveTerritories: LiveTerritory[] = [
  { id: T1, name: "North", managerId: REP1, parentId: null },
  { id: T2, name: "South", managerId: null, parentId: null },
];

function draft(
  assign: number[],
  baseline: (string | null)[] | null,
  territories = [territory("n", T1, REP1, "North"), territory("s", T2, REP2, "South")],
): PublishableDraft {
  return {
    territories,
    assignments: { accountIds: A.slice(0, assign.length), territory: Int32Array.from(assign), locked: new Uint8Array(assign.length) },
    baseline: baseline ? baselineFromTerritoryIds(A.slice(0, assign.length), baseline) : null,
  };
}

describe("planPublish", () => {
  test("writes only accounts whose territory differs; unchanged accounts and territories are left alone", () => {
    const state = live(liveTerritories, [
      [A[0], { territoryId: T1, ownerId: REP1 }],
      [A[1], { territoryId: T1, ownerId: REP1 }],
      [A[2], { territoryId: null, ownerId: REP1 }],
    ]);
    const p = planPublish(draft([0, 1, 1], [T1, T1, null]), state, { planId: PLAN, ownersFollowTerritories: false });
    expect(p.accountWrites).toEqual([
      { accountId: A[1], territoryId: T2 },
      { accountId: A[2], territoryId: T2 },
    ]);
    expect(p.counts).toMatchObject({ accounts: 3, unchanged: 1, territoryChanges: 2, ownerChanges: 0, conflicts: 0 });
    // South's manager differs (null → REP2): one update with only that field.
    expect(p.territoryWrites).toEqual([
      { kind: "update", id: T2, index: 1, key: "s", fields: { managerId: REP2 }, before: liveTerritories[1] },
    ]);
    expect(p.problems).toEqual([]);
  });

  test("owners follow territories: owner written where it differs, together with the territory", () => {
    const state = live(liveTerritories, [
      [A[0], { territoryId: T1, ownerId: REP2 }],
      [A[1], { territoryId: T1, ownerId: REP1 }],
    ]);
    const p = planPublish(draft([0, 1], [T1, T1]), state, { planId: PLAN, ownersFollowTerritories: true });
    expect(p.accountWrites).toEqual([
      { accountId: A[0], ownerId: REP1 },
      { accountId: A[1], territoryId: T2, ownerId: REP2 },
    ]);
    expect(p.counts).toMatchObject({ territoryChanges: 1, ownerChanges: 2, accountWrites: 2 });
  });

  test("a territory without Dynamics id is created with a deterministic id; its accounts point at that id", () => {
    const state = live(liveTerritories, [[A[0], { territoryId: T1, ownerId: REP1 }]]);
    const d = draft(
      [2],
      [T1],
      [
        territory("n", T1, REP1, "North"),
        territory("s", T2, null, "South"),
        territory("new", null, REP2, " East ", { parentTerritoryId: T1 }),
      ],
    );
    const p1 = planPublish(d, state, { planId: PLAN, ownersFollowTerritories: false });
    const p2 = planPublish(d, state, { planId: PLAN.toUpperCase(), ownersFollowTerritories: false });
    const id = publishedTerritoryId(PLAN, "new");
    expect(p1.territoryIds[2]).toBe(id);
    expect(p2.territoryIds[2]).toBe(id);
    expect(p1.territoryWrites).toEqual([
      { kind: "create", id, index: 2, key: "new", fields: { name: "East", managerId: REP2, parentId: T1 }, before: null },
    ]);
    expect(p1.accountWrites).toEqual([{ accountId: A[0], territoryId: id }]);
    expect(planPublish(d, state, { planId: g(8888), ownersFollowTerritories: false }).territoryIds[2]).not.toBe(id);
  });

  test("the draft's tree sets the parent: a new district under a region, a new rep territory under the new district (created first)", () => {
    const state = live(liveTerritories, [[A[0], { territoryId: T1, ownerId: REP1 }]]);
    const d = draft(
      [3],
      [T1],
      [
        territory("n", T1, REP1, "North"),
        territory("s", T2, null, "South"),
        territory("rep", null, REP2, "Lakes rep", { parentKey: "district" }),
        territory("district", null, null, "Lakes district", { parentKey: "n" }),
      ],
    );
    const p = planPublish(d, state, { planId: PLAN, ownersFollowTerritories: false });
    const district = publishedTerritoryId(PLAN, "district");
    const rep = publishedTerritoryId(PLAN, "rep");
    expect(p.territoryWrites.map((w) => [w.key, w.fields.parentId])).toEqual([
      ["rep", district],
      ["district", T1],
    ]);
    expect(orderTerritoryWrites(p.territoryWrites).map((w) => w.id)).toEqual([district, rep]);
  });

  test("conflicts: moved in Dynamics since the draft; undecided ones are not written, keep / overwrite per account", () => {
    const state = live(liveTerritories, [
      [A[0], { territoryId: OTHER, ownerId: null }], // moved since (baseline T1), plan T2 → conflict
      [A[1], { territoryId: T2, ownerId: null }], //   moved since to exactly the planned territory → no conflict, nothing to write
      [A[2], { territoryId: T1, ownerId: null }], //   unchanged since, plan T2 → plain write
      [A[3], { territoryId: null, ownerId: null }], // cleared since (baseline T1), plan T2 → conflict
    ]);
    const d = draft([1, 1, 1, 1], [T1, T1, T1, T1]);
    const undecided = planPublish(d, state, { planId: PLAN, ownersFollowTerritories: false });
    expect(undecided.conflicts).toEqual([
      { accountId: A[0], baselineTerritoryId: T1, liveTerritoryId: OTHER, plannedTerritoryId: T2, decision: null },
      { accountId: A[3], baselineTerritoryId: T1, liveTerritoryId: null, plannedTerritoryId: T2, decision: null },
    ]);
    expect(undecided.counts.unresolvedConflicts).toBe(2);
    expect(undecided.accountWrites.map((w) => w.accountId)).toEqual([A[2]]);
    const decided = planPublish(d, state, {
      planId: PLAN,
      ownersFollowTerritories: false,
      decisions: { all: "overwrite", byAccount: new Map([[A[3], "keep"]]) },
    });
    expect(decided.counts).toMatchObject({ conflicts: 2, keptConflicts: 1, unresolvedConflicts: 0 });
    expect(decided.accountWrites.map((w) => w.accountId)).toEqual([A[0], A[2]]);
    const keepAll = planPublish(d, state, { planId: PLAN, ownersFollowTerritories: true, decisions: { all: "keep" } });
    // A kept account keeps its owner too; A[1] (already in the planned territory) only gets its owner.
    expect(keepAll.accountWrites).toEqual([
      { accountId: A[1], ownerId: REP2 },
      { accountId: A[2], territoryId: T2, ownerId: REP2 },
    ]);
  });

  test("without a baseline no conflict can be detected (old drafts); the plan says so", () => {
    const state = live(liveTerritories, [[A[0], { territoryId: OTHER, ownerId: null }]]);
    const p = planPublish(draft([1], null), state, { planId: PLAN, ownersFollowTerritories: false });
    expect(p.baselineKnown).toBe(false);
    expect(p.conflicts).toEqual([]);
    expect(p.accountWrites).toEqual([{ accountId: A[0], territoryId: T2 }]);
  });

  test("unassigned accounts keep their territory unless asked to clear it; deleted accounts are listed, not written", () => {
    const state = live(liveTerritories, [[A[0], { territoryId: T1, ownerId: null }]]);
    const d = draft([-1, 0], [T1, T1]);
    const leave = planPublish(d, state, { planId: PLAN, ownersFollowTerritories: false });
    expect(leave.accountWrites).toEqual([]);
    expect(leave.missingAccounts).toEqual([A[1]]);
    expect(leave.counts).toMatchObject({ missing: 1, unchanged: 1 });
    const clear = planPublish(d, state, { planId: PLAN, ownersFollowTerritories: false, unassigned: "clear" });
    expect(clear.accountWrites).toEqual([{ accountId: A[0], territoryId: null }]);
  });

  test("problems block publishing: empty names, bad rep ids, two territories for one Dynamics territory", () => {
    const state = live(liveTerritories, []);
    const p = planPublish(draft([], null, [territory("a", T1, "not-a-guid", " "), territory("b", T1, null, "B")]), state, {
      planId: PLAN,
      ownersFollowTerritories: false,
    });
    expect(p.problems).toEqual([
      "Territory 1 has no name.",
      'The rep of territory "" is not a user id.',
      'Territories " " and "B" both stand for the same Dynamics territory.',
    ]);
  });

  test("100,000 accounts are planned quickly enough for a browser tab (no quadratic work)", () => {
    const n = 100_000;
    const ids = Array.from({ length: n }, (_, i) => g(100_000 + i));
    const accounts = new Map<string, LiveAccount>(ids.map((id) => [id, { territoryId: T1, ownerId: REP1 }]));
    const d: PublishableDraft = {
      territories: [territory("n", T1, REP1, "North"), territory("s", T2, REP2, "South")],
      assignments: { accountIds: ids, territory: Int32Array.from(ids, (_, i) => i % 2), locked: new Uint8Array(n) },
      baseline: baselineFromTerritoryIds(
        ids,
        ids.map(() => T1),
      ),
    };
    const p = planPublish(
      d,
      { territories: new Map(liveTerritories.map((t) => [t.id, t])), accounts },
      { planId: PLAN, ownersFollowTerritories: true },
    );
    expect(p.counts.accountWrites).toBe(n / 2);
    expect(p.accountWrites[0]).toEqual({ accountId: ids[1], territoryId: T2, ownerId: REP2 });
  });
});

describe("orderTerritoryWrites", () => {
  test("a created parent comes before the children that point at it", () => {
    const child = { kind: "create" as const, id: g(2), index: 0, key: "c", fields: { name: "c", parentId: g(1) }, before: null };
    const parent = { kind: "create" as const, id: g(1), index: 1, key: "p", fields: { name: "p" }, before: null };
    expect(orderTerritoryWrites([child, parent]).map((w) => w.key)).toEqual(["p", "c"]);
    const loop = { ...parent, fields: { name: "p", parentId: g(2) } };
    expect(() => orderTerritoryWrites([child, loop])).toThrow(/its own ancestor/);
  });
});

describe("uuidv5 / sha1", () => {
  test("known vectors", () => {
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    expect(hex(sha1(new TextEncoder().encode("abc")))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(hex(sha1(new Uint8Array(0)))).toBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expect(hex(sha1(new TextEncoder().encode("a".repeat(1000))))).toBe("291e9a6c66994949b57ba5e650361e98fc36b1ba");
    expect(uuidv5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });
});

describe("privileges", () => {
  test("required privileges follow what the publish does; missing ones become a readable reason", () => {
    const needs = { createsTerritories: true, updatesTerritories: false, changesAccountTerritories: true, changesOwners: true };
    const names = requiredPrivileges(needs).map((p) => p.name);
    expect(names).toEqual([
      "prvWritetmap_plan",
      "prvCreatetmap_publishlog",
      "prvWritetmap_publishlog",
      "prvCreateTerritory",
      "prvWriteTerritory",
      "prvWriteAccount",
      "prvAppendAccount",
      "prvAppendToTerritory",
      "prvAssignAccount",
    ]);
    const held = names
      .filter((n) => n !== "prvWriteAccount" && n !== "prvCreateTerritory")
      .map((PrivilegeName) => ({ PrivilegeName, Depth: "Global" }));
    const missing = missingPrivileges(requiredPrivileges(needs), held);
    expect(missing.map((m) => m.name)).toEqual(["prvCreateTerritory", "prvWriteAccount"]);
    expect(describeMissing(missing)).toBe(
      "You cannot publish: your security role does not let you create territories (prvCreateTerritory), change accounts (prvWriteAccount).",
    );
    expect(describeMissing([])).toBeNull();
    expect(
      requiredPrivileges({
        createsTerritories: false,
        updatesTerritories: false,
        changesAccountTerritories: false,
        changesOwners: false,
      }).map((p) => p.name),
    ).toEqual(["prvWritetmap_plan", "prvCreatetmap_publishlog", "prvWritetmap_publishlog"]);
  });
});

describe("draft body baseline (codec format 2)", () => {
  test("round-trips with the accounts it belongs to (sorted by id), and bodies without baseline stay format 1", () => {
    const ids = [g(5), g(1), g(3)];
    const assignments = { accountIds: ids, territory: Int32Array.from([0, -1, 0]), locked: new Uint8Array(3) };
    const territories = [territory("n", T1, REP1, "North", { parentTerritoryId: T3 })];
    const baseline = baselineFromTerritoryIds(ids, [T2, null, T1], "2026-01-02T03:04:05Z");
    const encoded = encodeDraftBody({ territories, assignments, baseline });
    const body = decodeDraftBody(encoded.chunks);
    expect(body.assignments.accountIds).toEqual([g(1), g(3), g(5)]);
    const b = body.baseline;
    if (!b) throw new Error("baseline lost");
    const of = (id: string) => {
      const i = body.assignments.accountIds.indexOf(id);
      return b.territory[i] < 0 ? null : b.territoryIds[b.territory[i]];
    };
    expect([of(g(5)), of(g(1)), of(g(3))]).toEqual([T2, null, T1]);
    expect(b.takenOn).toBe("2026-01-02T03:04:05Z");
    expect(body.territories[0].parentTerritoryId).toBe(T3);

    const plain = decodeDraftBody(encodeDraftBody({ territories, assignments }).chunks);
    expect(plain.baseline).toBeUndefined();
    expect(() =>
      encodeDraftBody({ territories, assignments, baseline: { takenOn: null, territoryIds: [T1], territory: Int32Array.from([0, 1, 0]) } }),
    ).toThrow(/baseline territory 1/);
  });
});
