/**
 * `npm run build` must fail when pcf-scripts reports an error — pcf-scripts itself exits 0 on a failed manifest
 * validation or TypeScript error — and must not leave a stale bundle behind. Each case builds a throwaway copy
 * of the project (node_modules linked) with one thing broken, using the real scripts/build.mjs.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

jest.setTimeout(240_000);

const REPO = join(__dirname, "..", "..", "..");
const COPIED = [
  "package.json",
  "pcfconfig.json",
  "tsconfig.json",
  "eslint.config.mjs",
  "babel.config.js",
  "scripts/build.mjs",
  "scripts/build-worker.mjs",
];

function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "tmap-build-"));
  for (const f of COPIED) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    cpSync(join(REPO, f), join(dir, f));
  }
  cpSync(join(REPO, "TerritoryMapControl"), join(dir, "TerritoryMapControl"), {
    recursive: true,
    filter: (src) => !src.includes(`${join("TerritoryMapControl", "generated")}`),
  });
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  // A bundle from an earlier, good build: a failed build must remove it.
  mkdirSync(join(dir, "out", "controls", "TerritoryMapControl"), { recursive: true });
  writeFileSync(join(dir, "out", "controls", "TerritoryMapControl", "bundle.js"), "/* stale */");
  return dir;
}

function build(dir: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(dir, "scripts", "build.mjs")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test("a broken manifest fails the build with pcf-scripts' diagnostic and leaves no bundle", () => {
  const dir = projectCopy();
  dirs.push(dir);
  const manifest = join(dir, "TerritoryMapControl", "ControlManifest.Input.xml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace('of-type="Whole.None"', 'of-type="Whole.Bogus"'));
  const r = build(dir);
  expect(r.status).toBe(1);
  expect(r.output).toContain("[pcf-1014]");
  expect(r.output).toContain("build FAILED");
  expect(existsSync(join(dir, "out", "controls"))).toBe(false);
});

test("a TypeScript error fails the build and leaves no bundle", () => {
  const dir = projectCopy();
  dirs.push(dir);
  writeFileSync(join(dir, "TerritoryMapControl", "broken.ts"), 'export const count: number = "not a number";\n');
  const r = build(dir);
  expect(r.status).toBe(1);
  expect(r.output).toContain("[pcf-1033]");
  expect(existsSync(join(dir, "out", "controls"))).toBe(false);
});
