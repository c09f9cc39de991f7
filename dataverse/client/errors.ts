/** The Dataverse Web API error shape: `{"error":{"code":"0x…","message":"…"}}` and the HTTP status, as errors. */

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

export async function errorFromResponse(response: Response, method: string, url: string): Promise<DataverseError> {
  const text = await response.text().catch(() => "");
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return errorFromBody(response.status, text, headers, method, url);
}

export function errorFromBody(status: number, text: string, headers: Record<string, string>, method: string, url: string): DataverseError {
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

export function parseMaybeJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
