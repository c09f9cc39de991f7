import * as atlas from "azure-maps-control";
import "azure-maps-control/dist/atlas.min.css";
import type { Account } from "../../domain/accounts";
import type { DesignEvents, DesignMapParts, MapOptions, MapPort, PinDescriber, PlanColoring } from "../../app/ports/map";
import { PALETTE, UNASSIGNED_COLOR } from "../../domain/palette";
import { OFFLINE_STYLE, OFFLINE_THUMBNAIL, usStates } from "./basemap";
import { popupContent } from "./popup";
import { DrawingAdapter } from "./DrawingAdapter";
import { ClusterView, HEAT_GRADIENT, HeatMapView, TerritoryPolygonLayer } from "./DesignLayers";

export type { PopupLabels } from "./popup";
export type { DesignMapParts, PlanColoring } from "../../app/ports/map";

export interface MapAdapterOptions extends MapOptions {
  container: HTMLElement;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Palette slot (`t` on each point) → colour; -1 / anything else → unassigned grey. */
function colorExpression(): NonNullable<atlas.BubbleLayerOptions["color"]> {
  const match: unknown[] = ["match", ["get", "t"]];
  PALETTE.forEach((color, slot) => match.push(slot, color));
  match.push(UNASSIGNED_COLOR);
  return match as NonNullable<atlas.BubbleLayerOptions["color"]>;
}

interface PageLayer {
  source: atlas.source.DataSource;
  layer: atlas.layer.BubbleLayer;
  /** Index in `accounts` of the first point; the page holds accounts base … base + count - 1. */
  base: number;
  count: number;
}

const yieldTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function sameColors(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Upper bound of accounts merged into one DataSource when several pages wait for the map. */
const MAX_BATCH = 50_000;
/** After the first source, wait for this many accounts before adding the next source… */
const MIN_BATCH = 30_000;
/**
 * …or until the oldest waiting page has waited this long (ms), so the map keeps filling in while pages load.
 * Measured (100k accounts, software WebGL): each presented frame costs ~150 ms because the compositor reads the
 * WebGL canvas back (GLES2::ReadPixels waits for the whole frame), and every new source costs a few frames.
 * At 800 ms pages (~450 ms apart) were flushed two at a time: ~10 sources, 37 frames, all points in 11–12 s;
 * at 2,000 ms: ~5 sources, 24–26 frames, 9–10.5 s, the map still updating every ~2 s.
 */
const MAX_HOLD_MS = 2000;

/**
 * The map port over azure-maps-control (Azure Maps Web SDK): account pins, plan colours, highlight, popups, picking
 * a point, and the design parts (DrawingAdapter, DesignLayers) on the same map.
 *
 * Rendering strategy for up to ~100k accounts (measured with software WebGL): pages go into their OWN
 * DataSource + BubbleLayer, one source at a time. Adding to one growing DataSource would re-tile everything
 * added so far on each page (quadratic work while loading). MapLibre tiles all GeoJSON sources in one worker
 * (two cores), so the next source is only handed over once the previous one is loaded; pages that arrive
 * meanwhile are merged into the next source (≤ MAX_BATCH points). The first page therefore reaches the screen
 * without waiting behind later pages, and 100k accounts end up in a handful of sources/layers.
 * The pin sources are never clustered (a clustered source re-indexes on every add): small, semi-transparent bubbles
 * at low zoom show density and grow with the zoom; the heat map and the cluster view are separate layers the design
 * tools turn on. Points carry only `t` (palette slot) and `i` (index into `accounts`) to keep the heap small.
 */
export class MapAdapter implements MapPort {
  private readonly map: atlas.Map;
  private readonly options: MapAdapterOptions;
  private readonly pages: PageLayer[] = [];
  /** Every plotted account; a point's `i` indexes this array. */
  private readonly accounts: Account[] = [];
  /** accounts[i].id in lower case (the plan's key), computed once. */
  private readonly lowerIds: string[] = [];
  /** Accounts accepted but not yet handed to the map (`base` = index of the first one in `accounts`). */
  private backlog: { accounts: Account[]; base: number }[] = [];
  /** The source the map is loading now, and how many accounts it holds. */
  private inFlight: { id: string; count: number } | null = null;
  /** Accounts whose source the map has finished loading. */
  private loadedCount = 0;
  private renderWaiters: { target: number; resolve: () => void }[] = [];
  /** No more pages are coming (whenIdle was called): hand everything over without waiting for MIN_BATCH. */
  private complete = false;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the oldest page in the backlog arrived (performance.now()). */
  private backlogSince = 0;
  private idleWaiters: (() => void)[] = [];
  private popup: atlas.Popup | null = null;
  private isReady = false;
  private disposed = false;
  private resizeObserver: ResizeObserver | null = null;
  /** Pin colour by palette slot (`t`), used until the working plan colours the map. */
  private readonly paletteExpr: NonNullable<atlas.BubbleLayerOptions["color"]> = colorExpression();
  /** Set once the working plan colours the map (applyPlan); null = Dynamics territories via the palette. */
  private coloring: PlanColoring | null = null;
  /** Plan recolouring not done yet: every page (`all`) or the pages holding these account ids; resolved by the loop. */
  private planWork: { all: boolean; ids: string[][]; waiters: (() => void)[] } | null = null;
  private planRunning = false;
  /** account id → index in `accounts` (built on first use). */
  private idIndex: Map<string, number> | null = null;
  private highlight: { source: atlas.source.DataSource; layer: atlas.layer.BubbleLayer } | null = null;
  /** Pins are hidden below this zoom (clusters shown instead); 0 = always shown. */
  private pinsMinZoom = 0;
  /** false = pin clicks open no popup and hovering a pin sets no pointer cursor (see setPinClicksEnabled). */
  private pinClicksEnabled = true;
  /** The pending pickPoint, if any (cancel resolves it with null and restores the cursor). */
  private picking: { cancel: () => void } | null = null;
  /** The DOM event of the click that resolved the last pickPoint (the pin layers' handler ignores it too). */
  private pickedEvent: Event | undefined;
  /** Visually hidden aria-live region on the map container (created on first pickPoint). */
  private liveRegion: HTMLElement | null = null;
  /** Resolves when the map fired 'ready' (style and basemap in place). */
  public readonly ready: Promise<void>;

  public constructor(options: MapAdapterOptions) {
    this.options = options;
    const key = options.subscriptionKey;
    const common: atlas.ServiceOptions & atlas.CameraOptions & atlas.StyleOptions & atlas.UserInteractionOptions = {
      center: [options.center.longitude, options.center.latitude],
      zoom: options.zoom,
      renderWorldCopies: false,
      showFeedbackLink: false,
      showLogo: false,
      disableTelemetry: true,
    };
    if (key) {
      this.map = new atlas.Map(options.container, {
        ...common,
        style: "road",
        authOptions: { authType: atlas.AuthenticationType.subscriptionKey, subscriptionKey: key },
      });
    } else {
      // Offline: an inline style object means no style definitions are fetched; the auth key is never sent.
      this.map = new atlas.Map(options.container, {
        ...common,
        style: "blank",
        enableAccessibilityLocationFallback: false,
        mapConfiguration: {
          defaultConfiguration: "blank",
          configurations: [{ name: "blank", displayName: "Offline", theme: "light", style: OFFLINE_STYLE, thumbnail: OFFLINE_THUMBNAIL }],
        },
        authOptions: { authType: atlas.AuthenticationType.subscriptionKey, subscriptionKey: "offline" },
      });
    }
    this.ready = new Promise<void>((resolve) => {
      this.map.events.addOnce("ready", () => {
        if (this.disposed) return;
        this.onReady();
        resolve();
      });
    });
    this.map.events.add("sourcedata", (e: atlas.MapDataEvent) => {
      if (e.isSourceLoaded && e.source && this.inFlight && e.source.getId() === this.inFlight.id) this.onSourceLoaded();
    });
    // The first frame after a waiter's accounts are loaded is the one that shows them.
    this.map.events.add("render", () => this.flushRenderWaiters(false));
    this.map.events.add("idle", () => {
      if (this.inFlight) this.onSourceLoaded(); // idle implies every source is loaded
      if (this.inFlight || this.backlog.length > 0) return;
      this.flushRenderWaiters(true);
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    });
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObserver = new ResizeObserver(() => this.resize());
      this.resizeObserver.observe(options.container);
    }
  }

  /** Number of accounts plotted (accepted for the map) so far. */
  public get plottedCount(): number {
    return this.accounts.length;
  }

  /**
   * Plots the placed accounts of one page (others are ignored) and returns how many were plotted.
   * Pages are handed to the map one source at a time (see the class comment); before 'ready' they wait.
   */
  public addAccounts(accounts: readonly Account[]): number {
    const placed = accounts.filter((a) => a.placement === "placed");
    if (placed.length === 0 || this.disposed) return 0;
    if (this.backlog.length === 0) this.backlogSince = now();
    this.backlog.push({ accounts: placed, base: this.accounts.length });
    for (const a of placed) {
      this.accounts.push(a);
      this.lowerIds.push(a.id.toLowerCase());
    }
    this.pump();
    return placed.length;
  }

  /**
   * Resolves on the first frame drawn after every account added so far is loaded into the map (or on 'idle').
   * Accounts added later do not delay it, so "first points on screen" is measurable while loading goes on.
   */
  public whenRendered(): Promise<void> {
    const target = this.accounts.length;
    return this.ready.then(
      () =>
        new Promise<void>((resolve) => {
          if (this.disposed) return resolve();
          this.renderWaiters.push({ target, resolve });
          this.map.triggerRepaint();
        }),
    );
  }

  /**
   * Resolves when every account added so far is loaded and drawn and the map is idle. Call it once all pages
   * have been added: it also stops waiting for fuller batches.
   */
  public async whenIdle(): Promise<void> {
    this.complete = true;
    await this.ready;
    this.pump();
    return new Promise((resolve) => {
      if (this.disposed) return resolve();
      this.idleWaiters.push(resolve);
      this.map.triggerRepaint();
    });
  }

  /**
   * Colours the map by the working plan. Points are never rewritten: each page's layer gets a colour lookup by
   * account index (`["match", ["get", "i"], [indexes…], colour, …]`), so MapLibre only re-evaluates the colour
   * on its worker (no GeoJSON re-serialised, re-indexed or re-tiled, no atlas Shapes rebuilt on the main thread).
   * The first call, `changedIds` null or a changed colour list recolour every page; otherwise only the pages
   * holding `changedIds`. The work is split into short tasks (see runPlanWork), so the caller's own update
   * reaches the screen first and the page stays responsive. Calls made while a recolouring runs are merged into
   * it (the colours are read from the latest `coloring` when each page's expression is built).
   * Resolves when the map has drawn the result (idle).
   */
  public applyPlan(coloring: PlanColoring, changedIds: Iterable<string> | null): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const all = this.coloring === null || changedIds === null || !sameColors(this.coloring.colors, coloring.colors);
    this.coloring = coloring;
    const ids = changedIds === null ? null : Array.from(changedIds);
    return new Promise<void>((resolve) => {
      const work = (this.planWork ??= { all: false, ids: [], waiters: [] });
      if (all) {
        work.all = true;
        work.ids = [];
      } else if (!work.all && ids) work.ids.push(ids);
      work.waiters.push(resolve);
      if (!this.planRunning) void this.runPlanWork();
    });
  }

