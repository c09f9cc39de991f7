import {
  WebApiAccountRepository,
  classifyError,
  nextOptions,
} from "../../../TerritoryMapControl/adapters/dataverse/WebApiAccountRepository";
import { RepositoryError, type AccountPage } from "../../../TerritoryMapControl/app/ports/accounts";

type Call = { entity: string; options: string; maxPageSize?: number };
type Reply = { entities: Record<string, unknown>[]; nextLink?: string; [extra: string]: unknown } | { reject: unknown };

/** A scripted ComponentFramework.WebApi: answers retrieveMultipleRecords from a queue and records calls. */
function fakeWebApi(replies: Reply[]): { webApi: ComponentFramework.WebApi; calls: Call[] } {
  const calls: Call[] = [];
  const notUsed = (): Promise<never> => Promise.reject(new Error("not used"));
  const webApi = {
    retrieveMultipleRecords: (entity: string, options?: string, maxPageSize?: number) => {
      calls.push({ entity, options: options ?? "", maxPageSize });
      const reply = replies.shift();
      if (!reply) return Promise.reject(new Error(`no reply scripted for ${entity}${options}`));
      if ("reject" in reply) return Promise.reject(reply.reject);
      return Promise.resolve(reply as ComponentFramework.WebApi.RetrieveMultipleResponse);
    },
    createRecord: notUsed,
    deleteRecord: notUsed,
    updateRecord: notUsed,
    retrieveRecord: notUsed,
  } as unknown as ComponentFramework.WebApi;
  return { webApi, calls };
}

const row = (i: number, lat: number | null = 40 + i / 100) => ({
  accountid: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
  name: `Account ${i}`,
  address1_latitude: lat,
  address1_longitude: lat === null ? null : -100,
  revenue: i * 10,
});

// nextLinks are absolute in real responses; only their query part is passed back.
const BASE = ["https:", "", "org.example.invalid", "api", "data", "v9.2", "accounts"].join("/");
const noSleep = { sleep: jest.fn(() => Promise.resolve()) };

