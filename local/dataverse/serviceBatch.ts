/**
 * $batch in the local Dataverse stand-in: up to 1,000 requests, change sets in one transaction (all or nothing,
 * Content-ID references `$n` to records created earlier), odata.continue-on-error.
 * Without odata.continue-on-error the first failing request (or change set) stops the batch and the batch answers
 * `400 BadRequest` with that request's error response as its only part, as Dataverse documents ("Handling errors",
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
 * Between operations the batch yields to the event loop so that other requests are served meanwhile.
 * Parsing and formatting of the multipart bodies: batch.ts.
 */
import { badRequest } from "./errors";
import { parsePrefer } from "./odata";
import { boundaryOf, formatBatchResponse, parseBatch } from "./batch";
import type { BatchInnerRequest, BatchResponseItem, InnerResponse } from "./batch";
import { errorResponse, methodNotAllowed, type ApiRequest, type ServiceContext } from "./serviceContext";
import { executeSingle } from "./serviceRouting";

const MAX_BATCH_REQUESTS = 1000;
const MAX_BATCH_URL_LENGTH = 65536;

/** Turns a batch part URL into a path relative to basePath plus query; resolves $n references. */
function batchTarget(ctx: ServiceContext, url: string, refs: Map<string, string>): { path: string; query: string } {
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
  if (path.startsWith(ctx.basePath + "/") || path === ctx.basePath) path = path.slice(ctx.basePath.length);
  return { path: path.replace(/^\/+/, ""), query };
}

/** Runs a $batch to the end without pausing (in-process `service.execute`). */
export function executeBatch(ctx: ServiceContext, req: ApiRequest): InnerResponse {
  const steps = batchSteps(ctx, req);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs a $batch, awaiting `pause()` between its operations so that other requests are served meanwhile. */
export async function executeBatchYielding(ctx: ServiceContext, req: ApiRequest, pause: () => Promise<void>): Promise<InnerResponse> {
  const steps = batchSteps(ctx, req);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await pause();
  }
}

/** The batch as a generator: it yields after every operation (request or change set) but the last. */
function* batchSteps(ctx: ServiceContext, req: ApiRequest): Generator<void, InnerResponse, void> {
  if (req.method !== "POST") throw methodNotAllowed(req.method, "$batch");
  const boundary = boundaryOf(req.headers["content-type"]);
  if (!boundary) throw badRequest("The $batch request must have Content-Type 'multipart/mixed' with a boundary.");
  const items = parseBatch(req.body, boundary);
  const total = items.reduce((n, it) => n + (it.kind === "request" ? 1 : it.requests.length), 0);
  if (total > MAX_BATCH_REQUESTS)
    throw badRequest(`The number of requests in the batch (${total}) exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
  ctx.stats.batchOperations += total;
  const prefs = parsePrefer(req.headers.prefer);
  const refs = new Map<string, string>();
  const out: BatchResponseItem[] = [];
  const runInner = (inner: BatchInnerRequest): InnerResponse => {
    try {
      const target = batchTarget(ctx, inner.url, refs);
      // Each part carries its own headers (Prefer, If-Match); the outer Prefer applies to the batch only.
      const headers: Record<string, string | undefined> = { ...inner.headers };
      const r = executeSingle(
        ctx,
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
  let failed: BatchResponseItem | undefined;
  let first = true;
  for (const item of items) {
    if (!first) yield;
    first = false;
    if (item.kind === "request") {
      const r = runInner(item.request);
      const part: BatchResponseItem = { kind: "response", contentId: item.request.contentId, response: r };
      out.push(part);
      if (r.status >= 400 && !prefs.continueOnError) {
        failed = part;
        break;
      }
      continue;
    }
    try {
      const responses = ctx.store.transaction(() =>
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
      const part: BatchResponseItem = { kind: "response", contentId: e.contentId, response: e.response };
      out.push(part);
      if (!prefs.continueOnError) {
        failed = part;
        break;
      }
    }
  }
  // Documented: without continue-on-error "the batch error represents the error of the first failing request".
  const { boundary: respBoundary, body } = formatBatchResponse(failed ? [failed] : out);
  return {
    status: failed ? 400 : 200,
    headers: {
      "OData-Version": "4.0",
      "Content-Type": `multipart/mixed; boundary=${respBoundary}`,
      ...(prefs.continueOnError ? { "Preference-Applied": "odata.continue-on-error" } : {}),
    },
    body,
  };
}
