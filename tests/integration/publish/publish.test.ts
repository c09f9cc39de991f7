/**
 * Publishing against the local Dataverse over HTTP: every check reads the server's store afterwards (territory of
 * each account, territories, plan status, the publish log), not what the publisher reports.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSolutionSource } from "../../../solution/model";
import { rolePrivileges } from "../../../solution/generate";
import { publishPlan, PublishLogStatus } from "../../../dataverse/publish/publishPlan";
import { PlanStatusValue } from "../../../dataverse/drafts/DraftRepository";
import { DataverseError } from "../../../dataverse/client/DataverseHttpClient";
import type { DataverseServer } from "../../../local/dataverse";
import { client, planStatus, saveMovingDraft, startPublishServer, versions, wrongAccounts } from "./helpers";

jest.setTimeout(30_000);
const ACCOUNTS = 5000;

function roleFor(name: string): { name: string; privileges: Record<string, "Basic" | "Local" | "Deep" | "Global"> } {
  const source = loadSolutionSource();
  const role = source.roles.find((r) => r.name === name);
  if (!role) throw new Error(`role ${name} not in the solution`);
  return { name, privileges: Object.fromEntries(rolePrivileges(source, role)) as Record<string, "Basic" | "Local" | "Deep" | "Global"> };
}

function logs(server: DataverseServer, planId: string): Record<string, unknown>[] {
  return [...server.service.store.rows("tmap_publishlog")].filter((l) => l.tmap_planid === planId);
}

describe("publish a plan", () => {
  let server: DataverseServer;
  beforeEach(async () => {
    server = await startPublishServer({ accounts: ACCOUNTS });
  });
  afterEach(async () => {
    await server.close();
  });

  test("writes exactly the plan in ~10 requests; publishing twice writes nothing; the previous plan is archived", async () => {
    const store = server.service.store;
    const previous = await saveMovingDraft(server, { name: "Old plan" });
    store.update("tmap_plan", previous.planId, { tmap_status: PlanStatusValue.Published });
    const fx = await saveMovingDraft(server, { ownersFollowTerritories: true });
    expect(wrongAccounts(store, fx.expected).length).toBe(fx.moved.length);
    server.service.resetStats();
    const progress: number[] = [];
    const r = await publishPlan({ client: client(server), planId: fx.planId, onProgress: (p) => progress.push(p.accountsWritten) });
    expect(r.status).toBe("published");
    expect(server.service.stats().requests).toBeLessThanOrEqual(12);
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
    for (const [id, owner] of fx.expectedOwner) expect(store.get("account", id)?.ownerid).toBe(owner);
    const created = [...store.rows("territory")].filter((t) => t.name === "North Star");
    expect(created.map((t) => t.territoryid)).toEqual([fx.createdTerritoryId]);
    expect(created[0].managerid).toBe(fx.managerId);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Published);
    expect(planStatus(store, previous.planId)).toBe(PlanStatusValue.Archived);
    expect(progress[progress.length - 1]).toBe(fx.moved.length);
    const [log] = logs(server, fx.planId);
    expect(log).toMatchObject({
      tmap_status: PublishLogStatus.Succeeded,
      tmap_plannedcount: fx.moved.length,
      tmap_writtencount: fx.moved.length,
      tmap_failedcount: 0,
      tmap_territorycreatedcount: 1,
    });
    expect(log.tmap_requestedby).toBe(server.service.currentUserId());
    expect(log.tmap_finishedon).toBeTruthy();

    const accountsBefore = versions(store, "account");
    const territoriesBefore = versions(store, "territory");
    server.service.resetStats();
    const again = await publishPlan({ client: client(server), planId: fx.planId });
    expect(again.status).toBe("nothing-to-do");
    expect(again.counts.accountWrites).toBe(0);
    expect(versions(store, "account")).toEqual(accountsBefore);
    expect(versions(store, "territory")).toEqual(territoriesBefore);
    expect(logs(server, fx.planId)).toHaveLength(1);
    expect(server.service.stats().byMethod.PATCH ?? 0).toBe(0);
  });

  test("every 3rd request throttled (429 + Retry-After): still exactly the plan", async () => {
    const fx = await saveMovingDraft(server);
    server.service.faults.set({ throttle: { everyNth: 3, retryAfterSeconds: 1 } });
    const started = Date.now();
    const r = await publishPlan({ client: client(server), planId: fx.planId, batchSize: 500 });
    server.service.faults.clear();
    expect(r.status).toBe("published");
    expect(server.service.stats().throttled).toBeGreaterThan(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After was waited for
    expect(wrongAccounts(server.service.store, fx.expected)).toEqual([]);
  });

  test("5xx on bulk writes is retried; dropped connections interrupt, and the resume ends in the planned state", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server, { ownersFollowTerritories: true });
    server.service.faults.set({ failNext: { count: 2, status: 503, match: "UpdateMultiple" } });
    let dropped = false;
    const first = await publishPlan({
      client: client(server, { maxRetries: 0 }),
      planId: fx.planId,
      batchSize: 400,
      concurrency: 2,
      maxAttempts: 3,
      retryDelayMs: 10,
      onProgress: (p) => {
        if (!dropped && p.accountsWritten >= 1600) {
          dropped = true;
          server.service.faults.set({ dropConnectionNext: { count: 1000, match: "UpdateMultiple" } });
        }
      },
    });
    expect(first.status).toBe("interrupted");
    expect(first.written.accounts).toBeGreaterThanOrEqual(1600);
    expect(wrongAccounts(store, fx.expected).length).toBeGreaterThan(0);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Publishing);
    expect(logs(server, fx.planId)[0].tmap_status).toBe(PublishLogStatus.Running);

    server.service.faults.clear();
    const resumed = await publishPlan({ client: client(server), planId: fx.planId });
    expect(resumed.status).toBe("published");
    expect(resumed.resumed).toBe(true);
    expect(resumed.counts.accountWrites).toBe(fx.moved.length - first.written.accounts);
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
    expect(logs(server, fx.planId)).toHaveLength(1);
    expect(logs(server, fx.planId)[0].tmap_status).toBe(PublishLogStatus.Succeeded);
  });

  test("cancel (AbortSignal) stops between requests; the log says Cancelled and the resume finishes the plan", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server);
    const controller = new AbortController();
    const r = await publishPlan({
      client: client(server),
      planId: fx.planId,
      batchSize: 500,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.accountsWritten >= 1000) controller.abort();
      },
    });
    expect(r.status).toBe("cancelled");
    expect(r.written.accounts).toBeLessThan(fx.moved.length);
    expect(logs(server, fx.planId)[0]).toMatchObject({ tmap_status: PublishLogStatus.Cancelled, tmap_writtencount: r.written.accounts });
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Publishing);
    const resumed = await publishPlan({ client: client(server), planId: fx.planId });
    expect(resumed).toMatchObject({ status: "published", resumed: true });
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
  });

  test("undecided conflicts stop the publish; keep / overwrite are applied per account", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server);
    // Someone moves 6 accounts in Dynamics after the draft was made (to a territory the plan does not give them).
    const changed = fx.moved.slice(0, 6);
    for (const id of changed) {
      const other = [...store.rows("territory")].find(
        (t) => t.territoryid !== fx.expected.get(id) && t.territoryid !== store.get("account", id)?.territoryid,
      );
      store.update("account", id, { territoryid: other?.territoryid });
    }
    const manual = new Map(changed.map((id) => [id, store.get("account", id)?.territoryid]));
    const before = versions(store, "account");
    const r = await publishPlan({ client: client(server), planId: fx.planId });
    expect(r.status).toBe("conflicts");
    expect(r.conflicts.map((c) => c.accountId).sort()).toEqual([...changed].sort());
    expect(r.conflicts[0]).toMatchObject({ decision: null, liveTerritoryId: manual.get(r.conflicts[0].accountId) });
    expect(versions(store, "account")).toEqual(before);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Draft);

    const keep = changed.slice(0, 2);
    const done = await publishPlan({
      client: client(server),
      planId: fx.planId,
      conflictPolicy: { all: "overwrite", byAccount: Object.fromEntries(keep.map((id) => [id, "keep" as const])) },
    });
    expect(done.status).toBe("published");
    expect(done.counts).toMatchObject({ conflicts: 6, keptConflicts: 2, unresolvedConflicts: 0 });
    for (const id of keep) expect(store.get("account", id)?.territoryid).toBe(manual.get(id));
    expect(wrongAccounts(store, fx.expected).sort()).toEqual([...keep].sort());
    expect(logs(server, fx.planId)[0]).toMatchObject({ tmap_conflictcount: 6, tmap_keptcount: 2 });
  });

  test("missing privileges: Publish is refused with the reason, and writes fail with Dataverse's error", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server);
    const viewer = [...store.rows("systemuser")]
      .map((u) => String(u.systemuserid))
      .find((id) => id !== server.service.currentUserId()) as string;
    server.service.privileges.setUserRoles(viewer, [roleFor("Territory Viewer")]);
    const before = versions(store, "account");
    const r = await publishPlan({ client: client(server), planId: fx.planId, userId: viewer, impersonate: true });
    expect(r.status).toBe("forbidden");
    expect(r.missingPrivileges.map((p) => p.name)).toEqual(
      expect.arrayContaining(["prvWriteAccount", "prvWriteTerritory", "prvCreateTerritory", "prvWritetmap_plan"]),
    );
    expect(r.message).toMatch(/change accounts \(prvWriteAccount\)/);
    expect(versions(store, "account")).toEqual(before);
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Draft);

    // The stand-in enforces it like Dataverse: 403, 0x80040220, "is missing prvWriteAccount privilege".
    const id = fx.moved.find((a) => fx.expected.get(a) !== fx.createdTerritoryId) as string;
    const err = await client(server)
      .send({
        method: "POST",
        url: "accounts/Microsoft.Dynamics.CRM.UpdateMultiple",
        idempotent: false,
        headers: { MSCRMCallerID: viewer },
        body: JSON.stringify({
          Targets: [
            {
              "@odata.type": "Microsoft.Dynamics.CRM.account",
              accountid: id,
              "territoryid@odata.bind": `/territories(${fx.expected.get(id)})`,
            },
          ],
        }),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseError);
    expect(err).toMatchObject({ status: 403, code: "0x80040220" });
    expect((err as Error).message).toMatch(new RegExp(`Principal user \\(Id=${viewer}.*is missing prvWriteAccount privilege`));
    const privileges = await client(server)
      .send({ method: "GET", url: `systemusers(${viewer})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`, idempotent: true })
      .then((x) => x.json() as Promise<{ RolePrivileges: { PrivilegeName: string; Depth: string }[] }>);
    expect(privileges.RolePrivileges).toContainEqual(expect.objectContaining({ PrivilegeName: "prvReadAccount", Depth: "Global" }));
    expect(privileges.RolePrivileges.map((p) => p.PrivilegeName)).not.toContain("prvWriteAccount");

    // The Territory Planner role carries everything a publish needs (this plan also creates a territory).
    server.service.privileges.setUserRoles(viewer, [roleFor("Territory Planner")]);
    const planner = await publishPlan({ client: client(server), planId: fx.planId, userId: viewer, impersonate: true });
    expect(planner.missingPrivileges).toEqual([]);
    expect(planner.status).toBe("published");
    expect(wrongAccounts(store, fx.expected)).toEqual([]);
  });

  // A change set that fails fails the whole $batch with 400 and the failing request's error inside
  // (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api):
  // publish reports that request's Dataverse error, as it would against a real environment.
  test("a failing change set is reported with the inner request's code and message", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server);
    // The publish log's requestedby points at a user that does not exist: its create fails inside the start change set.
    const missingUser = "0000dead-0000-0000-0000-000000000001";
    const r = await publishPlan({ client: client(server), planId: fx.planId, userId: missingUser });
    expect(r.status).toBe("interrupted");
    expect(r.message).toBe(`The publish could not start: systemuser With Id = ${missingUser} Does Not Exist`);
    expect(r.message).not.toContain("batchresponse");
    expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Draft);
  });

  test("records Dataverse rejects are isolated and logged with its message; the rest is published", async () => {
    const store = server.service.store;
    const fx = await saveMovingDraft(server, { ownersFollowTerritories: true });
    // One account of the plan is deleted in Dynamics; one rep was deleted too (his accounts' owner write fails).
    const deleted = fx.moved[1];
    store.delete("account", deleted);
    const victimRep = [...fx.expectedOwner.values()].find((rep) => rep !== fx.managerId) as string;
    const victims = fx.moved.filter(
      (id) => id !== deleted && fx.expectedOwner.get(id) === victimRep && store.get("account", id)?.ownerid !== victimRep,
    );
    for (const t of [...store.rows("territory")].filter((x) => x.managerid === victimRep))
      store.update("territory", String(t.territoryid), { managerid: null });
    for (const u of [...store.rows("systemuser")].filter((x) => x.territoryid && x.systemuserid === victimRep))
      store.update("systemuser", String(u.systemuserid), { territoryid: null });
    store.delete("systemuser", victimRep);
    // And one account points at a territory that no longer exists: not found by territory, read by id, overwritten.
    const dangling = fx.moved.find((id) => id !== deleted && !victims.includes(id)) as string;
    store.update("account", dangling, { territoryid: "0000dead-0000-4000-8000-000000000000" });
    const r = await publishPlan({ client: client(server), planId: fx.planId, batchSize: 250, conflictPolicy: "overwrite" });
    expect(r.status).toBe("partial");
    expect(r.counts.missing).toBe(1);
    expect(r.conflicts.map((c) => c.accountId)).toEqual([dangling]);
    expect(store.get("account", dangling)?.territoryid).toBe(fx.expected.get(dangling));
    const accountFailures = r.failures.filter((f) => f.table === "account");
    expect(accountFailures.map((f) => f.id).sort()).toEqual([...victims].sort());
    expect(accountFailures[0].message).toMatch(new RegExp(`systemuser With Id = ${victimRep} Does Not Exist`));
    const expectedOk = new Map([...fx.expected].filter(([id]) => id !== deleted && !victims.includes(id)));
    expect(wrongAccounts(store, expectedOk)).toEqual([]);
    const [log] = logs(server, fx.planId);
    expect(log.tmap_status).toBe(PublishLogStatus.PartiallySucceeded);
    const stored = JSON.parse(String(log.tmap_failures)) as { total: number; failures: { id: string; message: string }[] };
    expect(stored.failures.filter((f) => victims.includes(f.id))).toHaveLength(victims.length);
    expect(stored.failures.find((f) => f.id === victims[0])?.message).toMatch(/Does Not Exist/);
  });
});

describe("server killed mid-publish", () => {
  test("resume after a restart ends in exactly the planned state, without duplicate territories", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tmap-publish-"));
    const dbPath = join(dir, "dataverse.sqlite");
    let server = await startPublishServer({ accounts: ACCOUNTS, dbPath });
    try {
      const fx = await saveMovingDraft(server, { ownersFollowTerritories: true });
      const port = server.port;
      let killed: Promise<void> | null = null;
      const first = await publishPlan({
        client: client(server, { maxRetries: 0 }),
        planId: fx.planId,
        batchSize: 300,
        concurrency: 3,
        maxAttempts: 2,
        retryDelayMs: 20,
        onProgress: (p) => {
          if (!killed && p.accountsWritten >= 1500) killed = server.close();
        },
      });
      await killed;
      expect(first.status).toBe("interrupted");
      server = await startPublishServer({ accounts: ACCOUNTS, dbPath, port, seed: false });
      const store = server.service.store;
      const wrongBefore = wrongAccounts(store, fx.expected).length;
      expect(wrongBefore).toBeGreaterThan(0);
      expect(wrongBefore).toBeLessThan(fx.moved.length);
      expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Publishing);
      const resumed = await publishPlan({ client: client(server), planId: fx.planId });
      expect(resumed.status).toBe("published");
      expect(resumed.counts.territoryCreates).toBe(0); // created before the crash, found again by its id
      expect(wrongAccounts(store, fx.expected)).toEqual([]);
      expect([...store.rows("territory")].filter((t) => t.name === "North Star")).toHaveLength(1);
      for (const [id, owner] of fx.expectedOwner) expect(store.get("account", id)?.ownerid).toBe(owner);
      expect(planStatus(store, fx.planId)).toBe(PlanStatusValue.Published);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
