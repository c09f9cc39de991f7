/**
 * Retry policy of the Web API client: 429 (service protection) is retried for every method with its Retry-After;
 * 5xx and network failures only for idempotent requests; otherwise exponential backoff with jitter, bounded.
 */

export const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/** Wait before the next attempt: the server's Retry-After when given, else exponential backoff with jitter. */
export function backoffDelay(attempt: number, retryAfter: number | undefined, retryDelayMs: number, maxRetryDelayMs: number): number {
  if (retryAfter !== undefined) return Math.min(maxRetryDelayMs, Math.max(0, retryAfter * 1000));
  const exponential = retryDelayMs * 2 ** attempt;
  const jitter = exponential * 0.2 * Math.random();
  return Math.min(maxRetryDelayMs, Math.round(exponential + jitter));
}

export function isAbort(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: string }).name === "AbortError";
}

export function retryAfterSeconds(response: Response | undefined): number | undefined {
  const value = response?.headers.get("Retry-After");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
