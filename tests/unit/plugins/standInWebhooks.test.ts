/**
 * The local stand-in's webhook dispatch (local/dataverse/webhooks.ts): registration rows → RemoteExecutionContext
 * POSTs with auth per authtype, filteringattributes, one retry on 502/503/504, and the 256 KB limit.
 */
import { createDataverseService, type DataverseService, type TableSchema } from "../../../local/dataverse";
import { standardTables } from "../../../local/dataverse/standardTables";
import { SDK_MESSAGES, webhookTables } from "../../../local/dataverse/webhooks";
import { parseRemoteExecutionContext } from "../../../plugins/src/webhook/context";

const bigTable: TableSchema = {
  logicalName: "tmap_big",
  entitySetName: "tmap_bigs",
  primaryIdAttribute: "tmap_bigid",
  primaryNameAttribute: "tmap_name",
  ownership: "organization",
  attributes: [
    { logicalName: "tmap_bigid", type: "uniqueidentifier" },
    { logicalName: "tmap_name", type: "string", maxLength: 100 },
    { logicalName: "tmap_payload", type: "memo", maxLength: 1048576 },
  ],
};

interface Call {
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe("stand-in webhook dispatch", () => {
  let service: DataverseService;
  let calls: Call[];
  let statuses: number[];
  const realFetch = global.fetch;
  beforeEach(() => {
    calls = [];
    statuses = [];
    global.fetch = (async (url: string, init: { headers: Record<string, string>; body: string }) => {
      calls.push({ url: String(url), headers: init.headers, body: init.body });
      return new Response("{}", { status: statuses.shift() ?? 200 });
    }) as unknown as typeof fetch;
    service = createDataverseService({ dbPath: ":memory:", tables: [...standardTables, ...webhookTables, bigTable] });
    service.webhooks.configure({ retryDelayMs: 1 });
  });
  afterEach(() => {
    global.fetch = realFetch;
    service.close();
  });

  // eslint-disable-next-line @microsoft/power-apps/use-relative-uri -- the stand-in's in-process execute needs an absolute service root
  const ROOT = "http://x/api/data/v9.2/";
  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    service.execute({
      method,
      path,
      query: "",
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? "" : JSON.stringify(body),
      serviceRoot: ROOT,
    });
  const register = (authtype: number, authvalue: string, message: "Create" | "Update", filteringattributes: string | null) => {
    const ep = api("POST", "serviceendpoints", {
      name: "hook",
      url: "https://handlers.example/api/dataverse-webhook",
      contract: 8,
      messageformat: 2,
      authtype,
      authvalue,
    });
    const epId = /\(([^)]+)\)/.exec(ep.headers["OData-EntityId"])![1];
    const filter = [...service.store.rows("sdkmessagefilter")].find(
      (f) => f.primaryobjecttypecode === "account" && f.sdkmessageid === SDK_MESSAGES[message],
    )!;
    const r = api("POST", "sdkmessageprocessingsteps", {
      name: "step",
      stage: 40,
      mode: 1,
      rank: 1,
      filteringattributes,
      "sdkmessageid@odata.bind": `/sdkmessages(${SDK_MESSAGES[message]})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${String(filter.sdkmessagefilterid)})`,
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${epId})`,
    });
    expect(r.status).toBe(204);
  };

  it("posts a RemoteExecutionContext with ?code= after the request, as the impersonated caller", async () => {
    register(4, "secret-key", "Create", null);
    const r = api("POST", "accounts", { name: "A", address1_latitude: 47.6 }, { mscrmcallerid: "11111111-2222-3333-4444-555555555555" });
    expect(r.status).toBe(204);
    expect(calls).toHaveLength(0); // asynchronous
    await service.webhooks.idle();
    expect(calls).toHaveLength(1);
    expect(new URL(calls[0].url).searchParams.get("code")).toBe("secret-key");
    const ctx = parseRemoteExecutionContext(calls[0].body);
    expect(ctx).toMatchObject({
      MessageName: "Create",
      PrimaryEntityName: "account",
      Depth: 1,
      InitiatingUserId: "11111111-2222-3333-4444-555555555555",
      Stage: 40,
      Mode: 1,
    });
    expect(ctx.target?.Attributes.find((a) => a.key === "address1_latitude")?.value).toBe(47.6);
  });

  it("honours filteringattributes and header auth; retries once on 503", async () => {
    register(
      5,
      '<settings><setting name="x-tmap-webhook-key" value="k&amp;1" /></settings>',
      "Update",
      "address1_latitude,address1_postalcode",
    );
    api("POST", "accounts", { name: "B" });
    const id = [...service.store.rows("account")][0].accountid as string;
    api("PATCH", `accounts(${id})`, { name: "B2" });
    await service.webhooks.idle();
    expect(calls).toHaveLength(0);
    statuses = [503, 200];
    api("PATCH", `accounts(${id})`, { address1_postalcode: "98101" });
    await service.webhooks.idle();
    expect(calls).toHaveLength(2);
    expect(calls[0].headers["x-tmap-webhook-key"]).toBe("k&1");
    expect(service.webhooks.deliveries.at(-1)).toMatchObject({ attempts: 2, status: 200 });
    const ctx = parseRemoteExecutionContext(calls[1].body);
    expect(ctx.target?.Attributes.map((a) => a.key).sort()).toEqual(["accountid", "address1_postalcode", "modifiedon"]);
  });

  it("over 256 KB: header x-ms-dynamics-msg-size-exceeded, no InputParameters or images", async () => {
    const ep = api("POST", "serviceendpoints", {
      name: "hook",
      url: "https://handlers.example/hook",
      contract: 8,
      messageformat: 2,
      authtype: 4,
      authvalue: "k",
    });
    const epId = /\(([^)]+)\)/.exec(ep.headers["OData-EntityId"])![1];
    const filter = [...service.store.rows("sdkmessagefilter")].find(
      (f) => f.primaryobjecttypecode === "tmap_big" && f.sdkmessageid === SDK_MESSAGES.Create,
    )!;
    api("POST", "sdkmessageprocessingsteps", {
      name: "big",
      stage: 40,
      mode: 1,
      "sdkmessageid@odata.bind": `/sdkmessages(${SDK_MESSAGES.Create})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${String(filter.sdkmessagefilterid)})`,
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${epId})`,
    });
    api("POST", "tmap_bigs", { tmap_name: "small", tmap_payload: "x" });
    api("POST", "tmap_bigs", { tmap_name: "large", tmap_payload: "y".repeat(300 * 1024) });
    await service.webhooks.idle();
    expect(calls).toHaveLength(2);
    expect(calls[0].headers["x-ms-dynamics-msg-size-exceeded"]).toBeUndefined();
    expect(calls[1].headers["x-ms-dynamics-msg-size-exceeded"]).toBe("true");
    const ctx = JSON.parse(calls[1].body) as Record<string, unknown>;
    expect(ctx.InputParameters).toEqual([]);
    expect(ctx.PostEntityImages).toEqual([]);
    expect(calls[1].body.length).toBeLessThan(256 * 1024);
    expect(parseRemoteExecutionContext(calls[1].body).PrimaryEntityName).toBe("tmap_big");
  });
});
