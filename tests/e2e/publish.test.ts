/**
 * End to end, publishing: the dev host serves the BUILT control against the local Dataverse (temp DB,
 * 2,000 sample accounts); headless Chromium publishes from the Actions menu like a user, and every check reads the
 * stand-in's store afterwards — not what the dialog claims.
 *
 * - Move accounts → Save as draft → two accounts are changed in Dynamics by someone else (Web API) → Actions →
 *   Publish: the preview counts, the two conflicts (one kept, one overwritten) → Publish → result. Every account's
 *   territoryid is then the plan's (the kept one what Dynamics had), only those accounts were written, nothing else
 *   changed (other columns, territories), the plan is Published with a Succeeded log; a second Publish has nothing
 *   to do.
 * - A draft that creates a territory, replotted and published from the UI; the published plan, reworked and saved
 *   (as a new draft: a published plan is never overwritten), publishes into the same territory — no duplicate.
 * - A user whose security role cannot write territories or accounts sees Publish disabled with the reason.
 */
import type { Browser, Page } from "playwright-core";
import type { DevHost } from "../../local/host/devHost";
import { HostWebApi } from "../../local/host/webApi";
import { loadSolutionSource } from "../../solution/model";
import { rolePrivileges } from "../../solution/generate";
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import { PlanStatusValue } from "../../dataverse/drafts/DraftRepository";
import { PublishLogStatus } from "../../dataverse/publish/publishPlan";
import { WebApiDraftRepository } from "../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../dataverse/drafts/DraftBulkApi";
import { saveMovingDraft, wrongAccounts } from "../integration/publish/helpers";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { saveScreenshot } from "../support/screenshots";
import { startTestHost } from "../support/server";

jest.setTimeout(120_000);

const ACCOUNTS = 2_000;
const PLAN = '[data-testid="plan-status"]';
/** Columns a write of territoryid may change besides it. */
// columns Dataverse maintains itself on every write (modifiedonbehalfby: the publish runs as the planner, impersonated)
const BOOKKEEPING = new Set(["territoryid", "versionnumber", "modifiedon", "modifiedby", "modifiedonbehalfby"]);

type Row = Record<string, unknown>;

let host: DevHost;
let browser: Browser;
let repo: WebApiDraftRepository;
let api: DataverseHttpClient;
const figures: Record<string, number> = {};

beforeAll(async () => {
  ensureControlBuilt();
  [host, browser] = await Promise.all([startTestHost({ accounts: ACCOUNTS }), launchChromium()]);
  api = new DataverseHttpClient({ baseUrl: host.apiUrl, maxRetries: 0 });
  repo = new WebApiDraftRepository(
    new HostWebApi({ client: api, entitySetNames: { tmap_plan: "tmap_plans", tmap_assignmentchunk: "tmap_assignmentchunks" } }),
    new HttpDraftBulkApi(api),
  );
});

afterAll(async () => {
  // Figures for the report (not asserted beyond the checks in the tests).
  if (Object.keys(figures).length) console.log(`publish e2e figures: ${JSON.stringify(figures)}`);
  await browser?.close();
  await host?.close();
});

const store = () => host.service.store;
const snapshot = (table: string): Map<string, Row> => new Map([...store().rows(table)].map((r) => [String(r[`${table}id`]), { ...r }]));

async function openApp(g: GuardedPage): Promise<void> {
  await g.page.goto(host.url);
  await g.page.waitForSelector('[data-testid="plot-status"][data-state="done"]', { timeout: 60_000 });
  await g.page.waitForSelector(`${PLAN}[data-ready="true"]`, { timeout: 30_000 });
}

async function planStatus(page: Page): Promise<Record<string, string | undefined>> {
  return page.$eval(PLAN, (el) => ({ ...(el as HTMLElement).dataset }));
}

async function openActions(page: Page): Promise<void> {
  await page.getByTestId("actions-button").click();
  await page.getByRole("menu").waitFor();
}

async function chooseAction(page: Page, name: string): Promise<void> {
  await openActions(page);
  await page.getByRole("menuitem", { name, exact: true }).click();
}

async function saveWithName(page: Page, dialogTestId: string, name: string): Promise<string> {
  await page.getByTestId(dialogTestId).waitFor();
  await page.getByTestId(`${dialogTestId}-input`).fill(name);
  await page.getByTestId(`${dialogTestId}-confirm`).click();
  const done = page.getByTestId("save-success");
  await done.waitFor({ timeout: 30_000 });
  return (await done.getAttribute("data-draftid")) ?? "";
}

