/**
 * The working plan and publishing (domain/workspace/published.ts): the baseline a saved draft records, the plan and
 * the live territories after a publish, and published drafts whose created territories get their Dynamics ids.
 * Checked against domain/publish planPublish where it matters (conflicts found / not found, nothing created twice).
 */
import {
  PlanError,
  baselineOf,
  buildAccountTable,
  createPlan,
  fromDraft,
  linkPublishedTerritories,
  liveAfterPublish,
  markSaved,
  moveAccounts,
  toDraft,
  withPublishedTerritoryIds,
  type LiveTerritories,
  type PlanTerritory,
  type WorkingPlan,
} from "../../../TerritoryMapControl/domain/workspace";
import { planPublish, publishedTerritoryId, type LiveState } from "../../../TerritoryMapControl/domain/publish";
import type { Draft } from "../../../TerritoryMapControl/domain/drafts";
import { guids } from "../drafts/builders";

const N = 60;
const ACCOUNT_IDS = guids(N, 11);
const DYNAMICS = guids(3, 12); // three Dynamics territories
const PLAN_ID = guids(1, 13)[0];

/** Live state: account i is in Dynamics territory i % 3, every 10th has none. */
function liveIds(): (string | null)[] {
  return ACCOUNT_IDS.map((_, i) => (i % 10 === 0 ? null : DYNAMICS[i % 3]));
}

/** A saved plan: the three Dynamics territories plus "new" (territoryId null); accounts 0..9 moved to "new". */
function savedPlan(): WorkingPlan {
  const table = buildAccountTable(
    ACCOUNT_IDS.map((id, i) => ({ id, name: `A${i}`, latitude: 40, longitude: -90, measures: [] })),
    [],
  );
  const territories: PlanTerritory[] = [
    ...DYNAMICS.map((id, i) => ({
      key: id,
      name: `T${i}`,
      color: "#000000",
      repId: null,
      territoryId: id,
      locked: false,
      geometry: null,
      postalCodes: [],
    })),
    { key: "new", name: "North", color: "#111111", repId: null, territoryId: null, locked: false, geometry: null, postalCodes: [] },
  ];
  const live = liveIds();
  const assignment = Int32Array.from(live, (id) => (id ? DYNAMICS.indexOf(id) : -1));
  let plan = createPlan(table, territories, assignment);
  plan = moveAccounts(plan, ACCOUNT_IDS.slice(1, 10), "new").plan;
  return markSaved(plan, {
    draftId: PLAN_ID,
    saveToken: "tok",
    name: "Plan",
    version: 1,
    parentId: null,
    fromDrafts: [],
    notes: "",
    balancingSettings: null,
    status: "draft",
  });
}

function liveState(territoryOf: (string | null)[], created: { id: string; name: string }[] = []): LiveState {
  return {
    territories: new Map(
      [...DYNAMICS.map((id, i) => ({ id, name: `T${i}` })), ...created].map((t) => [t.id, { ...t, managerId: null, parentId: null }]),
    ),
    accounts: new Map(ACCOUNT_IDS.map((id, i) => [id, { territoryId: territoryOf[i], ownerId: null }])),
  };
}

describe("baseline of a saved draft", () => {
  it("records each account's Dynamics territory when the draft is made, so a later change in Dynamics is a conflict", () => {
    const plan = savedPlan();
    const live: LiveTerritories = { territoryIds: liveIds(), takenOn: "2026-11-22T07:00:00.000Z" };
    const draft = toDraft(plan, "Plan", baselineOf(plan, live));
    expect(draft.baseline?.takenOn).toBe("2026-11-22T07:00:00.000Z");
    expect([...draft.baseline!.territoryIds].sort()).toEqual([...DYNAMICS].sort());
    expect(Array.from(draft.baseline!.territory).filter((b) => b === -1).length).toBe(6); // accounts 0,10,…,50

    // Dynamics unchanged: no conflicts. Account 5 moved in Dynamics (to T2) after the draft: one conflict.
    const today = liveIds();
    expect(planPublish(draft, liveState(today), { planId: PLAN_ID, ownersFollowTerritories: false }).conflicts).toEqual([]);
    today[5] = DYNAMICS[0];
    const r = planPublish(draft, liveState(today), { planId: PLAN_ID, ownersFollowTerritories: false });
    expect(r.conflicts.map((c) => c.accountId)).toEqual([ACCOUNT_IDS[5]]);
    expect(r.conflicts[0]).toMatchObject({
      baselineTerritoryId: DYNAMICS[2],
      liveTerritoryId: DYNAMICS[0],
      plannedTerritoryId: publishedTerritoryId(PLAN_ID, "new"),
    });
  });

  it("refuses live territories of another length, and a draft without a baseline has none", () => {
    const plan = savedPlan();
    expect(() => baselineOf(plan, { territoryIds: [null], takenOn: null })).toThrow(PlanError);
    expect(toDraft(plan).baseline).toBeUndefined();
  });
});

