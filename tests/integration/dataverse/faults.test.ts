import type { DataverseServer } from "../../../local/dataverse";
import { client, expectDataverseError, startServer } from "./helpers";
import type { Client } from "./helpers";

describe("local Dataverse: fault injection, throttling and stats", () => {
  let server: DataverseServer;
  let api: Client;
  const admin = (path: string, method = "GET", body?: unknown): Promise<Response> =>
    fetch(`${server.origin}/_local/${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startServer();
    api = client(server);
  });
  afterAll(() => server.close());
  afterEach(() => server.service.faults.clear());

  it.each([
    ["requests", "0x80072322"],
    ["executionTime", "0x80072321"],
    ["concurrency", "0x80072326"],
  ] as const)("throttle mode %s -> 429 with Retry-After and code %s on every Nth request", async (mode, code) => {
    server.service.faults.set({ throttle: { everyNth: 2, retryAfterSeconds: 3, mode } });
    expect((await api.get("accounts?$top=1")).status).toBe(200);
    const throttled = await api.get("accounts?$top=1");
    expect(throttled.headers.get("Retry-After")).toBe("3");
    await expectDataverseError(throttled, 429, code);
    expect((await api.get("accounts?$top=1")).status).toBe(200);
  });

  it("a sliding window limit answers 429 0x80072322 with the seconds until a slot frees", async () => {
    server.service.faults.set({ throttle: { window: { limit: 2, windowSeconds: 30 } } });
    expect((await api.get("accounts?$top=1")).status).toBe(200);
    expect((await api.get("accounts?$top=1")).status).toBe(200);
    const res = await api.get("accounts?$top=1");
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(29);
    await expectDataverseError(res, 429, "0x80072322");
  });

  it("maxConcurrent answers 429 0x80072326 to requests beyond the limit in flight", async () => {
    server.service.faults.set({ latencyMs: 200, throttle: { maxConcurrent: 2 } });
    const results = await Promise.all([0, 1, 2, 3].map(() => api.get("accounts?$top=1")));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    const throttled = results.find((r) => r.status === 429) as Response;
    await expectDataverseError(throttled, 429, "0x80072326");
  });

  it("is switchable over HTTP: POST/GET/DELETE /_local/faults", async () => {
    const set = await admin("faults", "POST", { throttle: { everyNth: 1, retryAfterSeconds: 1 } });
    expect(set.status).toBe(200);
    expect(await (await admin("faults")).json()).toEqual({ throttle: { everyNth: 1, retryAfterSeconds: 1 } });
    await expectDataverseError(await api.get("accounts"), 429, "0x80072322");
    expect((await admin("faults", "DELETE")).status).toBe(204);
    expect((await api.get("accounts")).status).toBe(200);
  });

  it("failNext fails only matching requests, count times, with a Dataverse error body", async () => {
    server.service.faults.set({ failNext: { count: 2, status: 503, match: "POST" } });
    expect((await api.get("accounts")).status).toBe(200);
    await expectDataverseError(await api.post("accounts", { name: "a" }), 503);
    await expectDataverseError(await api.post("accounts", { name: "a" }), 503);
    expect((await api.post("accounts", { name: "a" })).status).toBe(204);
    expect(server.service.store.count("account")).toBe(1);
  });

  it("failNext with status 429 carries Retry-After", async () => {
    server.service.faults.set({ failNext: { count: 1, status: 429 } });
    const res = await api.get("accounts");
    expect(res.headers.get("Retry-After")).toBe("1");
    await expectDataverseError(res, 429, "0x80072322");
  });

  it("dropConnectionNext destroys the connection without a response", async () => {
    server.service.faults.set({ dropConnectionNext: { count: 1, match: "territories" } });
    await expect(fetch(`${server.url}territories`, { headers: { Connection: "close" } })).rejects.toThrow();
    expect((await api.get("territories")).status).toBe(200);
  });

  it("latencyMs delays responses", async () => {
    server.service.faults.set({ latencyMs: 150 });
    const t0 = Date.now();
    expect((await api.get("accounts?$top=1")).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("counts Web API requests by method; the counter can be reset", async () => {
    expect((await admin("stats", "DELETE")).status).toBe(204);
    await api.get("accounts");
    await api.get("territories");
    await api.post("territories", { name: "x" });
    const stats = (await (await admin("stats")).json()) as { requests: number; byMethod: Record<string, number> };
    expect(stats.requests).toBe(3);
    expect(stats.byMethod).toEqual({ GET: 2, POST: 1 });
    expect((await admin("stats/reset", "POST")).status).toBe(204);
    expect(server.service.stats().requests).toBe(0);
  });

  it("POST /_local/reset clears all data", async () => {
    await api.post("territories", { name: "to clear" });
    expect(server.service.store.count("territory")).toBeGreaterThan(0);
    expect((await admin("reset", "POST")).status).toBe(204);
    expect(server.service.store.count("territory")).toBe(0);
  });

  it("handle() resolves false for paths it does not own (incl. other /_local/* paths)", async () => {
    const { createServer } = await import("node:http");
    const host = createServer((req, res) => {
      void server.service.handle(req, res).then((handled) => {
        if (!handled) {
          res.writeHead(299, { "Content-Type": "text/plain" });
          res.end("host");
        }
      });
    });
    await new Promise<void>((r) => host.listen(0, "127.0.0.1", () => r()));
    const port = (host.address() as { port: number }).port;
    try {
      expect((await fetch(`http://127.0.0.1:${port}/index.html`)).status).toBe(299);
      expect((await fetch(`http://127.0.0.1:${port}/_local/host-thing`)).status).toBe(299);
      expect((await fetch(`http://127.0.0.1:${port}/_local/stats`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/api/data/v9.2/accounts`)).status).toBe(200);
    } finally {
      await new Promise<void>((r) => {
        host.close(() => r());
        host.closeAllConnections();
      });
    }
  });
});