describe("WebApiAccountRepository.loadAccounts", () => {
  it("asks for the columns, the translated scope and a count, then follows nextLink's query part", async () => {
    const { webApi, calls } = fakeWebApi([
      { entities: [row(1), row(2)], nextLink: `${BASE}?$select=accountid&$skiptoken=page2`, "@odata.count": 3 },
      { entities: [row(3, null)] },
    ]);
    const repo = new WebApiAccountRepository(webApi, noSleep);
    const pages: AccountPage[] = [];
    const summary = await repo.loadAccounts(
      { scope: '<filter><condition attribute="statecode" operator="eq" value="0"/></filter>', measureColumns: ["revenue"], pageSize: 2 },
      (p) => pages.push(p),
    );
    expect(calls).toEqual([
      {
        entity: "account",
        options:
          "?$select=accountid,name,address1_latitude,address1_longitude,address1_postalcode,address1_city,address1_stateorprovince,address1_line1,_territoryid_value,_ownerid_value,revenue&$filter=statecode%20eq%200&$count=true",
        maxPageSize: 2,
      },
      { entity: "account", options: "?$select=accountid&$skiptoken=page2", maxPageSize: 2 },
    ]);
    expect(summary).toEqual({ total: 3, requests: 2 });
    expect(pages.map((p) => [p.pageIndex, p.loadedSoFar, p.accounts.length, p.expectedTotal])).toEqual([
      [0, 2, 2, 3],
      [1, 3, 1, undefined],
    ]);
    expect(pages[0].accounts[1]).toMatchObject({ name: "Account 2", placement: "placed", measures: [20] });
    expect(pages[1].accounts[0]).toMatchObject({ name: "Account 3", placement: "missing" });
  });

  it.each([
    ["capped at 5000 (Dataverse's limit)", { "@odata.count": 5000 }],
    ["flagged as over the limit", { "@odata.count": 4000, "@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded": true }],
    ["absent (the documented WebApi result)", {}],
  ])("defaults to pages of 5000 and leaves the total unknown when the count is %s", async (_label, extra) => {
    const { webApi, calls } = fakeWebApi([{ entities: [row(1)], ...extra }]);
    const pages: AccountPage[] = [];
    await new WebApiAccountRepository(webApi, noSleep).loadAccounts({ scope: "", measureColumns: [] }, (p) => pages.push(p));
    expect(calls[0].maxPageSize).toBe(5000);
    expect(calls[0].options).not.toContain("$filter");
    expect(pages[0].expectedTotal).toBeNull();
  });

  it("retries throttling and server errors with doubling back-off, honouring Retry-After", async () => {
    const sleep = jest.fn((_ms: number) => Promise.resolve());
    const { webApi, calls } = fakeWebApi([
      {
        reject: {
          errorCode: 2147951394,
          message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
          retryAfter: 3,
        },
      },
      { reject: { errorCode: 2147746581, message: "Service Unavailable", status: 503 } },
      { entities: [row(1)] },
    ]);
    const summary = await new WebApiAccountRepository(webApi, { sleep }).loadAccounts({ scope: "", measureColumns: [] }, () => undefined);
    expect(calls).toHaveLength(3);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([3000, 1000]);
    expect(summary).toEqual({ total: 1, requests: 3 });
  });

  it("gives up after the retries with a 'throttled' error naming the attempts", async () => {
    const throttled = { reject: { errorCode: 2147951394, message: "Too many requests", status: 429 } };
    const { webApi, calls } = fakeWebApi([throttled, throttled, throttled, throttled, throttled, { entities: [] }]);
    const error = await new WebApiAccountRepository(webApi, noSleep)
      .loadAccounts({ scope: "", measureColumns: [] }, () => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryError);
    expect(error).toMatchObject({ kind: "throttled", attempts: 5, detail: "Too many requests" });
    expect(calls).toHaveLength(5);
  });

  it("retries a network failure (TypeError) and then reports 'unavailable'", async () => {
    const down = { reject: new TypeError("Failed to fetch") };
    const { webApi } = fakeWebApi([down, down, down]);
    const error = await new WebApiAccountRepository(webApi, { ...noSleep, maxRetries: 2 })
      .loadAccounts({ scope: "", measureColumns: [] }, () => undefined)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "unavailable",
      attempts: 3,
      message: "Dataverse could not be reached or returned a server error, also after several retries.",
    });
  });

  it("does not retry a rejected query and passes the server's message on", async () => {
    const { webApi, calls } = fakeWebApi([
      {
        reject: {
          errorCode: 2147746327,
          code: "0x80060888",
          message: "Could not find a property named 'revenu' on type 'Microsoft.Dynamics.CRM.account'.",
          status: 400,
        },
      },
    ]);
    const error = await new WebApiAccountRepository(webApi, noSleep)
      .loadAccounts({ scope: "", measureColumns: ["revenu"] }, () => undefined)
      .catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({
      kind: "rejected",
      message:
        "Dataverse rejected the query. Could not find a property named 'revenu' on type 'Microsoft.Dynamics.CRM.account'. 0x80060888",
    });
  });

  it("reports an invalid scope without calling the server", async () => {
    const { webApi, calls } = fakeWebApi([]);
    const error = await new WebApiAccountRepository(webApi, noSleep)
      .loadAccounts({ scope: "<filter><condition/></filter>", measureColumns: [] }, () => undefined)
      .catch((e: unknown) => e);
    expect(calls).toHaveLength(0);
    expect(error).toMatchObject({
      kind: "scope",
      message: "The account scope is not a valid FetchXML filter: a <condition> has no 'attribute'.",
    });
  });

  it("stops between pages when aborted: the one page already requested ahead is never delivered", async () => {
    const { webApi, calls } = fakeWebApi([
      { entities: [row(1)], nextLink: `${BASE}?$skiptoken=2` },
      { entities: [row(2)], nextLink: `${BASE}?$skiptoken=3` },
      { entities: [row(3)] },
    ]);
    const controller = new AbortController();
    const delivered: number[] = [];
    const error = await new WebApiAccountRepository(webApi, noSleep)
      .loadAccounts(
        { scope: "", measureColumns: [] },
        (page) => {
          delivered.push(page.pageIndex);
          controller.abort();
        },
        controller.signal,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "aborted" });
    expect(delivered).toEqual([0]);
    expect(calls.map((c) => c.options.slice(0, 12))).toEqual(["?$select=acc", "?$skiptoken="]);
  });

  it("requests the next page before handing the current one over (pipelined paging)", async () => {
    const { webApi, calls } = fakeWebApi([
      { entities: [row(1)], nextLink: `${BASE}?$skiptoken=2` },
      { entities: [row(2)], nextLink: `${BASE}?$skiptoken=3` },
      { entities: [row(3)] },
    ]);
    const callsSeenAtPage: number[] = [];
    const summary = await new WebApiAccountRepository(webApi, noSleep).loadAccounts({ scope: "", measureColumns: [] }, () => {
      callsSeenAtPage.push(calls.length);
    });
    expect(callsSeenAtPage).toEqual([2, 3, 3]);
    expect(summary).toEqual({ total: 3, requests: 3 });
  });
});

