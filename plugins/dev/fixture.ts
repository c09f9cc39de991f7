/**
 * Development / test / benchmark fixture (never deployed): a published plan on the local stand-in, built from
 * the seeded sample organisation — k Voronoi-polygon territories over the accounts, the accounts' real postal
 * codes (most on the list of the territory whose polygon holds them, one in ten deliberately on a neighbour's
 * list), a firmographic rule, named-account rules and a hybrid precedence order. Saved the way the control saves
 * a draft (WebApiDraftRepository), then marked Published; its rules as tmap_assignmentrule rows.
 * Also an independent oracle (Turf point-in-polygon, linear scans) for "assigned as the plan's rules say".
 */
import * as turf from "@turf/turf";
import type { Feature, Polygon } from "geojson";
import type { SqliteDataverseStore } from "../../local/dataverse/store";
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import { PlanStatusValue } from "../../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../dataverse/drafts/DraftBulkApi";
import {
  compileAssignmentPlan,
  normalisePostalCode,
  RuleKindValue,
  usableLocation,
  type AssignmentAccount,
  type AssignmentRule,
  type PlanTerritory,
  type RuleKind,
} from "../../TerritoryMapControl/domain/assignment";
import type { Draft } from "../../TerritoryMapControl/domain/drafts/model";
import { ServerWebApi } from "../src/dataverse/ServerWebApi";
import { accountFromRow } from "../src/handlers/assign";

export interface FixtureOptions {
  territories: number;
  /** Postal codes on the territories' lists (at most the distinct codes of the accounts). */
  postalCodes: number;
  namedAccounts?: number;
  seed?: number;
  ownersFollowTerritories?: boolean;
  kindOrder?: RuleKind[];
  /** Also set every account's territoryid to the plan's answer (as a publish would). */
  applyAssignments?: boolean;
  driftThreshold?: number;
}

export interface PublishedFixture {
  planId: string;
  territories: PlanTerritory[];
  rules: AssignmentRule[];
  kindOrder: RuleKind[];
  postalCodeCount: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(r: () => number): string {
  const h = () => Math.floor(r() * 16).toString(16);
  return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, h);
}