  /**
   * Recolours the dirty pages: their colour expressions are built one page per task (nothing changes on screen
   * meanwhile, so no frame is drawn in between), then handed to the layers together — within a ~50 ms budget per
   * task — so MapLibre re-evaluates every source in one go and the map is redrawn in as few frames as possible
   * (with software WebGL each frame of 100k pins costs 150 ms or more). Then waits for the map to be idle and
   * resolves the callers.
   */
  private async runPlanWork(): Promise<void> {
    this.planRunning = true;
    const dirty = new Set<number>();
    const ready = new Map<number, NonNullable<atlas.BubbleLayerOptions["color"]>>();
    let waiters: (() => void)[] = [];
    try {
      // A later task: the caller's own update (e.g. the card's totals after a move) reaches the screen first.
      await yieldTask();
      while (!this.disposed && (this.planWork || dirty.size > 0 || ready.size > 0 || waiters.length > 0)) {
        const work = this.planWork;
        this.planWork = null;
        if (work) {
          waiters = waiters.concat(work.waiters);
          const add = (k: number): void => {
            dirty.add(k);
            ready.delete(k); // built from an older plan
          };
          if (work.all) this.pages.forEach((_, k) => add(k));
          else if (work.ids.length > 0) {
            const index = this.accountIndex();
            for (const list of work.ids) {
              for (const id of list) {
                const i = index.get(id);
                if (i === undefined) continue; // not plotted (no coordinates)
                const k = this.pageOf(i);
                if (k >= 0) add(k); // pages still in the backlog get the plan's colours when plotted
              }
            }
          }
        }
        if (dirty.size > 0) {
          const k = Math.min(...dirty);
          dirty.delete(k);
          ready.set(k, this.planExpression(this.pages[k]));
          await yieldTask();
          continue;
        }
        if (ready.size > 0) {
          const started = now();
          for (const [k, color] of ready) {
            ready.delete(k);
            this.pages[k].layer.setOptions({ color });
            if (now() - started > 50) break;
          }
          await yieldTask();
          continue;
        }
        try {
          performance.mark("tmap:plan-shapes-set");
        } catch {
          // diagnostics only
        }
        await this.whenIdle();
        if (this.planWork) continue; // more came in while the map drew: resolve everyone once that is drawn too
        const done = waiters;
        waiters = [];
        for (const w of done) w();
      }
    } finally {
      this.planRunning = false;
      // Disposed (or stopped): nobody waits for a map that is gone.
      for (const w of waiters.concat(this.planWork?.waiters ?? [])) w();
      if (this.disposed) this.planWork = null;
    }
  }

