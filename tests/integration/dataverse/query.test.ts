import { randomUUID } from "node:crypto";
import type { DataverseServer } from "../../../local/dataverse";
import { client, expectDataverseError, startServer } from "./helpers";
import type { Client } from "./helpers";

type Rec = Record<string, unknown>;
interface Page {
  value: Rec[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
  "@odata.context": string;
}

const T1 = "10000000-0000-0000-0000-000000000001";
const T2 = "10000000-0000-0000-0000-000000000002";
const U1 = "20000000-0000-0000-0000-000000000001";

describe("local Dataverse: queries", () => {
  let server: DataverseServer;
  let api: Client;
  const q = async (path: string, headers: Record<string, string> = {}): Promise<Page> => {
    const res = await api.get(path, headers);
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
    return (await res.json()) as Page;
  };
  const names = (p: Page): string[] => p.value.map((r) => String(r.name));

  beforeAll(async () => {
    server = await startServer();
    api = client(server);
    const store = server.service.store;
    store.insertMany("systemuser", [{ systemuserid: U1, fullname: "Grace Hopper", isdisabled: false }]);
    store.insertMany("territory", [
      { territoryid: T1, name: "North", managerid: U1 },
      { territoryid: T2, name: "O'Brien South" },
    ]);
    store.insertMany("account", [
      {
        name: "Alpha",
        accountnumber: "A1",
        revenue: 100,
        numberofemployees: 10,
        address1_city: "Seattle",
        territoryid: T1,
        ownerid: U1,
        statecode: 0,
        statuscode: 1,
        address1_latitude: 47.6,
        createdon: "2024-01-10T00:00:00Z",
      },
      {
        name: "beta",
        industrycode: 7,
        accountnumber: "B2",
        revenue: 250.5,
        numberofemployees: 20,
        address1_city: "Austin",
        territoryid: T2,
        statecode: 0,
        statuscode: 1,
        address1_latitude: 30.2,
        createdon: "2024-02-10T00:00:00Z",
      },
      {
        name: "Gamma",
        accountnumber: "C3",
        revenue: 50,
        numberofemployees: 30,
        address1_city: "Seattle",
        territoryid: T1,
        statecode: 1,
        statuscode: 2,
        createdon: "2024-03-10T00:00:00Z",
      },
      { name: "O'Neil", accountnumber: "D4", numberofemployees: 40, statecode: 0, statuscode: 1, createdon: "2024-04-10T00:00:00Z" },
    ]);
  });
  afterAll(() => server.close());

  it("$select returns only the chosen columns plus the primary key and etag", async () => {
    const page = await q("accounts?$select=name,revenue");
    expect(page["@odata.context"]).toBe(`${server.url}$metadata#accounts(name,revenue)`);
    expect(Object.keys(page.value[0]).sort()).toEqual(["@odata.etag", "accountid", "name", "revenue"]);
  });

  it("$select of an unknown property -> 400 with the documented message", async () => {
    const err = await expectDataverseError(await api.get("accounts?$select=Name"), 400, "0x0");
    expect(err.message).toBe("Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.");
    await expectDataverseError(await api.get("accounts?$select=territoryid"), 400);
  });

  it.each([
    ["name eq 'alpha'", ["Alpha"]],
    ["name ne 'alpha'", ["beta", "Gamma", "O'Neil"]],
    ["revenue gt 100", ["beta"]],
    ["revenue ge 100", ["Alpha", "beta"]],
    ["revenue lt 100", ["Gamma"]],
    ["revenue le 100.0", ["Alpha", "Gamma"]],
    ["revenue eq null", ["O'Neil"]],
    ["revenue ne null and statecode eq 0", ["Alpha", "beta"]],
    ["address1_city eq 'Seattle' or numberofemployees ge 40", ["Alpha", "Gamma", "O'Neil"]],
    ["not (address1_city eq 'Seattle')", ["beta", "O'Neil"]],
    ["(statecode eq 0 and (revenue gt 200 or numberofemployees eq 10))", ["Alpha", "beta"]],
    ["contains(name,'AM')", ["Gamma"]],
    ["startswith(name,'b')", ["beta"]],
    ["endswith(accountnumber,'3')", ["Gamma"]],
    ["name eq 'O''Neil'", ["O'Neil"]],
    [`_territoryid_value eq ${T1}`, ["Alpha", "Gamma"]],
    [`_territoryid_value eq ${T1.toUpperCase()}`, ["Alpha", "Gamma"]],
    ["_territoryid_value eq null", ["O'Neil"]],
    [`_ownerid_value eq ${U1}`, ["Alpha"]],
    ["territoryid/name eq 'North'", ["Alpha", "Gamma"]],
    ["createdon gt 2024-02-01T00:00:00Z", ["beta", "Gamma", "O'Neil"]],
    ["createdon lt 2024-02-01", ["Alpha"]],
    ["Microsoft.Dynamics.CRM.In(PropertyName='accountnumber',PropertyValues=['A1','C3'])", ["Alpha", "Gamma"]],
    ["Microsoft.Dynamics.CRM.NotIn(PropertyName='accountnumber',PropertyValues=['A1','C3'])", ["beta", "O'Neil"]],
    ["Microsoft.Dynamics.CRM.Between(PropertyName='numberofemployees',PropertyValues=['15','35'])", ["beta", "Gamma"]],
    ["Microsoft.Dynamics.CRM.Null(PropertyName='revenue')", ["O'Neil"]],
    ["Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')", ["Alpha"]],
    ["address1_latitude gt 40 and address1_latitude le 90", ["Alpha"]],
  ])("$filter=%s", async (filter, expected) => {
    const page = await q(`accounts?$select=name&$filter=${encodeURIComponent(filter as string)}&$orderby=name`);
    expect(names(page).sort()).toEqual([...(expected as string[])].sort());
  });

  it.each([
    ["name eq 'x"],
    ["name eq"],
    ["name eq 'a' and"],
    ["(name eq null"],
    ["name eq 5"],
    ["revenue gt 'a'"],
    ["_territoryid_value eq 'not-a-guid'"],
    ["name foo null"],
    ["foo eq 1"],
    ["tolower(name) eq 'a'"],
    ["name eq null )"],
  ])("malformed or invalid $filter %s -> Dataverse-shaped 400", async (filter) => {
    const res = await api.get(`accounts?$filter=${encodeURIComponent(filter)}`);
    await expectDataverseError(res, 400);
  });

  it("rejects $skip, unknown system query options and duplicates with 400", async () => {
    await expectDataverseError(await api.get("accounts?$skip=1"), 400, "0x80060888");
    await expectDataverseError(await api.get("accounts?$foo=1"), 400);
    await expectDataverseError(await api.get("accounts?$top=1&$top=2"), 400);
    await expectDataverseError(await api.get("accounts?$top=-1"), 400);
    await expectDataverseError(await api.get("accounts?$orderby=name sideways"), 400);
    await expectDataverseError(await api.get("accounts?$expand=nothere"), 400);
  });

  it("$orderby with several keys and directions (strings case-insensitive, nulls first ascending)", async () => {
    expect(names(await q("accounts?$select=name&$orderby=name"))).toEqual(["Alpha", "beta", "Gamma", "O'Neil"]);
    expect(names(await q("accounts?$select=name&$orderby=revenue asc"))).toEqual(["O'Neil", "Gamma", "Alpha", "beta"]);
    expect(names(await q("accounts?$select=name&$orderby=address1_city desc,numberofemployees desc"))).toEqual([
      "Gamma",
      "Alpha",
      "beta",
      "O'Neil",
    ]);
  });

  it("$top limits the rows; $count=true adds @odata.count", async () => {
    const page = await q("accounts?$select=name&$orderby=name&$top=2&$count=true");
    expect(names(page)).toEqual(["Alpha", "beta"]);
    expect(page["@odata.count"]).toBe(4);
    expect(page["@odata.nextLink"]).toBeUndefined();
    const count = await api.get(`accounts/$count`);
    expect(await count.text()).toBe("4");
  });

  it("$expand of single-valued navigation properties with nested $select", async () => {
    const page = await q(
      `accounts?$select=name&$filter=name eq 'Alpha'&$expand=territoryid($select=name,_managerid_value),ownerid($select=fullname)`,
    );
    const rec = page.value[0];
    expect(rec.territoryid).toMatchObject({ name: "North", territoryid: T1, _managerid_value: U1 });
    expect((rec.territoryid as Rec)["@odata.etag"]).toMatch(/^W\/"\d+"$/);
    expect(rec.ownerid).toMatchObject({ fullname: "Grace Hopper", systemuserid: U1 });
    const none = await q(`accounts?$select=name&$filter=name eq 'O''Neil'&$expand=territoryid`);
    expect(none.value[0].territoryid).toBeNull();
  });

  it('Prefer: odata.include-annotations="*" adds formatted values and lookup annotations', async () => {
    const res = await api.get(`accounts?$select=name,_territoryid_value,revenue,statecode&$filter=name eq 'Alpha'`, {
      Prefer: 'odata.include-annotations="*"',
    });
    expect(res.headers.get("Preference-Applied")).toBe('odata.include-annotations="*"');
    const rec = ((await res.json()) as Page).value[0];
    expect(rec["_territoryid_value@OData.Community.Display.V1.FormattedValue"]).toBe("North");
    expect(rec["_territoryid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("territory");
    expect(rec["_territoryid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"]).toBe("territoryid");
    expect(rec["revenue@OData.Community.Display.V1.FormattedValue"]).toBe("$100.00");
    expect(rec["statecode@OData.Community.Display.V1.FormattedValue"]).toBe("Active");
    const labelled = (await (
      await api.get(`accounts?$select=industrycode&$filter=name eq 'beta'`, {
        Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
      })
    ).json()) as Page;
    expect(labelled.value[0]["industrycode@OData.Community.Display.V1.FormattedValue"]).toBe("Consulting");
    const plain = (await q(`accounts?$select=_territoryid_value&$filter=name eq 'Alpha'`)).value[0];
    expect(Object.keys(plain).some((k) => k.includes("@OData.Community"))).toBe(false);
  });

  it("pages through 12,000 rows with odata.maxpagesize=5000: 3 pages, nextLink followed unchanged", async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      accountid: randomUUID(),
      name: `Bulk ${i}`,
      accountnumber: `BULK-${String(i).padStart(5, "0")}`,
      statecode: 0,
    }));
    server.service.store.insertMany("account", rows);
    const seen = new Set<string>();
    let next: string | undefined = `accounts?$select=name,accountnumber&$filter=startswith(accountnumber,'BULK-')&$count=true`;
    const sizes: number[] = [];
    let first = true;
    while (next) {
      const res = await api.get(next, { Prefer: "odata.maxpagesize=5000" });
      expect(res.status).toBe(200);
      expect(res.headers.get("Preference-Applied")).toBe("odata.maxpagesize=5000");
      const page = (await res.json()) as Page;
      if (first) expect(page["@odata.count"]).toBe(5000); // Dataverse caps @odata.count at 5,000
      first = false;
      sizes.push(page.value.length);
      for (const r of page.value) seen.add(String(r.accountid));
      next = page["@odata.nextLink"];
      if (next) {
        expect(next.startsWith(`${server.url}accounts?`)).toBe(true);
        expect(new URL(next).searchParams.get("$skiptoken")).toMatch(/^<cookie pagenumber="\d+" pagingcookie=".+" istracking="False" \/>$/);
      }
    }
    expect(sizes).toEqual([5000, 5000, 2000]);
    expect(seen.size).toBe(12_000);
  });

