/**
 * End to end, the territory tree on the sample org (regions over districts over rep territories, accounts held by
 * a region only): the dev host serves the BUILT control against the local Dataverse; headless Chromium drives it.
 * - the card shows the tree: regions with rolled-up totals, collapsed and expanded from the keyboard;
 * - auto-balance with the dialog's defaults: one row per rep territory (no region is a target), and either the
 *   tolerance is met or the dialog names the territories outside the band and offers the tolerance the plan meets;
 * - auto-balance limited to one region: only that region's territories change;
 * - a rep leaves: every move goes to a rep territory, none into a region;
 * - Compare (saved draft → current plan): no region shown at −100 %.
 * Each step saves a screenshot (test-results/screenshots).
 */
import type { Browser, Page } from "playwright-core";
import type { DevHost } from "../../local/host/devHost";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { saveScreenshot } from "../support/screenshots";
import { startTestHost } from "../support/server";

jest.setTimeout(180_000);

const ACCOUNTS = 3_000;
const PLAN = '[data-testid="plan-status"]';
const STATUS = '[data-testid="design-status"]';

let host: DevHost;
let browser: Browser;
let g: GuardedPage;
let page: Page;

beforeAll(async () => {
  ensureControlBuilt();
  [host, browser] = await Promise.all([startTestHost({ accounts: ACCOUNTS }), launchChromium()]);
  g = await openGuardedPage(browser);
  page = g.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.waitForSelector('[data-testid="plot-status"][data-state="done"]', { timeout: 60_000 });
  await page.waitForSelector(`${PLAN}[data-ready="true"]`, { timeout: 30_000 });
  await page.waitForSelector(`${STATUS}[data-map-ready="true"]`, { timeout: 30_000 });
});

afterAll(async () => {
  await g?.context.close();
  await browser?.close();
  await host?.close();
});

interface Row {
  key: string;
  name: string;
  count: number;
  parent: boolean;
  depth: number;
}

async function rows(): Promise<Row[]> {
  return page.getByTestId("territory-row").evaluateAll((els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return {
        key: d.territoryKey ?? "",
        name: e.querySelector("span[title]")?.getAttribute("title") ?? "",
        count: Number(d.count),
        parent: d.parent === "true",
        depth: Number(d.depth),
      };
    }),
  );
}

async function mapInSync(): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      return !!el && el.dataset.busy === "false" && el.dataset.revision === el.dataset.mapRevision;
    },
    PLAN,
    { timeout: 30_000 },
  );
}

async function dismissInfo(): Promise<void> {
  const info = page.getByTestId("design-info");
  if (await info.count()) await info.getByRole("button", { name: "Dismiss", exact: true }).click();
}

