/**
 * End to end: the dev host serves the BUILT control against the local Dataverse (temp DB, 20,000 sample
 * accounts); headless Chromium loads it with every non-localhost request blocked.
 *
 * - load: the map finishes, and the number of accounts plotted equals the number with valid coordinates in the
 *   database (counted independently over HTTP); saves test-results/load.png.
 * - fault path: throttling beyond every retry shows the error with Retry; after clearing the fault, Retry loads the map.
 */
import type { Browser } from "playwright-core";
import type { DevHost } from "../../local/host/devHost";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { countInScope, countValidCoordinates } from "../support/coordinates";
import { saveScreenshot } from "../support/screenshots";
import { startTestHost } from "../support/server";

jest.setTimeout(180_000);

const STATUS = '[data-testid="plot-status"]';
const FINISHED = `${STATUS}[data-state="done"], ${STATUS}[data-state="error"]`;

let host: DevHost;
let browser: Browser;
let validCoordinates: number;
let inScope: number;

beforeAll(async () => {
  ensureControlBuilt();
  [host, browser] = await Promise.all([startTestHost({ accounts: 20_000 }), launchChromium()]);
  [validCoordinates, inScope] = await Promise.all([countValidCoordinates(host.apiUrl), countInScope(host.apiUrl)]);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

async function plotStatus(g: GuardedPage): Promise<Record<string, string | undefined>> {
  return g.page.$eval(STATUS, (el) => ({ ...(el as HTMLElement).dataset }));
}

function expectNoExternalRequests(g: GuardedPage): void {
  expect(g.blocked).toEqual([]);
}

describe("dev host: loading the sample organisation", () => {
  it("plots exactly the accounts with valid coordinates, makes no request outside localhost, and saves a screenshot", async () => {
    expect(validCoordinates).toBeGreaterThan(15_000);
    expect(validCoordinates).toBeLessThan(inScope);
    const g = await openGuardedPage(browser);
    try {
      await g.page.goto(host.url);
      await g.page.waitForSelector(FINISHED, { timeout: 150_000 });
      const status = await plotStatus(g);
      expect(status.state).toBe("done");
      expect(Number(status.plotted)).toBe(validCoordinates);
      expect(Number(status.total)).toBe(inScope);
      expect(Number(status.unplaced)).toBe(inScope - validCoordinates);

      await g.page.waitForTimeout(500); // let the last frame paint
      await saveScreenshot(g.page, "load");
      // The territory card with a territory selected (the README's walkthrough shows it).
      await g.page.waitForSelector('[data-testid="plan-status"][data-ready="true"]');
      await g.page.getByTestId("territory-row").first().click();
      await saveScreenshot(g.page, "card");
      expectNoExternalRequests(g);

      // 'tmap:all-points' follows the map's idle after the last page.
      await g.page
        .waitForFunction('performance.getEntriesByName("tmap:all-points", "mark").length > 0', undefined, { timeout: 30_000 })
        .catch(() => undefined);
      const marks = await g.page.evaluate('performance.getEntriesByType("mark").map((m) => m.name)');
      expect(marks).toEqual(expect.arrayContaining(["tmap:load-start", "tmap:first-points", "tmap:all-points"]));
      // Page errors (e.g. the map's worker failing) mean the points may be counted but not drawn. HTTP error
      // statuses are logged by Chromium as "Failed to load resource" and are not script errors.
      const scriptErrors = g.errors.filter((e) => !e.startsWith("console: Failed to load resource"));
      expect(Array.from(new Set(scriptErrors.map((e) => e.split("\n")[0])))).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("resizing the host frame calls updateView with the new allocated size", async () => {
    const g = await openGuardedPage(browser);
    try {
      await g.page.goto(`${host.url}?width=900&height=600`);
      await g.page.waitForSelector(FINISHED, { timeout: 150_000 });
      const before = await g.page.$eval(".tmap-root", (el) => el.getBoundingClientRect().width);
      expect(await g.page.$eval(".tmap-root", (el) => (el as HTMLElement).dataset.layout)).toBe("side");
      await g.page.fill('[data-testid="host-width"]', "700");
      await g.page.press('[data-testid="host-width"]', "Enter");
      await g.page.waitForFunction(() => (document.getElementById("frame")?.getBoundingClientRect().width ?? 0) < 720);
      // The control takes the new width (updateView with the allocated size) and, this narrow, puts the card under the map.
      await g.page.waitForFunction((w) => (document.querySelector(".tmap-root")?.getBoundingClientRect().width ?? w) < w, before);
      await g.page.waitForFunction(() => (document.querySelector(".tmap-root") as HTMLElement | null)?.dataset.layout === "stacked");
      expectNoExternalRequests(g);
    } finally {
      await g.context.close();
    }
  });
});

describe("dev host: service protection beyond retries", () => {
  afterEach(async () => {
    await fetch(`${host.url}_local/faults`, { method: "DELETE" });
  });

  it("shows the throttling error with Retry; after the fault clears, Retry loads the map", async () => {
    // Every Web API request answers 429 (Retry-After: 0) until the fault is cleared.
    const set = await fetch(`${host.url}_local/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ throttle: { everyNth: 1, retryAfterSeconds: 0 } }),
    });
    expect(set.status).toBe(200);
    const g = await openGuardedPage(browser);
    try {
      await g.page.goto(host.url);
      const error = await g.page.waitForSelector('[data-testid="load-error"]', { timeout: 120_000 });
      expect(await error.getAttribute("data-error-kind")).toBe("throttled");
      expect(await error.textContent()).toMatch(/limiting requests|service protection/i);
      const retry = await g.page.waitForSelector('[data-testid="retry"]');
      expect((await retry.textContent())?.trim()).toBe("Retry");
      expect((await plotStatus(g)).state).toBe("error");

      await fetch(`${host.url}_local/faults`, { method: "DELETE" });
      await retry.click();
      await g.page.waitForSelector(`${STATUS}[data-state="done"]`, { timeout: 150_000 });
      expect(await g.page.$('[data-testid="load-error"]')).toBeNull();
      expect(Number((await plotStatus(g)).plotted)).toBe(validCoordinates);
      await saveScreenshot(g.page, "load-after-retry", { docs: false });
      expectNoExternalRequests(g);
    } finally {
      await g.context.close();
    }
  });
});