  it("paging keeps $orderby order across pages and honours a small maxpagesize", async () => {
    let next: string | undefined = `accounts?$select=name&$filter=startswith(accountnumber,'BULK-0000')&$orderby=accountnumber desc`;
    const got: string[] = [];
    let pages = 0;
    while (next) {
      const page = (await (await api.get(next, { Prefer: "odata.maxpagesize=3" })).json()) as Page;
      pages++;
      got.push(...names(page));
      next = page["@odata.nextLink"];
    }
    expect(pages).toBe(4);
    expect(got).toEqual(["Bulk 9", "Bulk 8", "Bulk 7", "Bulk 6", "Bulk 5", "Bulk 4", "Bulk 3", "Bulk 2", "Bulk 1", "Bulk 0"]);
  });

  // "Don't use $top with the Prefer: odata.maxpagesize request header. If you include both, $top is ignored."
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
  it("$top is ignored when odata.maxpagesize is requested; alone it limits the result", async () => {
    const paged = (await (
      await api.get(`accounts?$select=name&$filter=startswith(accountnumber,'BULK-')&$top=7`, { Prefer: "odata.maxpagesize=50" })
    ).json()) as Page;
    expect(paged.value).toHaveLength(50);
    expect(paged["@odata.nextLink"]).toBeDefined();
    const limited = (await (await api.get(`accounts?$select=name&$filter=startswith(accountnumber,'BULK-')&$top=7`)).json()) as Page;
    expect(limited.value).toHaveLength(7);
    expect(limited["@odata.nextLink"]).toBeUndefined();
  });

