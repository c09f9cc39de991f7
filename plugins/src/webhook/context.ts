/**
 * The RemoteExecutionContext Dataverse POSTs to a webhook (JSON, messageformat 2), validated.
 * Attribute values arrive in the DataContract JSON shapes: EntityReference {Id, LogicalName}, OptionSetValue
 * {Value}, Money {Value}, dates "/Date(ms)/"; `attributeValue` flattens them.
 */

export interface KeyValue {
  key: string;
  value: unknown;
}

export interface WebhookEntity {
  LogicalName: string;
  Id: string;
  Attributes: KeyValue[];
}

export interface RemoteExecutionContext {
  MessageName: string;
  PrimaryEntityName: string;
  PrimaryEntityId: string;
  Depth: number;
  UserId: string;
  InitiatingUserId: string;
  CorrelationId: string;
  OperationId: string | null;
  RequestId: string | null;
  Stage: number | null;
  Mode: number | null;
  OwningExtensionId: string | null;
  InputParameters: KeyValue[];
  PreEntityImages: KeyValue[];
  PostEntityImages: KeyValue[];
  /** The Target entity (Create / Update), when InputParameters carry one. */
  target: WebhookEntity | null;
}

export class PayloadError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "PayloadError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

function guid(v: unknown, field: string, optional = false): string | null {
  if ((v === null || v === undefined) && optional) return null;
  if (typeof v !== "string" || !GUID.test(v)) throw new PayloadError(`${field} must be a GUID.`);
  return v.replace(/^\{|\}$/g, "").toLowerCase();
}

function keyValues(v: unknown, field: string): KeyValue[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new PayloadError(`${field} must be a list of {key, value}.`);
  return v.map((kv: unknown, i) => {
    if (!kv || typeof kv !== "object" || typeof (kv as { key?: unknown }).key !== "string")
      throw new PayloadError(`${field}[${i}] must be {key, value}.`);
    return { key: (kv as KeyValue).key, value: (kv as KeyValue).value };
  });
}

function entity(v: unknown, field: string): WebhookEntity {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new PayloadError(`${field} must be an Entity.`);
  const o = v as Record<string, unknown>;
  if (typeof o.LogicalName !== "string" || !NAME.test(o.LogicalName)) throw new PayloadError(`${field}.LogicalName must be a table name.`);
  return {
    LogicalName: o.LogicalName,
    Id: guid(o.Id, `${field}.Id`, true) ?? "",
    Attributes: keyValues(o.Attributes, `${field}.Attributes`),
  };
}

/** Parses and validates the body; throws PayloadError with a message naming the first problem. */
export function parseRemoteExecutionContext(body: string): RemoteExecutionContext {
  if (!body.trim()) throw new PayloadError("The request body is empty; a RemoteExecutionContext (JSON) was expected.");
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw new PayloadError(`The request body is not JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new PayloadError("The request body must be a JSON object (RemoteExecutionContext).");
  const o = raw as Record<string, unknown>;
  for (const f of ["MessageName", "PrimaryEntityName"] as const) {
    if (typeof o[f] !== "string" || !NAME.test(o[f] as string)) throw new PayloadError(`${f} must be a name.`);
  }
  if (typeof o.Depth !== "number" || !Number.isInteger(o.Depth) || o.Depth < 1) throw new PayloadError("Depth must be a positive integer.");
  const input = keyValues(o.InputParameters, "InputParameters");
  const targetKv = input.find((kv) => kv.key === "Target");
  let target: WebhookEntity | null = null;
  if (
    targetKv &&
    targetKv.value &&
    typeof targetKv.value === "object" &&
    "LogicalName" in (targetKv.value as object) &&
    "Attributes" in (targetKv.value as object)
  ) {
    target = entity(targetKv.value, "InputParameters.Target");
  }
  const owning = o.OwningExtension && typeof o.OwningExtension === "object" ? (o.OwningExtension as Record<string, unknown>).Id : null;
  const ctx: RemoteExecutionContext = {
    MessageName: o.MessageName as string,
    PrimaryEntityName: (o.PrimaryEntityName as string).toLowerCase(),
    PrimaryEntityId: guid(o.PrimaryEntityId, "PrimaryEntityId") as string,
    Depth: o.Depth,
    UserId: guid(o.UserId, "UserId") as string,
    InitiatingUserId: guid(o.InitiatingUserId ?? o.UserId, "InitiatingUserId") as string,
    CorrelationId: guid(o.CorrelationId, "CorrelationId") as string,
    OperationId: guid(o.OperationId, "OperationId", true),
    RequestId: guid(o.RequestId, "RequestId", true),
    Stage: typeof o.Stage === "number" ? o.Stage : null,
    Mode: typeof o.Mode === "number" ? o.Mode : null,
    OwningExtensionId: guid(owning, "OwningExtension.Id", true),
    InputParameters: input,
    PreEntityImages: keyValues(o.PreEntityImages, "PreEntityImages"),
    PostEntityImages: keyValues(o.PostEntityImages, "PostEntityImages"),
    target,
  };
  if (target && target.LogicalName.toLowerCase() !== ctx.PrimaryEntityName)
    throw new PayloadError("InputParameters.Target is not of the PrimaryEntityName table.");
  return ctx;
}

/** A DataContract attribute value flattened: EntityReference → id, OptionSetValue / Money → number, /Date(ms)/ → ISO. */
export function attributeValue(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.Id === "string" && typeof o.LogicalName === "string") return o.Id.toLowerCase();
    if ("Value" in o) return o.Value;
  }
  if (typeof v === "string") {
    const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(v);
    if (m) return new Date(Number(m[1])).toISOString();
  }
  return v;
}

/** The Target's attributes as a plain map (lower-case names, flattened values). */
export function targetAttributes(ctx: RemoteExecutionContext): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const kv of ctx.target?.Attributes ?? []) m.set(kv.key.toLowerCase(), attributeValue(kv.value));
  return m;
}
