/**
 * Webhooks in the local Dataverse stand-in: service endpoints and SDK message processing steps registered through
 * the Web API (serviceendpoint, sdkmessageprocessingstep; sdkmessage / sdkmessagefilter rows exist as on a real
 * org) make every committed Create / Update of the step's table POST a RemoteExecutionContext to the endpoint.
 *
 * As Dataverse does for a webhook step: asynchronous (after the request that made the change has answered),
 * Update steps honour filteringattributes, auth per the endpoint's authtype (4 WebhookKey → ?code=, 5 HttpHeader
 * and 6 HttpQueryString → the <settings> in authvalue), 60 s timeout, one retry on 502/503/504, and over 256 KB
 * the header x-ms-dynamics-msg-size-exceeded with InputParameters and images left out.
 * The calling user is the request's MSCRMCallerID header when given (impersonation), else WhoAmI's user.
 * Known differences: every step is dispatched asynchronously whatever its mode/stage; no entity images beyond
 * AsynchronousStepPrimaryName; the eventhandler lookup is `eventhandler_serviceendpoint` (polymorphic lookups
 * have one target in the stand-in); authvalue is readable (write-only on a real org).
 */
import { randomUUID } from "node:crypto";
import type { TableSchema } from "../../dataverse/schema";
import type { SqliteDataverseStore, Row } from "./store";

export const MAX_CONTEXT_BYTES = 256 * 1024;
export const SIZE_EXCEEDED_HEADER = "x-ms-dynamics-msg-size-exceeded";

const sys = [
  { logicalName: "statecode", type: "state", options: [0, 1] },
  { logicalName: "statuscode", type: "status", options: [1, 2] },
] as const;

export const webhookTables: TableSchema[] = [
  {
    logicalName: "serviceendpoint",
    entitySetName: "serviceendpoints",
    primaryIdAttribute: "serviceendpointid",
    primaryNameAttribute: "name",
    ownership: "organization",
    attributes: [
      { logicalName: "serviceendpointid", type: "uniqueidentifier" },
      { logicalName: "name", type: "string", maxLength: 256, required: true },
      { logicalName: "description", type: "memo", maxLength: 2000 },
      { logicalName: "url", type: "string", maxLength: 2000 },
      { logicalName: "contract", type: "picklist", options: [1, 2, 3, 4, 5, 6, 7, 8] },
      { logicalName: "messageformat", type: "picklist", options: [1, 2, 3] },
      { logicalName: "authtype", type: "picklist", options: [1, 2, 3, 4, 5, 6, 7, 8] },
      { logicalName: "authvalue", type: "memo", maxLength: 2000 },
      { logicalName: "namespaceaddress", type: "string", maxLength: 255 },
      { logicalName: "path", type: "string", maxLength: 160 },
      { logicalName: "solutionnamespace", type: "string", maxLength: 160 },
    ],
  },
  {
    logicalName: "sdkmessage",
    entitySetName: "sdkmessages",
    primaryIdAttribute: "sdkmessageid",
    primaryNameAttribute: "name",
    ownership: "organization",
    attributes: [
      { logicalName: "sdkmessageid", type: "uniqueidentifier" },
      { logicalName: "name", type: "string", maxLength: 256, required: true },
    ],
  },
  {
    logicalName: "sdkmessagefilter",
    entitySetName: "sdkmessagefilters",
    primaryIdAttribute: "sdkmessagefilterid",
    primaryNameAttribute: "name",
    ownership: "organization",
    attributes: [
      { logicalName: "sdkmessagefilterid", type: "uniqueidentifier" },
      { logicalName: "name", type: "string", maxLength: 256 },
      { logicalName: "sdkmessageid", type: "lookup", targets: ["sdkmessage"] },
      { logicalName: "primaryobjecttypecode", type: "string", maxLength: 128 },
      { logicalName: "iscustomprocessingstepallowed", type: "boolean" },
    ],
  },
  {
    logicalName: "sdkmessageprocessingstep",
    entitySetName: "sdkmessageprocessingsteps",
    primaryIdAttribute: "sdkmessageprocessingstepid",
    primaryNameAttribute: "name",
    ownership: "user",
    attributes: [
      { logicalName: "sdkmessageprocessingstepid", type: "uniqueidentifier" },
      { logicalName: "name", type: "string", maxLength: 256, required: true },
      { logicalName: "description", type: "memo", maxLength: 2000 },
      { logicalName: "sdkmessageid", type: "lookup", targets: ["sdkmessage"] },
      { logicalName: "sdkmessagefilterid", type: "lookup", targets: ["sdkmessagefilter"] },
      { logicalName: "eventhandler_serviceendpoint", type: "lookup", targets: ["serviceendpoint"] },
      { logicalName: "stage", type: "picklist", options: [5, 10, 15, 20, 30, 40, 45, 50] },
      { logicalName: "mode", type: "picklist", options: [0, 1] },
      { logicalName: "rank", type: "integer", minValue: 1, maxValue: 2147483647 },
      { logicalName: "supporteddeployment", type: "picklist", options: [0, 1, 2] },
      { logicalName: "filteringattributes", type: "memo", maxLength: 100000 },
      { logicalName: "asyncautodelete", type: "boolean" },
      { logicalName: "configuration", type: "memo", maxLength: 2000 },
      { logicalName: "ownerid", type: "owner", targets: ["systemuser"] },
      ...sys,
    ],
  },
] as TableSchema[];

