/**
 * The local Dataverse Web API v9.2 stand-in: `createDataverseService` builds one service (SQLite store, faults,
 * privileges, webhooks, counters) and handles its HTTP requests: URL length, fault injection, request counters and
 * the calling user here, then the Web API itself (serviceRouting.ts: documents, reads in serviceRead.ts, writes in
 * serviceWrite.ts, bulk messages in serviceBulk.ts; $batch in serviceBatch.ts) or the /_local admin endpoints
 * (serviceAdmin.ts), all over one context object (serviceContext.ts). Plain node:http; mount `handle` in any server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TableSchema } from "../../dataverse/schema";
import { standardOptionLabels, standardTables } from "./standardTables";
import type { OptionLabels } from "./standardTables";
import { SqliteDataverseStore, nowIso } from "./store";
import { ErrorCodes } from "./errors";
import { FaultInjector } from "./faults";
import { createWebhookDispatcher, type WebhookDispatcher } from "./webhooks";
import { PrivilegeStore } from "./privileges";
import type { InnerResponse } from "./batch";
import {
  BUSINESS_UNIT_ID,
  ORGANIZATION_ID,
  errorResponse,
  json,
  readBody,
  resetStats,
  send,
  snapshotStats,
  type ApiRequest,
  type RequestStats,
  type ServiceContext,
} from "./serviceContext";
import { ADMIN_PATHS, handleAdmin } from "./serviceAdmin";
import { executeSingle } from "./serviceRouting";
import { executeBatch, executeBatchYielding } from "./serviceBatch";
import { resolveCaller } from "./impersonation";
import { teamsOfUser, withTeamOwners } from "./teams";

export type { ApiRequest, RequestStats } from "./serviceContext";
export { errorResponse } from "./serviceContext";

export const DEFAULT_BASE_PATH = "/api/data/v9.2";
const MAX_URL_LENGTH = 32768;
const FIXED_USER_ID = "00000000-0000-0000-0000-00000000a11c";

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

export function createDataverseService(options: DataverseServiceOptions): DataverseService {
  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
  // Owner lookups target users and teams, as in Dataverse.
  const tables = withTeamOwners([...(options.includeStandardTables === false ? [] : standardTables), ...(options.tables ?? [])]);
  const store = new SqliteDataverseStore({ dbPath: options.dbPath, tables, businessUnitId: BUSINESS_UNIT_ID });
  const faults = new FaultInjector();
  const webhooks = createWebhookDispatcher({
    store,
    // The user a change is attributed to: the impersonated user (also via CallerObjectId) while a request runs.
    currentUserId: () => privileges.callerId() ?? currentUserId(),
    organizationId: ORGANIZATION_ID,
    businessUnitId: BUSINESS_UNIT_ID,
  });
  webhooks.ensureMessageRows();
  const privileges = new PrivilegeStore(store.db, () => store.schemas(), BUSINESS_UNIT_ID);
  privileges.setTeamMembership((userId) => teamsOfUser({ store }, userId));
  privileges.setOwnerType((ownerId) => (store.hasTable("team") && store.get("team", ownerId) ? 9 : 8));
  // Writes made through the Web API record their caller as createdby / modifiedby, as Dataverse does.
  store.setAuditUsers(() => ({ by: privileges.callerId(), onBehalfOf: privileges.onBehalfOfId() }));
  const currentUserId = (): string => {
    if (ctx.configuredUserId) return ctx.configuredUserId.toLowerCase();
    if (store.hasTable("systemuser")) {
      const first = store.rows("systemuser").next();
      if (!first.done) return String(first.value.systemuserid);
    }
    return FIXED_USER_ID;
  };
  const optionLabels: OptionLabels = JSON.parse(JSON.stringify(standardOptionLabels)) as OptionLabels;
  for (const [table, attrs] of Object.entries(options.optionLabels ?? {})) optionLabels[table] = { ...optionLabels[table], ...attrs };
  const ctx: ServiceContext = {
    basePath,
    store,
    faults,
    webhooks,
    privileges,
    countLimit: options.countLimit ?? 5000,
    compile: { store, currentUserId, optionLabels },
    currentUserId,
    configuredUserId: options.currentUserId,
    stats: { requests: 0, byMethod: {}, batchOperations: 0, throttled: 0, faulted: 0 },
    inFlight: 0,
  };

  const service: DataverseService = {
    handle: (req, res) => handle(ctx, req, res),
    execute: (request) => execute(ctx, request),
    store,
    faults,
    webhooks,
    privileges,
    basePath,
    registerTables: (schemas) => {
      store.registerTables(withTeamOwners(schemas));
      webhooks.ensureMessageRows();
    },
    stats: () => snapshotStats(ctx),
    resetStats: () => resetStats(ctx),
    currentUserId,
    setCurrentUserId: (id) => {
      ctx.configuredUserId = id;
    },
    close: () => store.close(),
  };
  return service;
}

/** Runs the request, then hands what it committed to the webhook steps. */
function execute(ctx: ServiceContext, req: ApiRequest): InnerResponse {
  const r = executeRequest(ctx, req);
  ctx.webhooks.commit();
  return r;
}

