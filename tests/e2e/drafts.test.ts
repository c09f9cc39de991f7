/**
 * End to end, drafts: the dev host serves the BUILT control against the local Dataverse (temp DB,
 * 2,000 sample accounts); headless Chromium drives the Territory Management card like a user.
 *
 * - Actions menu: the accessible names of its items are exactly Save as draft, Save as new draft, Publish, Rename, Assign rep, Delete, Export.
 * - Save as draft → reload the page → By Territory → replot → move accounts (keyboard-reachable list) → save as
 *   new draft (lineage kept) → compare with the original (moved accounts counted, listed, highlighted).
 * - Conflict: another manager saves the draft between load and save → conflict dialog with Reload / Save as new
 *   draft; saving as new keeps every move made in the browser.
 * - Interrupted save: the stand-in drops a chunk write (503) → the draft is stored Incomplete (offered to resume
 *   in By Territory, never listed as complete) → Retry completes it.
 * Every check of stored drafts goes through an independent WebApiDraftRepository over HTTP.
 */
import type { Browser, Page } from "playwright-core";
import type { DevHost } from "../../local/host/devHost";
import { HostWebApi } from "../../local/host/webApi";
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import { WebApiDraftRepository } from "../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../dataverse/drafts/DraftBulkApi";
import { compareDrafts } from "../../TerritoryMapControl/domain/drafts/compare";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { saveScreenshot } from "../support/screenshots";
import { startTestHost } from "../support/server";

jest.setTimeout(120_000);

const ACCOUNTS = 2_000;
const PLAN = '[data-testid="plan-status"]';

let host: DevHost;
let browser: Browser;
let repo: WebApiDraftRepository;

beforeAll(async () => {
  ensureControlBuilt();
  [host, browser] = await Promise.all([startTestHost({ accounts: ACCOUNTS }), launchChromium()]);
  const webApi = new HostWebApi({
    client: new DataverseHttpClient({ baseUrl: host.apiUrl, maxRetries: 0 }),
    entitySetNames: { tmap_plan: "tmap_plans", tmap_assignmentchunk: "tmap_assignmentchunks" },
  });
  repo = new WebApiDraftRepository(webApi, new HttpDraftBulkApi(new DataverseHttpClient({ baseUrl: host.apiUrl, maxRetries: 0 })));
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

afterEach(async () => {
  await fetch(`${host.url}_local/faults`, { method: "DELETE" });
});

async function planStatus(page: Page): Promise<Record<string, string | undefined>> {
  return page.$eval(PLAN, (el) => ({ ...(el as HTMLElement).dataset }));
}

/** Loads the host page and waits until the accounts are drawn and the working plan exists. */
async function openApp(g: GuardedPage): Promise<void> {
  await g.page.goto(host.url);
  await g.page.waitForSelector('[data-testid="plot-status"][data-state="done"]', { timeout: 60_000 });
  await g.page.waitForSelector(`${PLAN}[data-ready="true"]`, { timeout: 30_000 });
}

/** Waits until the map shows the plan's current revision. */
async function mapInSync(page: Page): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      return !!el && el.dataset.busy === "false" && el.dataset.revision === el.dataset.mapRevision;
    },
    PLAN,
    { timeout: 30_000 },
  );
}

async function chooseAction(page: Page, name: string): Promise<void> {
  await page.getByTestId("actions-button").click();
  await page.getByRole("menuitem", { name, exact: true }).click();
}

async function saveWithName(page: Page, dialogTestId: string, name: string): Promise<string> {
  const dialog = page.getByTestId(dialogTestId);
  await dialog.waitFor();
  await page.getByTestId(`${dialogTestId}-input`).fill(name);
  await page.getByTestId(`${dialogTestId}-confirm`).click();
  const done = page.getByTestId("save-success");
  await done.waitFor({ timeout: 30_000 });
  return (await done.getAttribute("data-draftid")) ?? "";
}

