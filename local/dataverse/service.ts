/**
 * The local Dataverse Web API v9.2 stand-in: request routing, record CRUD, queries, bulk messages, $batch,
 * fault injection and the /_local admin endpoints. Plain node:http; mount `handle` in any server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AttributeSchema, TableSchema } from "../../dataverse/schema";
import { isLookupType } from "../../dataverse/schema";
import { standardOptionLabels, standardTables } from "./standardTables";
import type { OptionLabels } from "./standardTables";
import { SqliteDataverseStore, nowIso } from "./store";
import type { Row, TableState } from "./store";
import { DataverseError, ErrorCodes, badRequest, payloadError, recordNotFound, segmentNotFound } from "./errors";
import { FaultInjector } from "./faults";
import { createWebhookDispatcher, type WebhookDispatcher } from "./webhooks";
import { PrivilegeStore, assertUpdate } from "./privileges";
import type { FaultConfig } from "./faults";
import { parseExpand, parseFilter, parseOrderBy, parsePrefer, parseSelect } from "./odata";
import type { ExpandItem, Preferences } from "./odata";
import {
  annotationOptions,
  compileFilter,
  compileOrderBy,
  compileProjection,
  contextSelectSuffix,
  etagOf,
  outputName,
  resolveAttribute,
} from "./query";
import type { CompileContext, Predicate } from "./query";
import { boundaryOf, formatBatchResponse, parseBatch } from "./batch";
import type { BatchInnerRequest, BatchResponseItem, InnerResponse } from "./batch";

export const DEFAULT_BASE_PATH = "/api/data/v9.2";
const MAX_PAGE_SIZE = 5000;
const MAX_BATCH_REQUESTS = 1000;
const MAX_URL_LENGTH = 32768;
const MAX_BATCH_URL_LENGTH = 65536;
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const JSON_CT = "application/json; odata.metadata=minimal";
const ADMIN_PATHS = new Set([
  "/_local/faults",
  "/_local/stats",
  "/_local/stats/reset",
  "/_local/reset",
  "/_local/whoami",
  "/_local/privileges",
]);
const FIXED_USER_ID = "00000000-0000-0000-0000-00000000a11c";
const BUSINESS_UNIT_ID = "00000000-0000-0000-0000-0000000000b1";
const ORGANIZATION_ID = "00000000-0000-0000-0000-0000000000c1";

export interface DataverseServiceOptions {
  dbPath: string | ":memory:";
  /** Extra tables (e.g. the product's own, from solution/) in addition to the standard ones. */
  tables?: TableSchema[];
  /** Replace the standard tables entirely (default: standard tables + `tables`). */
  includeStandardTables?: boolean;
  basePath?: string;
  /** Id returned by WhoAmI (default: first systemuser, else a fixed guid). */
  currentUserId?: string;
  /** Upper bound of @odata.count and /$count (Dataverse documents 5,000). */
  countLimit?: number;
  /** Labels of choice values for formatted values (merged over the standard tables' labels). */
  optionLabels?: OptionLabels;
}

export interface RequestStats {
  requests: number;
  byMethod: Record<string, number>;
  batchOperations: number;
  throttled: number;
  faulted: number;
}

export interface DataverseService {
  /** Handles the request when its path is under basePath or /_local/; resolves false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Executes one Web API request synchronously (no faults, not counted). Path is relative to basePath. */
  execute(request: ApiRequest): InnerResponse;
  readonly store: SqliteDataverseStore;
  readonly faults: FaultInjector;
  /** Webhook steps registered through the Web API (local/dataverse/webhooks.ts). */
  readonly webhooks: WebhookDispatcher;
  /** Per-user security roles (local/dataverse/privileges.ts). */
  readonly privileges: PrivilegeStore;
  readonly basePath: string;
  registerTables(schemas: TableSchema[]): void;
  stats(): RequestStats;
  resetStats(): void;
  currentUserId(): string;
  setCurrentUserId(id: string | undefined): void;
  close(): void;
}

export interface ApiRequest {
  method: string;
  /** Path below basePath without leading slash, e.g. "accounts(…)" ("" = service document). */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  headers: Record<string, string | undefined>;
  body: string;
  /** Absolute service root ending in '/', e.g. http://127.0.0.1:1234/api/data/v9.2/ */
  serviceRoot: string;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): InnerResponse {
  return { status, headers: { "OData-Version": "4.0", "Content-Type": JSON_CT, ...headers }, body: JSON.stringify(body) };
}

function noContent(headers: Record<string, string> = {}): InnerResponse {
  return { status: 204, headers: { "OData-Version": "4.0", ...headers } };
}

export function errorResponse(e: unknown): InnerResponse {
  if (e instanceof DataverseError) return json(e.status, e.toBody(), e.headers);
  if (e instanceof URIError)
    return json(400, { error: { code: ErrorCodes.badRequest, message: `The request URI is not valid: ${e.message}.` } });
  const message = e instanceof Error ? e.message : String(e);
  return json(500, { error: { code: ErrorCodes.unexpected, message } });
}

