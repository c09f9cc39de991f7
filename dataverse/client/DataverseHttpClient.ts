/**
 * Fetch-based client for the Dataverse Web API v9.2: the one client that scripts/, plugins/ and the dev host
 * (local/host) share. Works in the browser and in Node 20 (global fetch); it uses no PCF, DOM-only or Node APIs.
 *
 * What it knows about Dataverse:
 * - paging with `Prefer: odata.maxpagesize=N`, following `@odata.nextLink` unchanged (with the same Prefer header);
 * - `$batch` as multipart/mixed with atomic change sets and `Content-ID` references, response parsed per part;
 * - CreateMultiple / UpdateMultiple (`{"Targets": [...]}` with `@odata.type`), chunked to ≤ 1000 per call;
 * - optimistic concurrency: `If-Match: <etag>` on update/delete, 412 → {@link ConcurrencyError};
 * - service protection: 429 with `Retry-After` (seconds) is retried for every method (the request was not
 *   executed); 5xx and network failures are retried only for idempotent requests; both with bounded backoff;
 * - errors: `{"error":{"code":"0x…","message":"…"}}` → {@link DataverseError}.
 *
 * @example
 * const client = new DataverseHttpClient({ baseUrl: "http://localhost:8080/api/data/v9.2/" });
 * const accounts = await client.retrieveAll("accounts", { select: ["name"], filter: "statecode eq 0" }, { maxPageSize: 5000 });
 */

/** A Dataverse Web API error: HTTP status plus the `error.code` / `error.message` of the response body. */
export class DataverseError extends Error {
  /** HTTP status (0 when no response was received). */
  public readonly status: number;
  /** Dataverse error code, e.g. "0x80040217"; "" when the body carried none. */
  public readonly code: string;
  /** Seconds from a Retry-After header (429/503), when present. */
  public readonly retryAfterSeconds: number | undefined;
  /** Request that failed, for diagnostics. */
  public readonly method: string;
  public readonly url: string;

