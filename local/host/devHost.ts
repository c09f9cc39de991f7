/**
 * The dev host server: one node:http origin that serves
 *   GET /              the host page (local/host/index.html)
 *   GET /host/*        the host runtime (bundled in memory with esbuild when the server starts) and
 *                      /host/entity-sets.json (logical name → entity set name of the service's tables)
 *   GET /controls/*    the BUILT control: out/controls/TerritoryMapControl (bundle.js, manifest, css, strings)
 *   everything else    the local Dataverse service (/api/data/v9.2/…, /_local/…)
 * Nothing it serves refers to another origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import * as esbuild from "esbuild";
import { createDataverseService, type DataverseService, type TableSchema } from "../dataverse";
import { answerClientErrors, closeHttpServer, dataverseServerOptions } from "../dataverse/server";
import { seedIfEmpty, type SampleOrgSummary } from "../seed";
import { developmentTables, ensureEnvironmentVariables } from "../developmentSchema";

/** Repository root (this file lives in local/host/). */
export const REPO_ROOT = resolve(__dirname, "..", "..");
export const CONTROL_OUT_DIR = join(REPO_ROOT, "out", "controls", "TerritoryMapControl");
export const DEFAULT_DB_PATH = join(REPO_ROOT, ".data", "territorymap.sqlite");

export interface DevHostOptions {
  /** 0 = random free port (default 8080). */
  port?: number;
  /** SQLite file; ':memory:' for throwaway stores. Default .data/territorymap.sqlite. */
  dbPath?: string;
  /** Accounts to seed when the store has none (default: the seed's default, 20,000). 0 = do not seed. */
  seedAccounts?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Tables to serve instead of the development schema (standard tables + the solution's tables). */
  tables?: TableSchema[];
  /** Azure Maps key to store as the current value of the tmap_AzureMapsKey environment variable (never logged). */
  azureMapsKey?: string;
  /** Built control directory (default env TMAP_CONTROL_DIR, else out/controls/TerritoryMapControl). */
  controlDir?: string;
  /** Minify the runtime bundle (default true; React production build either way). */
  minify?: boolean;
}

/** Requests the Web API answered, by "METHOD entityset" (e.g. "GET accounts"), since start or the last reset. */
export type RequestCounts = Record<string, number>;

export interface DevHost {
  /** Host page, e.g. http://localhost:8080/ */
  url: string;
  /** Web API root, e.g. http://localhost:8080/api/data/v9.2/ */
  apiUrl: string;
  port: number;
  service: DataverseService;
  /** What seeding inserted (null when the store already had accounts or seeding was off). */
  seeded: SampleOrgSummary | null;
  requestCounts(): RequestCounts;
  resetRequestCounts(): void;
  close(): Promise<void>;
}

/** Bundles local/host/runtime.ts (React, ReactDOM, Fluent v9 platform globals + the host) into one IIFE string. */
export async function bundleHostRuntime(minify = true): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(REPO_ROOT, "local", "host", "runtime.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
    absWorkingDir: REPO_ROOT,
  });
  return result.outputFiles[0].text;
}

const MIME: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".resx": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
};

function sendText(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(status, { "Content-Type": type, "Content-Length": buf.length, "Cache-Control": "no-store" });
  res.end(buf);
}

async function serveControlFile(res: ServerResponse, controlDir: string, relative: string): Promise<void> {
  const file = normalize(join(controlDir, decodeURIComponent(relative)));
  if (!file.startsWith(controlDir + sep)) return sendText(res, 403, "forbidden", "text/plain");
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error("not a file");
    sendText(res, 200, await readFile(file), MIME[extname(file).toLowerCase()] ?? "application/octet-stream");
  } catch {
    const hint = relative === "bundle.js" ? " (build the control first: npm run build:dev)" : "";
    sendText(res, 404, `not found: /controls/${relative}${hint}`, "text/plain; charset=utf-8");
  }
}

