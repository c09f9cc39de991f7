/**
 * The stand-in where it once differed from Dataverse as Microsoft documents it: LIKE wildcards in string functions,
 * conditional retrieval limits, statecode / statuscode pairs, deeply nested $filter, a $batch that yields to other
 * requests, and impersonation. Each test cites the Microsoft Learn page it follows.
 */
import type { DataverseServer } from "../../../local/dataverse";
import { buildBatch, client, expectDataverseError, startServer } from "./helpers";
import type { Client } from "./helpers";

type Rec = Record<string, unknown>;
const LEARN = "https://learn.microsoft.com/power-apps/developer/data-platform";

describe("local Dataverse: documented behaviour", () => {
  let server: DataverseServer;
  let api: Client;
  const names = async (filter: string): Promise<string[]> => {
    const res = await api.get(`accounts?$select=name&$filter=${encodeURIComponent(filter)}&$orderby=name`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: Rec[] }).value.map((r) => String(r.name));
  };

  beforeAll(async () => {
    server = await startServer();
    api = client(server);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.service.store.reset(["account", "systemuser"]);
    server.service.privileges.clear();
    server.service.setCurrentUserId(undefined);
  });

  describe(`wildcards in contains / startswith / endswith (${LEARN}/wildcard-characters)`, () => {
    beforeEach(() => {
      server.service.store.insertMany(
        "account",
        ["50% Off", "50X Off", "A_B", "AxB", "[x] Co", "x Co", "Bravo", "Charlie"].map((name) => ({ name })),
      );
    });

    it("% _ [..] and [^..] are wildcards", async () => {
      expect(await names("startswith(name,'50%')")).toEqual(["50% Off", "50X Off"]);
      expect(await names("contains(name,'A_B')")).toEqual(["A_B", "AxB"]);
      expect(await names("startswith(name,'[bc]')")).toEqual(["Bravo", "Charlie"]);
      expect(await names("startswith(name,'[^a-c0-9[]')")).toEqual(["x Co"]);
      expect(await names("endswith(name,'%e')")).toEqual(["Charlie"]);
    });

    it("a wildcard enclosed in brackets is literal", async () => {
      expect(await names("startswith(name,'50[%]')")).toEqual(["50% Off"]);
      expect(await names("contains(name,'A[_]B')")).toEqual(["A_B"]);
      expect(await names("startswith(name,'[[]x]')")).toEqual(["[x] Co"]);
    });
  });

  describe(`conditional retrieval (${LEARN}/webapi/perform-conditional-operations-using-web-api)`, () => {
    it("304 for an unchanged record, never with $expand or annotations", async () => {
      const [row] = await createAccounts(["Conditional"]);
      const first = await api.get(`accounts(${row})?$select=name`);
      const etag = first.headers.get("ETag") as string;
      expect((await api.get(`accounts(${row})?$select=name`, { "If-None-Match": etag })).status).toBe(304);
      const expanded = await api.get(`accounts(${row})?$select=name&$expand=territoryid($select=name)`, { "If-None-Match": etag });
      expect(expanded.status).toBe(200);
      const annotated = await api.get(`accounts(${row})?$select=name`, {
        "If-None-Match": etag,
        Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
      });
      expect(annotated.status).toBe(200);
    });
  });

  describe(`statecode / statuscode (${LEARN}/reference/web-service-error-codes)`, () => {
    it("a status reason of another state is refused with 400; a new state gets its default status", async () => {
      const [id] = await createAccounts(["Stateful"]);
      const bad = await api.patch(`accounts(${id})`, { statecode: 1, statuscode: 1 }, { "If-Match": "*" });
      const error = await expectDataverseError(bad, 400, "0x80048408");
      expect(error.message).toBe(`1 is not a valid status code for state code AccountState.Inactive on account with Id ${id}.`);
      expect((await api.patch(`accounts(${id})`, { statuscode: 2 }, { "If-Match": "*" })).status).toBe(400);
      expect((await api.patch(`accounts(${id})`, { statecode: 1 }, { "If-Match": "*" })).status).toBe(204);
      expect(server.service.store.get("account", id)).toMatchObject({ statecode: 1, statuscode: 2 });
      expect((await api.post("accounts", { name: "Born inactive", statecode: 1, statuscode: 2 })).status).toBe(204);
      await expectDataverseError(await api.post("accounts", { name: "Mismatch", statecode: 0, statuscode: 2 }), 400, "0x80048408");
    });
  });

  it("5,000 nested parentheses in $filter are a 400 query error, not a 500", async () => {
    const deep = `${"(".repeat(5000)}name eq 'a'${")".repeat(5000)}`;
    const res = await fetch(
      `${server.url}$batch`,
      batchOf([{ method: "GET", url: `${server.url}accounts?$filter=${encodeURIComponent(deep)}` }]),
    );
    expect(res.status).toBe(400);
    const direct = await api.get(`accounts?$filter=${encodeURIComponent(deep)}`);
    const error = await expectDataverseError(direct, 400, "0x80060888");
    expect(error.message).toMatch(/recursion limit/);
    expect((await api.get(`accounts?$filter=${encodeURIComponent(`${"(".repeat(50)}name eq 'a'${")".repeat(50)}`)}`)).status).toBe(200);
  });

  it("a $batch of heavy GETs lets other requests through between its operations", async () => {
    server.service.store.insertMany(
      "account",
      Array.from({ length: 20_000 }, (_, i) => ({ name: `Heavy ${i}`, accountnumber: `H-${i}`, revenue: i })),
    );
    const heavy = Array.from({ length: 40 }, () => ({
      method: "GET",
      url: `${server.url}accounts?$select=name&$filter=${encodeURIComponent("contains(name,'9') and revenue gt 10")}&$orderby=revenue desc`,
    }));
    server.service.resetStats();
    const started = performance.now();
    let batchDone = 0;
    let whoAmIDone = 0;
    const batch = fetch(`${server.url}$batch`, batchOf(heavy))
      .then((r) => r.text())
      .then(() => (batchDone = performance.now()));
    // Once the server has started the batch, ask WhoAmI (same process: this loop turns only when the server yields).
    while (server.service.stats().batchOperations === 0) await new Promise((r) => setImmediate(r));
    const asked = performance.now();
    const whoAmI = api
      .get("WhoAmI")
      .then((r) => r.text())
      .then(() => (whoAmIDone = performance.now()));
    await Promise.all([batch, whoAmI]);
    // The server turned the event loop early in the batch (a blocking batch would let this process ask only after
    // it), and WhoAmI is answered while the batch still runs, in a small fraction of the batch's time.
    expect(asked - started).toBeLessThan((batchDone - started) / 2);
    expect(whoAmIDone).toBeLessThan(batchDone);
    expect(whoAmIDone - asked).toBeLessThan((batchDone - started) / 4);
  });

  describe(`impersonation (${LEARN}/webapi/impersonate-another-user-web-api)`, () => {
    const admin = "00000000-0000-0000-0000-0000000000a1";
    const rep = "00000000-0000-0000-0000-0000000000b2";
    const repObjectId = "e39c5d16-675b-48d1-8e67-667427e9c084";
    beforeEach(() => {
      server.service.store.insertMany("systemuser", [
        { systemuserid: admin, fullname: "Integration User" },
        { systemuserid: rep, fullname: "Impersonated Rep", azureactivedirectoryobjectid: repObjectId },
      ]);
      server.service.setCurrentUserId(admin);
    });

    it("MSCRMCallerID and CallerObjectId run as the user; createdby is that user, createdonbehalfby the caller", async () => {
      const headers: Array<Record<string, string>> = [{ MSCRMCallerID: rep }, { CallerObjectId: repObjectId }];
      for (const header of headers) {
        const res = await api.post(
          "accounts?$select=_createdby_value,_createdonbehalfby_value,_ownerid_value",
          { name: "On behalf" },
          {
            ...header,
            Prefer: "return=representation",
          },
        );
        expect(res.status).toBe(201);
        expect(await res.json()).toMatchObject({ _createdby_value: rep, _createdonbehalfby_value: admin, _ownerid_value: rep });
        const who = (await (await api.get("WhoAmI", header)).json()) as Rec;
        expect(who.UserId).toBe(rep);
      }
      const own = (await (
        await api.post("accounts?$select=_createdby_value,_createdonbehalfby_value", { name: "Own" }, { Prefer: "return=representation" })
      ).json()) as Rec;
      expect(own).toMatchObject({ _createdby_value: admin, _createdonbehalfby_value: null });
    });

    it("the impersonated user must exist; naming the caller itself is no impersonation", async () => {
      server.service.privileges.setUserRoles(admin, [{ name: "No delegate", privileges: { prvReadAccount: "Global" } }]);
      expect(((await (await api.get("WhoAmI", { MSCRMCallerID: admin })).json()) as Rec).UserId).toBe(admin);
      await expectDataverseError(await api.get("WhoAmI", { MSCRMCallerID: "00000000-0000-0000-0000-00000000dead" }), 404, "0x80040217");
      await expectDataverseError(await api.get("WhoAmI", { CallerObjectId: "00000000-0000-0000-0000-00000000beef" }), 404, "0x80040217");
    });

    it("the caller needs prvActOnBehalfOfAnotherUser; then the impersonated user's privileges apply too", async () => {
      server.service.privileges.setUserRoles(admin, [
        { name: "No delegate", privileges: { prvReadAccount: "Global", prvCreateAccount: "Global" } },
      ]);
      const refused = await expectDataverseError(await api.get("accounts?$select=name", { MSCRMCallerID: rep }), 403, "0x80040220");
      expect(refused.message).toMatch(/prvActOnBehalfOfAnotherUser/);
      server.service.privileges.setUserRoles(admin, [
        { name: "Delegate", privileges: { prvActOnBehalfOfAnotherUser: "Global", prvReadAccount: "Global", prvCreateAccount: "Global" } },
      ]);
      server.service.privileges.setUserRoles(rep, [{ name: "Reader", privileges: { prvReadAccount: "Global" } }]);
      expect((await api.get("accounts?$select=name", { MSCRMCallerID: rep })).status).toBe(200);
      // The rep may not create accounts: the intersection of both users' privileges applies.
      await expectDataverseError(await api.post("accounts", { name: "Denied" }, { MSCRMCallerID: rep }), 403, "0x80040220");
    });
  });

  async function createAccounts(list: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const name of list) {
      const res = await api.post("accounts", { name });
      ids.push(/\(([0-9a-f-]{36})\)$/.exec(res.headers.get("OData-EntityId") ?? "")![1]);
    }
    return ids;
  }

  function batchOf(parts: Array<{ method: string; url: string }>): RequestInit {
    const { boundary, body } = buildBatch(parts);
    return { method: "POST", headers: { "Content-Type": `multipart/mixed; boundary=${boundary}`, Accept: "application/json" }, body };
  }
});

