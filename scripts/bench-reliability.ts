/**
 * Reliability of publishing and of the webhook host, probed as an attacker and as a clumsy admin:
 * `npm run bench:reliability [-- --accounts N]`.
 *
 * The local stand-in (in process, in memory) with the sample organisation, a live (published) plan, the handler
 * server with the webhook registered (HttpHeader key), and a second handler instance with no shared memory.
 * Every figure is read from the stand-in's store or from the wire, never from what the handlers report:
 *  - forgedAccepted: deliveries that should have no effect but wrote something (status in the payload ≠ record,
 *    another user's id, an unknown user, a replay on the same and on another instance, the same delivery on two
 *    instances at once). A delivery "wrote" when an account or territory version, the plan status or the publish
 *    logs changed beyond what the one legitimate publish explains.
 *  - partialMarkedPublished: a publish with records Dynamics rejects that ends Published, or archives the live plan.
 *  - stuckPublishing: plans left at Publishing after refused requests (no account write, account Write at User
 *    level) once every delivery and publish has finished.
 *  - unauthenticatedBodyBytesRead: body bytes the host had taken when it refused a request without a key (headers
 *    are sent with Content-Length 7.9 MB and the body only if no answer comes within 2 s).
 *  - oversizeAnswered: 1 when a 9 MB chunked body with the key gets 413 (or 401) as an HTTP answer, not a reset.
 *  - concurrentSavesLost, conformance: the drafts concurrency check (`runConcurrentSaveTrials`,
 *    scripts/bench-drafts-lib.ts) and the stand-in's conformance checks (`runConformance`, scripts/conformance/)
 *    (40 trials; all checks).
 * Last line: one JSON object with these fields.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { startDataverseServer } from "../local/dataverse";
import { developmentTables } from "../local/developmentSchema";
import { seedIfEmpty } from "../local/seed";
import { DataverseHttpClient } from "../dataverse/client/DataverseHttpClient";
import { PlanStatusValue } from "../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../dataverse/drafts/WebApiDraftRepository";
import { publishPlan } from "../dataverse/publish/publishPlan";
import { baselineFromTerritoryIds, type Draft, type DraftTerritory } from "../TerritoryMapControl/domain/drafts/model";
import { createPublishedPlan } from "../plugins/dev/fixture";
import { createHandlerApp } from "../plugins/src/app";
import { loadConfig } from "../plugins/src/config";
import { createDataverseClient } from "../plugins/src/dataverse/client";
import { ServerWebApi } from "../plugins/src/dataverse/ServerWebApi";
import { HttpDraftBulkApi } from "../dataverse/drafts/DraftBulkApi";
import { runConcurrentSaveTrials } from "./bench-drafts-lib";
import { runConformance } from "./conformance/checks";
import { startHandlerServer } from "../plugins/src/server";
import { MAX_BODY_BYTES } from "../plugins/src/webhook/body";
import { rolePrivileges } from "../solution/generate";
import { loadSolutionSource } from "../solution/model";
import { registerWebhooks } from "./register-webhooks";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ACCOUNTS = opt("--accounts", 3000);
const KEY = `bench-${randomUUID()}`;
const HEADER = "x-tmap-webhook-key";
const HANDLER_USER = "7a3f0c1e-5b2d-4e8f-9a61-0c0ffee0a5e1";
type Depth = "Basic" | "Local" | "Deep" | "Global";

async function main(): Promise<void> {
  const dv = await startDataverseServer({ port: 0, dbPath: ":memory:", tables: developmentTables() });
  const store = dv.service.store;
  seedIfEmpty(store, { accounts: ACCOUNTS });
  store.insertMany("systemuser", [{ systemuserid: HANDLER_USER, firstname: "Territory Map", lastname: "handlers", isdisabled: false }]);
  await createPublishedPlan(store, dv.url, { territories: 6, postalCodes: 100, applyAssignments: true }); // the live plan
  const env = {
    TMAP_DATAVERSE_URL: dv.url,
    TMAP_WEBHOOK_KEY: KEY,
    TMAP_HANDLER_USER_ID: HANDLER_USER,
    TMAP_LOCAL_CALLER_ID: HANDLER_USER,
    TMAP_PLAN_CHECK_MS: "0",
    TMAP_DRIFT_DEBOUNCE_MS: "3600000",
  };
  const config = loadConfig(env);
  const handlers = await startHandlerServer({ config, client: createDataverseClient(config) });
  const other = createHandlerApp({ config, client: createDataverseClient(config) });
  const admin = new DataverseHttpClient({ baseUrl: dv.url });
  await registerWebhooks(admin, { url: handlers.url, key: KEY, print: () => undefined });
  const users = [...store.rows("systemuser")].map((u) => String(u.systemuserid)).filter((id) => id !== HANDLER_USER);
  const [adminId, requester, weak] = users;
  const source = loadSolutionSource();
  const plannerPrivileges = Object.fromEntries(
    rolePrivileges(
      source,
      source.roles.find((r) => r.name === "Territory Planner")!,
    ),
  ) as Record<string, Depth>;
  const roles = (overrides: Record<string, Depth | null>) => {
    const p: Record<string, Depth> = { ...plannerPrivileges };
    for (const [k, v] of Object.entries(overrides))
      if (v === null) delete p[k];
      else p[k] = v;
    return [{ name: "Territory Planner (bench)", privileges: p }];
  };

  // ---- a draft moving every account with a rep territory to the next one (owners follow territories)
  const saveDraft = async (name: string): Promise<{ planId: string; moved: number; reps: string[] }> => {
    const territories = [...store.rows("territory")]
      .filter((t) => t.parentterritoryid)
      .sort((a, b) => String(a.territoryid).localeCompare(String(b.territoryid)));
    const index = new Map(territories.map((t, i) => [String(t.territoryid), i]));
    const draftTerritories: DraftTerritory[] = territories.map((t, i) => ({
      key: `rep-${i}`,
      name: String(t.name),
      color: "#336699",
      geometry: null,
      postalCodes: [],
      repId: t.managerid ? String(t.managerid) : null,
      territoryId: String(t.territoryid),
      totals: {},
    }));
    const accountIds: string[] = [];
    const assignment: number[] = [];
    const baseline: (string | null)[] = [];
    let moved = 0;
    for (const a of store.rows("account")) {
      const current = a.territoryid ? index.get(String(a.territoryid)) : undefined;
      accountIds.push(String(a.accountid));
      baseline.push(a.territoryid ? String(a.territoryid) : null);
      if (current === undefined) assignment.push(-1);
      else {
        assignment.push((current + 1) % territories.length);
        moved++;
      }
    }
    const draft: Draft = {
      name,
      version: 1,
      parentId: null,
      status: "draft",
      notes: "",
      balancingSettings: { assignment: { ownersFollowTerritories: true } },
      metrics: null,
      territories: draftTerritories,
      assignments: { accountIds, territory: Int32Array.from(assignment), locked: new Uint8Array(accountIds.length) },
      baseline: baselineFromTerritoryIds(accountIds, baseline, new Date().toISOString()),
    };
    const saved = await new WebApiDraftRepository(new ServerWebApi(admin), new HttpDraftBulkApi(admin)).saveAsDraft(draft);
    return { planId: saved.id, moved, reps: draftTerritories.map((t) => t.repId).filter((r): r is string => !!r) };
  };
  const status = (id: string): number => Number(store.get("tmap_plan", id)?.tmap_status);
  const fingerprint = (): string => {
    let s = 0;
    for (const t of ["account", "territory"]) for (const r of store.rows(t)) s += Number(r.versionnumber);
    const plans = [...store.rows("tmap_plan")].map((p) => `${String(p.tmap_planid)}:${String(p.tmap_status)}`).sort();
    return `${s}|${plans.join(",")}|${store.count("tmap_publishlog")}`;
  };
  const sample = JSON.parse(
    readFileSync(join(__dirname, "../tests/fixtures/dataverse/webhook/remoteexecutioncontext_contact_update.json"), "utf8"),
  ) as Record<string, unknown>;
  const planUpdate = (planId: string, userId: string, operationId = randomUUID()): string =>
    JSON.stringify({
      ...sample,
      MessageName: "Update",
      PrimaryEntityName: "tmap_plan",
      PrimaryEntityId: planId,
      UserId: userId,
      InitiatingUserId: userId,
      OperationId: operationId,
      Depth: 1,
      InputParameters: [
        {
          key: "Target",
          value: {
            __type: "Entity:http://schemas.microsoft.com/xrm/2011/Contracts",
            Attributes: [
              { key: "tmap_planid", value: planId },
              {
                key: "tmap_status",
                value: { __type: "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts", Value: PlanStatusValue.Publishing },
              },
            ],
            Id: planId,
            LogicalName: "tmap_plan",
            KeyAttributes: [],
            FormattedValues: [],
            RelatedEntities: [],
            EntityState: null,
            RowVersion: null,
          },
        },
      ],
      PostEntityImages: [],
      PreEntityImages: [],
    });
  const deliver = async (url: string, body: string): Promise<number> => {
    const r = await fetch(url, { method: "POST", headers: { [HEADER]: KEY, "Content-Type": "application/json" }, body });
    await r.text();
    return r.status;
  };
  const deliverOther = (body: string) => other.handle({ method: "POST", query: "", headers: { [HEADER]: KEY }, body });
  /** Sets Publishing as `userId` through the Web API without firing the webhook (the bench delivers it itself). */
  const requestQuietly = async (planId: string, userId: string): Promise<void> => {
    const steps = [...store.rows("sdkmessageprocessingstep")].map((s) => String(s.sdkmessageprocessingstepid));
    for (const id of steps) store.update("sdkmessageprocessingstep", id, { statecode: 1, statuscode: 2 });
    try {
      await admin.send({
        method: "PATCH",
        url: `tmap_plans(${planId})`,
        headers: { MSCRMCallerID: userId, "If-Match": "*" },
        body: JSON.stringify({ tmap_status: PlanStatusValue.Publishing }),
        idempotent: true,
      });
    } finally {
      for (const id of steps) store.update("sdkmessageprocessingstep", id, { statecode: 0, statuscode: 1 });
    }
  };
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await dv.service.webhooks.idle();
      await handlers.app.publisher.idle();
      await other.publisher.idle();
    }
  };
  const rows: [string, string, string][] = [];

  // ---- forged and replayed deliveries
  let forgedAccepted = 0;
  const forged = async (label: string, fn: () => Promise<unknown>): Promise<void> => {
    const before = fingerprint();
    await fn();
    await settle();
    const wrote = fingerprint() !== before;
    if (wrote) forgedAccepted++;
    rows.push(["forged", label, wrote ? "WROTE" : "no effect"]);
  };
  const draftA = await saveDraft("Bench A");
  await forged("status Publishing in the payload, record Draft (admin's id)", () =>
    deliver(handlers.url, planUpdate(draftA.planId, adminId)),
  );
  dv.service.privileges.setUserRoles(requester, roles({}));
  await requestQuietly(draftA.planId, requester);
  await forged("another user's id (admin) for the requester's Publishing", () => deliver(handlers.url, planUpdate(draftA.planId, adminId)));
  await forged("an unknown user's id", () => deliver(handlers.url, planUpdate(draftA.planId, randomUUID())));
  const legit = planUpdate(draftA.planId, requester);
  const beforeLegit = store.count("tmap_publishlog");
  const [s1, s2] = await Promise.all([deliver(handlers.url, legit), deliverOther(legit).then((r) => r.status)]);
  await settle();
  const logsForLegit = store.count("tmap_publishlog") - beforeLegit;
  if (logsForLegit !== 1) forgedAccepted += logsForLegit - 1;
  rows.push([
    "forged",
    "the same delivery on two instances at once",
    `answers ${[s1, s2].sort().join(" / ")}; publish logs ${logsForLegit}`,
  ]);
  rows.push([
    "",
    "legitimate publish",
    `plan ${status(draftA.planId) === PlanStatusValue.Published ? "Published" : status(draftA.planId)}`,
  ]);
  await forged("replay on the instance that ran it", () => deliver(handlers.url, legit));
  await forged("replay on another instance", () => deliverOther(legit));
  dv.service.privileges.setUserRoles(requester, null);

  // ---- partial publish
  const live = [...store.rows("tmap_plan")]
    .filter((p) => Number(p.tmap_status) === PlanStatusValue.Published)
    .map((p) => String(p.tmap_planid));
  const draftB = await saveDraft("Bench B");
  const victim = draftB.reps[0];
  for (const t of [...store.rows("territory")].filter((x) => x.managerid === victim))
    store.update("territory", String(t.territoryid), { managerid: null });
  store.update("systemuser", victim, { territoryid: null });
  store.delete("systemuser", victim);
  const partial = await publishPlan({ client: admin, planId: draftB.planId, conflictPolicy: "overwrite" });
  let partialMarkedPublished = 0;
  if (status(draftB.planId) === PlanStatusValue.Published) partialMarkedPublished++;
  for (const id of live) if (status(id) !== PlanStatusValue.Published) partialMarkedPublished++;
  rows.push([
    "partial",
    `${partial.failures.length} records rejected`,
    `plan ${status(draftB.planId) === PlanStatusValue.PartiallyPublished ? "Partially published" : status(draftB.planId)}; live plan ${live.every((id) => status(id) === PlanStatusValue.Published) ? "still live" : "ARCHIVED"}`,
  ]);

  // ---- refused server-side publishes through the stand-in's webhook
  const draftC = await saveDraft("Bench C");
  dv.service.privileges.setUserRoles(weak, roles({ prvWriteAccount: null }));
  await admin.send({
    method: "PATCH",
    url: `tmap_plans(${draftC.planId})`,
    headers: { MSCRMCallerID: weak, "If-Match": "*" },
    body: JSON.stringify({ tmap_status: PlanStatusValue.Publishing }),
    idempotent: true,
  });
  await settle();
  rows.push(["refused", "no account Write", `plan ${status(draftC.planId) === PlanStatusValue.Draft ? "Draft" : status(draftC.planId)}`]);
  const draftD = await saveDraft("Bench D");
  dv.service.privileges.setUserRoles(weak, roles({ prvWriteAccount: "Basic" }));
  await admin.send({
    method: "PATCH",
    url: `tmap_plans(${draftD.planId})`,
    headers: { MSCRMCallerID: weak, "If-Match": "*" },
    body: JSON.stringify({ tmap_status: PlanStatusValue.Publishing }),
    idempotent: true,
  });
  await settle();
  rows.push([
    "refused",
    "account Write at User level",
    `plan ${status(draftD.planId) === PlanStatusValue.Draft ? "Draft" : status(draftD.planId)}`,
  ]);
  const stuckPublishing = [...store.rows("tmap_plan")].filter((p) => Number(p.tmap_status) === PlanStatusValue.Publishing).length;

  // ---- webhook host: bytes read before a missing key is refused; oversized bodies
  const url = new URL(handlers.url);
  const declared = Math.round(7.9 * 1024 * 1024);
  const unauthenticatedBodyBytesRead = await new Promise<number>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let sent = 0;
    let answered = false;
    socket.on("connect", () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      setTimeout(() => {
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (!answered && sent < declared) {
            const n = Math.min(chunk.length, declared - sent);
            sent += n;
            if (!socket.write(chunk.subarray(0, n))) return void socket.once("drain", pump);
          }
        };
        if (!answered) pump();
      }, 2000);
    });
    socket.on("data", () => {
      if (answered) return;
      answered = true;
      const atAnswer = sent;
      socket.destroy();
      resolve(atAnswer);
    });
    socket.on("error", (e) => (answered ? undefined : reject(e)));
  });
  const shared = Buffer.alloc(declared, 0x20); // one buffer for every request: the growth measured is the host's
  const rssBefore = process.memoryUsage().rss;
  await Promise.all(
    Array.from(
      { length: 40 },
      () =>
        new Promise<void>((resolve) => {
          const req = httpRequest(handlers.url, { method: "POST", headers: { "Content-Length": String(declared) } }, (res) => {
            res.resume();
            res.on("end", () => resolve());
          });
          req.on("error", () => resolve());
          req.end(shared);
        }),
    ),
  );
  const rssDeltaMb = (process.memoryUsage().rss - rssBefore) / 1048576;
  const oversize = await new Promise<{ status: number; reset: boolean }>((resolve) => {
    const req = httpRequest(handlers.url, { method: "POST", headers: { [HEADER]: KEY, "Content-Type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, reset: false }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, reset: true }));
    });
    req.on("error", () => resolve({ status: 0, reset: true }));
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent <= MAX_BODY_BYTES + chunk.length) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  const oversizeAnswered = !oversize.reset && (oversize.status === 413 || oversize.status === 401) ? 1 : 0;
  rows.push(["host", "body bytes taken before a missing key is refused", String(unauthenticatedBodyBytesRead)]);
  rows.push(["host", "40 × 7.9 MB without a key: memory growth of this process", `${rssDeltaMb.toFixed(1)} MB`]);
  rows.push(["host", "9 MB chunked body with the key", oversize.reset ? "connection reset" : `HTTP ${oversize.status}`]);

  // ---- saves of the same draft at once, and the stand-in against a client we did not write
  const concurrentSavesLost = (await runConcurrentSaveTrials({ trials: 40 })).lost;
  const conformanceRun = await runConformance();
  const conformance = { passed: conformanceRun.passed, failed: conformanceRun.failed };
  rows.push(["drafts", "concurrent saves lost (40 trials of two saves at once)", String(concurrentSavesLost)]);
  rows.push(["conformance", "dynamics-web-api checks passed / failed", `${conformance.passed} / ${conformance.failed}`]);

  other.close();
  await handlers.close();
  await dv.close();

  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`${"area".padEnd(w0)}  ${"probe".padEnd(w1)}  result`);
  for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`);
  console.log(
    JSON.stringify({
      accounts: ACCOUNTS,
      forgedAccepted,
      partialMarkedPublished,
      stuckPublishing,
      unauthenticatedBodyBytesRead,
      unauthenticatedMemoryDeltaMb: Number(rssDeltaMb.toFixed(1)),
      oversizeAnswered,
      concurrentSavesLost,
      conformance,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
