/**
 * End to end, an account's pin popup: the dev host serves the BUILT control against the local Dataverse (temp DB,
 * 1,500 sample accounts); the map opens centred on one account of a rep territory (URL parameters), headless
 * Chromium clicks its pin, and the popup names the account with its territory, the territory's region, the owner
 * (the territory's rep, read independently over the Web API) and every measure by name; "Open record" calls
 * context.navigation.openForm with the account's id (recorded by the dev host in window.tmapHost.openedForms).
 */
import type { Browser, Page } from "playwright-core";
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import type { DevHost } from "../../local/host/devHost";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { saveScreenshot } from "../support/screenshots";
import { startTestHost } from "../support/server";

jest.setTimeout(120_000);

interface Target {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  revenue: number;
  workload: number;
  territory: string;
  parent: string;
  rep: string;
}

let host: DevHost;
let browser: Browser;
let g: GuardedPage;
let page: Page;
let target: Target;

/** An active account with coordinates in a rep territory (one with a manager and a parent region), from the Web API. */
async function pickTarget(): Promise<Target> {
  const client = new DataverseHttpClient({ baseUrl: host.apiUrl, maxRetries: 2 });
  const territories = await client.retrieveAll<{
    territoryid: string;
    name: string;
    _managerid_value: string | null;
    _parentterritoryid_value: string | null;
  }>("territories", { select: ["territoryid", "name", "_managerid_value", "_parentterritoryid_value"] }, { includeAnnotations: "" });
  const users = await client.retrieveAll<{ systemuserid: string; fullname: string }>(
    "systemusers",
    { select: ["systemuserid", "fullname"] },
    { includeAnnotations: "" },
  );
  const byId = new Map(territories.map((t) => [t.territoryid.toLowerCase(), t]));
  const userName = new Map(users.map((u) => [u.systemuserid.toLowerCase(), u.fullname]));
  const accounts = await client.retrieveAll<{
    accountid: string;
    name: string;
    address1_latitude: number | null;
    address1_longitude: number | null;
    revenue: number | null;
    tmap_workloadhours: number | null;
    _territoryid_value: string | null;
  }>(
    "accounts",
    {
      select: ["accountid", "name", "address1_latitude", "address1_longitude", "revenue", "tmap_workloadhours", "_territoryid_value"],
      filter: "statecode eq 0 and _territoryid_value ne null and address1_latitude ne null and address1_longitude ne null and revenue gt 0",
    },
    { includeAnnotations: "" },
  );
  for (const a of accounts) {
    const t = byId.get(String(a._territoryid_value).toLowerCase());
    const parent = t?._parentterritoryid_value ? byId.get(t._parentterritoryid_value.toLowerCase()) : undefined;
    const rep = t?._managerid_value ? userName.get(t._managerid_value.toLowerCase()) : undefined;
    if (!t || !parent || !rep || Math.abs(a.address1_latitude ?? 0) > 60 || (a.address1_longitude ?? 0) > -60) continue;
    return {
      id: a.accountid.toLowerCase(),
      name: a.name,
      latitude: a.address1_latitude as number,
      longitude: a.address1_longitude as number,
      revenue: a.revenue ?? 0,
      workload: a.tmap_workloadhours ?? 0,
      territory: t.name,
      parent: parent.name,
      rep,
    };
  }
  throw new Error("the sample org has no account in a rep territory with a region and a rep");
}

beforeAll(async () => {
  ensureControlBuilt();
  [host, browser] = await Promise.all([startTestHost({ accounts: 1_500 }), launchChromium()]);
  target = await pickTarget();
  g = await openGuardedPage(browser);
  page = g.page;
  await page.goto(`${host.url}?centerLatitude=${target.latitude}&centerLongitude=${target.longitude}&zoom=13`);
  await page.waitForSelector('[data-testid="plot-status"][data-state="done"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="plan-status"][data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="design-status"][data-map-ready="true"]', { timeout: 30_000 });
});

afterAll(async () => {
  await g?.context.close();
  await browser?.close();
  await host?.close();
});

/** The open popup (a closed atlas popup stays in the DOM, hidden). */
const shownPopup = () => page.locator(".popup-container:not(.hidden-accessible-element) .tmap-popup");

describe("pin popup", () => {
  it("clicking a pin shows its territory, region, owner and measures; Open record opens the account's form", async () => {
    const canvas = await page.locator('[data-testid="map"] canvas').first().boundingBox();
    if (!canvas) throw new Error("map canvas not visible");
    await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await shownPopup().waitFor({ timeout: 10_000 });
    const item = shownPopup().locator(`.tmap-popup-account[data-account-id="${target.id}"]`);
    await item.waitFor();
    const text = (await item.textContent()) ?? "";
    const [revenue, workload] = await page.evaluate(
      ([r, w]) => [r, w].map((v) => new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(v)),
      [target.revenue, target.workload],
    );
    expect(await item.locator(".tmap-popup-title").textContent()).toBe(target.name);
    expect(text).toContain(`Territory: ${target.territory}`);
    expect(text).toContain(`Parent territory: ${target.parent}`);
    expect(await item.locator(".tmap-popup-owner").textContent()).toBe(`Owner: ${target.rep}`);
    expect(await item.locator(".tmap-popup-measure").allTextContents()).toEqual([`revenue: ${revenue}`, `tmap_workloadhours: ${workload}`]);
    await saveScreenshot(page, "popup", { docs: false });

    const open = item.getByRole("button", { name: `Open the record of ${target.name}`, exact: true });
    await open.click();
    await page.waitForFunction(() => (window as unknown as { tmapHost: { openedForms: unknown[] } }).tmapHost.openedForms.length > 0);
    const opened = await page.evaluate(() => (window as unknown as { tmapHost: { openedForms: unknown[] } }).tmapHost.openedForms);
    expect(opened).toEqual([{ entityName: "account", entityId: target.id }]);
    expect(await page.getByTestId("host-log").textContent()).toContain(`openForm account ${target.id}`);
    expect(g.blocked).toEqual([]);
  });
});
