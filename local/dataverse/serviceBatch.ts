/**
 * $batch in the local Dataverse stand-in: up to 1,000 requests, change sets in one transaction (all or nothing,
 * Content-ID references `$n` to records created earlier), odata.continue-on-error.
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

export function executeBatch(ctx: ServiceContext, req: ApiRequest): InnerResponse {
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
  for (const item of items) {
    if (item.kind === "request") {
      const r = runInner(item.request);
      out.push({ kind: "response", contentId: item.request.contentId, response: r });
      if (r.status >= 400 && !prefs.continueOnError) break;
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
}
