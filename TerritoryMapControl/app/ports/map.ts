/** The map port: what the planning layer asks of the map (MapAdapter over Azure Maps; FakeMap in tests). */
import type { MultiPolygon, Polygon } from "geojson";
import type { Account } from "../../domain/accounts";
import type { DrawnShape } from "../../domain/design/shapes";
import type { TerritoryColors } from "../../domain/palette";

/** The design tools' drawing modes. */
export type DrawTool = "idle" | "polygon" | "rectangle" | "circle" | "lasso" | "box" | "edit" | "erase";

/** A shape was just drawn (`complete`) or an existing one was edited (`changed`). */
export type ShapePhase = "complete" | "changed";

/** Texts the account popup shows. */
export interface PopupLabels {
  territory: string;
  unassigned: string;
  location: string;
  /** "Region" line: the territory's parent. */
  parent: string;
  owner: string;
  /** The button's text, and its accessible name with the account's name ("Open the record of {0}"). */
  openRecord: string;
  openRecordOf: string;
  /** "…and {0} more" when more accounts share the spot than the popup lists. */
  more: string;
}

/** What an account's popup says besides its name and address (the planning layer's view of the account). */
export interface PinDetails {
  /** Territory name (the unassigned label when it has none). */
  territory: string;
  color: string;
  /** The territory's parent (region or district), or null. */
  parent: string | null;
  /** The territory's rep, else the account's owner when known, else null. */
  owner: string | null;
  /** Every measure with its name, the value formatted for the user. */
  measures: readonly { name: string; value: string }[];
}

/** Colours accounts by the working plan instead of their Dynamics territory. */
export interface PlanColoring {
  /** Territory index of an account id (-1 = unassigned). */
  territoryOf: (accountId: string) => number;
  /** Colour per territory index. */
  colors: readonly string[];
}

/**
 * What an account's popup shows: territory, its parent, owner (`ownerId` = the account's owner, if loaded), measures;
 * null while there is no plan (the map then names the account's Dynamics territory).
 */
export type PinDescriber = (accountId: string, ownerId: string | null) => PinDetails | null;

/** How a map is created (by the view that owns its container). */
export interface MapOptions {
  /** Azure Maps key; null = the offline basemap. */
  subscriptionKey: string | null;
  center: { latitude: number; longitude: number };
  zoom: number;
  colors: TerritoryColors;
  labels: PopupLabels;
  /** Display name of a Dynamics territory id (null = unassigned). */
  territoryName: (territoryId: string | null) => string;
  /** A popup's "Open record" was pressed for this account id. */
  onOpenRecord?: (accountId: string) => void;
}

/** Creates the map inside `container` (MapAdapter in the product, FakeMap in tests). Throws when it cannot (no WebGL). */
export type MapFactory = (container: HTMLElement, options: MapOptions) => MapPort;

/** What the design tools hear from the map's drawing tools. */
export interface DesignEvents {
  onShape: (shape: DrawnShape, phase: ShapePhase) => void;
  /** A territory shape was erased. */
  onErase?: (id: string) => void;
  /** The tool changed (also when the drawing tools return to idle by themselves). */
  onToolChange?: (tool: DrawTool) => void;
}

/** A territory outline drawn on the map. */
export interface TerritoryShapeFeature {
  /** Territory key. */
  id: string;
  name: string;
  /** "#rrggbb". */
  color: string;
  geometry: Polygon | MultiPolygon;
}

export interface DrawingPort {
  setTool(tool: DrawTool): void;
  /** Removes one drawn shape. */
  remove(id: string): void;
  /** Makes the editable shapes exactly `shapes` (idempotent). */
  syncTerritoryShapes(shapes: readonly DrawnShape[]): unknown;
}

export interface OutlinesPort {
  setTerritories(shapes: readonly TerritoryShapeFeature[]): void;
  /** Hatched overlap areas; returns how many are drawn. */
  setOverlaps(areas: readonly (Polygon | MultiPolygon | null | undefined)[]): number;
  setVisible(visible: boolean): void;
}

export interface HeatMapPort {
  setData(lon: ArrayLike<number>, lat: ArrayLike<number>, weights: ArrayLike<number> | null): void;
  setVisible(visible: boolean): void;
}

export interface ClustersPort {
  /** Clusters are shown up to this zoom; pins take over above it. */
  readonly maxZoom: number;
  setData(lon: ArrayLike<number>, lat: ArrayLike<number>, revenue: ArrayLike<number> | null): void;
  setVisible(visible: boolean): void;
}

/** The design tools' parts of the map (created once the map is ready). */
export interface DesignMapParts {
  drawing: DrawingPort;
  outlines: OutlinesPort;
  /** Created on first use. */
  heat(): HeatMapPort;
  /** Created on first use. */
  clusters(): ClustersPort;
  /** Heat-map colour ramp (for the legend). */
  heatGradient: readonly { stop: number; color: string }[];
  dispose(): void;
}

/** A position picked on the map, or null when picking was cancelled. */
export type PickedPoint = { latitude: number; longitude: number } | null;

export interface MapPort {
  /** Plots accounts (a page at a time); returns how many had usable coordinates. */
  addAccounts(accounts: readonly Account[]): number;
  /** Resolves once every account handed over so far is on screen. */
  whenRendered(): Promise<void>;
  /** Declares that no more pages come; resolves once everything is drawn and the map is idle. */
  whenIdle(): Promise<void>;
  /** Colours pins by the working plan; `changedIds` = only these accounts changed (null = all). */
  applyPlan(coloring: PlanColoring, changedIds: Iterable<string> | null): Promise<void>;
  /** Outlines these accounts (null = none); returns how many are outlined. */
  setHighlight(accountIds: Iterable<string> | null): number;
  /** The drawing tools and design layers (null when the map went away first). */
  createDesignParts(events: DesignEvents): Promise<DesignMapParts | null>;
  /** Pins are drawn from this zoom on (0 = always). */
  setPinsMinZoom(minZoom: number): void;
  /** While off, clicking a pin opens no popup. */
  setPinClicksEnabled(enabled: boolean): void;
  /** How a pin's popup describes its account (set by the planning layer once the map exists). */
  setPinDescriber(describe: PinDescriber): void;
  /** The next click on the map resolves with its position; Escape or `signal` cancel (null). */
  pickPoint(options?: { signal?: AbortSignal; prompt?: string }): Promise<PickedPoint>;
  /** Moves the camera to show this box [west, south, east, north] (degrees). */
  zoomTo(bounds: readonly [number, number, number, number]): void;
  resize(): void;
  dispose(): void;
}
