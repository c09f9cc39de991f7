/** Local Dataverse server with the solution's tables, and the dev host's context.webAPI over HTTP. */
import { startDataverseServer, type DataverseServer } from "../../../local/dataverse";
import { HostWebApi } from "../../../local/host/webApi";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { loadSolutionTables } from "../../../solution/tables";
import { HttpDraftBulkApi } from "../../../dataverse/drafts/DraftBulkApi";
import { WebApiDraftRepository, type WebApiDraftRepositoryOptions } from "../../../dataverse/drafts/WebApiDraftRepository";

export const ENTITY_SETS = {
  tmap_plan: "tmap_plans",
  tmap_assignmentchunk: "tmap_assignmentchunks",
  tmap_draftterritory: "tmap_draftterritories",
};

export async function startDraftServer(): Promise<DataverseServer> {
  return startDataverseServer({ port: 0, dbPath: ":memory:", tables: loadSolutionTables() });
}

/** context.webAPI as the dev host hands it to the control; `maxRetries: 0` so injected faults surface. */
export function hostWebApi(server: DataverseServer, maxRetries = 0): HostWebApi {
  return new HostWebApi({ client: new DataverseHttpClient({ baseUrl: server.url, maxRetries }), entitySetNames: ENTITY_SETS });
}

/** The drafts' bulk API ($batch change sets, If-Match) over the same server. */
export function bulkApi(server: DataverseServer, maxRetries = 0, fetchImpl?: typeof fetch): HttpDraftBulkApi {
  return new HttpDraftBulkApi(new DataverseHttpClient({ baseUrl: server.url, maxRetries, ...(fetchImpl ? { fetch: fetchImpl } : {}) }));
}

/** A repository as the control builds it: context.webAPI for single records, the organisation's Web API for the rest. */
export function draftRepository(server: DataverseServer, options: WebApiDraftRepositoryOptions = {}): WebApiDraftRepository {
  return new WebApiDraftRepository(hostWebApi(server), bulkApi(server), options);
}
