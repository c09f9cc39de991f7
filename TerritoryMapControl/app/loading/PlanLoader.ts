/**
 * Opening the plan: every account in scope, page by page, plotted as soon as both the page and the map exist;
 * Dynamics' territories and the reps (names, colours, home bases); the Azure Maps key. Retry loads again from an
 * empty map (and reloads territories and reps if they failed too).
 *
 * Performance marks (the load benchmark and the end-to-end tests read them): `tmap:load-start`,
 * `tmap:first-points` (the first page is on screen) and `tmap:all-points` (every page drawn and the map idle).
 */
import type { Account, Rep, Territory } from "../../domain/accounts";
import type { TerritoryColors } from "../../domain/palette";
import { RepositoryError, type AccountRepository } from "../ports/accounts";
import type { MapPort } from "../ports/map";
import { mark } from "../marks";
import { Store } from "../store";
import { INITIAL_LOAD_STATE, loadReducer, type LoadAction, type LoadState } from "./loadState";

/** Performance marks the benchmark and the e2e tests read. */
export const MARKS = {
  loadStart: "tmap:load-start",
  firstPoints: "tmap:first-points",
  allPoints: "tmap:all-points",
} as const;

/** If the map never reports 'idle' (e.g. a lost WebGL context), the load is still declared done after this. */
export const DRAW_TIMEOUT_MS = 30_000;

function clearMarks(): void {
  try {
    if (typeof performance !== "undefined" && typeof performance.clearMarks === "function") {
      for (const name of Object.values(MARKS)) performance.clearMarks(name);
    }
  } catch {
    // Marks are diagnostics only.
  }
}

/** What is loaded: the control's settings that decide it. */
export interface LoadSettings {
  /** FetchXML `<filter>` fragment or OData `$filter` expression. */
  accountScope: string;
  /** Numeric account columns read as measures. */
  measureColumns: readonly string[];
  /** Environment variable holding the Azure Maps key ("" = offline basemap). */
  mapsKeyVariable: string;
}

export interface PlanLoaderState {
  load: LoadState;
  /** Changes on every (re)load: the map view is recreated for each, so a reload starts from an empty map. */
  loadKey: string;
  /** The map could not be created (no WebGL): the accounts are still loaded and counted. */
  mapError: unknown;
  /** Azure Maps key; null = offline basemap; undefined = not known yet (the map waits for it). */
  subscriptionKey: string | null | undefined;
  /** Dynamics territories, sorted by name. */
  territories: readonly Territory[];
  reps: readonly Rep[];
  /** The map currently showing this load, if any. */
  map: MapPort | null;
}

export class PlanLoader extends Store<PlanLoaderState> {
  private settings: LoadSettings;
  private attempt = 0;
  private loadId = 0;
  private abort: AbortController | null = null;
  private pending: Account[][] = [];
  private firstMarked = false;
  private accountList: Account[] = [];
  private referenceFailed = false;
  private referenceId = 0;
  private finishing: { cancel: () => void } | null = null;
  private territoryNames = new Map<string, string>();
  private disposed = false;

  public constructor(
    private readonly repository: AccountRepository,
    settings: LoadSettings,
    private readonly colors: TerritoryColors,
  ) {
    super({
      load: INITIAL_LOAD_STATE,
      loadKey: keyOf(0, settings),
      mapError: null,
      subscriptionKey: undefined,
      territories: [],
      reps: [],
      map: null,
    });
    this.settings = settings;
  }

  /** Starts everything: the map key, territories and reps, and the accounts. */
  public start(): void {
    this.loadMapKey();
    this.loadReference();
    this.loadAccounts();
  }

  /** Every account received by the current load (placed or not), in arrival order. */
  public accounts(): readonly Account[] {
    return this.accountList;
  }

  /** The measure columns of the current load. */
  public measureColumns(): readonly string[] {
    return this.settings.measureColumns;
  }

  /** Display name of a Dynamics territory id (null = unassigned) for the map's popups. */
  public territoryName(id: string | null, unknown: string, unassigned: string): string {
    return id ? (this.territoryNames.get(id) ?? unknown) : unassigned;
  }

  /** New settings from the host: reloads what they change. */
  public updateSettings(settings: LoadSettings): void {
    const before = this.settings;
    this.settings = settings;
    if (before.mapsKeyVariable !== settings.mapsKeyVariable) this.loadMapKey();
    if (before.accountScope !== settings.accountScope || before.measureColumns.join(",") !== settings.measureColumns.join(",")) {
      this.loadAccounts();
    }
  }

  /** Loads the accounts again from an empty map (and territories and reps when they failed as well). */
  public retry(): void {
    this.set({ mapError: null });
    if (this.referenceFailed) this.loadReference();
    this.attempt++;
    this.loadAccounts();
  }

  /** Territories and reps again (after a publish created or renamed territories). */
  public reloadReference(): void {
    this.loadReference();
  }

  /** The map view created its map for load `loadKey` (a map of an earlier load is ignored: its view goes away). */
  public attachMap(map: MapPort, loadKey: string): void {
    if (this.disposed || loadKey !== this.get().loadKey) return;
    this.set({ map });
    let count = 0;
    for (const page of this.pending.splice(0)) count += this.plot(page);
    if (count > 0) this.dispatch({ type: "plotted", count });
    this.maybeFinish();
  }

