import { ACCOUNT_COLUMNS, accountFromRow, repFromRow, territoryFromRow, type Row, type Rep, type Territory } from "../../domain/accounts";
import { scopeToODataFilter } from "../../domain/scope";
import {
  RepositoryError,
  type AccountPage,
  type AccountQuery,
  type AccountRepository,
  type LoadSummary,
  type RepositoryErrorKind,
} from "../../app/ports/accounts";
import { totalCountOf } from "./platformFields";

/** Retry policy for transient failures (429, 5xx, network). */
export interface RetryOptions {
  /** Retries after the first attempt (default 4, i.e. up to 5 attempts). */
  maxRetries: number;
  /** First back-off delay in ms; doubles per retry (default 500 → 500, 1000, 2000, 4000). */
  baseDelayMs: number;
  /** Upper bound of one delay, Retry-After included (default 10 000). */
  maxDelayMs: number;
  /** Waits `ms` (replaceable in tests); rejects when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_PAGE_SIZE = 5000;

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 10_000, sleep: defaultSleep };

function abortError(): RepositoryError {
  return new RepositoryError("aborted", "Loading was cancelled.");
}

/** Dataverse service-protection error codes (hex and their unsigned decimal forms). */
const THROTTLING_CODES = new Set(["0x80072322", "0x80072321", "0x80072326", "2147951394", "2147951393", "2147951398"]);

export interface ClassifiedError {
  kind: Exclude<RepositoryErrorKind, "scope" | "aborted">;
  transient: boolean;
  detail: string;
  /** Server-requested wait (Retry-After) in ms, when known. */
  retryAfterMs: number | null;
}

/**
 * Classifies what a WebApi call rejected with. The platform rejects with an ErrorResponse-like object
 * `{ errorCode, message, code? }` (hosts may add `status` / `statusCode` / `retryAfter`); a fetch-level
 * failure arrives as a TypeError.
 */
export function classifyError(error: unknown): ClassifiedError {
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const message = typeof e.message === "string" ? e.message : typeof error === "string" ? error : "";
  const codes = [e.errorCode, e.code].filter((c) => c !== undefined && c !== null).map((c) => String(c).toLowerCase());
  const statusRaw = e.status ?? e.statusCode ?? e.httpStatusCode ?? e.httpStatus;
  const status = typeof statusRaw === "number" ? statusRaw : typeof statusRaw === "string" ? Number(statusRaw) : NaN;
  const retryAfterRaw = e.retryAfter ?? e["Retry-After"];
  const retryAfterSec = typeof retryAfterRaw === "number" ? retryAfterRaw : typeof retryAfterRaw === "string" ? Number(retryAfterRaw) : NaN;
  const retryAfterMs = Number.isFinite(retryAfterSec) && retryAfterSec >= 0 ? retryAfterSec * 1000 : null;
  const detail = [message, codes.find((c) => c.startsWith("0x")) ?? ""].filter(Boolean).join(" ").trim();

  if (status === 429 || codes.some((c) => THROTTLING_CODES.has(c)) || /throttl|too many requests|rate limit/i.test(message)) {
    return { kind: "throttled", transient: true, detail, retryAfterMs };
  }
  if (status === 401 || status === 403 || /privilege|not authori[sz]ed|access is denied|forbidden/i.test(message)) {
    return { kind: "forbidden", transient: false, detail, retryAfterMs };
  }
  if (status >= 500 && status <= 599) return { kind: "unavailable", transient: true, detail, retryAfterMs };
  if (status >= 400 && status <= 499) return { kind: "rejected", transient: false, detail, retryAfterMs };
  if (
    error instanceof TypeError ||
    /network|failed to fetch|fetch failed|timed? ?out|service unavailable|bad gateway|gateway timeout|ECONNREFUSED|ECONNRESET|\b50[0234]\b/i.test(
      message,
    )
  ) {
    return { kind: "unavailable", transient: true, detail, retryAfterMs };
  }
  return { kind: "rejected", transient: false, detail, retryAfterMs };
}

const KIND_MESSAGES: Record<ClassifiedError["kind"], string> = {
  throttled: "Dataverse is throttling requests (service protection limits) and did not recover after several retries.",
  unavailable: "Dataverse could not be reached or returned a server error, also after several retries.",
  rejected: "Dataverse rejected the query.",
  forbidden: "You do not have permission to read these records.",
};

/**
 * AccountRepository over the PCF `context.webAPI` (the only documented data API of a control): paged
 * retrieveMultipleRecords following `nextLink`, with retries and back-off for transient failures.
 */
export class WebApiAccountRepository implements AccountRepository {
  private readonly retry: RetryOptions;
  private requestCount = 0;