export async function createPublishedPlan(store: SqliteDataverseStore, apiUrl: string, options: FixtureOptions): Promise<PublishedFixture> {
  const random = rng(options.seed ?? 7);
  const accounts = [...store.rows("account")];
  const located = accounts.filter(
    (a) =>
      usableLocation(a.address1_latitude as number, a.address1_longitude as number) &&
      (a.address1_longitude as number) > -125 &&
      (a.address1_longitude as number) < -66 &&
      (a.address1_latitude as number) > 24 &&
      (a.address1_latitude as number) < 50,
  );
  const reps = [...store.rows("systemuser")].filter((u) => u.isdisabled !== true).map((u) => String(u.systemuserid));
  // k Voronoi cells around k accounts (contiguous US bbox).
  const k = options.territories;
  const seeds: Array<[number, number]> = [];
  while (seeds.length < k) {
    const a = located[Math.floor(random() * located.length)];
    const p: [number, number] = [a.address1_longitude as number, a.address1_latitude as number];
    if (!seeds.some((s) => Math.abs(s[0] - p[0]) < 0.05 && Math.abs(s[1] - p[1]) < 0.05)) seeds.push(p);
  }
  const cells = turf.voronoi(turf.featureCollection(seeds.map((s) => turf.point(s))), { bbox: [-125, 24, -66, 50] });
  const territoryRows = seeds.map((_, i) => ({
    territoryid: uuid(random),
    name: `Plan territory ${String(i + 1).padStart(2, "0")}`,
    managerid: reps[i % reps.length],
  }));
  store.insertMany("territory", territoryRows);
  const territories: PlanTerritory[] = seeds.map((_, i) => ({
    key: `t${i}`,
    name: territoryRows[i].name,
    territoryId: territoryRows[i].territoryid,
    repId: reps[i % reps.length],
    geometry: (cells.features[i] as Feature<Polygon>).geometry,
    postalCodes: [] as string[],
  }));
  // Postal codes: the accounts' distinct codes, each on the list of the cell that holds its first account.
  const codeOwner = new Map<string, number>();
  const probe = compileAssignmentPlan({
    planId: "probe",
    version: 1,
    stamp: "",
    name: "probe",
    territories,
    rules: [],
    ownersFollowTerritories: false,
  });
  for (const a of located) {
    if (codeOwner.size >= options.postalCodes) break;
    const code = typeof a.address1_postalcode === "string" ? normalisePostalCode(a.address1_postalcode) : "";
    if (!code || codeOwner.has(code)) continue;
    const o = probe.assign(accountFromRow(a));
    if (o.kind !== "assigned") continue;
    codeOwner.set(code, random() < 0.1 ? (o.territoryIndex + 1) % k : o.territoryIndex);
  }
  for (const [code, t] of codeOwner) (territories[t].postalCodes as string[]).push(code);
  // Explicit rules: named accounts, an enterprise firmographic rule, a geography carve-out.
  const named = options.namedAccounts ?? 50;
  const rules: AssignmentRule[] = [];
  const namedIds: string[][] = Array.from({ length: Math.min(k, 5) }, () => []);
  for (let i = 0; i < named; i++) namedIds[i % namedIds.length].push(String(accounts[Math.floor(random() * accounts.length)].accountid));
  namedIds.forEach((ids, t) =>
    rules.push({ kind: "named", id: null, name: `Named accounts ${t}`, precedence: 10, territoryKey: `t${t}`, accountIds: ids }),
  );
  rules.push({
    kind: "firmographic",
    id: null,
    name: "Enterprise software",
    precedence: 10,
    territoryKey: `t${k - 1}`,
    industryCodes: [7],
    employees: { min: 1000 },
  });
  rules.push({
    kind: "geography",
    id: null,
    name: "Seattle carve-out",
    precedence: 5,
    territoryKey: `t${Math.floor(k / 2)}`,
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [-122.5, 47.4],
          [-122.1, 47.4],
          [-122.1, 47.8],
          [-122.5, 47.8],
          [-122.5, 47.4],
        ],
      ],
    },
  });
  const kindOrder = options.kindOrder ?? ["named", "firmographic", "postal", "geography"];
  const engine = compileAssignmentPlan({
    planId: "x",
    version: 1,
    stamp: "",
    name: "x",
    territories,
    rules,
    kindOrder,
    ownersFollowTerritories: false,
  });

  const assignments = new Map<string, number>();
  const totals = territories.map(() => ({ accounts: 0, revenue: 0 }));
  for (const a of accounts) {
    if (a.statecode !== 0) continue;
    const o = engine.assign(accountFromRow(a));
    const t = o.kind === "assigned" ? o.territoryIndex : -1;
    assignments.set(String(a.accountid), t);
    if (t >= 0) {
      totals[t].accounts++;
      totals[t].revenue += Number(a.revenue ?? 0);
    }
    if (options.applyAssignments) store.update("account", String(a.accountid), { territoryid: t >= 0 ? territories[t].territoryId : null });
  }
  const accountIds = [...assignments.keys()];
  const draft: Draft = {
    name: `Published plan (${k} territories)`,
    version: 1,
    parentId: null,
    status: "draft",
    notes: "",
    balancingSettings: {
      assignment: {
        ownersFollowTerritories: options.ownersFollowTerritories ?? false,
        kindOrder,
        ...(options.driftThreshold !== undefined ? { driftThreshold: options.driftThreshold } : {}),
      },
    },
    metrics: null,
    territories: territories.map((t, i) => ({
      key: t.key,
      name: t.name,
      color: "#3366aa",
      geometry: t.geometry as Draft["territories"][number]["geometry"],
      postalCodes: [...t.postalCodes],
      repId: t.repId,
      territoryId: t.territoryId,
      totals: totals[i],
    })),
    assignments: {
      accountIds,
      territory: Int32Array.from(accountIds.map((id) => assignments.get(id) as number)),
      locked: new Uint8Array(accountIds.length),
    },
  };
  const client = new DataverseHttpClient({ baseUrl: apiUrl });
  const saved = await new WebApiDraftRepository(new ServerWebApi(client), new HttpDraftBulkApi(client)).saveAsDraft(draft);
  for (const r of rules) {
    const { kind, id: _id, name, precedence, territoryKey, ...definition } = r as AssignmentRule & Record<string, unknown>;
    delete (definition as Record<string, unknown>).kind;
    await client.create("tmap_assignmentrules", {
      tmap_name: name,
      tmap_kind: RuleKindValue[kind],
      tmap_precedence: precedence,
      tmap_territorykey: territoryKey,
      tmap_definition: JSON.stringify(definition),
      "tmap_planid@odata.bind": `/tmap_plans(${saved.id})`,
    });
  }
  await client.update("tmap_plans", saved.id, { tmap_status: PlanStatusValue.Published });
  return { planId: saved.id, territories, rules, kindOrder, postalCodeCount: codeOwner.size };
}

/** Independent oracle: Turf point-in-polygon and linear scans, in the plan's kind order. */
export function oracleTerritory(f: PublishedFixture, a: AssignmentAccount): number {
  const code = a.postalCode ? normalisePostalCode(a.postalCode) : "";
  const located = usableLocation(a.latitude, a.longitude);
  const inside = (g: unknown) =>
    located && turf.booleanPointInPolygon(turf.point([a.longitude as number, a.latitude as number]), g as Polygon);
  const idx = (key: string) => f.territories.findIndex((t) => t.key === key);
  const byPrecedence = [...f.rules].sort((x, y) => x.precedence - y.precedence || idx(x.territoryKey) - idx(y.territoryKey));
  for (const kind of f.kindOrder) {
    for (const r of byPrecedence) {
      if (r.kind !== kind) continue;
      if (r.kind === "named" && r.accountIds.includes(a.id)) return idx(r.territoryKey);
      if (r.kind === "postal" && r.postalCodes.map(normalisePostalCode).includes(code)) return idx(r.territoryKey);
      if (
        r.kind === "firmographic" &&
        (!r.industryCodes || (a.industryCode !== null && r.industryCodes.includes(a.industryCode))) &&
        (!r.employees ||
          (a.employees !== null &&
            (r.employees.min === undefined || a.employees >= r.employees.min) &&
            (r.employees.max === undefined || a.employees <= r.employees.max))) &&
        !r.revenue &&
        !r.stateCodes &&
        !r.customerTypeCodes
      )
        return idx(r.territoryKey);
      if (r.kind === "geography" && inside(r.geometry ?? f.territories[idx(r.territoryKey)].geometry)) return idx(r.territoryKey);
    }
    if (kind === "postal" && code) {
      const t = f.territories.findIndex((t) => t.postalCodes.includes(code));
      if (t >= 0) return t;
    }
    if (kind === "geography") {
      const t = f.territories.findIndex((t) => inside(t.geometry));
      if (t >= 0) return t;
    }
  }
  return -1;
}