/** Starts the dev host (Dataverse stand-in + host page + built control) on one port. */
export async function startDevHost(options: DevHostOptions = {}): Promise<DevHost> {
  const dbPath = options.dbPath ?? DEFAULT_DB_PATH;
  if (dbPath !== ":memory:") mkdirSync(dirname(dbPath), { recursive: true });
  const controlDir = resolve(options.controlDir ?? (process.env.TMAP_CONTROL_DIR || CONTROL_OUT_DIR));
  const [runtime, service] = await Promise.all([
    bundleHostRuntime(options.minify ?? true),
    Promise.resolve().then(() =>
      createDataverseService({ dbPath, includeStandardTables: false, tables: options.tables ?? developmentTables() }),
    ),
  ]);
  let seeded: SampleOrgSummary | null = null;
  const seedAccounts = options.seedAccounts;
  if (seedAccounts === undefined || seedAccounts > 0) {
    seeded = seedIfEmpty(service.store, seedAccounts === undefined ? {} : { accounts: seedAccounts }).summary;
  }
  if (!options.tables) ensureEnvironmentVariables(service.store, { tmap_AzureMapsKey: options.azureMapsKey });
  const indexHtml = readFileSync(join(REPO_ROOT, "local", "host", "index.html"));
  const apiPrefix = `${service.basePath}/`;
  let counts: RequestCounts = {};

  // The Web API's URL limit (32 KB, 414 beyond) rather than Node's 16 KB header limit (an empty 431).
  const server: Server = createServer(dataverseServerOptions, (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? "/";
    const path = rawUrl.split("?")[0];
    const method = (req.method ?? "GET").toUpperCase();
    const handle = async (): Promise<void> => {
      if (method === "GET" && (path === "/" || path === "/index.html")) return sendText(res, 200, indexHtml, MIME[".html"]);
      if (method === "GET" && path === "/host/runtime.js") return sendText(res, 200, runtime, MIME[".js"]);
      if (method === "GET" && path === "/host/entity-sets.json") {
        // Logical name → entity set name for the host's WebApi (the stand-in serves no EntityDefinitions).
        const map = Object.fromEntries(service.store.schemas().map((t) => [t.logicalName, t.entitySetName]));
        return sendText(res, 200, JSON.stringify(map), MIME[".json"]);
      }
      if (method === "GET" && path === "/favicon.ico") {
        res.writeHead(204);
        res.end();
        return;
      }
      if (method === "GET" && path.startsWith("/controls/")) return serveControlFile(res, controlDir, path.slice("/controls/".length));
      if (path.startsWith(apiPrefix)) {
        const segment = decodeURIComponent(path.slice(apiPrefix.length)).split(/[(/]/)[0];
        const key = `${method} ${segment}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      const handled = await service.handle(req, res);
      if (!handled && !res.headersSent) {
        const body = JSON.stringify({ error: { code: "0x8006088a", message: `Resource not found for the segment '${path}'.` } });
        sendText(res, 404, body, "application/json; charset=utf-8");
      }
    };
    handle().catch((e: unknown) => {
      if (!res.headersSent) {
        const message = e instanceof Error ? e.message : String(e);
        sendText(res, 500, JSON.stringify({ error: { code: "0x80040216", message } }), "application/json; charset=utf-8");
      } else {
        res.destroy();
      }
    });
  });
  answerClientErrors(server);
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  let closed = false;
  return {
    url: `${origin}/`,
    apiUrl: `${origin}${service.basePath}/`,
    port,
    service,
    seeded,
    requestCounts: () => ({ ...counts }),
    resetRequestCounts: () => {
      counts = {};
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await closeHttpServer(server);
      service.close();
    },
  };
}

/** True when the built control exists (bundle.js and its manifest). */
export function controlIsBuilt(controlDir = process.env.TMAP_CONTROL_DIR || CONTROL_OUT_DIR): boolean {
  return existsSync(join(controlDir, "bundle.js")) && existsSync(join(controlDir, "ControlManifest.xml"));
}
