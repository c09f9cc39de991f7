/**
 * Storage of the local Dataverse stand-in: per table an in-memory Map (id -> row) that queries run over,
 * written through to SQLite (better-sqlite3, synchronous) so data survives restarts.
 *
 * Rows are plain objects keyed by attribute logical name; lookups are "<attr>": guid (lower case).
 * Every write bumps a global version counter: the row's versionnumber and its etag W/"<n>".
 * Row objects are never mutated after they are stored (updates replace them), so callers may keep references.
 */
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import type { AttributeSchema, TableSchema } from "../../dataverse/schema";
import { isLookupType } from "../../dataverse/schema";
import { DataverseError, ErrorCodes, recordNotFound } from "./errors";

export type Row = Record<string, unknown>;

/** Store contract used by seeding and tests in-process (ARCHITECTURE.md "Local Dataverse store"). */
export interface DataverseStore {
  count(table: string): number;
  insertMany(table: string, rows: Record<string, unknown>[]): void;
}

export interface TableState {
  readonly schema: TableSchema;
  readonly rows: Map<string, Row>;
  readonly attributes: Map<string, AttributeSchema>;
  /** id -> SQLite rowid (the table has no secondary index: uniqueness is kept by `rows`). */
  readonly keys: Map<string, number>;
  nextKey: number;
  readonly sqlName: string;
  readonly insertStmt: Database.Statement;
  readonly updateStmt: Database.Statement;
  readonly deleteStmt: Database.Statement;
  readonly clearStmt: Database.Statement;
}

export interface StoreOptions {
  /** SQLite file path or ':memory:'. */
  dbPath: string;
  tables?: TableSchema[];
  /** Owning business unit of new rows of tables with `owningbusinessunit` (the stand-in has one business unit). */
  businessUnitId?: string;
}

const NAME_RE = /^[a-z][a-z0-9_]*$/;

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Values Dataverse always fills on create: statecode/statuscode (Active) and a user's fullname. */
function applyRowDefaults(t: TableState, row: Row, businessUnitId?: string): void {
  const a = t.attributes;
  if (row.owningbusinessunit == null && businessUnitId && a.has("owningbusinessunit")) row.owningbusinessunit = businessUnitId;
  if (row.statecode == null && a.get("statecode")?.type === "state") row.statecode = 0;
  if (row.statuscode == null && a.get("statuscode")?.type === "status") row.statuscode = 1;
  if (t.schema.logicalName === "systemuser" && row.fullname == null && (row.firstname != null || row.lastname != null)) {
    row.fullname = [row.firstname, row.lastname].filter((x) => x != null && x !== "").join(" ");
  }
}

export class SqliteDataverseStore implements DataverseStore {
  readonly db: Database.Database;
  private readonly byName = new Map<string, TableState>();
  private readonly bySet = new Map<string, TableState>();
  private version = 0;
  /** Undo log of the innermost open transaction (null when none). */
  private undo: Array<() => void> | null = null;
  private closed = false;
  /** Who writes (createdby / modifiedby) and on whose behalf (…onbehalfby) — set by the service per request. */
  private auditUsers: () => { by?: string; onBehalfOf?: string } = () => ({});
  private readonly businessUnitId: string | undefined;

  constructor(options: StoreOptions) {
    this.businessUnitId = options.businessUnitId?.toLowerCase();
    this.db = new Database(options.dbPath);
    this.db.pragma("cache_size = -65536");
    if (options.dbPath !== ":memory:") {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
    }
    this.registerTables(options.tables ?? []);
  }

  /** Adds (or replaces the schema of) tables; existing rows in the database file are loaded. */
  registerTables(schemas: TableSchema[]): void {
    for (const schema of schemas) {
      if (!NAME_RE.test(schema.logicalName)) throw new Error(`Invalid table logical name '${schema.logicalName}'`);
      const attributes = new Map<string, AttributeSchema>();
      for (const a of schema.attributes) {
        if (!NAME_RE.test(a.logicalName)) throw new Error(`Invalid attribute logical name '${schema.logicalName}.${a.logicalName}'`);
        attributes.set(a.logicalName, a);
      }
      for (const required of [schema.primaryIdAttribute, schema.primaryNameAttribute]) {
        if (!attributes.has(required)) throw new Error(`Table '${schema.logicalName}' lacks attribute '${required}'`);
      }
      for (const [name, type] of [
        ["versionnumber", "bigint"],
        ["createdon", "datetime"],
        ["modifiedon", "datetime"],
      ] as const) {
        if (!attributes.has(name)) attributes.set(name, { logicalName: name, type, readOnly: true });
      }
      const sqlName = `t_${schema.logicalName}`;
      const existing = this.byName.get(schema.logicalName);
      if (existing) this.bySet.delete(existing.schema.entitySetName);
      this.ensureSqlTable(sqlName);
      let rows = existing?.rows;
      let keys = existing?.keys;
      let nextKey = existing?.nextKey ?? 0;
      if (!rows || !keys) {
        rows = new Map<string, Row>();
        keys = new Map<string, number>();
        for (const r of this.db.prepare(`SELECT k, id, version, data FROM "${sqlName}"`).iterate() as IterableIterator<{
          k: number;
          id: string;
          version: number;
          data: string;
        }>) {
          rows.set(r.id, JSON.parse(r.data) as Row);
          keys.set(r.id, r.k);
          if (r.k > nextKey) nextKey = r.k;
          if (r.version > this.version) this.version = r.version;
        }
      }
      const state: TableState = {
        schema: { ...schema, attributes: [...attributes.values()] },
        rows,
        attributes,
        keys,
        nextKey,
        sqlName,
        insertStmt: this.db.prepare(`INSERT INTO "${sqlName}" (k, id, version, data) VALUES (?, ?, ?, ?)`),
        updateStmt: this.db.prepare(`UPDATE "${sqlName}" SET version = ?, data = ? WHERE k = ?`),
        deleteStmt: this.db.prepare(`DELETE FROM "${sqlName}" WHERE k = ?`),
        clearStmt: this.db.prepare(`DELETE FROM "${sqlName}"`),
      };
      this.byName.set(schema.logicalName, state);
      this.bySet.set(schema.entitySetName, state);
    }
  }