  /** Colour expression of one page from the working plan (see applyPlan); the largest colour group is the fallback. */
  private planExpression(page: { base: number; count: number }): NonNullable<atlas.BubbleLayerOptions["color"]> {
    const coloring = this.coloring;
    if (!coloring) return this.paletteExpr;
    const { colors, territoryOf } = coloring;
    const groups = new Map<string, number[]>();
    for (let i = page.base; i < page.base + page.count; i++) {
      const t = territoryOf(this.lowerIds[i]);
      const color = t >= 0 && t < colors.length ? colors[t] : UNASSIGNED_COLOR;
      let g = groups.get(color);
      if (!g) groups.set(color, (g = []));
      g.push(i);
    }
    let fallback = UNASSIGNED_COLOR;
    let largest = -1;
    for (const [color, g] of groups) {
      if (g.length > largest) {
        largest = g.length;
        fallback = color;
      }
    }
    groups.delete(fallback);
    if (groups.size === 0) return fallback;
    const match: unknown[] = ["match", ["get", "i"]];
    for (const [color, g] of groups) match.push(g, color);
    match.push(fallback);
    return match as NonNullable<atlas.BubbleLayerOptions["color"]>;
  }

  /**
   * Outlines the given accounts (e.g. those a comparison says move); empty / null clears the highlight.
   * Returns how many were found on the map.
   */
  public setHighlight(accountIds: Iterable<string> | null): number {
    if (this.disposed || !this.isReady) return 0;
    const index = this.accountIndex();
    const features: atlas.data.Feature<atlas.data.Point, object>[] = [];
    if (accountIds) {
      for (const id of accountIds) {
        const i = index.get(id);
        if (i === undefined) continue;
        const a = this.accounts[i];
        features.push({
          type: "Feature",
          geometry: { type: "Point", coordinates: [a.longitude as number, a.latitude as number] },
          properties: {},
        });
      }
    }
    if (!this.highlight) {
      const source = new atlas.source.DataSource("tmap-highlight");
      const layer = new atlas.layer.BubbleLayer(source, "tmap-highlight-layer", {
        color: "rgba(0,0,0,0)",
        radius: ["interpolate", ["linear"], ["zoom"], 2, 5, 6, 7, 10, 10, 15, 14],
        strokeColor: "#111111",
        strokeWidth: 2,
        opacity: 1,
      });
      this.map.sources.add(source);
      this.map.layers.add(layer);
      this.highlight = { source, layer };
    }
    this.highlight.source.setShapes(features);
    return features.length;
  }

