/** OData query strings, record ids and bulk-request helpers of the Web API client. */

/** OData system query options; a string is used as is (with or without the leading "?"). */
export interface QueryOptions {
  select?: string[];
  filter?: string;
  orderby?: string;
  expand?: string;
  top?: number;
  count?: boolean;
  apply?: string;
}
export type Query = string | QueryOptions | undefined;

export type EntityRecord = Record<string, unknown>;

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
/** Dataverse's limit per CreateMultiple/UpdateMultiple call. */
export const MAX_BULK_RECORDS = 1000;

/** "?$select=a,b&$filter=…" from options; strings are passed through (a leading "?" is added when missing). */
export function buildQuery(query: Query): string {
  if (query === undefined || query === "") return "";
  if (typeof query === "string") return query.startsWith("?") ? query : `?${query}`;
  const parts: string[] = [];
  if (query.select?.length) parts.push(`$select=${query.select.join(",")}`);
  if (query.filter) parts.push(`$filter=${encodeURIComponent(query.filter)}`);
  if (query.orderby) parts.push(`$orderby=${encodeURIComponent(query.orderby)}`);
  if (query.expand) parts.push(`$expand=${encodeURIComponent(query.expand)}`);
  if (query.apply) parts.push(`$apply=${encodeURIComponent(query.apply)}`);
  if (query.top !== undefined) parts.push(`$top=${query.top}`);
  if (query.count) parts.push("$count=true");
  return parts.length ? `?${parts.join("&")}` : "";
}

/** The GUID inside an OData-EntityId value such as "https://org/api/data/v9.2/accounts(00000000-…)". */
export function idFromEntityIdHeader(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const m = /\(([^)]*)\)\s*$/.exec(value);
  const inner = m ? m[1] : value;
  const g = GUID.exec(inner);
  return g ? g[0].toLowerCase() : undefined;
}

export function normaliseId(id: string): string {
  return id.replace(/^\{|\}$/g, "");
}

export function withODataType(record: EntityRecord, logicalName: string): EntityRecord {
  return { ...record, "@odata.type": `Microsoft.Dynamics.CRM.${logicalName}` };
}

export function clampChunk(size: number | undefined): number {
  return Math.max(1, Math.min(MAX_BULK_RECORDS, Math.floor(size ?? MAX_BULK_RECORDS)));
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function findGuidValue(record: EntityRecord): string | undefined {
  for (const [key, value] of Object.entries(record)) {
    if (key.endsWith("id") && typeof value === "string" && GUID.test(value)) return value.toLowerCase();
  }
  return undefined;
}

export async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}
