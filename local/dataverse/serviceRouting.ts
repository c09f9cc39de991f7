/**
 * Routing of one Web API request in the local Dataverse stand-in (below the service root): the service document,
 * $metadata, WhoAmI, RetrieveTotalRecordCount, RetrieveUserPrivileges, entity sets, records, properties, /$count
 * and the bulk messages. executeSingle returns every error as a Dataverse error response.
 */
import { isLookupType } from "../../dataverse/schema";
import type { TableState } from "./store";
import { DataverseError, badRequest, segmentNotFound } from "./errors";
import { outputName } from "./query";
import type { InnerResponse } from "./batch";
import {
  BUSINESS_UNIT_ID,
  ORGANIZATION_ID,
  errorResponse,
  json,
  methodNotAllowed,
  normalizeGuid,
  type ApiRequest,
  type ServiceContext,
} from "./serviceContext";
import { countCollection, getCollection, getRecord } from "./serviceRead";
import { createRecord, deleteRecord, patchRecord, propertyOperation } from "./serviceWrite";
import { bulkOperation } from "./serviceBulk";
import { teamMembershipOperation } from "./teams";

function tableForSegment(ctx: ServiceContext, segment: string): TableState {
  const t = ctx.store.tableBySet(segment);
  if (!t) throw segmentNotFound(segment);
  return t;
}

function parseKey(t: TableState, key: string): string {
  const g = normalizeGuid(key.trim());
  if (g) return g;
  const pkForm = new RegExp(`^${t.schema.primaryIdAttribute}=(.+)$`).exec(key.trim());
  if (pkForm) {
    const g2 = normalizeGuid(pkForm[1]);
    if (g2) return g2;
  }
  throw badRequest(
    `The key '${key}' is not valid for the entity set '${t.schema.entitySetName}'. Alternate keys are not supported by the local Dataverse stand-in.`,
  );
}

