/**
 * Webhook authentication: the key Dataverse sends in a header (service endpoint authtype 5 HttpHeader: a header
 * name/value pair from the endpoint's authvalue). A key in the URL (`?code=`, authtypes 4 and 6) is not accepted:
 * URLs end up in logs and proxies. Compared in constant time: both sides are hashed to 32 bytes (equal length
 * whatever the input) and compared with crypto.timingSafeEqual, against every configured key without stopping at the
 * first match (key rotation).
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
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** True when the call carries a valid key in the configured header. Needs only the headers: check it before reading a body. */
export function authenticate(input: AuthInput, keys: readonly string[], headerName: string): boolean {
  return keyAccepted(input.headers[headerName.toLowerCase()], keys);
}

/** The 401 answer's message: says where the key belongs when it was sent in the URL. */
export function unauthorizedMessage(query: string, headerName: string): string {
  return new URLSearchParams(query).has("code")
    ? `The webhook key must be sent in the ${headerName} header (service endpoint authentication HttpHeader), not in the URL.`
    : "Missing or wrong webhook key.";
}
