/** `$batch` as multipart/mixed: building the request body and parsing the response parts. */
import { DataverseError, errorFromBody, parseMaybeJson } from "./errors";
import { idFromEntityIdHeader } from "./odata";

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

/** Dataverse's limit of requests per $batch. */
export const MAX_BATCH_REQUESTS = 1000;

/** The multipart/mixed body of a $batch; relative request URLs are resolved against `baseUrl`. */
export function buildBatchBody(items: BatchItem[], boundary: string, baseUrl: string): string {
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
        lines.push(...batchPart(request, request.contentId ?? String(position), baseUrl));
      }
      lines.push(`--${changeSetBoundary}--`, "");
    } else {
      position++;
      lines.push(...batchPart(item, item.contentId, baseUrl));
    }
  }
  lines.push(`--${boundary}--`, "");
  return lines.join("\r\n");
}

function batchPart(request: BatchRequest, contentId: string | undefined, baseUrl: string): string[] {
  const raw = request.url.startsWith("$") || /^https?:/i.test(request.url) ? request.url : `${baseUrl}${request.url.replace(/^\//, "")}`;
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

/**
 * The error of a failed `$batch`: without `odata.continue-on-error` Dataverse answers the whole batch with 400 and a
 * multipart body holding the failing request's response ("Handling errors" in
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
 * Returns that request's typed error (status, code and message of the inner response, e.g. ConcurrencyError for a
 * 412), or undefined when the body is not a multipart batch response with a failed part.
 */
export function batchFailure(text: string, contentType: string, method: string, url: string): DataverseError | undefined {
  if (!/^\s*multipart\/mixed/i.test(contentType)) return undefined;
  let parts: BatchResponse[];
  try {
    parts = parseBatchResponse(text, contentType);
  } catch {
    return undefined;
  }
  const failed = parts.find((p) => p.status >= 400);
  if (!failed) return undefined;
  const body = failed.body === undefined ? "" : typeof failed.body === "string" ? failed.body : JSON.stringify(failed.body);
  return errorFromBody(failed.status, body, failed.headers, method, url);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
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

export function randomToken(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}-${Math.random().toString(16).slice(2)}`;
}
