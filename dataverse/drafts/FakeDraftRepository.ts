/**
 * In-memory stand-in for ComponentFramework.WebApi, enough for the drafts tables, and a DraftRepository over it —
 * for unit and component tests (no server). Behaves like the platform where the drafts layer depends on it:
 * lookups written with "<attr>@odata.bind" read back as "_<attr>_value", `versionnumber` / `modifiedon` change
 * on every write, missing records reject with errorCode 0x80040217, retrieveMultipleRecords pages with nextLink.
 *
 * Supports `$select`, `$filter` made of `<column> eq|ne <value>` joined by `and`, `$orderby <column> [desc]`.
 * Faults: `failWhen` rejects chosen requests (e.g. the Nth) with an ErrorResponse-shaped object.
 * It also implements DraftBulkApi: each call is one request ("batch"); change sets are all or nothing and
 * `If-Match` compares the row's etag (W/"<versionnumber>") as Dataverse does (412, 0x80060882).
 */
import { WebApiDraftRepository, type WebApiDraftRepositoryOptions } from "./WebApiDraftRepository";
import type { DraftBulkApi, DraftEntity, DraftRowRef } from "./DraftBulkApi";

export interface FakeRequest {
  /** 1-based request number. */
  n: number;
  method: "create" | "update" | "delete" | "retrieve" | "retrieveMultiple" | "batch";
  entity: string;
  id?: string;
}

export interface FakeTableInfo {
  /** Primary id attribute, e.g. "tmap_planid". */
  idAttribute: string;
  /** Lookup attribute → target entity set (to validate @odata.bind). */
  lookups?: Record<string, string>;
  /** Lookups whose relationship cascades deletes (parental); every other lookup is cleared (RemoveLink). */
  parental?: string[];
}

const DEFAULT_TABLES: Record<string, FakeTableInfo> = {
  tmap_plan: { idAttribute: "tmap_planid", lookups: { tmap_parentplanid: "tmap_plans", ownerid: "systemusers" } },
  tmap_assignmentchunk: { idAttribute: "tmap_assignmentchunkid", lookups: { tmap_planid: "tmap_plans" }, parental: ["tmap_planid"] },
  tmap_draftterritory: {
    idAttribute: "tmap_draftterritoryid",
    lookups: {
      tmap_planid: "tmap_plans",
      tmap_repid: "systemusers",
      tmap_territoryid: "territories",
      tmap_parentterritoryid: "territories",
    },
    parental: ["tmap_planid"],
  },
};

type Row = Record<string, unknown>;

export interface WebApiErrorLike {
  errorCode: number;
  message: string;
  code: string;
  status: number;
  retryAfterSeconds?: number;
}

export function webApiError(
  status: number,
  message = `Injected fault (${status})`,
  code = status === 429 ? 0x80072322 : status === 404 ? 0x80040217 : 0x80040216,
): WebApiErrorLike {
  return {
    errorCode: code >>> 0,
    message,
    code: `0x${(code >>> 0).toString(16)}`,
    status,
    ...(status === 429 ? { retryAfterSeconds: 0 } : {}),
  };
}

export class InMemoryWebApi implements ComponentFramework.WebApi, DraftBulkApi {
  public readonly tables: Map<string, Map<string, Row>> = new Map();
  public readonly requests: FakeRequest[] = [];
  /** Return an error to reject the request with (it is then not executed), or undefined to run it. */
  public failWhen: ((r: FakeRequest) => WebApiErrorLike | undefined) | undefined;
  /** Return an error to reject the request with AFTER it ran (a lost response: the write happened). */
  public loseResponseWhen: ((r: FakeRequest) => WebApiErrorLike | undefined) | undefined;
  /** Called before a request runs (after fault decision): lets tests interleave another user's writes. */
  public beforeRequest: ((r: FakeRequest) => void | Promise<void>) | undefined;
  public currentUserId = "00000000-0000-4000-8000-000000000001";
  private readonly info: Record<string, FakeTableInfo>;
  private version = 1000;
  private clock = Date.parse("2026-01-01T00:00:00Z");

