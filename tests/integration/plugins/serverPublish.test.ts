/**
 * Server-side publish cannot be fooled or left half done: forged status, another user's id, an unknown user,
 * replays across two handler instances, a planner whose account Write is at User level, and the webhook host's
 * body handling (key checked before the body, 413 without a reset). Every check reads the stand-in's store.
 * HttpHeader authentication of a webhook service endpoint (a header name/value pair, authtype 5):
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/register-web-hook
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { PlanStatusValue } from "../../../dataverse/drafts/DraftRepository";
import { PublishLogStatus } from "../../../dataverse/publish/publishPlan";
import { createHandlerApp, type HandlerApp } from "../../../plugins/src/app";
import { loadConfig } from "../../../plugins/src/config";
import { createDataverseClient } from "../../../plugins/src/dataverse/client";
import { handleFunctionsRequest } from "../../../plugins/src/functionsHttp";
import { claimLogId, ServerPublisher } from "../../../plugins/src/handlers/publish";
import { MAX_BODY_BYTES } from "../../../plugins/src/webhook/body";
import { loadSolutionSource } from "../../../solution/model";
import { rolePrivileges } from "../../../solution/generate";
import { saveMovingDraft, versions, type Fixture } from "../publish/helpers";
import { HANDLER_USER_ID, startPluginEnv, WEBHOOK_KEY, type PluginEnv } from "./helpers";

jest.setTimeout(90_000);
const HEADER = "x-tmap-webhook-key";
type Depth = "Basic" | "Local" | "Deep" | "Global";

function planner(overrides: Record<string, Depth> = {}): { name: string; privileges: Record<string, Depth> } {
  const source = loadSolutionSource();
  const role = source.roles.find((r) => r.name === "Territory Planner")!;
  return {
    name: "Territory Planner",
    privileges: { ...(Object.fromEntries(rolePrivileges(source, role)) as Record<string, Depth>), ...overrides },
  };
}

/** A RemoteExecutionContext of a tmap_plan Update whose Target says `status`, in the name of `userId`. */
function planUpdate(planId: string, userId: string, status: number, operationId = randomUUID()): string {
  const sample = JSON.parse(
    readFileSync(join(__dirname, "../../fixtures/dataverse/webhook/remoteexecutioncontext_contact_update.json"), "utf8"),
  ) as Record<string, unknown>;
  return JSON.stringify({
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
            { key: "tmap_status", value: { __type: "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts", Value: status } },
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
}

describe("server-side publish acts on the stored plan", () => {
  let env: PluginEnv;
  let fx: Fixture;
  let admin: string; // a user with every privilege
  let second: HandlerApp;
  let handlerConfig: ReturnType<typeof loadConfig>;
  const logLines: { level: string; message: string }[] = [];
  const store = () => env.dataverse.service.store;
  const status = (id: string) => Number(store().get("tmap_plan", id)?.tmap_status);
  const logsOf = (id: string) => [...store().rows("tmap_publishlog")].filter((l) => l.tmap_planid === id);
  const deliver = (app: HandlerApp, body: string) => app.handle({ method: "POST", query: "", headers: { [HEADER]: WEBHOOK_KEY }, body });
  /** The plan as a user sets it to Publishing through the Web API (modifiedby = that user), webhooks not fired. */
  const requestPublish = async (planId: string, userId: string) => {
    const hooks = [...store().rows("sdkmessageprocessingstep")].map((s) => String(s.sdkmessageprocessingstepid));
    for (const id of hooks) store().update("sdkmessageprocessingstep", id, { statecode: 1, statuscode: 2 });
    try {
      await env.user.send({
        method: "PATCH",
        url: `tmap_plans(${planId})`,
        headers: { MSCRMCallerID: userId, "If-Match": "*" },
        body: JSON.stringify({ tmap_status: PlanStatusValue.Publishing }),
        idempotent: true,
      });
    } finally {
      for (const id of hooks) store().update("sdkmessageprocessingstep", id, { statecode: 0, statuscode: 1 });
    }
  };

  beforeAll(async () => {
    env = await startPluginEnv({ accounts: 1500, fixture: { territories: 6, postalCodes: 100, applyAssignments: true } });
    admin = env.userId;
    const config = loadConfig({
      TMAP_DATAVERSE_URL: env.dataverse.url,
      TMAP_WEBHOOK_KEY: WEBHOOK_KEY,
      TMAP_HANDLER_USER_ID: HANDLER_USER_ID,
      TMAP_LOCAL_CALLER_ID: HANDLER_USER_ID,
      TMAP_PLAN_CHECK_MS: "0",
      TMAP_DRIFT_DEBOUNCE_MS: "3600000",
    });
    handlerConfig = config;
    second = createHandlerApp({
      config,
      client: createDataverseClient(config),
      log: (level, message) => logLines.push({ level, message }),
    });
  });
  afterAll(async () => {
    second.close();
    await env.close();
  });
  beforeEach(async () => {
    fx = await saveMovingDraft(env.dataverse, { name: `Draft ${randomUUID().slice(0, 8)}`, limit: 200 });
    logLines.length = 0;
  });

  test("a forged status (the record is a Draft) publishes nothing and leaves the live plan live", async () => {
    const before = versions(store(), "account");
    const r = await deliver(env.handlers.app, planUpdate(fx.planId, admin, PlanStatusValue.Publishing));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "skipped", reason: "plan-not-publishing" });
    expect(status(fx.planId)).toBe(PlanStatusValue.Draft);
    expect(status(env.fixture.planId)).toBe(PlanStatusValue.Published);
    expect(logsOf(fx.planId)).toEqual([]);
    expect(versions(store(), "account")).toEqual(before);
  });

  test("another user's id, or an unknown user, is refused (403) and the plan is left to its real request", async () => {
    const requester = [...store().rows("systemuser")]
      .map((u) => String(u.systemuserid))
      .find((id) => id !== admin && id !== HANDLER_USER_ID)!;
    env.dataverse.service.privileges.setUserRoles(requester, [planner()]);
    await requestPublish(fx.planId, requester);
    expect(store().get("tmap_plan", fx.planId)?.modifiedby).toBe(requester);
    const before = versions(store(), "account");
    for (const claimed of [admin, randomUUID()]) {
      const r = await deliver(env.handlers.app, planUpdate(fx.planId, claimed, PlanStatusValue.Publishing));
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ status: "refused", reason: "delivery-user-mismatch" });
    }
    expect(versions(store(), "account")).toEqual(before);
    expect(logsOf(fx.planId)).toEqual([]);
    expect(status(fx.planId)).toBe(PlanStatusValue.Publishing);
    // The requester's own delivery publishes it, under the requester's privileges.
    const ok = await deliver(env.handlers.app, planUpdate(fx.planId, requester, PlanStatusValue.Publishing));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "published" });
    expect(status(fx.planId)).toBe(PlanStatusValue.Published);
    env.dataverse.service.privileges.setUserRoles(requester, null);
  });

  test("the same delivery on two handler instances, and replayed later, has one effect (claimed in Dataverse)", async () => {
    await requestPublish(fx.planId, admin);
    const body = planUpdate(fx.planId, admin, PlanStatusValue.Publishing);
    const [a, b] = await Promise.all([deliver(env.handlers.app, body), deliver(second, body)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    expect([a.body.status, b.body.status].sort()).toEqual(["duplicate", "published"]);
    expect(logsOf(fx.planId)).toHaveLength(1);
    expect(status(fx.planId)).toBe(PlanStatusValue.Published);
    // Replayed after it finished, on either instance (a fresh one has no memory of it): nothing happens.
    const versionsAfter = versions(store(), "account");
    for (const app of [env.handlers.app, second]) {
      const again = await deliver(app, body);
      // skipped (the plan is Published now) or, on the instance that ran it, its in-memory answer to the same delivery
      expect(again.body.status === "skipped" || again.body.duplicate === true).toBe(true);
    }
    expect(versions(store(), "account")).toEqual(versionsAfter);
    expect(logsOf(fx.planId)).toHaveLength(1);
  });

  test("a publish running from the control (its Running log is fresh) is not run a second time server-side", async () => {
    await requestPublish(fx.planId, admin);
    store().insertMany("tmap_publishlog", [
      { tmap_publishlogid: randomUUID(), tmap_name: "from the control", tmap_planid: fx.planId, tmap_status: PublishLogStatus.Running },
    ]);
    const before = versions(store(), "account");
    const r = await deliver(second, planUpdate(fx.planId, admin, PlanStatusValue.Publishing));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "skipped", reason: "publish-running-elsewhere" });
    expect(versions(store(), "account")).toEqual(before);
    expect(logsOf(fx.planId)).toHaveLength(1);
    // Once that log is stale (its publisher died), the next delivery claims and publishes.
    const later = new ServerPublisher({ staleMs: 60_000, now: () => Date.now() + 120_000 });
    const resumed = await later.publish(createDataverseClient(handlerConfig), { planId: fx.planId, userId: admin });
    expect(resumed.status).toBe("published");
    expect(status(fx.planId)).toBe(PlanStatusValue.Published);
  });

  test("a crashed run's claim is taken over once stale; a running publish keeps its claim fresh (heartbeat)", async () => {
    await requestPublish(fx.planId, admin);
    const plan = store().get("tmap_plan", fx.planId)!;
    const claimId = claimLogId(fx.planId, String(plan.versionnumber));
    // A claim left Running by an instance that died 10 minutes ago.
    const old = new Date(Date.now() - 600_000).toISOString();
    store().insertMany("tmap_publishlog", [
      { tmap_publishlogid: claimId, tmap_name: "crashed", tmap_planid: fx.planId, tmap_status: PublishLogStatus.Running, modifiedon: old },
    ]);
    const fresh = new ServerPublisher({ staleMs: 60_000 });
    const r = await fresh.publish(createDataverseClient(handlerConfig), { planId: fx.planId, userId: admin });
    expect(r.status).toBe("published");
    expect(logsOf(fx.planId).map((l) => [l.tmap_publishlogid, l.tmap_status])).toEqual([[claimId, PublishLogStatus.Succeeded]]);

    // A slow publish (150 ms per request) on one instance; another instance tries after the stale time has passed.
    const next = await saveMovingDraft(env.dataverse, { name: `Slow ${randomUUID().slice(0, 8)}`, limit: 200 });
    await requestPublish(next.planId, admin);
    env.dataverse.service.faults.set({ latencyMs: 150 });
    try {
      const first = new ServerPublisher({ staleMs: 300, heartbeatMs: 50 });
      const other = new ServerPublisher({ staleMs: 300, heartbeatMs: 50 });
      const running = first.publish(createDataverseClient(handlerConfig), { planId: next.planId, userId: admin });
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(status(next.planId)).toBe(PlanStatusValue.Publishing); // still running
      const late = await other.publish(createDataverseClient(handlerConfig), { planId: next.planId, userId: admin });
      expect(late).toMatchObject({ status: "duplicate" });
      expect((await running).status).toBe("published");
    } finally {
      env.dataverse.service.faults.set({});
    }
    expect(logsOf(next.planId)).toHaveLength(1);
  });

  test("a planner with account Write at User level: nothing written, plan back to Draft, a log that says why, 403", async () => {
    const requester = [...store().rows("systemuser")]
      .map((u) => String(u.systemuserid))
      .find((id) => id !== admin && id !== HANDLER_USER_ID)!;
    env.dataverse.service.privileges.setUserRoles(requester, [planner({ prvWriteAccount: "Basic" })]);
    await requestPublish(fx.planId, requester);
    const before = versions(store(), "account");
    const live = [...store().rows("tmap_plan")].filter((p) => p.tmap_status === PlanStatusValue.Published).map((p) => p.tmap_planid);
    expect(live).toHaveLength(1);
    const r = await deliver(second, planUpdate(fx.planId, requester, PlanStatusValue.Publishing));
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ status: "refused", reason: "forbidden", planStatus: PlanStatusValue.Draft });
    expect(String(r.body.message)).toMatch(/prvWriteAccount\) only at User level/);
    expect(versions(store(), "account")).toEqual(before);
    expect(status(fx.planId)).toBe(PlanStatusValue.Draft);
    expect(status(String(live[0]))).toBe(PlanStatusValue.Published);
    const [log] = logsOf(fx.planId);
    expect(log.tmap_status).toBe(PublishLogStatus.Failed);
    expect(String(log.tmap_message)).toMatch(/only at User level/);
    expect(logLines.filter((l) => l.level === "warn" && /refused/.test(l.message))).toHaveLength(1);
    env.dataverse.service.privileges.setUserRoles(requester, null);
  });

  test("through the stand-in's webhook: a user without account Write sets Publishing → Draft again, never stuck", async () => {
    const requester = [...store().rows("systemuser")]
      .map((u) => String(u.systemuserid))
      .find((id) => id !== admin && id !== HANDLER_USER_ID)!;
    const role = planner();
    delete role.privileges.prvWriteAccount;
    env.dataverse.service.privileges.setUserRoles(requester, [role]);
    await env.user.send({
      method: "PATCH",
      url: `tmap_plans(${fx.planId})`,
      headers: { MSCRMCallerID: requester, "If-Match": "*" },
      body: JSON.stringify({ tmap_status: PlanStatusValue.Publishing }),
      idempotent: true,
    });
    await env.dataverse.service.webhooks.idle();
    await env.handlers.app.publisher.idle();
    await env.dataverse.service.webhooks.idle();
    expect(status(fx.planId)).toBe(PlanStatusValue.Draft);
    const [log] = logsOf(fx.planId);
    expect(log.tmap_status).toBe(PublishLogStatus.Failed);
    expect(String(log.tmap_message)).toMatch(/prvWriteAccount/);
    const delivery = env.dataverse.service.webhooks.deliveries.filter((d) => d.table === "tmap_plan" && d.id === fx.planId);
    expect(delivery.map((d) => d.status)).toContain(403);
    env.dataverse.service.privileges.setUserRoles(requester, null);
  });
});