/** Opens "Move accounts" from the keyboard, ticks `count` accounts of the first territory and moves them to the second. */
async function moveAccounts(page: Page, count: number): Promise<{ from: string; to: string; ids: string[] }> {
  // Select the territory with the most accounts in the card (Enter on its row), then open the dialog.
  const rows = page.getByTestId("territory-row");
  // rep territories only: a region's figure is its whole subtree
  const counts = await rows.evaluateAll((els) =>
    els.map((e) => ((e as HTMLElement).dataset.parent === "true" ? -1 : Number((e as HTMLElement).dataset.count))),
  );
  const biggest = counts.indexOf(Math.max(...counts));
  await rows.nth(biggest).focus();
  await page.keyboard.press("Enter");
  expect(await rows.nth(biggest).getAttribute("aria-selected")).toBe("true");
  await page.getByTestId("open-move").focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("move-dialog");
  await dialog.waitFor();
  const from = (await page.getByTestId("move-from").textContent())?.trim() ?? "";
  const boxes = dialog.locator('[data-testid="move-list"] input[type="checkbox"]');
  expect(await boxes.count()).toBeGreaterThanOrEqual(count);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const box = boxes.nth(i);
    await box.focus();
    await page.keyboard.press("Space");
    ids.push((await box.getAttribute("data-account-id")) ?? "");
  }
  await expect(page.getByTestId("move-count").textContent()).resolves.toMatch(new RegExp(`^${count} selected`));
  await page.getByTestId("move-to").click();
  const options = page.getByRole("option");
  const to = ((await options.first().textContent()) ?? "").trim();
  await options.first().click();
  await page.getByTestId("move-confirm").click();
  const info = page.getByTestId("move-info");
  await info.waitFor();
  expect(await info.getAttribute("data-moved")).toBe(String(count));
  return { from, to, ids };
}

