import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { SqliteDataverseStore, standardTables } from "../../../local/dataverse";
import type { DataverseStore, TableSchema } from "../../../local/dataverse";

describe("SqliteDataverseStore", () => {
  let store: SqliteDataverseStore;
  beforeEach(() => {
    store = new SqliteDataverseStore({ dbPath: ":memory:", tables: standardTables });
  });
  afterEach(() => store.close());

  it("implements the DataverseStore contract (count, insertMany) with lookups as guids", () => {
    const contract: DataverseStore = store;
    contract.insertMany("territory", [{ territoryid: "AAAAAAAA-0000-0000-0000-000000000001", name: "T" }]);
    contract.insertMany("account", [{ name: "A", territoryid: "AAAAAAAA-0000-0000-0000-000000000001" }, { name: "B" }]);
    expect(contract.count("account")).toBe(2);
    const a = [...store.rows("account")].find((r) => r.name === "A");
    expect(a?.territoryid).toBe("aaaaaaaa-0000-0000-0000-000000000001");
    expect(typeof a?.accountid).toBe("string");
    expect(a?.versionnumber).toBeGreaterThan(0);
  });

  it("insertMany rejects unknown attributes and duplicate ids, atomically", () => {
    expect(() => store.insertMany("account", [{ name: "ok" }, { name: "bad", nope: 1 }])).toThrow(/nope/);
    expect(store.count("account")).toBe(0);
    const id = "bbbbbbbb-0000-0000-0000-000000000001";
    store.insertMany("account", [{ accountid: id, name: "one" }]);
    expect(() => store.insertMany("account", [{ name: "two" }, { accountid: id, name: "dup" }])).toThrow();
    expect(store.count("account")).toBe(1);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM t_account").get()).toEqual({ n: 1 });
  });

  it("transaction rolls back memory and SQLite together, including nested work", () => {
    const keep = store.create("account", { name: "keep" });
    expect(() =>
      store.transaction(() => {
        store.create("account", { name: "temp" });
        store.update("account", String(keep.accountid), { name: "changed" });
        store.transaction(() => store.delete("account", String(keep.accountid)));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(store.count("account")).toBe(1);
    expect(store.get("account", String(keep.accountid))?.name).toBe("keep");
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM t_account").get()).toEqual({ n: 1 });
  });

  it("every write bumps a global version", () => {
    const a = store.create("account", { name: "a" });
    const t = store.create("territory", { name: "t" });
    const a2 = store.update("account", String(a.accountid), { name: "a2" });
    expect(Number(t.versionnumber)).toBeGreaterThan(Number(a.versionnumber));
    expect(Number(a2.versionnumber)).toBeGreaterThan(Number(t.versionnumber));
  });

  it("registers product tables later and persists them", () => {
    const dir = mkdtempSync(join(tmpdir(), "dv-store-"));
    try {
      const custom: TableSchema = {
        logicalName: "tmap_scenario",
        entitySetName: "tmap_scenarios",
        primaryIdAttribute: "tmap_scenarioid",
        primaryNameAttribute: "tmap_name",
        ownership: "user",
        attributes: [
          { logicalName: "tmap_scenarioid", type: "uniqueidentifier" },
          { logicalName: "tmap_name", type: "string", maxLength: 100 },
        ],
      };
      const dbPath = join(dir, "db.sqlite");
      const s1 = new SqliteDataverseStore({ dbPath, tables: standardTables });
      s1.registerTables([custom]);
      s1.insertMany("tmap_scenario", [{ tmap_name: "Plan A" }]);
      s1.close();
      const s2 = new SqliteDataverseStore({ dbPath, tables: [...standardTables, custom] });
      expect(s2.count("tmap_scenario")).toBe(1);
      expect([...s2.rows("tmap_scenario")][0].tmap_name).toBe("Plan A");
      s2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("migrates a database file of the earlier layout (id TEXT PRIMARY KEY)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dv-migrate-"));
    try {
      const dbPath = join(dir, "old.sqlite");
      const old = new Database(dbPath);
      old.exec("CREATE TABLE t_account (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)");
      old
        .prepare("INSERT INTO t_account VALUES (?, ?, ?)")
        .run(
          "cccccccc-0000-0000-0000-000000000001",
          7,
          JSON.stringify({ accountid: "cccccccc-0000-0000-0000-000000000001", name: "Old", versionnumber: 7 }),
        );
      old.close();
      const s = new SqliteDataverseStore({ dbPath, tables: standardTables });
      expect(s.get("account", "cccccccc-0000-0000-0000-000000000001")?.name).toBe("Old");
      const created = s.create("account", { name: "New" });
      expect(Number(created.versionnumber)).toBe(8);
      s.update("account", "cccccccc-0000-0000-0000-000000000001", { name: "Old 2" });
      s.close();
      const again = new SqliteDataverseStore({ dbPath, tables: standardTables });
      expect(again.get("account", "cccccccc-0000-0000-0000-000000000001")?.name).toBe("Old 2");
      expect(again.count("account")).toBe(2);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reset clears tables", () => {
    store.insertMany("account", [{ name: "a" }]);
    store.reset(["account"]);
    expect(store.count("account")).toBe(0);
  });
});
