/**
 * Teams in the local Dataverse stand-in: the `team` and `businessunit` tables, team membership (the
 * `teammembership` intersect table behind the `teammembership_association` N:N between team and systemuser) and
 * teams as record owners.
 *
 * As Dataverse documents: an owner lookup (`ownerid`) targets systemuser and team, so `ownerid@odata.bind` accepts
 * `/teams(<id>)` on user-or-team-owned tables and `_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname` says
 * `team`; members are associated with `POST teams(<id>)/teammembership_association/$ref` and disassociated with
 * `DELETE teams(<id>)/teammembership_association(<userid>)/$ref`; a member of an owner team may act on the team's
 * records with Basic depth privileges (privileges.ts).
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 * https://learn.microsoft.com/power-platform/admin/manage-teams
 */
import type { TableSchema } from "../../dataverse/schema";
import { DataverseError, ErrorCodes, badRequest, recordNotFound, segmentNotFound } from "./errors";
import type { Row, TableState } from "./store";
import type { InnerResponse } from "./batch";
import { BUSINESS_UNIT_ID, json, noContent, normalizeGuid, parseJsonBody, type ApiRequest, type ServiceContext } from "./serviceContext";
import { annotationOptions, compileProjection } from "./query";
import { parsePrefer } from "./odata";

export const TEAM_MEMBERSHIP = "teammembership_association";

export { teamTables } from "./standardTables";

/** Owner lookups target systemuser and team in Dataverse: widen every `owner` column that targets users only. */
export function withTeamOwners(schemas: TableSchema[]): TableSchema[] {
  return schemas.map((s) => {
    if (!s.attributes.some((a) => a.type === "owner" && !(a.targets ?? []).includes("team"))) return s;
    return {
      ...s,
      attributes: s.attributes.map((a) => (a.type === "owner" ? { ...a, targets: [...(a.targets ?? ["systemuser"]), "team"] } : a)),
    };
  });
}

/** A new team belongs to the (single) root business unit and is an owner team unless told otherwise. */
export function teamCreateDefaults(table: string, values: Row): Row {
  if (table !== "team") return values;
  return { businessunitid: BUSINESS_UNIT_ID, teamtype: 0, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v != null)) };
}

/** Teams a user belongs to (ids, lower case). */
export function teamsOfUser(ctx: Pick<ServiceContext, "store">, userId: string): Set<string> {
  const out = new Set<string>();
  if (!ctx.store.hasTable("teammembership")) return out;
  const user = userId.toLowerCase();
  for (const m of ctx.store.rows("teammembership")) if (m.systemuserid === user) out.add(String(m.teamid));
  return out;
}

/** The logical name of the table holding `id` among a polymorphic lookup's targets (first target when unknown). */
export function lookupTargetOf(ctx: Pick<ServiceContext, "store">, targets: string[], id: string): string | undefined {
  for (const t of targets) if (ctx.store.hasTable(t) && ctx.store.get(t, id)) return t;
  return targets[0];
}

/**
 * `teams(<id>)/teammembership_association[(<userid>)][/$ref]` and the same from `systemusers(<id>)`:
 * GET lists the related records, POST …/$ref associates, DELETE …(<id>)/$ref (or …/$ref?$id=<url>) disassociates.
 * Returns undefined when `rest` is not this navigation property.
 */
export function teamMembershipOperation(
  ctx: ServiceContext,
  req: ApiRequest,
  t: TableState,
  id: string,
  rest: string,
): InnerResponse | undefined {
  const m = /^teammembership_association(?:\(([^)]*)\))?(\/\$ref)?$/.exec(rest);
  if (!m) return undefined;
  const side = t.schema.logicalName;
  if (side !== "team" && side !== "systemuser") throw segmentNotFound(rest);
  if (!ctx.store.hasTable("teammembership")) throw segmentNotFound(rest);
  if (!t.rows.has(id)) throw recordNotFound(side, id);
  const otherTable = side === "team" ? "systemuser" : "team";
  const other = ctx.store.table(otherTable);
  const pair = (otherId: string): { teamid: string; systemuserid: string } =>
    side === "team" ? { teamid: id, systemuserid: otherId } : { teamid: otherId, systemuserid: id };
  const find = (otherId: string): string | undefined => {
    const p = pair(otherId);
    for (const row of ctx.store.rows("teammembership"))
      if (row.teamid === p.teamid && row.systemuserid === p.systemuserid) return String(row.teammembershipid);
    return undefined;
  };
  const keyed = m[1] !== undefined ? normalizeGuid(decodeURIComponent(m[1])) : undefined;
  if (m[1] !== undefined && !keyed) throw badRequest(`The key '${m[1]}' is not a valid Guid.`);
  const isRef = m[2] !== undefined;
  if (req.method === "GET" && !isRef) {
    const prefs = parsePrefer(req.headers.prefer);
    const project = compileProjection(ctx.compile, other, undefined, [], annotationOptions(prefs.includeAnnotations));
    ctx.privileges.assert({ table: other.schema, right: "Read" });
    const related = [...ctx.store.rows("teammembership")]
      .filter((r) => (side === "team" ? r.teamid === id : r.systemuserid === id))
      .map((r) => other.rows.get(String(side === "team" ? r.systemuserid : r.teamid)))
      .filter((r): r is NonNullable<typeof r> => r !== undefined);
    return json(200, { "@odata.context": `${req.serviceRoot}$metadata#${other.schema.entitySetName}`, value: related.map(project) });
  }
  if (!isRef)
    throw new DataverseError(405, ErrorCodes.badRequest, `The HTTP method '${req.method}' is not supported for '${TEAM_MEMBERSHIP}'.`);
  const teamSchema = ctx.store.table("team").schema;
  if (req.method === "POST" && keyed === undefined) {
    const ref = parseJsonBody(req.body)["@odata.id"];
    const otherId = typeof ref === "string" ? refId(ctx, ref, other) : undefined;
    if (!otherId) throw badRequest(`The '@odata.id' must reference a record of '${other.schema.entitySetName}'.`);
    if (!other.rows.has(otherId)) throw recordNotFound(otherTable, otherId);
    ctx.privileges.assert({ table: teamSchema, right: "Write" });
    if (!find(otherId)) ctx.store.create("teammembership", pair(otherId));
    return noContent();
  }
  if (req.method === "DELETE") {
    const viaQuery = new URLSearchParams(req.query).get("$id");
    const otherId = keyed ?? (viaQuery ? refId(ctx, viaQuery, other) : undefined);
    if (!otherId) throw badRequest(`Name the record to disassociate: '${TEAM_MEMBERSHIP}(<id>)/$ref' or '$ref?$id=<url>'.`);
    ctx.privileges.assert({ table: teamSchema, right: "Write" });
    const membership = find(otherId);
    if (!membership) throw recordNotFound("teammembership", otherId);
    ctx.store.delete("teammembership", membership);
    return noContent();
  }
  throw new DataverseError(405, ErrorCodes.badRequest, `The HTTP method '${req.method}' is not supported for '${TEAM_MEMBERSHIP}/$ref'.`);
}

function refId(ctx: ServiceContext, ref: string, table: TableState): string | undefined {
  let r = ref.trim();
  const idx = r.indexOf(ctx.basePath + "/");
  if (idx >= 0) r = r.slice(idx + ctx.basePath.length + 1);
  const m = /^\/?([A-Za-z0-9_]+)\(([^)]+)\)$/.exec(r);
  if (!m || m[1] !== table.schema.entitySetName) return undefined;
  return normalizeGuid(m[2]);
}
