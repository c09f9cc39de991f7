/**
 * PROPOSED e2e test (design helper) — drop into tests/e2e/. Verified as a standalone harness on 2026-11-22.
 * DrawingAdapter + DesignLayers on a real azure-maps-control map in headless Chromium, offline: draws a rectangle,
 * a circle, a freehand lasso, a box and a click polygon with the mouse, checks the GeoJSON that comes out (circle
 * with centre + radius, lasso/box transient), Escape → idle, erase, programmatic add/remove, and that the
 * territory / heat / cluster layers are added and removed, and that overlap areas are hatched (in-memory pattern
 * image, checked on screen). MapAdapter on its own page: pin popups on/off (setPinClicksEnabled), pickPoint
 * (click → position; Escape / abort / a second pick → null; no popup meanwhile) and applyPlan pin colours.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { REPO_ROOT } from "../../local/host/devHost";
import { launchChromium, openGuardedPage, type GuardedPage } from "../support/browser";

jest.setTimeout(120_000);

const ENTRY = `
import * as atlas from "azure-maps-control";
import { OFFLINE_STYLE, OFFLINE_THUMBNAIL } from "./TerritoryMapControl/adapters/map/basemap";
import { DrawingAdapter } from "./TerritoryMapControl/adapters/map/DrawingAdapter";
import { TerritoryPolygonLayer, HeatMapView, ClusterView, territoryLegend } from "./TerritoryMapControl/adapters/map/DesignLayers";
const w = window;
w.territoryLegend = territoryLegend;
w.shapes = []; w.erased = [];
const map = new atlas.Map("map", {
  center: [-98, 39], zoom: 4, style: "blank", enableAccessibilityLocationFallback: false, renderWorldCopies: false,
  mapConfiguration: { defaultConfiguration: "blank", configurations: [{ name: "blank", displayName: "Offline", theme: "light", style: OFFLINE_STYLE, thumbnail: OFFLINE_THUMBNAIL }] },
  authOptions: { authType: atlas.AuthenticationType.subscriptionKey, subscriptionKey: "offline" },
});
map.events.add("ready", () => {
  w.adapter = new DrawingAdapter({ map, onShape: (s, phase) => w.shapes.push({ ...s, phase }), onErase: (id) => w.erased.push(id) });
  const polys = new TerritoryPolygonLayer(map);
  polys.setTerritories([{ id: "t1", name: "West", color: "#1f77b4", geometry: { type: "Polygon", coordinates: [[[-110, 35], [-100, 35], [-100, 42], [-110, 42], [-110, 35]]] } }]);
  const n = 2000, lon = new Float64Array(n), lat = new Float64Array(n), wt = new Float32Array(n);
  for (let i = 0; i < n; i++) { lon[i] = -120 + ((i * 7919) % 4500) / 100; lat[i] = 30 + ((i * 104729) % 1500) / 100; wt[i] = (i % 10) / 10; }
  const heat = new HeatMapView(map); heat.setData(lon, lat, wt);
  const clusters = new ClusterView(map, { maxZoom: 6 }); clusters.setData(lon, lat, wt);
  w.layers = { polys, heat, clusters };
  w.map = map;
  w.px = (pos) => map.positionsToPixels(pos);
  w.tmapLayers = () => map.layers.getLayers().map((l) => l.getId()).filter((id) => id.startsWith("tmap-"));
  w.ready = true;
});
`;

let browser: Browser;
let guarded: GuardedPage;

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
  browser = await launchChromium();
  guarded = await openGuardedPage(browser, { width: 1000, height: 700 });
  await guarded.page.setContent(
    `<!doctype html><html><head><style>${css}</style><style>html,body{margin:0}#map{width:1000px;height:700px}</style></head><body><div id="map"></div></body></html>`,
  );
  await guarded.page.addScriptTag({ content: out.outputFiles[0].text });
  await guarded.page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
});

type Drawn = { id: string; kind: string; phase: string; geometry: { coordinates: number[][][] }; center?: number[]; radiusM?: number };

test("draws polygon, rectangle, circle, lasso and box with the mouse and reports GeoJSON", async () => {
  const { page } = guarded;
  const box = (await page.locator("#map canvas").first().boundingBox())!;
  const at = (x: number, y: number): [number, number] => [box.x + x, box.y + y];
  const drag = async (pts: [number, number][]) => {
    await page.mouse.move(...at(...pts[0]));
    await page.mouse.down();
    for (const p of pts.slice(1)) await page.mouse.move(...at(...p), { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  };
  const tool = (t: string) => page.evaluate((x) => (window as never as { adapter: { setTool(t: string): void } }).adapter.setTool(x), t);
  await tool("rectangle");
  await drag([
    [200, 200],
    [350, 320],
  ]);
  await tool("circle");
  await drag([
    [600, 300],
    [680, 300],
  ]);
  await tool("lasso");
  await drag([
    [450, 450],
    [550, 430],
    [600, 500],
    [520, 580],
    [440, 540],
    [452, 455],
  ]);
  await tool("box");
  await drag([
    [700, 450],
    [800, 550],
  ]);
  await tool("polygon");
  for (const p of [
    [100, 500],
    [180, 480],
  ] as [number, number][]) {
    await page.mouse.click(...at(...p));
    await page.waitForTimeout(150);
  }
  await page.mouse.dblclick(...at(160, 600));
  await page.waitForTimeout(300);
  const shapes = await page.evaluate(() => (window as never as { shapes: Drawn[] }).shapes);
  expect(shapes.map((s) => s.kind)).toEqual(["rectangle", "circle", "lasso", "box", "polygon"]);
  expect(shapes.every((s) => s.phase === "complete")).toBe(true);
  expect(shapes[0].geometry.coordinates[0]).toHaveLength(5);
  expect(shapes[1].center).toHaveLength(2);
  expect(shapes[1].radiusM!).toBeGreaterThan(50_000);
  expect(shapes[2].geometry.coordinates[0].length).toBeGreaterThan(5);
  const ring = shapes[2].geometry.coordinates[0];
  expect(ring[0]).toEqual(ring[ring.length - 1]);
  // Lasso and box are transient; territory shapes stay on the map.
  const onMap = await page.evaluate(() => (window as never as { adapter: { shapes(): Drawn[] } }).adapter.shapes().map((s) => s.kind));
  expect(onMap.sort()).toEqual(["circle", "polygon", "rectangle"]);

  // Vertex editing: select the rectangle, drag a corner handle → onShape(…, "changed").
  await tool("edit");
  await page.mouse.click(...at(275, 260));
  await page.waitForTimeout(400);
  const handle = (await page.locator(".dragHandleCircle").first().boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x - 40, handle.y - 40, { steps: 6 });
  await page.mouse.up();
  await page.waitForTimeout(400);
  const changed = (await page.evaluate(() => (window as never as { shapes: Drawn[] }).shapes)).filter((s) => s.phase === "changed");
  expect(changed.length).toBeGreaterThan(0);
  expect(changed[changed.length - 1]).toMatchObject({ id: shapes[0].id, kind: "rectangle" });
  expect(changed[changed.length - 1].geometry.coordinates[0]).not.toEqual(shapes[0].geometry.coordinates[0]);
  await tool("idle");

  // Escape returns to Pan.
  await tool("polygon");
  await page.evaluate(() => document.querySelector("#map")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })));
  expect(await page.evaluate(() => (window as never as { adapter: { getTool(): string } }).adapter.getTool())).toBe("idle");

  // Erase the rectangle.
  await tool("erase");
  await page.mouse.click(...at(275, 260));
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as never as { erased: string[] }).erased)).toEqual([shapes[0].id]);
  expect(guarded.blocked).toEqual([]);
});

test("selection tools draw again and again: lasso, lasso, box, box, lasso → box → lasso", async () => {
  const { page } = guarded;
  const box = (await page.locator("#map canvas").first().boundingBox())!;
  const at = (x: number, y: number): [number, number] => [box.x + x, box.y + y];
  const drag = async (pts: [number, number][]) => {
    await page.mouse.move(...at(...pts[0]));
    await page.mouse.down();
    for (const p of pts.slice(1)) await page.mouse.move(...at(...p), { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  };
  const tool = (t: string) => page.evaluate((x) => (window as never as { adapter: { setTool(t: string): void } }).adapter.setTool(x), t);
  const lasso = (dx: number) =>
    drag([
      [300 + dx, 300],
      [380 + dx, 280],
      [420 + dx, 350],
      [360 + dx, 420],
      [290 + dx, 380],
      [302 + dx, 305],
    ]);
  const kinds = async () => {
    const all = await page.evaluate(() => (window as never as { shapes: Drawn[] }).shapes);
    return all
      .slice(start)
      .filter((s) => s.phase === "complete")
      .map((s) => s.kind);
  };
  await tool("idle");
  const start = await page.evaluate(() => (window as never as { shapes: Drawn[] }).shapes.length);
  const before = await page.evaluate(() => (window as never as { adapter: { shapes(): Drawn[] } }).adapter.shapes().length);

  // Two lassos in a row, without touching the tool in between.
  await tool("lasso");
  await lasso(0);
  await lasso(60);
  expect(await kinds()).toEqual(["lasso", "lasso"]);
  expect(await page.evaluate(() => (window as never as { adapter: { getTool(): string } }).adapter.getTool())).toBe("lasso");

  // Two boxes in a row.
  await tool("box");
  await drag([
    [300, 300],
    [400, 400],
  ]);
  await drag([
    [420, 300],
    [520, 420],
  ]);
  expect(await kinds()).toEqual(["lasso", "lasso", "box", "box"]);

  // Lasso → box → lasso.
  await tool("lasso");
  await lasso(0);
  await tool("box");
  await drag([
    [300, 300],
    [400, 400],
  ]);
  await tool("lasso");
  await lasso(40);
  expect(await kinds()).toEqual(["lasso", "lasso", "box", "box", "lasso", "box", "lasso"]);

  // Selection shapes never stay on the map.
  expect(await page.evaluate(() => (window as never as { adapter: { shapes(): Drawn[] } }).adapter.shapes().length)).toBe(before);
  await tool("idle");
  expect(guarded.errors).toEqual([]);
});

test("overlap areas are hatched (in-memory pattern image) with an outline", async () => {
  const { page } = guarded;
  type M = {
    map: {
      imageSprite: { hasImage(id: string): boolean };
      layers: { getLayers(): { getId(): string; getOptions(): Record<string, unknown> }[] };
      events: { addOnce(e: string, f: () => void): void };
    };
    layers: {
      polys: { setOverlaps(a: unknown[]): number; overlapCount: number };
      heat: { setVisible(v: boolean): void };
      clusters: { setVisible(v: boolean): void };
    };
  };
  // Two overlap areas east of everything else on this map (and a null, which is skipped).
  const drawn = await page.evaluate(() => {
    const w = window as never as M;
    w.layers.heat.setVisible(false);
    w.layers.clusters.setVisible(false);
    return w.layers.polys.setOverlaps([
      {
        type: "Polygon",
        coordinates: [
          [
            [-88, 29.5],
            [-82, 29.5],
            [-82, 33.5],
            [-88, 33.5],
            [-88, 29.5],
          ],
        ],
      },
      {
        type: "MultiPolygon",
        coordinates: [
          [
            [
              [-80, 44],
              [-78, 44],
              [-78, 45],
              [-80, 45],
              [-80, 44],
            ],
          ],
        ],
      },
      null,
    ]);
  });
  expect(drawn).toBe(2);
  expect(await page.evaluate(() => (window as never as M).layers.polys.overlapCount)).toBe(2);
  const info = await page.evaluate(() => {
    const w = window as never as M;
    const layers = w.map.layers.getLayers().filter((l) => l.getId().includes("overlap"));
    return {
      sprite: w.map.imageSprite.hasImage("tmap-overlap-hatch"),
      layers: layers.map((l) => ({
        id: l.getId(),
        pattern: l.getOptions().fillPattern ?? null,
        stroke: l.getOptions().strokeColor ?? null,
      })),
    };
  });
  expect(info.sprite).toBe(true);
  expect(info.layers.find((l) => l.id.includes("overlap-fill"))?.pattern).toBe("tmap-overlap-hatch");
  expect(info.layers.find((l) => l.id.includes("overlap-line"))?.stroke).toBe("#d13438");
  // On screen: inside the first area, stripes — both strongly red pixels and much lighter ones — not a flat tint.
  await page.waitForTimeout(1000);
  const canvasBox = (await page.locator("#map canvas").first().boundingBox())!;
  const [[x0, y0], [x1, y1]] = await page.evaluate(() =>
    (window as never as { px(p: number[][]): number[][] }).px([
      [-87, 33],
      [-83, 30],
    ]),
  );
  const png = await page.screenshot({ clip: { x: canvasBox.x + x0, y: canvasBox.y + y0, width: x1 - x0, height: y1 - y0 } });
  const counts = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let red = 0;
    let light = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] > 170 && d[i + 1] < 110 && d[i + 2] < 110) red++;
      else if (d[i + 1] > 150 && d[i + 2] > 150) light++;
    }
    return { red, light, total: d.length / 4 };
  }, png.toString("base64"));
  expect(counts.red / counts.total).toBeGreaterThan(0.15);
  expect(counts.light / counts.total).toBeGreaterThan(0.15);
  await page.evaluate(() => {
    const w = window as never as M;
    w.layers.heat.setVisible(true);
    w.layers.clusters.setVisible(true);
  });
  // Legend: a hatched overlap row only when there are overlaps.
  const legends = await page.evaluate(() => {
    const f = (
      window as never as {
        territoryLegend(t: unknown[], u: unknown, o?: unknown): { label: string; color: string; count: number | null; pattern?: string }[];
      }
    ).territoryLegend;
    const t = [{ name: "West", color: "#1f77b4", accounts: 10 }];
    return [f(t, null, { label: "Overlaps", areas: 2, accounts: 7 }), f(t, null, { label: "Overlaps", areas: 0, accounts: 0 }), f(t, null)];
  });
  expect(legends[0][1]).toEqual({ label: "Overlaps", color: "#d13438", count: 7, pattern: "hatch" });
  expect(legends[1]).toHaveLength(1);
  expect(legends[2]).toHaveLength(1);
  expect(guarded.errors).toEqual([]);
});

test("design layers are added and removed", async () => {
  const { page } = guarded;
  const ids = await page.evaluate(() => (window as never as { tmapLayers(): string[] }).tmapLayers());
  expect(ids.some((id) => id.includes("territory-fill"))).toBe(true);
  expect(ids.some((id) => id.includes("heat-layer"))).toBe(true);
  expect(ids.some((id) => id.includes("cluster-bubbles"))).toBe(true);
  await page.evaluate(() => {
    const w = window as never as { layers: Record<string, { dispose(): void }> };
    Object.values(w.layers).forEach((l) => l.dispose());
  });
  expect(await page.evaluate(() => (window as never as { tmapLayers(): string[] }).tmapLayers())).toEqual([]);
  expect(guarded.errors).toEqual([]);
});

// MapAdapter on its own page: pickPoint (crosshair, click → position, Escape / abort / second call → null) and
// setPinClicksEnabled (no popup, no pointer cursor), with a few real pins.
const ADAPTER_ENTRY = `
import { MapAdapter } from "./TerritoryMapControl/adapters/map/MapAdapter";
import { TerritoryColors } from "./TerritoryMapControl/domain/palette";
const w = window;
const colors = new TerritoryColors();
const pins = [[-100, 40], [-90, 35], [-110, 45]];
const accounts = pins.map(([lon, lat], k) => ({ id: "a" + k, name: "Account " + k, latitude: lat, longitude: lon, placement: "placed",
  postalCode: null, city: null, state: null, territoryId: k === 0 ? "t1" : null, ownerId: null, measures: [] }));
const adapter = new MapAdapter({ container: document.getElementById("map"), subscriptionKey: null, center: { latitude: 39, longitude: -98 }, zoom: 4,
  colors, labels: { territory: "Territory", unassigned: "Unassigned", location: "Location", parent: "Parent territory", owner: "Owner",
    openRecord: "Open record", openRecordOf: "Open the record of {0}", more: "…and {0} more" }, territoryName: (id) => id ?? "Unassigned" });
adapter.addAccounts(accounts);
w.adapter = adapter;
w.pick = (opts) => { w.picked = undefined; const p = adapter.pickPoint(opts); p.then((r) => { w.picked = r; }); return undefined; };
adapter.whenIdle().then(() => { w.ready = true; });
`;

describe("MapAdapter pickPoint and pin clicks", () => {
  let page2: GuardedPage;
  type W = {
    adapter: {
      pickPoint(o?: object): Promise<unknown>;
      setPinClicksEnabled(e: boolean): void;
      pixelsOf(p: [number, number][]): [number, number][];
    };
    pick(o?: { prompt?: string; abort?: boolean }): void;
    picked: { latitude: number; longitude: number } | null | undefined;
    controller?: AbortController;
  };
  const pinPixel = (lon: number, lat: number) =>
    page2.page.evaluate((p) => (window as never as W).adapter.pixelsOf([p])[0], [lon, lat] as [number, number]);
  // A closed atlas popup stays in the DOM with the class hidden-accessible-element.
  const popupOpen = () =>
    page2.page.evaluate(() =>
      [...document.querySelectorAll(".tmap-popup")].some(
        (e) => !e.closest(".popup-container")!.classList.contains("hidden-accessible-element"),
      ),
    );
  const cursor = () =>
    page2.page.evaluate(
      () => (document.querySelector("#map .atlas-map-canvas-container, #map .maplibregl-canvas-container") as HTMLElement).style.cursor,
    );
  const picked = () => page2.page.evaluate(() => (window as never as W).picked);

  beforeAll(async () => {
    const out = await build({
      stdin: { contents: ADAPTER_ENTRY, resolveDir: REPO_ROOT, loader: "ts" },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      loader: { ".css": "empty" },
      logLevel: "error",
    });
    const css = readFileSync(join(REPO_ROOT, "node_modules", "azure-maps-control/dist/atlas.min.css"), "utf8");
    page2 = await openGuardedPage(browser, { width: 1000, height: 700 });
    await page2.page.setContent(
      `<!doctype html><html><head><style>${css}</style><style>html,body{margin:0}#map{width:1000px;height:700px}</style></head><body><div id="map"></div></body></html>`,
    );
    await page2.page.addScriptTag({ content: out.outputFiles[0].text });
    await page2.page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
  });

  afterAll(async () => {
    await page2?.context.close();
  });

  test("pin clicks open a popup only while enabled; no pointer cursor while disabled", async () => {
    const { page } = page2;
    const box = (await page.locator("#map canvas").first().boundingBox())!;
    const [x, y] = await pinPixel(-100, 40);
    await page.mouse.move(box.x + x, box.y + y);
    await page.waitForTimeout(200);
    expect(await cursor()).toBe("pointer");
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForTimeout(300);
    expect(await popupOpen()).toBe(true);
    expect(await page.evaluate(() => document.querySelector(".tmap-popup")!.textContent)).toContain("Account 0");

    await page.evaluate(() => (window as never as W).adapter.setPinClicksEnabled(false));
    expect(await popupOpen()).toBe(false); // disabling closes an open popup
    await page.mouse.move(box.x + 10, box.y + 10);
    await page.mouse.move(box.x + x, box.y + y, { steps: 3 });
    await page.waitForTimeout(200);
    expect(await cursor()).not.toBe("pointer");
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForTimeout(300);
    expect(await popupOpen()).toBe(false);

    await page.evaluate(() => (window as never as W).adapter.setPinClicksEnabled(true));
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForTimeout(300);
    expect(await popupOpen()).toBe(true);
    expect(page2.errors).toEqual([]);
  });

  test("pickPoint: crosshair + prompt, a click resolves its position, pins open no popup meanwhile", async () => {
    const { page } = page2;
    const box = (await page.locator("#map canvas").first().boundingBox())!;
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.evaluate(() => document.querySelector<HTMLElement>(".popup-close")?.click());
    expect(await popupOpen()).toBe(false);
    await page.evaluate(() => (window as never as W).pick({ prompt: "Click the map to place the rep's home base" }));
    expect(await cursor()).toBe("crosshair");
    expect(await page.evaluate(() => document.querySelector("#map .tmap-map-live[aria-live]")?.textContent ?? null)).toBe(
      "Click the map to place the rep's home base",
    );
    // Click right on a pin: the position comes back, no popup opens.
    const [x, y] = await pinPixel(-90, 35);
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForTimeout(300);
    const p = await picked();
    expect(p).not.toBeNull();
    expect(p!.longitude).toBeCloseTo(-90, 0);
    expect(p!.latitude).toBeCloseTo(35, 0);
    expect(await popupOpen()).toBe(false);
    expect(await cursor()).not.toBe("crosshair");
    expect(await page.evaluate(() => document.querySelector(".tmap-map-live")!.textContent)).toBe("");

    // An empty spot: its position.
    await page.evaluate(() => (window as never as W).pick());
    const [ex, ey] = await pinPixel(-80, 30);
    await page.mouse.click(box.x + ex, box.y + ey);
    await page.waitForTimeout(300);
    const q = await picked();
    expect(q!.longitude).toBeCloseTo(-80, 0);
    expect(q!.latitude).toBeCloseTo(30, 0);
    expect(page2.errors).toEqual([]);
  });

  test("applyPlan colours the pins by the working plan; the popup says what the pin describer gives (territory, owner, measures)", async () => {
    const { page } = page2;
    const box = (await page.locator("#map canvas").first().boundingBox())!;
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.evaluate(() => document.querySelector<HTMLElement>(".popup-close")?.click());
    /** Colour of the pin at [lon, lat]: the most saturated pixel of the 5×5 pixels around its centre. */
    const pinColor = async (lon: number, lat: number): Promise<[number, number, number]> => {
      const [x, y] = await pinPixel(lon, lat);
      const png = await page.screenshot({ clip: { x: box.x + Math.round(x) - 2, y: box.y + Math.round(y) - 2, width: 5, height: 5 } });
      return page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let best: [number, number, number] = [0, 0, 0];
        let sat = -1;
        for (let i = 0; i < d.length; i += 4) {
          const s = Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
          if (s > sat) {
            sat = s;
            best = [d[i], d[i + 1], d[i + 2]];
          }
        }
        return best;
      }, png.toString("base64"));
    };
    // Plan: a0 → territory 0 (red), a1 → territory 1 (blue), a2 unassigned (grey).
    const apply = (plan: Record<string, number>, changed: string[] | null) =>
      page.evaluate(
        ([p, c]) => {
          const w = window as never as {
            adapter: { applyPlan(col: unknown, ch: string[] | null): Promise<void>; setPinDescriber(d: unknown): void };
            plan: Record<string, number>;
          };
          w.plan = p;
          // The popup describes an account by the planning layer's describer (territory, owner, measures).
          w.adapter.setPinDescriber((id: string) => ({
            territory: w.plan[id] === 0 ? "Planned Red" : w.plan[id] === 1 ? "Planned Blue" : "Unassigned",
            color: "#000000",
            parent: "Planned Region",
            owner: "Planned Owner",
            measures: [{ name: "revenue", value: "7" }],
          }));
          return w.adapter.applyPlan({ territoryOf: (id: string) => w.plan[id] ?? -1, colors: ["#ff0000", "#0000ff"] }, c);
        },
        [plan, changed] as const,
      );
    await apply({ a0: 0, a1: 1 }, null);
    const [r0, g0, b0] = await pinColor(-100, 40);
    expect(r0).toBeGreaterThan(180);
    expect(Math.max(g0, b0)).toBeLessThan(120);
    const [r1, g1, b1] = await pinColor(-90, 35);
    expect(b1).toBeGreaterThan(180);
    expect(Math.max(r1, g1)).toBeLessThan(120);
    const [r2, g2, b2] = await pinColor(-110, 45);
    expect(Math.max(r2, g2, b2) - Math.min(r2, g2, b2)).toBeLessThan(40); // grey
    // Move a0 to blue (only its page is recoloured), a2 stays grey.
    await apply({ a0: 1, a1: 1 }, ["a0"]);
    const [r3, , b3] = await pinColor(-100, 40);
    expect(b3).toBeGreaterThan(180);
    expect(r3).toBeLessThan(120);
    const [x, y] = await pinPixel(-100, 40);
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForTimeout(300);
    const popupText = (await page.evaluate(() => document.querySelector(".tmap-popup")!.textContent)) ?? "";
    for (const part of ["Territory: Planned Blue", "Planned Region", "Owner: Planned Owner", "revenue: 7"])
      expect(popupText).toContain(part);
    await page.evaluate(() => document.querySelector<HTMLElement>(".popup-close")?.click());
    expect(page2.errors).toEqual([]);
  });

  test("pickPoint resolves null on Escape, on abort and when another pick starts", async () => {
    const { page } = page2;
    const box = (await page.locator("#map canvas").first().boundingBox())!;
    await page.evaluate(() => (window as never as W).pick());
    await page.evaluate(() =>
      document.querySelector("#map")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })),
    );
    await page.waitForTimeout(50);
    expect(await picked()).toBeNull();
    expect(await cursor()).not.toBe("crosshair");

    await page.evaluate(() => {
      const w = window as never as W;
      w.controller = new AbortController();
      w.pick({ signal: w.controller.signal } as never);
    });
    await page.evaluate(() => (window as never as W).controller!.abort());
    await page.waitForTimeout(50);
    expect(await picked()).toBeNull();

    // A second pick cancels the first (null); the click then resolves the second.
    const results = await page.evaluate(async () => {
      const a = (window as never as W).adapter;
      const first = a.pickPoint();
      const second = a.pickPoint();
      const r1 = await first;
      (window as never as { second?: Promise<unknown> }).second = second;
      return r1;
    });
    expect(results).toBeNull();
    await page.mouse.click(box.x + 500, box.y + 350);
    const r2 = await page.evaluate(() => (window as never as { second: Promise<{ latitude: number; longitude: number } | null> }).second);
    expect(r2).not.toBeNull();
    expect(Math.abs(r2!.longitude - -98)).toBeLessThan(1);

    // After a pick, a plain click does nothing special (no pending pick, pins behave again).
    const [x, y] = await pinPixel(-110, 45);
    await page.mouse.click(box.x + x, box.y + y);
    await page.waitForTimeout(300);
    expect(await popupOpen()).toBe(true);
    expect(page2.errors).toEqual([]);
    expect(page2.blocked).toEqual([]);
  });
});
