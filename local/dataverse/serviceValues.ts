/**
 * Request bodies into store values for the local Dataverse stand-in: type checks and conversions per column type
 * (Dataverse's error codes and messages), @odata.bind lookups resolved to ids (also `$n` Content-ID references
 * inside a $batch change set), read-only columns ignored, and the owner of new user-owned records.
 */
import type { AttributeSchema } from "../../dataverse/schema";
import { isLookupType } from "../../dataverse/schema";
import type { Row, TableState } from "./store";
import { DataverseError, ErrorCodes, badRequest, payloadError, recordNotFound, segmentNotFound } from "./errors";
import { normalizeGuid, type ServiceContext } from "./serviceContext";
import { teamCreateDefaults } from "./teams";

function roundTo(n: number, precision: number | undefined): number {
  if (precision === undefined) return n;
  const f = 10 ** precision;
  return Math.round(n * f) / f;
}

/** Resolves an @odata.bind value ("/accounts(id)", absolute URL, "accounts(id)") to the target id. */
export function resolveBind(ctx: ServiceContext, attr: AttributeSchema, owner: TableState, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw badRequest(`The value of '${attr.logicalName}@odata.bind' must be a string URL.`);
  let ref = value.trim();
  const idx = ref.indexOf(ctx.basePath + "/");
  if (idx >= 0) ref = ref.slice(idx + ctx.basePath.length + 1);
  ref = ref.replace(/^\//, "");
  const m = /^([A-Za-z0-9_]+)\(([^)]+)\)$/.exec(ref);
  const id = m ? normalizeGuid(m[2]) : undefined;
  if (!m || !id) throw badRequest(`The value '${value}' of '${attr.logicalName}@odata.bind' is not a valid entity reference.`);
  const target = ctx.store.tableBySet(m[1]);
  if (!target) throw segmentNotFound(m[1]);
  if (!(attr.targets ?? []).includes(target.schema.logicalName)) {
    throw badRequest(
      `The entity set '${m[1]}' is not a valid target of the navigation property '${attr.logicalName}' on type 'Microsoft.Dynamics.CRM.${owner.schema.logicalName}'.`,
    );
  }
  if (!target.rows.has(id)) throw recordNotFound(target.schema.logicalName, id);
  return id;
}

function validationError(message: string): DataverseError {
  return new DataverseError(400, ErrorCodes.validation, `A validation error occurred. ${message}`);
}

