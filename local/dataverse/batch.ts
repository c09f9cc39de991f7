/** multipart/mixed parsing and formatting for $batch (OData 4.0 §11.7, as Dataverse documents it). */
import { randomUUID } from "node:crypto";
import { badRequest } from "./errors";
import { reasonPhrase } from "./faults";

export interface BatchInnerRequest {
  contentId?: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
export type BatchItem = { kind: "request"; request: BatchInnerRequest } | { kind: "changeset"; requests: BatchInnerRequest[] };

export interface InnerResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/mixed/i.test(contentType)) return undefined;
  const m = /boundary=("([^"]+)"|[^;\s]+)/i.exec(contentType);
  return m ? (m[2] ?? m[1]) : undefined;
}

function splitHeadersAndBody(text: string): { headers: Record<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index + m[0].length) : "";
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const idx = line.indexOf(":");
    if (idx <= 0) throw badRequest(`Invalid header line in batch part: '${line}'.`);
    headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
  }
  return { headers, body };
}

/** Splits a multipart body into its parts (text between delimiter lines). */
function splitParts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  let closed = false;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join("\r\n"));
      current = null;
      closed = true;
      break;
    }
    if (trimmed === delimiter) {
      if (current) parts.push(current.join("\r\n"));
      current = [];
      continue;
    }
    if (current) current.push(line);
  }
  if (!closed) throw badRequest(`The batch request body is missing the closing boundary '--${boundary}--'.`);
  return parts;
}

function parseHttpPart(partHeaders: Record<string, string>, content: string): BatchInnerRequest {
  const ct = partHeaders["content-type"] ?? "";
  if (!/^application\/http/i.test(ct)) throw badRequest(`Batch part has Content-Type '${ct}'; expected 'application/http'.`);
  const text = content.replace(/^(\r?\n)+/, "");
  const nl = /\r?\n/.exec(text);
  const requestLine = (nl ? text.slice(0, nl.index) : text).trim();
  const rest = nl ? text.slice(nl.index + nl[0].length) : "";
  // Like ODataLib: the method ends at the first space, the version starts at the last one; the URL is between
  // (so unencoded spaces in a query string are tolerated).
  const m = /^([A-Z]+) (.+?)(?: HTTP\/1\.[01])?$/.exec(requestLine);
  if (!m || !m[2].trim()) throw badRequest(`Invalid request line in batch part: '${requestLine}'.`);
  let headers: Record<string, string> = {};
  let body = "";
  if (rest.trim()) {
    // Headers may be absent: then the part is "request line, blank line, body".
    if (/^\r?\n/.test(rest)) body = rest.replace(/^\r?\n/, "");
    else ({ headers, body } = splitHeadersAndBody(rest));
  }
  return {
    contentId: partHeaders["content-id"] ?? headers["content-id"],
    method: m[1],
    url: m[2],
    headers,
    body: body.replace(/(\r?\n)+$/, ""),
  };
}

/** Parses a $batch body into top-level requests and change sets. */
export function parseBatch(body: string, boundary: string): BatchItem[] {
  const items: BatchItem[] = [];
  for (const part of splitParts(body, boundary)) {
    const { headers, body: content } = splitHeadersAndBody(part);
    const ct = headers["content-type"] ?? "";
    const csBoundary = boundaryOf(ct);
    if (csBoundary) {
      const requests: BatchInnerRequest[] = [];
      for (const inner of splitParts(content, csBoundary)) {
        const p = splitHeadersAndBody(inner);
        if (boundaryOf(p.headers["content-type"])) throw badRequest("Change sets cannot be nested.");
        requests.push(parseHttpPart(p.headers, p.body));
      }
      items.push({ kind: "changeset", requests });
    } else {
      items.push({ kind: "request", request: parseHttpPart(headers, content) });
    }
  }
  return items;
}

function httpBlock(resp: InnerResponse, contentId: string | undefined): string {
  let s = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n";
  if (contentId !== undefined) s += `Content-ID: ${contentId}\r\n`;
  s += `\r\nHTTP/1.1 ${resp.status} ${reasonPhrase(resp.status)}\r\n`;
  for (const [k, v] of Object.entries(resp.headers)) s += `${k}: ${v}\r\n`;
  s += "\r\n";
  // The CRLF before the next delimiter belongs to the delimiter: an empty body still needs its own blank line.
  s += resp.body !== undefined && resp.body !== "" ? `${resp.body}\r\n` : "\r\n";
  return s;
}

export type BatchResponseItem =
  | { kind: "response"; contentId?: string; response: InnerResponse }
  | { kind: "changeset"; responses: Array<{ contentId?: string; response: InnerResponse }> };

export function formatBatchResponse(items: BatchResponseItem[]): { boundary: string; body: string } {
  const boundary = `batchresponse_${randomUUID()}`;
  let body = "";
  for (const item of items) {
    body += `--${boundary}\r\n`;
    if (item.kind === "response") {
      body += httpBlock(item.response, item.contentId);
    } else {
      const cs = `changesetresponse_${randomUUID()}`;
      body += `Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n`;
      for (const r of item.responses) body += `--${cs}\r\n${httpBlock(r.response, r.contentId)}`;
      body += `--${cs}--\r\n`;
    }
  }
  body += `--${boundary}--\r\n`;
  return { boundary, body };
}
