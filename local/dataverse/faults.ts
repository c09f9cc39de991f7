/** Switchable fault injection for tests: latency, throttling (429 + Retry-After), failures, dropped connections. */
import { DataverseError, ErrorCodes } from "./errors";

export type ThrottleMode = "requests" | "executionTime" | "concurrency";

export interface FaultConfig {
  /** Delay added before every Web API request is handled. */
  latencyMs?: number;
  /** Every Nth Web API request (counted from when throttling was switched on) gets 429 with Retry-After. */
  throttle?: {
    everyNth?: number;
    retryAfterSeconds?: number;
    mode?: ThrottleMode;
    /** Sliding window like the service protection limit: more than `limit` requests in `windowSeconds` -> 429 (mode 'requests'). */
    window?: { limit: number; windowSeconds: number };
    /** More than this many requests in flight at once -> 429 0x80072326 (combine with latencyMs). */
    maxConcurrent?: number;
  };
  /** The next `count` requests whose "METHOD url" contains `match` fail with `status` (Dataverse error body). */
  failNext?: { count: number; status: number; match?: string; code?: string; message?: string };
  /** The next `count` matching requests have their connection destroyed without a response. */
  dropConnectionNext?: { count: number; match?: string };
}

export type FaultDecision =
  { kind: "none"; latencyMs: number } | { kind: "drop" } | { kind: "error"; error: DataverseError; latencyMs: number };

const THROTTLE: Record<ThrottleMode, { code: string; message: string }> = {
  requests: {
    code: ErrorCodes.throttleRequests,
    message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
  },
  executionTime: {
    code: ErrorCodes.throttleExecutionTime,
    message:
      "Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.",
  },
  concurrency: { code: ErrorCodes.throttleConcurrency, message: "Number of concurrent requests exceeded the limit of 52." },
};

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  412: "Precondition Failed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export class FaultInjector {
  private config: FaultConfig = {};
  private throttleCounter = 0;

  /** Replaces the whole configuration. */
  set(config: FaultConfig): void {
    this.config = JSON.parse(JSON.stringify(config ?? {})) as FaultConfig;
    this.throttleCounter = 0;
    this.windowHits = [];
  }

  /** Merges top-level keys into the configuration (undefined/null removes a key). */
  update(partial: Partial<Record<keyof FaultConfig, unknown>>): void {
    const next: Record<string, unknown> = { ...this.config };
    for (const [k, v] of Object.entries(partial)) {
      if (v == null) delete next[k];
      else next[k] = JSON.parse(JSON.stringify(v));
    }
    if ("throttle" in partial) {
      this.throttleCounter = 0;
      this.windowHits = [];
    }
    this.config = next as FaultConfig;
  }

  clear(): void {
    this.config = {};
    this.throttleCounter = 0;
    this.windowHits = [];
  }

  get(): FaultConfig {
    return JSON.parse(JSON.stringify(this.config)) as FaultConfig;
  }

  private windowHits: number[] = [];

  /** Decides what happens to one Web API request ("METHOD url"); `inFlight` counts this request too. */
  decide(methodAndUrl: string, inFlight = 1): FaultDecision {
    const c = this.config;
    const latencyMs = Math.max(0, Number(c.latencyMs) || 0);
    const drop = c.dropConnectionNext;
    if (drop && drop.count > 0 && (!drop.match || methodAndUrl.includes(drop.match))) {
      drop.count--;
      if (drop.count <= 0) delete c.dropConnectionNext;
      return { kind: "drop" };
    }
    const fail = c.failNext;
    if (fail && fail.count > 0 && (!fail.match || methodAndUrl.includes(fail.match))) {
      fail.count--;
      if (fail.count <= 0) delete c.failNext;
      const status = Number(fail.status) || 500;
      const headers: Record<string, string> = status === 429 ? { "Retry-After": "1" } : {};
      const code = fail.code ?? (status === 429 ? ErrorCodes.throttleRequests : ErrorCodes.unexpected);
      const message = fail.message ?? (status === 429 ? THROTTLE.requests.message : `Injected fault: ${REASONS[status] ?? "error"}.`);
      return { kind: "error", error: new DataverseError(status, code, message, headers), latencyMs };
    }
    const t = c.throttle;
    if (t?.maxConcurrent !== undefined && inFlight > t.maxConcurrent) {
      const retryAfter = String(Math.max(0, Math.round(t.retryAfterSeconds ?? 1)));
      return {
        kind: "error",
        error: new DataverseError(429, THROTTLE.concurrency.code, THROTTLE.concurrency.message, { "Retry-After": retryAfter }),
        latencyMs,
      };
    }
    if (t?.window && t.window.limit >= 0 && t.window.windowSeconds > 0) {
      const now = Date.now();
      const windowMs = t.window.windowSeconds * 1000;
      while (this.windowHits.length && this.windowHits[0] <= now - windowMs) this.windowHits.shift();
      if (this.windowHits.length >= t.window.limit) {
        const retryAfter = this.windowHits.length ? Math.max(1, Math.ceil((this.windowHits[0] + windowMs - now) / 1000)) : 1;
        return {
          kind: "error",
          error: new DataverseError(
            429,
            THROTTLE.requests.code,
            `Number of requests exceeded the limit of ${t.window.limit} over time window of ${t.window.windowSeconds} seconds.`,
            { "Retry-After": String(retryAfter) },
          ),
          latencyMs,
        };
      }
      this.windowHits.push(now);
    }
    if (t && (t.everyNth ?? 0) > 0) {
      this.throttleCounter++;
      if (this.throttleCounter % (t.everyNth as number) === 0) {
        const mode = t.mode ?? "requests";
        const info = THROTTLE[mode] ?? THROTTLE.requests;
        const retryAfter = String(Math.max(0, Math.round(t.retryAfterSeconds ?? 1)));
        return { kind: "error", error: new DataverseError(429, info.code, info.message, { "Retry-After": retryAfter }), latencyMs };
      }
    }
    return { kind: "none", latencyMs };
  }
}

export function reasonPhrase(status: number): string {
  const all: Record<number, string> = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    304: "Not Modified",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    ...REASONS,
  };
  return all[status] ?? "Unknown";
}