describe("webhook host: key before body, 413 without a reset", () => {
  let env: PluginEnv;
  beforeAll(async () => {
    env = await startPluginEnv({ accounts: 200, fixture: { territories: 3, postalCodes: 20 } });
  });
  afterAll(async () => {
    await env.close();
  });

  /** Sends headers only and waits: the answer must come before a byte of the body is sent. */
  const headersOnly = (headers: Record<string, string>): Promise<string> =>
    new Promise((resolve, reject) => {
      const u = new URL(env.handlers.url);
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write(
          `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n` +
            Object.entries(headers)
              .map(([k, v]) => `${k}: ${v}\r\n`)
              .join("") +
            "\r\n",
        );
      });
      let text = "";
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(text);
      }, 1500);
      socket.on("data", (c: Buffer) => {
        text += c.toString("latin1");
        if (/\r\n\r\n[\s\S]*\}$/.test(text)) {
          clearTimeout(timer);
          socket.destroy();
          resolve(text);
        }
      });
      socket.on("error", reject);
    });

  test("no key: 401 before the body is read (a declared 7.9 MB body is never sent); the key in the URL is refused", async () => {
    const answer = await headersOnly({ "Content-Length": String(Math.round(7.9 * 1024 * 1024)) });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    const r = await fetch(`${env.handlers.url}?code=${WEBHOOK_KEY}`, { method: "POST", body: "{}" });
    expect(r.status).toBe(401);
    expect(await r.text()).toMatch(/header/);
  });

  test("declared over the limit: 413 before the body; sent chunked over the limit: 413 JSON, no connection reset", async () => {
    const declared = await headersOnly({ [HEADER]: WEBHOOK_KEY, "Content-Length": String(MAX_BODY_BYTES + 1) });
    expect(declared).toMatch(/^HTTP\/1\.1 413/);
    expect(declared).toMatch(/PayloadTooLarge/);
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        env.handlers.url,
        { method: "POST", headers: { [HEADER]: WEBHOOK_KEY, "Content-Type": "application/json" } },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
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
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: "PayloadTooLarge" } });
  });

  test("Azure Functions host: key checked before the body is touched; 413 declared and streamed", async () => {
    const config = { webhookKeys: [WEBHOOK_KEY], webhookHeader: HEADER };
    let pulled = 0;
    const stream = (bytes: number): AsyncIterable<Uint8Array> => ({
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < bytes; i += 65536) {
          pulled += Math.min(65536, bytes - i);
          yield new Uint8Array(Math.min(65536, bytes - i));
        }
      },
    });
    const handled: string[] = [];
    const app = { handle: async (r: { body: string }) => (handled.push(r.body), { status: 200, body: { status: "ok" } }) };
    const req = (headers: Record<string, string>, bytes: number) => ({
      method: "POST",
      url: "https://handlers.example/api/dataverse-webhook",
      headers: new Headers(headers),
      body: stream(bytes),
    });
    expect((await handleFunctionsRequest(req({}, 7_900_000), app, config)).status).toBe(401);
    expect(pulled).toBe(0);
    const declared = await handleFunctionsRequest(
      req({ [HEADER]: WEBHOOK_KEY, "content-length": String(MAX_BODY_BYTES + 1) }, 0),
      app,
      config,
    );
    expect(declared).toMatchObject({ status: 413, jsonBody: { error: { code: "PayloadTooLarge" } } });
    const streamed = await handleFunctionsRequest(req({ [HEADER]: WEBHOOK_KEY }, MAX_BODY_BYTES + 70_000), app, config);
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 65536);
    expect(handled).toEqual([]);
    expect((await handleFunctionsRequest(req({ [HEADER]: WEBHOOK_KEY }, 10), app, config)).status).toBe(200);
  });
});
