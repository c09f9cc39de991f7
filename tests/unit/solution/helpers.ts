/**
 * Shared set-up of the solution tests: one production control build (built once if missing), copied to a
 * temp folder so parallel rebuilds by others cannot change it under the tests, then packed in memory.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { packSolution, type PackResult } from "../../../solution/pack";

export const repoRoot = resolve(__dirname, "../../..");
/** Microsoft's customization schemas (tests/fixtures/dataverse/xsd, with their source and licence). */
export const xsdDir = resolve(repoRoot, "tests/fixtures/dataverse/xsd");
export const BUILD_TIMEOUT_MS = 180_000;

/** The built control folder: $TMAP_CONTROL_BUILD, else out/controls/TerritoryMapControl (built once when missing). */
export function ensureControlBuild(): string {
  const override = process.env.TMAP_CONTROL_BUILD;
  if (override) return override;
  const dir = join(repoRoot, "out", "controls", "TerritoryMapControl");
  if (!existsSync(join(dir, "ControlManifest.xml"))) {
    execFileSync(process.execPath, [join(repoRoot, "scripts", "build.mjs"), "--production"], {
      cwd: repoRoot,
      stdio: "pipe",
      timeout: BUILD_TIMEOUT_MS,
    });
  }
  const copy = mkdtempSync(join(tmpdir(), "tmap-control-"));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

export interface Packed {
  result: PackResult;
  controlDir: string;
  outDir: string;
  unmanaged: Record<string, Uint8Array>;
  managed: Record<string, Uint8Array>;
}

export function packForTest(): Packed {
  const controlDir = ensureControlBuild();
  const outDir = mkdtempSync(join(tmpdir(), "tmap-solution-"));
  const result = packSolution({ root: repoRoot, controlDir, outDir });
  return { result, controlDir, outDir, unmanaged: unzipSync(result.unmanaged), managed: unzipSync(result.managed) };
}

export const text = (bytes: Uint8Array): string => strFromU8(bytes);

/** Parses XML with the DOMParser of the jsdom test environment; fails on a parser error. */
export function parseXml(xml: string): Document {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error) throw new Error(`XML parse error: ${error.textContent}`);
  return doc;
}

/** Direct children of an element with the given tag name. */
export function children(el: Element, name: string): Element[] {
  return Array.from(el.children).filter((c) => c.tagName === name);
}

export function child(el: Element, name: string): Element | undefined {
  return children(el, name)[0];
}

export function childText(el: Element, name: string): string | undefined {
  return child(el, name)?.textContent ?? undefined;
}

export function all(el: Document | Element, name: string): Element[] {
  return Array.from(el.getElementsByTagName(name));
}