  public constructor(
    status: number,
    code: string,
    message: string,
    details: { retryAfterSeconds?: number; method?: string; url?: string } = {},
  ) {
    super(message);
    this.name = "DataverseError";
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.method = details.method ?? "";
    this.url = details.url ?? "";
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** Service protection limit (429) or a throttling error code. */
  public get isThrottling(): boolean {
    return this.status === 429 || THROTTLING_CODES.has(this.code.toLowerCase());
  }
}

/** 412 Precondition Failed: the record changed since the etag passed in If-Match was read. */
export class ConcurrencyError extends DataverseError {
  public constructor(code: string, message: string, details: { method?: string; url?: string } = {}) {
    super(412, code, message, details);
    this.name = "ConcurrencyError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const THROTTLING_CODES = new Set(["0x80072322", "0x80072321", "0x80072326"]);

/** OData system query options; a string is used as is (with or without the leading "?"). */
export interface QueryOptions {
  select?: string[];
  filter?: string;
  orderby?: string;
  expand?: string;
  top?: number;
  count?: boolean;
  apply?: string;
}
export type Query = string | QueryOptions | undefined;

export type EntityRecord = Record<string, unknown>;

export interface RetrieveMultipleOptions {
  /** Records per page (`Prefer: odata.maxpagesize`); Dataverse's default and maximum is 5000. */
  maxPageSize?: number;
  /** `Prefer: odata.include-annotations` value; default "*" (formatted values, lookup names). "" = none. */
  includeAnnotations?: string;
  signal?: AbortSignal;
}

export interface RetrieveMultipleResult<T = EntityRecord> {
  value: T[];
  /** Absolute URL of the next page (follow it unchanged), undefined on the last page. */
  nextLink: string | undefined;
  /** `@odata.count` when `$count=true` was requested. */
  count: number | undefined;
}

/** What {@link DataverseHttpClientOptions.onRequest} receives after every HTTP attempt. */
export interface RequestEvent {
  method: string;
  url: string;
  /** 0 for the first attempt, 1.. for retries. */
  attempt: number;
  /** HTTP status, 0 when the attempt failed without a response. */
  status: number;
  durationMs: number;
  /** Delay before the next attempt when this one is retried. */
  retryInMs?: number;
}

export interface DataverseHttpClientOptions {
  /** Web API root, e.g. "https://org.crm.dynamics.com/api/data/v9.2/" or "http://localhost:8080/api/data/v9.2/". */
  baseUrl: string;
  /** OAuth bearer token source for server-side use; called before every attempt (tokens expire). */
  getToken?: () => Promise<string>;
  /** fetch implementation; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Retries after the first attempt for 429 (any method) and 5xx/network errors (idempotent methods). Default 4. */
  maxRetries?: number;
  /** First backoff delay when no Retry-After is given; doubles per retry (with jitter). Default 500 ms. */
  retryDelayMs?: number;
  /** Upper bound for one wait, including a server's Retry-After. Default 60 000 ms. */
  maxRetryDelayMs?: number;
  /** Observes every HTTP attempt (logging, counting). */
  onRequest?: (event: RequestEvent) => void;
  /** Wait implementation (tests); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Headers sent with every request (e.g. `MSCRMCallerID` for impersonation); per-request headers win. */
  headers?: Record<string, string>;
}

/** One operation inside a $batch (or a change set). */
export interface BatchRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Relative to baseUrl ("accounts", "accounts(<id>)"), absolute, or a Content-ID reference ("$1/..."). */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Content-ID of a change-set member (referenced as "$<id>"); defaults to its 1-based position in the batch. */
  contentId?: string;
}

/** An atomic group: all of its requests succeed or none is applied. GETs are not allowed inside. */
export interface BatchChangeSet {
  changeSet: BatchRequest[];
}

export type BatchItem = BatchRequest | BatchChangeSet;

export interface BatchResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when not JSON, or undefined when empty. */
  body: unknown;
  contentId: string | undefined;
  /** Set when status ≥ 400. */
  error: DataverseError | undefined;
  /** Id from the OData-EntityId header (creates). */
  entityId: string | undefined;
}

export interface WhoAmIResponse {
  UserId: string;
  BusinessUnitId: string;
  OrganizationId: string;
}

interface SendOptions {
  method: string;
  /** Relative to baseUrl or absolute. */
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** Retry 5xx / network failures (429 is always retried). */
  idempotent: boolean;
  signal?: AbortSignal;
}

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
/** Dataverse's limit per CreateMultiple/UpdateMultiple call and per $batch. */
export const MAX_BULK_RECORDS = 1000;
export const MAX_BATCH_REQUESTS = 1000;
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

export class DataverseHttpClient {
  public readonly baseUrl: string;
  private readonly getToken: (() => Promise<string>) | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly onRequest: ((event: RequestEvent) => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly defaultHeaders: Record<string, string>;

  public constructor(options: DataverseHttpClientOptions) {
    if (!options.baseUrl) throw new Error("DataverseHttpClient: baseUrl is required");
    this.baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.getToken = options.getToken;
    const f = options.fetch ?? (typeof fetch === "function" ? fetch : undefined);
    if (!f) throw new Error("DataverseHttpClient: no fetch implementation available");
    // Bind so a global fetch is not called with the client as `this` (browsers reject that).
    this.fetchImpl = f === globalThis.fetch ? f.bind(globalThis) : f;
    this.maxRetries = Math.max(0, options.maxRetries ?? 4);
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 500);
    this.maxRetryDelayMs = Math.max(0, options.maxRetryDelayMs ?? 60_000);
    this.onRequest = options.onRequest;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.defaultHeaders = { ...options.headers };
  }

  // ------------------------------------------------------------------ reads