  /** One SQLite table per entity: rowid k, id, version, JSON data. Migrates the earlier (id PRIMARY KEY) layout. */
  private ensureSqlTable(sqlName: string): void {
    const columns = this.db.prepare(`PRAGMA table_info("${sqlName}")`).all() as Array<{ name: string }>;
    const create = `CREATE TABLE "${sqlName}" (k INTEGER PRIMARY KEY, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)`;
    if (columns.length === 0) {
      this.db.exec(create);
    } else if (!columns.some((c) => c.name === "k")) {
      this.db.transaction(() => {
        this.db.exec(`ALTER TABLE "${sqlName}" RENAME TO "${sqlName}__old"`);
        this.db.exec(create);
        this.db.exec(`INSERT INTO "${sqlName}" (id, version, data) SELECT id, version, data FROM "${sqlName}__old"`);
        this.db.exec(`DROP TABLE "${sqlName}__old"`);
      })();
    }
  }

  /** Source of createdby / modifiedby (and …onbehalfby when impersonating) for create and update. */
  setAuditUsers(source: () => { by?: string; onBehalfOf?: string }): void {
    this.auditUsers = source;
  }

  /** createdby / modifiedby and the …onbehalfby columns, where the table has them. */
  private stampAudit(t: TableState, row: Row, created: boolean): void {
    const { by, onBehalfOf } = this.auditUsers();
    if (!by) return;
    const set = (name: string, value: string | null): void => {
      if (t.attributes.has(name)) row[name] = value;
    };
    if (created) {
      set("createdby", by);
      set("createdonbehalfby", onBehalfOf ?? null);
    }
    set("modifiedby", by);
    set("modifiedonbehalfby", onBehalfOf ?? null);
  }

  schemas(): TableSchema[] {
    return [...this.byName.values()].map((t) => t.schema);
  }

  hasTable(logicalName: string): boolean {
    return this.byName.has(logicalName);
  }

  /** Table state by logical name; throws when unknown. */
  table(logicalName: string): TableState {
    const t = this.byName.get(logicalName);
    if (!t) throw new Error(`Unknown table '${logicalName}'`);
    return t;
  }

  tableBySet(entitySetName: string): TableState | undefined {
    return this.bySet.get(entitySetName);
  }

  get currentVersion(): number {
    return this.version;
  }

  count(table: string): number {
    return this.table(table).rows.size;
  }

  get(table: string, id: string): Row | undefined {
    return this.table(table).rows.get(id.toLowerCase());
  }

  rows(table: string): IterableIterator<Row> {
    return this.table(table).rows.values();
  }