  public constructor(
    private readonly webApi: ComponentFramework.WebApi,
    retry: Partial<RetryOptions> = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  /** Requests made through this repository so far (retries included). */
  public get requests(): number {
    return this.requestCount;
  }

  public async loadAccounts(query: AccountQuery, onPage: (page: AccountPage) => void, signal?: AbortSignal): Promise<LoadSummary> {
    const scope = scopeToODataFilter(query.scope);
    if (!scope.ok) throw new RepositoryError("scope", scope.error);
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const select = [...ACCOUNT_COLUMNS, ...query.measureColumns.filter((c) => !ACCOUNT_COLUMNS.includes(c))].join(",");
    let options = `?$select=${select}${scope.filter ? `&$filter=${encodeURIComponent(scope.filter)}` : ""}&$count=true`;
    const before = this.requestCount;
    const fetchPage = (pageOptions: string): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> => {
      const pending = this.call(() => this.webApi.retrieveMultipleRecords("account", pageOptions, pageSize), signal);
      // The page is awaited later; keep an early failure from being reported as unhandled meanwhile.
      pending.catch(() => undefined);
      return pending;
    };
    let loaded = 0;
    let pending: Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> | null = fetchPage(options);
    for (let pageIndex = 0; pending; pageIndex++) {
      const result: ComponentFramework.WebApi.RetrieveMultipleResponse = await pending;
      // Pipelining: the next page is requested before this one is mapped and drawn, so the server and the
      // network work while the main thread renders. Still one request per page, in order.
      const next = nextOptions(result.nextLink);
      pending = next ? fetchPage(next) : null;
      if (next) options = next;
      const accounts = (result.entities ?? []).map((row) => accountFromRow(row as Row, query.measureColumns));
      loaded += accounts.length;
      if (signal?.aborted) throw abortError();
      onPage({ accounts, pageIndex, loadedSoFar: loaded, expectedTotal: pageIndex === 0 ? totalCountOf(result) : undefined });
    }
    return { total: loaded, requests: this.requestCount - before };
  }

  public async loadTerritories(): Promise<Territory[]> {
    const rows = await this.loadAll("territory", "?$select=territoryid,name,_managerid_value,_parentterritoryid_value&$orderby=name");
    return rows.map(territoryFromRow);
  }

  public async loadReps(): Promise<Rep[]> {
    const rows = await this.loadAll(
      "systemuser",
      `?$select=systemuserid,fullname,address1_latitude,address1_longitude&$filter=${encodeURIComponent("isdisabled eq false")}&$orderby=fullname`,
    );
    return rows.map(repFromRow);
  }

  public async getEnvironmentVariableValue(schemaName: string): Promise<string | null> {
    const name = schemaName.trim();
    if (!name) return null;
    const definitions = await this.loadAll(
      "environmentvariabledefinition",
      `?$select=environmentvariabledefinitionid,defaultvalue&$filter=${encodeURIComponent(`schemaname eq '${name.replace(/'/g, "''")}'`)}`,
    );
    const definition = definitions[0];
    if (!definition) return null;
    const id = String(definition.environmentvariabledefinitionid ?? "");
    const values = id
      ? await this.loadAll(
          "environmentvariablevalue",
          `?$select=value&$filter=${encodeURIComponent(`_environmentvariabledefinitionid_value eq ${id}`)}`,
        )
      : [];
    const value = values.map((v) => v.value).find((v) => typeof v === "string" && v !== "");
    if (typeof value === "string") return value;
    return typeof definition.defaultvalue === "string" && definition.defaultvalue !== "" ? definition.defaultvalue : null;
  }

  private async loadAll(entity: string, firstOptions: string): Promise<Row[]> {
    const rows: Row[] = [];
    let options: string | null = firstOptions;
    while (options) {
      const current: string = options;
      const result = await this.call(() => this.webApi.retrieveMultipleRecords(entity, current, DEFAULT_PAGE_SIZE));
      for (const row of result.entities ?? []) rows.push(row as Row);
      options = nextOptions(result.nextLink);
    }
    return rows;
  }

  /** One WebApi call with retries; failures become RepositoryErrors. */
  private async call<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError();
      this.requestCount++;
      try {
        return await request();
      } catch (error) {
        if (signal?.aborted) throw abortError();
        const c = classifyError(error);
        if (!c.transient || attempt > this.retry.maxRetries) {
          const message =
            c.transient || c.kind !== "rejected" ? KIND_MESSAGES[c.kind] : `${KIND_MESSAGES.rejected}${c.detail ? ` ${c.detail}` : ""}`;
          throw new RepositoryError(c.kind, message, c.detail, attempt);
        }
        const backoff = this.retry.baseDelayMs * 2 ** (attempt - 1);
        await this.retry.sleep(Math.min(this.retry.maxDelayMs, Math.max(backoff, c.retryAfterMs ?? 0)), signal);
      }
    }
  }
}

/** The query part of a nextLink (from "?"), which retrieveMultipleRecords takes back as `options`. */
export function nextOptions(nextLink: string | undefined | null): string | null {
  if (!nextLink) return null;
  const q = nextLink.indexOf("?");
  return q >= 0 ? nextLink.slice(q) : null;
}
