/**
 * `npm run bench:load`: how the BUILT control loads a large organisation in the dev host.
 *
 * Seeds 100,000 sample accounts (override: --accounts N) into a temp DB, starts the dev host on a random port,
 * opens headless Chromium (every non-localhost request blocked) and measures:
 *   requests       account page requests the Web API answered (GET accounts…, retries included)
 *   firstPointsMs  'tmap:first-points' − 'tmap:load-start' (first page drawn)
 *   allPointsMs    'tmap:all-points' − 'tmap:load-start' (every page drawn, map idle)
 *   heapMB         peak JSHeapUsedSize (CDP Performance.getMetrics sampled every 100 ms)
 *   plotted        data-plotted of the control vs validCoordinates counted over HTTP
 * Prints a table, then as its LAST line one JSON object: {accounts, plotted, requests, firstPointsMs, allPointsMs, heapMB, …}.
 * Exit code 1 when the load failed, a request left localhost, or plotted ≠ valid coordinates.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { controlIsBuilt, startDevHost } from "../local/host/devHost";
import { launchChromium, openGuardedPage } from "../tests/support/browser";
import { countValidCoordinates } from "../tests/support/coordinates";

function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<number> {
  const accounts = Number(argValue("--accounts") ?? process.env.TMAP_BENCH_ACCOUNTS ?? 100_000);
  const timeoutMs = Number(argValue("--timeout") ?? 600_000);
  if (!Number.isInteger(accounts) || accounts <= 0) throw new Error("--accounts must be a positive integer");
  if (!controlIsBuilt()) throw new Error("no built control: run `npm run build` (or build:dev) first");

  const dir = mkdtempSync(join(tmpdir(), "tmap-bench-"));
  const t0 = Date.now();
  const host = await startDevHost({ port: 0, dbPath: join(dir, "bench.sqlite"), seedAccounts: accounts });
  const startMs = Date.now() - t0;
  const browser = await launchChromium();
  try {
    const validCoordinates = await countValidCoordinates(host.apiUrl);
    host.resetRequestCounts();
    await fetch(`${host.url}_local/stats`, { method: "DELETE" });

    const g = await openGuardedPage(browser, { width: 1400, height: 900 });
    const cdp = await g.context.newCDPSession(g.page);
    await cdp.send("Performance.enable");
    let peakHeap = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          const { metrics } = await cdp.send("Performance.getMetrics");
          const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
          if (used > peakHeap) peakHeap = used;
        } catch {
          // page navigating or closing
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const navStart = Date.now();
    await g.page.goto(host.url);
    const status = '[data-testid="plot-status"]';
    await g.page.waitForSelector(`${status}[data-state="done"], ${status}[data-state="error"]`, { timeout: timeoutMs });
    const wallMs = Date.now() - navStart;
    // 'tmap:all-points' follows the map's idle after the last page: give it a moment.
    await g.page
      .waitForFunction(`performance.getEntriesByName("tmap:all-points", "mark").length > 0`, undefined, { timeout: 30_000 })
      .catch(() => undefined);
    await g.page.waitForTimeout(300);
    sampling = false;
    await sampler;

    // A string, not a function: tsx (esbuild keepNames) would inject a __name helper the page does not have.
    const result = (await g.page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="plot-status"]');
      const mark = (name) => { const m = performance.getEntriesByName(name, "mark"); return m.length ? m[m.length - 1].startTime : undefined; };
      return {
        state: el.dataset.state || "",
        plotted: Number(el.dataset.plotted),
        unplaced: Number(el.dataset.unplaced),
        total: Number(el.dataset.total),
        loadStart: mark("tmap:load-start"),
        firstPoints: mark("tmap:first-points"),
        allPoints: mark("tmap:all-points"),
      };
    })()`)) as {
      state: string;
      plotted: number;
      unplaced: number;
      total: number;
      loadStart?: number;
      firstPoints?: number;
      allPoints?: number;
    };
    const counts = host.requestCounts();
    const accountRequests = Object.entries(counts)
      .filter(([k]) => k === "GET accounts")
      .reduce((n, [, v]) => n + v, 0);
    const stats = (await (await fetch(`${host.url}_local/stats`)).json()) as { requests: number; throttled: number };
    const since = (t: number | undefined) => (t === undefined || result.loadStart === undefined ? null : round(t - result.loadStart));

    const summary = {
      accounts,
      plotted: result.plotted,
      validCoordinates,
      unplaced: result.unplaced,
      requests: accountRequests,
      totalApiRequests: stats.requests,
      firstPointsMs: since(result.firstPoints),
      allPointsMs: since(result.allPoints),
      heapMB: round(peakHeap / 1024 / 1024, 1),
      state: result.state,
      wallMs,
      hostStartMs: startMs,
      blockedRequests: g.blocked.length,
    };

    const rows: Array<[string, string]> = [
      ["accounts seeded", accounts.toLocaleString("en-US")],
      ["host start (seed + bundle)", `${startMs} ms`],
      ["load state", result.state],
      [
        "plotted / valid coordinates",
        `${result.plotted.toLocaleString("en-US")} / ${validCoordinates.toLocaleString("en-US")}${result.plotted === validCoordinates ? "" : "  MISMATCH"}`,
      ],
      ["unplaced", result.unplaced.toLocaleString("en-US")],
      ["account page requests", String(accountRequests)],
      ["all Web API requests", String(stats.requests)],
      ["first points (from load-start)", summary.firstPointsMs === null ? "n/a" : `${summary.firstPointsMs} ms`],
      ["all points (from load-start)", summary.allPointsMs === null ? "n/a" : `${summary.allPointsMs} ms`],
      ["navigation → done (wall)", `${wallMs} ms`],
      ["peak JS heap", `${summary.heapMB} MB`],
      ["requests blocked (non-localhost)", String(g.blocked.length)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    const cpu = cpus();
    console.log(
      `\nTerritory Map load benchmark (headless Chromium, SwiftShader WebGL, node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"})`,
    );
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
    if (g.blocked.length) console.log(`  blocked: ${g.blocked.slice(0, 5).join(", ")}`);
    const errors = Array.from(new Set(g.errors.map((e) => e.split("\n")[0])));
    if (errors.length) console.log(`  page errors: ${errors.slice(0, 3).join(" | ")}`);
    console.log(JSON.stringify(summary));
    await g.context.close();
    return result.state === "done" && result.plotted === validCoordinates && g.blocked.length === 0 ? 0 : 1;
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