  /** GET <set>(<id>)?query. */
  public async retrieve<T = EntityRecord>(
    entitySet: string,
    id: string,
    query?: Query,
    options: { includeAnnotations?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const response = await this.send({
      method: "GET",
      url: `${entitySet}(${normaliseId(id)})${buildQuery(query)}`,
      headers: preferHeader(undefined, options.includeAnnotations),
      idempotent: true,
      signal: options.signal,
    });
    return (await readJson(response)) as T;
  }

  /** One page of GET <set>?query. */
  public async retrieveMultiple<T = EntityRecord>(
    entitySet: string,
    query?: Query,
    options: RetrieveMultipleOptions = {},
  ): Promise<RetrieveMultipleResult<T>> {
    return this.retrievePage<T>(`${entitySet}${buildQuery(query)}`, options);
  }

  /** The page at an `@odata.nextLink`, requested unchanged (pass the same maxPageSize as for the first page). */
  public async retrieveNextPage<T = EntityRecord>(
    nextLink: string,
    options: RetrieveMultipleOptions = {},
  ): Promise<RetrieveMultipleResult<T>> {
    return this.retrievePage<T>(nextLink, options);
  }

  /** Every page of GET <set>?query, following `@odata.nextLink` until absent. */
  public async retrieveAll<T = EntityRecord>(
    entitySet: string,
    query?: Query,
    options: RetrieveMultipleOptions & { onPage?: (page: T[], pageIndex: number) => void } = {},
  ): Promise<T[]> {
    const all: T[] = [];
    let page = await this.retrieveMultiple<T>(entitySet, query, options);
    let index = 0;
    for (;;) {
      options.onPage?.(page.value, index++);
      for (const r of page.value) all.push(r);
      if (!page.nextLink) return all;
      page = await this.retrieveNextPage<T>(page.nextLink, options);
    }
  }

  /** WhoAmI function: the calling user, business unit and organization. */
  public async whoAmI(): Promise<WhoAmIResponse> {
    const response = await this.send({ method: "GET", url: "WhoAmI", idempotent: true });
    return (await readJson(response)) as WhoAmIResponse;
  }

  // ------------------------------------------------------------------ writes

  /** POST <set>: creates a record and returns its id (from the OData-EntityId header). */
  public async create(entitySet: string, data: EntityRecord): Promise<string> {
    const response = await this.send({ method: "POST", url: entitySet, body: JSON.stringify(data), idempotent: false });
    const id = idFromEntityIdHeader(response.headers.get("OData-EntityId")) ?? idFromEntityIdHeader(response.headers.get("Location"));
    if (id) return id;
    const body = await readJson(response).catch(() => undefined);
    const fromBody = body && typeof body === "object" ? findGuidValue(body as EntityRecord) : undefined;
    if (fromBody) return fromBody;
    throw new DataverseError(response.status, "", "Create succeeded but the response carried no OData-EntityId header", {
      method: "POST",
      url: entitySet,
    });
  }

  /**
   * PATCH <set>(<id>). With `etag` sends `If-Match: <etag>` (412 → ConcurrencyError); otherwise `If-Match: *`
   * so the call updates and never creates (a PATCH without If-Match is an upsert in Dataverse).
   */
  public async update(entitySet: string, id: string, data: EntityRecord, options: { etag?: string; upsert?: boolean } = {}): Promise<void> {
    const headers: Record<string, string> = {};
    if (options.etag) headers["If-Match"] = options.etag;
    else if (!options.upsert) headers["If-Match"] = "*";
    await this.send({ method: "PATCH", url: `${entitySet}(${normaliseId(id)})`, body: JSON.stringify(data), headers, idempotent: false });
  }

  /** DELETE <set>(<id>), optionally guarded by `If-Match: <etag>`. */
  public async delete(entitySet: string, id: string, options: { etag?: string } = {}): Promise<void> {
    const headers: Record<string, string> = {};
    if (options.etag) headers["If-Match"] = options.etag;
    await this.send({ method: "DELETE", url: `${entitySet}(${normaliseId(id)})`, headers, idempotent: true });
  }

  /**
   * CreateMultiple: creates `records` of one table, ≤ 1000 per call (larger input is chunked; each chunk is
   * all-or-nothing on standard tables). Returns the new ids in input order.
   */
  public async createMultiple(
    entitySet: string,
    logicalName: string,
    records: EntityRecord[],
    options: { chunkSize?: number } = {},
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const chunk of chunks(records, clampChunk(options.chunkSize))) {
      const response = await this.send({
        method: "POST",
        url: `${entitySet}/Microsoft.Dynamics.CRM.CreateMultiple`,
        body: JSON.stringify({ Targets: chunk.map((r) => withODataType(r, logicalName)) }),
        idempotent: false,
      });
      const body = (await readJson(response)) as { Ids?: string[] } | undefined;
      for (const id of body?.Ids ?? []) ids.push(id);
    }
    return ids;
  }

  /** UpdateMultiple: each record must carry its primary id; ≤ 1000 per call, larger input is chunked. */
  public async updateMultiple(
    entitySet: string,
    logicalName: string,
    records: EntityRecord[],
    options: { chunkSize?: number } = {},
  ): Promise<void> {
    for (const chunk of chunks(records, clampChunk(options.chunkSize))) {
      await this.send({
        method: "POST",
        url: `${entitySet}/Microsoft.Dynamics.CRM.UpdateMultiple`,
        body: JSON.stringify({ Targets: chunk.map((r) => withODataType(r, logicalName)) }),
        idempotent: false,
      });
    }
  }

