import type { DataverseServer } from "../../../local/dataverse";
import { client, expectDataverseError, idFromEntityId, startServer } from "./helpers";
import type { Client } from "./helpers";

type Json = Record<string, unknown>;

describe("local Dataverse: records", () => {
  let server: DataverseServer;
  let api: Client;
  let territoryId: string;
  let userId: string;

  beforeAll(async () => {
    server = await startServer();
    api = client(server);
    server.service.store.insertMany("systemuser", [
      { fullname: "Ada Lovelace", firstname: "Ada", lastname: "Lovelace", isdisabled: false },
    ]);
    userId = String(server.service.store.rows("systemuser").next().value?.systemuserid);
    const res = await api.post("territories", { name: "West", "managerid@odata.bind": `/systemusers(${userId})` });
    territoryId = idFromEntityId(res.headers.get("OData-EntityId"));
  });
  afterAll(() => server.close());

  it("serves the service document listing entity sets", async () => {
    const res = await api.get("");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: Array<{ name: string; kind: string; url: string }> };
    expect(body.value.map((v) => v.name).sort()).toEqual([
      "accounts",
      "businessunits",
      "environmentvariabledefinitions",
      "environmentvariablevalues",
      "systemusers",
      "teammemberships",
      "teams",
      "territories",
    ]);
    expect(body.value[0].kind).toBe("EntitySet");
  });

  it("serves $metadata as CSDL", async () => {
    const res = await fetch(`${server.url}$metadata`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('<EntitySet Name="accounts" EntityType="Microsoft.Dynamics.CRM.account"/>');
    expect(text).toContain('<Property Name="_territoryid_value" Type="Edm.Guid"/>');
  });

  it("creates with 204 + OData-EntityId and retrieves with @odata.etag", async () => {
    const res = await api.post("accounts", {
      name: "Contoso",
      address1_latitude: 47.6062123,
      revenue: 1000.5,
      "territoryid@odata.bind": `/territories(${territoryId})`,
    });
    expect(res.status).toBe(204);
    const entityId = res.headers.get("OData-EntityId");
    expect(entityId).toMatch(new RegExp(`^${server.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}accounts\\([0-9a-f-]{36}\\)$`));
    const id = idFromEntityId(entityId);
    const get = await api.get(`accounts(${id})?$select=name,address1_latitude,_territoryid_value,_ownerid_value,statecode`);
    expect(get.status).toBe(200);
    const rec = (await get.json()) as Json;
    expect(rec["@odata.context"]).toBe(
      `${server.url}$metadata#accounts(name,address1_latitude,_territoryid_value,_ownerid_value,statecode)/$entity`,
    );
    expect(rec["@odata.etag"]).toMatch(/^W\/"\d+"$/);
    expect(get.headers.get("ETag")).toBe(rec["@odata.etag"]);
    expect(rec).toMatchObject({
      name: "Contoso",
      address1_latitude: 47.60621,
      _territoryid_value: territoryId,
      accountid: id,
      statecode: 0,
      _ownerid_value: userId,
    });
  });

  it("creates with Prefer: return=representation -> 201 with the record", async () => {
    const res = await api.post(
      "accounts?$select=name,accountnumber",
      { name: "Fabrikam", accountnumber: "F-1" },
      { Prefer: "return=representation" },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("Preference-Applied")).toBe("return=representation");
    const rec = (await res.json()) as Json;
    expect(rec).toMatchObject({ name: "Fabrikam", accountnumber: "F-1" });
    expect(rec.accountid).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec["@odata.etag"]).toMatch(/^W\/"\d+"$/);
    expect(Object.keys(rec)).not.toContain("revenue");
  });

  it("accepts a client-supplied primary key on create and rejects a duplicate", async () => {
    const id = "11111111-2222-3333-4444-555555555555";
    expect((await api.post("accounts", { accountid: id, name: "Keyed" })).status).toBe(204);
    await expectDataverseError(await api.post("accounts", { accountid: id, name: "Again" }), 412, "0x80040237");
  });

  it("returns the Dataverse error for a missing record (404, 0x80040217)", async () => {
    const err = await expectDataverseError(await api.get("accounts(00000000-0000-0000-0000-000000000001)"), 404, "0x80040217");
    expect(err.message).toContain("Does Not Exist");
    await expectDataverseError(await api.del("accounts(00000000-0000-0000-0000-000000000001)"), 404, "0x80040217");
  });

  it("returns 404 0x8006088a for an unknown entity set (case-sensitive)", async () => {
    const err = await expectDataverseError(await api.get("Accounts"), 404, "0x8006088a");
    expect(err.message).toBe("Resource not found for the segment 'Accounts'.");
  });

  it("rejects unknown properties, lookups written as _x_value, and invalid values", async () => {
    const e1 = await expectDataverseError(await api.post("accounts", { name: "X", foo: 1 }), 400, "0x0");
    expect(e1.message).toContain("The property 'foo' does not exist on type 'Microsoft.Dynamics.CRM.account'");
    await expectDataverseError(await api.post("accounts", { name: "X", _territoryid_value: territoryId }), 400);
    await expectDataverseError(await api.post("accounts", { name: "X", address1_latitude: 91 }), 400, "0x80044331");
    await expectDataverseError(await api.post("accounts", { name: "X", address1_postalcode: "x".repeat(21) }), 400, "0x80044331");
    await expectDataverseError(await api.post("accounts", { name: "X", numberofemployees: "ten" }), 400);
    await expectDataverseError(await api.post("accounts", { name: "X", industrycode: 999 }), 400, "0x80044331");
    await expectDataverseError(
      await api.post("accounts", { name: "X", "territoryid@odata.bind": "/accounts(00000000-0000-0000-0000-000000000001)" }),
      400,
    );
    await expectDataverseError(
      await api.post("accounts", { name: "X", "territoryid@odata.bind": "/territories(00000000-0000-0000-0000-000000000001)" }),
      404,
      "0x80040217",
    );
    await expectDataverseError(
      await fetch(`${server.url}accounts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"name":' }),
      400,
    );
  });

  it("updates with PATCH, bumps the etag, and clears a lookup with a null bind", async () => {
    const id = idFromEntityId(
      (await api.post("accounts", { name: "Tailspin", "territoryid@odata.bind": `territories(${territoryId})` })).headers.get(
        "OData-EntityId",
      ),
    );
    const before = (await (await api.get(`accounts(${id})`)).json()) as Json;
    expect(before._territoryid_value).toBe(territoryId);
    const res = await api.patch(`accounts(${id})`, { name: "Tailspin Toys", "territoryid@odata.bind": null });
    expect(res.status).toBe(204);
    const after = (await (await api.get(`accounts(${id})`)).json()) as Json;
    expect(after.name).toBe("Tailspin Toys");
    expect(after._territoryid_value).toBeNull();
    expect(after["@odata.etag"]).not.toBe(before["@odata.etag"]);
    expect(Number(after.versionnumber)).toBeGreaterThan(Number(before.versionnumber));
  });

  it("PATCH with return=representation -> 200 with the record", async () => {
    const id = idFromEntityId((await api.post("accounts", { name: "Rep" })).headers.get("OData-EntityId"));
    const res = await api.patch(`accounts(${id})?$select=name`, { name: "Rep 2" }, { Prefer: "return=representation" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).name).toBe("Rep 2");
  });

  it("PATCH upserts: creates a missing record, unless If-Match: * (404); If-None-Match: * prevents update (412)", async () => {
    const id = "aaaaaaaa-0000-0000-0000-000000000001";
    await expectDataverseError(await api.patch(`accounts(${id})`, { name: "Nope" }, { "If-Match": "*" }), 404, "0x80040217");
    const created = await api.patch(`accounts(${id})`, { name: "Upserted" });
    expect(created.status).toBe(204);
    expect(idFromEntityId(created.headers.get("OData-EntityId"))).toBe(id);
    expect(((await (await api.get(`accounts(${id})`)).json()) as Json).name).toBe("Upserted");
    expect((await api.patch(`accounts(${id})`, { name: "Updated" }, { "If-Match": "*" })).status).toBe(204);
    await expectDataverseError(await api.patch(`accounts(${id})`, { name: "Again" }, { "If-None-Match": "*" }), 412, "0x80040237");
  });

  it("optimistic concurrency: If-Match with a stale etag -> 412 0x80060882; current etag succeeds", async () => {
    const id = idFromEntityId((await api.post("accounts", { name: "Etag" })).headers.get("OData-EntityId"));
    const etag = String(((await (await api.get(`accounts(${id})?$select=name`)).json()) as Json)["@odata.etag"]);
    expect((await api.patch(`accounts(${id})`, { name: "Etag 2" }, { "If-Match": etag })).status).toBe(204);
    const err = await expectDataverseError(await api.patch(`accounts(${id})`, { name: "Etag 3" }, { "If-Match": etag }), 412, "0x80060882");
    expect(err.message).toBe("The version of the existing record doesn't match the RowVersion property provided.");
    await expectDataverseError(await api.del(`accounts(${id})`, { "If-Match": etag }), 412, "0x80060882");
    const fresh = String(((await (await api.get(`accounts(${id})`)).json()) as Json)["@odata.etag"]);
    expect((await api.get(`accounts(${id})`, { "If-None-Match": fresh })).status).toBe(304);
    expect((await api.del(`accounts(${id})`, { "If-Match": fresh })).status).toBe(204);
    expect((await api.get(`accounts(${id})`)).status).toBe(404);
  });

  it("reads, writes and clears a single property", async () => {
    const id = idFromEntityId((await api.post("accounts", { name: "Prop", numberofemployees: 5 })).headers.get("OData-EntityId"));
    const get = (await (await api.get(`accounts(${id})/numberofemployees`)).json()) as Json;
    expect(get.value).toBe(5);
    expect((await api.put(`accounts(${id})/numberofemployees`, { value: 7 })).status).toBe(204);
    expect(((await (await api.get(`accounts(${id})/numberofemployees`)).json()) as Json).value).toBe(7);
    expect((await api.del(`accounts(${id})/numberofemployees`)).status).toBe(204);
    expect(((await (await api.get(`accounts(${id})/numberofemployees`)).json()) as Json).value).toBeNull();
    expect((await api.put(`accounts(${id})/territoryid/$ref`, { "@odata.id": `${server.url}territories(${territoryId})` })).status).toBe(
      204,
    );
    expect(((await (await api.get(`accounts(${id})?$select=_territoryid_value`)).json()) as Json)._territoryid_value).toBe(territoryId);
  });

  it("WhoAmI returns the current user (first systemuser by default, configurable)", async () => {
    const res = await api.get("WhoAmI");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.UserId).toBe(userId);
    expect(body["@odata.context"]).toBe(`${server.url}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`);
    expect(typeof body.BusinessUnitId).toBe("string");
    server.service.setCurrentUserId("99999999-9999-9999-9999-999999999999");
    expect(((await (await api.get("WhoAmI()")).json()) as Json).UserId).toBe("99999999-9999-9999-9999-999999999999");
    server.service.setCurrentUserId(undefined);
  });

  it("ignores read-only columns on write and sets createdon/modifiedon", async () => {
    const res = await api.post(
      "accounts",
      { name: "RO", versionnumber: 1, createdon: "2000-01-01T00:00:00Z" },
      { Prefer: "return=representation" },
    );
    const rec = (await res.json()) as Json;
    expect(rec.createdon).not.toBe("2000-01-01T00:00:00Z");
    expect(String(rec.createdon)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});
