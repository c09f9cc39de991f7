/**
 * The dev host's ComponentFramework.WebApi (local/host/webApi.ts) against the local server over HTTP:
 * logical names in, {entities, nextLink} out, nextLink round trip as a control does it, ErrorResponse rejections.
 */
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { HostWebApi, guessEntitySetName, type WebApiErrorResponse } from "../../../local/host/webApi";
import { startTestDataverse, type TestDataverse } from "../../support/server";

jest.setTimeout(120_000);

let server: TestDataverse;
let webApi: HostWebApi;
const ACCOUNTS = 700;

beforeAll(async () => {
  server = await startTestDataverse({ accounts: ACCOUNTS });
  webApi = new HostWebApi({ client: new DataverseHttpClient({ baseUrl: server.url, maxRetries: 1, retryDelayMs: 10 }) });
});
afterAll(async () => {
  await server?.close();
});

describe("retrieveMultipleRecords", () => {
  it("pages with maxPageSize and accepts the nextLink's query part back as options", async () => {
    const first = await webApi.retrieveMultipleRecords("account", "?$select=name,address1_latitude,address1_longitude", 300);
    expect(first.entities).toHaveLength(300);
    expect(first.nextLink).toMatch(/\/api\/data\/v9\.2\/accounts\?.*\$skiptoken=/);

    const ids = new Set(first.entities.map((e) => e.accountid as string));
    let next: string | undefined = first.nextLink;
    let pages = 1;
    while (next) {
      const query = next.slice(next.indexOf("?"));
      const page = await webApi.retrieveMultipleRecords("account", query, 300);
      for (const e of page.entities) ids.add(e.accountid as string);
      next = page.nextLink;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids.size).toBe(ACCOUNTS);
  });

  it("also accepts the whole nextLink URL, and omits nextLink on the last page", async () => {
    const first = await webApi.retrieveMultipleRecords("account", "?$select=name", 500);
    const second = await webApi.retrieveMultipleRecords("account", first.nextLink, 500);
    expect(second.entities).toHaveLength(ACCOUNTS - 500);
    expect(second.nextLink).toBeUndefined();
  });

  it("maps logical names to entity set names", async () => {
    expect(await webApi.setName("territory")).toBe("territories");
    expect(guessEntitySetName("tmap_territorydraft")).toBe("tmap_territorydrafts");
    const territories = await webApi.retrieveMultipleRecords("territory", "?$select=name");
    expect(territories.entities.length).toBeGreaterThan(0);
  });
});

describe("record operations", () => {
  it("create / retrieve / update / delete resolve like the platform's WebApi", async () => {
    const created = await webApi.createRecord("account", { name: "Host WebApi Co." });
    expect(created).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), entityType: "account" });
    const updated = await webApi.updateRecord("account", created.id, { name: "Host WebApi Co. 2" });
    expect(updated).toMatchObject({ id: created.id, entityType: "account" });
    const row = await webApi.retrieveRecord("account", created.id, "?$select=name");
    expect(row.name).toBe("Host WebApi Co. 2");
    await webApi.deleteRecord("account", created.id);
    await expect(webApi.retrieveRecord("account", created.id)).rejects.toMatchObject({
      errorCode: 0x80040217,
      code: "0x80040217",
      status: 404,
    });
  });

  it("rejects with an ErrorResponse-shaped object {errorCode: number, message, code}", async () => {
    let error: WebApiErrorResponse | undefined;
    try {
      await webApi.retrieveMultipleRecords("account", "?$select=nosuchcolumn");
    } catch (e) {
      error = e as WebApiErrorResponse;
    }
    expect(error).toBeDefined();
    expect(error).not.toBeInstanceOf(Error);
    expect(typeof error?.errorCode).toBe("number");
    expect(error?.message).toContain("nosuchcolumn");
    expect(error?.code).toBe("0x0");
  });

  it("surfaces throttling beyond the retries as errorCode 0x80072322 with Retry-After", async () => {
    server.service.faults.set({ throttle: { everyNth: 1, retryAfterSeconds: 0 } });
    try {
      await expect(webApi.retrieveMultipleRecords("account", "?$select=name", 10)).rejects.toMatchObject({
        errorCode: 0x80072322,
        code: "0x80072322",
        status: 429,
        retryAfter: 0,
      });
    } finally {
      server.service.faults.clear();
    }
  });
});