/** Moves the first `count` accounts of the largest territory to the first other territory (Move accounts dialog). */
async function moveAccounts(page: Page, count: number): Promise<string[]> {
  const rows = page.getByTestId("territory-row");
  // rep territories only: a region's figure is its whole subtree
  const counts = await rows.evaluateAll((els) =>
    els.map((e) => ((e as HTMLElement).dataset.parent === "true" ? -1 : Number((e as HTMLElement).dataset.count))),
  );
  await rows.nth(counts.indexOf(Math.max(...counts))).click();
  await page.getByTestId("open-move").click();
  const dialog = page.getByTestId("move-dialog");
  await dialog.waitFor();
  const boxes = dialog.locator('[data-testid="move-list"] input[type="checkbox"]');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await boxes.nth(i).check();
    ids.push((await boxes.nth(i).getAttribute("data-account-id")) ?? "");
  }
  await page.getByTestId("move-to").click();
  await page.getByRole("option").first().click();
  await page.getByTestId("move-confirm").click();
  await page.getByTestId("move-info").waitFor();
  return ids;
}

/** Opens Actions → Publish and waits for the preview (or the immediate result). */
async function openPublish(page: Page): Promise<void> {
  await chooseAction(page, "Publish");
  await page.getByTestId("publish-dialog").waitFor();
  await page.waitForSelector('[data-testid="publish-preview"], [data-testid="publish-result"]', { timeout: 30_000 });
}

/** The territory each account of a stored draft must have after publishing (unassigned accounts: unchanged). */
async function plannedTerritories(draftId: string): Promise<Map<string, string>> {
  const { draft } = await repo.loadDraft(draftId);
  const out = new Map<string, string>();
  draft.assignments.accountIds.forEach((id, i) => {
    const t = draft.assignments.territory[i];
    if (t >= 0) out.set(id, String(draft.territories[t].territoryId));
  });
  return out;
}

/** Web API requests since the last reset ($batch counted once). */
function requests(): number {
  return Object.values(host.requestCounts()).reduce((s, n) => s + n, 0);
}

function publishLogs(planId: string): Row[] {
  return [...store().rows("tmap_publishlog")].filter((l) => l.tmap_planid === planId);
}