  /**
   * POST $batch. Items are sent in order; a change set is atomic. Returns one response per response part
   * (a failed change set yields the single error response Dataverse sends for it). Without
   * `continueOnError` Dataverse stops at the first failure, so later items may have no response.
   */
  public async executeBatch(items: BatchItem[], options: { continueOnError?: boolean } = {}): Promise<BatchResponse[]> {
    const total = items.reduce((n, item) => n + ("changeSet" in item ? item.changeSet.length : 1), 0);
    if (total === 0) return [];
    if (total > MAX_BATCH_REQUESTS) throw new Error(`A $batch holds at most ${MAX_BATCH_REQUESTS} requests (got ${total})`);
    const boundary = `batch_${randomToken()}`;
    const body = this.buildBatchBody(items, boundary);
    const headers: Record<string, string> = { "Content-Type": `multipart/mixed; boundary=${boundary}`, Accept: "application/json" };
    if (options.continueOnError) headers.Prefer = "odata.continue-on-error";
    const response = await this.send({ method: "POST", url: "$batch", body, headers, idempotent: false });
    const contentType = response.headers.get("Content-Type") ?? "";
    const text = await response.text();
    return parseBatchResponse(text, contentType);
  }

  /** The multipart/mixed body of a $batch (exposed for tests). */
  public buildBatchBody(items: BatchItem[], boundary: string): string {
    const lines: string[] = [];
    let position = 0;
    for (const item of items) {
      lines.push(`--${boundary}`);
      if ("changeSet" in item) {
        const changeSetBoundary = `changeset_${randomToken()}`;
        lines.push(`Content-Type: multipart/mixed; boundary=${changeSetBoundary}`, "");
        for (const request of item.changeSet) {
          position++;
          if (request.method === "GET") throw new Error("GET requests are not allowed inside a change set");
          lines.push(`--${changeSetBoundary}`);
          lines.push(...this.batchPart(request, request.contentId ?? String(position)));
        }
        lines.push(`--${changeSetBoundary}--`, "");
      } else {
        position++;
        lines.push(...this.batchPart(item, item.contentId));
      }
    }
    lines.push(`--${boundary}--`, "");
    return lines.join("\r\n");
  }

  private batchPart(request: BatchRequest, contentId: string | undefined): string[] {
    const raw =
      request.url.startsWith("$") || /^https?:/i.test(request.url) ? request.url : `${this.baseUrl}${request.url.replace(/^\//, "")}`;
    // The request line is "METHOD URL HTTP/1.1": spaces inside the URL (e.g. in $filter) must be encoded.
    const url = raw.replace(/ /g, "%20");
    const part = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"];
    if (contentId !== undefined) part.push(`Content-ID: ${contentId}`);
    part.push("", `${request.method} ${url} HTTP/1.1`);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined && !hasHeader(headers, "Content-Type")) headers["Content-Type"] = "application/json; charset=utf-8";
    if (!hasHeader(headers, "Accept")) headers.Accept = "application/json";
    for (const [name, value] of Object.entries(headers)) part.push(`${name}: ${value}`);
    part.push("");
    part.push(request.body === undefined ? "" : typeof request.body === "string" ? request.body : JSON.stringify(request.body));
    return part;
  }

  // ------------------------------------------------------------------ transport

