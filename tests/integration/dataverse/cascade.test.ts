/**
 * Cascading delete per relationship, as Dataverse documents it for CascadeConfiguration.Delete
 * (https://learn.microsoft.com/power-apps/developer/data-platform/configure-entity-relationship-cascading-behavior):
 * Cascade deletes the referencing records, RemoveLink clears their lookup, Restrict refuses the delete
 * (CannotDeleteDueToAssociation, 0x80040227, "The object you tried to delete is associated with another object
 * and cannot be deleted.").
 */
import type { DataverseServer } from "../../../local/dataverse";
import type { TableSchema } from "../../../dataverse/schema";
import { loadSolutionTables } from "../../../solution/tables";
import { client, expectDataverseError, idFromEntityId, startServer, type Client } from "./helpers";

/** A table only this test has: a Restrict relationship to tmap_plan (the solution declares none). */
const LOCK: TableSchema = {
  logicalName: "test_planlock",
  entitySetName: "test_planlocks",
  primaryIdAttribute: "test_planlockid",
  primaryNameAttribute: "test_name",
  ownership: "organization",
  attributes: [
    { logicalName: "test_planlockid", type: "uniqueidentifier" },
    { logicalName: "test_name", type: "string", maxLength: 100 },
    { logicalName: "test_planid", type: "lookup", targets: ["tmap_plan"], cascadeDelete: "Restrict" },
  ],
};

