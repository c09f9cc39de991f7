/**
 * The handlers as a plain Node HTTP server (development, tests, the benchmark):
 *   POST /api/dataverse-webhook   the webhook (same route as the Azure Functions app)
 *   POST /api/drift               run the drift check now (same key check)
 *   GET  /api/health              liveness (no data)
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHandlerApp, type HandlerApp, type HandlerAppOptions, type WebhookRequest } from "./app";
import { authenticate } from "./webhook/auth";

export const WEBHOOK_ROUTE = "/api/dataverse-webhook";
const MAX_BODY = 8 * 1024 * 1024;

export interface HandlerServer {
  url: string;
  port: number;
  app: HandlerApp;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
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
      if (path === "/api/drift") {
        await readBody(req);
        if (req.method !== "POST") return send(405, { error: { code: "MethodNotAllowed", message: "POST" } });
        if (!authenticate({ query, headers }, options.config.webhookKeys, options.config.webhookHeader))
          return send(401, { error: { code: "Unauthorized", message: "Missing or wrong webhook key." } });
        return send(200, await app.runDrift());
      }
      if (path !== WEBHOOK_ROUTE) {
        await readBody(req).catch(() => "");
        return send(404, { error: { code: "NotFound", message: `No route ${path}` } });
      }
      let body: string;
      try {
        body = await readBody(req);
      } catch {
        return send(413, { error: { code: "PayloadTooLarge", message: `The body exceeds ${MAX_BODY} bytes.` } });
      }
      const request: WebhookRequest = { method: req.method ?? "GET", query, headers, body };
      const r = await app.handle(request);
      send(r.status, r.body);
    })().catch((e: unknown) => {
      if (!res.headersSent) send(500, { error: { code: "HandlerFailed", message: e instanceof Error ? e.message : String(e) } });
    });
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