  /** Accounts currently highlighted. */
  public get highlightedCount(): number {
    return this.highlight ? this.highlight.source.getShapes().length : 0;
  }

  private accountIndex(): Map<string, number> {
    if (!this.idIndex || this.idIndex.size !== this.accounts.length) {
      this.idIndex = new Map(this.lowerIds.map((id, i) => [id, i]));
    }
    return this.idIndex;
  }

  /** Page holding account index i (pages are in `accounts` order), or -1 when it is still in the backlog. */
  private pageOf(i: number): number {
    let lo = 0;
    let hi = this.pages.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.pages[mid];
      if (i < p.base) hi = mid - 1;
      else if (i >= p.base + p.count) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /**
   * The map once it is ready (null after dispose): the design tools attach the DrawingAdapter and DesignLayers
   * (both in this folder) to it. Components never touch it themselves.
   */
  public async whenMapReady(): Promise<atlas.Map | null> {
    await this.ready;
    return this.disposed ? null : this.map;
  }

  /** Creates the design tools' map parts once the map is ready (null when the adapter was disposed first). */
  public async createDesignParts(options: DesignEvents): Promise<DesignMapParts | null> {
    const map = await this.whenMapReady();
    if (!map) return null;
    const drawing = new DrawingAdapter({ ...options, map });
    const outlines = new TerritoryPolygonLayer(map, { before: this.firstPinLayerId });
    outlines.setVisible(false);
    let heat: HeatMapView | null = null;
    let clusters: ClusterView | null = null;
    return {
      drawing,
      outlines,
      heat: () => (heat ??= new HeatMapView(map, { before: this.firstPinLayerId })),
      clusters: () => (clusters ??= new ClusterView(map, { maxZoom: 6, before: this.firstPinLayerId })),
      heatGradient: HEAT_GRADIENT,
      dispose: () => {
        if (this.disposed) return; // the map and everything on it is gone already
        drawing.dispose();
        outlines.dispose();
        heat?.dispose();
        clusters?.dispose();
        this.setPinsMinZoom(0);
      },
    };
  }

  /**
   * Account pins are drawn from this zoom on (0 = at every zoom); below it the cluster view takes over
   * (DesignLayers.ClusterView with maxZoom = this value).
   */
  public setPinsMinZoom(minZoom: number): void {
    this.pinsMinZoom = minZoom;
    for (const page of this.pages) page.layer.setOptions({ minZoom });
  }

  /** Id of the first account layer (design layers are added below it), or undefined before the first page. */
  public get firstPinLayerId(): string | undefined {
    return this.pages[0]?.layer.getId();
  }

  /**
   * Pin clicks on or off: while off, clicking a pin opens no popup and hovering one sets no pointer cursor
   * (the design tools turn them off while a drawing tool is active).
   */
  public setPinClicksEnabled(enabled: boolean): void {
    this.pinClicksEnabled = enabled;
    if (!enabled) this.popup?.close();
    if (!enabled && !this.picking && !this.disposed && this.map.getCanvasContainer().style.cursor === "pointer") {
      this.map.getCanvasContainer().style.cursor = "";
    }
  }

  /**
   * Lets the user pick one position on the map: crosshair cursor, the next click anywhere on the map resolves with
   * its position; Escape on the map container, `signal` aborting, another pickPoint call or dispose resolve null.
   * Pin clicks open no popup meanwhile. `prompt` is announced through an aria-live region on the map container.
   */
  public pickPoint(options: { signal?: AbortSignal; prompt?: string } = {}): Promise<{ latitude: number; longitude: number } | null> {
    this.picking?.cancel();
    const { signal, prompt } = options;
    if (this.disposed || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const canvas = this.map.getCanvasContainer();
      const previousCursor = canvas.style.cursor;
      const container = this.options.container;
      const live = prompt ? this.announce(prompt) : null;
      let done = false;
      const finish = (result: { latitude: number; longitude: number } | null): void => {
        if (done) return;
        done = true;
        if (this.picking === state) this.picking = null;
        this.map.events.remove("click", onMapClick as (e: unknown) => void); // (the typings list no "click" overload for remove)
        container.removeEventListener("keydown", onKey, true);
        signal?.removeEventListener("abort", onAbort);
        if (!this.disposed) canvas.style.cursor = previousCursor === "pointer" ? "" : previousCursor;
        if (live && live.textContent === prompt) live.textContent = "";
        resolve(result);
      };
      const onMapClick = (e: atlas.MapMouseEvent): void => {
        const p = e.position;
        if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
        this.pickedEvent = e.originalEvent;
        finish({ latitude: p[1], longitude: p[0] });
      };
      const onKey = (e: KeyboardEvent): void => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        e.stopPropagation();
        finish(null);
      };
      const onAbort = (): void => finish(null);
      const state = { cancel: (): void => finish(null) };
      this.picking = state;
      canvas.style.cursor = "crosshair";
      this.popup?.close();
      this.map.events.add("click", onMapClick);
      container.addEventListener("keydown", onKey, true);
      signal?.addEventListener("abort", onAbort);
    });
  }

  /** Puts `text` into the map container's visually hidden aria-live region (created on first use). */
  private announce(text: string): HTMLElement {
    let live = this.liveRegion;
    if (!live || !live.isConnected) {
      live = document.createElement("div");
      live.className = "tmap-map-live";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("role", "status");
      Object.assign(live.style, {
        position: "absolute",
        width: "1px",
        height: "1px",
        margin: "-1px",
        padding: "0",
        border: "0",
        overflow: "hidden",
        clip: "rect(0 0 0 0)",
        whiteSpace: "nowrap",
      });
      this.options.container.appendChild(live);
      this.liveRegion = live;
    }
    live.textContent = text; // textContent: the prompt is never parsed as HTML
    return live;
  }

  /** Screen pixels (relative to the map container) of [longitude, latitude] positions. */
  public pixelsOf(positions: readonly [number, number][]): [number, number][] {
    return this.map.positionsToPixels(positions.map((p) => [p[0], p[1]])).map((p) => [p[0], p[1]]);
  }

  public resize(): void {
    if (!this.disposed) this.map.resize();
  }

  /** Shows the box [west, south, east, north], with room around it; a single point gets a city-level zoom. */
  public zoomTo(bounds: readonly [number, number, number, number]): void {
    if (this.disposed) return;
    const [w, s, e, n] = bounds;
    if (![w, s, e, n].every(Number.isFinite)) return;
    if (w === e && s === n) this.map.setCamera({ center: [w, s], zoom: 11, type: "ease", duration: 300 });
    else this.map.setCamera({ bounds: [w, s, e, n], padding: 40, type: "ease", duration: 300 });
  }

  /** Removes the map, its WebGL context and every listener. */
  public dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.resizeObserver?.disconnect();
    this.picking?.cancel();
    this.liveRegion?.remove();
    this.popup?.close();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.flushRenderWaiters(true);
    for (const w of this.idleWaiters.splice(0)) w();
    this.map.dispose();
  }

  private onSourceLoaded(): void {
    if (!this.inFlight) return;
    this.loadedCount += this.inFlight.count;
    this.inFlight = null;
    this.pump();
    this.map.triggerRepaint();
  }

  /**
   * Hands the waiting pages (merged, ≤ MAX_BATCH points) to the map when it is not loading another source.
   * The first page goes at once; later ones are gathered into batches of MIN_BATCH (or MAX_HOLD_MS), because
   * with software WebGL every source load costs a burst of full re-renders — fewer, larger sources finish sooner.
   */
  private pump(): void {
    if (!this.isReady || this.disposed || this.inFlight || this.backlog.length === 0) return;
    const waiting = this.backlog.reduce((n, b) => n + b.accounts.length, 0);
    const held = now() - this.backlogSince;
    if (this.pages.length > 0 && !this.complete && waiting < MIN_BATCH && held < MAX_HOLD_MS) {
      if (!this.holdTimer) {
        this.holdTimer = setTimeout(() => {
          this.holdTimer = null;
          this.pumpNow();
        }, MAX_HOLD_MS - held);
      }
      return;
    }
    this.pumpNow();
  }

  private pumpNow(): void {
    if (!this.isReady || this.disposed || this.inFlight || this.backlog.length === 0) return;
    if (this.holdTimer) {
      clearTimeout(this.holdTimer);
      this.holdTimer = null;
    }
    const first = this.backlog[0];
    let count = 0;
    let take = 0;
    while (take < this.backlog.length && (take === 0 || count + this.backlog[take].accounts.length <= MAX_BATCH)) {
      count += this.backlog[take].accounts.length;
      take++;
    }
    const batch = this.backlog.slice(0, take).flatMap((b) => b.accounts);
    this.backlog = this.backlog.slice(take);
    if (this.backlog.length > 0) this.backlogSince = now();
    this.inFlight = { id: this.plot(batch, first.base), count };
  }

  /** Resolves the render waiters whose accounts are all loaded (all of them when `all`). */
  private flushRenderWaiters(all: boolean): void {
    if (this.renderWaiters.length === 0) return;
    const isDone = (w: { target: number }): boolean => all || w.target <= this.loadedCount;
    const done = this.renderWaiters.filter(isDone);
    if (done.length === 0) return;
    this.renderWaiters = this.renderWaiters.filter((w) => !isDone(w));
    for (const w of done) w.resolve();
  }

  private onReady(): void {
    this.isReady = true;
    try {
      performance.mark("tmap:map-ready");
    } catch {
      // diagnostics only
    }
    if (!this.options.subscriptionKey) this.addOfflineBasemap();
    this.map.controls.add(new atlas.control.ZoomControl(), { position: atlas.ControlPosition.TopRight });
    this.popup = new atlas.Popup({ closeButton: true, pixelOffset: [0, -6] });
    this.pump();
  }

  private addOfflineBasemap(): void {
    const source = new atlas.source.DataSource("tmap-basemap", { tolerance: 1, maxZoom: 12 });
    this.map.sources.add(source);
    source.add(usStates() as unknown as atlas.data.FeatureCollection);
    this.map.layers.add([
      new atlas.layer.PolygonLayer(source, "tmap-states-fill", { fillColor: "#f4f1ea", fillOpacity: 1 }),
      new atlas.layer.LineLayer(source, "tmap-states-line", { strokeColor: "#9aa5b1", strokeWidth: 0.8 }),
    ]);
  }

  /** Adds one DataSource + BubbleLayer holding `accounts` (indexes from `base`); returns the source id. */
  private plot(accounts: readonly Account[], base: number): string {
    const colors = this.options.colors;
    // `t` = palette slot of the Dynamics territory (paletteExpr); once a plan colours the map, `i` is looked up.
    const features = accounts.map((a, k) => ({
      type: "Feature" as const,
      geometry: { type: "Point" as const, coordinates: [a.longitude as number, a.latitude as number] },
      properties: { t: colors.slotOf(a.territoryId), i: base + k },
    }));
    const n = this.pages.length;
    const source = new atlas.source.DataSource(`tmap-accounts-${n}`, { buffer: 16, tolerance: 0.5 });
    const layer = new atlas.layer.BubbleLayer(source, `tmap-accounts-layer-${n}`, {
      color: this.planExpression({ base, count: accounts.length }),
      radius: ["interpolate", ["linear"], ["zoom"], 2, 2, 6, 3.5, 10, 6, 15, 9],
      strokeColor: "#ffffff",
      strokeWidth: ["interpolate", ["linear"], ["zoom"], 5, 0, 8, 1],
      opacity: 0.85,
      blur: 0,
      minZoom: this.pinsMinZoom,
    });
    this.map.sources.add(source);
    source.add(features as unknown as atlas.data.Feature<atlas.data.Point, object>[]);
    this.map.layers.add(layer);
    this.map.events.add("click", layer, this.onClick);
    this.map.events.add("mouseenter", layer, this.onEnter);
    this.map.events.add("mouseleave", layer, this.onLeave);
    this.pages.push({ source, layer, base, count: accounts.length });
    return source.getId();
  }

  private readonly onEnter = (): void => {
    if (!this.pinClicksEnabled || this.picking) return;
    this.map.getCanvasContainer().style.cursor = "pointer";
  };

  private readonly onLeave = (): void => {
    if (this.picking) return;
    const canvas = this.map.getCanvasContainer();
    if (canvas.style.cursor === "pointer") canvas.style.cursor = "";
  };

  /** How a popup describes its accounts (the planning layer's); null = by their Dynamics territory only. */
  private describePin: PinDescriber | null = null;

  public setPinDescriber(describe: PinDescriber): void {
    this.describePin = describe;
  }

  /** The DOM click the open popup was made for (each page's layer hears the same click). */
  private popupEvent: Event | undefined = undefined;

  private readonly onClick = (e: atlas.MapMouseEvent): void => {
    if (!this.pinClicksEnabled || this.picking) return;
    if (this.pickedEvent !== undefined && e.originalEvent === this.pickedEvent) return; // that click picked a point
    if (e.originalEvent !== undefined && e.originalEvent === this.popupEvent) return; // another page's layer, same click
    if (!this.popup || !e.position) return;
    // Every pin under the pointer, on every page's layer: accounts sharing a spot are listed in one popup.
    const shapes = this.map.layers.getRenderedShapes(
      e.position,
      this.pages.map((p) => p.layer),
    ) as (atlas.Shape | atlas.data.Feature<atlas.data.Geometry, Record<string, unknown>>)[];
    const seen = new Set<number>();
    const accounts: Account[] = [];
    for (const shape of shapes.length > 0 ? shapes : (e.shapes ?? [])) {
      const props = (shape instanceof atlas.Shape ? shape.getProperties() : (shape as { properties?: unknown }).properties) as {
        i?: number;
      };
      const i = props?.i;
      if (typeof i !== "number" || seen.has(i) || !this.accounts[i]) continue;
      seen.add(i);
      accounts.push(this.accounts[i]);
    }
    if (accounts.length === 0) return;
    accounts.sort((a, b) => a.name.localeCompare(b.name));
    this.popupEvent = e.originalEvent;
    const { labels, territoryName, colors, onOpenRecord } = this.options;
    const entries = accounts.map((account) => ({
      account,
      details: this.describePin?.(account.id.toLowerCase(), account.ownerId) ?? {
        territory: account.territoryId ? territoryName(account.territoryId) : labels.unassigned,
        color: colors.colorOf(account.territoryId),
        parent: null,
        owner: null,
        measures: [],
      },
    }));
    this.popup.setOptions({
      content: popupContent(entries, labels, onOpenRecord),
      position: [accounts[0].longitude as number, accounts[0].latitude as number],
    });
    this.popup.open(this.map);
  };
}
