/**
 * GeoJSON export of a working plan (RFC 7946): a FeatureCollection with one Point per account that has usable
 * coordinates ([longitude, latitude]) and properties accountId, name, territory, territoryKey, rep, repId, color.
 * Accounts without coordinates cannot be points: they are counted in the collection's `unplaced` foreign member
 * (and listed by id in `unplacedAccountIds`) instead of being dropped silently.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import type { WorkingPlan } from "../workspace/workspace";

export interface GeoJsonPointFeature {
  type: "Feature";
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: {
    accountId: string;
    name: string;
    territory: string | null;
    territoryKey: string | null;
    rep: string | null;
    repId: string | null;
    color: string | null;
  };
}

export interface PlanFeatureCollection {
  type: "FeatureCollection";
  features: GeoJsonPointFeature[];
  /** Foreign members (allowed by RFC 7946 §6.1). */
  unplaced: number;
  unplacedAccountIds: string[];
}

/** The plan as a GeoJSON object. */
export function planToGeoJson(plan: WorkingPlan, repName: (repId: string) => string): PlanFeatureCollection {
  const { ids, names, lat: latitude, lon: longitude } = plan.table;
  const features: GeoJsonPointFeature[] = [];
  const unplacedAccountIds: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const lat = latitude[i];
    const lon = longitude[i];
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      unplacedAccountIds.push(ids[i]);
      continue;
    }
    const t = plan.assignment[i];
    const terr = t >= 0 ? plan.territories[t] : null;
    features.push({
      type: "Feature",
      geometry: { type: "Point", coordinates: [lon, lat] },
      properties: {
        accountId: ids[i],
        name: names[i],
        territory: terr ? terr.name : null,
        territoryKey: terr ? terr.key : null,
        rep: terr?.repId ? repName(terr.repId) : null,
        repId: terr?.repId ?? null,
        color: terr ? terr.color : null,
      },
    });
  }
  return { type: "FeatureCollection", features, unplaced: unplacedAccountIds.length, unplacedAccountIds };
}

/** The plan as GeoJSON text. */
export function planToGeoJsonText(plan: WorkingPlan, repName: (repId: string) => string): string {
  return JSON.stringify(planToGeoJson(plan, repName));
}
