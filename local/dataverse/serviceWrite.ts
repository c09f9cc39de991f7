/**
 * Record writes in the local Dataverse stand-in: create (POST), update and upsert (PATCH, with If-Match /
 * If-None-Match: * and 412 on a version mismatch), delete, single properties and single-valued navigation
 * references ($ref); privilege checks and webhook records on create and update; Prefer: return=representation.
 * Deletes apply the relationships' cascade behaviour (cascade.ts).
 */
import { isLookupType } from "../../dataverse/schema";
import type { Row, TableState } from "./store";
import { DataverseError, ErrorCodes, badRequest, recordNotFound, segmentNotFound } from "./errors";
import { assertUpdate } from "./privileges";
import { parsePrefer } from "./odata";
import type { Preferences } from "./odata";
import { annotationOptions, compileProjection, contextSelectSuffix, etagOf, outputName, resolveAttribute } from "./query";
import type { InnerResponse } from "./batch";
import {
  entityUrl,
  json,
  noContent,
  normalizeGuid,
  parseJsonBody,
  preferenceApplied,
  type ApiRequest,
  type ServiceContext,
} from "./serviceContext";
import { applyCreateDefaults, applyStateStatus, convertValue, resolveBind, toStoreValues } from "./serviceValues";
import { getRecord, parseQueryOptions } from "./serviceRead";
import { deleteWithCascade } from "./cascade";

function checkIfMatch(t: TableState, id: string, existing: Row | undefined, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  if (!existing) throw recordNotFound(t.schema.logicalName, id);
  if (ifMatch.trim() === "*") return;
  const tags = ifMatch.split(",").map((s) => s.trim());
  if (!tags.includes(etagOf(existing))) {
    throw new DataverseError(
      412,
      ErrorCodes.concurrencyVersionMismatch,
      "The version of the existing record doesn't match the RowVersion property provided.",
    );
  }
}

function representation(ctx: ServiceContext, req: ApiRequest, t: TableState, row: Row, status: number, prefs: Preferences): InnerResponse {
  const opts = parseQueryOptions(req.query, new Set(["$select", "$expand"]));
  const project = compileProjection(ctx.compile, t, opts.select, opts.expand, annotationOptions(prefs.includeAnnotations));
  const id = String(row[t.schema.primaryIdAttribute]);
  const body = {
    "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}${contextSelectSuffix(opts.select, opts.expand)}/$entity`,
    ...project(row),
  };
  return json(status, body, {
    ETag: etagOf(row),
    "OData-EntityId": entityUrl(req.serviceRoot, t, id),
    ...preferenceApplied(prefs, ["return=representation"]),
  });
}

export function createRecord(ctx: ServiceContext, req: ApiRequest, t: TableState, refs?: Map<string, string>): InnerResponse {
  const prefs = parsePrefer(req.headers.prefer);
  if (req.query) parseQueryOptions(req.query, new Set(["$select", "$expand"]));
  const values = applyCreateDefaults(
    ctx,
    t,
    applyStateStatus(t, undefined, toStoreValues(ctx, t, parseJsonBody(req.body), "create", refs)),
  );
  ctx.privileges.assert({ table: t.schema, right: "Create", ownerId: (values.ownerid as string | undefined) ?? null });
  const row = ctx.store.create(t.schema.logicalName, values);
  const id = String(row[t.schema.primaryIdAttribute]);
  ctx.webhooks.record({ message: "Create", table: t.schema.logicalName, id, changed: values, row }, req.headers);
  if (prefs.returnRepresentation) return representation(ctx, req, t, row, 201, prefs);
  return noContent({ "OData-EntityId": entityUrl(req.serviceRoot, t, id) });
}

export function patchRecord(ctx: ServiceContext, req: ApiRequest, t: TableState, id: string, refs?: Map<string, string>): InnerResponse {
  const prefs = parsePrefer(req.headers.prefer);
  const existing = t.rows.get(id);
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch?.trim() === "*" && existing) {
    throw new DataverseError(412, ErrorCodes.duplicateRecord, "A record with matching key values already exists.");
  }
  checkIfMatch(t, id, existing, req.headers["if-match"]);
  const body = parseJsonBody(req.body);
  const pkValue = body[t.schema.primaryIdAttribute];
  if (pkValue !== undefined && (typeof pkValue !== "string" || normalizeGuid(pkValue) !== id)) {
    throw badRequest(`The value of the primary key '${t.schema.primaryIdAttribute}' in the payload doesn't match the key in the URL.`);
  }
  let row: Row;
  let created = false;
  if (existing) {
    const values = applyStateStatus(t, existing, toStoreValues(ctx, t, body, "update", refs), id);
    assertUpdate(ctx.privileges, t.schema, existing, values);
    row = ctx.store.update(t.schema.logicalName, id, values);
    ctx.webhooks.record({ message: "Update", table: t.schema.logicalName, id, changed: values, row }, req.headers);
  } else {
    ctx.privileges.assert({ table: t.schema, right: "Create" });
    row = ctx.store.create(
      t.schema.logicalName,
      applyCreateDefaults(ctx, t, {
        ...applyStateStatus(t, undefined, toStoreValues(ctx, t, body, "update", refs)),
        [t.schema.primaryIdAttribute]: id,
      }),
    );
    ctx.webhooks.record({ message: "Create", table: t.schema.logicalName, id, changed: row, row }, req.headers);
    created = true;
  }
  if (prefs.returnRepresentation) return representation(ctx, req, t, row, created ? 201 : 200, prefs);
  return noContent({ "OData-EntityId": entityUrl(req.serviceRoot, t, id) });
}