describe("after a publish", () => {
  const createdId = publishedTerritoryId(PLAN_ID, "new");
  const outcome = (over: Partial<Parameters<typeof liveAfterPublish>[2]> = {}) => ({
    planId: PLAN_ID,
    territoryIds: { [DYNAMICS[0]]: DYNAMICS[0], [DYNAMICS[1]]: DYNAMICS[1], [DYNAMICS[2]]: DYNAMICS[2], new: createdId },
    conflicts: [],
    failures: [],
    ...over,
  });

  it("links every territory to its Dynamics territory and marks the plan Published, without making it unsaved", () => {
    const plan = savedPlan();
    const next = linkPublishedTerritories(plan, outcome());
    expect(next.territories.map((t) => t.territoryId)).toEqual([...DYNAMICS, createdId]);
    expect(next.source?.status).toBe("published");
    expect(next.dirty).toBe(false);
    expect(next.revision).toBe(plan.revision + 1);
    expect(next.assignment).toBe(plan.assignment);
    expect(plan.territories[3].territoryId).toBeNull(); // input untouched
    // Another plan's result changes nothing.
    const other = linkPublishedTerritories(plan, { planId: guids(1, 99)[0], territoryIds: {} });
    expect(other).toBe(plan);
  });

  it("a new draft saved from the published plan publishes into the same territories: nothing created twice", () => {
    const plan = savedPlan();
    const published = linkPublishedTerritories(plan, outcome());
    // Dynamics now holds what was published (the created territory included).
    const afterLive = liveAfterPublish(plan, { territoryIds: liveIds(), takenOn: null }, outcome(), "now");
    const childId = guids(1, 77)[0];
    const child = toDraft(moveAccounts(published, [ACCOUNT_IDS[20]], "new").plan, "Child", baselineOf(published, afterLive));
    const r = planPublish(child, liveState([...afterLive.territoryIds], [{ id: createdId, name: "North" }]), {
      planId: childId,
      ownersFollowTerritories: false,
    });
    expect(r.territoryWrites).toEqual([]);
    expect(r.conflicts).toEqual([]);
    expect(r.accountWrites).toEqual([{ accountId: ACCOUNT_IDS[20], territoryId: createdId }]);
    // Without the link the child would create a second "North".
    const unlinked = toDraft(moveAccounts(plan, [ACCOUNT_IDS[20]], "new").plan, "Child");
    const dup = planPublish(unlinked, liveState([...afterLive.territoryIds], [{ id: createdId, name: "North" }]), {
      planId: childId,
      ownersFollowTerritories: false,
    });
    expect(dup.territoryWrites.map((w) => w.kind)).toEqual(["create"]);
  });

  it("live territories after a publish: planned ids, kept conflicts keep Dynamics' value, rejected records and unassigned accounts unchanged", () => {
    const plan = savedPlan();
    const before = liveIds();
    before[5] = DYNAMICS[0]; // changed in Dynamics, the user kept it
    const after = liveAfterPublish(
      plan,
      { territoryIds: before, takenOn: "then" },
      outcome({
        conflicts: [
          { accountId: ACCOUNT_IDS[5], liveTerritoryId: DYNAMICS[0], decision: "keep" },
          { accountId: ACCOUNT_IDS[6], liveTerritoryId: DYNAMICS[1], decision: "overwrite" },
        ],
        failures: [
          { table: "account", id: ACCOUNT_IDS[7].toUpperCase() },
          { table: "territory", id: ACCOUNT_IDS[8] },
        ],
      }),
      "now",
    );
    expect(after.takenOn).toBe("now");
    expect(after.territoryIds[5]).toBe(DYNAMICS[0]);
    expect(after.territoryIds[6]).toBe(createdId);
    expect(after.territoryIds[7]).toBe(before[7]);
    expect(after.territoryIds[8]).toBe(createdId);
    for (let i = 0; i < N; i++) {
      if (plan.assignment[i] < 0) expect(after.territoryIds[i]).toBe(before[i]);
      else if (i > 9) expect(after.territoryIds[i]).toBe(DYNAMICS[plan.assignment[i]]);
    }
    expect(before[6]).toBe(DYNAMICS[0]); // input untouched
    expect(() => liveAfterPublish(plan, { territoryIds: [], takenOn: null }, outcome(), null)).toThrow(PlanError);
  });
});

describe("replotting a published draft", () => {
  function storedDraft(status: Draft["status"]): Draft {
    const d = toDraft(savedPlan(), "Plan");
    return { ...d, status, id: PLAN_ID };
  }

  it("fills the ids of the territories its publish created; drafts never published stay as they are", () => {
    for (const status of ["published", "archived", "publishing"] as const) {
      const linked = withPublishedTerritoryIds(storedDraft(status));
      expect(linked.territories.map((t) => t.territoryId)).toEqual([...DYNAMICS, publishedTerritoryId(PLAN_ID, "new")]);
    }
    const draft = storedDraft("draft");
    expect(withPublishedTerritoryIds(draft)).toBe(draft);
    const unsaved = { ...storedDraft("published"), id: undefined };
    expect(withPublishedTerritoryIds(unsaved)).toBe(unsaved);
  });

  it("the replotted plan keeps the source status, so its changes are saved as a new draft", () => {
    const table = savedPlan().table;
    const r = fromDraft(table, withPublishedTerritoryIds(storedDraft("published")), { saved: true });
    expect(r.plan.source?.status).toBe("published");
    expect(r.plan.territories[3].territoryId).toBe(publishedTerritoryId(PLAN_ID, "new"));
    const combined = fromDraft(table, storedDraft("published"), { saved: false });
    expect(combined.plan.source?.status).toBe("draft");
  });
});
