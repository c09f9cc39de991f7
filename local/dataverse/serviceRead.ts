/**
 * Reads in the local Dataverse stand-in: query options ($select, $filter, $orderby, $top, $count, $expand), entity
 * set pages with Dataverse-style paging cookies in $skiptoken (at most 5,000 rows a page), single records with
 * ETag / If-None-Match (304) and /$count.
 */
import type { Row, TableState } from "./store";
import { badRequest, recordNotFound } from "./errors";
import { parseExpand, parseFilter, parseOrderBy, parsePrefer, parseSelect } from "./odata";
import type { ExpandItem } from "./odata";
import { annotationOptions, compileFilter, compileOrderBy, compileProjection, contextSelectSuffix, etagOf } from "./query";
import type { Predicate } from "./query";
import type { InnerResponse } from "./batch";
import { json, preferenceApplied, type ApiRequest, type ServiceContext } from "./serviceContext";

const MAX_PAGE_SIZE = 5000;

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

export function parseQueryOptions(query: string, allowed: Set<string>): QueryOptions {
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

export function getCollection(ctx: ServiceContext, req: ApiRequest, t: TableState): InnerResponse {
  ctx.privileges.assert({ table: t.schema, right: "Read" });
  const prefs = parsePrefer(req.headers.prefer);
  const opts = parseQueryOptions(req.query, SUPPORTED_QUERY_OPTIONS);
  const ann = annotationOptions(prefs.includeAnnotations);
  const predicate: Predicate | undefined = opts.filter !== undefined ? compileFilter(ctx.compile, t, parseFilter(opts.filter)) : undefined;
  const comparator = opts.orderby !== undefined ? compileOrderBy(ctx.compile, t, parseOrderBy(opts.orderby)) : undefined;
  const project = compileProjection(ctx.compile, t, opts.select, opts.expand, ann);
  const pageSize = Math.min(prefs.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const token = opts.skiptoken !== undefined ? parseSkipToken(opts.skiptoken) : undefined;
  const pk = t.schema.primaryIdAttribute;

  let matched: Row[] = [];
  let start = 0;
  const earlyStop = !comparator && !opts.count && !token;
  // "Don't use $top with the Prefer: odata.maxpagesize request header. If you include both, $top is ignored."
  // (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results)
  if (prefs.maxPageSize !== undefined) opts.top = undefined;
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
    result["@odata.count"] = Math.min(total, ctx.countLimit);
    if (ann.totalRecordCount) result["@Microsoft.Dynamics.CRM.totalrecordcount"] = Math.min(total, ctx.countLimit);
    if (ann.totalRecordCountLimitExceeded) result["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] = total > ctx.countLimit;
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
}

export function getRecord(ctx: ServiceContext, req: ApiRequest, t: TableState, id: string): InnerResponse {
  const prefs = parsePrefer(req.headers.prefer);
  const opts = parseQueryOptions(req.query, new Set(["$select", "$expand"]));
  const row = t.rows.get(id);
  if (!row) throw recordNotFound(t.schema.logicalName, id);
  ctx.privileges.assert({ table: t.schema, right: "Read" });
  const etag = etagOf(row);
  const inm = req.headers["if-none-match"];
  // Never 304 with $expand or with annotations requested: related records may have changed
  // (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api).
  const conditional = opts.expand.length === 0 && prefs.includeAnnotations === undefined;
  if (
    conditional &&
    inm &&
    inm
      .split(",")
      .map((s) => s.trim())
      .includes(etag)
  )
    return { status: 304, headers: { "OData-Version": "4.0", ETag: etag } };
  const project = compileProjection(ctx.compile, t, opts.select, opts.expand, annotationOptions(prefs.includeAnnotations));
  const body = {
    "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}${contextSelectSuffix(opts.select, opts.expand)}/$entity`,
    ...project(row),
  };
  return json(200, body, { ETag: etag, ...preferenceApplied(prefs, []) });
}

export function countCollection(ctx: ServiceContext, req: ApiRequest, t: TableState): InnerResponse {
  const opts = parseQueryOptions(req.query, new Set(["$filter"]));
  const predicate = opts.filter !== undefined ? compileFilter(ctx.compile, t, parseFilter(opts.filter)) : undefined;
  let n = 0;
  for (const row of t.rows.values()) if (!predicate || predicate(row)) n++;
  return { status: 200, headers: { "OData-Version": "4.0", "Content-Type": "text/plain" }, body: String(Math.min(n, ctx.countLimit)) };
}
