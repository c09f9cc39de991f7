/**
 * Publish benchmark: 100,000 accounts whose territory changes, published to the local Dataverse running in a CHILD
 * process (SQLite file, 50 ms latency on every request), three times from the same starting database:
 *   1. clean        — requests (counted by the server) and wall time;
 *   2. throttled    — every 5th request answered 429 with Retry-After: 1;
 *   3. crash        — the server process is killed (SIGKILL) mid-publish, restarted on the same file, and the
 *                     publish resumed.
 * After each run the server is stopped and the SQLite file is read directly: `wrong` = accounts whose territory
 * differs from the plan (not what the publisher reports).
 *
 *   npx tsx scripts/bench-publish.ts [--accounts 100000] [--latency 50] [--concurrency 4]
 *
 * Last line: JSON with accounts, requests, publishMs, wrongAfterCrash, wrongAfterThrottle (+ details).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { DataverseHttpClient } from "../dataverse/client/DataverseHttpClient";
import { WebApiDraftRepository } from "../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../dataverse/drafts/DraftBulkApi";
import { publishPlan, type PublishResult } from "../dataverse/publish/publishPlan";
import { baselineFromTerritoryIds, type Draft, type DraftTerritory } from "../TerritoryMapControl/domain/drafts/model";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
}
function sarg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ------------------------------------------------------------------ child: the server

async function serve(): Promise<void> {
  const { startDataverseServer } = await import("../local/dataverse");
  const { seedIfEmpty } = await import("../local/seed");
  const { loadSolutionTables } = await import("../solution/tables");
  const dbPath = sarg("db") as string;
  const server = await startDataverseServer({ port: arg("port", 0), dbPath, tables: loadSolutionTables() });
  const accounts = arg("accounts", 100_000);
  if (accounts > 0) seedIfEmpty(server.service.store, { accounts });
  process.stdout.write(`READY ${server.url}\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// ------------------------------------------------------------------ parent

interface Child {
  proc: ChildProcess;
  url: string;
  origin: string;
}

function startChild(dbPath: string, port: number, seedAccounts: number): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [...process.execArgv, __filename, "--serve", "--db", dbPath, "--port", String(port), "--accounts", String(seedAccounts)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1], origin: new URL(m[1]).origin });
    });
    proc.once("exit", (code) => reject(new Error(`server exited (${code}) before it was ready`)));
  });
}

function stopChild(c: Child, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) {
      resolve();
      return;
    }
    c.proc.removeAllListeners("exit");
    c.proc.once("exit", () => resolve());
    c.proc.kill(signal);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function admin(c: Child, path: string, method: string, body?: unknown): Promise<unknown> {
  const r = await fetch(`${c.origin}${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Accounts whose territory in the SQLite file differs from the plan. */
function countWrong(dbPath: string, expected: Map<string, string>): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    let wrong = 0;
    let seen = 0;
    for (const r of db.prepare('SELECT id, data FROM "t_account"').iterate() as IterableIterator<{ id: string; data: string }>) {
      const want = expected.get(r.id);
      if (want === undefined) continue;
      seen++;
      if ((JSON.parse(r.data) as { territoryid?: string }).territoryid !== want) wrong++;
    }
    return wrong + (expected.size - seen);
  } finally {
    db.close();
  }
}

function copyDb(from: string, to: string): void {
  for (const suffix of ["", "-wal", "-shm"]) if (existsSync(to + suffix)) rmSync(to + suffix);
  copyFileSync(from, to);
}

