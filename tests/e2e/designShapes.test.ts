/**
 * End to end, drawn territory shapes survive save → reload → replot:
 *
 * - DrawingAdapter.syncTerritoryShapes on a real azure-maps-control map (offline, headless Chromium): a plan's
 *   shapes are added once (re-applying the plan duplicates nothing), a changed plan replaces a shape, a territory
 *   without geometry loses its shape, a shape whose edit the plan has not caught up with is left alone, an erased
 *   shape is not brought back by a plan that still holds it; a restored circle is a real circle (4 handles) and
 *   resizing it with the mouse reports the new radius.
 * - The app against the local Dataverse (2,000 sample accounts): draw a circle → a territory → Save as draft →
 *   reload the page → By Territory → Replot → the circle is an editable shape again: Edit shapes, drag its east
 *   handle → the territory gains the accounts the circle now covers (card count, design notice, stored draft with the
 *   new radius) → Delete shape → saved again without geometry, the accounts kept. A draft whose stored shapes are
 *   malformed (written by something else) still replots: the territories are reported by name with the reason.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { REPO_ROOT, type DevHost } from "../../local/host/devHost";
import { HostWebApi } from "../../local/host/webApi";
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import { WebApiDraftRepository } from "../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../dataverse/drafts/DraftBulkApi";
import { parseTerritoryGeometry } from "../../TerritoryMapControl/domain/design/shapes";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";
import { ensureControlBuilt } from "../support/build";
import { chooseTool as chooseToolOf } from "../support/designTools";
import { startTestHost } from "../support/server";

jest.setTimeout(120_000);

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Screen position of the drag handles the drawing tools show for the shape being edited. */
async function handles(page: Page): Promise<{ x: number; y: number }[]> {
  return page.locator(".dragHandleCircle").evaluateAll((els) =>
    els
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0)
      .map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })),
  );
}

