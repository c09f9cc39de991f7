/**
 * Request bodies of the webhook hosts (server.ts, functions.ts): the key is checked from the headers first, a
 * declared Content-Length over the limit is refused before a byte is read, and a body that grows over the limit
 * while it is read stops being buffered and is answered 413 (the hosts then discard the rest rather than reset the
 * connection, so the caller reads the answer).
 */

/** Largest body the handlers read (a RemoteExecutionContext over 256 KB arrives trimmed; 8 MB leaves ample room). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  public constructor(public readonly limit: number) {
    super(`The body exceeds ${limit} bytes.`);
    this.name = "BodyTooLargeError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The 413 answer's body. */
export function tooLargeBody(limit = MAX_BODY_BYTES): Record<string, unknown> {
  return { error: { code: "PayloadTooLarge", message: `The body exceeds ${limit} bytes.` } };
}

/** True when a declared Content-Length is over the limit (or not a number). */
export function declaredTooLarge(contentLength: string | null | undefined, limit = MAX_BODY_BYTES): boolean {
  if (contentLength == null || contentLength === "") return false;
  const n = Number(contentLength);
  return !Number.isFinite(n) || n < 0 || n > limit;
}

/** Reads a body as UTF-8 up to `limit` bytes; throws BodyTooLargeError as soon as it is exceeded. */
export async function readLimited(chunks: AsyncIterable<Uint8Array>, limit = MAX_BODY_BYTES): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.byteLength;
    if (size > limit) throw new BodyTooLargeError(limit);
    parts.push(c);
  }
  return Buffer.concat(parts).toString("utf8");
}
