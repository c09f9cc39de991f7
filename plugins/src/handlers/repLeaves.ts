/**
 * Rep leaves: a systemuser was disabled → a proposed draft that removes their territory (or territories) from the
 * published plan and redistributes its accounts with the balancing engine's `repLeaves` (minimal moves: every
 * other account keeps its territory unless moving it pays for its move cost). Saved as a new draft (parent =
 * the published plan) through the drafts repository, for a manager to review — nothing is published.
 * Idempotent by state: one proposal per rep and published plan (marker in tmap_notes).
 */
import { DataverseError, type DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { PlanStatusValue } from "../../../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../../dataverse/drafts/DraftBulkApi";
import { repLeaves, type TerritoryProblem } from "../../../TerritoryMapControl/domain/balancing";
import { normalisePostalCode, RuleKindValue, usableLocation } from "../../../TerritoryMapControl/domain/assignment";
import { escapeLikeText } from "../../../TerritoryMapControl/domain/scope";
import type { Draft, DraftTerritory, JsonValue } from "../../../TerritoryMapControl/domain/drafts/model";
import { ServerWebApi } from "../dataverse/ServerWebApi";
import type { PublishedPlanSource } from "../plan/PublishedPlanSource";

export type RepLeavesResult =
  | {
      status: "proposed";
      userId: string;
      draftId: string;
      removedTerritories: string[];
      moved: number;
      reassigned: number;
      feasible: boolean;
    }
  | { status: "skipped"; userId: string; reason: string; draftId?: string };

export function proposalMarker(userId: string, planId: string): string {
  return `[tmap-rep-leaves:${userId}:${planId}]`;
}

export async function proposeForDepartedRep(
  client: DataverseHttpClient,
  plans: PublishedPlanSource,
  userId: string,
  options: { timeLimitMs: number; tolerance?: number },
): Promise<RepLeavesResult> {
  let user: Record<string, unknown>;
  try {
    user = await client.retrieve("systemusers", userId, { select: ["systemuserid", "fullname", "isdisabled"] }, { includeAnnotations: "" });
  } catch (e) {
    if (e instanceof DataverseError && e.status === 404) return { status: "skipped", userId, reason: "user-deleted" };
    throw e;
  }
  if (user.isdisabled !== true) return { status: "skipped", userId, reason: "user-not-disabled" };
  const plan = await plans.get();
  if (!plan) return { status: "skipped", userId, reason: "no-published-plan" };
  const leaving = plan.draft.territories.map((t, i) => (t.repId?.toLowerCase() === userId ? i : -1)).filter((i) => i >= 0);
  if (leaving.length === 0) return { status: "skipped", userId, reason: "rep-has-no-territory" };
  if (leaving.length >= plan.draft.territories.length) return { status: "skipped", userId, reason: "rep-holds-every-territory" };

  const marker = proposalMarker(userId, plan.id);
  const existing = await client.retrieveMultiple(
    "tmap_plans",
    {
      select: ["tmap_planid"],
      // contains is a LIKE in Dataverse: the marker's '[' must be escaped to be matched literally.
      filter: `statecode eq 0 and tmap_status eq ${PlanStatusValue.Draft} and contains(tmap_notes,'${escapeLikeText(marker).replace(/'/g, "''")}')`,
      top: 1,
    },
    { includeAnnotations: "" },
  );
  if (existing.value.length)
    return { status: "skipped", userId, reason: "already-proposed", draftId: String(existing.value[0].tmap_planid) };

  const draft = plan.draft;
  const territoryOf = new Map<string, number>();
  draft.assignments.accountIds.forEach((id, i) => territoryOf.set(id, draft.assignments.territory[i]));
  const accounts = await client.retrieveAll(
    "accounts",
    {
      select: ["accountid", "address1_latitude", "address1_longitude", "address1_postalcode", "revenue"],
      filter: "statecode eq 0",
    },
    { maxPageSize: 5000, includeAnnotations: "" },
  );
  const k = draft.territories.length;
  const points: TerritoryProblem["points"] = [];
  const current: number[] = [];
  const postalOf = new Map<string, string>();
  const sums = Array.from({ length: k }, () => ({ x: 0, y: 0, n: 0 }));
  for (const a of accounts) {
    const id = String(a.accountid).toLowerCase();
    const t = territoryOf.get(id);
    const lat = a.address1_latitude === null || a.address1_latitude === undefined ? null : Number(a.address1_latitude);
    const lon = a.address1_longitude === null || a.address1_longitude === undefined ? null : Number(a.address1_longitude);
    if (t === undefined || t < 0 || !usableLocation(lat, lon)) continue;
    points.push({ id, x: lon as number, y: lat as number, w: [1, Math.max(0, Number(a.revenue ?? 0)) || 0] });
    if (typeof a.address1_postalcode === "string" && a.address1_postalcode.trim())
      postalOf.set(id, normalisePostalCode(a.address1_postalcode));
    current.push(t);
    sums[t].x += lon as number;
    sums[t].y += lat as number;
    sums[t].n++;
  }
  if (points.length === 0) return { status: "skipped", userId, reason: "no-located-accounts" };

  // Centres: the reps' home bases where known, else the centroid of the territory's accounts.
  const reps = [...new Set(draft.territories.map((t) => t.repId).filter((r): r is string => !!r))];
  const homes = new Map<string, { x: number; y: number }>();
  for (let i = 0; i < reps.length; i += 50) {
    const ids = reps.slice(i, i + 50);
    const rows = await client.retrieveAll(
      "systemusers",
      {
        select: ["systemuserid", "address1_latitude", "address1_longitude"],
        filter: ids.map((id) => `systemuserid eq ${id}`).join(" or "),
      },
      { includeAnnotations: "" },
    );
    for (const r of rows) {
      const lat = r.address1_latitude == null ? null : Number(r.address1_latitude);
      const lon = r.address1_longitude == null ? null : Number(r.address1_longitude);
      if (usableLocation(lat, lon)) homes.set(String(r.systemuserid).toLowerCase(), { x: lon as number, y: lat as number });
    }
  }
  const all = points.reduce((s, p) => ({ x: s.x + p.x / points.length, y: s.y + p.y / points.length }), { x: 0, y: 0 });
  const centers = draft.territories.map(
    (t, i) => homes.get(t.repId?.toLowerCase() ?? "") ?? (sums[i].n ? { x: sums[i].x / sums[i].n, y: sums[i].y / sums[i].n } : all),
  );
  const tolerance = options.tolerance ?? 0.25;
  let problem: TerritoryProblem = {
    format: "territory-instance/1",
    name: `${draft.name} without ${String(user.fullname ?? userId)}`,
    space: "geographic",
    distance: "haversine-km",
    territories: k,
    centers: "fixed",
    fixedCenters: centers.map((c, i) => ({ ...c, id: draft.territories[i].key })),
    measures: ["accounts", "revenue"],
    points,
    balance: [
      { measure: "accounts", tolerance },
      { measure: "revenue", tolerance },
    ],
    current,
  };
  // Remove the rep's territories one at a time, highest index first (indexes below stay valid).
  let assignment = current.slice();
  let moved = 0,
    reassigned = 0,
    feasible = true;
  const keep = draft.territories.map((_, i) => i);
  const perLeave = Math.max(100, Math.floor(options.timeLimitMs / leaving.length));
  for (const t of [...leaving].sort((a, b) => b - a)) {
    const outcome = repLeaves(problem, { assignment, centers: null, prices: undefined }, t, { timeLimitMs: perLeave, seed: 1 });
    problem = { ...outcome.problem, current: outcome.result.assignment };
    assignment = outcome.result.assignment;
    moved += outcome.movedOther;
    reassigned += outcome.reassigned;
    feasible &&= outcome.result.feasible;
    keep.splice(t, 1);
  }
  // Back to the draft: territories without the rep's; located accounts from the solve, the rest keep theirs.
  const newIndex = new Map<number, number>(keep.map((old, i) => [old, i]));
  const solved = new Map<string, number>(points.map((p, i) => [p.id, assignment[i]]));
  const territory = new Int32Array(draft.assignments.accountIds.length);
  draft.assignments.accountIds.forEach((id, i) => {
    const s = solved.get(id);
    territory[i] = s !== undefined ? s : (newIndex.get(draft.assignments.territory[i]) ?? -1);
  });
  const removed = leaving.map((i) => draft.territories[i].name);
  const territories = handOver(
    draft,
    leaving,
    keep,
    points.map((p) => p.id),
    current,
    assignment,
    postalOf,
  );
  const removedKeys = new Set(leaving.map((i) => draft.territories[i].key));
  const keptRules = plan.rules.filter((r) => !removedKeys.has(r.territoryKey));
  const droppedRules = plan.rules.filter((r) => removedKeys.has(r.territoryKey)).map((r) => r.name || r.id || "(unnamed)");
  const proposal: Draft = {
    ...draft,
    id: plan.id,
    status: "draft",
    name: `Proposal: ${String(user.fullname ?? "rep")} leaves (${plan.name})`.slice(0, 200),
    notes:
      `Proposed when ${String(user.fullname ?? userId)} was disabled: territories ${removed.join(", ")} removed, ` +
      `${reassigned} accounts reassigned, ${moved} others moved${feasible ? "" : " (balance bands not all met)"}.` +
      `${droppedRules.length ? ` Rules of the removed territories not carried over: ${droppedRules.join(", ")}.` : ""} Review before publishing. ${marker}`,
    territories,
    assignments: { accountIds: draft.assignments.accountIds, territory, locked: draft.assignments.locked },
    saveToken: undefined,
  };
  const repo = new WebApiDraftRepository(new ServerWebApi(client), new HttpDraftBulkApi(client));
  const saved = await repo.saveAsNewDraft(proposal);
  // The plan's other assignment rules travel with the proposal (a published proposal keeps them).
  for (const r of keptRules) {
    const { kind, id: _id, name, precedence, territoryKey, ...definition } = r as typeof r & Record<string, unknown>;
    delete (definition as Record<string, unknown>).kind;
    await client.create("tmap_assignmentrules", {
      tmap_name: name.slice(0, 200),
      tmap_kind: RuleKindValue[kind],
      tmap_precedence: Number.isFinite(precedence) && precedence <= 2147483647 ? precedence : null,
      tmap_territorykey: territoryKey,
      tmap_definition: JSON.stringify(definition),
      "tmap_planid@odata.bind": `/tmap_plans(${saved.id})`,
    });
  }
  return { status: "proposed", userId, draftId: saved.id, removedTerritories: removed, moved, reassigned, feasible };
}

/** Polygon coordinate arrays of a GeoJSON Polygon / MultiPolygon / Feature (others: none). */
function polygonsOf(g: unknown): JsonValue[] {
  if (!g || typeof g !== "object" || Array.isArray(g)) return [];
  const o = g as Record<string, unknown>;
  if (o.type === "Feature") return polygonsOf(o.geometry);
  if (o.type === "Polygon" && Array.isArray(o.coordinates)) return [o.coordinates as JsonValue];
  if (o.type === "MultiPolygon" && Array.isArray(o.coordinates)) return o.coordinates as JsonValue[];
  return [];
}

/**
 * The remaining territories of the proposal, with the departed rep's ground handed over so that accounts created
 * there later are assigned too: each postal code of a removed territory goes to the territory that received most
 * of that code's accounts, and the removed polygon joins the territory that received most of its accounts
 * (as another polygon of a MultiPolygon). `assignment` is in the new (kept) index space.
 */
function handOver(
  draft: Draft,
  leaving: number[],
  keep: number[],
  ids: string[],
  before: number[],
  assignment: number[],
  postalOf: Map<string, string>,
): DraftTerritory[] {
  const out = keep.map((old) => ({ ...draft.territories[old], postalCodes: [...draft.territories[old].postalCodes] }));
  for (const t of leaving) {
    const received = new Array<number>(out.length).fill(0);
    const byCode = new Map<string, number[]>();
    ids.forEach((id, i) => {
      if (before[i] !== t) return;
      const to = assignment[i];
      if (to < 0 || to >= out.length) return;
      received[to]++;
      const code = postalOf.get(id);
      if (code) {
        let c = byCode.get(code);
        if (!c) byCode.set(code, (c = new Array<number>(out.length).fill(0)));
        c[to]++;
      }
    });
    const receiver = received.indexOf(Math.max(...received));
    if (receiver < 0 || received[receiver] === 0) continue;
    for (const raw of draft.territories[t].postalCodes) {
      const c = byCode.get(normalisePostalCode(raw));
      const to = c ? c.indexOf(Math.max(...c)) : receiver;
      if (!out[to].postalCodes.includes(raw)) out[to].postalCodes.push(raw);
    }
    const polygons = [...polygonsOf(out[receiver].geometry), ...polygonsOf(draft.territories[t].geometry)];
    if (polygons.length)
      out[receiver].geometry =
        polygons.length === 1 ? { type: "Polygon", coordinates: polygons[0] } : { type: "MultiPolygon", coordinates: polygons };
  }
  return out;
}