function parseJsonBody(body: string): Record<string, unknown> {
  if (!body.trim()) throw badRequest("The request body is empty; a JSON object was expected.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw badRequest(`Error parsing the request body as JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw badRequest("The request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}

function normalizeGuid(s: string): string | undefined {
  const v = s.replace(/^\{|\}$/g, "");
  return GUID_RE.test(v) ? v.toLowerCase() : undefined;
}

function roundTo(n: number, precision: number | undefined): number {
  if (precision === undefined) return n;
  const f = 10 ** precision;
  return Math.round(n * f) / f;
}

interface QueryOptions {
  select?: string[];
  filter?: string;
  orderby?: string;
  top?: number;
  count: boolean;
  expand: ExpandItem[];
  skiptoken?: string;
}

const SUPPORTED_QUERY_OPTIONS = new Set(["$select", "$filter", "$orderby", "$top", "$count", "$expand", "$skiptoken"]);

function parseQueryOptions(query: string, allowed: Set<string>): QueryOptions {
  const params = new URLSearchParams(query);
  const seen = new Set<string>();
  const opts: QueryOptions = { count: false, expand: [] };
  for (const [key, value] of params) {
    if (seen.has(key)) throw badRequest(`Query option '${key}' was specified more than once, but it must be specified at most once.`);
    seen.add(key);
    if (key === "$skip") throw badRequest("The query parameter '$skip' is not supported.");
    if (!allowed.has(key)) {
      if (key.startsWith("$")) throw badRequest(`The query parameter '${key}' is not supported.`);
      if (key.startsWith("@")) throw badRequest("Parameter aliases are not supported by the local Dataverse stand-in.");
      throw badRequest(`The query parameter '${key}' is not supported by the local Dataverse stand-in.`);
    }
    switch (key) {
      case "$select":
        opts.select = parseSelect(value);
        break;
      case "$filter":
        opts.filter = value;
        break;
      case "$orderby":
        opts.orderby = value;
        break;
      case "$top": {
        if (!/^\d+$/.test(value.trim()))
          throw badRequest(
            `Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`,
          );
        opts.top = Number(value);
        break;
      }
      case "$count": {
        if (value !== "true" && value !== "false") throw badRequest(`'${value}' is not a valid count option.`);
        opts.count = value === "true";
        break;
      }
      case "$expand":
        opts.expand = parseExpand(value);
        break;
      case "$skiptoken":
        opts.skiptoken = value;
        break;
    }
  }
  return opts;
}

/** Dataverse-style paging cookie inside $skiptoken (clients must treat it as opaque). */
function makeSkipToken(pageNumber: number, pk: string, first: string, last: string, offset: number): string {
  const inner = `<cookie page="${pageNumber}" offset="${offset}"><${pk} last="{${last.toUpperCase()}}" first="{${first.toUpperCase()}}" /></cookie>`;
  const pagingcookie = encodeURIComponent(encodeURIComponent(inner));
  return `<cookie pagenumber="${pageNumber + 1}" pagingcookie="${pagingcookie}" istracking="False" />`;
}

function parseSkipToken(token: string): { pageNumber: number; lastId?: string; offset: number } {
  const page = /pagenumber="(\d+)"/.exec(token);
  const cookie = /pagingcookie="([^"]*)"/.exec(token);
  if (!page || !cookie) throw badRequest("The $skiptoken value is not valid.");
  let inner: string;
  try {
    inner = decodeURIComponent(decodeURIComponent(cookie[1]));
  } catch {
    throw badRequest("The $skiptoken value is not valid.");
  }
  const last = /last="\{([0-9a-fA-F-]{36})\}"/.exec(inner);
  const offset = /offset="(\d+)"/.exec(inner);
  return { pageNumber: Number(page[1]), lastId: last?.[1].toLowerCase(), offset: offset ? Number(offset[1]) : 0 };
}

