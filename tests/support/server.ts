/**
 * Test servers on random ports with throwaway SQLite files: the bare local Dataverse server, or the whole dev
 * host (Dataverse + host page + built control). Always `await x.close()` (it also deletes the temp files).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDataverseServer, type DataverseServer } from "../../local/dataverse";
import { seedIfEmpty, type SampleOrgSummary } from "../../local/seed";
import { startDevHost, type DevHost } from "../../local/host/devHost";

export function tempDbPath(prefix = "tmap-test-"): { dbPath: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dbPath: join(dir, "dataverse.sqlite"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestDataverse extends DataverseServer {
  seeded: SampleOrgSummary | null;
}

/** Local Dataverse server on 127.0.0.1:<random>; `accounts` > 0 seeds the sample org with that many accounts. */
export async function startTestDataverse(options: { accounts?: number } = {}): Promise<TestDataverse> {
  const tmp = tempDbPath();
  const server = await startDataverseServer({ port: 0, dbPath: tmp.dbPath });
  const seeded = options.accounts ? seedIfEmpty(server.service.store, { accounts: options.accounts }).summary : null;
  return {
    ...server,
    seeded,
    close: async () => {
      await server.close();
      tmp.cleanup();
    },
  };
}

/** The dev host on a random port with a temp DB seeded with `accounts` (default 20,000). */
export async function startTestHost(options: { accounts?: number } = {}): Promise<DevHost> {
  const tmp = tempDbPath("tmap-host-");
  const host = await startDevHost({ port: 0, dbPath: tmp.dbPath, seedAccounts: options.accounts ?? 20000 });
  return {
    ...host,
    close: async () => {
      await host.close();
      tmp.cleanup();
    },
  };
}