/** RetrieveTotalRecordCount(EntityNames=['account']) or with a parameter alias (?@p1=['account']). */
function retrieveTotalRecordCount(ctx: ServiceContext, req: ApiRequest, args: string): InnerResponse {
  let list = /^EntityNames=(.*)$/.exec(args.trim())?.[1]?.trim();
  if (list?.startsWith("@")) list = new URLSearchParams(req.query).get(list) ?? undefined;
  if (!list || !/^\[.*\]$/.test(list)) throw badRequest("RetrieveTotalRecordCount requires EntityNames=['<logical name>', …].");
  const names = [...list.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  for (const n of names) if (!ctx.store.hasTable(n)) throw badRequest(`The entity '${n}' does not exist.`);
  return json(200, {
    "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse`,
    EntityRecordCountCollection: { Count: names.length, IsReadOnly: false, Keys: names, Values: names.map((n) => ctx.store.count(n)) },
  });
}

function serviceDocument(ctx: ServiceContext, req: ApiRequest): InnerResponse {
  return json(200, {
    "@odata.context": `${req.serviceRoot}$metadata`,
    value: ctx.store.schemas().map((s) => ({ name: s.entitySetName, kind: "EntitySet", url: s.entitySetName })),
  });
}

function metadataDocument(ctx: ServiceContext): InnerResponse {
  const edm: Record<string, string> = {
    string: "Edm.String",
    memo: "Edm.String",
    integer: "Edm.Int32",
    bigint: "Edm.Int64",
    decimal: "Edm.Decimal",
    money: "Edm.Decimal",
    double: "Edm.Double",
    boolean: "Edm.Boolean",
    datetime: "Edm.DateTimeOffset",
    picklist: "Edm.Int32",
    state: "Edm.Int32",
    status: "Edm.Int32",
    uniqueidentifier: "Edm.Guid",
    lookup: "Edm.Guid",
    owner: "Edm.Guid",
  };
  let xml =
    '<?xml version="1.0" encoding="utf-8"?>\n<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    '<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">';
  for (const s of ctx.store.schemas()) {
    xml += `<EntityType Name="${s.logicalName}"><Key><PropertyRef Name="${s.primaryIdAttribute}"/></Key>`;
    for (const a of s.attributes) xml += `<Property Name="${outputName(a)}" Type="${edm[a.type]}"/>`;
    for (const a of s.attributes)
      if (isLookupType(a.type) && a.targets?.[0]) xml += `<NavigationProperty Name="${a.logicalName}" Type="mscrm.${a.targets[0]}"/>`;
    xml += "</EntityType>";
  }
  xml += '<EntityContainer Name="System">';
  for (const s of ctx.store.schemas()) xml += `<EntitySet Name="${s.entitySetName}" EntityType="Microsoft.Dynamics.CRM.${s.logicalName}"/>`;
  xml += "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>";
  return { status: 200, headers: { "OData-Version": "4.0", "Content-Type": "application/xml" }, body: xml };
}

export function executeSingle(ctx: ServiceContext, req: ApiRequest, refs?: Map<string, string>): InnerResponse {
  try {
    const path = req.path.replace(/^\/+/, "");
    if (path === "") {
      if (req.method !== "GET") throw methodNotAllowed(req.method, "the service document");
      return serviceDocument(ctx, req);
    }
    if (path === "$metadata") return metadataDocument(ctx);
    if (path === "WhoAmI" || path === "WhoAmI()") {
      if (req.method !== "GET")
        throw new DataverseError(404, "", `No HTTP resource was found that matches the request URI '${req.serviceRoot}WhoAmI'.`);
      return json(200, {
        "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: BUSINESS_UNIT_ID,
        UserId: ctx.privileges.callerId() ?? ctx.currentUserId(),
        OrganizationId: ORGANIZATION_ID,
      });
    }
    const totalCount = /^RetrieveTotalRecordCount\((.*)\)$/.exec(path);
    if (totalCount) {
      if (req.method !== "GET") throw methodNotAllowed(req.method, "RetrieveTotalRecordCount");
      return retrieveTotalRecordCount(ctx, req, decodeURIComponent(totalCount[1]));
    }
    const userPrivileges = ctx.privileges.retrieveUserPrivileges(path, req.serviceRoot);
    if (userPrivileges) return json(200, userPrivileges);
    if (path === "$batch") throw badRequest("A $batch request cannot contain another $batch request.");
    const m = /^([A-Za-z0-9_]+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(path);
    if (!m) throw segmentNotFound(path);
    let segment: string;
    try {
      segment = decodeURIComponent(m[1]);
    } catch {
      throw segmentNotFound(m[1]);
    }
    const t = tableForSegment(ctx, segment);
    const keyText = m[2] !== undefined ? decodeURIComponent(m[2]) : undefined;
    const rest = m[3] !== undefined ? decodeURIComponent(m[3]) : undefined;
    if (keyText === undefined) {
      if (rest === undefined) {
        if (req.method === "GET") return getCollection(ctx, req, t);
        if (req.method === "POST") return createRecord(ctx, req, t, refs);
        throw methodNotAllowed(req.method, `the entity set '${t.schema.entitySetName}'`);
      }
      if (rest === "$count") {
        if (req.method !== "GET") throw methodNotAllowed(req.method, "$count");
        return countCollection(ctx, req, t);
      }
      const action = /^Microsoft\.Dynamics\.CRM\.(CreateMultiple|UpdateMultiple|UpsertMultiple)$/.exec(rest);
      if (action) return bulkOperation(ctx, req, t, action[1]);
      throw segmentNotFound(rest);
    }
    const id = parseKey(t, keyText);
    if (rest !== undefined) return teamMembershipOperation(ctx, req, t, id, rest) ?? propertyOperation(ctx, req, t, id, rest);
    switch (req.method) {
      case "GET":
        return getRecord(ctx, req, t, id);
      case "PATCH":
        return patchRecord(ctx, req, t, id, refs);
      case "DELETE":
        return deleteRecord(ctx, req, t, id);
      default:
        throw methodNotAllowed(req.method, "an entity");
    }
  } catch (e) {
    return errorResponse(e);
  }
}