  it("totalrecordcount annotations on request; RetrieveTotalRecordCount beyond 5,000", async () => {
    const res = await api.get(`accounts?$select=name&$filter=startswith(accountnumber,'BULK-')&$count=true`, {
      Prefer:
        'odata.maxpagesize=10,odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    });
    const page = (await res.json()) as Rec;
    expect(page["@odata.count"]).toBe(5000);
    expect(page["@Microsoft.Dynamics.CRM.totalrecordcount"]).toBe(5000);
    expect(page["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"]).toBe(true);
    const total = (await (await api.get(`RetrieveTotalRecordCount(EntityNames=['account','territory'])`)).json()) as {
      EntityRecordCountCollection: { Keys: string[]; Values: number[] };
    };
    expect(total.EntityRecordCountCollection.Keys).toEqual(["account", "territory"]);
    expect(total.EntityRecordCountCollection.Values).toEqual([12_004, 2]);
  });

  it("maxpagesize above 5000 is capped at 5000", async () => {
    const page = await q(`accounts?$select=name&$filter=startswith(accountnumber,'BULK-')`, { Prefer: "odata.maxpagesize=20000" });
    expect(page.value).toHaveLength(5000);
    expect(page["@odata.nextLink"]).toBeDefined();
  });

  it("URLs longer than 32 KB are refused (414); URLs over Node's default 16 KB header limit work", async () => {
    const idList = Array.from({ length: 900 }, () => `'${randomUUID()}'`);
    const ids = idList.join(",");
    const filter = `Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=[${ids}])`;
    const long = `accounts?$select=name&$filter=${encodeURIComponent(filter)}`;
    expect(long.length).toBeGreaterThan(32768);
    const res = await api.get(long);
    expect(res.status).toBe(414);
    const mid = `accounts?$select=name&$filter=${encodeURIComponent(`Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=[${idList.slice(0, 450).join(",")}])`)}`;
    expect(mid.length).toBeGreaterThan(16384);
    expect(mid.length).toBeLessThan(32768);
    expect((await api.get(mid)).status).toBe(200);
  });

  it("a badly percent-encoded URL -> 400, not 500", async () => {
    await expectDataverseError(await api.get("accounts(%E0%A4%A)"), 400);
  });

  it("an invalid $skiptoken -> 400", async () => {
    await expectDataverseError(await api.get("accounts?$skiptoken=garbage"), 400);
  });
});