describe("local Dataverse: cascading delete per relationship", () => {
  let server: DataverseServer;
  let api: Client;

  beforeAll(async () => {
    server = await startServer({ tables: [...loadSolutionTables(), LOCK] });
    api = client(server);
  });
  afterAll(() => server.close());
  beforeEach(() => server.service.store.reset());

  const create = async (set: string, body: Record<string, unknown>): Promise<string> => {
    const res = await api.post(set, body);
    expect(res.status).toBe(204);
    return idFromEntityId(res.headers.get("OData-EntityId"));
  };
  const plan = (name: string) => create("tmap_plans", { tmap_name: name, tmap_version: 1 });

  it("the solution declares plan → chunk and plan → draft territory as Cascade, the parent plan as RemoveLink", () => {
    const attr = (table: string, name: string) =>
      loadSolutionTables()
        .find((t) => t.logicalName === table)!
        .attributes.find((a) => a.logicalName === name)!;
    expect(attr("tmap_assignmentchunk", "tmap_planid").cascadeDelete).toBe("Cascade");
    expect(attr("tmap_draftterritory", "tmap_planid").cascadeDelete).toBe("Cascade");
    expect(attr("tmap_plan", "tmap_parentplanid").cascadeDelete).toBe("RemoveLink");
  });

  it("Cascade: deleting a plan deletes its chunks and draft territory rows, and nothing of another plan", async () => {
    const a = await plan("A");
    const b = await plan("B");
    for (const p of [a, b]) {
      await create("tmap_assignmentchunks", {
        tmap_name: "part",
        "tmap_planid@odata.bind": `/tmap_plans(${p})`,
        tmap_chunkindex: 0,
        tmap_chunkcount: 1,
        tmap_payload: "x",
      });
      await create("tmap_draftterritories", { tmap_name: "North", "tmap_planid@odata.bind": `/tmap_plans(${p})` });
    }
    expect((await api.del(`tmap_plans(${a})`)).status).toBe(204);
    const store = server.service.store;
    expect([...store.rows("tmap_assignmentchunk")].map((r) => r.tmap_planid)).toEqual([b]);
    expect([...store.rows("tmap_draftterritory")].map((r) => r.tmap_planid)).toEqual([b]);
    expect((await api.get(`tmap_plans(${a})`)).status).toBe(404);
  });

  it("RemoveLink: deleting a parent plan clears the child plan's lookup and keeps the child", async () => {
    const parent = await plan("Parent");
    const child = await create("tmap_plans", {
      tmap_name: "Child",
      tmap_version: 2,
      "tmap_parentplanid@odata.bind": `/tmap_plans(${parent})`,
    });
    expect((await api.del(`tmap_plans(${parent})`)).status).toBe(204);
    const row = (await (await api.get(`tmap_plans(${child})?$select=_tmap_parentplanid_value,tmap_name`)).json()) as Record<
      string,
      unknown
    >;
    expect(row.tmap_name).toBe("Child");
    expect(row._tmap_parentplanid_value).toBeNull();
  });

  it("Restrict: refuses the delete with Dataverse's error and deletes nothing (also not the cascaded rows)", async () => {
    const p = await plan("Locked");
    await create("tmap_draftterritories", { tmap_name: "North", "tmap_planid@odata.bind": `/tmap_plans(${p})` });
    await create("test_planlocks", { test_name: "lock", "test_planid@odata.bind": `/tmap_plans(${p})` });
    const error = await expectDataverseError(await api.del(`tmap_plans(${p})`), 400, "0x80040227");
    expect(error.message).toBe("The object you tried to delete is associated with another object and cannot be deleted.");
    expect(server.service.store.count("tmap_plan")).toBe(1);
    expect(server.service.store.count("tmap_draftterritory")).toBe(1);
  });

  it("Restrict deep in a cascade: a restricted grandchild stops the whole delete", async () => {
    const parent = await plan("Parent");
    const child = await create("tmap_plans", {
      tmap_name: "Child",
      tmap_version: 2,
      "tmap_parentplanid@odata.bind": `/tmap_plans(${parent})`,
    });
    await create("tmap_draftterritories", { tmap_name: "T", "tmap_planid@odata.bind": `/tmap_plans(${child})` });
    // parent → child is RemoveLink, so the child's lock does not stop deleting the parent …
    await create("test_planlocks", { test_name: "lock", "test_planid@odata.bind": `/tmap_plans(${child})` });
    expect((await api.del(`tmap_plans(${parent})`)).status).toBe(204);
    // … but it stops deleting the child, and the child's draft territory (Cascade) stays with it.
    await expectDataverseError(await api.del(`tmap_plans(${child})`), 400, "0x80040227");
    expect(server.service.store.count("tmap_draftterritory")).toBe(1);
  });

  it("a delete inside a $batch change set cascades, and the cascade rolls back with a failing change set", async () => {
    const p = await plan("Batch");
    const other = await plan("Other");
    await create("tmap_draftterritories", { tmap_name: "T", "tmap_planid@odata.bind": `/tmap_plans(${p})` });
    // A change set that fails answers 400 for the whole batch; one that succeeds, 200 (see the batch tests).
    const send = async (secondHeaders: string, status: number): Promise<void> => {
      const boundary = "batch_cascade";
      const cs = "changeset_cascade";
      const part = (method: string, url: string, id: number, headers: string, body?: unknown) =>
        `--${cs}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${id}\r\n\r\n` +
        `${method} ${server.url}${url} HTTP/1.1\r\nContent-Type: application/json\r\n${headers}\r\n${body ? JSON.stringify(body) : ""}\r\n`;
      const body =
        `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${cs}\r\n\r\n` +
        part("DELETE", `tmap_plans(${p})`, 1, "") +
        part("PATCH", `tmap_plans(${other})`, 2, secondHeaders, { tmap_name: "Renamed" }) +
        `--${cs}--\r\n--${boundary}--\r\n`;
      const res = await fetch(`${server.url}$batch`, {
        method: "POST",
        headers: { "Content-Type": `multipart/mixed; boundary=${boundary}`, "OData-Version": "4.0", Accept: "application/json" },
        body,
      });
      expect(res.status).toBe(status);
      await res.text();
    };
    // A stale etag on the second request fails the change set: the delete and its cascade are undone.
    await send('If-Match: W/"1"\r\n', 400);
    expect(server.service.store.count("tmap_plan")).toBe(2);
    expect(server.service.store.count("tmap_draftterritory")).toBe(1);
    await send("", 200);
    expect(server.service.store.count("tmap_plan")).toBe(1);
    expect(server.service.store.count("tmap_draftterritory")).toBe(0);
  });
});
