import { randomUUID } from "node:crypto";
import { startDataverseServer } from "../../../local/dataverse";
import type { DataverseServer, DataverseServerOptions } from "../../../local/dataverse";

export const JSON_HEADERS = {
  "Content-Type": "application/json",
  Accept: "application/json",
  "OData-MaxVersion": "4.0",
  "OData-Version": "4.0",
};

export async function startServer(options: Partial<DataverseServerOptions> = {}): Promise<DataverseServer> {
  return startDataverseServer({ port: 0, dbPath: ":memory:", ...options });
}

export interface Client {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  del(path: string, headers?: Record<string, string>): Promise<Response>;
}

export function client(server: DataverseServer): Client {
  const url = (p: string): string => (p.startsWith("http") ? p : server.url + p);
  return {
    get: (p, h = {}) => fetch(url(p), { headers: { ...JSON_HEADERS, ...h } }),
    post: (p, b, h = {}) => fetch(url(p), { method: "POST", headers: { ...JSON_HEADERS, ...h }, body: JSON.stringify(b) }),
    patch: (p, b, h = {}) => fetch(url(p), { method: "PATCH", headers: { ...JSON_HEADERS, ...h }, body: JSON.stringify(b) }),
    put: (p, b, h = {}) => fetch(url(p), { method: "PUT", headers: { ...JSON_HEADERS, ...h }, body: JSON.stringify(b) }),
    del: (p, h = {}) => fetch(url(p), { method: "DELETE", headers: { ...JSON_HEADERS, ...h } }),
  };
}

export function idFromEntityId(header: string | null): string {
  const m = /\(([0-9a-f-]{36})\)$/.exec(header ?? "");
  if (!m) throw new Error(`No entity id in '${header}'`);
  return m[1];
}

export async function expectDataverseError(res: Response, status: number, code?: string): Promise<{ code: string; message: string }> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(typeof body.error.code).toBe("string");
  expect(typeof body.error.message).toBe("string");
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body.error;
}

export interface BatchPart {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
  headers?: Record<string, string>;
}

function httpPart(p: BatchPart): string {
  let s = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n";
  if (p.contentId) s += `Content-ID: ${p.contentId}\r\n`;
  s += `\r\n${p.method} ${p.url} HTTP/1.1\r\n`;
  const headers = { ...(p.body !== undefined ? { "Content-Type": "application/json; type=entry" } : {}), ...(p.headers ?? {}) };
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`;
  s += "\r\n";
  if (p.body !== undefined) s += `${JSON.stringify(p.body)}\r\n`;
  return s;
}

/** Builds a $batch body as Microsoft documents it: items are single requests or change sets (arrays). */
export function buildBatch(items: Array<BatchPart | BatchPart[]>): { boundary: string; body: string } {
  const boundary = `batch_${randomUUID()}`;
  let body = "";
  for (const item of items) {
    body += `--${boundary}\r\n`;
    if (Array.isArray(item)) {
      const cs = `changeset_${randomUUID()}`;
      body += `Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n`;
      for (const p of item) body += `--${cs}\r\n${httpPart(p)}`;
      body += `--${cs}--\r\n`;
    } else {
      body += httpPart(item);
    }
  }
  body += `--${boundary}--\r\n`;
  return { boundary, body };
}

export interface ParsedBatchResponse {
  status: number;
  contentId?: string;
  headers: Record<string, string>;
  body: string;
  changeset: boolean;
}

/** Minimal parser of a multipart/mixed $batch response (flattens change sets, marks their parts). */
export function parseBatchResponse(contentType: string, text: string): ParsedBatchResponse[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`No boundary in '${contentType}'`);
  const out: ParsedBatchResponse[] = [];
  const split = (t: string, b: string): string[] =>
    t
      .split(`--${b}`)
      .slice(1)
      .filter((p) => !p.startsWith("--"));
  const parseHttp = (part: string, changeset: boolean): void => {
    const [head, ...restParts] = part.replace(/^\r\n/, "").split("\r\n\r\n");
    const contentId = /Content-ID: (\S+)/i.exec(head)?.[1];
    const rest = restParts.join("\r\n\r\n");
    const [statusAndHeaders, ...bodyParts] = rest.split("\r\n\r\n");
    const lines = statusAndHeaders.split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0])?.[1]);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(":");
      if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    out.push({ status, contentId, headers, body: bodyParts.join("\r\n\r\n").trim(), changeset });
  };
  for (const part of split(text, boundary)) {
    const csBoundary = /^\r\nContent-Type: multipart\/mixed; boundary=(\S+)/i.exec(part)?.[1];
    if (csBoundary) for (const inner of split(part, csBoundary)) parseHttp(inner, true);
    else parseHttp(part, false);
  }
  return out;
}