describe("Publish from the Actions menu", () => {
  it("moved accounts → save as draft → Publish: preview, conflicts decided, result; Dynamics holds exactly the plan", async () => {
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      const moved = await moveAccounts(page, 12);
      await chooseAction(page, "Save as draft");
      const planId = await saveWithName(page, "save-name-dialog", "E2E publish");
      const planned = await plannedTerritories(planId);
      const stored = await repo.loadDraft(planId);
      expect(stored.draft.baseline?.territory.length).toBe(stored.draft.assignments.accountIds.length); // conflicts can be detected

      // After the draft was made, someone changes two accounts in Dynamics (Web API): a moved one (kept) and an
      // untouched one (overwritten back to the plan).
      const before = snapshot("account");
      const territoryIds = [...store().rows("territory")].map((t) => String(t.territoryid));
      const nameCount = new Map<string, number>();
      for (const r of before.values()) nameCount.set(String(r.name), (nameCount.get(String(r.name)) ?? 0) + 1);
      const unique = (id: string) => nameCount.get(String(before.get(id)?.name)) === 1;
      const keptId = moved.find(unique) as string;
      const overwrittenId = [...planned.keys()].find((id) => !moved.includes(id) && unique(id)) as string;
      const elsewhere = (id: string) => territoryIds.find((t) => t !== before.get(id)?.territoryid && t !== planned.get(id)) as string;
      const keptTerritory = elsewhere(keptId);
      await api.update("accounts", keptId, { "territoryid@odata.bind": `/territories(${keptTerritory})` });
      await api.update("accounts", overwrittenId, { "territoryid@odata.bind": `/territories(${elsewhere(overwrittenId)})` });
      const beforePublish = snapshot("account");
      const territoriesBefore = snapshot("territory");

      await openPublish(page);
      const preview = page.getByTestId("publish-preview");
      // 12 moved, one of them a conflict still undecided → 11 planned writes; 2 conflicts listed.
      expect(await preview.textContent()).toContain(
        "11 accounts change territory and 0 change owner; 0 territories are created and 0 updated.",
      );
      const conflicts = page.getByTestId("publish-conflict");
      await expect(conflicts.count()).resolves.toBe(2);
      expect(await page.getByTestId("publish-undecided").textContent()).toContain("2 conflicts still need a choice");
      await saveScreenshot(page, "publish");
      expect(await page.getByTestId("publish-start").isDisabled()).toBe(true);
      await conflicts
        .filter({ hasText: String(before.get(keptId)?.name) })
        .getByRole("radio", { name: "Keep" })
        .check();
      await conflicts
        .filter({ hasText: String(before.get(overwrittenId)?.name) })
        .getByRole("radio", { name: "Overwrite" })
        .check();
      expect(await page.getByTestId("publish-start").isDisabled()).toBe(false);
      host.resetRequestCounts();
      const started = Date.now();
      await page.getByTestId("publish-start").click();
      const result = page.getByTestId("publish-result");
      await result.waitFor({ timeout: 60_000 });
      figures.publish12Ms = Date.now() - started;
      figures.publish12Requests = requests();
      expect(await result.textContent()).toBe("Published: 12 accounts and 0 territories written.");

      // The store: every account as planned, except the kept conflict; nothing else written.
      const after = snapshot("account");
      const expected = new Map(planned);
      expected.set(keptId, keptTerritory);
      const wrong = [...expected].filter(([id, t]) => after.get(id)?.territoryid !== t).map(([id]) => id);
      expect(wrong).toEqual([]);
      const written: string[] = [];
      for (const [id, row] of after) {
        const old = beforePublish.get(id) as Row;
        const changedColumns = Object.keys({ ...old, ...row }).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(row[k]));
        if (!changedColumns.length) continue;
        written.push(id);
        expect(changedColumns.filter((k) => !BOOKKEEPING.has(k))).toEqual([]);
      }
      expect(written.sort()).toEqual([...moved.filter((id) => id !== keptId), overwrittenId].sort());
      expect(after.get(overwrittenId)?.territoryid).toBe(planned.get(overwrittenId));
      expect(snapshot("territory")).toEqual(territoriesBefore);
      expect(Number(store().get("tmap_plan", planId)?.tmap_status)).toBe(PlanStatusValue.Published);
      const logs = publishLogs(planId);
      expect(logs.length).toBe(1);
      expect(logs[0]).toMatchObject({
        tmap_status: PublishLogStatus.Succeeded,
        tmap_writtencount: 12,
        tmap_failedcount: 0,
        tmap_conflictcount: 2,
        tmap_keptcount: 1,
      });

      // The UI: the plan is shown Published; publishing again has nothing to do.
      await page.getByTestId("publish-close").click();
      await page.getByTestId("publish-dialog").waitFor({ state: "detached" });
      await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement | null)?.dataset.sourceStatus === "published", PLAN);
      expect(await page.locator(PLAN).textContent()).toContain("published");
      expect(await page.getByTestId("publish-info").getAttribute("data-accounts")).toBe("12");
      // Publishing again: the kept account is listed again (it still differs from the draft and its baseline);
      // keeping it, nothing is left to write and nothing is written.
      await openPublish(page);
      expect(await page.getByTestId("publish-preview").textContent()).toContain("0 accounts change territory");
      await expect(page.getByTestId("publish-conflict").count()).resolves.toBe(1);
      expect(await page.getByTestId("publish-conflict").textContent()).toContain(String(before.get(keptId)?.name));
      await page.getByTestId("publish-keep-all").click();
      await page.getByTestId("publish-start").click();
      await page.getByTestId("publish-result").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("publish-result").textContent()).toBe(
        "Dynamics already matches this plan: there is nothing to publish.",
      );
      await page.getByTestId("publish-close").click();
      expect(snapshot("account")).toEqual(after);
      expect(publishLogs(planId).length).toBe(1);
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("a draft that creates a territory: replot → publish → rework → saved as new draft → publish again creates nothing twice", async () => {
    const fx = await saveMovingDraft({ url: host.apiUrl, service: host.service }, { name: "E2E North Star" });
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      await page.getByTestId("open-by-territory").click();
      const item = page.locator(`[data-testid="draft-item"][data-draft-id="${fx.planId}"]`);
      await item.waitFor({ timeout: 30_000 });
      await item.getByRole("button", { name: "Replot E2E North Star", exact: true }).click();
      await page.getByTestId("replot-info").waitFor({ timeout: 30_000 });
      expect((await planStatus(page)).sourceId).toBe(fx.planId);

      const territoriesBefore = store().count("territory");
      await openPublish(page);
      expect(await page.getByTestId("publish-preview").textContent()).toContain(
        `${fx.moved.length.toLocaleString("en-US")} accounts change territory and 0 change owner; 1 territories are created and 0 updated.`,
      );
      host.resetRequestCounts();
      const started = Date.now();
      await page.getByTestId("publish-start").click();
      await page.getByTestId("publish-result").waitFor({ timeout: 60_000 });
      figures[`publish${fx.moved.length}Ms`] = Date.now() - started;
      figures[`publish${fx.moved.length}Requests`] = requests();
      expect(await page.getByTestId("publish-result").textContent()).toBe(
        `Published: ${fx.moved.length.toLocaleString("en-US")} accounts and 1 territories written.`,
      );
      expect(wrongAccounts(store(), fx.expected)).toEqual([]);
      expect(store().count("territory")).toBe(territoriesBefore + 1);
      expect(store().get("territory", fx.createdTerritoryId)?.name).toBe("North Star");
      await page.getByTestId("publish-close").click();
      await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement | null)?.dataset.sourceStatus === "published", PLAN);

      // Rework the published plan: move accounts into North Star; "Save as draft" saves a new draft (never
      // overwrites the published one) that points at the territory the publish created.
      const rows = page.getByTestId("territory-row");
      const leaves = await rows.evaluateAll((els) =>
        els.map((e) => ((e as HTMLElement).dataset.parent === "true" ? null : (e as HTMLElement).dataset.territoryKey)),
      );
      const movedAgain = await moveAccountsTo(
        page,
        leaves.findIndex((k) => k !== null && k !== "new"),
        "North Star",
        3,
      );
      await chooseAction(page, "Save as draft");
      const childId = await saveWithName(page, "save-new-dialog", "E2E North Star v2");
      expect(childId).not.toBe(fx.planId);
      const child = await repo.loadDraft(childId);
      expect(child.draft.parentId).toBe(fx.planId);
      expect(child.draft.territories.find((t) => t.key === "new")?.territoryId).toBe(fx.createdTerritoryId);
      expect(child.draft.territories.every((t) => t.territoryId)).toBe(true);

      await openPublish(page);
      expect(await page.getByTestId("publish-preview").textContent()).toContain(
        "3 accounts change territory and 0 change owner; 0 territories are created and 0 updated.",
      );
      await page.getByTestId("publish-start").click();
      await page.getByTestId("publish-result").waitFor({ timeout: 60_000 });
      expect(store().count("territory")).toBe(territoriesBefore + 1);
      for (const id of movedAgain) expect(store().get("account", id)?.territoryid).toBe(fx.createdTerritoryId);
      expect(Number(store().get("tmap_plan", childId)?.tmap_status)).toBe(PlanStatusValue.Published);
      expect(Number(store().get("tmap_plan", fx.planId)?.tmap_status)).toBe(PlanStatusValue.Archived);
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
    }
  });

  it("a user whose role cannot write territories or accounts sees Publish disabled, with the reason", async () => {
    const source = loadSolutionSource();
    const viewer = source.roles.find((r) => r.name === "Territory Viewer");
    if (!viewer) throw new Error("Territory Viewer is not in the solution");
    const privileges = {
      ...Object.fromEntries(rolePrivileges(source, viewer)),
      prvReadEnvironmentVariableDefinition: "Global",
      prvReadEnvironmentVariableValue: "Global",
    };
    const user = [...store().rows("systemuser")].map((u) => String(u.systemuserid)).find((id) => id !== undefined) as string;
    const post = (path: string, body: unknown) =>
      fetch(`${host.url}_local/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("privileges", { userId: user, roles: [{ name: "Territory Viewer", privileges }] })).status).toBe(200);
    expect((await post("whoami", { userId: user })).status).toBe(200);
    const g = await openGuardedPage(browser);
    const { page } = g;
    try {
      await openApp(g);
      const reason =
        "You cannot publish: your security role does not let you change territories (prvWriteTerritory), change accounts (prvWriteAccount).";
      await openActions(page);
      const publish = page.getByRole("menuitem", { name: "Publish", exact: true });
      await page.waitForFunction(
        (text) => [...document.querySelectorAll('[role="menuitem"]')].some((e) => e.textContent?.includes(text)),
        reason,
        { timeout: 10_000 },
      );
      expect(await publish.getAttribute("aria-disabled")).toBe("true");
      expect(await publish.textContent()).toContain(reason);
      // The reason is the item's description for assistive technology.
      const describedBy = await publish.getAttribute("aria-describedby");
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(reason);
      await page.keyboard.press("Escape");
      expect(g.blocked).toEqual([]);
    } finally {
      await g.context.close();
      await post("whoami", {});
      await fetch(`${host.url}_local/privileges`, { method: "DELETE" });
    }
  });
});

/** Moves `count` accounts of territory row `fromRow` to the territory named `toName`. */
async function moveAccountsTo(page: Page, fromRow: number, toName: string, count: number): Promise<string[]> {
  await page.getByTestId("territory-row").nth(fromRow).click();
  await page.getByTestId("open-move").click();
  const dialog = page.getByTestId("move-dialog");
  await dialog.waitFor();
  const boxes = dialog.locator('[data-testid="move-list"] input[type="checkbox"]');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await boxes.nth(i).check();
    ids.push((await boxes.nth(i).getAttribute("data-account-id")) ?? "");
  }
  await page.getByTestId("move-to").click();
  await page.getByRole("option", { name: toName, exact: true }).click();
  await page.getByTestId("move-confirm").click();
  await page.getByTestId("move-info").waitFor();
  return ids;
}
