/**
 * Publishing with privileges held at a depth that does not reach every account, and a publish that ends partial.
 * Dataverse's access levels (User = Basic: records the user or their teams own; Business Unit = Local; Parent: Child
 * Business Units = Deep; Organization = Global):
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/security-concepts
 * Every check reads the stand-in's store, not what publishPlan reports.
 */
import { loadSolutionSource } from "../../../solution/model";
import { rolePrivileges } from "../../../solution/generate";
import { publishPlan, PublishLogStatus } from "../../../dataverse/publish/publishPlan";
import { PlanStatusValue } from "../../../dataverse/drafts/DraftRepository";
import type { DataverseServer } from "../../../local/dataverse";
import { client, planStatus, saveMovingDraft, startPublishServer, versions, wrongAccounts } from "./helpers";

jest.setTimeout(60_000);
const ACCOUNTS = 3000;
type Depth = "Basic" | "Local" | "Deep" | "Global";

function planner(overrides: Record<string, Depth>): { name: string; privileges: Record<string, Depth> } {
  const source = loadSolutionSource();
  const role = source.roles.find((r) => r.name === "Territory Planner");
  if (!role) throw new Error("Territory Planner not in the solution");
  return {
    name: "Territory Planner (narrowed)",
    privileges: { ...(Object.fromEntries(rolePrivileges(source, role)) as Record<string, Depth>), ...overrides },
  };
}

function logs(server: DataverseServer, planId: string): Record<string, unknown>[] {
  return [...server.service.store.rows("tmap_publishlog")].filter((l) => l.tmap_planid === planId);
}

