import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { client, idFromEntityId, startServer } from "./helpers";

describe("local Dataverse: persistence", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dataverse-persist-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("what was saved before a restart is there after it (rows, lookups, etags, versions)", async () => {
    const dbPath = join(dir, "dataverse.sqlite");
    const first = await startServer({ dbPath });
    const api1 = client(first);
    const territoryId = idFromEntityId((await api1.post("territories", { name: "Persisted" })).headers.get("OData-EntityId"));
    const accountId = idFromEntityId(
      (await api1.post("accounts", { name: "Saved yesterday", "territoryid@odata.bind": `/territories(${territoryId})` })).headers.get(
        "OData-EntityId",
      ),
    );
    await api1.patch(`accounts(${accountId})`, { accountnumber: "Y-1" });
    const deletedId = idFromEntityId((await api1.post("accounts", { name: "Deleted" })).headers.get("OData-EntityId"));
    await api1.del(`accounts(${deletedId})`);
    first.service.store.insertMany("account", [{ name: "Seeded" }]);
    const before = (await (await api1.get(`accounts(${accountId})`)).json()) as Record<string, unknown>;
    await first.close();

    const second = await startServer({ dbPath });
    const api2 = client(second);
    const after = (await (await api2.get(`accounts(${accountId})`)).json()) as Record<string, unknown>;
    expect({ ...after, "@odata.context": null }).toEqual({ ...before, "@odata.context": null });
    expect(after._territoryid_value).toBe(territoryId);
    expect(after.accountnumber).toBe("Y-1");
    expect((await api2.get(`accounts(${deletedId})`)).status).toBe(404);
    expect(second.service.store.count("account")).toBe(2);
    // New writes continue the version sequence (etags stay unique).
    const res = await api2.post("accounts", { name: "Today" }, { Prefer: "return=representation" });
    const today = (await res.json()) as Record<string, unknown>;
    expect(Number(today.versionnumber)).toBeGreaterThan(Number(after.versionnumber));
    await second.close();
  });
});
