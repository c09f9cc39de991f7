/** The local stand-in with the solution's tables and a seeded org, a published plan, and the handler server. */
import { startDataverseServer, type DataverseServer } from "../../../local/dataverse";
import { developmentTables } from "../../../local/developmentSchema";
import { seedIfEmpty } from "../../../local/seed";
import { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { createPublishedPlan, type FixtureOptions, type PublishedFixture } from "../../../plugins/dev/fixture";
import { loadConfig } from "../../../plugins/src/config";
import { createDataverseClient } from "../../../plugins/src/dataverse/client";
import { startHandlerServer, type HandlerServer } from "../../../plugins/src/server";
import { registerWebhooks } from "../../../scripts/register-webhooks";

export const HANDLER_USER_ID = "7a3f0c1e-5b2d-4e8f-9a61-0c0ffee0a5e1";
export const WEBHOOK_KEY = "local-test-key-0123456789abcdef";

export interface PluginEnv {
  dataverse: DataverseServer;
  handlers: HandlerServer;
  fixture: PublishedFixture;
  /** Web API client acting as an interactive user (MSCRMCallerID). */
  user: DataverseHttpClient;
  userId: string;
  close(): Promise<void>;
}

export async function startPluginEnv(options: {
  accounts: number;
  fixture: FixtureOptions;
  env?: Record<string, string>;
}): Promise<PluginEnv> {
  const dataverse = await startDataverseServer({ port: 0, dbPath: ":memory:", tables: developmentTables() });
  const store = dataverse.service.store;
  seedIfEmpty(store, { accounts: options.accounts });
  store.insertMany("systemuser", [{ systemuserid: HANDLER_USER_ID, firstname: "Territory Map", lastname: "handlers", isdisabled: false }]);
  const fixture = await createPublishedPlan(store, dataverse.url, options.fixture);
  const config = loadConfig({
    TMAP_DATAVERSE_URL: dataverse.url,
    TMAP_WEBHOOK_KEY: WEBHOOK_KEY,
    TMAP_HANDLER_USER_ID: HANDLER_USER_ID,
    TMAP_LOCAL_CALLER_ID: HANDLER_USER_ID,
    TMAP_PLAN_CHECK_MS: "0",
    TMAP_DRIFT_DEBOUNCE_MS: "3600000",
    TMAP_REPLEAVES_TIME_LIMIT_MS: "3000",
    ...options.env,
  });
  const handlers = await startHandlerServer({ config, client: createDataverseClient(config) });
  await registerWebhooks(new DataverseHttpClient({ baseUrl: dataverse.url }), {
    url: handlers.url,
    key: WEBHOOK_KEY,
    print: () => undefined,
  });
  const userId = String([...store.rows("systemuser")].find((u) => u.systemuserid !== HANDLER_USER_ID)!.systemuserid);
  const user = new DataverseHttpClient({ baseUrl: dataverse.url, headers: { MSCRMCallerID: userId } });
  return {
    dataverse,
    handlers,
    fixture,
    user,
    userId,
    close: async () => {
      await dataverse.service.webhooks.idle();
      await handlers.close();
      await dataverse.close();
    },
  };
}
