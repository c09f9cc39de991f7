/**
 * Who made a change, as Dataverse records it: `createdby` / `modifiedby` are the calling user — with impersonation
 * (MSCRMCallerID) the impersonated user (the caller is in createdonbehalfby, not modelled here):
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/impersonate-another-user-web-api
 * and user-owned records carry their owning business unit, the one WhoAmI reports for the user:
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/businessunit-entity
 */
import { randomUUID } from "node:crypto";
import { startDataverseServer, type DataverseServer } from "../../../local/dataverse";
import { developmentTables } from "../../../local/developmentSchema";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";

describe("audit columns and owning business unit", () => {
  let server: DataverseServer;
  beforeAll(async () => {
    server = await startDataverseServer({ port: 0, dbPath: ":memory:", tables: developmentTables() });
  });
  afterAll(() => server.close());

  test("createdby / modifiedby follow the caller, also when impersonated; in-process writes leave them alone", async () => {
    const a = randomUUID();
    const b = randomUUID();
    server.service.store.insertMany("systemuser", [
      { systemuserid: a, firstname: "A", lastname: "User" },
      { systemuserid: b, firstname: "B", lastname: "User" },
    ]);
    const asA = new DataverseHttpClient({ baseUrl: server.url, headers: { MSCRMCallerID: a } });
    const asB = new DataverseHttpClient({ baseUrl: server.url, headers: { MSCRMCallerID: b } });
    const id = await asA.create("tmap_plans", { tmap_name: "Audit", tmap_status: 612000000, tmap_savestate: 612000000 });
    let row = await asA.retrieve("tmap_plans", id, { select: ["_createdby_value", "_modifiedby_value"] }, { includeAnnotations: "" });
    expect(row).toMatchObject({ _createdby_value: a, _modifiedby_value: a });
    await asB.update("tmap_plans", id, { tmap_status: 612000003 });
    row = await asB.retrieve("tmap_plans", id, { select: ["_createdby_value", "_modifiedby_value"] }, { includeAnnotations: "" });
    expect(row).toMatchObject({ _createdby_value: a, _modifiedby_value: b });
    server.service.store.update("tmap_plan", id, { tmap_notes: "seeded" });
    expect(server.service.store.get("tmap_plan", id)?.modifiedby).toBe(b);
  });

  test("accounts carry the business unit WhoAmI reports", async () => {
    const c = new DataverseHttpClient({ baseUrl: server.url });
    const who = await c.whoAmI();
    const id = await c.create("accounts", { name: "Unit" });
    const row = await c.retrieve("accounts", id, { select: ["_owningbusinessunit_value"] }, { includeAnnotations: "" });
    expect(row._owningbusinessunit_value).toBe(who.BusinessUnitId.toLowerCase());
    server.service.store.insertMany("account", [{ accountid: randomUUID(), name: "Seeded" }]);
    for (const a of server.service.store.rows("account")) expect(a.owningbusinessunit).toBe(who.BusinessUnitId.toLowerCase());
  });
});