// Teams own records: an owner lookup targets systemuser and team; members of an owner team act on its records at
// Basic depth. https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
// and https://learn.microsoft.com/power-platform/admin/manage-teams
describe("local Dataverse: teams as owners", () => {
  let server: DataverseServer;
  let api: Client;
  const member = "00000000-0000-0000-0000-0000000000c3";
  const outsider = "00000000-0000-0000-0000-0000000000d4";
  beforeAll(async () => {
    server = await startServer();
    api = client(server);
  });
  afterAll(() => server.close());

  it("creates a team, adds a member, owns an account; _ownerid_value says team; Basic depth honours membership", async () => {
    const admin = "00000000-0000-0000-0000-0000000000a1";
    server.service.store.insertMany("systemuser", [
      { systemuserid: admin, fullname: "Administrator" },
      { systemuserid: member, fullname: "Team Member" },
      { systemuserid: outsider, fullname: "Outsider" },
    ]);
    server.service.setCurrentUserId(admin);
    const created = await api.post("teams", { name: "West sales", teamtype: 0 }, { Prefer: "return=representation" });
    expect(created.status).toBe(201);
    const team = (await created.json()) as Rec;
    expect(team).toMatchObject({ name: "West sales", teamtype: 0, _businessunitid_value: expect.any(String) });
    const teamId = String(team.teamid);
    const added = await api.post(`teams(${teamId})/teammembership_association/$ref`, {
      "@odata.id": `${server.url}systemusers(${member})`,
    });
    expect(added.status).toBe(204);
    const members = (await (await api.get(`teams(${teamId})/teammembership_association`)).json()) as { value: Rec[] };
    expect(members.value.map((u) => u.systemuserid)).toEqual([member]);

    const account = await api.post(
      "accounts?$select=_ownerid_value",
      { name: "Team owned", "ownerid@odata.bind": `/teams(${teamId})` },
      { Prefer: 'return=representation,odata.include-annotations="*"' },
    );
    expect(account.status).toBe(201);
    const body = (await account.json()) as Rec;
    expect(body).toMatchObject({
      _ownerid_value: teamId,
      "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "team",
      "_ownerid_value@OData.Community.Display.V1.FormattedValue": "West sales",
    });
    const accountId = String(body.accountid);
    const userOwned = await api.post(
      "accounts?$select=_ownerid_value",
      { name: "User owned" },
      { Prefer: 'return=representation,odata.include-annotations="*"' },
    );
    expect(((await userOwned.json()) as Rec)["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("systemuser");

    const basic = [{ name: "Basic salesperson", privileges: { prvReadAccount: "Global" as const, prvWriteAccount: "Basic" as const } }];
    server.service.privileges.setUserRoles(member, basic);
    server.service.privileges.setUserRoles(outsider, basic);
    expect((await api.patch(`accounts(${accountId})`, { accountnumber: "T-1" }, { "If-Match": "*", MSCRMCallerID: member })).status).toBe(
      204,
    );
    await expectDataverseError(
      await api.patch(`accounts(${accountId})`, { accountnumber: "T-2" }, { "If-Match": "*", MSCRMCallerID: outsider }),
      403,
      "0x80040220",
    );
    // Removed from the team, the member loses access too.
    expect((await api.del(`teams(${teamId})/teammembership_association(${member})/$ref`)).status).toBe(204);
    await expectDataverseError(
      await api.patch(`accounts(${accountId})`, { accountnumber: "T-3" }, { "If-Match": "*", MSCRMCallerID: member }),
      403,
      "0x80040220",
    );
    expect(server.service.store.get("account", accountId)?.accountnumber).toBe("T-1");
  });

  it("any user-owned table accepts a team owner (its owner lookup targets systemuser and team)", async () => {
    server.service.registerTables([
      {
        logicalName: "tmap_sample",
        entitySetName: "tmap_samples",
        primaryIdAttribute: "tmap_sampleid",
        primaryNameAttribute: "tmap_name",
        ownership: "user",
        attributes: [
          { logicalName: "tmap_sampleid", type: "uniqueidentifier" },
          { logicalName: "tmap_name", type: "string", maxLength: 100 },
          { logicalName: "ownerid", type: "owner", targets: ["systemuser"] },
        ],
      },
    ]);
    const team = await api.post("teams", { name: "Owners" }, { Prefer: "return=representation" });
    const teamId = String(((await team.json()) as Rec).teamid);
    const res = await api.post(
      "tmap_samples?$select=_ownerid_value",
      { tmap_name: "Team owned plan", "ownerid@odata.bind": `/teams(${teamId})` },
      { Prefer: 'return=representation,odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' },
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ _ownerid_value: teamId, "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "team" });
  });
});
