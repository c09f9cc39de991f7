/**
 * Webhook authentication: the key Dataverse sends as `?code=<key>` (service endpoint authtype 4 WebhookKey or 6
 * HttpQueryString) or in a header (authtype 5 HttpHeader). Compared in constant time: both sides are hashed to
 * 32 bytes (equal length whatever the input) and compared with crypto.timingSafeEqual, against every configured
 * key without stopping at the first match (key rotation).
 */
import { createHash, timingSafeEqual } from "node:crypto";

function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}

/** Constant-time equality of two secrets (time independent of where they differ and of their lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** True when `given` equals one of `keys`; every key is compared. */
export function keyAccepted(given: string | undefined, keys: readonly string[]): boolean {
  let ok = false;
  const g = given ?? "";
  for (const k of keys) ok = secretsEqual(g, k) || ok;
  return ok && given !== undefined && given !== "";
}

export interface AuthInput {
  /** The request's query string (without "?"). */
  query: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** True when the call carries a valid key in `?code=` or in the configured header. */
export function authenticate(input: AuthInput, keys: readonly string[], headerName: string): boolean {
  const code = new URLSearchParams(input.query).get("code") ?? undefined;
  const header = input.headers[headerName.toLowerCase()];
  const byQuery = keyAccepted(code, keys);
  const byHeader = keyAccepted(header, keys);
  return byQuery || byHeader;
}