describe("Territory Management card", () => {
  it("Actions menu items have exactly their documented accessible names", async () => {
    const g = await openGuardedPage(browser);
    try {
      await openApp(g);
      await g.page.getByTestId("actions-button").click();
      const menu = g.page.getByRole("menu");
      await menu.waitFor();
      const names = await menu.getByRole("menuitem").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
      expect(names).toEqual(["Save as draft", "Save as new draft", "Publish", "Rename", "Assign rep", "Delete", "Export"]);
      // The computed accessible names, not only the attributes: each is found by exact name exactly once.
      for (const name of names) await expect(menu.getByRole("menuitem", { name: name as string, exact: true }).count()).resolves.toBe(1);
      const snapshot = await menu.ariaSnapshot();
      for (const name of names) expect(snapshot).toContain(`menuitem "${name}"`);
      // Publish is disabled with a visible reason while the plan has no saved draft.
      const publish = menu.getByRole("menuitem", { name: "Publish", exact: true });
      expect(await publish.getAttribute("aria-disabled")).toBe("true");
      expect(await publish.textContent()).toContain("Save the plan as a draft first");
      // Export has CSV and GeoJSON.
      await menu.getByRole("menuitem", { name: "Export", exact: true }).click();
      await g.page.getByRole("menuitem", { name: "CSV", exact: true }).waitFor();
      await expect(g.page.getByRole("menuitem", { name: "GeoJSON", exact: true }).count()).resolves.toBe(1);
      await g.page.keyboard.press("Escape");
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("save as draft → reload → By Territory → replot → move accounts → save as new draft → compare with the original", async () => {
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      await chooseAction(page, "Save as draft");
      const originalId = await saveWithName(page, "save-name-dialog", "E2E original");
      expect(originalId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await planStatus(page)).sourceId).toBe(originalId);

      await page.reload();
      await page.waitForSelector('[data-testid="plot-status"][data-state="done"]', { timeout: 60_000 });
      await page.waitForSelector(`${PLAN}[data-ready="true"]`);
      expect((await planStatus(page)).sourceId).toBe(""); // a fresh page starts from the live territories

      await page.getByTestId("open-by-territory").click();
      const item = page.locator(`[data-testid="draft-item"][data-draft-id="${originalId}"]`);
      await item.waitFor({ timeout: 30_000 });
      await saveScreenshot(page, "drafts-by-territory");
      await item.getByRole("button", { name: "Replot E2E original", exact: true }).click();
      const replotted = page.getByTestId("replot-info");
      await replotted.waitFor({ timeout: 30_000 });
      expect(await replotted.getAttribute("data-missing")).toBe("0");
      expect(await replotted.getAttribute("data-added")).toBe("0");
      await mapInSync(page);
      let status = await planStatus(page);
      expect(status.sourceId).toBe(originalId);
      expect(status.dirty).toBe("false");
      expect(await page.getByTestId("unsaved-badge").count()).toBe(0);

      const moved = await moveAccounts(page, 5);
      await page.getByTestId("unsaved-badge").waitFor();
      expect((await planStatus(page)).dirty).toBe("true");
      await mapInSync(page);

      await chooseAction(page, "Save as new draft");
      const reworkId = await saveWithName(page, "save-new-dialog", "E2E rework");
      expect(reworkId).not.toBe(originalId);
      status = await planStatus(page);
      expect(status.sourceId).toBe(reworkId);
      expect(status.parentId).toBe(originalId);
      expect(status.dirty).toBe("false");

      // Stored: lineage kept, the original untouched, exactly the five moves between them.
      const [original, rework] = await Promise.all([repo.loadDraft(originalId), repo.loadDraft(reworkId)]);
      expect(rework.draft.parentId).toBe(originalId);
      expect(rework.draft.version).toBe(1); // a new draft, "from" the original
      const stored = compareDrafts(original.draft, rework.draft);
      expect(stored.moved.count).toBe(5);
      expect(stored.moved.accounts.map((m) => m.accountId).sort()).toEqual([...moved.ids].sort());

      // Compare in the UI: the original (parent) against the rework, preselected.
      await page.getByTestId("open-compare").click();
      await page.getByTestId("compare-dialog").waitFor();
      await page.getByTestId("compare-run").click();
      const summary = page.getByTestId("compare-summary");
      await summary.waitFor({ timeout: 30_000 });
      expect(await summary.getAttribute("data-moved")).toBe("5");
      expect(await page.locator('[data-testid="compare-moved"] li').count()).toBe(5);
      const placed = Number(await summary.getAttribute("data-highlighted"));
      expect(placed).toBeGreaterThan(0); // moved accounts with coordinates are outlined on the map
      expect(placed).toBeLessThanOrEqual(5);
      expect(await summary.textContent()).toMatch(/^5 accounts change territory/);
      await saveScreenshot(page, "compare");
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("By Territory: chosen territories of two drafts replotted together (editable, unsaved); replotting over unsaved changes asks first", async () => {
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      // Keyboard: arrow keys move between the rows of the territory list.
      const rows = page.getByTestId("territory-row");
      await rows.first().focus();
      await page.keyboard.press("ArrowDown");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("territory-row");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-territory-key"))).toBe(
        await rows.nth(1).getAttribute("data-territory-key"),
      );

      await chooseAction(page, "Save as draft");
      const aId = await saveWithName(page, "save-name-dialog", "E2E combine A");
      await moveAccounts(page, 2);
      await chooseAction(page, "Save as new draft");
      const bId = await saveWithName(page, "save-new-dialog", "E2E combine B");
      const [a, b] = await Promise.all([repo.loadDraft(aId), repo.loadDraft(bId)]);
      // The two largest rep territories (a region's totals are its subtree's): the first from A, the second from B.
      const parents = new Set(b.draft.territories.map((t) => t.parentKey).filter((k): k is string => !!k));
      const bySize = [...a.draft.territories.keys()]
        .filter((i) => !parents.has(b.draft.territories[i].key))
        .sort((x, y) => (b.draft.territories[y].totals.accounts ?? 0) - (b.draft.territories[x].totals.accounts ?? 0));
      const [ka, kb] = [a.draft.territories[bySize[0]].key, b.draft.territories[bySize[1]].key];

      await page.getByTestId("open-by-territory").click();
      const dialog = page.getByTestId("by-territory-dialog");
      await dialog.locator(`[data-draft-id="${aId}"] input[data-territory-key="${ka}"]`).check();
      await dialog.locator(`[data-draft-id="${bId}"] input[data-territory-key="${kb}"]`).check();
      await page.getByTestId("replot-chosen").click();
      // The plan is unchanged since its last save, so nothing to confirm; the combined plan is new and unsaved.
      const info = page.getByTestId("replot-info");
      await info.waitFor({ timeout: 30_000 });
      await mapInSync(page);
      expect(await rows.count()).toBe(2);
      const status = await planStatus(page);
      expect(status.sourceId).toBe("");
      expect([aId, bId]).toContain(status.parentId); // lineage: the first source of the combination
      expect(status.dirty).toBe("true");
      await page.getByTestId("unsaved-badge").waitFor();
      const counts = (await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.count)))).sort((x, y) => x - y);
      const expected = [a.draft.territories[bySize[0]].totals.accounts, b.draft.territories[bySize[1]].totals.accounts].sort(
        (x, y) => x - y,
      );
      expect(counts.reduce((s, n) => s + n, 0)).toBe(expected[0] + expected[1] - Number(await info.getAttribute("data-overlaps")));

      // Replotting another draft now asks first; Cancel keeps the combined plan.
      await page.getByTestId("open-by-territory").click();
      await dialog.locator(`[data-draft-id="${aId}"]`).getByTestId("draft-replot").click();
      const discard = page.getByTestId("discard-dialog");
      await discard.waitFor();
      await discard.getByRole("button", { name: "Cancel", exact: true }).click();
      expect(await rows.count()).toBe(2);
      await page.getByTestId("open-by-territory").click();
      await dialog.locator(`[data-draft-id="${aId}"]`).getByTestId("draft-replot").click();
      await page.getByTestId("discard-confirm").click();
      await page.waitForFunction(
        (id) => (document.querySelector('[data-testid="plan-status"]') as HTMLElement | null)?.dataset.sourceId === id,
        aId,
        { timeout: 30_000 },
      );
      expect(await rows.count()).toBe(a.draft.territories.length);
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("conflict: another manager saved the draft since it was loaded → Reload / Save as new draft, nothing typed is lost", async () => {
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      await chooseAction(page, "Save as draft");
      const id = await saveWithName(page, "save-name-dialog", "E2E conflict");

      // Another manager (another session) overwrites the same draft.
      const theirs = await repo.loadDraft(id);
      await repo.saveAsDraft({ ...theirs.draft, notes: "changed by another manager" });

      const moved = await moveAccounts(page, 3);
      await chooseAction(page, "Save as draft");
      await page.getByTestId("overwrite-dialog").waitFor();
      await page.getByTestId("overwrite-confirm").click();
      const conflict = page.getByTestId("conflict-dialog");
      await conflict.waitFor({ timeout: 30_000 });
      await expect(conflict.getByRole("button", { name: "Reload", exact: true }).count()).resolves.toBe(1);
      await expect(conflict.getByRole("button", { name: "Save as new draft", exact: true }).count()).resolves.toBe(1);
      // Nothing was overwritten.
      const after = await repo.loadDraft(id);
      expect(after.draft.notes).toBe("changed by another manager");
      expect(compareDrafts(theirs.draft, after.draft).moved.count).toBe(0);

      await conflict.getByRole("button", { name: "Save as new draft", exact: true }).click();
      const newId = await saveWithName(page, "save-new-dialog", "E2E conflict (mine)");
      const mine = await repo.loadDraft(newId);
      expect(mine.draft.parentId).toBe(id);
      const diff = compareDrafts(after.draft, mine.draft);
      expect(diff.moved.count).toBe(3);
      expect(diff.moved.accounts.map((m) => m.accountId).sort()).toEqual([...moved.ids].sort());
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("interrupted save: the draft is stored Incomplete (offered to resume), Retry completes it", async () => {
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      const fault = await fetch(`${host.url}_local/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ failNext: { count: 1, status: 503, match: "$batch" } }), // the change set of chunks and rows
      });
      expect(fault.status).toBe(200);
      await chooseAction(page, "Save as draft");
      await page.getByTestId("save-name-dialog-input").fill("E2E interrupted");
      await page.getByTestId("save-name-dialog-confirm").click();
      const failed = page.getByTestId("save-failed");
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.getAttribute("data-stage")).toBe("write-chunks");
      // Reachable by role and name once the name dialog has closed (a modal dialog hides the rest of the page).
      await failed.getByRole("button", { name: "Retry", exact: true }).waitFor();

      // Stored, but never as complete.
      const listed = (await repo.listDrafts()).filter((d) => d.name === "E2E interrupted");
      expect(listed).toHaveLength(1);
      expect(listed[0].saveState).toBe("incomplete");
      await expect(repo.loadDraft(listed[0].id)).rejects.toMatchObject({ kind: "incomplete" });

      // By Territory offers to resume it instead of replotting it.
      await page.getByTestId("open-by-territory").click();
      const item = page.locator(`[data-testid="draft-item"][data-draft-id="${listed[0].id}"]`);
      await item.waitFor({ timeout: 30_000 });
      await item.getByTestId("draft-incomplete").waitFor();
      await expect(item.getByRole("button", { name: "Resume the incomplete save of E2E interrupted", exact: true }).count()).resolves.toBe(
        1,
      );
      await expect(item.getByTestId("draft-replot").count()).resolves.toBe(0);
      await page.getByTestId("by-territory-dialog").getByRole("button", { name: "Close", exact: true }).click();

      await failed.getByRole("button", { name: "Retry", exact: true }).click();
      const done = page.getByTestId("save-success");
      await done.waitFor({ timeout: 30_000 });
      expect(await done.getAttribute("data-draftid")).toBe(listed[0].id);
      const loaded = await repo.loadDraft(listed[0].id);
      expect(loaded.info.saveState).toBe("complete");
      expect(loaded.draft.assignments.accountIds.length).toBeGreaterThan(ACCOUNTS * 0.9);
      expect(await page.getByTestId("save-failed").count()).toBe(0);
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });
});
