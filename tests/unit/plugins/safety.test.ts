/**
 * Webhook safety: authentication (401, nothing done; constant-time comparison), malformed payloads (400),
 * oversized contexts (x-ms-dynamics-msg-size-exceeded → the record is read), duplicate deliveries (one effect),
 * loops (depth, own user), and drift alerts without duplicates — against the local stand-in in process.
 */
import * as crypto from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startDataverseServer, type DataverseServer } from "../../../local/dataverse";
import { developmentTables } from "../../../local/developmentSchema";
import { seedIfEmpty } from "../../../local/seed";
import { createPublishedPlan, type PublishedFixture } from "../../../plugins/dev/fixture";
import { createHandlerApp, type HandlerApp, type WebhookRequest } from "../../../plugins/src/app";
import { loadConfig } from "../../../plugins/src/config";
import { createDataverseClient } from "../../../plugins/src/dataverse/client";
import { keyAccepted } from "../../../plugins/src/webhook/auth";

jest.mock("node:crypto", () => {
  const actual = jest.requireActual<typeof import("node:crypto")>("node:crypto");
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
jest.setTimeout(30_000);
const KEY = "unit-test-key-0123456789abcdef";
const OWN = "7a3f0c1e-5b2d-4e8f-9a61-0c0ffee0a5e1";

function context(over: Record<string, unknown> = {}): Record<string, unknown> {
  const sample = JSON.parse(
    readFileSync(join(__dirname, "../../fixtures/dataverse/webhook/remoteexecutioncontext_contact_update.json"), "utf8"),
  ) as Record<string, unknown>;
  return { ...sample, ...over };
}

function accountCreate(id: string, attrs: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  return context({
    MessageName: "Create",
    PrimaryEntityName: "account",
    PrimaryEntityId: id,
    OperationId: crypto.randomUUID(),
    InputParameters: [
      {
        key: "Target",
        value: {
          __type: "Entity:http://schemas.microsoft.com/xrm/2011/Contracts",
          Attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })),
          Id: id,
          LogicalName: "account",
          KeyAttributes: [],
          FormattedValues: [],
          RelatedEntities: [],
          EntityState: null,
          RowVersion: null,
        },
      },
    ],
    ...over,
  });
}

