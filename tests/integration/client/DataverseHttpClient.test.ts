/**
 * DataverseHttpClient against the real local Dataverse server over HTTP (random port, temp SQLite).
 */
import { ConcurrencyError, DataverseError, DataverseHttpClient, type RequestEvent } from "../../../dataverse/client/DataverseHttpClient";
import { startTestDataverse, type TestDataverse } from "../../support/server";

jest.setTimeout(120_000);

let server: TestDataverse;
const ACCOUNTS = 1200;

beforeAll(async () => {
  server = await startTestDataverse({ accounts: ACCOUNTS });
});
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  await fetch(`${server.origin}/_local/faults`, { method: "DELETE" });
});

function client(options: { maxRetries?: number; events?: RequestEvent[] } = {}): DataverseHttpClient {
  return new DataverseHttpClient({
    baseUrl: server.url,
    maxRetries: options.maxRetries ?? 3,
    retryDelayMs: 10,
    onRequest: options.events ? (e) => options.events?.push(e) : undefined,
  });
}

async function setFaults(config: unknown): Promise<void> {
  const r = await fetch(`${server.origin}/_local/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(config),
  });
  expect(r.status).toBe(200);
}

const newAccount = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  address1_latitude: 41.5,
  address1_longitude: -87.6,
  ...extra,
});

describe("paging", () => {
  it("returns one page of maxPageSize records with an @odata.nextLink", async () => {
    const page = await client().retrieveMultiple("accounts", { select: ["name"] }, { maxPageSize: 500 });
    expect(page.value).toHaveLength(500);
    expect(page.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/accounts\?.*\$skiptoken=/);
    expect(page.value[0]).toEqual(expect.objectContaining({ name: expect.any(String), accountid: expect.any(String) }));
  });

  it("retrieveAll follows every nextLink unchanged and returns each record once", async () => {
    const events: RequestEvent[] = [];
    const pages: number[] = [];
    const all = await client({ events }).retrieveAll<{ accountid: string }>("accounts", "?$select=accountid", {
      maxPageSize: 500,
      onPage: (p) => pages.push(p.length),
    });
    expect(all).toHaveLength(ACCOUNTS);
    expect(new Set(all.map((a) => a.accountid)).size).toBe(ACCOUNTS);
    expect(pages).toEqual([500, 500, 200]);
    // The 2nd and 3rd requests are exactly the previous pages' nextLinks.
    const first = await client().retrieveMultiple("accounts", "?$select=accountid", { maxPageSize: 500 });
    expect(events[1].url).toBe(first.nextLink);
  });

  it("filters with structured query options", async () => {
    const page = await client().retrieveMultiple(
      "accounts",
      { select: ["name"], filter: "statecode eq 1", count: true },
      { maxPageSize: 5000 },
    );
    expect(page.value.length).toBeGreaterThan(0);
    expect(page.value.length).toBeLessThan(ACCOUNTS);
    expect(page.count).toBe(page.value.length);
  });
});

describe("create, retrieve, update with etag, delete", () => {
  it("create returns the id from OData-EntityId; retrieve reads it back with its etag", async () => {
    const c = client();
    const id = await c.create("accounts", newAccount("Client Test Co."));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await c.retrieve<Record<string, unknown>>("accounts", id, "?$select=name,address1_latitude");
    expect(row.name).toBe("Client Test Co.");
    expect(row["@odata.etag"]).toMatch(/^W\/"\d+"$/);
  });

  it("update with the current etag succeeds; with a stale etag throws ConcurrencyError (412)", async () => {
    const c = client();
    const id = await c.create("accounts", newAccount("Etag Co."));
    const v1 = await c.retrieve<Record<string, unknown>>("accounts", id, "?$select=name");
    const etag1 = v1["@odata.etag"] as string;
    await c.update("accounts", id, { name: "Etag Co. (renamed)" }, { etag: etag1 });
    const v2 = await c.retrieve<Record<string, unknown>>("accounts", id, "?$select=name");
    expect(v2.name).toBe("Etag Co. (renamed)");
    expect(v2["@odata.etag"]).not.toBe(etag1);

    const stale = c.update("accounts", id, { name: "lost update" }, { etag: etag1 });
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(stale).rejects.toMatchObject({ status: 412, name: "ConcurrencyError" });
    const v3 = await c.retrieve<Record<string, unknown>>("accounts", id, "?$select=name");
    expect(v3.name).toBe("Etag Co. (renamed)");
  });

  it("update without etag never creates a record (If-Match: *) and 404s for a missing id", async () => {
    const missing = "11111111-2222-3333-4444-555555555555";
    await expect(client().update("accounts", missing, { name: "ghost" })).rejects.toMatchObject({ status: 404, code: "0x80040217" });
  });

  it("delete removes the record", async () => {
    const c = client();
    const id = await c.create("accounts", newAccount("Delete Me"));
    await c.delete("accounts", id);
    await expect(c.retrieve("accounts", id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("errors", () => {
  it("parses Dataverse's error body into a DataverseError(status, code, message)", async () => {
    const failure = client().retrieveMultiple("accounts", "?$select=nosuchcolumn");
    await expect(failure).rejects.toBeInstanceOf(DataverseError);
    await expect(failure).rejects.toMatchObject({ status: 400, code: "0x0", message: expect.stringContaining("nosuchcolumn") });
  });

  it("WhoAmI returns the calling user", async () => {
    const me = await client().whoAmI();
    expect(me.UserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.OrganizationId).toBeTruthy();
  });
});

describe("CreateMultiple / UpdateMultiple", () => {
  it("chunks 2,500 records into calls of ≤ 1,000 and updates them in bulk", async () => {
    const events: RequestEvent[] = [];
    const c = client({ events });
    const records = Array.from({ length: 2500 }, (_, i) => newAccount(`Bulk ${i}`, { numberofemployees: i }));
    const ids = await c.createMultiple("accounts", "account", records);
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
    expect(events.filter((e) => e.url.endsWith("/accounts/Microsoft.Dynamics.CRM.CreateMultiple")).map((e) => e.status)).toEqual([
      200, 200, 200,
    ]);

    await c.updateMultiple(
      "accounts",
      "account",
      ids.map((accountid) => ({ accountid, numberofemployees: 7 })),
    );
    expect(events.filter((e) => e.url.endsWith("UpdateMultiple"))).toHaveLength(3);
    const check = await c.retrieve<{ numberofemployees: number }>("accounts", ids[2499], "?$select=numberofemployees");
    expect(check.numberofemployees).toBe(7);
  });
});

describe("$batch", () => {
  it("executes a change set (with a Content-ID reference) and a GET, returning per-request results", async () => {
    const c = client();
    const results = await c.executeBatch([
      {
        changeSet: [
          { method: "POST", url: "accounts", body: newAccount("Batch One"), contentId: "1" },
          { method: "PATCH", url: "$1", body: { numberofemployees: 42 }, contentId: "2" },
        ],
      },
      { method: "GET", url: "accounts?$select=name&$filter=name eq 'Batch One'" },
    ]);
    expect(results.map((r) => r.status)).toEqual([204, 204, 200]);
    expect(results[0].contentId).toBe("1");
    expect(results[0].entityId).toMatch(/^[0-9a-f-]{36}$/);
    const found = results[2].body as { value: Array<{ name: string }> };
    expect(found.value.map((v) => v.name)).toEqual(["Batch One"]);
    const created = await c.retrieve<{ numberofemployees: number }>(
      "accounts",
      results[0].entityId as string,
      "?$select=numberofemployees",
    );
    expect(created.numberofemployees).toBe(42);
  });

  // A failing change set fails the whole batch with 400; the client raises the failing request's error
  // (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
  it("rolls back the whole change set when one of its requests fails and raises that request's error", async () => {
    const c = client();
    const before = await c.retrieveMultiple("accounts", { filter: "name eq 'Rollback A'" });
    expect(before.value).toHaveLength(0);
    const err = await c
      .executeBatch([
        {
          changeSet: [
            { method: "POST", url: "accounts", body: newAccount("Rollback A") },
            { method: "POST", url: "accounts", body: { name: "Rollback B", nosuchcolumn: 1 } },
          ],
        },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseError);
    expect(err).toMatchObject({
      status: 400,
      code: "0x0",
      message: expect.stringContaining("nosuchcolumn"),
    });
    expect((err as Error).message).not.toContain("--batchresponse");
    const after = await c.retrieveMultiple("accounts", { filter: "name eq 'Rollback A' or name eq 'Rollback B'" });
    expect(after.value).toHaveLength(0);
  });

  it("builds a multipart/mixed body with application/http parts and a nested change set", () => {
    const c = client();
    const body = c.buildBatchBody(
      [{ changeSet: [{ method: "POST", url: "accounts", body: { name: "x" } }] }, { method: "GET", url: "WhoAmI" }],
      "batch_T",
    );
    expect(body).toMatch(/^--batch_T\r\nContent-Type: multipart\/mixed; boundary=changeset_[\w-]+\r\n\r\n--changeset_/);
    expect(body).toContain(
      "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\nPOST http://127.0.0.1",
    );
    expect(body).toContain(`GET ${server.url}WhoAmI HTTP/1.1`);
    expect(body.endsWith("--batch_T--\r\n")).toBe(true);
  });
});

describe("service protection and transient failures", () => {
  it("honours Retry-After on 429 and succeeds on the retry", async () => {
    await setFaults({ failNext: { count: 1, status: 429, match: "WhoAmI" } });
    const events: RequestEvent[] = [];
    const started = Date.now();
    const me = await client({ events }).whoAmI();
    expect(me.UserId).toBeTruthy();
    expect(events.map((e) => e.status)).toEqual([429, 200]);
    expect(events[0].retryInMs).toBe(1000); // Retry-After: 1 (seconds)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("retries 429 even for a POST (the request was not executed)", async () => {
    await setFaults({ failNext: { count: 1, status: 429, match: "POST" } });
    const events: RequestEvent[] = [];
    const id = await client({ events }).create("accounts", newAccount("After Throttle"));
    expect(id).toBeTruthy();
    expect(events.map((e) => e.status)).toEqual([429, 204]);
  });

  it("gives up after maxRetries with a throttling DataverseError", async () => {
    await setFaults({ throttle: { everyNth: 1, retryAfterSeconds: 0 } });
    const events: RequestEvent[] = [];
    const failure = client({ maxRetries: 2, events }).whoAmI();
    await expect(failure).rejects.toMatchObject({ status: 429, code: "0x80072322", isThrottling: true, retryAfterSeconds: 0 });
    expect(events).toHaveLength(3);
  });

  it("retries 5xx and dropped connections for GET but not for POST", async () => {
    await setFaults({ failNext: { count: 1, status: 503, match: "GET" } });
    const getEvents: RequestEvent[] = [];
    await client({ events: getEvents }).whoAmI();
    expect(getEvents.map((e) => e.status)).toEqual([503, 200]);

    await setFaults({ dropConnectionNext: { count: 1, match: "GET" } });
    const dropEvents: RequestEvent[] = [];
    await client({ events: dropEvents }).whoAmI();
    expect(dropEvents.map((e) => e.status)).toEqual([0, 200]);

    await setFaults({ failNext: { count: 1, status: 503, match: "POST" } });
    const postEvents: RequestEvent[] = [];
    await expect(client({ events: postEvents }).create("accounts", newAccount("No Retry"))).rejects.toMatchObject({ status: 503 });
    expect(postEvents).toHaveLength(1);
  });
});