  public constructor(tables: Record<string, FakeTableInfo> = DEFAULT_TABLES) {
    this.info = tables;
    for (const t of Object.keys(tables)) this.tables.set(t, new Map());
  }

  /** Fail the Nth request from now (1 = the next one) with `status`. */
  public failNth(nth: number, status = 503): void {
    const target = this.requests.length + nth;
    this.failWhen = (r) => (r.n === target ? webApiError(status) : undefined);
  }

  public resetRequests(): void {
    this.requests.length = 0;
  }

  public rows(entity: string): Row[] {
    return [...this.table(entity).values()];
  }

  public async createRecord(entityType: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    await this.begin({ method: "create", entity: entityType });
    const id = this.insert(entityType, data);
    this.end();
    return { id, entityType, name: "" } as ComponentFramework.LookupValue;
  }

  // ---------- DraftBulkApi ----------

  public async createAtomically(rows: { entity: string; data: DraftEntity }[]): Promise<string[]> {
    await this.begin({ method: "batch", entity: rows[0]?.entity ?? "" });
    const ids = this.atomically(() => rows.map((r) => this.insert(r.entity, r.data)));
    this.end();
    return ids;
  }

  public async updateIfMatch(entity: string, id: string, data: DraftEntity, etag: string, alsoDelete: DraftRowRef[] = []): Promise<void> {
    const key = id.toLowerCase();
    await this.begin({ method: "batch", entity, id: key });
    this.atomically(() => {
      const row = this.table(entity).get(key);
      if (!row) throw notFound(entity, key);
      if (etag !== "*" && etag !== `W/"${String(row.versionnumber)}"`)
        throw webApiError(412, "The version of the existing record doesn't match the RowVersion property provided.", 0x80060882);
      this.apply(entity, row, data);
      row.modifiedon = this.tick();
      row.versionnumber = ++this.version;
      for (const d of alsoDelete) if (!this.table(d.entity).delete(d.id.toLowerCase())) throw notFound(d.entity, d.id);
    });
    this.end();
  }

  public async deleteEach(rows: DraftRowRef[]): Promise<void> {
    await this.begin({ method: "batch", entity: rows[0]?.entity ?? "" });
    for (const d of rows) this.table(d.entity).delete(d.id.toLowerCase());
    this.end();
  }

  public async retrieveEach(queries: { entity: string; query: string }[]): Promise<DraftEntity[][]> {
    await this.begin({ method: "batch", entity: queries[0]?.entity ?? "" });
    const out = queries.map((q) => this.query(q.entity, q.query, 0, Number.POSITIVE_INFINITY).rows);
    this.end();
    return out;
  }

  /** Deletes the row, the rows of parental relationships to it, and clears the other lookups to it. */
  private deleteCascading(entity: string, key: string): void {
    this.table(entity).delete(key);
    const set = `${entity}s`;
    for (const [name, info] of Object.entries(this.info)) {
      for (const [attr, target] of Object.entries(info.lookups ?? {})) {
        if (target !== set) continue;
        for (const [childKey, row] of [...this.table(name)]) {
          if (row[attr] !== key) continue;
          if (info.parental?.includes(attr)) this.deleteCascading(name, childKey);
          else row[attr] = null;
        }
      }
    }
  }

  /** Runs fn; on a throw every table is put back as it was (a change set). */
  private atomically<T>(fn: () => T): T {
    const snapshot = new Map([...this.tables].map(([name, rows]) => [name, new Map([...rows].map(([k, r]) => [k, { ...r }]))]));
    const version = this.version;
    try {
      return fn();
    } catch (e) {
      for (const [name, rows] of snapshot) this.tables.set(name, rows);
      this.version = version;
      throw e;
    }
  }

  private insert(entityType: string, data: ComponentFramework.WebApi.Entity): string {
    const table = this.table(entityType);
    const idAttr = this.info[entityType].idAttribute;
    const id = String(data[idAttr] ?? uuid()).toLowerCase();
    const now = this.tick();
    const row: Row = { statecode: 0, ownerid: this.currentUserId, createdon: now, createdby: this.currentUserId };
    this.apply(entityType, row, data);
    row[idAttr] = id;
    row.modifiedon = now;
    row.versionnumber = ++this.version;
    table.set(id, row);
    return id;
  }

