import type { ControlSettings } from "./props";

/** Raw manifest parameter values as the platform hands them over (null when unset). */
export interface RawParameters {
  accountScope: string | null;
  measureColumns: string | null;
  revenueColumn: string | null;
  workloadColumn: string | null;
  mapsKeyVariable: string | null;
  centerLatitude: number | null;
  centerLongitude: number | null;
  zoom: number | null;
}

export const DEFAULT_SETTINGS: ControlSettings = {
  accountScope: "statecode eq 0",
  measureColumns: ["revenue", "tmap_workloadhours"],
  measureRoles: { revenue: "revenue", workload: "tmap_workloadhours" },
  mapsKeyVariable: "tmap_AzureMapsKey",
  center: { latitude: 39.5, longitude: -98.35 },
  zoom: 3,
};

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

/** Validates and normalises the manifest inputs; out-of-range values fall back to the defaults. */
export function settingsFromParameters(raw: RawParameters): ControlSettings {
  const lat = raw.centerLatitude;
  const lon = raw.centerLongitude;
  const measures = (raw.measureColumns ?? DEFAULT_SETTINGS.measureColumns.join(","))
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c.length > 0 && COLUMN_NAME.test(c));
  const measureColumns = Array.from(new Set(measures));
  // A role names one of the measure columns; unset = the default column when it is measured, "" = none.
  const role = (value: string | null, fallback: string | null): string | null => {
    const column = value === null ? fallback : value.trim().toLowerCase();
    return column && measureColumns.includes(column) ? column : null;
  };
  return {
    accountScope: raw.accountScope?.trim() || DEFAULT_SETTINGS.accountScope,
    measureColumns,
    measureRoles: {
      revenue: role(raw.revenueColumn, DEFAULT_SETTINGS.measureRoles.revenue),
      workload: role(raw.workloadColumn, DEFAULT_SETTINGS.measureRoles.workload),
    },
    mapsKeyVariable: raw.mapsKeyVariable?.trim() ?? DEFAULT_SETTINGS.mapsKeyVariable,
    center: {
      latitude: lat !== null && Number.isFinite(lat) && Math.abs(lat) <= 90 ? lat : DEFAULT_SETTINGS.center.latitude,
      longitude: lon !== null && Number.isFinite(lon) && Math.abs(lon) <= 180 ? lon : DEFAULT_SETTINGS.center.longitude,
    },
    zoom: raw.zoom !== null && Number.isFinite(raw.zoom) && raw.zoom >= 0 && raw.zoom <= 22 ? raw.zoom : DEFAULT_SETTINGS.zoom,
  };
}
