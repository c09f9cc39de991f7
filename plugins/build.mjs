// Bundles plugins/src/functions.ts (+ the shared domain code, msal, fflate) into plugins/dist/functions.js for
// Azure Functions; @azure/functions stays external (installed from plugins/package.json on deployment).
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, "src/functions.ts")],
  outfile: join(here, "dist/functions.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["@azure/functions"],
  sourcemap: true,
  logLevel: "info",
});
