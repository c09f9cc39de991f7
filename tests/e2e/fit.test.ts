/**
 * End to end, the control fits its form: the dev host serves the BUILT control against the local Dataverse (temp DB,
 * 3,000 sample accounts); headless Chromium at the host's default size, at 1024 × 700, 1366 × 768 and 1920 × 1080
 * (the host's Fit sizes the control's box to the page) and through the host's width / height inputs at 360 × 640:
 * - no visible button, input, radio or combobox of the control lies outside the control's box, nor outside a box
 *   that clips it (a scrolling panel may hold it below its fold, never beside it);
 * - the tools the design toolbar has no room for are in its "More" menu and work from there;
 * - dismissing a notice leaves the control where it is (no ancestor scrolled sideways);
 * - with the Auto-balance dialog open, nothing (the map's zoom buttons included) covers it.
 * Each size saves a screenshot (test-results/screenshots/fit-<w>x<h>.png).
 */
import type { Browser, Page } from "playwright-core";
import type { DevHost } from "../../local/host/devHost";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { chooseTool, toggleView } from "../support/designTools";
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

interface Misfit {
  what: string;
  box: [number, number, number, number];
  outside: string;
}

/**
 * Every visible button / input / radio / combobox inside the control, checked against the control's box and against
 * each ancestor (up to the control) that clips: horizontally always, vertically unless the ancestor scrolls
 * vertically (then the element is reachable by scrolling that panel). Also reports an ancestor scrolled sideways.
 */
async function misfits(): Promise<{ misfits: Misfit[]; checked: number; scrolled: string[] }> {
  return page.evaluate(() => {
    const container = document.querySelector('[data-testid="control-root"]') as HTMLElement;
    const c = container.getBoundingClientRect();
    const out: Misfit[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}[${el.getAttribute("role") ?? ""}] "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`;
    const els = [...container.querySelectorAll('button, input, [role="radio"], [role="combobox"]')];
    let checked = 0;
    for (const el of els) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width < 2 || r.height < 2 || style.visibility === "hidden" || (el as HTMLInputElement).type === "hidden") continue;
      checked++;
      const box: [number, number, number, number] = [Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)];
      let scrollsY = false;
      let outermost: Element | null = null;
      for (let a = el.parentElement; a && a !== container; a = a.parentElement) {
        const s = getComputedStyle(a);
        const ar = a.getBoundingClientRect();
        const name = `${a.tagName.toLowerCase()}.${a.className}`.slice(0, 80);
        if (s.overflowX !== "visible" && (r.left < ar.left - 1 || r.right > ar.right + 1))
          out.push({ what: describe(el), box, outside: name });
        const ys = s.overflowY === "auto" || s.overflowY === "scroll";
        if (ys) {
          scrollsY = true;
          outermost = a;
        }
        if (s.overflowY !== "visible" && !ys && !scrollsY && (r.top < ar.top - 1 || r.bottom > ar.bottom + 1))
          out.push({ what: describe(el), box, outside: name });
      }
      // The outermost panel that scrolls must itself be whole inside the control, or what it scrolls to stays out of
      // reach (panels inside it are reached by scrolling it).
      if (outermost) {
        const ar = outermost.getBoundingClientRect();
        if (ar.top < c.top - 1 || ar.bottom > c.bottom + 1 || ar.left < c.left - 1 || ar.right > c.right + 1)
          out.push({
            what: `scrolling ${outermost.tagName.toLowerCase()}.${outermost.className}`.slice(0, 90),
            box: [ar.left, ar.top, ar.right, ar.bottom].map(Math.round) as Misfit["box"],
            outside: "the control's box",
          });
      }
      if (r.left < c.left - 1 || r.right > c.right + 1 || (!scrollsY && (r.top < c.top - 1 || r.bottom > c.bottom + 1)))
        out.push({ what: describe(el), box, outside: "the control's box" });
    }
    const scrolled: string[] = [];
    for (let a: HTMLElement | null = container; a; a = a.parentElement)
      if (a.scrollLeft !== 0) scrolled.push(`${a.tagName.toLowerCase()}#${a.id} scrollLeft=${a.scrollLeft}`);
    for (const a of container.querySelectorAll("*"))
      if ((a as HTMLElement).scrollLeft !== 0) scrolled.push(`${a.tagName.toLowerCase()} scrollLeft=${(a as HTMLElement).scrollLeft}`);
    const unique = [...new Map(out.map((m) => [JSON.stringify(m), m])).values()];
    return { misfits: unique, checked, scrolled };
  });
}

/** The control's box and the root's: the root must start where the box does (not shifted sideways). */
async function shift(): Promise<number> {
  return page.evaluate(() => {
    const c = (document.querySelector('[data-testid="control-root"]') as HTMLElement).getBoundingClientRect();
    const root = (document.querySelector(".tmap-root") as HTMLElement).getBoundingClientRect();
    return Math.round(root.left - c.left);
  });
}

