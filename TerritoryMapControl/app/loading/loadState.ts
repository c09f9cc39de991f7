import type { Account } from "../../domain/accounts";
import type { RepositoryErrorKind } from "../ports/accounts";

/**
 * State of one load of the accounts in scope (pages from the repository, plotting on the map).
 * `done` only once every page is loaded AND the map has drawn it (or the map is unavailable).
 */
export interface LoadState {
  status: "loading" | "done" | "error";
  /** Accounts received so far (plotted + unplaced). */
  loaded: number;
  /** Total in scope when the server reported it, else null. */
  expected: number | null;
  /** Accounts handed to the map. */
  plotted: number;
  /** Accounts without usable coordinates, in arrival order. */
  unplaced: Account[];
  /** Accounts per territory id ("" = unassigned). */
  perTerritory: ReadonlyMap<string, number>;
  /** All pages received (the map may still be drawing). */
  allLoaded: boolean;
  error: { kind: RepositoryErrorKind | "unknown"; message: string; detail: string } | null;
}

export type LoadAction =
  | { type: "start" }
  | { type: "page"; accounts: Account[]; plotted: number; expected?: number | null }
  | { type: "plotted"; count: number }
  | { type: "loaded" }
  | { type: "drawn" }
  | { type: "failed"; kind: RepositoryErrorKind | "unknown"; message: string; detail: string };

export const INITIAL_LOAD_STATE: LoadState = {
  status: "loading",
  loaded: 0,
  expected: null,
  plotted: 0,
  unplaced: [],
  perTerritory: new Map(),
  allLoaded: false,
  error: null,
};

export function loadReducer(state: LoadState, action: LoadAction): LoadState {
  switch (action.type) {
    case "start":
      return INITIAL_LOAD_STATE;
    case "page": {
      if (state.status === "error") return state;
      const unplaced = action.accounts.filter((a) => a.placement !== "placed");
      const perTerritory = new Map(state.perTerritory);
      for (const a of action.accounts) {
        const key = a.territoryId ?? "";
        perTerritory.set(key, (perTerritory.get(key) ?? 0) + 1);
      }
      return {
        ...state,
        loaded: state.loaded + action.accounts.length,
        expected: action.expected ?? state.expected,
        plotted: state.plotted + action.plotted,
        unplaced: unplaced.length > 0 ? [...state.unplaced, ...unplaced] : state.unplaced,
        perTerritory,
      };
    }
    case "plotted":
      return { ...state, plotted: state.plotted + action.count };
    case "loaded":
      return state.status === "error" ? state : { ...state, allLoaded: true, expected: state.loaded };
    case "drawn":
      return state.status === "loading" && state.allLoaded ? { ...state, status: "done" } : state;
    case "failed":
      return { ...state, status: "error", error: { kind: action.kind, message: action.message, detail: action.detail } };
    default:
      return state;
  }
}