  /**
   * Sends one request with the standard OData headers, retrying 429 (Retry-After honoured) and, for idempotent
   * requests, 5xx and network failures. Resolves with the successful Response; rejects with DataverseError.
   */
  public async send(options: SendOptions): Promise<Response> {
    const url = /^https?:/i.test(options.url) ? options.url : `${this.baseUrl}${options.url.replace(/^\//, "")}`;
    const headers: Record<string, string> = {
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      Accept: "application/json",
      ...(options.body !== undefined ? { "Content-Type": "application/json; charset=utf-8" } : {}),
      ...this.defaultHeaders,
      ...options.headers,
    };
    for (let attempt = 0; ; attempt++) {
      if (this.getToken) headers.Authorization = `Bearer ${await this.getToken()}`;
      const started = Date.now();
      let response: Response | undefined;
      let networkError: unknown;
      try {
        response = await this.fetchImpl(url, { method: options.method, headers, body: options.body, signal: options.signal });
      } catch (e) {
        if (isAbort(e)) throw e;
        networkError = e;
      }
      const status = response?.status ?? 0;
      const canRetry = attempt < this.maxRetries;
      let retryInMs: number | undefined;
      if (canRetry) {
        if (status === 429) retryInMs = this.delayFor(attempt, retryAfterSeconds(response));
        else if (options.idempotent && (networkError !== undefined || RETRYABLE_5XX.has(status)))
          retryInMs = this.delayFor(attempt, retryAfterSeconds(response));
      }
      this.onRequest?.({ method: options.method, url, attempt, status, durationMs: Date.now() - started, retryInMs });
      if (response && response.ok) return response;
      if (retryInMs !== undefined) {
        if (response) await response.text().catch(() => undefined); // release the connection
        await this.sleep(retryInMs);
        continue;
      }
      if (!response) {
        const message = networkError instanceof Error ? networkError.message : String(networkError);
        throw new DataverseError(0, "", `Network error: ${message}`, { method: options.method, url });
      }
      throw await errorFromResponse(response, options.method, url);
    }
  }

  private delayFor(attempt: number, retryAfter: number | undefined): number {
    if (retryAfter !== undefined) return Math.min(this.maxRetryDelayMs, Math.max(0, retryAfter * 1000));
    const exponential = this.retryDelayMs * 2 ** attempt;
    const jitter = exponential * 0.2 * Math.random();
    return Math.min(this.maxRetryDelayMs, Math.round(exponential + jitter));
  }

  private async retrievePage<T>(url: string, options: RetrieveMultipleOptions): Promise<RetrieveMultipleResult<T>> {
    const response = await this.send({
      method: "GET",
      url,
      headers: preferHeader(options.maxPageSize, options.includeAnnotations),
      idempotent: true,
      signal: options.signal,
    });
    const body = (await readJson(response)) as { value?: T[]; "@odata.nextLink"?: string; "@odata.count"?: number };
    return { value: body?.value ?? [], nextLink: body?.["@odata.nextLink"], count: body?.["@odata.count"] };
  }
}

// ------------------------------------------------------------------ helpers (exported for tests and the host)

/** "?$select=a,b&$filter=…" from options; strings are passed through (a leading "?" is added when missing). */
export function buildQuery(query: Query): string {
  if (query === undefined || query === "") return "";
  if (typeof query === "string") return query.startsWith("?") ? query : `?${query}`;
  const parts: string[] = [];
  if (query.select?.length) parts.push(`$select=${query.select.join(",")}`);
  if (query.filter) parts.push(`$filter=${encodeURIComponent(query.filter)}`);
  if (query.orderby) parts.push(`$orderby=${encodeURIComponent(query.orderby)}`);
  if (query.expand) parts.push(`$expand=${encodeURIComponent(query.expand)}`);
  if (query.apply) parts.push(`$apply=${encodeURIComponent(query.apply)}`);
  if (query.top !== undefined) parts.push(`$top=${query.top}`);
  if (query.count) parts.push("$count=true");
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Parses a multipart/mixed $batch response (nested change sets flattened, in order). */
export function parseBatchResponse(text: string, contentType: string): BatchResponse[] {
  const boundary = boundaryOf(contentType) ?? sniffBoundary(text);
  if (!boundary) throw new DataverseError(0, "", "Malformed $batch response: no multipart boundary");
  const results: BatchResponse[] = [];
  for (const part of splitMultipart(text, boundary)) {
    const { headers, body } = splitHeaders(part);
    const partType = headers["content-type"] ?? "";
    if (/^multipart\/mixed/i.test(partType)) {
      results.push(...parseBatchResponse(body, partType));
      continue;
    }
    const http = parseHttpMessage(body);
    if (!http) continue;
    const error = http.status >= 400 ? errorFromBody(http.status, http.body, http.headers, "", "") : undefined;
    results.push({
      status: http.status,
      statusText: http.statusText,
      headers: http.headers,
      body: parseMaybeJson(http.body),
      contentId: headers["content-id"],
      error,
      entityId: idFromEntityIdHeader(http.headers["odata-entityid"] ?? http.headers.location),
    });
  }
  return results;
}

/** The GUID inside an OData-EntityId value such as "https://org/api/data/v9.2/accounts(00000000-…)". */
export function idFromEntityIdHeader(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const m = /\(([^)]*)\)\s*$/.exec(value);
  const inner = m ? m[1] : value;
  const g = GUID.exec(inner);
  return g ? g[0].toLowerCase() : undefined;
}

