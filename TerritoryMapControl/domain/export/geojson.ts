/**
 * GeoJSON export of a working plan (RFC 7946): a FeatureCollection with
 * - one feature per territory (regions and districts included), first: its drawn shape where it has one, else the
 *   convex hull of the placed accounts it covers (a region's hull covers its whole subtree); `geometry: null` when it
 *   has neither (fewer than 3 placed accounts). Properties: kind "territory", key, name, parent, parentKey, rep,
 *   repId, color, outline ("drawn" | "hull" | null) and totals (accounts and every measure, by the measure's name,
 *   over its subtree);
 * - one Point per account with usable coordinates ([longitude, latitude]); properties: kind "account", accountId,
 *   name, street, city, state, postalCode, territory, territoryKey, parent, rep, repId, color and measures (by name).
 * Accounts without coordinates cannot be points: they are counted in the collection's `unplaced` foreign member (and
 * listed by id in `unplacedAccountIds`) instead of being dropped silently.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import type { MultiPolygon, Polygon } from "geojson";
import { hullOf } from "../design/polygons";
import { territoryOutlineOf } from "../design/shapes";
import { rollUp } from "../hierarchy";
import { treeOf, type WorkingPlan } from "../workspace/workspace";

export interface GeoJsonPointFeature {
  type: "Feature";
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: {
    kind: "account";
    accountId: string;
    name: string;
    street: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
    territory: string | null;
    territoryKey: string | null;
    parent: string | null;
    rep: string | null;
    repId: string | null;
    color: string | null;
    /** Measure name → the account's value. */
    measures: Record<string, number>;
  };
}

export interface GeoJsonTerritoryFeature {
  type: "Feature";
  geometry: Polygon | MultiPolygon | null;
  properties: {
    kind: "territory";
    key: string;
    name: string;
    parent: string | null;
    parentKey: string | null;
    rep: string | null;
    repId: string | null;
    color: string;
    /** "drawn" = the territory's shape, "hull" = around its accounts, null = no geometry. */
    outline: "drawn" | "hull" | null;
    /** accounts and each measure (by name), over the territory and everything under it. */
    totals: Record<string, number>;
  };
}

export interface PlanFeatureCollection {
  type: "FeatureCollection";
  features: (GeoJsonTerritoryFeature | GeoJsonPointFeature)[];
  /** Foreign members (allowed by RFC 7946 §6.1). */
  unplaced: number;
  unplacedAccountIds: string[];
}

/** Totals key of the account count (measures use their names). */
export const ACCOUNTS_TOTAL = "accounts";

function usable(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** The plan as a GeoJSON object. */
export function planToGeoJson(plan: WorkingPlan, repName: (repId: string) => string): PlanFeatureCollection {
  const { ids, names, lat: latitude, lon: longitude, postalCodes, measures, values, addresses } = plan.table;
  const tree = treeOf(plan);
  const territories = plan.territories;
  const parentOf = (t: number) => (tree.parent[t] >= 0 ? territories[tree.parent[t]] : null);

  // Placed accounts under each territory (its own and its descendants'), for the hulls.
  const members: number[][] = territories.map(() => []);
  for (let i = 0; i < ids.length; i++) {
    if (!usable(latitude[i], longitude[i])) continue;
    for (let t = plan.assignment[i]; t >= 0; t = tree.parent[t]) members[t].push(i);
  }
  const accountTotals = rollUp(tree, plan.totals.accounts);
  const measureTotals = plan.totals.values.map((v) => rollUp(tree, v));
  const features: PlanFeatureCollection["features"] = territories.map((t, k) => {
    const drawn = territoryOutlineOf(t.geometry);
    const hull = drawn ? null : hullOf(plan.table, members[k]);
    const parent = parentOf(k);
    const totals: Record<string, number> = { [ACCOUNTS_TOTAL]: accountTotals[k] };
    measures.forEach((m, j) => {
      totals[m] = measureTotals[j][k];
    });
    return {
      type: "Feature",
      geometry: drawn ?? hull,
      properties: {
        kind: "territory",
        key: t.key,
        name: t.name,
        parent: parent ? parent.name : null,
        parentKey: parent ? parent.key : null,
        rep: t.repId ? repName(t.repId) : null,
        repId: t.repId,
        color: t.color,
        outline: drawn ? "drawn" : hull ? "hull" : null,
        totals,
      },
    };
  });

  const unplacedAccountIds: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const lat = latitude[i];
    const lon = longitude[i];
    if (!usable(lat, lon)) {
      unplacedAccountIds.push(ids[i]);
      continue;
    }
    const t = plan.assignment[i];
    const terr = t >= 0 ? territories[t] : null;
    const parent = t >= 0 ? parentOf(t) : null;
    const accountMeasures: Record<string, number> = {};
    measures.forEach((m, j) => {
      accountMeasures[m] = values[j][i];
    });
    features.push({
      type: "Feature",
      geometry: { type: "Point", coordinates: [lon, lat] },
      properties: {
        kind: "account",
        accountId: ids[i],
        name: names[i],
        street: addresses?.streets[i] ?? null,
        city: addresses?.cities[i] ?? null,
        state: addresses?.states[i] ?? null,
        postalCode: postalCodes[i],
        territory: terr ? terr.name : null,
        territoryKey: terr ? terr.key : null,
        parent: parent ? parent.name : null,
        rep: terr?.repId ? repName(terr.repId) : null,
        repId: terr?.repId ?? null,
        color: terr ? terr.color : null,
        measures: accountMeasures,
      },
    });
  }
  return { type: "FeatureCollection", features, unplaced: unplacedAccountIds.length, unplacedAccountIds };
}

/** The plan as GeoJSON text. */
export function planToGeoJsonText(plan: WorkingPlan, repName: (repId: string) => string): string {
  return JSON.stringify(planToGeoJson(plan, repName));
}
