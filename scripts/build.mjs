#!/usr/bin/env node
// Builds the PCF control with pcf-scripts and FAILS when pcf-scripts reports any error.
//
// pcf-scripts exits 0 even when manifest validation, TypeScript or ESLint fail, and a failed build can
// leave an old bundle.js behind. So: clean out/controls first, run the worker pre-bundle, run pcf-scripts,
// scan its log for "[pcf-NNNN] [Error]" diagnostics and require its "Succeeded" line; on any failure remove
// out/controls so no stale bundle survives.
//
//   node scripts/build.mjs               development build
//   node scripts/build.mjs --production  production build (what ships)
//   node scripts/build.mjs --if-stale    build only when sources are newer than the bundle (npm start)
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "out", "controls");
const bundle = join(outDir, "TerritoryMapControl", "bundle.js");
const args = new Set(process.argv.slice(2));
const production = args.has("--production");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (args.has("--if-stale") && existsSync(bundle)) {
  const built = statSync(bundle).mtimeMs;
  // The bundle holds the control and the Dataverse Web API module it imports.
  if (Math.max(newestSource(join(root, "TerritoryMapControl")), newestSource(join(root, "dataverse"))) < built) {
    console.log(`build: ${bundle} is up to date`);
    process.exit(0);
  }
}

function run(cmd, cmdArgs) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => {
      log += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => {
      log += d;
      process.stderr.write(d);
    });
    child.on("close", (code) => resolveRun({ code: code ?? 1, log }));
  });
}

function fail(message) {
  rmSync(outDir, { recursive: true, force: true });
  console.error(`\nbuild FAILED: ${message}`);
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
rmSync(join(root, "TerritoryMapControl", "generated"), { recursive: true, force: true });

if (existsSync(join(root, "scripts", "build-worker.mjs"))) {
  const worker = await run(process.execPath, [join(root, "scripts", "build-worker.mjs"), ...(production ? ["--production"] : [])]);
  if (worker.code !== 0) fail("the balancing worker pre-bundle failed");
}

const pcf = join(root, "node_modules", "pcf-scripts", "bin", "pcf-scripts.js");
const result = await run(process.execPath, [pcf, "build", "--buildMode", production ? "production" : "development", "--noColor"]);
const plainLog = result.log.replace(/\x1b\[[0-9;]*m/g, "");
const errors = plainLog.split(/\r?\n/).filter((l) => /\[pcf-\d+\]\s*\[Error\]/i.test(l) || /\bERROR in\b/.test(l));
if (result.code !== 0) fail(`pcf-scripts exited with ${result.code}`);
if (errors.length > 0) fail(`pcf-scripts reported ${errors.length} error(s):\n  ${errors.join("\n  ")}`);
if (!/\]\s*Succeeded/.test(plainLog)) fail("pcf-scripts did not report success");
if (!existsSync(bundle)) fail(`${bundle} was not produced`);
console.log(`\nbuild OK (${production ? "production" : "development"}): ${bundle} ${(statSync(bundle).size / 1024).toFixed(0)} KB`);
