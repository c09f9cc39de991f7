import type { TerritoryMapSession } from "./app/TerritoryMapSession";
import type { MeasureRoles } from "./app/settings";
import type { MapFactory } from "./app/ports/map";
import type { Theme } from "@fluentui/react-components";

/** The control's settings, from the manifest's input properties (validated in settings.ts). */
export interface ControlSettings {
  /** FetchXML <filter> fragment or OData $filter expression selecting the accounts in scope. */
  accountScope: string;
  /** Numeric account columns used as measures (account count is implicit). */
  measureColumns: string[];
  /** Which measure column is revenue and which is workload (null = none). */
  measureRoles: MeasureRoles;
  /** Schema name of the environment variable holding the Azure Maps key ("" = offline basemap). */
  mapsKeyVariable: string;
  center: { latitude: number; longitude: number };
  zoom: number;
}

/** What the React tree gets: the planning layer, the map factory and plain platform facts (never the PCF context). */
export interface TerritoryMapProps {
  /** Everything a manager can do (app/TerritoryMapSession). */
  session: TerritoryMapSession;
  /** Creates the map in its container (MapAdapter in the product). */
  createMap: MapFactory;
  /** Initial camera. */
  center: { latitude: number; longitude: number };
  zoom: number;
  /** Localised string from the control's resx; falls back to the key. */
  getString: (key: string) => string;
  /** Allocated size in px (-1 when the platform gives none). */
  width: number;
  height: number;
  /** The platform's Fluent v9 theme (context.fluentDesignLanguage.tokenTheme) when it provides one. */
  theme?: Theme;
}