describe("publish by privilege depth", () => {
  let server: DataverseServer;
  beforeEach(async () => {
    server = await startPublishServer({ accounts: ACCOUNTS });
  });
  afterEach(async () => {
    await server.close();
  });

  test("account Write at User level: stopped before anything is written, with how many accounts and why", async () => {
    const store = server.service.store;
    const live = await saveMovingDraft(server, { name: "Live plan" });
    store.update("tmap_plan", live.planId, { tmap_status: PlanStatusValue.Published });
    const fx = await saveMovingDraft(server);
    // The planner owns a few of the accounts the plan moves; the rest belong to the reps.
    const plannerId = [...store.rows("systemuser")].map((u) => String(u.systemuserid)).find((id) => id !== server.service.currentUserId())!;
    const own = fx.moved.slice(0, 7);
    for (const id of own) store.update("account", id, { ownerid: plannerId });
    // accounts an owner team of the planner owns (the sample org's Strategic Accounts) count as the planner's own
    const teams = new Set([...store.rows("teammembership")].filter((m) => m.systemuserid === plannerId).map((m) => String(m.teamid)));
    const foreign = fx.moved.filter((id) => {
      const owner = String(store.get("account", id)?.ownerid);
      return owner !== plannerId && !teams.has(owner);
    }).length;
    server.service.privileges.setUserRoles(plannerId, [planner({ prvWriteAccount: "Basic" })]);
    const before = versions(store, "account");
    const territoriesBefore = versions(store, "territory");

    const r = await publishPlan({ client: client(server), planId: fx.planId, userId: plannerId, impersonate: true });
    expect(r.status).toBe("forbidden");
    expect(r.missingPrivileges).toEqual([]);
    expect(r.outOfReach).toHaveLength(1);
    expect(r.outOfReach[0]).toMatchObject({ depth: "Basic", total: fx.moved.length, outOfReach: foreign });
    expect(r.outOfReach[0].privilege.name).toBe("prvWriteAccount");
    expect(r.message).toContain(`only at User level`);
    expect(r.message).toContain(`${foreign.toLocaleString("en-US")} of the ${fx.moved.length.toLocaleString("en-US")} accounts`);
    expect(r.message).toContain("Nothing was written");
    // Nothing written anywhere: accounts, territories, plan status, no publish log; the live plan stays live.
    expect(versions(store, "account")).toEqual(before);
    expect(versions(store, "territory")).toEqual(territoriesBefore);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Draft);
    expect(logs(server, fx.planId)).toEqual([]);
    expect(planStatus(store, live.planId)).toBe(PlanStatusValue.Published);

    // Business Unit level reaches every account of the planner's unit (the stand-in has one): the publish goes through.
    server.service.privileges.setUserRoles(plannerId, [planner({ prvWriteAccount: "Local" })]);
    const local = await publishPlan({ client: client(server), planId: fx.planId, userId: plannerId, impersonate: true });
    expect(local.outOfReach).toEqual([]);
    expect(local.status).toBe("published");
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
  });

  test("account Write at User level reaches the accounts an owner team of the planner owns", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server);
    const plannerId = [...store.rows("systemuser")].map((u) => String(u.systemuserid)).find((id) => id !== server.service.currentUserId())!;
    // An owner team of the planner owns every account the plan moves but a few the planner owns.
    const teamId = "7ea3f000-0000-4000-8000-000000000001";
    store.create("team", { teamid: teamId, name: "Planner's team", teamtype: 0 });
    store.create("teammembership", { teammembershipid: "7ea3f000-0000-4000-8000-000000000002", teamid: teamId, systemuserid: plannerId });
    fx.moved.forEach((id, i) => store.update("account", id, { ownerid: i < 7 ? plannerId : teamId }));
    server.service.privileges.setUserRoles(plannerId, [planner({ prvWriteAccount: "Basic" })]);
    const r = await publishPlan({ client: client(server), planId: fx.planId, userId: plannerId, impersonate: true });
    expect(r.outOfReach).toEqual([]);
    expect(r.status).toBe("published");
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
  });

  test("a publish with rejected records is Partially published, the live plan stays live, and Resume completes it", async () => {
    const store = server.service.store;
    const live = await saveMovingDraft(server, { name: "Live plan" });
    store.update("tmap_plan", live.planId, { tmap_status: PlanStatusValue.Published });
    const fx = await saveMovingDraft(server, { ownersFollowTerritories: true });
    // One rep was deleted: writing their accounts' owner fails for those records only.
    const victimRep = [...fx.expectedOwner.values()].find((rep) => rep !== fx.managerId)!;
    const victims = fx.moved.filter((id) => fx.expectedOwner.get(id) === victimRep && store.get("account", id)?.ownerid !== victimRep);
    expect(victims.length).toBeGreaterThan(0);
    const repRow = { ...store.get("systemuser", victimRep)! };
    for (const t of [...store.rows("territory")].filter((x) => x.managerid === victimRep))
      store.update("territory", String(t.territoryid), { managerid: null });
    store.update("systemuser", victimRep, { territoryid: null });
    store.delete("systemuser", victimRep);

    const r = await publishPlan({ client: client(server), planId: fx.planId, conflictPolicy: "overwrite" });
    expect(r.status).toBe("partial");
    expect(r.message).toMatch(/Partially published/);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.PartiallyPublished);
    expect(planStatus(store, live.planId)).toBe(PlanStatusValue.Published); // not archived
    const [log] = logs(server, fx.planId);
    expect(log.tmap_status).toBe(PublishLogStatus.PartiallySucceeded);
    expect(String(log.tmap_message)).toMatch(/rejected \d+ records/);

    // The rep is back; Resume writes only what is missing and only then archives the previous plan.
    store.insertMany("systemuser", [
      Object.fromEntries(Object.entries(repRow).filter(([k]) => !["versionnumber", "createdon", "modifiedon", "territoryid"].includes(k))),
    ]);
    const resumed = await publishPlan({ client: client(server), planId: fx.planId, conflictPolicy: "overwrite" });
    expect(resumed.status).toBe("published");
    expect(resumed.resumed).toBe(true);
    expect(resumed.written.accounts).toBe(victims.length);
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Published);
    expect(planStatus(store, live.planId)).toBe(PlanStatusValue.Archived);
    const after = logs(server, fx.planId);
    expect(after).toHaveLength(1);
    expect(after[0].tmap_status).toBe(PublishLogStatus.Succeeded);
    expect(after[0].tmap_message ?? null).toBeNull();
  });

  test("owners follow territories is read from the assignment settings (the top level of older plans as a fallback)", async () => {
    const { ownersFollowTerritories } = await import("../../../dataverse/publish/publishPlan");
    expect(ownersFollowTerritories({ assignment: { ownersFollowTerritories: true } })).toBe(true);
    expect(ownersFollowTerritories({ assignment: { ownersFollowTerritories: false }, ownersFollowTerritories: true })).toBe(false);
    expect(ownersFollowTerritories({ ownersFollowTerritories: true })).toBe(true);
    expect(ownersFollowTerritories(null)).toBe(false);
  });
});
