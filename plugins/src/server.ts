/**
 * The handlers as a plain Node HTTP server (development, tests, the benchmark):
 *   POST /api/dataverse-webhook   the webhook (same route as the Azure Functions app)
 *   POST /api/drift               run the drift check now (same key check)
 *   GET  /api/health              liveness (no data)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHandlerApp, type HandlerApp, type HandlerAppOptions, type WebhookRequest } from "./app";
import { authenticate, unauthorizedMessage } from "./webhook/auth";
import { declaredTooLarge, MAX_BODY_BYTES, tooLargeBody } from "./webhook/body";

export const WEBHOOK_ROUTE = "/api/dataverse-webhook";
/** A refused request's remaining body is discarded (not buffered) up to this many bytes, then the socket is closed. */
const MAX_DISCARD = 64 * 1024 * 1024;

export interface HandlerServer {
  url: string;
  port: number;
  app: HandlerApp;
  close(): Promise<void>;
}

/** Body up to MAX_BODY_BYTES; null when it grew over the limit (what was read is dropped, the rest discarded). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (over) return;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/**
 * After an answer sent without reading the body: the rest is read and dropped so the caller gets the answer
 * instead of a reset; beyond MAX_DISCARD bytes the connection is closed.
 */
function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  req.removeAllListeners("data");
  req.on("data", (c: Buffer) => {
    dropped += c.length;
    if (dropped > MAX_DISCARD) req.socket.destroy();
  });
  req.resume();
}

export async function startHandlerServer(options: HandlerAppOptions & { port?: number; host?: string }): Promise<HandlerServer> {
  const app = createHandlerApp(options);
  const server: Server = createServer((req, res) => {
    const started = performance.now();
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      // Server-Timing: the handler's own time for this call, its Dataverse round trips included.
      res.writeHead(status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
        "Server-Timing": `handler;dur=${(performance.now() - started).toFixed(2)}`,
      });
      res.end(text);
    };
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q >= 0 ? raw.slice(0, q) : raw;
    const query = q >= 0 ? raw.slice(q + 1) : "";
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    (async () => {
      if (path === "/api/health" && req.method === "GET") return send(200, { status: "ok" });
      // Route, method, key and declared size are checked from the headers, before a byte of the body is read.
      const refuse = (status: number, body: unknown): void => {
        send(status, body);
        discardRest(req);
      };
      if (path !== WEBHOOK_ROUTE && path !== "/api/drift") return refuse(404, { error: { code: "NotFound", message: `No route ${path}` } });
      if (req.method !== "POST") return refuse(405, { error: { code: "MethodNotAllowed", message: "POST" } });
      if (!authenticate({ headers }, options.config.webhookKeys, options.config.webhookHeader))
        return refuse(401, { error: { code: "Unauthorized", message: unauthorizedMessage(query, options.config.webhookHeader) } });
      if (declaredTooLarge(headers["content-length"])) return refuse(413, tooLargeBody());
      const body = await readBody(req);
      if (body === null) return refuse(413, tooLargeBody());
      if (path === "/api/drift") return send(200, await app.runDrift());
      const request: WebhookRequest = { method: req.method, query, headers, body };
      const r = await app.handle(request);
      send(r.status, r.body);
    })().catch((e: unknown) => {
      if (!res.headersSent) send(500, { error: { code: "HandlerFailed", message: e instanceof Error ? e.message : String(e) } });
    });
  });
  // Expect: 100-continue: a refused request is answered before the caller sends its body at all.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    const ok =
      authenticate({ headers }, options.config.webhookKeys, options.config.webhookHeader) && !declaredTooLarge(headers["content-length"]);
    if (ok) res.writeContinue();
    server.emit("request", req, res);
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}${WEBHOOK_ROUTE}`,
    port,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        app.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