describe("webhook safety", () => {
  let dv: DataverseServer;
  let app: HandlerApp;
  let fixture: PublishedFixture;
  const post = (body: unknown, init: Partial<WebhookRequest> = {}) =>
    app.handle({
      method: "POST",
      query: "",
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...init,
      headers: "headers" in init ? { ...init.headers } : { "x-tmap-webhook-key": KEY },
    });
  const newAccount = (lat: number, lon: number) => {
    const id = crypto.randomUUID();
    dv.service.store.insertMany("account", [
      { accountid: id, name: "Test", address1_latitude: lat, address1_longitude: lon, statecode: 0 },
    ]);
    return id;
  };

  beforeAll(async () => {
    dv = await startDataverseServer({ port: 0, dbPath: ":memory:", tables: developmentTables() });
    seedIfEmpty(dv.service.store, { accounts: 1500 });
    fixture = await createPublishedPlan(dv.service.store, dv.url, {
      territories: 6,
      postalCodes: 200,
      applyAssignments: true,
      driftThreshold: 0.05,
    });
    const config = loadConfig({
      TMAP_DATAVERSE_URL: dv.url,
      TMAP_WEBHOOK_KEY: KEY,
      TMAP_HANDLER_USER_ID: OWN,
      TMAP_PLAN_CHECK_MS: "0",
      TMAP_DRIFT_DEBOUNCE_MS: "3600000",
    });
    app = createHandlerApp({ config, client: createDataverseClient(config) });
  });
  afterAll(async () => {
    app.close();
    await dv.close();
  });

  it("401 without or with a wrong key, and nothing is done", async () => {
    const id = newAccount(47.6, -122.3);
    dv.service.resetStats();
    for (const init of [
      { query: "", headers: {} },
      { query: "code=wrong", headers: {} },
      { query: `code=${KEY}x`, headers: {} },
      // The right key in the URL is refused too: keys travel in the header of an HttpHeader endpoint only.
      { query: `code=${KEY}`, headers: {} },
      { query: "", headers: { "x-tmap-webhook-key": "nope" } },
    ]) {
      const r = await post(accountCreate(id, {}), init);
      expect(r.status).toBe(401);
    }
    expect(JSON.stringify((await post(accountCreate(id, {}), { query: `code=${KEY}`, headers: {} })).body)).toMatch(
      /x-tmap-webhook-key header/,
    );
    expect(dv.service.stats().requests).toBe(0);
    expect(dv.service.store.get("account", id)!.territoryid ?? null).toBeNull();
    expect((await post(accountCreate(id, {}), { query: "", headers: { "x-tmap-webhook-key": KEY } })).status).toBe(200);
  });

  it("compares keys in constant time (hashed to equal length, every key compared)", () => {
    const spy = crypto.timingSafeEqual as unknown as jest.Mock;
    spy.mockClear();
    expect(keyAccepted("short", ["a-much-longer-key-0123456789", "second-key-0123456789"])).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
    expect(keyAccepted("second-key-0123456789", ["a-much-longer-key-0123456789", "second-key-0123456789"])).toBe(true);
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("400 with a clear message for malformed payloads", async () => {
    expect(await post("not json")).toMatchObject({
      status: 400,
      body: { error: { code: "InvalidPayload", message: expect.stringMatching(/not JSON/) } },
    });
    expect(await post([])).toMatchObject({ status: 400 });
    expect(await post(context({ PrimaryEntityId: "x" }))).toMatchObject({
      status: 400,
      body: { error: { message: "PrimaryEntityId must be a GUID." } },
    });
    expect(await post(context({ Depth: 0 }))).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/Depth/) } } });
    expect(await post(context({ InputParameters: "x" }))).toMatchObject({ status: 400 });
  });

  it("an oversized delivery (no InputParameters) reads the record and assigns it", async () => {
    const id = newAccount(47.61, -122.33);
    const body = accountCreate(id, {});
    body.InputParameters = [];
    body.PostEntityImages = [];
    const r = await post(body, { headers: { "x-tmap-webhook-key": KEY, "x-ms-dynamics-msg-size-exceeded": "true" } });
    expect(r).toMatchObject({ status: 200, body: { status: "assigned", changed: true } });
    expect(dv.service.store.get("account", id)!.territoryid).toBe((r.body as { territoryId: string }).territoryId);
  });

  it("the same delivery twice (also concurrently) has one effect", async () => {
    const id = newAccount(40.7, -74.0);
    const body = accountCreate(id, { address1_latitude: 40.7 });
    dv.service.resetStats();
    const [a, b] = await Promise.all([post(body), post(body)]);
    const c = await post(body);
    expect([a, b, c].filter((r) => (r.body as { duplicate?: boolean }).duplicate === true)).toHaveLength(2);
    expect(dv.service.stats().byMethod.PATCH).toBe(1);
  });

  it("skips loops: Depth > 1 and the handlers' own changes", async () => {
    const id = newAccount(40.7, -74.0);
    expect(await post(accountCreate(id, {}, { Depth: 2 }))).toMatchObject({ status: 200, body: { status: "skipped", reason: "depth" } });
    expect(await post(accountCreate(id, {}, { InitiatingUserId: OWN, UserId: OWN }))).toMatchObject({
      status: 200,
      body: { status: "skipped", reason: "own-change" },
    });
    expect(dv.service.store.get("account", id)!.territoryid ?? null).toBeNull();
  });

  it("drift: one alert per state, refreshed not duplicated, resolved when back within the threshold", async () => {
    const t0 = fixture.territories[0].territoryId!;
    const moved = [...dv.service.store.rows("account")]
      .filter((a) => a.territoryid === fixture.territories[1].territoryId)
      .slice(0, 40)
      .map((a) => String(a.accountid));
    for (const id of moved) dv.service.store.update("account", id, { territoryid: t0 });
    const first = await app.runDrift();
    expect(first.created).toBeGreaterThan(0);
    const alerts = () => [...dv.service.store.rows("tmap_alert")].filter((a) => a.statecode === 0);
    const open = alerts();
    expect(open.some((a) => a.tmap_territoryid === t0 && a.tmap_measure === "accounts" && Number(a.tmap_deviation) > 0.05)).toBe(true);
    expect(new Set(open.map((a) => a.tmap_statekey)).size).toBe(open.length);
    const second = await app.runDrift();
    expect(second.created).toBe(0);
    expect(alerts()).toHaveLength(open.length);
    for (const id of moved) dv.service.store.update("account", id, { territoryid: fixture.territories[1].territoryId });
    const third = await app.runDrift();
    expect(third.resolved).toBeGreaterThan(0);
    expect(alerts().some((a) => a.tmap_territoryid === t0 && a.tmap_measure === "accounts")).toBe(false);
  });
});