  /**
   * Bulk insert for seeding and tests: one SQLite transaction with multi-row INSERTs, no referential checks.
   * Keys must be attribute logical names of the table (unknown keys throw); lookups are "<attr>": guid.
   */
  insertMany(table: string, rows: Record<string, unknown>[]): void {
    const t = this.table(table);
    const pk = t.schema.primaryIdAttribute;
    const names = t.schema.attributes
      .map((a) => a.logicalName)
      .filter((n) => n !== pk && n !== "versionnumber" && n !== "createdon" && n !== "modifiedon");
    const lookups = new Set(t.schema.attributes.filter((a) => isLookupType(a.type)).map((a) => a.logicalName));
    const now = nowIso();
    const chunk = 100;
    const multi = this.db.prepare(
      `INSERT INTO "${t.sqlName}" (k, id, version, data) VALUES ${Array(chunk).fill("(?, ?, ?, ?)").join(", ")}`,
    );
    this.transaction(() => {
      const args: unknown[] = [];
      const added: string[] = [];
      const undo = this.undo;
      undo?.push(() => {
        for (const k of added) {
          t.rows.delete(k);
          t.keys.delete(k);
        }
      });
      for (const input of rows) {
        for (const k in input) {
          if (!t.attributes.has(k))
            throw new DataverseError(400, ErrorCodes.badRequest, `insertMany: '${k}' is not an attribute of '${table}'.`);
        }
        const rawId = input[pk];
        const key = typeof rawId === "string" && rawId ? rawId.toLowerCase() : randomUUID();
        if (t.rows.has(key)) throw new DataverseError(412, ErrorCodes.duplicateRecord, "A record with matching key values already exists.");
        const version = this.nextVersion();
        const row: Row = { [pk]: key };
        for (const n of names) {
          const v = input[n];
          if (v !== undefined) row[n] = lookups.has(n) && typeof v === "string" ? v.toLowerCase() : v;
        }
        applyRowDefaults(t, row, this.businessUnitId);
        row.versionnumber = version;
        row.createdon = input.createdon ?? now;
        row.modifiedon = input.modifiedon ?? now;
        const k = ++t.nextKey;
        t.rows.set(key, row);
        t.keys.set(key, k);
        added.push(key);
        args.push(k, key, version, JSON.stringify(row));
        if (args.length === chunk * 4) {
          multi.run(args);
          args.length = 0;
        }
      }
      for (let i = 0; i < args.length; i += 4) t.insertStmt.run(args[i], args[i + 1], args[i + 2], args[i + 3]);
    });
  }

  /** Creates one row; returns the stored row. */
  create(table: string, values: Row): Row {
    const t = this.table(table);
    return this.transaction(() => this.insertRow(t, values, nowIso(), null));
  }

  /** Merges values into an existing row; returns the stored row. */
  update(table: string, id: string, values: Row): Row {
    const t = this.table(table);
    const key = id.toLowerCase();
    const old = t.rows.get(key);
    if (!old) throw recordNotFound(table, id);
    return this.transaction(() => {
      const version = this.nextVersion();
      const row: Row = {
        ...old,
        ...values,
        [t.schema.primaryIdAttribute]: key,
        versionnumber: version,
        modifiedon: nowIso(),
        createdon: old.createdon,
      };
      this.stampAudit(t, row, false);
      t.rows.set(key, row);
      t.updateStmt.run(version, JSON.stringify(row), t.keys.get(key));
      this.undo?.push(() => t.rows.set(key, old));
      return row;
    });
  }

  delete(table: string, id: string): boolean {
    const t = this.table(table);
    const key = id.toLowerCase();
    const old = t.rows.get(key);
    if (!old) return false;
    this.transaction(() => {
      const k = t.keys.get(key);
      t.rows.delete(key);
      t.keys.delete(key);
      t.deleteStmt.run(k);
      this.undo?.push(() => {
        t.rows.set(key, old);
        if (k !== undefined) t.keys.set(key, k);
      });
    });
    return true;
  }

  /** Removes all rows of the given tables (default: all tables). Not undoable inside a transaction. */
  reset(tables?: string[]): void {
    const list = tables ? tables.map((n) => this.table(n)) : [...this.byName.values()];
    this.db.transaction(() => {
      for (const t of list) {
        t.clearStmt.run();
        t.rows.clear();
        t.keys.clear();
      }
    })();
  }

  /**
   * Runs fn atomically: SQLite transaction (savepoint when nested) plus in-memory rollback on throw.
   * fn must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    const parentUndo = this.undo;
    const undo: Array<() => void> = [];
    const versionBefore = this.version;
    this.undo = undo;
    try {
      const result = this.db.transaction(fn)();
      if (parentUndo) parentUndo.push(...undo);
      return result;
    } catch (e) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
      this.version = versionBefore;
      throw e;
    } finally {
      this.undo = parentUndo;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private nextVersion(): number {
    return ++this.version;
  }

  private insertRow(t: TableState, input: Row, now: string, lookupAttrs: string[] | null): Row {
    const pk = t.schema.primaryIdAttribute;
    const rawId = input[pk];
    const key = typeof rawId === "string" && rawId ? rawId.toLowerCase() : randomUUID();
    if (t.rows.has(key)) {
      throw new DataverseError(412, ErrorCodes.duplicateRecord, "A record with matching key values already exists.");
    }
    const version = this.nextVersion();
    const row: Row = {
      ...input,
      [pk]: key,
      versionnumber: version,
      createdon: input.createdon ?? now,
      modifiedon: input.modifiedon ?? now,
    };
    applyRowDefaults(t, row, this.businessUnitId);
    this.stampAudit(t, row, true);
    if (lookupAttrs) {
      for (const a of lookupAttrs) {
        const v = row[a];
        if (typeof v === "string") row[a] = v.toLowerCase();
      }
    }
    const k = ++t.nextKey;
    t.rows.set(key, row);
    t.keys.set(key, k);
    t.insertStmt.run(k, key, version, JSON.stringify(row));
    this.undo?.push(() => {
      t.rows.delete(key);
      t.keys.delete(key);
    });
    return row;
  }
}