async function dragFromTo(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

// ---------------------------------------------------------------------------------------------- adapter

const ENTRY = `
import * as atlas from "azure-maps-control";
import { OFFLINE_STYLE, OFFLINE_THUMBNAIL } from "./TerritoryMapControl/adapters/map/basemap";
import { DrawingAdapter } from "./TerritoryMapControl/adapters/map/DrawingAdapter";
import { territoryShapes, territoryGeometry, circleShape, boxShape } from "./TerritoryMapControl/domain/design/shapes";
const w = window;
w.reports = []; w.erased = [];
const map = new atlas.Map("map", {
  center: [-98, 39], zoom: 4, style: "blank", enableAccessibilityLocationFallback: false, renderWorldCopies: false,
  mapConfiguration: { defaultConfiguration: "blank", configurations: [{ name: "blank", displayName: "Offline", theme: "light", style: OFFLINE_STYLE, thumbnail: OFFLINE_THUMBNAIL }] },
  authOptions: { authType: atlas.AuthenticationType.subscriptionKey, subscriptionKey: "offline" },
});
map.events.add("ready", () => {
  const adapter = new DrawingAdapter({ map, onShape: (s, phase) => w.reports.push({ ...s, phase }), onErase: (id) => w.erased.push(id) });
  w.adapter = adapter;
  w.pixel = (lon, lat) => map.positionsToPixels([[lon, lat]])[0];
  // A plan's territories (key, name, stored geometry) → the shapes the design tools hand to syncTerritoryShapes.
  w.sync = (territories) => adapter.syncTerritoryShapes(territoryShapes(territories).shapes);
  w.circle = (key, lon, lat, r) => ({ key, name: key, geometry: territoryGeometry(circleShape("x", [lon, lat], r)) });
  w.rect = (key, w0, s, e, n) => ({ key, name: key, geometry: territoryGeometry(boxShape("x", w0, s, e, n, "rectangle")) });
  w.onMap = () => adapter.shapes().map((s) => ({ id: s.id, kind: s.kind, radiusM: s.radiusM, center: s.center })).sort((a, b) => a.id.localeCompare(b.id));
  w.ready = true;
});
`;

type OnMap = { id: string; kind: string; radiusM?: number; center?: [number, number] };
type Territory = { key: string; name: string; geometry: unknown };
interface Harness {
  adapter: { setTool(t: string): void; remove(id: string): void };
  sync(t: Territory[]): { added: number; replaced: number; removed: number; unchanged: number };
  circle(key: string, lon: number, lat: number, r: number): Territory;
  rect(key: string, w: number, s: number, e: number, n: number): Territory;
  onMap(): OnMap[];
  pixel(lon: number, lat: number): [number, number];
  reports: (OnMap & { phase: string })[];
  erased: string[];
}

describe("DrawingAdapter.syncTerritoryShapes", () => {
  let g: GuardedPage;
  let page: Page;
  const run = <T>(fn: (h: Harness, arg: never) => T, arg?: unknown): Promise<T> =>
    page.evaluate(([src, a]) => new Function("h", "a", `return (${src})(h, a);`)(window, a) as T, [fn.toString(), arg] as const);

  beforeAll(async () => {
    const out = await build({
      stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: "ts" },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      loader: { ".css": "empty" },
      logLevel: "error",
    });
    const css = ["azure-maps-control/dist/atlas.min.css", "azure-maps-drawing-tools/dist/atlas-drawing.min.css"]
      .map((f) => readFileSync(join(REPO_ROOT, "node_modules", f), "utf8"))
      .join("\n");
    g = await openGuardedPage(browser, { width: 1000, height: 700 });
    page = g.page;
    await page.setContent(
      `<!doctype html><html><head><style>${css}</style><style>html,body{margin:0}#map{width:1000px;height:700px}</style></head><body><div id="map"></div></body></html>`,
    );
    await page.addScriptTag({ content: out.outputFiles[0].text });
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
  });

  afterAll(async () => {
    await g?.context.close();
  });

  it("adds the plan's shapes once, replaces changed ones, removes those whose territory lost its geometry", async () => {
    const plan1 = await run((h) => [
      h.circle("drawn-c1", -98, 39, 300_000),
      h.rect("drawn-r1", -110, 30, -104, 36),
      { key: "t-plain", name: "plain", geometry: null },
    ]);
    expect(await run((h, t: Territory[]) => h.sync(t), plan1)).toEqual({ added: 2, replaced: 0, removed: 0, unchanged: 0 });
    expect(await run((h) => h.onMap())).toEqual([
      { id: "c1", kind: "circle", radiusM: 300_000, center: [-98, 39] },
      { id: "r1", kind: "rectangle" },
    ]);
    // The same plan again (re-applied, or a JSON round trip of it): nothing changes, nothing is duplicated.
    expect(await run((h, t: Territory[]) => h.sync(JSON.parse(JSON.stringify(t))), plan1)).toEqual({
      added: 0,
      replaced: 0,
      removed: 0,
      unchanged: 2,
    });
    expect(await run((h) => h.onMap().length)).toBe(2);

    // An undo-like replacement: the circle is bigger, the rectangle's territory has no geometry any more.
    const plan2 = await run((h) => [h.circle("drawn-c1", -98, 39, 450_000), { key: "drawn-r1", name: "r", geometry: null }]);
    expect(await run((h, t: Territory[]) => h.sync(t), plan2)).toEqual({ added: 0, replaced: 1, removed: 1, unchanged: 0 });
    expect(await run((h) => h.onMap())).toEqual([{ id: "c1", kind: "circle", radiusM: 450_000, center: [-98, 39] }]);
    expect(await run((h) => h.erased)).toEqual([]); // syncing is not erasing: no onErase
    expect(g.errors).toEqual([]);
  });

  it("a restored circle resizes with the mouse; a plan that has not caught up with the edit does not undo it", async () => {
    const [cx, cy] = await run((h) => h.pixel(-98, 39));
    await run((h) => h.adapter.setTool("edit"));
    await page.mouse.click(cx, cy);
    await page.waitForFunction(() => document.querySelectorAll(".dragHandleCircle").length === 4, null, { timeout: 5_000 });
    const hs = await handles(page);
    expect(hs).toHaveLength(4); // a circle (centre + radius), not its 65-vertex outline
    const east = hs.reduce((a, b) => (b.x > a.x ? b : a));
    await dragFromTo(page, east, { x: east.x + 60, y: east.y });
    await page.waitForFunction(() => (window as unknown as Harness).reports.some((r) => r.phase === "changed"), null, { timeout: 5_000 });
    const changed = (await run((h) => h.reports)).filter((r) => r.phase === "changed");
    const last = changed[changed.length - 1];
    expect(last).toMatchObject({ id: "c1", kind: "circle" });
    expect(last.radiusM).toBeGreaterThan(470_000);
    // (The drawing tools keep the opposite edge where it is: the centre follows the handle half way.)
    expect(last.center![0]).toBeGreaterThan(-98);
    expect(last.center![1]).toBeCloseTo(39, 6);

    // The plan still holds the previous edit's radius while a newer one was reported: left alone.
    const resized = last.radiusM as number;
    const lagging = await run((h) => {
      // Two more edits reported (as the drawing tools' events would), then a plan holding only the first of them.
      const adapter = h.adapter as unknown as { noteReported(d: unknown): void };
      adapter.noteReported({
        id: "c1",
        kind: "circle",
        center: [-98, 39],
        radiusM: 460_000,
        geometry: { type: "Polygon", coordinates: [] },
      });
      adapter.noteReported(h.onMap()[0]);
      return h.sync([h.circle("drawn-c1", -98, 39, 460_000)]);
    });
    const c = last.center as [number, number];
    expect(lagging).toEqual({ added: 0, replaced: 0, removed: 0, unchanged: 1 });
    expect((await run((h) => h.onMap()))[0].radiusM).toBe(resized);
    // Then the plan catches up: nothing to do.
    expect(await run((h, [x, y, r]: number[]) => h.sync([h.circle("drawn-c1", x, y, r)]), [c[0], c[1], resized])).toEqual({
      added: 0,
      replaced: 0,
      removed: 0,
      unchanged: 1,
    });
    // An older plan (undo) puts the circle back where the plan has it.
    expect(await run((h) => h.sync([h.circle("drawn-c1", -98, 39, 450_000)]))).toEqual({ added: 0, replaced: 1, removed: 0, unchanged: 0 });
    expect(await run((h) => h.onMap())).toEqual([{ id: "c1", kind: "circle", radiusM: 450_000, center: [-98, 39] }]);
  });

  it("an erased shape is not brought back by a plan that still holds it; a new plan brings it back", async () => {
    const [cx, cy] = await run((h) => h.pixel(-98, 39));
    const { center, radiusM } = (await run((h) => h.onMap()))[0];
    const circle = [center![0], center![1], radiusM!];
    await run((h) => h.adapter.setTool("erase"));
    await page.mouse.click(cx, cy);
    await page.waitForFunction(() => (window as unknown as Harness).erased.length === 1, null, { timeout: 5_000 });
    expect(await run((h) => h.erased)).toEqual(["c1"]);
    expect(await run((h, [x, y, r]: number[]) => h.sync([h.circle("drawn-c1", x, y, r)]), circle)).toEqual({
      added: 0,
      replaced: 0,
      removed: 0,
      unchanged: 1,
    });
    expect(await run((h) => h.onMap())).toEqual([]);
    // The plan drops the geometry (what the design tools do on erase) …
    expect(await run((h) => h.sync([]))).toEqual({ added: 0, replaced: 0, removed: 0, unchanged: 0 });
    // … and a later plan that has it again (undo, another replot) shows it again.
    expect(await run((h, [x, y, r]: number[]) => h.sync([h.circle("drawn-c1", x, y, r)]), circle)).toEqual({
      added: 1,
      replaced: 0,
      removed: 0,
      unchanged: 0,
    });
    await run((h) => h.adapter.setTool("idle"));
    expect(g.errors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------- the app

const PLAN = '[data-testid="plan-status"]';
const STATUS = '[data-testid="design-status"]';

describe("draw a circle → save → reload → replot → the circle is editable again", () => {
  let host: DevHost;
  let repo: WebApiDraftRepository;
  let g: GuardedPage;
  let page: Page;
  let state: { draftId: string; key: string; accounts: number } | null = null;

  beforeAll(async () => {
    ensureControlBuilt();
    host = await startTestHost({ accounts: 2_000 });
    repo = new WebApiDraftRepository(
      new HostWebApi({
        client: new DataverseHttpClient({ baseUrl: host.apiUrl, maxRetries: 0 }),
        entitySetNames: { tmap_plan: "tmap_plans", tmap_assignmentchunk: "tmap_assignmentchunks" },
      }),
      new HttpDraftBulkApi(new DataverseHttpClient({ baseUrl: host.apiUrl, maxRetries: 0 })),
    );
    g = await openGuardedPage(browser);
    page = g.page;
  });

  afterAll(async () => {
    await g?.context.close();
    await host?.close();
  });

  async function ready(): Promise<void> {
    await page.waitForSelector('[data-testid="plot-status"][data-state="done"]', { timeout: 60_000 });
    await page.waitForSelector(`${PLAN}[data-ready="true"]`, { timeout: 30_000 });
    await page.waitForSelector(`${STATUS}[data-map-ready="true"]`, { timeout: 30_000 });
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

  async function rowCount(key: string): Promise<number> {
    return Number(await page.locator(`[data-testid="territory-row"][data-territory-key="${key}"]`).getAttribute("data-count"));
  }

  async function notice(): Promise<Record<string, string | undefined>> {
    const info = page.getByTestId("design-info");
    await info.waitFor();
    const data = await info.evaluate((el) => ({ ...(el as HTMLElement).dataset, text: el.textContent ?? "" }));
    await info.getByRole("button", { name: "Dismiss", exact: true }).click();
    return data;
  }

  async function chooseTool(name: string): Promise<void> {
    await chooseToolOf(page, name);
  }

  async function chooseAction(name: string): Promise<void> {
    await page.getByTestId("actions-button").click();
    await page.getByRole("menuitem", { name, exact: true }).click();
  }

  /** Save as draft over the replotted draft (confirming the overwrite). */
  async function saveOver(): Promise<void> {
    await chooseAction("Save as draft");
    await page.getByTestId("overwrite-dialog").waitFor();
    await page.getByTestId("overwrite-confirm").click();
    await page.getByTestId("save-success").waitFor({ timeout: 30_000 });
  }

  async function storedCircle(draftId: string, key: string): Promise<{ geometry: unknown; accounts: number; assigned: number }> {
    const { draft } = await repo.loadDraft(draftId);
    const t = draft.territories.findIndex((x) => x.key === key);
    expect(t).toBeGreaterThanOrEqual(0);
    let assigned = 0;
    for (let i = 0; i < draft.assignments.territory.length; i++) if (draft.assignments.territory[i] === t) assigned++;
    return { geometry: draft.territories[t].geometry, accounts: draft.territories[t].totals.accounts, assigned };
  }

  it("round trip with an edit and an erase", async () => {
    await page.goto(host.url);
    await ready();
    // Notices above the map move it on the page; the map keeps its centre: positions are offsets from the canvas centre.
    const canvasBox = async () => (await page.locator('[data-testid="map"] canvas').first().boundingBox())!;
    const canvas = await canvasBox();
    const offset = { x: -canvas.width * 0.05, y: -canvas.height * 0.05 };
    const circleCentre = async () => {
      const b = await canvasBox();
      return { x: b.x + b.width / 2 + offset.x, y: b.y + b.height / 2 + offset.y };
    };
    let centre = await circleCentre();

    // Draw a circle (the shape mode creates a territory by default).
    await chooseTool("Circle");
    await dragFromTo(page, centre, { x: centre.x + canvas.width * 0.08, y: centre.y });
    const created = await notice();
    const key = created.territory as string;
    const moved = Number(created.moved);
    expect(key).toMatch(/^drawn-/);
    expect(moved).toBeGreaterThan(5);
    await mapInSync();
    expect(await rowCount(key)).toBe(moved);
    await chooseTool("Pan");

    await chooseAction("Save as draft");
    await page.getByTestId("save-name-dialog").waitFor();
    await page.getByTestId("save-name-dialog-input").fill("E2E shapes");
    await page.getByTestId("save-name-dialog-confirm").click();
    const saved = page.getByTestId("save-success");
    await saved.waitFor({ timeout: 30_000 });
    const draftId = (await saved.getAttribute("data-draftid")) as string;
    const first = await storedCircle(draftId, key);
    const stored = parseTerritoryGeometry(first.geometry as never);
    expect(stored).toMatchObject({ ok: true, kind: "circle" });
    const radius = (stored as { radiusM: number }).radiusM;
    expect(first.assigned).toBe(moved);

    // Reload: a fresh page starts from the live territories, without the circle.
    await page.reload();
    await ready();
    expect(await page.locator(`[data-testid="territory-row"][data-territory-key="${key}"]`).count()).toBe(0);
    await page.getByTestId("open-by-territory").click();
    const item = page.locator(`[data-testid="draft-item"][data-draft-id="${draftId}"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole("button", { name: "Replot E2E shapes", exact: true }).click();
    await page.getByTestId("replot-info").waitFor({ timeout: 30_000 });
    await mapInSync();
    expect(await rowCount(key)).toBe(moved);

    // The circle is an editable circle again: 4 handles around its centre.
    await chooseTool("Edit shapes");
    centre = await circleCentre();
    await page.mouse.click(centre.x, centre.y);
    await page.waitForFunction(() => document.querySelectorAll(".dragHandleCircle").length === 4, null, { timeout: 10_000 });
    const hs = await handles(page);
    const east = hs.reduce((a, b) => (b.x > a.x ? b : a));
    expect(Math.abs(east.y - centre.y)).toBeLessThan(4);
    await dragFromTo(page, east, { x: east.x + canvas.width * 0.05, y: east.y });
    const edited = await notice();
    expect(edited.territory).toBe(key);
    const joined = Number(edited.joined);
    const left = Number(edited.left);
    // The circle grew (its west edge stays put): more joined than left.
    expect(joined).toBeGreaterThan(left);
    await mapInSync();
    const now = moved + joined - left;
    expect(await rowCount(key)).toBe(now);

    // Stored with the new radius, and the accounts it holds now.
    await chooseTool("Pan");
    await saveOver();
    const second = await storedCircle(draftId, key);
    const resized = parseTerritoryGeometry(second.geometry as never) as { ok: true; kind: string; center: number[]; radiusM: number };
    expect(resized.kind).toBe("circle");
    expect(resized.radiusM).toBeGreaterThan(radius * 1.3);
    expect(second.assigned).toBe(now);
    expect(second.accounts).toBe(now);

    // Delete shape: the territory keeps its accounts, its geometry is gone (stored as null).
    await chooseTool("Delete shape");
    centre = await circleCentre();
    await page.mouse.click(centre.x, centre.y);
    await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement).dataset.dirty === "true", PLAN, { timeout: 10_000 });
    await chooseTool("Pan");
    await saveOver();
    const third = await storedCircle(draftId, key);
    expect(third.geometry).toBeNull();
    expect(third.assigned).toBe(now);
    expect(g.errors).toEqual([]);
    state = { draftId, key, accounts: now };
  });

  it("a draft with a malformed shape still replots: the territory is reported and keeps its accounts", async () => {
    expect(state).not.toBeNull();
    const { draftId, key, accounts } = state as NonNullable<typeof state>;
    const { draft } = await repo.loadDraft(draftId);
    const t = draft.territories.findIndex((x) => x.key === key);
    // Written by something else than the control: a ring of three positions, a circle with a negative radius.
    draft.territories[t] = {
      ...draft.territories[t],
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [-97, 35],
            [-96, 35],
            [-97, 35],
          ],
        ],
      },
    };
    const other = draft.territories.findIndex((x) => x.key !== key);
    draft.territories[other] = {
      ...draft.territories[other],
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [-97, 35],
            [-96, 35],
            [-96, 36],
            [-97, 35],
          ],
        ],
        tmapShape: { kind: "circle", center: [-97, 35], radiusM: -5 },
      },
    };
    const saved = await repo.saveAsNewDraft(draft, { name: "E2E broken shape" });

    await page.getByTestId("open-by-territory").click();
    const item = page.locator(`[data-testid="draft-item"][data-draft-id="${saved.id}"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole("button", { name: "Replot E2E broken shape", exact: true }).click();
    await page.getByTestId("replot-info").waitFor({ timeout: 30_000 });
    const warning = page.locator('[data-testid="design-info"][data-invalid]');
    await warning.waitFor({ timeout: 10_000 });
    expect(await warning.getAttribute("data-invalid")).toBe("2");
    const text = (await warning.textContent()) ?? "";
    expect(text).toContain(`${draft.territories[t].name}: a ring has 3 positions`);
    expect(text).toContain(`${draft.territories[other].name}: the circle's radius`);
    await mapInSync();
    expect(await rowCount(key)).toBe(accounts);
    expect(g.errors).toEqual([]);
  });
});