export function deleteRecord(ctx: ServiceContext, req: ApiRequest, t: TableState, id: string): InnerResponse {
  const existing = t.rows.get(id);
  if (!existing) throw recordNotFound(t.schema.logicalName, id);
  checkIfMatch(t, id, existing, req.headers["if-match"]);
  ctx.privileges.assert({ table: t.schema, right: "Delete", ownerId: (existing.ownerid as string | undefined) ?? null });
  deleteWithCascade(ctx.store, t, id);
  return noContent();
}

export function propertyOperation(ctx: ServiceContext, req: ApiRequest, t: TableState, id: string, prop: string): InnerResponse {
  const existing = t.rows.get(id);
  // Single-valued navigation reference: <set>(id)/<nav>/$ref
  const refMatch = /^([A-Za-z0-9_]+)\/\$ref$/.exec(prop);
  if (refMatch) {
    const attr = t.attributes.get(refMatch[1]);
    if (!attr || !isLookupType(attr.type)) throw segmentNotFound(refMatch[1]);
    if (!existing) throw recordNotFound(t.schema.logicalName, id);
    if (req.method === "PUT") {
      const body = parseJsonBody(req.body);
      ctx.store.update(t.schema.logicalName, id, { [attr.logicalName]: resolveBind(ctx, attr, t, body["@odata.id"]) });
      return noContent();
    }
    if (req.method === "DELETE") {
      ctx.store.update(t.schema.logicalName, id, { [attr.logicalName]: null });
      return noContent();
    }
    throw new DataverseError(405, ErrorCodes.badRequest, `The method '${req.method}' is not supported for '$ref'.`);
  }
  if (!/^[A-Za-z0-9_]+$/.test(prop)) throw segmentNotFound(prop);
  const attr =
    t.attributes.get(prop) ??
    (() => {
      try {
        return resolveAttribute(t, prop);
      } catch {
        return undefined;
      }
    })();
  if (!attr) throw segmentNotFound(prop);
  if (!existing) throw recordNotFound(t.schema.logicalName, id);
  if (req.method === "GET") {
    if (isLookupType(attr.type) && prop === attr.logicalName) {
      // Single-valued navigation property: the related record.
      const targetName = attr.targets?.[0];
      const target = targetName && ctx.store.hasTable(targetName) ? ctx.store.table(targetName) : undefined;
      const related =
        target && typeof existing[attr.logicalName] === "string" ? target.rows.get(existing[attr.logicalName] as string) : undefined;
      if (!target || !related) return noContent();
      return getRecord(ctx, { ...req, path: "" }, target, String(related[target.schema.primaryIdAttribute]));
    }
    const v = existing[attr.logicalName];
    return json(200, {
      "@odata.context": `${req.serviceRoot}$metadata#${t.schema.entitySetName}(${id})/${outputName(attr)}`,
      value: v === undefined ? null : v,
    });
  }
  if (attr.readOnly || attr.logicalName === t.schema.primaryIdAttribute) throw badRequest(`The property '${prop}' cannot be updated.`);
  if (isLookupType(attr.type))
    throw badRequest(`Use '${attr.logicalName}@odata.bind' or '${attr.logicalName}/$ref' to set the lookup '${attr.logicalName}'.`);
  checkIfMatch(t, id, existing, req.headers["if-match"]);
  if (req.method === "PUT") {
    const body = parseJsonBody(req.body);
    if (!("value" in body)) throw badRequest("The request body must be an object with a 'value' property.");
    ctx.store.update(t.schema.logicalName, id, { [attr.logicalName]: convertValue(t, attr, body.value) });
    return noContent();
  }
  if (req.method === "DELETE") {
    ctx.store.update(t.schema.logicalName, id, { [attr.logicalName]: null });
    return noContent();
  }
  throw new DataverseError(405, ErrorCodes.badRequest, `The method '${req.method}' is not supported for a property.`);
}
