#!/usr/bin/env tsx
/**
 * npm run pack — builds out/solution/TerritoryMap_<version>.zip and TerritoryMap_<version>_managed.zip
 * from solution/src and the production control build (out/controls/TerritoryMapControl).
 *
 *   npx tsx scripts/pack.ts            pack (fails when the control build is missing or stale)
 *   npx tsx scripts/pack.ts --build    run `node scripts/build.mjs --production` first
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { packSolution } from "../solution/pack";
import { repoRoot } from "../solution/model";

const root = repoRoot();
if (process.argv.includes("--build")) {
  const r = spawnSync(process.execPath, [join(root, "scripts", "build.mjs"), "--production"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
try {
  const result = packSolution({ root });
  console.log(`pack: ${result.unmanagedPath} (${(result.unmanaged.length / 1024).toFixed(0)} KB)`);
  console.log(`pack: ${result.managedPath} (${(result.managed.length / 1024).toFixed(0)} KB)`);
} catch (e) {
  console.error(`pack FAILED: ${(e as Error).message}`);
  process.exit(1);
}
