#!/usr/bin/env node
// `npm run docs:screenshots`: regenerates docs/screenshots/*.png, the images of the README's walkthrough. Builds
// the control for production, then runs the end-to-end tests of the manager's walk (load, design, drafts, publish)
// with TMAP_DOCS_SCREENSHOTS=1, which makes tests/support/screenshots.ts copy each screenshot into docs/.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, [join(root, "scripts", "build.mjs"), "--production"]);
const tests = ["load", "design", "drafts", "publish"].map((t) => `tests/e2e/${t}.test.ts`);
run(join(root, "node_modules", ".bin", "jest"), [...tests, "--selectProjects", "e2e", "--runInBand"], { TMAP_DOCS_SCREENSHOTS: "1" });
console.log("docs/screenshots/ updated");
