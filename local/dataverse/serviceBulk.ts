/**
 * Bulk messages of the local Dataverse stand-in: CreateMultiple, UpdateMultiple and UpsertMultiple on one table,
 * each in one transaction (one invalid target rolls the whole call back), targets checked for their @odata.type.
 */
import type { TableState } from "./store";
import { DataverseError, ErrorCodes, badRequest, recordNotFound, segmentNotFound } from "./errors";
import { assertUpdate } from "./privileges";
import type { InnerResponse } from "./batch";
import { json, noContent, normalizeGuid, parseJsonBody, type ApiRequest, type ServiceContext } from "./serviceContext";
import { applyCreateDefaults, applyStateStatus, toStoreValues } from "./serviceValues";

function targetsOf(t: TableState, body: Record<string, unknown>, message: string): Record<string, unknown>[] {
  const targets = body.Targets;
  if (!Array.isArray(targets)) throw badRequest(`${message}: the parameter 'Targets' (a collection of entities) is required.`);
  const entityType = `Microsoft.Dynamics.CRM.${t.schema.logicalName}`;
  targets.forEach((target, i) => {
    if (!target || typeof target !== "object" || Array.isArray(target)) throw badRequest(`${message}: Targets[${i}] is not an entity.`);
    const type = (target as Record<string, unknown>)["@odata.type"];
    if (type === undefined)
      throw badRequest(`${message}: Targets[${i}] lacks '@odata.type'; each target must declare "@odata.type": "${entityType}".`);
    if (type !== entityType && type !== `#${entityType}`) {
      throw badRequest(
        `${message}: Targets[${i}] has '@odata.type' '${String(type)}' but all targets must be of type '${entityType}' (one table per call).`,
      );
    }
  });
  return targets as Record<string, unknown>[];
}

export function bulkOperation(ctx: ServiceContext, req: ApiRequest, t: TableState, action: string): InnerResponse {
  if (req.method !== "POST") throw new DataverseError(405, ErrorCodes.badRequest, `The action '${action}' requires POST.`);
  const body = parseJsonBody(req.body);
  const pk = t.schema.primaryIdAttribute;
  if (action === "CreateMultiple") {
    const targets = targetsOf(t, body, "CreateMultiple");
    const ids = ctx.store.transaction(() =>
      targets.map((target) => {
        const values = applyCreateDefaults(ctx, t, applyStateStatus(t, undefined, toStoreValues(ctx, t, target, "create")));
        ctx.privileges.assert({ table: t.schema, right: "Create", ownerId: (values.ownerid as string | undefined) ?? null });
        const row = ctx.store.create(t.schema.logicalName, values);
        ctx.webhooks.record({ message: "Create", table: t.schema.logicalName, id: String(row[pk]), changed: values, row }, req.headers);
        return String(row[pk]);
      }),
    );
    return json(200, { "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`, Ids: ids });
  }
  if (action === "UpdateMultiple") {
    const targets = targetsOf(t, body, "UpdateMultiple");
    ctx.store.transaction(() => {
      targets.forEach((target, i) => {
        const raw = target[pk];
        const id = typeof raw === "string" ? normalizeGuid(raw) : undefined;
        if (!id) throw badRequest(`UpdateMultiple: Targets[${i}] must contain the primary key '${pk}'.`);
        const existing = t.rows.get(id);
        if (!existing) throw recordNotFound(t.schema.logicalName, id);
        const values = applyStateStatus(t, existing, toStoreValues(ctx, t, target, "update"), id);
        assertUpdate(ctx.privileges, t.schema, existing, values);
        const row = ctx.store.update(t.schema.logicalName, id, values);
        ctx.webhooks.record({ message: "Update", table: t.schema.logicalName, id, changed: values, row }, req.headers);
      });
    });
    return noContent();
  }
  if (action === "UpsertMultiple") {
    const targets = targetsOf(t, body, "UpsertMultiple");
    const results = ctx.store.transaction(() =>
      targets.map((target) => {
        const raw = target[pk];
        const id = typeof raw === "string" ? normalizeGuid(raw) : undefined;
        if (id && t.rows.has(id)) {
          ctx.store.update(t.schema.logicalName, id, applyStateStatus(t, t.rows.get(id), toStoreValues(ctx, t, target, "update"), id));
          return { RecordCreated: false, Target: { "@odata.type": "Microsoft.Dynamics.CRM.crmbaseentity", [pk]: id } };
        }
        const row = ctx.store.create(
          t.schema.logicalName,
          applyCreateDefaults(ctx, t, applyStateStatus(t, undefined, toStoreValues(ctx, t, target, "create"))),
        );
        return { RecordCreated: true, Target: { "@odata.type": "Microsoft.Dynamics.CRM.crmbaseentity", [pk]: String(row[pk]) } };
      }),
    );
    return json(200, { "@odata.context": `${req.serviceRoot}$metadata#Microsoft.Dynamics.CRM.UpsertMultipleResponse`, Results: results });
  }
  throw segmentNotFound(`Microsoft.Dynamics.CRM.${action}`);
}