function executeRequest(ctx: ServiceContext, req: ApiRequest): InnerResponse {
  if (req.path.replace(/^\/+/, "") === "$batch") {
    try {
      return executeBatch(ctx, req);
    } catch (e) {
      return errorResponse(e);
    }
  }
  return executeSingle(ctx, req);
}

async function handle(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const pathname = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const query = q >= 0 ? rawUrl.slice(q + 1) : "";
  if (pathname.startsWith("/_local/")) {
    const adminPath = pathname.replace(/\/+$/, "");
    // Only our own admin endpoints: other /_local/* paths stay with the host that mounts us.
    if (!ADMIN_PATHS.has(adminPath)) return false;
    await handleAdmin(ctx, req, res, adminPath);
    return true;
  }
  if (pathname !== ctx.basePath && !pathname.startsWith(ctx.basePath + "/")) return false;
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
  ctx.stats.requests++;
  ctx.stats.byMethod[method] = (ctx.stats.byMethod[method] ?? 0) + 1;
  ctx.inFlight++;
  try {
    return await handleApi(ctx, req, res, method, rawUrl, pathname, query);
  } finally {
    ctx.inFlight--;
  }
}

async function handleApi(
  ctx: ServiceContext,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  rawUrl: string,
  pathname: string,
  query: string,
): Promise<boolean> {
  const decision = ctx.faults.decide(`${method} ${rawUrl}`, ctx.inFlight);
  if (decision.kind === "drop") {
    ctx.stats.faulted++;
    req.socket.destroy();
    return true;
  }
  const body = await readBody(req);
  if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
  if (decision.kind === "error") {
    if (decision.error.status === 429) ctx.stats.throttled++;
    else ctx.stats.faulted++;
    send(res, errorResponse(decision.error));
    return true;
  }
  const host = req.headers.host ?? "127.0.0.1";
  const proto = (req.headers["x-forwarded-proto"] as string | undefined) ?? "http";
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  const apiRequest: ApiRequest = {
    method,
    path: pathname.slice(ctx.basePath.length).replace(/^\/+/, ""),
    query,
    headers,
    body,
    serviceRoot: `${proto}://${host}${ctx.basePath}/`,
  };
  let r: InnerResponse;
  try {
    // Impersonation (MSCRMCallerID / CallerObjectId) is checked before anything else runs.
    const caller = resolveCaller(ctx, headers);
    ctx.privileges.setCaller(caller.userId, caller.onBehalfOf);
    if (apiRequest.path === "$batch") {
      // Between the batch's operations other requests run; each resumes with its own caller.
      const pause = async (): Promise<void> => {
        const state = ctx.privileges.callerState();
        ctx.webhooks.commit();
        await new Promise<void>((resolve) => setImmediate(resolve));
        ctx.privileges.restoreCaller(state);
      };
      try {
        r = await executeBatchYielding(ctx, apiRequest, pause);
      } catch (e) {
        r = errorResponse(e);
      }
      ctx.webhooks.commit();
    } else {
      r = execute(ctx, apiRequest);
    }
  } catch (e) {
    r = errorResponse(e);
  } finally {
    ctx.privileges.setCaller(undefined);
  }
  send(res, r);
  return true;
}

export { nowIso };
