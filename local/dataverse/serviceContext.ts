/**
 * What the request handlers of the local Dataverse stand-in share: the service context (store, options, faults,
 * privileges, webhooks, counters), passed explicitly to every handler, the request type and the response helpers
 * (JSON and error bodies, request bodies, HTTP send).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SqliteDataverseStore, TableState } from "./store";
import { DataverseError, ErrorCodes, badRequest } from "./errors";
import type { FaultInjector } from "./faults";
import type { WebhookDispatcher } from "./webhooks";
import type { PrivilegeStore } from "./privileges";
import type { Preferences } from "./odata";
import type { CompileContext } from "./query";
import type { InnerResponse } from "./batch";

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const JSON_CT = "application/json; odata.metadata=minimal";
export const BUSINESS_UNIT_ID = "00000000-0000-0000-0000-0000000000b1";
export const ORGANIZATION_ID = "00000000-0000-0000-0000-0000000000c1";

export interface RequestStats {
  requests: number;
  byMethod: Record<string, number>;
  batchOperations: number;
  throttled: number;
  faulted: number;
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

/** One service's state, shared by every handler (created by createDataverseService). */
export interface ServiceContext {
  /** e.g. "/api/data/v9.2", without a trailing slash. */
  readonly basePath: string;
  readonly store: SqliteDataverseStore;
  readonly faults: FaultInjector;
  readonly webhooks: WebhookDispatcher;
  readonly privileges: PrivilegeStore;
  /** Upper bound of @odata.count and /$count. */
  readonly countLimit: number;
  /** What query compilation reads (store, calling user, option labels). */
  readonly compile: CompileContext;
  /** WhoAmI's user: `configuredUserId`, else the first systemuser, else a fixed id. */
  readonly currentUserId: () => string;
  /** Set by the options, /_local/whoami and setCurrentUserId. */
  configuredUserId: string | undefined;
  stats: RequestStats;
  /** Requests being handled (fault injection's concurrency limit reads it). */
  inFlight: number;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): InnerResponse {
  return { status, headers: { "OData-Version": "4.0", "Content-Type": JSON_CT, ...headers }, body: JSON.stringify(body) };
}

export function noContent(headers: Record<string, string> = {}): InnerResponse {
  return { status: 204, headers: { "OData-Version": "4.0", ...headers } };
}

export function errorResponse(e: unknown): InnerResponse {
  if (e instanceof DataverseError) return json(e.status, e.toBody(), e.headers);
  if (e instanceof URIError)
    return json(400, { error: { code: ErrorCodes.badRequest, message: `The request URI is not valid: ${e.message}.` } });
  const message = e instanceof Error ? e.message : String(e);
  return json(500, { error: { code: ErrorCodes.unexpected, message } });
}

export function parseJsonBody(body: string): Record<string, unknown> {
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

export function normalizeGuid(s: string): string | undefined {
  const v = s.replace(/^\{|\}$/g, "");
  return GUID_RE.test(v) ? v.toLowerCase() : undefined;
}

export function methodNotAllowed(method: string, what: string): DataverseError {
  return new DataverseError(405, ErrorCodes.badRequest, `The HTTP method '${method}' is not supported for ${what}.`);
}

export function entityUrl(root: string, t: TableState, id: string): string {
  return `${root}${t.schema.entitySetName}(${id})`;
}

export function preferenceApplied(prefs: Preferences, applied: string[]): Record<string, string> {
  const list = [...applied];
  if (prefs.includeAnnotations !== undefined) list.push(`odata.include-annotations="${prefs.includeAnnotations}"`);
  return list.length ? { "Preference-Applied": list.join(",") } : {};
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function send(res: ServerResponse, r: InnerResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...r.headers };
  const body = r.body === undefined ? undefined : Buffer.from(r.body, "utf8");
  if (body) headers["Content-Length"] = body.length;
  res.writeHead(r.status, headers);
  res.end(body);
}

/** A copy of the counters (what /_local/stats and DataverseService.stats return). */
export function snapshotStats(ctx: ServiceContext): RequestStats {
  return JSON.parse(JSON.stringify(ctx.stats)) as RequestStats;
}

export function resetStats(ctx: ServiceContext): void {
  ctx.stats = { requests: 0, byMethod: {}, batchOperations: 0, throttled: 0, faulted: 0 };
}
