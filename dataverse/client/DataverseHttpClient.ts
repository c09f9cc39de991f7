/**
 * Fetch-based client for the Dataverse Web API v9.2: the one client that the control, scripts/, plugins/ and the
 * dev host (local/host) share. Works in the browser and in Node 20 (global fetch); it uses no PCF, DOM-only or Node
 * APIs. Its parts live beside it (errors.ts, batch.ts, odata.ts, paging.ts, retry.ts); this file exports the
 * public names of all of them, so importers need only this one.
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

import { ConcurrencyError, DataverseError, errorFromBody, errorFromResponse } from "./errors";
import {
  batchFailure,
  buildBatchBody,
  MAX_BATCH_REQUESTS,
  parseBatchResponse,
  randomToken,
  type BatchItem,
  type BatchResponse,
} from "./batch";
import {
  buildQuery,
  chunks,
  clampChunk,
  findGuidValue,
  idFromEntityIdHeader,
  normaliseId,
  readJson,
  withODataType,
  type EntityRecord,
  type Query,
} from "./odata";
import { preferHeader, type RetrieveMultipleOptions, type RetrieveMultipleResult } from "./paging";
import { backoffDelay, isAbort, RETRYABLE_5XX, retryAfterSeconds } from "./retry";

export { ConcurrencyError, DataverseError };
export { batchFailure, MAX_BATCH_REQUESTS, parseBatchResponse };
export type { BatchChangeSet, BatchItem, BatchRequest, BatchResponse } from "./batch";
export { buildQuery, idFromEntityIdHeader, MAX_BULK_RECORDS } from "./odata";
export type { EntityRecord, Query, QueryOptions } from "./odata";
export type { RetrieveMultipleOptions, RetrieveMultipleResult } from "./paging";

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
   * POST $batch. Items are sent in order; a change set is atomic. Returns one response per response part.
   * Without `continueOnError` Dataverse stops at the first failing request (or change set) and answers the whole
   * batch with 400: this rejects with that request's typed error (its status, code and message, e.g. a
   * ConcurrencyError for a 412). With `continueOnError` failed parts come back with their `error` set.
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
    return buildBatchBody(items, boundary, this.baseUrl);
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
      const contentType = response.headers.get("Content-Type") ?? "";
      if (/^\s*multipart\/mixed/i.test(contentType)) {
        // A failed $batch: the error is the failing request's, inside the multipart body.
        const text = await response.text().catch(() => "");
        throw (
          batchFailure(text, contentType, options.method, url) ??
          errorFromBody(response.status, text.slice(0, 500), {}, options.method, url)
        );
      }
      throw await errorFromResponse(response, options.method, url);
    }
  }

  private delayFor(attempt: number, retryAfter: number | undefined): number {
    return backoffDelay(attempt, retryAfter, this.retryDelayMs, this.maxRetryDelayMs);
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