describe("the territory tree on the sample org", () => {
  it("the card lists regions over their territories with rolled-up totals; the keyboard collapses and expands them", async () => {
    const all = await rows();
    const regions = all.filter((r) => r.parent && r.depth === 0);
    expect(regions.length).toBeGreaterThanOrEqual(8);
    expect(all.some((r) => r.depth === 2)).toBe(true); // region → district → rep territory
    // a region's figure is its territories' plus the accounts it holds itself
    const region = regions[0];
    const i = all.findIndex((r) => r.key === region.key);
    let sum = 0;
    for (let j = i + 1; j < all.length && all[j].depth > 0; j++) if (all[j].depth === 1) sum += all[j].count;
    expect(region.count).toBeGreaterThanOrEqual(sum);

    const row = page.locator(`[data-testid="territory-row"][data-territory-key="${region.key}"]`);
    await row.focus();
    expect(await row.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowLeft");
    expect(await row.getAttribute("aria-expanded")).toBe("false");
    expect((await rows()).length).toBeLessThan(all.length);
    await page.keyboard.press("ArrowRight");
    expect((await rows()).length).toBe(all.length);
    await page.keyboard.press("Enter");
    expect(await row.getAttribute("aria-selected")).toBe("true");
    await saveScreenshot(page, "card-tree");
  });

  it("auto-balance with the defaults: one row per rep territory, the tolerance met or the misses named with a feasible tolerance offered", async () => {
    const leaves = (await rows()).filter((r) => !r.parent);
    const regionNames = new Set((await rows()).filter((r) => r.parent).map((r) => r.name));
    await page.getByTestId("open-balance").click();
    const dialog = page.getByTestId("balance-dialog");
    await dialog.waitFor();
    await saveScreenshot(page, "auto-balance-defaults");
    await dialog.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByTestId("balance-preview").waitFor({ timeout: 120_000 });
    const names = await page.getByTestId("balance-row").evaluateAll((els) => els.map((e) => e.querySelector("td")?.textContent ?? ""));
    expect(names.length).toBe(leaves.length);
    expect(names.filter((n) => regionNames.has(n))).toEqual([]);
    const notMet = page.getByTestId("balance-preview-not-met");
    if (await notMet.count()) {
      const text = (await notMet.textContent()) ?? "";
      // territory names and whole numbers, and the tolerance this plan meets
      expect(text).toMatch(/could not be met for \d+ territories: .+: .+ [\d,]+, needs [\d,]+–[\d,]+/);
      await expect(page.getByTestId("balance-retry").count()).resolves.toBe(1);
    }
    await saveScreenshot(page, "auto-balance-tree");
    await dialog.getByRole("button", { name: "Apply", exact: true }).click();
    await mapInSync();
    await dismissInfo();
    // no account went into a region: a region holds only what it held before (its own accounts) or fewer
    const after = await rows();
    for (const r of after.filter((x) => !x.parent)) expect(r.count).toBeGreaterThan(0);
  });

  it("auto-balance limited to one region changes only that region's territories", async () => {
    const before = await rows();
    const region = before.find((r) => r.parent && r.depth === 0 && before.filter((x) => x.depth > 0).length > 0) as Row;
    // the region's subtree in the card order
    const start = before.findIndex((r) => r.key === region.key);
    let end = start + 1;
    while (end < before.length && before[end].depth > 0) end++;
    const inside = new Set(before.slice(start, end).map((r) => r.key));
    await page.getByTestId("open-balance").click();
    const dialog = page.getByTestId("balance-dialog");
    await dialog.waitFor();
    await page.getByTestId("balance-scope").click();
    await page.getByRole("option", { name: region.name, exact: true }).click();
    await dialog.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByTestId("balance-preview").waitFor({ timeout: 120_000 });
    const leavesInside = before.slice(start, end).filter((r) => !r.parent).length;
    expect(await page.getByTestId("balance-row").count()).toBe(leavesInside);
    await saveScreenshot(page, "auto-balance-region");
    await dialog.getByRole("button", { name: "Apply", exact: true }).click();
    await mapInSync();
    await dismissInfo();
    const after = new Map((await rows()).map((r) => [r.key, r.count]));
    for (const r of before) if (!inside.has(r.key)) expect(after.get(r.key)).toBe(r.count);
  });

  it("a rep leaves: every proposed move goes to a rep territory, none into a region", async () => {
    const before = await rows();
    const regionNames = new Set(before.filter((r) => r.parent).map((r) => r.name));
    await page.getByTestId("open-runtime").click();
    const dialog = page.getByTestId("runtime-dialog");
    await dialog.waitFor();
    // the region chosen for the last run is remembered and shown: back to every territory
    await expect(page.getByTestId("balance-scope").textContent()).resolves.not.toBe("All territories");
    await page.getByTestId("balance-scope").click();
    await page.getByRole("option", { name: "All territories", exact: true }).click();
    await page.getByTestId("runtime-leaving").click();
    const options = page.getByRole("option");
    expect(await options.count()).toBe(before.filter((r) => !r.parent).length);
    await options.first().click();
    await dialog.getByRole("button", { name: "Propose", exact: true }).click();
    await page.getByTestId("runtime-proposal").waitFor({ timeout: 120_000 });
    const moves = await page.getByTestId("runtime-move").evaluateAll((els) => els.map((e) => e.textContent ?? ""));
    expect(moves.length).toBeGreaterThan(0);
    for (const m of moves) for (const name of regionNames) expect(m.endsWith(`→ ${name}`)).toBe(false);
    await saveScreenshot(page, "rep-leaves-tree");
    await dialog.getByRole("button", { name: "Discard", exact: true }).click();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });

  it("Compare, saved draft → current plan: no region at −100 %", async () => {
    await page.getByTestId("actions-button").click();
    await page.getByRole("menuitem", { name: "Save as draft", exact: true }).click();
    await page.getByTestId("save-name-dialog").waitFor();
    await page.getByTestId("save-name-dialog-input").fill("E2E tree");
    await page.getByTestId("save-name-dialog-confirm").click();
    await page.getByTestId("save-success").waitFor({ timeout: 30_000 });
    await page.getByTestId("open-compare").click();
    await page.getByTestId("compare-dialog").waitFor();
    await page.getByTestId("compare-b").click();
    await page.getByRole("option", { name: "Current plan", exact: true }).click();
    await page.getByTestId("compare-a").click();
    await page
      .getByRole("option", { name: /E2E tree/ })
      .first()
      .click();
    await page.getByTestId("compare-run").click();
    await page.getByTestId("compare-summary").waitFor({ timeout: 30_000 });
    const regions = await page
      .locator('[data-testid="compare-row"][data-region="true"]')
      .evaluateAll((els) => els.map((e) => [Number((e as HTMLElement).dataset.deviationA), Number((e as HTMLElement).dataset.deviationB)]));
    expect(regions.length).toBeGreaterThan(0);
    for (const [a, b] of regions) {
      expect(a).toBeGreaterThan(-0.999);
      expect(b).toBeGreaterThan(-0.999);
    }
    await saveScreenshot(page, "compare-tree");
    expect(g.blocked).toEqual([]);
  });
});