function preferHeader(maxPageSize: number | undefined, includeAnnotations: string | undefined): Record<string, string> {
  const prefer: string[] = [];
  if (maxPageSize !== undefined && maxPageSize > 0) prefer.push(`odata.maxpagesize=${Math.floor(maxPageSize)}`);
  const annotations = includeAnnotations ?? "*";
  if (annotations) prefer.push(`odata.include-annotations="${annotations}"`);
  return prefer.length ? { Prefer: prefer.join(",") } : {};
}

function normaliseId(id: string): string {
  return id.replace(/^\{|\}$/g, "");
}

function withODataType(record: EntityRecord, logicalName: string): EntityRecord {
  return { ...record, "@odata.type": `Microsoft.Dynamics.CRM.${logicalName}` };
}

function clampChunk(size: number | undefined): number {
  return Math.max(1, Math.min(MAX_BULK_RECORDS, Math.floor(size ?? MAX_BULK_RECORDS)));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function findGuidValue(record: EntityRecord): string | undefined {
  for (const [key, value] of Object.entries(record)) {
    if (key.endsWith("id") && typeof value === "string" && GUID.test(value)) return value.toLowerCase();
  }
  return undefined;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
}

function isAbort(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: string }).name === "AbortError";
}

function retryAfterSeconds(response: Response | undefined): number | undefined {
  const value = response?.headers.get("Retry-After");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function errorFromResponse(response: Response, method: string, url: string): Promise<DataverseError> {
  const text = await response.text().catch(() => "");
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return errorFromBody(response.status, text, headers, method, url);
}

function errorFromBody(status: number, text: string, headers: Record<string, string>, method: string, url: string): DataverseError {
  let code = "";
  let message = "";
  const parsed = parseMaybeJson(text) as { error?: { code?: unknown; message?: unknown } } | string | undefined;
  if (parsed && typeof parsed === "object" && parsed.error) {
    code = typeof parsed.error.code === "string" ? parsed.error.code : String(parsed.error.code ?? "");
    message = typeof parsed.error.message === "string" ? parsed.error.message : "";
  } else if (typeof parsed === "string") {
    message = parsed.slice(0, 500);
  }
  if (!message) message = `HTTP ${status}`;
  const retryAfterHeader = headers["retry-after"];
  const retryAfter = retryAfterHeader !== undefined && Number.isFinite(Number(retryAfterHeader)) ? Number(retryAfterHeader) : undefined;
  if (status === 412) return new ConcurrencyError(code, message, { method, url });
  return new DataverseError(status, code, message, { retryAfterSeconds: retryAfter, method, url });
}

function parseMaybeJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType);
  return m ? m[2] : undefined;
}

function sniffBoundary(text: string): string | undefined {
  const m = /^--([^\r\n]+)\r?\n/.exec(text.replace(/^\s+/, ""));
  return m ? m[1] : undefined;
}

function splitMultipart(text: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  const segments = text.split(delimiter);
  // segments[0] is the preamble; a segment starting with "--" is the close delimiter (epilogue follows).
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.startsWith("--")) break;
    parts.push(segment.replace(/^[ \t]*\r?\n/, "").replace(/\r?\n$/, ""));
  }
  return parts;
}

function splitHeaders(block: string): { headers: Record<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(block);
  const head = m ? block.slice(0, m.index) : block;
  const body = m ? block.slice(m.index + m[0].length) : "";
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function parseHttpMessage(text: string): { status: number; statusText: string; headers: Record<string, string>; body: string } | undefined {
  const trimmed = text.replace(/^\s+/, "");
  const lineEnd = trimmed.search(/\r?\n/);
  const statusLine = lineEnd >= 0 ? trimmed.slice(0, lineEnd) : trimmed;
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(statusLine);
  if (!m) return undefined;
  const rest = lineEnd >= 0 ? trimmed.slice(lineEnd).replace(/^\r?\n/, "") : "";
  // A response without headers starts its body right after an empty line.
  const { headers, body } = /^\r?\n/.test(rest) ? { headers: {}, body: rest.replace(/^\r?\n/, "") } : splitHeaders(rest);
  return { status: Number(m[1]), statusText: m[2].trim(), headers, body: body.replace(/\s+$/, "") };
}

function randomToken(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}-${Math.random().toString(16).slice(2)}`;
}
