/**
 * Publish fixtures: a seeded local Dataverse (solution tables), a saved draft that moves accounts to another rep
 * territory (with its draft-time baseline), and checks that read the server's store — not the publisher's claims.
 */
import { startDataverseServer, type DataverseServer } from "../../../local/dataverse";
import { HostWebApi } from "../../../local/host/webApi";
import { seedIfEmpty } from "../../../local/seed";
import { loadSolutionTables } from "../../../solution/tables";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../../dataverse/drafts/DraftBulkApi";
import { baselineFromTerritoryIds, type Draft, type DraftTerritory } from "../../../TerritoryMapControl/domain/drafts/model";
import { publishedTerritoryId } from "../../../TerritoryMapControl/domain/publish/uuid";

export const ENTITY_SETS = {
  tmap_plan: "tmap_plans",
  tmap_assignmentchunk: "tmap_assignmentchunks",
  tmap_draftterritory: "tmap_draftterritories",
  tmap_publishlog: "tmap_publishlogs",
};

type Store = DataverseServer["service"]["store"];

export async function startPublishServer(options: {
  accounts: number;
  dbPath?: string;
  port?: number;
  seed?: boolean;
}): Promise<DataverseServer> {
  const server = await startDataverseServer({
    port: options.port ?? 0,
    dbPath: options.dbPath ?? ":memory:",
    tables: loadSolutionTables(),
  });
  if (options.seed !== false) seedIfEmpty(server.service.store, { accounts: options.accounts });
  return server;
}

export function client(server: { url: string }, options: { maxRetries?: number; retryDelayMs?: number } = {}): DataverseHttpClient {
  return new DataverseHttpClient({ baseUrl: server.url, maxRetries: options.maxRetries ?? 4, retryDelayMs: options.retryDelayMs ?? 50 });
}

export interface Fixture {
  planId: string;
  draft: Draft;
  /** accountId → territory id the plan gives it. */
  expected: Map<string, string>;
  /** accountId → owner the plan gives it (owners follow territories). */
  expectedOwner: Map<string, string>;
  /** Account ids whose territory the plan changes. */
  moved: string[];
  /** Id of the territory the plan creates (key "new"). */
  createdTerritoryId: string;
  managerId: string;
}

/**
 * Saves a draft over the seeded org: every account with a rep territory moves to the next rep territory (in id
 * order); every 10th of those goes to a NEW territory "North Star" (created by publishing), managed by the org's
 * manager. The baseline is today's territory of each account.
 */
export async function saveMovingDraft(
  server: { url: string; service: { store: Store } },
  options: { ownersFollowTerritories?: boolean; name?: string; limit?: number } = {},
): Promise<Fixture> {
  const store = server.service.store;
  // Rep territories: the leaves under a region or district (the org also has districts between the two).
  const parents = new Set([...store.rows("territory")].map((t) => String(t.parentterritoryid ?? "")));
  const territories = [...store.rows("territory")]
    .filter((t) => t.parentterritoryid && !parents.has(String(t.territoryid)))
    .sort((a, b) => String(a.territoryid).localeCompare(String(b.territoryid)));
  const regions = [...store.rows("territory")].filter((t) => !t.parentterritoryid);
  const managerId = String(regions[0].managerid);
  const index = new Map(territories.map((t, i) => [String(t.territoryid), i]));
  const draftTerritories: DraftTerritory[] = territories.map((t, i) => ({
    key: `rep-${i}`,
    name: String(t.name),
    color: "#336699",
    geometry: null,
    postalCodes: [],
    repId: t.managerid ? String(t.managerid) : null,
    territoryId: String(t.territoryid),
    totals: {},
  }));
  draftTerritories.push({
    key: "new",
    name: "North Star",
    color: "#993366",
    geometry: null,
    postalCodes: [],
    repId: managerId,
    territoryId: null,
    totals: {},
    parentTerritoryId: String(regions[0].territoryid),
  });
  const newIndex = draftTerritories.length - 1;
  const accountIds: string[] = [];
  const assignment: number[] = [];
  const baselineIds: (string | null)[] = [];
  let k = 0;
  for (const a of store.rows("account")) {
    if (options.limit !== undefined && accountIds.length >= options.limit) break;
    const current = a.territoryid ? index.get(String(a.territoryid)) : undefined;
    accountIds.push(String(a.accountid));
    baselineIds.push(a.territoryid ? String(a.territoryid) : null);
    if (current === undefined) {
      assignment.push(-1);
      continue;
    }
    assignment.push(k++ % 10 === 0 ? newIndex : (current + 1) % territories.length);
  }
  const draft: Draft = {
    name: options.name ?? "Publish test plan",
    version: 1,
    parentId: null,
    status: "draft",
    notes: "",
    balancingSettings: options.ownersFollowTerritories ? { ownersFollowTerritories: true } : null,
    metrics: null,
    territories: draftTerritories,
    assignments: { accountIds, territory: Int32Array.from(assignment), locked: new Uint8Array(accountIds.length) },
    baseline: baselineFromTerritoryIds(accountIds, baselineIds, new Date().toISOString()),
  };
  const repo = new WebApiDraftRepository(
    new HostWebApi({ client: client(server), entitySetNames: ENTITY_SETS }),
    new HttpDraftBulkApi(client(server)),
  );
  const saved = await repo.saveAsDraft(draft);
  const planId = saved.id;
  const createdTerritoryId = publishedTerritoryId(planId, "new");
  const expected = new Map<string, string>();
  const expectedOwner = new Map<string, string>();
  const moved: string[] = [];
  accountIds.forEach((id, i) => {
    const t = assignment[i];
    if (t < 0) return;
    const tid = t === newIndex ? createdTerritoryId : String(draftTerritories[t].territoryId);
    expected.set(id, tid);
    const rep = draftTerritories[t].repId;
    if (rep) expectedOwner.set(id, rep);
    if (tid !== baselineIds[i]) moved.push(id);
  });
  return { planId, draft: { ...draft, id: planId }, expected, expectedOwner, moved, createdTerritoryId, managerId };
}

/** Accounts whose territory in the store differs from the plan (read from the server's store). */
export function wrongAccounts(store: Store, expected: ReadonlyMap<string, string>): string[] {
  const wrong: string[] = [];
  for (const [id, tid] of expected) {
    const row = store.get("account", id);
    if (!row || row.territoryid !== tid) wrong.push(id);
  }
  return wrong;
}

export function planStatus(store: Store, planId: string): number {
  return Number(store.get("tmap_plan", planId)?.tmap_status);
}

export function versions(store: Store, table: string): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const r of store.rows(table)) m.set(String(r[`${table}id`]), r.versionnumber);
  return m;
}