describe("WebApiAccountRepository: territories, reps, environment variables", () => {
  it("loads territories and enabled users", async () => {
    const { webApi, calls } = fakeWebApi([
      { entities: [{ territoryid: "T1", name: "West", _managerid_value: "U1" }] },
      { entities: [{ systemuserid: "U1", fullname: "Ana Rep", address1_latitude: 41.9, address1_longitude: -87.6 }] },
    ]);
    const repo = new WebApiAccountRepository(webApi, noSleep);
    expect(await repo.loadTerritories()).toEqual([{ id: "t1", name: "West", managerId: "u1", parentId: null }]);
    expect(await repo.loadReps()).toEqual([{ id: "u1", fullName: "Ana Rep", homeBase: { latitude: 41.9, longitude: -87.6 } }]);
    expect(calls.map((c) => `${c.entity}${c.options}`)).toEqual([
      "territory?$select=territoryid,name,_managerid_value,_parentterritoryid_value&$orderby=name",
      "systemuser?$select=systemuserid,fullname,address1_latitude,address1_longitude&$filter=isdisabled%20eq%20false&$orderby=fullname",
    ]);
  });

  it("prefers the environment variable's value over its default", async () => {
    const { webApi, calls } = fakeWebApi([
      { entities: [{ environmentvariabledefinitionid: "d1", defaultvalue: "default-key" }] },
      { entities: [{ value: "current-key" }] },
    ]);
    expect(await new WebApiAccountRepository(webApi, noSleep).getEnvironmentVariableValue("tmap_AzureMapsKey")).toBe("current-key");
    expect(calls.map((c) => `${c.entity}${c.options}`)).toEqual([
      "environmentvariabledefinition?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname%20eq%20'tmap_AzureMapsKey'",
      "environmentvariablevalue?$select=value&$filter=_environmentvariabledefinitionid_value%20eq%20d1",
    ]);
  });

  it("falls back to the default value, and to null for an unknown variable", async () => {
    const withDefault = fakeWebApi([
      { entities: [{ environmentvariabledefinitionid: "d1", defaultvalue: "default-key" }] },
      { entities: [] },
    ]);
    expect(await new WebApiAccountRepository(withDefault.webApi, noSleep).getEnvironmentVariableValue("x")).toBe("default-key");
    const unknown = fakeWebApi([{ entities: [] }]);
    expect(await new WebApiAccountRepository(unknown.webApi, noSleep).getEnvironmentVariableValue("x")).toBeNull();
    expect(await new WebApiAccountRepository(fakeWebApi([]).webApi, noSleep).getEnvironmentVariableValue("")).toBeNull();
  });
});

describe("classifyError / nextOptions", () => {
  it.each([
    [{ errorCode: 0, message: "x", status: 429 }, "throttled", true],
    [{ errorCode: 0, message: "x", code: "0x80072321" }, "throttled", true],
    [{ errorCode: 0, message: "Internal Server Error", status: 500 }, "unavailable", true],
    [new TypeError("NetworkError when attempting to fetch resource."), "unavailable", true],
    [{ errorCode: 0, message: "Principal user is missing prvReadAccount privilege", status: 403 }, "forbidden", false],
    [{ errorCode: 0, message: "Syntax error", status: 400 }, "rejected", false],
  ])("%j → %s", (error, kind, transient) => {
    expect(classifyError(error)).toMatchObject({ kind, transient });
  });

  it("takes the query part of a nextLink", () => {
    expect(nextOptions(`${BASE}?$select=name&$skiptoken=%3Ccookie%3E`)).toBe("?$select=name&$skiptoken=%3Ccookie%3E");
    expect(nextOptions(undefined)).toBeNull();
  });
});
