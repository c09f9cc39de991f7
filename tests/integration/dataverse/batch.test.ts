import type { DataverseServer } from "../../../local/dataverse";
import { buildBatch, client, expectDataverseError, parseBatchResponse, startServer } from "./helpers";
import type { BatchPart, Client } from "./helpers";

type Json = Record<string, unknown>;

describe("local Dataverse: $batch and bulk messages", () => {
  let server: DataverseServer;
  let api: Client;
  const base = "/api/data/v9.2/";
  const sendBatch = async (
    items: Array<BatchPart | BatchPart[]>,
    headers: Record<string, string> = {},
  ): Promise<{ res: Response; parts: ReturnType<typeof parseBatchResponse> }> => {
    const { boundary, body } = buildBatch(items);
    const res = await fetch(`${server.url}$batch`, {
      method: "POST",
      headers: { "Content-Type": `multipart/mixed; boundary=${boundary}`, Accept: "application/json", "OData-Version": "4.0", ...headers },
      body,
    });
    const text = await res.text();
    const multipart = /^multipart\/mixed/.test(res.headers.get("Content-Type") ?? "");
    return { res, parts: multipart ? parseBatchResponse(res.headers.get("Content-Type") ?? "", text) : [] };
  };
  const countAccounts = (): number => server.service.store.count("account");

  beforeAll(async () => {
    server = await startServer();
    api = client(server);
  });
  afterAll(() => server.close());
  beforeEach(() => server.service.store.reset(["account", "territory"]));

  it("executes GETs and a change set with Content-ID references; response is multipart/mixed", async () => {
    const { res, parts } = await sendBatch([
      [
        { method: "POST", url: `${base}territories`, contentId: "1", body: { name: "Batch Territory" } },
        { method: "POST", url: `${base}accounts`, contentId: "2", body: { name: "Batch Account", "territoryid@odata.bind": "$1" } },
        { method: "PATCH", url: "$2", contentId: "3", body: { accountnumber: "B-1" } },
      ],
      {
        method: "GET",
        url: `${server.url}accounts?$select=name,accountnumber,_territoryid_value`,
        headers: { Accept: "application/json" },
      },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
    expect(parts.map((p) => [p.status, p.contentId, p.changeset])).toEqual([
      [204, "1", true],
      [204, "2", true],
      [204, "3", true],
      [200, undefined, false],
    ]);
    expect(parts[0].headers["odata-entityid"]).toMatch(/territories\([0-9a-f-]{36}\)$/);
    const listing = JSON.parse(parts[3].body) as { value: Json[] };
    expect(listing.value).toHaveLength(1);
    expect(listing.value[0]).toMatchObject({ name: "Batch Account", accountnumber: "B-1" });
    expect(listing.value[0]._territoryid_value).toBe(/\(([0-9a-f-]{36})\)$/.exec(parts[0].headers["odata-entityid"])?.[1]);
  });

  // Without odata.continue-on-error a failure stops the batch, which answers 400 with the failing request's
  // response as its only part ("Handling errors",
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
  it("rolls back a change set atomically when one request fails, and stops the batch", async () => {
    const { res, parts } = await sendBatch([
      [
        { method: "POST", url: `${base}accounts`, contentId: "1", body: { name: "Will be rolled back" } },
        { method: "POST", url: `${base}accounts`, contentId: "2", body: { name: "Also rolled back" } },
        { method: "POST", url: `${base}accounts`, contentId: "3", body: { name: "Bad", address1_latitude: 123 } },
      ],
      { method: "POST", url: `${base}accounts`, body: { name: "Not executed" } },
    ]);
    expect(res.status).toBe(400);
    expect(parts).toHaveLength(1);
    expect(parts[0].status).toBe(400);
    expect(JSON.parse(parts[0].body)).toEqual({ error: { code: "0x80044331", message: expect.stringContaining("address1_latitude") } });
    expect(countAccounts()).toBe(0);
  });

  it("Prefer: odata.continue-on-error continues after a failure", async () => {
    const { res, parts } = await sendBatch(
      [
        { method: "POST", url: `${base}accounts`, body: { name: "First" } },
        { method: "GET", url: `${base}accounts(00000000-0000-0000-0000-000000000009)` },
        [{ method: "POST", url: `${base}accounts`, body: { name: "Bad", foo: 1 } }],
        { method: "POST", url: `${base}accounts`, body: { name: "Last" } },
      ],
      { Prefer: "odata.continue-on-error" },
    );
    expect(res.headers.get("Preference-Applied")).toBe("odata.continue-on-error");
    expect(parts.map((p) => p.status)).toEqual([204, 404, 400, 204]);
    expect(countAccounts()).toBe(2);
  });

  it("without continue-on-error stops at the first failing request: 400, the error as the only part", async () => {
    const { res, parts } = await sendBatch([
      { method: "POST", url: `${base}accounts`, body: { name: "First" } },
      { method: "DELETE", url: `${base}accounts(00000000-0000-0000-0000-000000000009)` },
      { method: "POST", url: `${base}accounts`, body: { name: "Never" } },
    ]);
    expect(res.status).toBe(400);
    expect(parts.map((p) => p.status)).toEqual([404]);
    expect(JSON.parse(parts[0].body).error.code).toBe("0x80040217");
    expect(countAccounts()).toBe(1);
  });

  it("honours If-Match inside a change set (412 rolls back the set)", async () => {
    const id = "30000000-0000-0000-0000-000000000001";
    server.service.store.insertMany("account", [{ accountid: id, name: "Concurrency" }]);
    const { res, parts } = await sendBatch([
      [
        { method: "PATCH", url: `${base}accounts(${id})`, body: { name: "Changed" } },
        { method: "PATCH", url: `${base}accounts(${id})`, body: { name: "Stale" }, headers: { "If-Match": 'W/"1"' } },
      ],
    ]);
    expect(res.status).toBe(400);
    expect(parts).toHaveLength(1);
    expect(parts[0].status).toBe(412);
    expect(JSON.parse(parts[0].body).error.code).toBe("0x80060882");
    expect(server.service.store.get("account", id)?.name).toBe("Concurrency");
  });

  it("rejects GET inside a change set, a body without boundary, and more than 1000 requests", async () => {
    const { parts } = await sendBatch([[{ method: "GET", url: `${base}accounts` }]]);
    expect(parts[0].status).toBe(400);
    const noBoundary = await fetch(`${server.url}$batch`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    await expectDataverseError(noBoundary, 400);
    const many: BatchPart[] = Array.from({ length: 1001 }, () => ({ method: "GET", url: `${base}WhoAmI` }));
    const { boundary, body } = buildBatch(many);
    const tooMany = await fetch(`${server.url}$batch`, {
      method: "POST",
      headers: { "Content-Type": `multipart/mixed; boundary=${boundary}` },
      body,
    });
    await expectDataverseError(tooMany, 400);
  });

  it("accepts 1000 requests in one batch", async () => {
    const parts: BatchPart[] = Array.from({ length: 1000 }, (_, i) => ({
      method: "POST",
      url: `${base}accounts`,
      body: { name: `N${i}` },
    }));
    const { parts: out } = await sendBatch([parts]);
    expect(out).toHaveLength(1000);
    expect(countAccounts()).toBe(1000);
  });

  it("CreateMultiple returns Ids; UpdateMultiple updates; both are all-or-nothing", async () => {
    const create = await api.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", {
      Targets: [
        { "@odata.type": "Microsoft.Dynamics.CRM.account", name: "M1", revenue: 1 },
        { "@odata.type": "Microsoft.Dynamics.CRM.account", name: "M2", revenue: 2 },
      ],
    });
    expect(create.status).toBe(200);
    const body = (await create.json()) as { "@odata.context": string; Ids: string[] };
    expect(body["@odata.context"]).toBe(`${server.url}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`);
    expect(body.Ids).toHaveLength(2);
    expect(server.service.store.get("account", body.Ids[1])?.name).toBe("M2");

    const update = await api.post("accounts/Microsoft.Dynamics.CRM.UpdateMultiple", {
      Targets: body.Ids.map((id, i) => ({ "@odata.type": "Microsoft.Dynamics.CRM.account", accountid: id, name: `M${i + 1}!` })),
    });
    expect(update.status).toBe(204);
    expect(server.service.store.get("account", body.Ids[0])?.name).toBe("M1!");

    const failing = await api.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", {
      Targets: [
        { "@odata.type": "Microsoft.Dynamics.CRM.account", name: "ok" },
        { "@odata.type": "Microsoft.Dynamics.CRM.account", name: "bad", address1_longitude: 500 },
      ],
    });
    await expectDataverseError(failing, 400, "0x80044331");
    expect(countAccounts()).toBe(2);

    const failingUpdate = await api.post("accounts/Microsoft.Dynamics.CRM.UpdateMultiple", {
      Targets: [
        { "@odata.type": "Microsoft.Dynamics.CRM.account", accountid: body.Ids[0], name: "changed" },
        { "@odata.type": "Microsoft.Dynamics.CRM.account", accountid: "00000000-0000-0000-0000-00000000dead", name: "missing" },
      ],
    });
    await expectDataverseError(failingUpdate, 404, "0x80040217");
    expect(server.service.store.get("account", body.Ids[0])?.name).toBe("M1!");
  });

  it("CreateMultiple requires @odata.type of the entity set on every target (one table per call)", async () => {
    await expectDataverseError(await api.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", { Targets: [{ name: "untyped" }] }), 400);
    await expectDataverseError(
      await api.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", {
        Targets: [{ "@odata.type": "Microsoft.Dynamics.CRM.territory", name: "x" }],
      }),
      400,
    );
    await expectDataverseError(await api.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", {}), 400);
  });

  it("UpsertMultiple creates or updates", async () => {
    const id = "40000000-0000-0000-0000-000000000001";
    server.service.store.insertMany("account", [{ accountid: id, name: "Existing" }]);
    const res = await api.post("accounts/Microsoft.Dynamics.CRM.UpsertMultiple", {
      Targets: [
        { "@odata.type": "Microsoft.Dynamics.CRM.account", accountid: id, name: "Existing 2" },
        { "@odata.type": "Microsoft.Dynamics.CRM.account", name: "New" },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Results: Array<{ RecordCreated: boolean }> };
    expect(body.Results.map((r) => r.RecordCreated)).toEqual([false, true]);
    expect(countAccounts()).toBe(2);
  });
});
