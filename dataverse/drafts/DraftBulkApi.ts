/**
 * What the drafts layer needs beyond ComponentFramework.WebApi (context.webAPI has no $batch and no If-Match):
 * atomic groups of writes and the conditional final step of a save. One call is one Web API request.
 *
 * {@link HttpDraftBulkApi} implements it over DataverseHttpClient (the organisation's Web API, as publishing
 * uses it); FakeDraftRepository's in-memory Web API implements it for unit tests.
 */
import type { DataverseHttpClient } from "../client/DataverseHttpClient";
import type { BatchItem, BatchRequest } from "../client/batch";

export type DraftEntity = Record<string, unknown>;

export interface DraftRowRef {
  /** Table logical name. */
  entity: string;
  id: string;
}

export interface DraftBulkApi {
  /** Creates the rows in ONE atomic change set: every row or none. Resolves with the new ids in input order. */
  createAtomically(rows: { entity: string; data: DraftEntity }[]): Promise<string[]>;
  /**
   * ONE atomic change set: `PATCH entity(id)` with `If-Match: <etag>`, then the deletes. When the row changed since
   * the etag was read, Dataverse answers 412 (0x80060882) and nothing of the change set is applied; the promise
   * rejects with that error (status 412). A delete of a row that no longer exists fails the change set (404).
   */
  updateIfMatch(entity: string, id: string, data: DraftEntity, etag: string, alsoDelete?: DraftRowRef[]): Promise<void>;
  /** Deletes each row on its own (one $batch, continue on error); rows already gone are not an error. */
  deleteEach(rows: DraftRowRef[]): Promise<void>;
  /** Runs the GET queries (`?$select=…&$filter=…`) in one $batch; every page of each. */
  retrieveEach(queries: { entity: string; query: string }[]): Promise<DraftEntity[][]>;
}

/** Table logical name → entity set name, for the tables the drafts layer writes. */
export const DRAFT_ENTITY_SETS: Record<string, string> = {
  tmap_plan: "tmap_plans",
  tmap_assignmentchunk: "tmap_assignmentchunks",
  tmap_draftterritory: "tmap_draftterritories",
};

const NOT_FOUND = 0x80040217;

/** DraftBulkApi over the organisation's Web API ($batch change sets, If-Match). */
export class HttpDraftBulkApi implements DraftBulkApi {
  private readonly client: DataverseHttpClient;
  private readonly sets: Record<string, string>;

  public constructor(client: DataverseHttpClient, entitySets: Record<string, string> = DRAFT_ENTITY_SETS) {
    this.client = client;
    this.sets = entitySets;
  }

  public async createAtomically(rows: { entity: string; data: DraftEntity }[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const changeSet: BatchRequest[] = rows.map((r, i) => ({
      method: "POST",
      url: this.set(r.entity),
      body: r.data,
      contentId: String(i + 1),
    }));
    const responses = await this.client.executeBatch([{ changeSet }]);
    throwFirstError(responses);
    if (responses.length !== rows.length) throw new Error(`$batch answered ${responses.length} parts for ${rows.length} creates`);
    return responses.map((r) => {
      if (!r.entityId) throw new Error("A create in the $batch carried no OData-EntityId");
      return r.entityId;
    });
  }

  public async updateIfMatch(entity: string, id: string, data: DraftEntity, etag: string, alsoDelete: DraftRowRef[] = []): Promise<void> {
    const changeSet: BatchRequest[] = [
      { method: "PATCH", url: `${this.set(entity)}(${id})`, body: data, headers: { "If-Match": etag }, contentId: "1" },
      ...alsoDelete.map((d, i): BatchRequest => ({ method: "DELETE", url: `${this.set(d.entity)}(${d.id})`, contentId: String(i + 2) })),
    ];
    throwFirstError(await this.client.executeBatch([{ changeSet }]));
  }

  public async deleteEach(rows: DraftRowRef[]): Promise<void> {
    if (rows.length === 0) return;
    const items: BatchItem[] = rows.map((d) => ({ method: "DELETE", url: `${this.set(d.entity)}(${d.id})` }));
    const responses = await this.client.executeBatch(items, { continueOnError: true });
    throwFirstError(responses.filter((r) => !(r.error && (r.status === 404 || Number.parseInt(r.error.code, 16) >>> 0 === NOT_FOUND))));
  }

  public async retrieveEach(queries: { entity: string; query: string }[]): Promise<DraftEntity[][]> {
    if (queries.length === 0) return [];
    const items: BatchItem[] = queries.map((q) => ({
      method: "GET",
      url: `${this.set(q.entity)}${q.query.startsWith("?") ? q.query : `?${q.query}`}`,
      headers: { Prefer: "odata.maxpagesize=5000" },
    }));
    const responses = await this.client.executeBatch(items);
    throwFirstError(responses);
    const out: DraftEntity[][] = [];
    for (const r of responses) {
      const body = (r.body ?? {}) as { value?: DraftEntity[]; "@odata.nextLink"?: string };
      const rows = [...(body.value ?? [])];
      let next = body["@odata.nextLink"];
      while (next) {
        const page = await this.client.retrieveNextPage<DraftEntity>(next, { maxPageSize: 5000 });
        rows.push(...page.value);
        next = page.nextLink;
      }
      out.push(rows);
    }
    return out;
  }

  private set(entity: string): string {
    const s = this.sets[entity];
    if (!s) throw new Error(`No entity set name known for '${entity}'`);
    return s;
  }
}

function throwFirstError(responses: { error: unknown }[]): void {
  for (const r of responses) if (r.error) throw r.error;
}
