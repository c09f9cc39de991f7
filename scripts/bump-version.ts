#!/usr/bin/env tsx
/**
 * npm run version:bump -- patch|minor|major|x.y.z
 * Raises the one product version in solution/src/solution.json and TerritoryMapControl/ControlManifest.Input.xml.
 */
import { bumpVersion } from "../solution/version";

const arg = process.argv[2];
if (!arg) {
  console.error("usage: npm run version:bump -- patch|minor|major|x.y.z");
  process.exit(2);
}
try {
  const { from, to } = bumpVersion(arg);
  console.log(`version: ${from} -> ${to} (solution/src/solution.json, TerritoryMapControl/ControlManifest.Input.xml)`);
  console.log("rebuild the control (npm run build) and pack (npm run pack) to ship it");
} catch (e) {
  console.error(`version:bump FAILED: ${(e as Error).message}`);
  process.exit(1);
}
