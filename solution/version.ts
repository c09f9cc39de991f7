/**
 * The one version number of the product: solution.xml <Version> (solution/src/solution.json) and the
 * control manifest's version (TerritoryMapControl/ControlManifest.Input.xml). Dataverse only replaces a
 * control on import when its manifest version rises, so both move together.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./model";

export type BumpKind = "major" | "minor" | "patch";
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function nextVersion(current: string, bump: BumpKind | string): string {
  const m = SEMVER.exec(current);
  if (!m) throw new Error(`current version '${current}' is not major.minor.patch`);
  const [major, minor, patch] = m.slice(1).map(Number);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  if (bump === "patch") return `${major}.${minor}.${patch + 1}`;
  if (!SEMVER.exec(bump)) throw new Error(`'${bump}' is neither patch|minor|major nor a version x.y.z`);
  const [a, b, c] = bump.split(".").map(Number);
  if (a < major || (a === major && (b < minor || (b === minor && c <= patch)))) {
    throw new Error(`version ${bump} is not higher than ${current}: Dataverse would not upgrade the control`);
  }
  return bump;
}

const CONTROL_VERSION = /(<control\b[^>]*?\sversion=")([^"]*)(")/;

export interface VersionFiles {
  solutionJson: string;
  manifest: string;
}

export function versionFiles(root = repoRoot()): VersionFiles {
  const solutionJson = join(root, "solution", "src", "solution.json");
  const { control } = JSON.parse(readFileSync(solutionJson, "utf8")) as { control: { manifestInput: string } };
  return { solutionJson, manifest: join(root, control.manifestInput) };
}

/** Both versions; throws when they differ. */
export function readVersion(root = repoRoot()): string {
  const files = versionFiles(root);
  const solution = (JSON.parse(readFileSync(files.solutionJson, "utf8")) as { version: string }).version;
  const control = CONTROL_VERSION.exec(readFileSync(files.manifest, "utf8"))?.[2];
  if (solution !== control) throw new Error(`solution version ${solution} and control version ${control} differ`);
  return solution;
}

/** Rewrites the version in both files (only the version: the rest of each file is kept byte for byte). */
export function bumpVersion(bump: BumpKind | string, root = repoRoot()): { from: string; to: string } {
  const files = versionFiles(root);
  const from = readVersion(root);
  const to = nextVersion(from, bump);
  const json = readFileSync(files.solutionJson, "utf8");
  const versionField = /("version"\s*:\s*")([^"]*)(")/;
  if (!versionField.test(json)) throw new Error(`${files.solutionJson}: no "version" field`);
  const manifest = readFileSync(files.manifest, "utf8");
  writeFileSync(files.solutionJson, json.replace(versionField, `$1${to}$3`));
  writeFileSync(files.manifest, manifest.replace(CONTROL_VERSION, `$1${to}$3`));
  return { from, to };
}
