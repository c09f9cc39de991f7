import type { AccountRepository } from "./adapters/dataverse/AccountRepository";

/** Everything the control's UI needs, as plain values: components never see the PCF context. */
export interface ControlSettings {
  /** FetchXML <filter> fragment or OData $filter expression selecting the accounts in scope. */
  accountScope: string;
  /** Numeric account columns used as measures (account count is implicit). */
  measureColumns: string[];
  /** Schema name of the environment variable holding the Azure Maps key ("" = offline basemap). */
  mapsKeyVariable: string;
  center: { latitude: number; longitude: number };
  zoom: number;
}

export interface TerritoryMapProps {
  repository: AccountRepository;
  settings: ControlSettings;
  /** Localised string from the control's resx; falls back to the key. */
  getString: (key: string) => string;
  /** Current plan/view state JSON from the bound column (null when empty). */
  planState: string | null;
  onPlanStateChange: (value: string) => void;
  /** Allocated size in px (-1 when the platform gives none). */
  width: number;
  height: number;
  disabled: boolean;
  userId: string;
}
