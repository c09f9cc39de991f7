/**
 * ComponentFramework.WebApi over DataverseHttpClient for Node, so the control's WebApiDraftRepository (the save
 * protocol that never leaves a half-written draft looking complete) runs unchanged in the handlers.
 * Errors are the client's DataverseError (status, code, retryAfterSeconds), which the repository understands.
 */
import { DataverseHttpClient, type EntityRecord } from "../../../dataverse/client/DataverseHttpClient";

/** Entity set names of the tables the handlers touch (logical name → set). */
export const ENTITY_SETS: Readonly<Record<string, string>> = {
  account: "accounts",
  territory: "territories",
  systemuser: "systemusers",
  tmap_plan: "tmap_plans",
  tmap_assignmentchunk: "tmap_assignmentchunks",
  tmap_assignmentrule: "tmap_assignmentrules",
  tmap_draftterritory: "tmap_draftterritories",
  tmap_alert: "tmap_alerts",
  tmap_publishlog: "tmap_publishlogs",
};

export function entitySet(logicalName: string): string {
  const s = ENTITY_SETS[logicalName];
  if (!s) throw new Error(`No entity set known for table '${logicalName}'`);
  return s;
}

type Entity = ComponentFramework.WebApi.Entity;

export class ServerWebApi implements ComponentFramework.WebApi {
  public constructor(private readonly client: DataverseHttpClient) {}

  public async createRecord(entityType: string, data: Entity): Promise<ComponentFramework.LookupValue> {
    const id = await this.client.create(entitySet(entityType), data as EntityRecord);
    return { id, entityType } as ComponentFramework.LookupValue;
  }

  public async updateRecord(entityType: string, id: string, data: Entity): Promise<ComponentFramework.LookupValue> {
    await this.client.update(entitySet(entityType), id, data as EntityRecord);
    return { id, entityType } as ComponentFramework.LookupValue;
  }

  public async deleteRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    await this.client.delete(entitySet(entityType), id);
    return { id, entityType } as ComponentFramework.LookupValue;
  }

  public async retrieveRecord(entityType: string, id: string, options?: string): Promise<Entity> {
    return this.client.retrieve<Entity>(entitySet(entityType), id, options || undefined);
  }

  public async retrieveMultipleRecords(
    entityType: string,
    options?: string,
    maxPageSize?: number,
  ): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    const set = entitySet(entityType);
    const page =
      options && /^https?:/i.test(options)
        ? await this.client.retrieveNextPage<Entity>(options, { maxPageSize })
        : await this.client.retrieveMultiple<Entity>(set, options || undefined, { maxPageSize });
    return { entities: page.value, nextLink: page.nextLink as string };
  }
}