async function main(): Promise<void> {
  const ACCOUNTS = arg("accounts", 100_000);
  const LATENCY = arg("latency", 50);
  const CONCURRENCY = arg("concurrency", 4);
  const dir = mkdtempSync(join(tmpdir(), "tmap-bench-publish-"));
  const base = join(dir, "base.sqlite");
  const run = join(dir, "run.sqlite");
  const port = await freePort();
  try {
    // ---- setup: seed, save a draft that moves every account (with its baseline), snapshot the file
    let t0 = performance.now();
    let child = await startChild(base, port, ACCOUNTS);
    const setupClient = new DataverseHttpClient({ baseUrl: child.url });
    const accounts = await setupClient.retrieveAll<{ accountid: string; _territoryid_value: string | null }>(
      "accounts",
      { select: ["accountid", "_territoryid_value"] },
      { maxPageSize: 5000, includeAnnotations: "" },
    );
    const allTerritories = await setupClient.retrieveAll<{
      territoryid: string;
      name: string;
      _managerid_value: string | null;
      _parentterritoryid_value: string | null;
    }>("territories", { select: ["territoryid", "name", "_managerid_value", "_parentterritoryid_value"] }, { includeAnnotations: "" });
    // Rep territories: the leaves under a region or district.
    const parents = new Set(allTerritories.map((t) => t._parentterritoryid_value));
    const territories = allTerritories
      .filter((t) => t._parentterritoryid_value && !parents.has(t.territoryid))
      .sort((a, b) => a.territoryid.localeCompare(b.territoryid));
    const index = new Map(territories.map((t, i) => [t.territoryid, i]));
    const draftTerritories: DraftTerritory[] = territories.map((t, i) => ({
      key: `rep-${i}`,
      name: t.name,
      color: "#336699",
      geometry: null,
      postalCodes: [],
      repId: t._managerid_value,
      territoryId: t.territoryid,
      totals: {},
    }));
    const ids = accounts.map((a) => a.accountid);
    const assignment = Int32Array.from(accounts, (a) => {
      const cur = a._territoryid_value ? index.get(a._territoryid_value) : undefined;
      return cur === undefined ? 0 : (cur + 1) % territories.length;
    });
    const expected = new Map(ids.map((id, i) => [id, territories[assignment[i]].territoryid]));
    const changed = accounts.filter((a, i) => a._territoryid_value !== expected.get(ids[i])).length;
    const draft: Draft = {
      name: "Benchmark plan",
      version: 1,
      parentId: null,
      status: "draft",
      notes: "",
      balancingSettings: { assignment: { ownersFollowTerritories: true } },
      metrics: null,
      territories: draftTerritories,
      assignments: { accountIds: ids, territory: assignment, locked: new Uint8Array(ids.length) },
      baseline: baselineFromTerritoryIds(
        ids,
        accounts.map((a) => a._territoryid_value),
        new Date().toISOString(),
      ),
    };
    const { HostWebApi } = await import("../local/host/webApi");
    const repo = new WebApiDraftRepository(
      new HostWebApi({ client: setupClient, entitySetNames: { tmap_plan: "tmap_plans", tmap_assignmentchunk: "tmap_assignmentchunks" } }),
      new HttpDraftBulkApi(setupClient),
    );
    const planId = (await repo.saveAsDraft(draft)).id;
    const me = (await setupClient.whoAmI()).UserId;
    await stopChild(child);
    console.error(
      `setup: ${accounts.length} accounts (${changed} change territory), ${territories.length} territories, plan ${planId} — ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const publish = (
      c: Child,
      extra: Partial<Parameters<typeof publishPlan>[0]> = {},
      clientOptions: { maxRetries?: number } = {},
    ): Promise<PublishResult> =>
      publishPlan({
        client: new DataverseHttpClient({ baseUrl: c.url, maxRetries: clientOptions.maxRetries ?? 4, retryDelayMs: 200 }),
        planId,
        userId: me,
        concurrency: CONCURRENCY,
        ...extra,
      });

    // ---- 1. clean
    copyDb(base, run);
    child = await startChild(run, port, 0);
    await admin(child, "/_local/faults", "POST", { latencyMs: LATENCY });
    await admin(child, "/_local/stats/reset", "POST");
    t0 = performance.now();
    const clean = await publish(child);
    const publishMs = Math.round(performance.now() - t0);
    const cleanStats = (await admin(child, "/_local/stats", "GET")) as { requests: number; byMethod: Record<string, number> };
    await stopChild(child);
    const wrongAfterClean = countWrong(run, expected);
    console.error(
      `clean: ${clean.status}, ${clean.written.accounts} written, ${cleanStats.requests} requests, ${publishMs} ms, wrong ${wrongAfterClean}`,
    );

    // ---- 2. every 5th request throttled
    copyDb(base, run);
    child = await startChild(run, port, 0);
    await admin(child, "/_local/faults", "POST", { latencyMs: LATENCY, throttle: { everyNth: 5, retryAfterSeconds: 1 } });
    await admin(child, "/_local/stats/reset", "POST");
    t0 = performance.now();
    const throttled = await publish(child);
    const throttledMs = Math.round(performance.now() - t0);
    const throttleStats = (await admin(child, "/_local/stats", "GET")) as { requests: number; throttled: number };
    await stopChild(child);
    const wrongAfterThrottle = countWrong(run, expected);
    console.error(
      `throttled: ${throttled.status}, ${throttleStats.requests} requests (${throttleStats.throttled} answered 429), ${throttledMs} ms, wrong ${wrongAfterThrottle}`,
    );

    // ---- 3. server killed mid-publish, restarted, resumed
    copyDb(base, run);
    child = await startChild(run, port, 0);
    await admin(child, "/_local/faults", "POST", { latencyMs: LATENCY });
    const victim = child;
    let killed: Promise<void> | null = null;
    t0 = performance.now();
    const crashed = await publish(
      child,
      {
        maxAttempts: 2,
        retryDelayMs: 100,
        onProgress: (p) => {
          if (!killed && p.accountsWritten >= ACCOUNTS * 0.4) killed = stopChild(victim, "SIGKILL");
        },
      },
      { maxRetries: 0 },
    );
    await killed;
    const wrongAtCrash = countWrong(run, expected);
    child = await startChild(run, port, 0);
    await admin(child, "/_local/faults", "POST", { latencyMs: LATENCY });
    const resumed = await publish(child);
    const crashMs = Math.round(performance.now() - t0);
    await stopChild(child);
    const wrongAfterCrash = countWrong(run, expected);
    console.error(
      `crash: first run ${crashed.status} after ${crashed.written.accounts} accounts (${wrongAtCrash} wrong in the file), resume ${resumed.status} wrote ${resumed.written.accounts}, wrong ${wrongAfterCrash}, ${crashMs} ms total`,
    );

    console.log("");
    console.log("| run | status | requests | ms | accounts wrong afterwards |");
    console.log("|---|---|---|---|---|");
    console.log(`| clean | ${clean.status} | ${cleanStats.requests} | ${publishMs} | ${wrongAfterClean} |`);
    console.log(
      `| every 5th request 429 (Retry-After 1 s) | ${throttled.status} | ${throttleStats.requests} (${throttleStats.throttled} × 429) | ${throttledMs} | ${wrongAfterThrottle} |`,
    );
    console.log(
      `| server killed at ${crashed.written.accounts} accounts, restarted, resumed | ${crashed.status} → ${resumed.status} | | ${crashMs} | ${wrongAtCrash} → ${wrongAfterCrash} |`,
    );
    console.log(
      JSON.stringify({
        accounts: changed,
        requests: cleanStats.requests,
        publishMs,
        wrongAfterCrash,
        wrongAfterThrottle,
        wrongAfterClean,
        throttledRequests: throttleStats.requests,
        throttledMs,
        crashWrittenBeforeKill: crashed.written.accounts,
        wrongAtCrash,
        crashTotalMs: crashMs,
        latencyMs: LATENCY,
        concurrency: CONCURRENCY,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--serve")) {
  serve().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