export function convertValue(t: TableState, attr: AttributeSchema, value: unknown): unknown {
  if (value === null) return null;
  const name = attr.logicalName;
  const table = t.schema.logicalName;
  const wrongType = (edm: string): DataverseError =>
    payloadError(
      `Cannot convert the literal '${typeof value === "string" ? value : JSON.stringify(value)}' to the expected type '${edm}'. (property '${name}')`,
    );
  switch (attr.type) {
    case "string":
    case "memo": {
      if (typeof value !== "string") throw wrongType("Edm.String");
      const max = attr.maxLength ?? (attr.type === "memo" ? 1048576 : 4000);
      if (value.length > max)
        throw validationError(
          `The length of the '${name}' attribute of the '${table}' entity exceeded the maximum allowed length of '${max}'.`,
        );
      return value;
    }
    case "integer":
    case "bigint":
    case "picklist":
    case "state":
    case "status": {
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(attr.type === "bigint" ? "Edm.Int64" : "Edm.Int32");
      if (attr.options && !attr.options.includes(value))
        throw validationError(`The value ${value} of '${name}' on record of type '${table}' is outside the valid range.`);
      if ((attr.minValue !== undefined && value < attr.minValue) || (attr.maxValue !== undefined && value > attr.maxValue)) {
        throw validationError(
          `The value ${value} of '${name}' on record of type '${table}' is outside the valid range. Accepted range: ${attr.minValue} to ${attr.maxValue}.`,
        );
      }
      return value;
    }
    case "decimal":
    case "double":
    case "money": {
      const n = typeof value === "string" && value.trim() !== "" && attr.type !== "double" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw wrongType(attr.type === "double" ? "Edm.Double" : "Edm.Decimal");
      if ((attr.minValue !== undefined && n < attr.minValue) || (attr.maxValue !== undefined && n > attr.maxValue)) {
        throw validationError(
          `The value ${n} of '${name}' on record of type '${table}' is outside the valid range. Accepted range: ${attr.minValue} to ${attr.maxValue}.`,
        );
      }
      return roundTo(n, attr.precision);
    }
    case "boolean":
      if (typeof value !== "boolean") throw wrongType("Edm.Boolean");
      return value;
    case "datetime": {
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw wrongType("Edm.DateTimeOffset");
      const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
      return d.toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    case "uniqueidentifier": {
      const g = typeof value === "string" ? normalizeGuid(value) : undefined;
      if (!g) throw wrongType("Edm.Guid");
      return g;
    }
    default:
      throw badRequest(`Use '${name}@odata.bind' to set the lookup '${name}'.`);
  }
}

/** Converts a Web API entity body into store values (validated, lookups resolved). */
export function toStoreValues(
  ctx: ServiceContext,
  t: TableState,
  body: Record<string, unknown>,
  mode: "create" | "update",
  refs?: Map<string, string>,
): Row {
  const out: Row = {};
  const entityType = `Microsoft.Dynamics.CRM.${t.schema.logicalName}`;
  for (const [key, rawValue] of Object.entries(body)) {
    const at = key.indexOf("@");
    if (at === 0) {
      if (key === "@odata.type" && rawValue !== entityType && rawValue !== `#${entityType}`) {
        throw badRequest(`The @odata.type '${String(rawValue)}' does not match the entity set's type '${entityType}'.`);
      }
      continue;
    }
    if (at > 0) {
      const prop = key.slice(0, at);
      const annotation = key.slice(at + 1);
      if (annotation !== "odata.bind") continue; // other instance annotations are ignored
      const attr = t.attributes.get(prop);
      if (!attr || !isLookupType(attr.type)) {
        throw payloadError(
          `An undeclared property '${prop}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
        );
      }
      if (attr.readOnly) continue; // e.g. createdby: Dataverse sets it
      let value = rawValue;
      if (typeof value === "string" && value.startsWith("$") && refs?.has(value.slice(1))) value = refs.get(value.slice(1));
      out[attr.logicalName] = resolveBind(ctx, attr, t, value);
      continue;
    }
    const attr = t.attributes.get(key);
    if (!attr) {
      if (/^_.+_value$/.test(key) && resolveLookupValueName(t, key)) {
        throw new DataverseError(
          400,
          "0x80048d19",
          `Error identified in Payload provided by the user for Entity :'${t.schema.entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: Does not support untyped value in non-open type. Use '${key.slice(1, -6)}@odata.bind' instead of '${key}'.`,
        );
      }
      throw payloadError(
        `The property '${key}' does not exist on type '${entityType}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    if (isLookupType(attr.type)) {
      throw badRequest(
        `The property '${key}' is a navigation property; set it with '${key}@odata.bind'. Deep insert is not supported by the local Dataverse stand-in.`,
      );
    }
    if (attr.readOnly) continue; // Dataverse ignores read-only columns such as createdon/versionnumber
    if (attr.logicalName === t.schema.primaryIdAttribute) {
      const g = typeof rawValue === "string" ? normalizeGuid(rawValue) : undefined;
      if (!g) throw badRequest(`Cannot convert the literal '${JSON.stringify(rawValue)}' to the expected type 'Edm.Guid'.`);
      if (mode === "create") out[attr.logicalName] = g;
      continue;
    }
    out[attr.logicalName] = convertValue(t, attr, rawValue);
  }
  return out;
}

/** Dataverse makes the calling user the owner of new user-owned records (state/status defaults: see store). */
export function applyCreateDefaults(ctx: ServiceContext, t: TableState, values: Row): Row {
  const out = teamCreateDefaults(t.schema.logicalName, { ...values });
  const owner = t.attributes.get("ownerid");
  if (t.schema.ownership === "user" && owner && isLookupType(owner.type) && out.ownerid == null)
    out.ownerid = ctx.privileges.callerId() ?? ctx.currentUserId();
  return out;
}

function resolveLookupValueName(t: TableState, key: string): boolean {
  const a = t.attributes.get(key.slice(1, -6));
  return !!a && isLookupType(a.type);
}

/** Dataverse's default status reasons: Active (1) belongs to state Active (0), Inactive (2) to Inactive (1). */
const DEFAULT_STATUS_STATE: Record<number, number> = { 1: 0, 2: 1 };
const STATE_NAMES: Record<number, string> = { 0: "Active", 1: "Inactive" };

/**
 * statecode / statuscode as Dataverse keeps them: a status reason must belong to the record's (new) state, else
 * 400 "<n> is not a valid status code for state code <Table>State.<State>" (0x80048408, "State code is invalid or
 * state code is valid but status code is invalid for a specified state code"); a new statecode without a
 * statuscode gets that state's default status reason. Only the default status reasons (1, 2) are known here.
 */
export function applyStateStatus(t: TableState, existing: Row | undefined, values: Row, id?: string): Row {
  const state = t.attributes.get("statecode");
  const status = t.attributes.get("statuscode");
  if (state?.type !== "state" || status?.type !== "status") return values;
  if (!("statecode" in values) && !("statuscode" in values)) return values;
  const known = (status.options ?? [1, 2]).every((o) => o in DEFAULT_STATUS_STATE);
  if (!known) return values;
  const newState = (values.statecode ?? existing?.statecode ?? 0) as number | null;
  const out = { ...values };
  if (values.statuscode == null) {
    if ("statecode" in values && newState != null) {
      const def = Object.entries(DEFAULT_STATUS_STATE).find(([, s]) => s === newState);
      if (def) out.statuscode = Number(def[0]);
    }
    return out;
  }
  const statusValue = values.statuscode as number;
  if (newState != null && DEFAULT_STATUS_STATE[statusValue] !== newState) {
    const table = t.schema.logicalName;
    const typeName = table.charAt(0).toUpperCase() + table.slice(1);
    throw new DataverseError(
      400,
      ErrorCodes.invalidStateStatus,
      `${statusValue} is not a valid status code for state code ${typeName}State.${STATE_NAMES[newState] ?? newState} on ${table}${id ? ` with Id ${id}` : ""}.`,
    );
  }
  return out;
}
