/**
 * `npm start`: the dev host and the local Dataverse Web API on one port.
 *
 *   PORT=8080 (0 = random)   TMAP_DB=.data/territorymap.sqlite   TMAP_SEED_ACCOUNTS / --accounts N (seed when empty)
 *   TMAP_AZURE_MAPS_KEY=<key>  stored as the tmap_AzureMapsKey environment variable value (unset = offline basemap)
 *
 * Prints `Territory Map dev host: http://localhost:PORT/` and the Web API URL; stops cleanly on SIGINT/SIGTERM.
 * Tests and benches use startDevHost() (re-exported here) instead of spawning this script.
 */
import { resolve } from "node:path";
import { CONTROL_OUT_DIR, controlIsBuilt, startDevHost } from "../local/host/devHost";

export { startDevHost } from "../local/host/devHost";
export type { DevHost, DevHostOptions } from "../local/host/devHost";

function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i];
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[i + 1];
}

function intOption(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer, got '${raw}'`);
  return n;
}

async function main(): Promise<void> {
  const port = intOption(process.env.PORT, "PORT") ?? 8080;
  const dbPath = resolve(process.env.TMAP_DB || ".data/territorymap.sqlite");
  const seedAccounts = intOption(argValue("--accounts") ?? process.env.TMAP_SEED_ACCOUNTS, "--accounts");
  if (!controlIsBuilt()) console.warn(`warning: ${CONTROL_OUT_DIR} has no built control yet (npm run build:dev)`);
  const started = Date.now();
  const azureMapsKey = process.env.TMAP_AZURE_MAPS_KEY?.trim() || undefined;
  const host = await startDevHost({ port, dbPath, seedAccounts, azureMapsKey });
  if (host.seeded) console.error(`seeded ${host.seeded.accounts} accounts into ${dbPath}`);
  console.log(`Territory Map dev host: ${host.url}`);
  console.log(`Dataverse Web API: ${host.apiUrl}  (db ${dbPath}, ready in ${Date.now() - started} ms)`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    host.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

const entry = process.argv[1] ?? "";
if (/[\\/]scripts[\\/]start\.(ts|js|mjs)$/.test(entry)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