  public async updateRecord(
    entityType: string,
    id: string,
    data: ComponentFramework.WebApi.Entity,
  ): Promise<ComponentFramework.LookupValue> {
    const key = id.toLowerCase();
    await this.begin({ method: "update", entity: entityType, id: key });
    const row = this.table(entityType).get(key);
    if (!row) throw notFound(entityType, key);
    this.apply(entityType, row, data);
    row.modifiedon = this.tick();
    row.versionnumber = ++this.version;
    this.end();
    return { id: key, entityType, name: "" } as ComponentFramework.LookupValue;
  }

  public async deleteRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    const key = id.toLowerCase();
    await this.begin({ method: "delete", entity: entityType, id: key });
    if (!this.table(entityType).has(key)) throw notFound(entityType, key);
    this.deleteCascading(entityType, key);
    this.end();
    return { id: key, entityType, name: "" } as ComponentFramework.LookupValue;
  }

  public async retrieveRecord(entityType: string, id: string, options?: string): Promise<ComponentFramework.WebApi.Entity> {
    const key = id.toLowerCase();
    await this.begin({ method: "retrieve", entity: entityType, id: key });
    const row = this.table(entityType).get(key);
    if (!row) throw notFound(entityType, key);
    return this.project(entityType, row, parseQuery(options).select);
  }

  public async retrieveMultipleRecords(
    entityType: string,
    options?: string,
    maxPageSize?: number,
  ): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    await this.begin({ method: "retrieveMultiple", entity: entityType });
    const size = maxPageSize && maxPageSize > 0 ? Math.min(maxPageSize, 5000) : 5000;
    const q = this.query(entityType, options, undefined, size);
    const result: ComponentFramework.WebApi.RetrieveMultipleResponse = { entities: q.rows, nextLink: undefined as unknown as string };
    if (q.more) result.nextLink = `https://fake.crm.dynamics.com/api/data/v9.2/${entityType}s${withSkip(options ?? "", q.next)}`;
    else delete (result as { nextLink?: string }).nextLink;
    return result;
  }

  private query(
    entityType: string,
    options: string | undefined,
    skip: number | undefined,
    size: number,
  ): { rows: Row[]; more: boolean; next: number } {
    const q = parseQuery(options);
    let rows = this.rows(entityType).filter((r) => q.filter.every((cond) => cond(this.view(entityType, r))));
    if (q.orderBy) {
      const { column, desc } = q.orderBy;
      rows = rows.sort((a, b) => {
        const x = this.view(entityType, a)[column] as string | number,
          y = this.view(entityType, b)[column] as string | number;
        return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
      });
    }
    const start = skip ?? q.skip;
    const page = rows.slice(start, start + size).map((r) => this.project(entityType, r, q.select));
    return { rows: page, more: start + size < rows.length, next: start + size };
  }

  // ---------- internals ----------

  private async begin(partial: Omit<FakeRequest, "n">): Promise<void> {
    const r: FakeRequest = { n: this.requests.length + 1, ...partial };
    this.requests.push(r);
    const fault = this.failWhen?.(r);
    if (fault) throw fault;
    await this.beforeRequest?.(r);
  }

  private end(): void {
    const lost = this.loseResponseWhen?.(this.requests[this.requests.length - 1]);
    if (lost) throw lost;
  }

  private table(entity: string): Map<string, Row> {
    const t = this.tables.get(entity);
    if (!t) throw webApiError(404, `Could not find a table with logical name '${entity}'.`, 0x80040217);
    return t;
  }

  private apply(entity: string, row: Row, data: Row): void {
    const lookups = this.info[entity].lookups ?? {};
    for (const [k, v] of Object.entries(data)) {
      const bind = /^(.+)@odata\.bind$/.exec(k);
      if (bind) {
        const attr = bind[1];
        if (!(attr in lookups))
          throw webApiError(400, `An undeclared property '${attr}' which only has property annotations in the payload.`, 0x80060888);
        if (v === null) {
          row[attr] = null;
          continue;
        }
        const m = /^\/?([a-z_]+)\(([0-9a-fA-F-]{36})\)$/.exec(String(v));
        if (!m || m[1] !== lookups[attr]) throw webApiError(400, `Bad @odata.bind value '${String(v)}' for '${attr}'.`, 0x80060888);
        row[attr] = m[2].toLowerCase();
      } else {
        row[k] = v;
      }
    }
  }

  /** The row as the Web API shows it: lookups as _x_value. */
  private view(entity: string, row: Row): Row {
    const lookups = this.info[entity].lookups ?? {};
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) {
      if (k in lookups || k === "createdby") out[`_${k}_value`] = v;
      else out[k] = v;
    }
    return out;
  }

  private project(entity: string, row: Row, select: string[] | null): Row {
    const v = this.view(entity, row);
    const out: Row = { "@odata.etag": `W/"${String(row.versionnumber)}"` };
    const idAttr = this.info[entity].idAttribute;
    for (const k of select ?? Object.keys(v)) if (k in v) out[k] = v[k];
    out[idAttr] = row[idAttr];
    return out;
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
}