/** Fixed ids of the standard messages (as on every org, the ids differ per org on a real one). */
export const SDK_MESSAGES: Record<string, string> = {
  Create: "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8",
  Update: "20bebb1b-ea3e-db11-86a7-000a3a5473e8",
  Delete: "20bdbb1b-ea3e-db11-86a7-000a3a5473e8",
};

export interface RecordedChange {
  message: "Create" | "Update";
  table: string;
  id: string;
  /** Attributes the request set (store values). */
  changed: Row;
  /** The stored row after the change. */
  row: Row;
  userId: string;
  correlationId: string;
}

export interface Delivery {
  stepId: string;
  endpointId: string;
  url: string;
  message: string;
  table: string;
  id: string;
  attempts: number;
  status: number;
  sizeExceeded: boolean;
  error?: string;
  durationMs: number;
}

export interface WebhookDispatcherOptions {
  store: SqliteDataverseStore;
  currentUserId: () => string;
  organizationId: string;
  businessUnitId: string;
  /** Parallel deliveries (default 20). */
  concurrency?: number;
  /** Timeout per attempt (default 60 s). */
  timeoutMs?: number;
  /** Wait before the retry on 502/503/504 (default 1000 ms). */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

export interface WebhookDispatcher {
  /** Called by the service for each Create / Update inside the current request. */
  record(change: Omit<RecordedChange, "userId" | "correlationId">, headers: Record<string, string | undefined>): void;
  /** The request finished: dispatch what it changed (rolled-back changes are dropped). */
  commit(): void;
  /** Resolves when every queued delivery has finished. */
  idle(): Promise<void>;
  /** Completed deliveries (most recent last; the last 10,000 are kept). */
  readonly deliveries: Delivery[];
  /** Registers sdkmessage / sdkmessagefilter rows for the store's tables (idempotent). */
  ensureMessageRows(): void;
  configure(options: Partial<Pick<WebhookDispatcherOptions, "concurrency" | "timeoutMs" | "retryDelayMs">>): void;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTRACTS = "http://schemas.microsoft.com/xrm/2011/Contracts";

function dateValue(iso: unknown): string {
  const t = Date.parse(String(iso));
  return `/Date(${Number.isNaN(t) ? Date.now() : t})/`;
}

function entityReference(logicalName: string, id: string): Record<string, unknown> {
  return { __type: `EntityReference:${CONTRACTS}`, Id: id, KeyAttributes: [], LogicalName: logicalName, Name: null, RowVersion: null };
}

/** Parses `<settings><setting name="a" value="b" /></settings>` (authtype 5 / 6). */
export function parseAuthSettings(xml: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  for (const m of xml.matchAll(/<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g)) out.push([unescape(m[1]), unescape(m[2])]);
  return out;
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { store } = options;
  let concurrency = options.concurrency ?? 20;
  let timeoutMs = options.timeoutMs ?? 60_000;
  let retryDelayMs = options.retryDelayMs ?? 1000;
  const fetchImpl = options.fetch ?? fetch;
  let pending: RecordedChange[] = [];
  const queue: Array<() => Promise<void>> = [];
  let active = 0;
  const waiters: Array<() => void> = [];
  const deliveries: Delivery[] = [];

  const schema = (table: string) => store.table(table).schema;

  const toValue = (table: string, attr: string, v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    const a = store.table(table).attributes.get(attr);
    switch (a?.type) {
      case "lookup":
      case "owner":
        return entityReference(a.targets?.[0] ?? "unknown", String(v));
      case "picklist":
      case "state":
      case "status":
        return { __type: `OptionSetValue:${CONTRACTS}`, Value: v };
      case "money":
        return { __type: `Money:${CONTRACTS}`, Value: v };
      case "datetime":
        return dateValue(v);
      default:
        return v;
    }
  };

  const entity = (table: string, id: string, values: Row): Record<string, unknown> => ({
    __type: `Entity:${CONTRACTS}`,
    Attributes: Object.entries(values)
      .filter(([k]) => k !== "versionnumber")
      .map(([key, v]) => ({ key, value: toValue(table, key, v) })),
    EntityState: null,
    FormattedValues: [],
    Id: id,
    KeyAttributes: [],
    LogicalName: table,
    RelatedEntities: [],
    RowVersion: null,
  });

  const contextFor = (c: RecordedChange, stepId: string, operationId: string, stage: number, mode: number): Record<string, unknown> => {
    const s = schema(c.table);
    const targetValues: Row =
      c.message === "Create" ? { ...c.row } : { ...c.changed, [s.primaryIdAttribute]: c.id, modifiedon: c.row.modifiedon };
    const input = [{ key: "Target", value: entity(c.table, c.id, targetValues) }];
    const base = {
      BusinessUnitId: options.businessUnitId,
      CorrelationId: c.correlationId,
      Depth: 1,
      InitiatingUserId: c.userId,
      InputParameters: input,
      IsExecutingOffline: false,
      IsInTransaction: false,
      IsOfflinePlayback: false,
      IsolationMode: 1,
      MessageName: c.message,
      Mode: mode,
      OperationCreatedOn: dateValue(c.row.modifiedon),
      OperationId: operationId,
      OrganizationId: options.organizationId,
      OrganizationName: "local",
      OutputParameters: c.message === "Create" ? [{ key: "id", value: c.id }] : [],
      OwningExtension: { Id: stepId, KeyAttributes: [], LogicalName: "sdkmessageprocessingstep", Name: null, RowVersion: null },
    };
    return {
      ...base,
      ParentContext: {
        ...base,
        ParentContext: null,
        PostEntityImages: [],
        PreEntityImages: [],
        PrimaryEntityId: c.id,
        PrimaryEntityName: c.table,
        RequestId: null,
        SecondaryEntityName: "none",
        SharedVariables: [],
        Stage: 30,
        UserId: c.userId,
      },
      PostEntityImages: [
        {
          key: "AsynchronousStepPrimaryName",
          value: entity(c.table, c.id, { [s.primaryNameAttribute]: c.row[s.primaryNameAttribute] ?? null, [s.primaryIdAttribute]: c.id }),
        },
      ],
      PreEntityImages: [],
      PrimaryEntityId: c.id,
      PrimaryEntityName: c.table,
      RequestId: null,
      SecondaryEntityName: "none",
      SharedVariables: [],
      Stage: stage,
      UserId: c.userId,
    };
  };

  const pump = (): void => {
    while (active < concurrency && queue.length) {
      const job = queue.shift() as () => Promise<void>;
      active++;
      job().finally(() => {
        active--;
        pump();
        if (active === 0 && queue.length === 0) for (const w of waiters.splice(0)) w();
      });
    }
  };

  const deliver = async (c: RecordedChange, step: Row, endpoint: Row): Promise<void> => {
    const started = Date.now();
    const stepId = String(step.sdkmessageprocessingstepid);
    const operationId = randomUUID();
    let body = JSON.stringify(contextFor(c, stepId, operationId, Number(step.stage ?? 40), Number(step.mode ?? 1)));
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    let sizeExceeded = false;
    if (Buffer.byteLength(body) > MAX_CONTEXT_BYTES) {
      sizeExceeded = true;
      const ctx = contextFor(c, stepId, operationId, Number(step.stage ?? 40), Number(step.mode ?? 1));
      ctx.InputParameters = [];
      ctx.PreEntityImages = [];
      ctx.PostEntityImages = [];
      (ctx.ParentContext as Record<string, unknown>).InputParameters = [];
      body = JSON.stringify(ctx);
      headers[SIZE_EXCEEDED_HEADER] = "true";
    }
    const url = new URL(String(endpoint.url ?? ""));
    const authType = Number(endpoint.authtype);
    const authValue = String(endpoint.authvalue ?? "");
    if (authType === 4) url.searchParams.set("code", authValue);
    else if (authType === 5) for (const [k, v] of parseAuthSettings(authValue)) headers[k] = v;
    else if (authType === 6) for (const [k, v] of parseAuthSettings(authValue)) url.searchParams.set(k, v);
    const record: Delivery = {
      stepId,
      endpointId: String(endpoint.serviceendpointid),
      url: `${url.origin}${url.pathname}`,
      message: c.message,
      table: c.table,
      id: c.id,
      attempts: 0,
      status: 0,
      sizeExceeded,
      durationMs: 0,
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      record.attempts++;
      try {
        const response = await fetchImpl(url.toString(), { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
        await response.text().catch(() => "");
        record.status = response.status;
        record.error = undefined;
        if (![502, 503, 504].includes(response.status)) break;
      } catch (e) {
        record.status = 0;
        record.error = e instanceof Error ? e.message : String(e);
        break; // timeouts and connection failures fail the async operation
      }
      if (attempt === 0) await new Promise((r) => setTimeout(r, retryDelayMs));
    }
    record.durationMs = Date.now() - started;
    deliveries.push(record);
    if (deliveries.length > 10_000) deliveries.splice(0, deliveries.length - 10_000);
  };

  const stepsFor = (c: RecordedChange): Array<{ step: Row; endpoint: Row }> => {
    if (!store.hasTable("sdkmessageprocessingstep") || store.count("sdkmessageprocessingstep") === 0) return [];
    const messageId = SDK_MESSAGES[c.message];
    const out: Array<{ step: Row; endpoint: Row }> = [];
    for (const step of store.rows("sdkmessageprocessingstep")) {
      if (step.statecode !== 0 || String(step.sdkmessageid) !== messageId) continue;
      const filter = step.sdkmessagefilterid ? store.get("sdkmessagefilter", String(step.sdkmessagefilterid)) : undefined;
      if (!filter || String(filter.primaryobjecttypecode) !== c.table) continue;
      if (c.message === "Update" && typeof step.filteringattributes === "string" && step.filteringattributes.trim()) {
        const wanted = step.filteringattributes
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean);
        if (!wanted.some((a) => a in c.changed)) continue;
      }
      const endpoint = step.eventhandler_serviceendpoint
        ? store.get("serviceendpoint", String(step.eventhandler_serviceendpoint))
        : undefined;
      if (!endpoint || Number(endpoint.contract) !== 8 || !endpoint.url) continue;
      out.push({ step, endpoint });
    }
    return out.sort((a, b) => Number(a.step.rank ?? 1) - Number(b.step.rank ?? 1));
  };

  const dispatcher: WebhookDispatcher = {
    deliveries,
    record(change, headers) {
      if (!store.hasTable("sdkmessageprocessingstep") || store.count("sdkmessageprocessingstep") === 0) return;
      const caller = headers.mscrmcallerid;
      const userId = caller && GUID_RE.test(caller) ? caller.toLowerCase() : options.currentUserId();
      pending.push({ ...change, userId, correlationId: randomUUID() });
    },
    commit() {
      const changes = pending;
      pending = [];
      for (const c of changes) {
        // A change inside a change set that was rolled back is gone (or the row carries an older version).
        const now = store.hasTable(c.table) ? store.get(c.table, c.id) : undefined;
        if (!now || Number(now.versionnumber) < Number(c.row.versionnumber)) continue;
        for (const { step, endpoint } of stepsFor(c)) queue.push(() => deliver(c, step, endpoint));
      }
      // Asynchronous: after the request that made the change has been answered.
      setImmediate(pump);
    },
    idle() {
      if (active === 0 && queue.length === 0 && pending.length === 0)
        return new Promise((r) => setImmediate(() => (active === 0 && queue.length === 0 ? r() : waiters.push(r))));
      return new Promise((r) => waiters.push(r));
    },
    ensureMessageRows() {
      if (!store.hasTable("sdkmessage") || !store.hasTable("sdkmessagefilter")) return;
      for (const [name, id] of Object.entries(SDK_MESSAGES)) {
        if (!store.get("sdkmessage", id)) store.create("sdkmessage", { sdkmessageid: id, name });
      }
      const existing = new Set(
        [...store.rows("sdkmessagefilter")].map((f) => `${String(f.sdkmessageid)}|${String(f.primaryobjecttypecode)}`),
      );
      const rows: Row[] = [];
      for (const s of store.schemas()) {
        for (const id of Object.values(SDK_MESSAGES)) {
          if (existing.has(`${id}|${s.logicalName}`)) continue;
          rows.push({
            name: `${s.logicalName}`,
            sdkmessageid: id,
            primaryobjecttypecode: s.logicalName,
            iscustomprocessingstepallowed: true,
          });
        }
      }
      if (rows.length) store.insertMany("sdkmessagefilter", rows);
    },
    configure(o) {
      if (o.concurrency !== undefined) concurrency = Math.max(1, o.concurrency);
      if (o.timeoutMs !== undefined) timeoutMs = o.timeoutMs;
      if (o.retryDelayMs !== undefined) retryDelayMs = o.retryDelayMs;
    },
  };
  return dispatcher;
}
