#!/usr/bin/env node
// The one command that runs every test: production build (must fail on any pcf-scripts error), type checks,
// lint (eslint, prettier, dependency rules), then jest's unit, integration and browser (chromium + playwright-core) projects.
// Ends with a plain "N passed, N failed" line summing every jest project.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const only = process.argv.slice(2); // optional: subset of steps, e.g. `npm test -- unit integration`
const want = (step) => only.length === 0 || only.includes(step);

function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${[cmd, ...args].map((a) => (a.startsWith(root) ? a.slice(root.length + 1) : a)).join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`=== ${name}: ${r.status === 0 ? "ok" : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds} s`);
  return r.status === 0;
}

let failedSteps = [];
if (want("build") && !step("build", process.execPath, [join(root, "scripts", "build.mjs"), "--production"])) failedSteps.push("build");
if (want("typecheck")) {
  if (!step("typecheck (control)", bin("tsc"), ["-p", "tsconfig.json", "--noEmit"])) failedSteps.push("typecheck-control");
  if (!step("typecheck (node, tests)", bin("tsc"), ["-p", "tsconfig.node.json", "--noEmit"])) failedSteps.push("typecheck-node");
}
if (want("lint")) {
  const sources = ["TerritoryMapControl", "dataverse", "local", "scripts", "plugins", "tests", "solution"];
  if (!step("lint", bin("eslint"), ["--no-error-on-unmatched-pattern", ...sources])) failedSteps.push("lint");
  if (!step("format", bin("prettier"), ["--check", "."])) failedSteps.push("format");
  const layered = ["TerritoryMapControl", "dataverse", "local", "plugins", "scripts", "solution"];
  if (!step("dependencies", bin("depcruise"), ["--config", ".dependency-cruiser.cjs", ...layered])) failedSteps.push("dependencies");
}

const resultsDir = join(root, "test-results");
mkdirSync(resultsDir, { recursive: true });
let passed = 0;
let failed = 0;
for (const project of ["unit", "integration", "e2e"]) {
  if (!want(project)) continue;
  if (project === "e2e" && !existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
    console.error("\n=== e2e: /usr/bin/chromium is missing. Install it with: apt-get install -y chromium");
    failedSteps.push("e2e (no chromium)");
    failed += 1;
    continue;
  }
  const out = join(resultsDir, `jest-${project}.json`);
  rmSync(out, { force: true });
  const args = ["--selectProjects", project, "--json", "--outputFile", out];
  if (project !== "unit") args.push("--runInBand");
  const ok = step(`jest ${project}`, bin("jest"), args);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    if (report.numTotalTests === 0) {
      failedSteps.push(`jest ${project} ran no test`);
      failed += 1;
    }
  } else if (!ok) failed += 1;
  if (!ok) failedSteps.push(`jest ${project}`);
}

console.log("");
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length === 0 && failed === 0 ? 0 : 1);