/** A DraftRepository over an in-memory WebApi (component tests, Storybook-like harnesses). */
export function createFakeDraftRepository(options: WebApiDraftRepositoryOptions = {}): {
  repository: WebApiDraftRepository;
  webApi: InMemoryWebApi;
} {
  const webApi = new InMemoryWebApi();
  return { repository: new WebApiDraftRepository(webApi, webApi, { sleep: async () => undefined, ...options }), webApi };
}

// ---------- OData subset ----------

interface ParsedQuery {
  select: string[] | null;
  filter: ((r: Row) => boolean)[];
  orderBy: { column: string; desc: boolean } | null;
  skip: number;
}

function parseQuery(options?: string): ParsedQuery {
  const q: ParsedQuery = { select: null, filter: [], orderBy: null, skip: 0 };
  if (!options) return q;
  const qs = options.slice(options.indexOf("?") + 1);
  for (const part of qs.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = decodeURIComponent(part.slice(0, eq));
    const value = decodeURIComponent(part.slice(eq + 1));
    if (key === "$select") q.select = value.split(",").map((s) => s.trim());
    else if (key === "$skiptoken") q.skip = Number(value);
    else if (key === "$orderby") {
      const [column, dir] = value.trim().split(/\s+/);
      q.orderBy = { column, desc: dir === "desc" };
    } else if (key === "$filter") {
      for (const cond of value.split(/\s+and\s+/)) {
        const m = /^\(?\s*([A-Za-z_]+)\s+(eq|ne)\s+(.+?)\s*\)?$/.exec(cond.trim());
        if (!m) throw webApiError(400, `Unsupported filter in fake: ${cond}`, 0x80060888);
        const [, column, op, raw] = m;
        const literal: unknown =
          raw === "null"
            ? null
            : raw.startsWith("'")
              ? raw.slice(1, -1).replace(/''/g, "'")
              : /^[0-9a-f-]{36}$/i.test(raw)
                ? raw.toLowerCase()
                : Number(raw);
        q.filter.push((r) => {
          const v = r[column] ?? null;
          const same = typeof v === "string" && typeof literal === "string" ? v.toLowerCase() === literal.toLowerCase() : v === literal;
          return op === "eq" ? same : !same;
        });
      }
    }
  }
  return q;
}

function withSkip(options: string, skip: number): string {
  const base = options.startsWith("?") ? options.slice(1) : options;
  const kept = base.split("&").filter((p) => p && !p.startsWith("$skiptoken="));
  return `?${[...kept, `$skiptoken=${skip}`].join("&")}`;
}

function notFound(entity: string, id: string): WebApiErrorLike {
  return webApiError(404, `${entity} With Id = ${id} Does Not Exist`, 0x80040217);
}

function uuid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => Math.floor(Math.random() * 16).toString(16));
}
