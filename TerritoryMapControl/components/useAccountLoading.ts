import * as React from "react";
import type { Account } from "../domain/accounts";
import type { MapAdapter } from "../adapters/map/MapAdapter";
import { RepositoryError, type AccountRepository } from "../adapters/dataverse/AccountRepository";
import { INITIAL_LOAD_STATE, loadReducer, type LoadState } from "./loadState";

/** Performance marks the benchmark and the e2e test read. */
export const MARKS = {
  loadStart: "tmap:load-start",
  firstPoints: "tmap:first-points",
  allPoints: "tmap:all-points",
} as const;

/** If the map never reports 'idle' (e.g. a lost WebGL context), the load is still declared done after this. */
export const DRAW_TIMEOUT_MS = 30_000;

function mark(name: string): void {
  try {
    if (typeof performance !== "undefined" && typeof performance.mark === "function") performance.mark(name);
  } catch {
    // Marks are diagnostics only.
  }
}

function clearMarks(): void {
  try {
    if (typeof performance !== "undefined" && typeof performance.clearMarks === "function") {
      for (const name of Object.values(MARKS)) performance.clearMarks(name);
    }
  } catch {
    // Marks are diagnostics only.
  }
}

export interface AccountLoading {
  state: LoadState;
  /** Changes on every (re)load: use as the map's React key so a reload starts from an empty map. */
  loadKey: string;
  mapError: unknown;
  retry: () => void;
  onAdapter: (adapter: MapAdapter | null) => void;
  onMapError: (error: unknown) => void;
  /** Every account received by the current load (placed or not), in arrival order. */
  accounts: () => readonly Account[];
  /** The map adapter, while the map exists. */
  adapter: () => MapAdapter | null;
}

/**
 * Loads the accounts in scope page by page and plots each page as soon as both the page and the map exist.
 * Writes the performance marks tmap:load-start, tmap:first-points (first page drawn) and tmap:all-points
 * (every page drawn and the map idle).
 */
export function useAccountLoading(repository: AccountRepository, scope: string, measureColumns: readonly string[]): AccountLoading {
  const [state, dispatch] = React.useReducer(loadReducer, INITIAL_LOAD_STATE);
  const [attempt, setAttempt] = React.useState(0);
  const [adapterVersion, setAdapterVersion] = React.useState(0);
  const [mapError, setMapError] = React.useState<unknown>(null);
  const adapterRef = React.useRef<MapAdapter | null>(null);
  const pendingRef = React.useRef<Account[][]>([]);
  const firstMarkedRef = React.useRef(false);
  const loadIdRef = React.useRef(0);
  const accountsRef = React.useRef<Account[]>([]);
  const measuresKey = measureColumns.join(",");
  const loadKey = `${attempt}|${scope}|${measuresKey}`;

  /** Hands accounts to the map (or queues them until it exists); returns how many were plotted now. */
  const plot = React.useCallback((accounts: Account[]): number => {
    const adapter = adapterRef.current;
    if (!adapter) {
      pendingRef.current.push(accounts);
      return 0;
    }
    const n = adapter.addAccounts(accounts);
    if (n > 0 && !firstMarkedRef.current) {
      firstMarkedRef.current = true;
      const loadId = loadIdRef.current;
      void adapter.whenRendered().then(() => {
        if (loadId === loadIdRef.current) mark(MARKS.firstPoints);
      });
    }
    return n;
  }, []);

  const onAdapter = React.useCallback(
    (adapter: MapAdapter | null) => {
      adapterRef.current = adapter;
      // A map goes away only when its load is over (reload, unmount): its queued pages go with it.
      if (!adapter) pendingRef.current = [];
      if (adapter) {
        let count = 0;
        for (const page of pendingRef.current.splice(0)) count += plot(page);
        if (count > 0) dispatch({ type: "plotted", count });
      }
      setAdapterVersion((v) => v + 1);
    },
    [plot],
  );

  const onMapError = React.useCallback((error: unknown) => setMapError(error ?? new Error("map unavailable")), []);

  const retry = React.useCallback(() => {
    setMapError(null);
    setAttempt((a) => a + 1);
  }, []);

  // Load (again) whenever the scope, the measures or the attempt change.
  React.useEffect(() => {
    const controller = new AbortController();
    const loadId = ++loadIdRef.current;
    pendingRef.current = [];
    accountsRef.current = [];
    firstMarkedRef.current = false;
    dispatch({ type: "start" });
    clearMarks();
    mark(MARKS.loadStart);
    repository
      .loadAccounts(
        { scope, measureColumns: measuresKey ? measuresKey.split(",") : [] },
        (page) => {
          if (loadId !== loadIdRef.current) return;
          for (const a of page.accounts) accountsRef.current.push(a);
          const plotted = plot(page.accounts);
          dispatch({ type: "page", accounts: page.accounts, plotted, expected: page.expectedTotal });
        },
        controller.signal,
      )
      .then(
        () => {
          if (loadId === loadIdRef.current) dispatch({ type: "loaded" });
        },
        (error: unknown) => {
          if (loadId !== loadIdRef.current || controller.signal.aborted) return;
          if (error instanceof RepositoryError) {
            if (error.kind === "aborted") return;
            dispatch({ type: "failed", kind: error.kind, message: error.message, detail: error.detail });
          } else {
            dispatch({ type: "failed", kind: "unknown", message: error instanceof Error ? error.message : String(error), detail: "" });
          }
        },
      );
    return () => controller.abort();
  }, [repository, scope, measuresKey, attempt, plot]);

  // Once every page is loaded, wait for the map to draw them all, then declare the load done.
  React.useEffect(() => {
    if (!state.allLoaded || state.status !== "loading") return undefined;
    const loadId = loadIdRef.current;
    const finish = (drawn: boolean): void => {
      if (loadId !== loadIdRef.current) return;
      if (drawn) {
        if (!firstMarkedRef.current) {
          firstMarkedRef.current = true;
          mark(MARKS.firstPoints);
        }
        mark(MARKS.allPoints);
      }
      dispatch({ type: "drawn" });
    };
    if (mapError) {
      finish(false);
      return undefined;
    }
    const adapter = adapterRef.current;
    if (!adapter || pendingRef.current.length > 0) return undefined; // re-run when the adapter arrives
    let cancelled = false;
    const timer = setTimeout(() => !cancelled && finish(false), DRAW_TIMEOUT_MS);
    void adapter.whenIdle().then(() => {
      if (!cancelled) finish(true);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [state.allLoaded, state.status, adapterVersion, mapError]);

  const accounts = React.useCallback(() => accountsRef.current, []);
  const adapter = React.useCallback(() => adapterRef.current, []);
  return { state, loadKey, mapError, retry, onAdapter, onMapError, accounts, adapter };
}
