/**
 * ComponentFramework.WebApi over DataverseHttpClient: what the dev host hands the control as `context.webAPI`.
 * DOM-free, so integration tests run it in Node against the local server.
 *
 * Behaves like the platform's implementation as documented:
 * - entity *logical* names in, entity *set* names on the wire (resolved from EntityDefinitions, with a fallback);
 * - retrieveMultipleRecords(entity, options, maxPageSize) → {entities, nextLink}; `options` is "?$select=…",
 *   "?fetchXml=…", or the query part (or the whole URL) of a previous nextLink;
 * - create/update/delete resolve with a LookupValue {id, entityType};
 * - failures reject with an ErrorResponse-shaped object {errorCode (number), message, code} (not an Error).
 */
import { DataverseError, DataverseHttpClient, type EntityRecord } from "../../dataverse/client/DataverseHttpClient";

/** The error object the platform's WebApi rejects with. */
export interface WebApiErrorResponse {
  /** Dataverse error code as an unsigned 32-bit number (0x80040217 → 2147746327); 0 when unknown. */
  errorCode: number;
  message: string;
  /** The same code as Dataverse's hex string ("0x80040217"). */
  code: string;
  /** HTTP status of the failed request (not part of the platform object; useful in the dev host). */
  status: number;
  /** Seconds from Retry-After on 429 (not part of the platform object). */
  retryAfter?: number;
}

const KNOWN_SETS: Record<string, string> = {
  account: "accounts",
  territory: "territories",
  systemuser: "systemusers",
  contact: "contacts",
};

/** Naive English plural as Dataverse uses for most entity sets (fallback when metadata is unavailable). */
export function guessEntitySetName(logicalName: string): string {
  if (KNOWN_SETS[logicalName]) return KNOWN_SETS[logicalName];
  if (/[^aeiou]y$/.test(logicalName)) return `${logicalName.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(logicalName)) return `${logicalName}es`;
  return `${logicalName}s`;
}

export function toErrorResponse(e: unknown): WebApiErrorResponse {
  if (e instanceof DataverseError) {
    const parsed = /^0x[0-9a-f]+$/i.test(e.code) ? Number.parseInt(e.code.slice(2), 16) >>> 0 : Number(e.code) || 0;
    return {
      errorCode: parsed,
      message: e.message,
      code: e.code,
      status: e.status,
      ...(e.retryAfterSeconds !== undefined ? { retryAfter: e.retryAfterSeconds } : {}),
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { errorCode: 0, message, code: "", status: 0 };
}

export interface HostWebApiOptions {
  client: DataverseHttpClient;
  /** Logical name → entity set name; when omitted, loaded once from EntityDefinitions (fallback: guess). */
  entitySetNames?: Record<string, string>;
}

export class HostWebApi implements ComponentFramework.WebApi {
  private readonly client: DataverseHttpClient;
  private entitySets: Promise<Record<string, string>> | undefined;

  public constructor(options: HostWebApiOptions) {
    this.client = options.client;
    if (options.entitySetNames) this.entitySets = Promise.resolve({ ...options.entitySetNames });
  }

  public async createRecord(entityType: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    return this.wrap(async () => {
      const id = await this.client.create(await this.setName(entityType), data as EntityRecord);
      return { id, entityType, name: undefined } as unknown as ComponentFramework.LookupValue;
    });
  }

  public async updateRecord(
    entityType: string,
    id: string,
    data: ComponentFramework.WebApi.Entity,
  ): Promise<ComponentFramework.LookupValue> {
    return this.wrap(async () => {
      await this.client.update(await this.setName(entityType), id, data as EntityRecord);
      return { id: normalise(id), entityType, name: undefined } as unknown as ComponentFramework.LookupValue;
    });
  }

  public async deleteRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    return this.wrap(async () => {
      await this.client.delete(await this.setName(entityType), id);
      return { id: normalise(id), entityType, name: undefined } as unknown as ComponentFramework.LookupValue;
    });
  }

  public async retrieveRecord(entityType: string, id: string, options?: string): Promise<ComponentFramework.WebApi.Entity> {
    return this.wrap(async () => this.client.retrieve(await this.setName(entityType), id, options || undefined));
  }

  public async retrieveMultipleRecords(
    entityType: string,
    options?: string,
    maxPageSize?: number,
  ): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    return this.wrap(async () => {
      const set = await this.setName(entityType);
      const pageSize = maxPageSize && maxPageSize > 0 ? maxPageSize : 5000;
      let page;
      if (options && /^https?:\/\//i.test(options)) {
        page = await this.client.retrieveNextPage(options, { maxPageSize: pageSize });
      } else {
        let query = options ?? "";
        if (query && !query.startsWith("?")) query = `?${query}`;
        page = await this.client.retrieveMultiple(set, query, { maxPageSize: pageSize });
      }
      const result: ComponentFramework.WebApi.RetrieveMultipleResponse = { entities: page.value, nextLink: page.nextLink as string };
      if (page.nextLink === undefined) delete (result as { nextLink?: string }).nextLink;
      return result;
    });
  }

  /** Entity set name of a table's logical name. */
  public async setName(logicalName: string): Promise<string> {
    if (!this.entitySets) this.entitySets = this.loadEntitySets();
    const map = await this.entitySets;
    return map[logicalName] ?? guessEntitySetName(logicalName);
  }

  private async loadEntitySets(): Promise<Record<string, string>> {
    const map: Record<string, string> = { ...KNOWN_SETS };
    try {
      const rows = await this.client.retrieveAll<{ LogicalName?: string; EntitySetName?: string }>(
        "EntityDefinitions",
        "?$select=LogicalName,EntitySetName",
        { includeAnnotations: "" },
      );
      for (const r of rows) if (r.LogicalName && r.EntitySetName) map[r.LogicalName] = r.EntitySetName;
    } catch {
      // The stand-in may not serve metadata: the known map and the plural rule cover the product's tables.
    }
    return map;
  }

  private async wrap<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (e) {
      throw toErrorResponse(e);
    }
  }
}

function normalise(id: string): string {
  return id.replace(/^\{|\}$/g, "").toLowerCase();
}
