/**
 * Packs the solution: generated XML from solution/src plus the production control build
 * (out/controls/TerritoryMapControl, `node scripts/build.mjs --production`) into
 * out/solution/TerritoryMap_<version>.zip (unmanaged) and TerritoryMap_<version>_managed.zip.
 *
 * Without dotnet there is no SolutionPackager, so the zip is assembled here: root names lower-case,
 * forward slashes, no directory entries, a [Content_Types].xml Default for every extension.
 * Managed and unmanaged differ only in solution.xml <Managed> (and the file name).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { loadSolutionSource, repoRoot, type SolutionSource } from "./model";
import {
  contentTypesXml,
  controlName,
  customizationsXml,
  environmentVariableXml,
  parseControlManifest,
  solutionXml,
  type ControlManifestInfo,
} from "./generate";

export interface PackOptions {
  root?: string;
  /** Built control folder (default out/controls/TerritoryMapControl). */
  controlDir?: string;
  /** Output folder (default out/solution). */
  outDir?: string;
  /** Write the zips (default true). */
  write?: boolean;
}

export interface PackResult {
  version: string;
  uniqueName: string;
  unmanagedPath: string;
  managedPath: string;
  unmanaged: Uint8Array;
  managed: Uint8Array;
}

/** Fixed entry time: the same source and build give byte-identical zips. */
const ENTRY_TIME = new Date(Date.UTC(2020, 0, 1));

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** Checks that the build is the processed production manifest of this control at this version. */
export function checkControlBuild(source: SolutionSource, controlDir: string): ControlManifestInfo {
  const manifestPath = join(controlDir, "ControlManifest.xml");
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} is missing: run \`node scripts/build.mjs --production\` first`);
  }
  const xml = readFileSync(manifestPath, "utf8");
  const info = parseControlManifest(xml);
  const { namespace, constructor } = source.solution.control;
  const problems: string[] = [];
  if (info.namespace !== namespace || info.constructor !== constructor) {
    problems.push(`manifest control ${info.namespace}.${info.constructor} is not ${namespace}.${constructor}`);
  }
  if (info.version !== source.solution.version) {
    problems.push(
      `control version ${info.version} differs from the solution version ${source.solution.version} (rebuild after \`npm run version:bump\`)`,
    );
  }
  const code = /<code\s[^>]*path="([^"]*)"/.exec(xml)?.[1];
  if (code !== "bundle.js") problems.push(`manifest code path is '${code}', not bundle.js: not the processed manifest`);
  if (!/<built-by\s/.test(xml)) problems.push("manifest has no <built-by>: not the processed manifest");
  for (const m of xml.matchAll(/<(?:code|css|resx)\s[^>]*path="([^"]*)"/g)) {
    if (!existsSync(join(controlDir, m[1]))) problems.push(`resource ${m[1]} named by the manifest is missing`);
  }
  if (existsSync(join(controlDir, "bundle.js")) && statSync(join(controlDir, "bundle.js")).size === 0) problems.push("bundle.js is empty");
  if (problems.length) throw new Error(`control build ${controlDir}:\n  ${problems.join("\n  ")}`);
  return info;
}

/** Every entry of the solution zip (path -> bytes), for the given managed flag. */
export function solutionEntries(source: SolutionSource, controlDir: string, managed: boolean): Record<string, Uint8Array> {
  const control = checkControlBuild(source, controlDir);
  const name = controlName(source);
  const files: Record<string, Uint8Array> = {};
  files["solution.xml"] = strToU8(solutionXml(source, managed));
  files["customizations.xml"] = strToU8(customizationsXml(source, control));
  for (const file of listFiles(controlDir)) {
    const rel = relative(controlDir, file).split("\\").join("/");
    files[`Controls/${name}/${rel}`] = new Uint8Array(readFileSync(file));
  }
  for (const e of source.environmentVariables) {
    files[`environmentvariabledefinitions/${e.schemaName}/environmentvariabledefinition.xml`] = strToU8(environmentVariableXml(e));
  }
  files["[Content_Types].xml"] = strToU8(contentTypesXml([...Object.keys(files), "[Content_Types].xml"]));
  return files;
}

export function zipEntries(files: Record<string, Uint8Array>): Uint8Array {
  const ordered: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const names = Object.keys(files).sort((a, b) =>
    a === "[Content_Types].xml" ? -1 : b === "[Content_Types].xml" ? 1 : a.localeCompare(b),
  );
  for (const n of names) ordered[n] = [files[n], { mtime: ENTRY_TIME }];
  return zipSync(ordered, { level: 9 });
}

export function packSolution(options: PackOptions = {}): PackResult {
  const root = options.root ?? repoRoot();
  const controlDir = options.controlDir ?? join(root, "out", "controls", "TerritoryMapControl");
  const outDir = options.outDir ?? join(root, "out", "solution");
  const source = loadSolutionSource(root);
  const { version, uniqueName } = source.solution;
  const unmanaged = zipEntries(solutionEntries(source, controlDir, false));
  const managed = zipEntries(solutionEntries(source, controlDir, true));
  const unmanagedPath = join(outDir, `${uniqueName}_${version}.zip`);
  const managedPath = join(outDir, `${uniqueName}_${version}_managed.zip`);
  if (options.write !== false) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(unmanagedPath, unmanaged);
    writeFileSync(managedPath, managed);
  }
  return { version, uniqueName, unmanagedPath, managedPath, unmanaged, managed };
}