export function createDataverseService(options: DataverseServiceOptions): DataverseService {
  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
  const tables = [...(options.includeStandardTables === false ? [] : standardTables), ...(options.tables ?? [])];
  const store = new SqliteDataverseStore({ dbPath: options.dbPath, tables });
  const faults = new FaultInjector();
  const webhooks = createWebhookDispatcher({
    store,
    currentUserId: () => currentUserId(),
    organizationId: ORGANIZATION_ID,
    businessUnitId: BUSINESS_UNIT_ID,
  });
  webhooks.ensureMessageRows();
  const privileges = new PrivilegeStore(store.db, () => store.schemas(), BUSINESS_UNIT_ID);
  const countLimit = options.countLimit ?? 5000;
  let configuredUserId = options.currentUserId;
  let inFlight = 0;
  let stats: RequestStats = { requests: 0, byMethod: {}, batchOperations: 0, throttled: 0, faulted: 0 };

  const currentUserId = (): string => {
    if (configuredUserId) return configuredUserId.toLowerCase();
    if (store.hasTable("systemuser")) {
      const first = store.rows("systemuser").next();
      if (!first.done) return String(first.value.systemuserid);
    }
    return FIXED_USER_ID;
  };
  const optionLabels: OptionLabels = JSON.parse(JSON.stringify(standardOptionLabels)) as OptionLabels;
  for (const [table, attrs] of Object.entries(options.optionLabels ?? {})) optionLabels[table] = { ...optionLabels[table], ...attrs };
  const ctx: CompileContext = { store, currentUserId, optionLabels };

  // ------------------------------------------------------------ writing values

  /** Resolves an @odata.bind value ("/accounts(id)", absolute URL, "accounts(id)") to the target id. */
  const resolveBind = (attr: AttributeSchema, owner: TableState, value: unknown): string | null => {
    if (value === null) return null;
    if (typeof value !== "string") throw badRequest(`The value of '${attr.logicalName}@odata.bind' must be a string URL.`);
    let ref = value.trim();
    const idx = ref.indexOf(basePath + "/");
    if (idx >= 0) ref = ref.slice(idx + basePath.length + 1);
    ref = ref.replace(/^\//, "");
    const m = /^([A-Za-z0-9_]+)\(([^)]+)\)$/.exec(ref);
    const id = m ? normalizeGuid(m[2]) : undefined;
    if (!m || !id) throw badRequest(`The value '${value}' of '${attr.logicalName}@odata.bind' is not a valid entity reference.`);
    const target = store.tableBySet(m[1]);
    if (!target) throw segmentNotFound(m[1]);
    if (!(attr.targets ?? []).includes(target.schema.logicalName)) {
      throw badRequest(
        `The entity set '${m[1]}' is not a valid target of the navigation property '${attr.logicalName}' on type 'Microsoft.Dynamics.CRM.${owner.schema.logicalName}'.`,
      );
    }
    if (!target.rows.has(id)) throw recordNotFound(target.schema.logicalName, id);
    return id;
  };

  const validationError = (message: string): DataverseError =>
    new DataverseError(400, ErrorCodes.validation, `A validation error occurred. ${message}`);

  const convertValue = (t: TableState, attr: AttributeSchema, value: unknown): unknown => {
    if (value === null) return null;
    const name = attr.logicalName;
    const table = t.schema.logicalName;
    const wrongType = (edm: string): DataverseError =>
      payloadError(
        `Cannot convert the literal '${typeof value === "string" ? value : JSON.stringify(value)}' to the expected type '${edm}'. (property '${name}')`,
      );
    switch (attr.type) {
      case "string":
      case "memo": {
        if (typeof value !== "string") throw wrongType("Edm.String");
        const max = attr.maxLength ?? (attr.type === "memo" ? 1048576 : 4000);
        if (value.length > max)
          throw validationError(
            `The length of the '${name}' attribute of the '${table}' entity exceeded the maximum allowed length of '${max}'.`,
          );
        return value;
      }
      case "integer":
      case "bigint":
      case "picklist":
      case "state":
      case "status": {
        if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(attr.type === "bigint" ? "Edm.Int64" : "Edm.Int32");
        if (attr.options && !attr.options.includes(value))
          throw validationError(`The value ${value} of '${name}' on record of type '${table}' is outside the valid range.`);
        if ((attr.minValue !== undefined && value < attr.minValue) || (attr.maxValue !== undefined && value > attr.maxValue)) {
          throw validationError(
            `The value ${value} of '${name}' on record of type '${table}' is outside the valid range. Accepted range: ${attr.minValue} to ${attr.maxValue}.`,
          );
        }
        return value;
      }
      case "decimal":
      case "double":
      case "money": {
        const n = typeof value === "string" && value.trim() !== "" && attr.type !== "double" ? Number(value) : value;
        if (typeof n !== "number" || !Number.isFinite(n)) throw wrongType(attr.type === "double" ? "Edm.Double" : "Edm.Decimal");
        if ((attr.minValue !== undefined && n < attr.minValue) || (attr.maxValue !== undefined && n > attr.maxValue)) {
          throw validationError(
            `The value ${n} of '${name}' on record of type '${table}' is outside the valid range. Accepted range: ${attr.minValue} to ${attr.maxValue}.`,
          );
        }
        return roundTo(n, attr.precision);
      }
      case "boolean":
        if (typeof value !== "boolean") throw wrongType("Edm.Boolean");
        return value;
      case "datetime": {
        if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw wrongType("Edm.DateTimeOffset");
        const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
        return d.toISOString().replace(/\.\d{3}Z$/, "Z");
      }
      case "uniqueidentifier": {
        const g = typeof value === "string" ? normalizeGuid(value) : undefined;
        if (!g) throw wrongType("Edm.Guid");
        return g;
      }
      default:
        throw badRequest(`Use '${name}@odata.bind' to set the lookup '${name}'.`);
    }
  };

  /** Converts a Web API entity body into store values (validated, lookups resolved). */
  const toStoreValues = (t: TableState, body: Record<string, unknown>, mode: "create" | "update", refs?: Map<string, string>): Row => {
    const out: Row = {};
    const entityType = `Microsoft.Dynamics.CRM.${t.schema.logicalName}`;
    for (const [key, rawValue] of Object.entries(body)) {
      const at = key.indexOf("@");
      if (at === 0) {
        if (key === "@odata.type" && rawValue !== entityType && rawValue !== `#${entityType}`) {
          throw badRequest(`The @odata.type '${String(rawValue)}' does not match the entity set's type '${entityType}'.`);
        }
        continue;
      }
      if (at > 0) {
        const prop = key.slice(0, at);
        const annotation = key.slice(at + 1);
        if (annotation !== "odata.bind") continue; // other instance annotations are ignored
        const attr = t.attributes.get(prop);
        if (!attr || !isLookupType(attr.type)) {
          throw payloadError(
            `An undeclared property '${prop}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
          );
        }
        let value = rawValue;
        if (typeof value === "string" && value.startsWith("$") && refs?.has(value.slice(1))) value = refs.get(value.slice(1));
        out[attr.logicalName] = resolveBind(attr, t, value);
        continue;
      }
      const attr = t.attributes.get(key);
      if (!attr) {
        if (/^_.+_value$/.test(key) && resolveLookupValueName(t, key)) {
          throw new DataverseError(
            400,
            "0x80048d19",
            `Error identified in Payload provided by the user for Entity :'${t.schema.entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: Does not support untyped value in non-open type. Use '${key.slice(1, -6)}@odata.bind' instead of '${key}'.`,
          );
        }
        throw payloadError(
          `The property '${key}' does not exist on type '${entityType}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
      }
      if (isLookupType(attr.type)) {
        throw badRequest(
          `The property '${key}' is a navigation property; set it with '${key}@odata.bind'. Deep insert is not supported by the local Dataverse stand-in.`,
        );
      }
      if (attr.readOnly) continue; // Dataverse ignores read-only columns such as createdon/versionnumber
      if (attr.logicalName === t.schema.primaryIdAttribute) {
        const g = typeof rawValue === "string" ? normalizeGuid(rawValue) : undefined;
        if (!g) throw badRequest(`Cannot convert the literal '${JSON.stringify(rawValue)}' to the expected type 'Edm.Guid'.`);
        if (mode === "create") out[attr.logicalName] = g;
        continue;
      }
      out[attr.logicalName] = convertValue(t, attr, rawValue);
    }
    return out;
  };

  /** Dataverse makes the calling user the owner of new user-owned records (state/status defaults: see store). */
  const applyCreateDefaults = (t: TableState, values: Row): Row => {
    const out = { ...values };
    const owner = t.attributes.get("ownerid");
    if (t.schema.ownership === "user" && owner && isLookupType(owner.type) && out.ownerid == null)
      out.ownerid = privileges.callerId() ?? currentUserId();
    return out;
  };

  const resolveLookupValueName = (t: TableState, key: string): boolean => {
    const a = t.attributes.get(key.slice(1, -6));
    return !!a && isLookupType(a.type);
  };

  // ------------------------------------------------------------ routing helpers

  const entityUrl = (root: string, t: TableState, id: string): string => `${root}${t.schema.entitySetName}(${id})`;

  const preferenceApplied = (prefs: Preferences, applied: string[]): Record<string, string> => {
    const list = [...applied];
    if (prefs.includeAnnotations !== undefined) list.push(`odata.include-annotations="${prefs.includeAnnotations}"`);
    return list.length ? { "Preference-Applied": list.join(",") } : {};
  };

  const tableForSegment = (segment: string): TableState => {
    const t = store.tableBySet(segment);
    if (!t) throw segmentNotFound(segment);
    return t;
  };

  const parseKey = (t: TableState, key: string): string => {
    const g = normalizeGuid(key.trim());
    if (g) return g;
    const pkForm = new RegExp(`^${t.schema.primaryIdAttribute}=(.+)$`).exec(key.trim());
    if (pkForm) {
      const g2 = normalizeGuid(pkForm[1]);
      if (g2) return g2;
    }
    throw badRequest(
      `The key '${key}' is not valid for the entity set '${t.schema.entitySetName}'. Alternate keys are not supported by the local Dataverse stand-in.`,
    );
  };

  const checkIfMatch = (t: TableState, id: string, existing: Row | undefined, ifMatch: string | undefined): void => {
    if (ifMatch === undefined) return;
    if (!existing) throw recordNotFound(t.schema.logicalName, id);
    if (ifMatch.trim() === "*") return;
    const tags = ifMatch.split(",").map((s) => s.trim());
    if (!tags.includes(etagOf(existing))) {
      throw new DataverseError(
        412,
        ErrorCodes.concurrencyVersionMismatch,
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
  };

  // ------------------------------------------------------------ operations

  const getCollection = (req: ApiRequest, t: TableState): InnerResponse => {
    privileges.assert({ table: t.schema, right: "Read" });
    const prefs = parsePrefer(req.headers.prefer);
    const opts = parseQueryOptions(req.query, SUPPORTED_QUERY_OPTIONS);
    const ann = annotationOptions(prefs.includeAnnotations);
    const predicate: Predicate | undefined = opts.filter !== undefined ? compileFilter(ctx, t, parseFilter(opts.filter)) : undefined;
    const comparator = opts.orderby !== undefined ? compileOrderBy(ctx, t, parseOrderBy(opts.orderby)) : undefined;
    const project = compileProjection(ctx, t, opts.select, opts.expand, ann);
    const pageSize = Math.min(prefs.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const token = opts.skiptoken !== undefined ? parseSkipToken(opts.skiptoken) : undefined;
    const pk = t.schema.primaryIdAttribute;

    let matched: Row[] = [];
    let start = 0;
    const earlyStop = !comparator && !opts.count && !token;
    const want = opts.top !== undefined ? Math.min(opts.top, pageSize) + 1 : pageSize + 1;
    for (const row of t.rows.values()) {
      if (predicate && !predicate(row)) continue;
      matched.push(row);
      if (earlyStop && matched.length >= want) break;
    }
    if (comparator) matched.sort(comparator);
    const total = matched.length;
    if (token) {
      start = token.offset;
      if (token.lastId) {
        const idx = matched.findIndex((r) => r[pk] === token.lastId);
        if (idx >= 0) start = idx + 1;
      }
    }
    const limitTotal = opts.top !== undefined ? Math.min(opts.top, total) : total;
    const end = Math.min(start + pageSize, limitTotal);
    const page = start < end ? matched.slice(start, end) : [];
    const hasMore = end < limitTotal;
    matched = [];

    const result: Record<string, unknown> = {
      "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}${contextSelectSuffix(opts.select, opts.expand)}`,
    };
    if (opts.count) {
      // Documented: "up to 5,000"; the two annotations only when asked for with odata.include-annotations.
      result["@odata.count"] = Math.min(total, countLimit);
      if (ann.totalRecordCount) result["@Microsoft.Dynamics.CRM.totalrecordcount"] = Math.min(total, countLimit);
      if (ann.totalRecordCountLimitExceeded) result["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] = total > countLimit;
    }
    result.value = page.map(project);
    if (hasMore && page.length > 0) {
      const pageNumber = token ? token.pageNumber : 1;
      const skiptoken = makeSkipToken(pageNumber, pk, String(page[0][pk]), String(page[page.length - 1][pk]), end);
      const kept = req.query.split("&").filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p));
      kept.push(`$skiptoken=${encodeURIComponent(skiptoken)}`);
      result["@odata.nextLink"] = `${req.serviceRoot}${t.schema.entitySetName}?${kept.join("&")}`;
    }
    const applied = prefs.maxPageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : [];
    return json(200, result, preferenceApplied(prefs, applied));
  };

  const getRecord = (req: ApiRequest, t: TableState, id: string): InnerResponse => {
    const prefs = parsePrefer(req.headers.prefer);
    const opts = parseQueryOptions(req.query, new Set(["$select", "$expand"]));
    const row = t.rows.get(id);
    if (!row) throw recordNotFound(t.schema.logicalName, id);
    privileges.assert({ table: t.schema, right: "Read" });
    const etag = etagOf(row);
    const inm = req.headers["if-none-match"];
    if (
      inm &&
      inm
        .split(",")
        .map((s) => s.trim())
        .includes(etag)
    )
      return { status: 304, headers: { "OData-Version": "4.0", ETag: etag } };
    const project = compileProjection(ctx, t, opts.select, opts.expand, annotationOptions(prefs.includeAnnotations));
    const body = {
      "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}${contextSelectSuffix(opts.select, opts.expand)}/$entity`,
      ...project(row),
    };
    return json(200, body, { ETag: etag, ...preferenceApplied(prefs, []) });
  };

  const representation = (req: ApiRequest, t: TableState, row: Row, status: number, prefs: Preferences): InnerResponse => {
    const opts = parseQueryOptions(req.query, new Set(["$select", "$expand"]));
    const project = compileProjection(ctx, t, opts.select, opts.expand, annotationOptions(prefs.includeAnnotations));
    const id = String(row[t.schema.primaryIdAttribute]);
    const body = {
      "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}${contextSelectSuffix(opts.select, opts.expand)}/$entity`,
      ...project(row),
    };
    return json(status, body, {
      ETag: etagOf(row),
      "OData-EntityId": entityUrl(req.serviceRoot, t, id),
      ...preferenceApplied(prefs, ["return=representation"]),
    });
  };

  const createRecord = (req: ApiRequest, t: TableState, refs?: Map<string, string>): InnerResponse => {
    const prefs = parsePrefer(req.headers.prefer);
    if (req.query) parseQueryOptions(req.query, new Set(["$select", "$expand"]));
    const values = applyCreateDefaults(t, toStoreValues(t, parseJsonBody(req.body), "create", refs));
    privileges.assert({ table: t.schema, right: "Create", ownerId: (values.ownerid as string | undefined) ?? null });
    const row = store.create(t.schema.logicalName, values);
    const id = String(row[t.schema.primaryIdAttribute]);
    webhooks.record({ message: "Create", table: t.schema.logicalName, id, changed: values, row }, req.headers);
    if (prefs.returnRepresentation) return representation(req, t, row, 201, prefs);
    return noContent({ "OData-EntityId": entityUrl(req.serviceRoot, t, id) });
  };

  const patchRecord = (req: ApiRequest, t: TableState, id: string, refs?: Map<string, string>): InnerResponse => {
    const prefs = parsePrefer(req.headers.prefer);
    const existing = t.rows.get(id);
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch?.trim() === "*" && existing) {
      throw new DataverseError(412, ErrorCodes.duplicateRecord, "A record with matching key values already exists.");
    }
    checkIfMatch(t, id, existing, req.headers["if-match"]);
    const body = parseJsonBody(req.body);
    const pkValue = body[t.schema.primaryIdAttribute];
    if (pkValue !== undefined && (typeof pkValue !== "string" || normalizeGuid(pkValue) !== id)) {
      throw badRequest(`The value of the primary key '${t.schema.primaryIdAttribute}' in the payload doesn't match the key in the URL.`);
    }
    let row: Row;
    let created = false;
    if (existing) {
      const values = toStoreValues(t, body, "update", refs);
      assertUpdate(privileges, t.schema, existing, values);
      row = store.update(t.schema.logicalName, id, values);
      webhooks.record({ message: "Update", table: t.schema.logicalName, id, changed: values, row }, req.headers);
    } else {
      privileges.assert({ table: t.schema, right: "Create" });
      row = store.create(
        t.schema.logicalName,
        applyCreateDefaults(t, { ...toStoreValues(t, body, "update", refs), [t.schema.primaryIdAttribute]: id }),
      );
      webhooks.record({ message: "Create", table: t.schema.logicalName, id, changed: row, row }, req.headers);
      created = true;
    }
    if (prefs.returnRepresentation) return representation(req, t, row, created ? 201 : 200, prefs);
    return noContent({ "OData-EntityId": entityUrl(req.serviceRoot, t, id) });
  };

  const deleteRecord = (req: ApiRequest, t: TableState, id: string): InnerResponse => {
    const existing = t.rows.get(id);
    if (!existing) throw recordNotFound(t.schema.logicalName, id);
    checkIfMatch(t, id, existing, req.headers["if-match"]);
    privileges.assert({ table: t.schema, right: "Delete", ownerId: (existing.ownerid as string | undefined) ?? null });
    store.delete(t.schema.logicalName, id);
    return noContent();
  };

  const propertyOperation = (req: ApiRequest, t: TableState, id: string, prop: string): InnerResponse => {
    const existing = t.rows.get(id);
    // Single-valued navigation reference: <set>(id)/<nav>/$ref
    const refMatch = /^([A-Za-z0-9_]+)\/\$ref$/.exec(prop);
    if (refMatch) {
      const attr = t.attributes.get(refMatch[1]);
      if (!attr || !isLookupType(attr.type)) throw segmentNotFound(refMatch[1]);
      if (!existing) throw recordNotFound(t.schema.logicalName, id);
      if (req.method === "PUT") {
        const body = parseJsonBody(req.body);
        store.update(t.schema.logicalName, id, { [attr.logicalName]: resolveBind(attr, t, body["@odata.id"]) });
        return noContent();
      }
      if (req.method === "DELETE") {
        store.update(t.schema.logicalName, id, { [attr.logicalName]: null });
        return noContent();
      }
      throw new DataverseError(405, ErrorCodes.badRequest, `The method '${req.method}' is not supported for '$ref'.`);
    }
    if (!/^[A-Za-z0-9_]+$/.test(prop)) throw segmentNotFound(prop);
    const attr =
      t.attributes.get(prop) ??
      (() => {
        try {
          return resolveAttribute(t, prop);
        } catch {
          return undefined;
        }
      })();
    if (!attr) throw segmentNotFound(prop);
    if (!existing) throw recordNotFound(t.schema.logicalName, id);
    if (req.method === "GET") {
      if (isLookupType(attr.type) && prop === attr.logicalName) {
        // Single-valued navigation property: the related record.
        const targetName = attr.targets?.[0];
        const target = targetName && store.hasTable(targetName) ? store.table(targetName) : undefined;
        const related =
          target && typeof existing[attr.logicalName] === "string" ? target.rows.get(existing[attr.logicalName] as string) : undefined;
        if (!target || !related) return noContent();
        return getRecord({ ...req, path: "" }, target, String(related[target.schema.primaryIdAttribute]));
      }
      const v = existing[attr.logicalName];
      return json(200, {
        "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}(${id})/${outputName(attr)}`,
        value: v === undefined ? null : v,
      });
    }
    if (attr.readOnly || attr.logicalName === t.schema.primaryIdAttribute) throw badRequest(`The property '${prop}' cannot be updated.`);
    if (isLookupType(attr.type))
      throw badRequest(`Use '${attr.logicalName}@odata.bind' or '${attr.logicalName}/$ref' to set the lookup '${attr.logicalName}'.`);
    checkIfMatch(t, id, existing, req.headers["if-match"]);
    if (req.method === "PUT") {
      const body = parseJsonBody(req.body);
      if (!("value" in body)) throw badRequest("The request body must be an object with a 'value' property.");
      store.update(t.schema.logicalName, id, { [attr.logicalName]: convertValue(t, attr, body.value) });
      return noContent();
    }
    if (req.method === "DELETE") {
      store.update(t.schema.logicalName, id, { [attr.logicalName]: null });
      return noContent();
    }
    throw new DataverseError(405, ErrorCodes.badRequest, `The method '${req.method}' is not supported for a property.`);
  };

  const targetsOf = (t: TableState, body: Record<string, unknown>, message: string): Record<string, unknown>[] => {
    const targets = body.Targets;
    if (!Array.isArray(targets)) throw badRequest(`${message}: the parameter 'Targets' (a collection of entities) is required.`);
    const entityType = `Microsoft.Dynamics.CRM.${t.schema.logicalName}`;
    targets.forEach((target, i) => {
      if (!target || typeof target !== "object" || Array.isArray(target)) throw badRequest(`${message}: Targets[${i}] is not an entity.`);
      const type = (target as Record<string, unknown>)["@odata.type"];
      if (type === undefined)
        throw badRequest(`${message}: Targets[${i}] lacks '@odata.type'; each target must declare "@odata.type": "${entityType}".`);
      if (type !== entityType && type !== `#${entityType}`) {
        throw badRequest(
          `${message}: Targets[${i}] has '@odata.type' '${String(type)}' but all targets must be of type '${entityType}' (one table per call).`,
        );
      }
    });
    return targets as Record<string, unknown>[];
  };

  const bulkOperation = (req: ApiRequest, t: TableState, action: string): InnerResponse => {
    if (req.method !== "POST") throw new DataverseError(405, ErrorCodes.badRequest, `The action '${action}' requires POST.`);
    const body = parseJsonBody(req.body);
    const pk = t.schema.primaryIdAttribute;
    if (action === "CreateMultiple") {
      const targets = targetsOf(t, body, "CreateMultiple");
      const ids = store.transaction(() =>
        targets.map((target) => {
          const values = applyCreateDefaults(t, toStoreValues(t, target, "create"));
          privileges.assert({ table: t.schema, right: "Create", ownerId: (values.ownerid as string | undefined) ?? null });
          const row = store.create(t.schema.logicalName, values);
          webhooks.record({ message: "Create", table: t.schema.logicalName, id: String(row[pk]), changed: values, row }, req.headers);
          return String(row[pk]);
        }),
      );
      return json(200, { "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`, Ids: ids });
    }
    if (action === "UpdateMultiple") {
      const targets = targetsOf(t, body, "UpdateMultiple");
      store.transaction(() => {
        targets.forEach((target, i) => {
          const raw = target[pk];
          const id = typeof raw === "string" ? normalizeGuid(raw) : undefined;
          if (!id) throw badRequest(`UpdateMultiple: Targets[${i}] must contain the primary key '${pk}'.`);
          const existing = t.rows.get(id);
          if (!existing) throw recordNotFound(t.schema.logicalName, id);
          const values = toStoreValues(t, target, "update");
          assertUpdate(privileges, t.schema, existing, values);
          const row = store.update(t.schema.logicalName, id, values);
          webhooks.record({ message: "Update", table: t.schema.logicalName, id, changed: values, row }, req.headers);
        });
      });
      return noContent();
    }
    if (action === "UpsertMultiple") {
      const targets = targetsOf(t, body, "UpsertMultiple");
      const results = store.transaction(() =>
        targets.map((target) => {
          const raw = target[pk];
          const id = typeof raw === "string" ? normalizeGuid(raw) : undefined;
          if (id && t.rows.has(id)) {
            store.update(t.schema.logicalName, id, toStoreValues(t, target, "update"));
            return { RecordCreated: false, Target: { "@odata.type": "Microsoft.Dynamics.CRM.crmbaseentity", [pk]: id } };
          }
          const row = store.create(t.schema.logicalName, applyCreateDefaults(t, toStoreValues(t, target, "create")));
          return { RecordCreated: true, Target: { "@odata.type": "Microsoft.Dynamics.CRM.crmbaseentity", [pk]: String(row[pk]) } };
        }),
      );
      return json(200, { "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.UpsertMultipleResponse`, Results: results });
    }
    throw segmentNotFound(`Microsoft.Dynamics.CRM.${action}`);
  };

  const countCollection = (req: ApiRequest, t: TableState): InnerResponse => {
    const opts = parseQueryOptions(req.query, new Set(["$filter"]));
    const predicate = opts.filter !== undefined ? compileFilter(ctx, t, parseFilter(opts.filter)) : undefined;
    let n = 0;
    for (const row of t.rows.values()) if (!predicate || predicate(row)) n++;
    return { status: 200, headers: { "OData-Version": "4.0", "Content-Type": "text/plain" }, body: String(Math.min(n, countLimit)) };
  };

  /** RetrieveTotalRecordCount(EntityNames=['account']) or with a parameter alias (?@p1=['account']). */
  const retrieveTotalRecordCount = (req: ApiRequest, args: string): InnerResponse => {
    let list = /^EntityNames=(.*)$/.exec(args.trim())?.[1]?.trim();
    if (list?.startsWith("@")) list = new URLSearchParams(req.query).get(list) ?? undefined;
    if (!list || !/^\[.*\]$/.test(list)) throw badRequest("RetrieveTotalRecordCount requires EntityNames=['<logical name>', …].");
    const names = [...list.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    for (const n of names) if (!store.hasTable(n)) throw badRequest(`The entity '${n}' does not exist.`);
    return json(200, {
      "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse`,
      EntityRecordCountCollection: { Count: names.length, IsReadOnly: false, Keys: names, Values: names.map((n) => store.count(n)) },
    });
  };

  const serviceDocument = (req: ApiRequest): InnerResponse =>
    json(200, {
      "@odata.context": `${req.serviceRoot}$metadata`,
      value: store.schemas().map((s) => ({ name: s.entitySetName, kind: "EntitySet", url: s.entitySetName })),
    });

  const metadataDocument = (): InnerResponse => {
    const edm: Record<string, string> = {
      string: "Edm.String",
      memo: "Edm.String",
      integer: "Edm.Int32",
      bigint: "Edm.Int64",
      decimal: "Edm.Decimal",
      money: "Edm.Decimal",
      double: "Edm.Double",
      boolean: "Edm.Boolean",
      datetime: "Edm.DateTimeOffset",
      picklist: "Edm.Int32",
      state: "Edm.Int32",
      status: "Edm.Int32",
      uniqueidentifier: "Edm.Guid",
      lookup: "Edm.Guid",
      owner: "Edm.Guid",
    };
    let xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
      '<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">';
    for (const s of store.schemas()) {
      xml += `<EntityType Name="${s.logicalName}"><Key><PropertyRef Name="${s.primaryIdAttribute}"/></Key>`;
      for (const a of s.attributes) xml += `<Property Name="${outputName(a)}" Type="${edm[a.type]}"/>`;
      for (const a of s.attributes)
        if (isLookupType(a.type) && a.targets?.[0]) xml += `<NavigationProperty Name="${a.logicalName}" Type="mscrm.${a.targets[0]}"/>`;
      xml += "</EntityType>";
    }
    xml += '<EntityContainer Name="System">';
    for (const s of store.schemas()) xml += `<EntitySet Name="${s.entitySetName}" EntityType="Microsoft.Dynamics.CRM.${s.logicalName}"/>`;
    xml += "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>";
    return { status: 200, headers: { "OData-Version": "4.0", "Content-Type": "application/xml" }, body: xml };
  };

  const methodNotAllowed = (method: string, what: string): DataverseError =>
    new DataverseError(405, ErrorCodes.badRequest, `The HTTP method '${method}' is not supported for ${what}.`);

  const executeSingle = (req: ApiRequest, refs?: Map<string, string>): InnerResponse => {
    try {
      const path = req.path.replace(/^\/+/, "");
      if (path === "") {
        if (req.method !== "GET") throw methodNotAllowed(req.method, "the service document");
        return serviceDocument(req);
      }
      if (path === "$metadata") return metadataDocument();
      if (path === "WhoAmI" || path === "WhoAmI()") {
        if (req.method !== "GET")
          throw new DataverseError(404, "", `No HTTP resource was found that matches the request URI '${req.serviceRoot}WhoAmI'.`);
        return json(200, {
          "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
          BusinessUnitId: BUSINESS_UNIT_ID,
          UserId: privileges.callerId() ?? currentUserId(),
          OrganizationId: ORGANIZATION_ID,
        });
      }
      const totalCount = /^RetrieveTotalRecordCount\((.*)\)$/.exec(path);
      if (totalCount) {
        if (req.method !== "GET") throw methodNotAllowed(req.method, "RetrieveTotalRecordCount");
        return retrieveTotalRecordCount(req, decodeURIComponent(totalCount[1]));
      }
      const userPrivileges = privileges.retrieveUserPrivileges(path, req.serviceRoot);
      if (userPrivileges) return json(200, userPrivileges);
      if (path === "$batch") throw badRequest("A $batch request cannot contain another $batch request.");
      const m = /^([A-Za-z0-9_]+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(path);
      if (!m) throw segmentNotFound(path);
      let segment: string;
      try {
        segment = decodeURIComponent(m[1]);
      } catch {
        throw segmentNotFound(m[1]);
      }
      const t = tableForSegment(segment);
      const keyText = m[2] !== undefined ? decodeURIComponent(m[2]) : undefined;
      const rest = m[3] !== undefined ? decodeURIComponent(m[3]) : undefined;
      if (keyText === undefined) {
        if (rest === undefined) {
          if (req.method === "GET") return getCollection(req, t);
          if (req.method === "POST") return createRecord(req, t, refs);
          throw methodNotAllowed(req.method, `the entity set '${t.schema.entitySetName}'`);
        }
        if (rest === "$count") {
          if (req.method !== "GET") throw methodNotAllowed(req.method, "$count");
          return countCollection(req, t);
        }
        const action = /^Microsoft\.Dynamics\.CRM\.(CreateMultiple|UpdateMultiple|UpsertMultiple)$/.exec(rest);
        if (action) return bulkOperation(req, t, action[1]);
        throw segmentNotFound(rest);
      }
      const id = parseKey(t, keyText);
      if (rest !== undefined) return propertyOperation(req, t, id, rest);
      switch (req.method) {
        case "GET":
          return getRecord(req, t, id);
        case "PATCH":
          return patchRecord(req, t, id, refs);
        case "DELETE":
          return deleteRecord(req, t, id);
        default:
          throw methodNotAllowed(req.method, "an entity");
      }
    } catch (e) {
      return errorResponse(e);
    }
  };

  // ------------------------------------------------------------ $batch

  /** Turns a batch part URL into a path relative to basePath plus query; resolves $n references. */
  const batchTarget = (url: string, refs: Map<string, string>): { path: string; query: string } => {
    if (url.length > MAX_BATCH_URL_LENGTH)
      throw badRequest(`The URL of a batch part is ${url.length} characters long; the maximum is ${MAX_BATCH_URL_LENGTH}.`);
    let u = url;
    const ref = /^\$([A-Za-z0-9_-]+)(.*)$/.exec(u);
    if (ref) {
      const target = refs.get(ref[1]);
      if (!target) throw badRequest(`The Content-ID reference '$${ref[1]}' was not found in the change set.`);
      u = target + ref[2];
    }
    u = u.replace(/^https?:\/\/[^/]+/i, "");
    const q = u.indexOf("?");
    let path = q >= 0 ? u.slice(0, q) : u;
    const query = q >= 0 ? u.slice(q + 1) : "";
    if (path.startsWith(basePath + "/") || path === basePath) path = path.slice(basePath.length);
    return { path: path.replace(/^\/+/, ""), query };
  };

  const executeBatch = (req: ApiRequest): InnerResponse => {
    if (req.method !== "POST") throw methodNotAllowed(req.method, "$batch");
    const boundary = boundaryOf(req.headers["content-type"]);
    if (!boundary) throw badRequest("The $batch request must have Content-Type 'multipart/mixed' with a boundary.");
    const items = parseBatch(req.body, boundary);
    const total = items.reduce((n, it) => n + (it.kind === "request" ? 1 : it.requests.length), 0);
    if (total > MAX_BATCH_REQUESTS)
      throw badRequest(`The number of requests in the batch (${total}) exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
    stats.batchOperations += total;
    const prefs = parsePrefer(req.headers.prefer);
    const refs = new Map<string, string>();
    const out: BatchResponseItem[] = [];
    const runInner = (inner: BatchInnerRequest): InnerResponse => {
      try {
        const target = batchTarget(inner.url, refs);
        // Each part carries its own headers (Prefer, If-Match); the outer Prefer applies to the batch only.
        const headers: Record<string, string | undefined> = { ...inner.headers };
        const r = executeSingle(
          { method: inner.method, path: target.path, query: target.query, headers, body: inner.body, serviceRoot: req.serviceRoot },
          refs,
        );
        if (inner.contentId !== undefined && r.status < 400 && r.headers["OData-EntityId"])
          refs.set(inner.contentId, r.headers["OData-EntityId"]);
        return r;
      } catch (e) {
        return errorResponse(e);
      }
    };
    class ChangeSetFailed extends Error {
      constructor(
        readonly response: InnerResponse,
        readonly contentId: string | undefined,
      ) {
        super("change set failed");
      }
    }
    for (const item of items) {
      if (item.kind === "request") {
        const r = runInner(item.request);
        out.push({ kind: "response", contentId: item.request.contentId, response: r });
        if (r.status >= 400 && !prefs.continueOnError) break;
        continue;
      }
      try {
        const responses = store.transaction(() =>
          item.requests.map((inner) => {
            if (inner.method === "GET") {
              throw new ChangeSetFailed(errorResponse(badRequest("GET requests are not allowed inside a change set.")), inner.contentId);
            }
            const r = runInner(inner);
            if (r.status >= 400) throw new ChangeSetFailed(r, inner.contentId);
            return { contentId: inner.contentId, response: r };
          }),
        );
        out.push({ kind: "changeset", responses });
      } catch (e) {
        if (!(e instanceof ChangeSetFailed)) throw e;
        for (const inner of item.requests) if (inner.contentId !== undefined) refs.delete(inner.contentId);
        out.push({ kind: "response", contentId: e.contentId, response: e.response });
        if (!prefs.continueOnError) break;
      }
    }
    const { boundary: respBoundary, body } = formatBatchResponse(out);
    return {
      status: 200,
      headers: {
        "OData-Version": "4.0",
        "Content-Type": `multipart/mixed; boundary=${respBoundary}`,
        ...(prefs.continueOnError ? { "Preference-Applied": "odata.continue-on-error" } : {}),
      },
      body,
    };
  };

  /** Runs the request, then hands what it committed to the webhook steps. */
  const execute = (req: ApiRequest): InnerResponse => {
    const r = executeRequest(req);
    webhooks.commit();
    return r;
  };

  const executeRequest = (req: ApiRequest): InnerResponse => {
    if (req.path.replace(/^\/+/, "") === "$batch") {
      try {
        return executeBatch(req);
      } catch (e) {
        return errorResponse(e);
      }
    }
    return executeSingle(req);
  };

  // ------------------------------------------------------------ HTTP

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const send = (res: ServerResponse, r: InnerResponse): void => {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | number> = { ...r.headers };
    const body = r.body === undefined ? undefined : Buffer.from(r.body, "utf8");
    if (body) headers["Content-Length"] = body.length;
    res.writeHead(r.status, headers);
    res.end(body);
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? "GET";
    const body = await readBody(req);
    const parse = (): Record<string, unknown> => (body.trim() ? parseJsonBody(body) : {});
    try {
      if (path === "/_local/faults") {
        if (method === "GET") return send(res, json(200, faults.get()));
        if (method === "POST" || method === "PUT") {
          faults.set(parse() as FaultConfig);
          return send(res, json(200, faults.get()));
        }
        if (method === "PATCH") {
          faults.update(parse());
          return send(res, json(200, faults.get()));
        }
        if (method === "DELETE") {
          faults.clear();
          return send(res, noContent());
        }
      } else if (path === "/_local/stats") {
        if (method === "GET") return send(res, json(200, service.stats()));
        if (method === "DELETE") {
          service.resetStats();
          return send(res, noContent());
        }
      } else if (path === "/_local/stats/reset" && method === "POST") {
        service.resetStats();
        return send(res, noContent());
      } else if (path === "/_local/reset" && method === "POST") {
        const b = parse();
        const list = Array.isArray(b.tables) ? (b.tables as string[]) : undefined;
        if (list) for (const n of list) if (!store.hasTable(n)) throw badRequest(`Unknown table '${n}'.`);
        store.reset(list);
        faults.clear();
        return send(res, noContent());
      } else if (path === "/_local/privileges") {
        const r = privileges.admin(method, method === "POST" || method === "PUT" ? parse() : {});
        return send(res, r.status === 204 ? noContent() : json(r.status, r.body));
      } else if (path === "/_local/whoami" && method === "POST") {
        const b = parse();
        configuredUserId = typeof b.userId === "string" ? b.userId : undefined;
        return send(res, json(200, { UserId: currentUserId() }));
      }
      send(res, json(405, { error: { code: ErrorCodes.badRequest, message: `The method ${method} is not supported for ${path}.` } }));
    } catch (e) {
      send(res, errorResponse(e));
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = q >= 0 ? rawUrl.slice(q + 1) : "";
    if (pathname.startsWith("/_local/")) {
      const adminPath = pathname.replace(/\/+$/, "");
      // Only our own admin endpoints: other /_local/* paths stay with the host that mounts us.
      if (!ADMIN_PATHS.has(adminPath)) return false;
      await handleAdmin(req, res, adminPath);
      return true;
    }
    if (pathname !== basePath && !pathname.startsWith(basePath + "/")) return false;
    const method = (req.method ?? "GET").toUpperCase();
    if (rawUrl.length > MAX_URL_LENGTH) {
      // Documented maximum URL length: 32 KB (64 KB for URLs inside a $batch body).
      await readBody(req);
      send(
        res,
        json(414, {
          error: {
            code: ErrorCodes.badRequest,
            message: `The URL is ${rawUrl.length} characters long; the maximum is ${MAX_URL_LENGTH}. Send long queries inside a $batch request.`,
          },
        }),
      );
      return true;
    }
    stats.requests++;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    inFlight++;
    try {
      return await handleApi(req, res, method, rawUrl, pathname, query);
    } finally {
      inFlight--;
    }
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    rawUrl: string,
    pathname: string,
    query: string,
  ): Promise<boolean> => {
    const decision = faults.decide(`${method} ${rawUrl}`, inFlight);
    if (decision.kind === "drop") {
      stats.faulted++;
      req.socket.destroy();
      return true;
    }
    const body = await readBody(req);
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.kind === "error") {
      if (decision.error.status === 429) stats.throttled++;
      else stats.faulted++;
      send(res, errorResponse(decision.error));
      return true;
    }
    const host = req.headers.host ?? "127.0.0.1";
    const proto = (req.headers["x-forwarded-proto"] as string | undefined) ?? "http";
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    privileges.setCaller(headers.mscrmcallerid ?? currentUserId());
    let r: InnerResponse;
    try {
      r = execute({
        method,
        path: pathname.slice(basePath.length).replace(/^\/+/, ""),
        query,
        headers,
        body,
        serviceRoot: `${proto}://${host}${basePath}/`,
      });
    } finally {
      privileges.setCaller(undefined);
    }
    send(res, r);
    return true;
  };

  const service: DataverseService = {
    handle,
    execute,
    store,
    faults,
    webhooks,
    privileges,
    basePath,
    registerTables: (schemas) => {
      store.registerTables(schemas);
      webhooks.ensureMessageRows();
    },
    stats: () => JSON.parse(JSON.stringify(stats)) as RequestStats,
    resetStats: () => {
      stats = { requests: 0, byMethod: {}, batchOperations: 0, throttled: 0, faulted: 0 };
    },
    currentUserId,
    setCurrentUserId: (id) => {
      configuredUserId = id;
    },
    close: () => store.close(),
  };
  return service;
}

export { nowIso };
