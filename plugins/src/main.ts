/**
 * Local handler server: `npm run plugins:start` (env as in plugins/README.md).
 * Prints the webhook URL (without the key) and serves until interrupted.
 */
import { loadConfig, ConfigError, type HandlerConfig } from "./config";
import { createDataverseClient } from "./dataverse/client";
import { startHandlerServer } from "./server";

/** The handlers' systemuser on the local stand-in (created when missing). */
export const LOCAL_HANDLER_USER_ID = "7a3f0c1e-5b2d-4e8f-9a61-0c0ffee0a5e1";

async function main(): Promise<void> {
  let config: HandlerConfig;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`plugins: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (config.local && !config.handlerUserId) {
    // Locally every interactive change comes from WhoAmI's user too: give the handlers a user of their own (as the
    // application user is on a real org) and send it as MSCRMCallerID, so their writes are recognisably theirs.
    config = { ...config, handlerUserId: LOCAL_HANDLER_USER_ID, localCallerId: config.localCallerId ?? LOCAL_HANDLER_USER_ID };
    await createDataverseClient({ ...config, localCallerId: undefined }).update(
      "systemusers",
      LOCAL_HANDLER_USER_ID,
      { firstname: "Territory Map", lastname: "handlers (local)", isdisabled: false },
      { upsert: true },
    );
  }
  const server = await startHandlerServer({
    config,
    client: createDataverseClient(config),
    port: config.port,
    host: process.env.HOST ?? "127.0.0.1",
    log: (level, message, data) =>
      process.stderr.write(`${new Date().toISOString()} ${level} ${message} ${data ? JSON.stringify(data) : ""}\n`),
  });
  process.stdout.write(`Territory Map handlers: ${server.url} (Dataverse ${config.apiUrl})\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`plugins: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