async function expectFits(label: string): Promise<void> {
  const r = await misfits();
  expect({ label, misfits: r.misfits, scrolled: r.scrolled }).toEqual({ label, misfits: [], scrolled: [] });
  expect(r.checked).toBeGreaterThan(15);
  expect(await shift()).toBe(0);
}

/** Points over the open dialog's surface: each must hit the dialog itself (nothing drawn over it). */
async function dialogCovered(testId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const surface = document.querySelector(`[data-testid="${id}"]`) as HTMLElement;
    const r = surface.getBoundingClientRect();
    const hits: string[] = [];
    for (let i = 1; i < 8; i++)
      for (let j = 1; j < 8; j++) {
        const x = r.left + (r.width * i) / 8;
        const y = r.top + (r.height * j) / 8;
        const el = document.elementFromPoint(x, y);
        if (!el || !surface.contains(el))
          hits.push(
            `(${Math.round(x)}, ${Math.round(y)}) → ${el ? `${el.tagName.toLowerCase()}.${String(el.className)}`.slice(0, 80) : "nothing"}`,
          );
      }
    return hits;
  }, testId);
}

async function fitHostTo(width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.locator("#fit-button").click();
  await settle();
}

/** Waits until the control has re-rendered at its new size and the overflow menu has been measured. */
async function settle(): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
  await page.waitForTimeout(400);
}

async function checkAuto(label: string): Promise<void> {
  await page.getByTestId("open-balance").click();
  const dialog = page.getByTestId("balance-dialog");
  await dialog.waitFor();
  await page.waitForTimeout(300); // the surface's open animation
  expect({ label, covered: await dialogCovered("balance-dialog") }).toEqual({ label, covered: [] });
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

describe("the control fits its form", () => {
  it("at the dev host's default size", async () => {
    await settle();
    await expectFits("default");
    await saveScreenshot(page, "fit-default", { docs: false });
  });

  for (const [width, height] of [
    [1024, 700],
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`at ${width} × ${height}`, async () => {
      await fitHostTo(width, height);
      await expectFits(`${width}x${height}`);
      await saveScreenshot(page, `fit-${width}x${height}`, { docs: false });
      await checkAuto(`${width}x${height}`);
    });
  }

  it("tools that do not fit are in the More menu and work from there", async () => {
    await fitHostTo(1366, 768);
    const more = page.getByTestId("design-toolbar-more");
    expect(await more.isVisible()).toBe(true);
    expect(await more.getAttribute("aria-label")).toBe("More map tools");
    // Keyboard: the menu opens from the toolbar button with Enter and lists the hidden tools.
    await more.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByTestId("design-toolbar-more-menu");
    await menu.waitFor();
    const hidden = await menu.getByRole("menuitemradio").allTextContents();
    expect(hidden).toContain("Delete shape");
    await page.keyboard.press("Escape");
    await chooseTool(page, "Delete shape");
    await page.waitForSelector(`${STATUS}[data-tool="erase"]`);
    await chooseTool(page, "Pan");
    await page.waitForSelector(`${STATUS}[data-tool="idle"]`);
    await toggleView(page, "Heat map");
    await page.getByRole("combobox", { name: "Heat map weight" }).waitFor();
    await expectFits("heat map on");
    await toggleView(page, "Heat map");
    await page.getByRole("combobox", { name: "Heat map weight" }).waitFor({ state: "detached" });
  });

  it("at 360 × 640 set in the host's width and height inputs (the card goes under the map)", async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByTestId("host-width").fill("360");
    await page.getByTestId("host-width").press("Enter");
    await page.getByTestId("host-height").fill("640");
    await page.getByTestId("host-height").press("Enter");
    await page.waitForFunction(() => (document.querySelector('[data-testid="host-frame"]') as HTMLElement).offsetWidth <= 362);
    await settle();
    expect(await page.locator(".tmap-root").getAttribute("data-layout")).toBe("stacked");
    await expectFits("360x640");
    await saveScreenshot(page, "fit-360x640", { docs: false });
    await checkAuto("360x640");
    expect(g.blocked).toEqual([]);
  });

  it("dismissing a notice leaves the control in place", async () => {
    // Locking a territory's accounts gives a notice with a Dismiss button in the card (here under the map, at 360 px).
    const first = page.locator('[data-testid="territory-row"][data-parent="false"]').first();
    await first.click();
    await page.getByTestId("select-territory-accounts").click();
    await page.waitForSelector(`${STATUS}:not([data-selection="0"])`);
    await page.getByRole("button", { name: "Lock", exact: true }).click();
    const info = page.getByTestId("design-info");
    await info.waitFor();
    await expectFits("with a notice");
    await info.getByRole("button", { name: "Dismiss", exact: true }).click();
    await info.waitFor({ state: "detached" });
    await expectFits("after Dismiss");
    await page.getByRole("button", { name: "Unlock", exact: true }).click();
    await info.getByRole("button", { name: "Dismiss", exact: true }).click();
    await page.getByRole("button", { name: "Clear selection", exact: true }).click();
  });
});
