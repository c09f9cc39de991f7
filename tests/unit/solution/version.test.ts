import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bumpVersion, nextVersion, readVersion } from "../../../solution/version";
import { repoRoot } from "./helpers";

describe("one version for the solution and the control", () => {
  test("the repository's solution and control manifest versions agree", () => {
    expect(readVersion(repoRoot)).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("nextVersion", () => {
    expect(nextVersion("0.1.0", "patch")).toBe("0.1.1");
    expect(nextVersion("0.1.9", "minor")).toBe("0.2.0");
    expect(nextVersion("1.4.2", "major")).toBe("2.0.0");
    expect(nextVersion("1.4.2", "1.10.0")).toBe("1.10.0");
    expect(() => nextVersion("1.4.2", "1.4.2")).toThrow(/not higher/);
    expect(() => nextVersion("1.4.2", "1.3.9")).toThrow(/not higher/);
    expect(() => nextVersion("1.4.2", "huge")).toThrow(/neither/);
    expect(() => nextVersion("1.4.2", "1.5")).toThrow(/neither/);
  });

  function tempRepo(): string {
    const root = mkdtempSync(join(tmpdir(), "tmap-version-"));
    mkdirSync(join(root, "solution", "src"), { recursive: true });
    mkdirSync(join(root, "TerritoryMapControl"), { recursive: true });
    cpSync(join(repoRoot, "solution", "src", "solution.json"), join(root, "solution", "src", "solution.json"));
    cpSync(
      join(repoRoot, "TerritoryMapControl", "ControlManifest.Input.xml"),
      join(root, "TerritoryMapControl", "ControlManifest.Input.xml"),
    );
    return root;
  }

  test("bumpVersion rewrites only the version in solution.json and the control manifest", () => {
    const root = tempRepo();
    const before = readVersion(root);
    const manifestBefore = readFileSync(join(root, "TerritoryMapControl", "ControlManifest.Input.xml"), "utf8");
    const jsonBefore = readFileSync(join(root, "solution", "src", "solution.json"), "utf8");
    const { from, to } = bumpVersion("minor", root);
    expect(from).toBe(before);
    expect(to).toBe(nextVersion(before, "minor"));
    expect(readVersion(root)).toBe(to);
    const manifestAfter = readFileSync(join(root, "TerritoryMapControl", "ControlManifest.Input.xml"), "utf8");
    expect(manifestAfter.replace(`version="${to}"`, `version="${from}"`)).toBe(manifestBefore);
    expect(manifestAfter).toContain('<?xml version="1.0" encoding="utf-8" ?>');
    const jsonAfter = readFileSync(join(root, "solution", "src", "solution.json"), "utf8");
    expect(jsonAfter.replace(`"version": "${to}"`, `"version": "${from}"`)).toBe(jsonBefore);
    expect(bumpVersion("patch", root).to).toBe(nextVersion(to, "patch"));
  });

  test("refuses to bump when the two versions already differ", () => {
    const root = tempRepo();
    const file = join(root, "solution", "src", "solution.json");
    writeFileSync(file, readFileSync(file, "utf8").replace(/"version": "[^"]*"/, '"version": "9.9.9"'));
    expect(() => bumpVersion("patch", root)).toThrow(/differ/);
  });
});