  /** The map view's map went away (reload or unmount). */
  public detachMap(map: MapPort): void {
    if (this.get().map === map) this.set({ map: null });
  }

  /** The map could not be created. */
  public mapFailed(error: unknown): void {
    this.set({ mapError: error ?? new Error("map unavailable") });
    this.maybeFinish();
  }

  public dispose(): void {
    this.disposed = true;
    this.abort?.abort();
    this.finishing?.cancel();
  }

  // ---------------------------------------------------------------- internals

  private dispatch(action: LoadAction): void {
    this.set({ load: loadReducer(this.get().load, action) });
  }

  private loadMapKey(): void {
    const name = this.settings.mapsKeyVariable;
    if (!name) {
      this.set({ subscriptionKey: null });
      return;
    }
    this.repository.getEnvironmentVariableValue(name).then(
      (value) => !this.disposed && this.set({ subscriptionKey: value && value.trim() ? value.trim() : null }),
      () => !this.disposed && this.set({ subscriptionKey: null }),
    );
  }

  /** Territories and reps: names, colours and the legend; not needed to plot, so a failure only leaves them sparse. */
  private loadReference(): void {
    const id = ++this.referenceId;
    this.referenceFailed = false;
    const failed = (): void => {
      this.referenceFailed = true;
    };
    this.repository.loadTerritories().then((list) => {
      if (id !== this.referenceId || this.disposed) return;
      const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
      this.colors.register(sorted.map((t) => t.id));
      this.territoryNames = new Map(sorted.map((t) => [t.id, t.name]));
      this.set({ territories: sorted });
    }, failed);
    this.repository.loadReps().then((list) => id === this.referenceId && !this.disposed && this.set({ reps: list }), failed);
  }

  private loadAccounts(): void {
    this.abort?.abort();
    this.finishing?.cancel();
    this.finishing = null;
    const controller = new AbortController();
    this.abort = controller;
    const loadId = ++this.loadId;
    this.pending = [];
    this.accountList = [];
    this.firstMarked = false;
    // A new loadKey makes the view replace the map: pages wait for the new one.
    const loadKey = keyOf(this.attempt, this.settings);
    const map = loadKey === this.get().loadKey ? this.get().map : null;
    this.set({ load: INITIAL_LOAD_STATE, loadKey, map });
    clearMarks();
    mark(MARKS.loadStart);
    const measureColumns = [...this.settings.measureColumns];
    this.repository
      .loadAccounts(
        { scope: this.settings.accountScope, measureColumns },
        (page) => {
          if (loadId !== this.loadId) return;
          for (const a of page.accounts) this.accountList.push(a);
          const plotted = this.plot(page.accounts);
          this.dispatch({ type: "page", accounts: page.accounts, plotted, expected: page.expectedTotal });
        },
        controller.signal,
      )
      .then(
        () => {
          if (loadId !== this.loadId) return;
          this.dispatch({ type: "loaded" });
          this.maybeFinish();
        },
        (error: unknown) => {
          if (loadId !== this.loadId || controller.signal.aborted) return;
          if (error instanceof RepositoryError) {
            if (error.kind === "aborted") return;
            this.dispatch({ type: "failed", kind: error.kind, message: error.message, detail: error.detail });
          } else {
            this.dispatch({ type: "failed", kind: "unknown", message: error instanceof Error ? error.message : String(error), detail: "" });
          }
        },
      );
  }

  /** Hands accounts to the map (or queues them until it exists); returns how many were plotted now. */
  private plot(accounts: Account[]): number {
    const map = this.get().map;
    if (!map) {
      this.pending.push(accounts);
      return 0;
    }
    const n = map.addAccounts(accounts);
    if (n > 0 && !this.firstMarked) {
      this.firstMarked = true;
      const loadId = this.loadId;
      void map.whenRendered().then(() => {
        if (loadId === this.loadId) mark(MARKS.firstPoints);
      });
    }
    return n;
  }

  /** Once every page is loaded, waits for the map to draw them all, then declares the load done. */
  private maybeFinish(): void {
    const { load, mapError, map } = this.get();
    if (!load.allLoaded || load.status !== "loading" || this.finishing) return;
    const loadId = this.loadId;
    const finish = (drawn: boolean): void => {
      if (loadId !== this.loadId) return;
      this.finishing = null;
      if (drawn) {
        if (!this.firstMarked) {
          this.firstMarked = true;
          mark(MARKS.firstPoints);
        }
        mark(MARKS.allPoints);
      }
      this.dispatch({ type: "drawn" });
    };
    if (mapError) {
      finish(false);
      return;
    }
    if (!map || this.pending.length > 0) return; // again when the map arrives
    let cancelled = false;
    const timer = setTimeout(() => !cancelled && finish(false), DRAW_TIMEOUT_MS);
    this.finishing = {
      cancel: () => {
        cancelled = true;
        clearTimeout(timer);
      },
    };
    void map.whenIdle().then(() => {
      if (cancelled) return;
      clearTimeout(timer);
      finish(true);
    });
  }
}

function keyOf(attempt: number, settings: LoadSettings): string {
  return `${attempt}|${settings.accountScope}|${settings.measureColumns.join(",")}`;
}
