/**
 * @jest-environment jsdom
 */
// jsdom only for its XML DOMParser; everything else here is Node (fs, child_process, fflate).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSolutionSource, productTables } from "../../../solution/model";
import { packSolution } from "../../../solution/pack";
import { accountTable, territoryTable } from "../../../local/dataverse/standardTables";
import { BUILD_TIMEOUT_MS, all, child, childText, children, packForTest, parseXml, repoRoot, text, xsdDir, type Packed } from "./helpers";

/**
 * xmllint findings against Microsoft's CustomizationsSolution.xsd that are accepted, each with its reason.
 * Empty: the generator writes only elements the 9.0.0.2090 schema declares. Environment variable
 * definitions live in environmentvariabledefinitions/<name>/environmentvariabledefinition.xml (as in real
 * exports), not in customizations.xml, so they need no exception; export-only elements the schema predates
 * (AutoNumberFormat, IsSearchable, CascadeArchive, AppModule statecode/appsettings, site map Show* flags)
 * are left out and the platform applies its defaults.
 */
const ACCEPTED_SCHEMA_FINDINGS: Array<{ pattern: RegExp; reason: string }> = [];

let packed: Packed;
let customizations: Document;
let solution: Document;
const source = loadSolutionSource(repoRoot);
const controlName = `${source.solution.publisher.prefix}_${source.solution.control.namespace}.${source.solution.control.constructor}`;

beforeAll(() => {
  packed = packForTest();
  customizations = parseXml(text(packed.unmanaged["customizations.xml"]));
  solution = parseXml(text(packed.unmanaged["solution.xml"]));
}, BUILD_TIMEOUT_MS);

describe("zip layout", () => {
  test("writes TerritoryMap_<version>.zip and TerritoryMap_<version>_managed.zip", () => {
    expect(packed.result.unmanagedPath).toBe(join(packed.outDir, `TerritoryMap_${source.solution.version}.zip`));
    expect(packed.result.managedPath).toBe(join(packed.outDir, `TerritoryMap_${source.solution.version}_managed.zip`));
    expect(readFileSync(packed.result.unmanagedPath)).toEqual(Buffer.from(packed.result.unmanaged));
  });

  test("root entries are the lower-case solution files, forward slashes, no directory entries", () => {
    for (const zip of [packed.unmanaged, packed.managed]) {
      const names = Object.keys(zip);
      const rootNames = names.filter((n) => !n.includes("/")).sort();
      expect(rootNames).toEqual(["[Content_Types].xml", "customizations.xml", "solution.xml"]);
      for (const n of names) {
        expect(n.endsWith("/")).toBe(false);
        expect(n).not.toContain("\\");
        expect(n.startsWith("/")).toBe(false);
      }
    }
  });

  test("[Content_Types].xml has a Default for every extension in the zip", () => {
    const types = parseXml(text(packed.unmanaged["[Content_Types].xml"]));
    const declared = new Set(all(types, "Default").map((d) => d.getAttribute("Extension")!.toLowerCase()));
    const used = new Set(Object.keys(packed.unmanaged).map((n) => /\.([^./]+)$/.exec(n)![1].toLowerCase()));
    for (const ext of used) expect(declared).toContain(ext);
    expect(used).toEqual(
      new Set(["xml", "js", "css", "resx", ...(Object.keys(packed.unmanaged).some((n) => n.endsWith(".txt")) ? ["txt"] : [])]),
    );
  });

  test("managed and unmanaged differ only in solution.xml <Managed>", () => {
    expect(Object.keys(packed.managed).sort()).toEqual(Object.keys(packed.unmanaged).sort());
    for (const name of Object.keys(packed.unmanaged)) {
      if (name === "solution.xml") continue;
      expect({ name, same: Buffer.from(packed.managed[name]).equals(Buffer.from(packed.unmanaged[name])) }).toEqual({ name, same: true });
    }
    const u = text(packed.unmanaged["solution.xml"]).split("\n");
    const m = text(packed.managed["solution.xml"]).split("\n");
    expect(m.length).toBe(u.length);
    const diff = u.map((line, i) => [line.trim(), m[i].trim()]).filter(([a, b]) => a !== b);
    expect(diff).toEqual([["<Managed>0</Managed>", "<Managed>1</Managed>"]]);
  });

  test("packing is deterministic", () => {
    const again = packSolution({ root: repoRoot, controlDir: packed.controlDir, write: false });
    expect(Buffer.from(again.unmanaged).equals(Buffer.from(packed.result.unmanaged))).toBe(true);
  });
});

describe("customizations.xml", () => {
  test("validates against Microsoft's CustomizationsSolution.xsd (xmllint)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tmap-xsd-"));
    const file = join(dir, "customizations.xml");
    writeFileSync(file, packed.unmanaged["customizations.xml"]);
    const r = spawnSync("xmllint", ["--noout", "--schema", join(xsdDir, "CustomizationsSolution.xsd"), file], { encoding: "utf8" });
    if (r.error) throw new Error(`xmllint is required (apt-get install -y libxml2-utils): ${r.error.message}`);
    const findings = r.stderr
      .split("\n")
      .filter((l) => /error/i.test(l) && !/validates$/.test(l))
      .filter((l) => !ACCEPTED_SCHEMA_FINDINGS.some((f) => f.pattern.test(l)));
    expect(findings).toEqual([]);
    expect(r.stderr).toMatch(/validates/);
  });

  test("every component is in RootComponents and every RootComponent is in the package", () => {
    const roots = all(solution, "RootComponent").map(
      (r) => `${r.getAttribute("type")}:${(r.getAttribute("schemaName") ?? r.getAttribute("id") ?? "").toLowerCase()}`,
    );
    expect(new Set(roots).size).toBe(roots.length);
    const behavior = new Map(
      all(solution, "RootComponent").map((r) => [
        `${r.getAttribute("type")}:${(r.getAttribute("schemaName") ?? "").toLowerCase()}`,
        r.getAttribute("behavior"),
      ]),
    );

    const found: string[] = [];
    const importExport = customizations.documentElement;
    for (const e of children(child(importExport, "Entities")!, "Entity")) {
      const name = childText(e, "Name")!.toLowerCase();
      found.push(`1:${name}`);
      // Subcomponents of a table included with all its subcomponents (behavior 0) come with it;
      // of a table included as a shell they must be listed one by one.
      if (behavior.get(`1:${name}`) !== "0") {
        for (const q of all(e, "savedqueryid")) found.push(`26:${q.textContent!.toLowerCase()}`);
        for (const f of all(e, "formid")) found.push(`60:${f.textContent!.toLowerCase()}`);
      }
    }
    for (const r of children(child(importExport, "Roles")!, "Role")) found.push(`20:${r.getAttribute("id")!.toLowerCase()}`);
    for (const c of all(importExport, "CustomControl")) found.push(`66:${childText(c, "Name")!.toLowerCase()}`);
    for (const s of all(importExport, "AppModuleSiteMap")) found.push(`62:${childText(s, "SiteMapUniqueName")!.toLowerCase()}`);
    for (const a of children(child(importExport, "AppModules")!, "AppModule"))
      found.push(`80:${childText(a, "UniqueName")!.toLowerCase()}`);
    for (const s of all(importExport, "ServiceEndpoint")) found.push(`95:${s.getAttribute("ServiceEndpointId")!.toLowerCase()}`);
    for (const name of Object.keys(packed.unmanaged)) {
      const m = /^environmentvariabledefinitions\/([^/]+)\/environmentvariabledefinition\.xml$/.exec(name);
      if (m) found.push(`380:${m[1].toLowerCase()}`);
    }
    expect(found.sort()).toEqual([...roots].sort());
  });

  test("the control name agrees in RootComponent, CustomControl and the Controls/ folder", () => {
    const root = all(solution, "RootComponent")
      .filter((r) => r.getAttribute("type") === "66")
      .map((r) => r.getAttribute("schemaName"));
    expect(root).toEqual([controlName]);
    const controls = all(customizations, "CustomControl");
    expect(controls.map((c) => childText(c, "Name"))).toEqual([controlName]);
    expect(controls.map((c) => childText(c, "FileName"))).toEqual([`/Controls/${controlName}/ControlManifest.xml`]);
    const folders = new Set(
      Object.keys(packed.unmanaged)
        .filter((n) => n.startsWith("Controls/"))
        .map((n) => n.split("/")[1]),
    );
    expect([...folders]).toEqual([controlName]);
    // Forms use the same name.
    const formControls = new Set(
      all(customizations, "customControl")
        .map((c) => c.getAttribute("name"))
        .filter(Boolean),
    );
    expect([...formControls]).toEqual([controlName]);
  });

  test("the shipped manifest is the processed one, at the solution version, with every resource it names", () => {
    const shipped = text(packed.unmanaged[`Controls/${controlName}/ControlManifest.xml`]);
    expect(shipped).toBe(readFileSync(join(packed.controlDir, "ControlManifest.xml"), "utf8"));
    const manifest = parseXml(shipped);
    const control = all(manifest, "control")[0];
    expect(control.getAttribute("version")).toBe(source.solution.version);
    expect(childText(solution.documentElement.getElementsByTagName("SolutionManifest")[0], "Version")).toBe(source.solution.version);
    expect(all(manifest, "code").map((c) => c.getAttribute("path"))).toEqual(["bundle.js"]);
    expect(all(manifest, "built-by")).toHaveLength(1);
    expect(shipped).not.toContain("index.ts");
    for (const tag of ["code", "css", "resx"]) {
      for (const r of all(manifest, tag))
        expect(Object.keys(packed.unmanaged)).toContain(`Controls/${controlName}/${r.getAttribute("path")}`);
    }
  });

  test("publisher prefix tmap and option value prefix 61200 are used everywhere", () => {
    const publisher = solution.getElementsByTagName("Publisher")[0];
    expect(childText(publisher, "CustomizationPrefix")).toBe("tmap");
    expect(childText(publisher, "CustomizationOptionValuePrefix")).toBe("61200");
    for (const o of all(customizations, "optionset").filter((s) => childText(s, "OptionSetType") === "picklist")) {
      for (const opt of all(o, "option")) {
        const v = Number(opt.getAttribute("value"));
        expect(v >= 612000000 && v <= 612009999).toBe(true);
      }
    }
    for (const e of all(customizations, "Entity")) {
      for (const a of all(e, "attribute").filter((x) => childText(x, "IsCustomField") === "1"))
        expect(a.getAttribute("PhysicalName")).toMatch(/^tmap_/);
    }
  });
});

/** Columns declared per table: in customizations.xml, plus the standard tables' own columns. */
function declaredColumns(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const e of all(customizations, "Entity")) {
    const table = childText(e, "Name")!.toLowerCase();
    map.set(table, new Set(all(e, "attribute").map((a) => childText(a, "LogicalName")!)));
  }
  for (const std of [accountTable, territoryTable]) {
    const set = map.get(std.logicalName) ?? new Set<string>();
    for (const a of std.attributes) set.add(a.logicalName);
    map.set(std.logicalName, set);
  }
  return map;
}

describe("forms and views", () => {
  test("forms reference only columns that exist on their table", () => {
    const columns = declaredColumns();
    let checked = 0;
    for (const e of all(customizations, "Entity")) {
      const table = childText(e, "Name")!.toLowerCase();
      for (const control of all(e, "control")) {
        const field = control.getAttribute("datafieldname");
        if (!field) continue;
        expect(`${table}.${field}: ${columns.get(table)!.has(field)}`).toBe(`${table}.${field}: true`);
        checked += 1;
      }
      for (const bound of all(e, "datafieldname")) expect(columns.get(table)!.has(bound.textContent!)).toBe(true);
    }
    expect(checked).toBeGreaterThan(20);
  });

  test("views select, filter, order and show only columns that exist", () => {
    const columns = declaredColumns();
    for (const q of all(customizations, "savedquery")) {
      const entity = all(q, "entity")[0];
      const table = entity.getAttribute("name")!;
      const names = [
        ...all(entity, "attribute").map((a) => a.getAttribute("name")!),
        ...all(entity, "condition").map((c) => c.getAttribute("attribute")!),
        ...all(entity, "order").map((o) => o.getAttribute("attribute")!),
        ...all(q, "cell").map((c) => c.getAttribute("name")!),
      ];
      for (const n of names) expect(`${table}.${n}: ${columns.get(table)?.has(n)}`).toBe(`${table}.${n}: true`);
    }
  });

  test("the plan form hosts the control bound to tmap_planstate; the draft territory and territory forms show it", () => {
    const forms = new Map(all(customizations, "Entity").map((e) => [childText(e, "Name"), all(e, "systemform")]));
    for (const [table, column] of [
      ["tmap_plan", "tmap_planstate"],
      ["tmap_draftterritory", "tmap_mapstate"],
      ["Territory", "tmap_mapstate"],
    ]) {
      const form = forms.get(table)![0];
      const description = all(form, "controlDescription")[0];
      const control = all(form, "control").find((c) => c.getAttribute("uniqueid") === description.getAttribute("forControl"))!;
      expect(control.getAttribute("datafieldname")).toBe(column);
      const custom = all(description, "customControl").filter((c) => c.getAttribute("name") === controlName);
      expect(custom.map((c) => c.getAttribute("formFactor")).sort()).toEqual(["0", "1", "2"]);
      for (const c of custom) expect(childText(child(c, "parameters")!, "planState")).toBe(column);
    }
    const planAttr = all(customizations, "attribute").find((a) => a.getAttribute("PhysicalName") === "tmap_planstate")!;
    expect(childText(planAttr, "Type")).toBe("ntext");
  });

  test("the named views exist with their filters", () => {
    const views = new Map(all(customizations, "savedquery").map((q) => [all(q, "LocalizedName")[0].getAttribute("description"), q]));
    const conditions = (name: string) =>
      all(views.get(name)!, "condition").map((c) =>
        `${c.getAttribute("attribute")} ${c.getAttribute("operator")} ${c.getAttribute("value") ?? ""}`.trim(),
      );
    expect(conditions("Drafts")).toContain("tmap_status eq 612000000");
    expect(conditions("Published")).toContain("tmap_status eq 612000001");
    expect(conditions("My drafts")).toEqual(expect.arrayContaining(["tmap_status eq 612000000", "ownerid eq-userid"]));
    expect(all(views.get("Alerts")!, "entity")[0].getAttribute("name")).toBe("tmap_alert");
    expect(all(views.get("Unassigned accounts")!, "entity")[0].getAttribute("name")).toBe("account");
    expect(conditions("Unassigned accounts")).toContain("territoryid null");
  });
});

describe("security roles", () => {
  const privileges = (name: string) => {
    const role = all(customizations, "Role").find((r) => r.getAttribute("name") === name)!;
    return new Map(all(role, "RolePrivilege").map((p) => [p.getAttribute("name")!, p.getAttribute("level")!]));
  };

  test("the roles cover every table of the product", () => {
    const tables = productTables(source).map((t) => t.logicalName);
    expect(tables.sort()).toEqual([
      "tmap_alert",
      "tmap_assignmentchunk",
      "tmap_assignmentrule",
      "tmap_draftterritory",
      "tmap_plan",
      "tmap_publishlog",
    ]);
    const entities = all(customizations, "Entity")
      .map((e) => childText(e, "Name")!)
      .filter((n) => n.startsWith("tmap_"));
    expect(entities.sort()).toEqual(tables);
    const planner = privileges("Territory Planner");
    const viewer = privileges("Territory Viewer");
    for (const t of tables) {
      for (const p of ["Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share"])
        expect(planner.get(`prv${p}${t}`)).toBe("Global");
      expect(viewer.get(`prvRead${t}`)).toBe("Global");
    }
  });

  test("Planner reads and writes accounts and territories; Viewer only reads", () => {
    const planner = privileges("Territory Planner");
    for (const p of [
      "prvReadAccount",
      "prvWriteAccount",
      "prvReadTerritory",
      "prvWriteTerritory",
      "prvAppendToTerritory",
      "prvAppendAccount",
    ])
      expect(planner.has(p)).toBe(true);
    const viewer = privileges("Territory Viewer");
    for (const name of viewer.keys()) expect(name).toMatch(/^prvRead/);
    expect(viewer.has("prvReadAccount") && viewer.has("prvReadTerritory")).toBe(true);
  });
});

describe("app, environment variables, webhook", () => {
  test("the app's site map has Plans, Territories, Alerts and Accounts; its components and roles exist", () => {
    const titles = all(customizations, "SubArea").map((s) => all(s, "Title")[0].getAttribute("Title"));
    expect(titles).toEqual(expect.arrayContaining(["Plans", "Territories", "Alerts", "Accounts"]));
    const entities = new Set(all(customizations, "Entity").map((e) => childText(e, "Name")!.toLowerCase()));
    for (const s of all(customizations, "SubArea"))
      expect(entities.has(s.getAttribute("Entity")!) || s.getAttribute("Entity") === "territory").toBe(true);
    const app = all(customizations, "AppModule")[0];
    const roleIds = new Set(
      all(customizations, "Role")
        .filter((r) => r.getAttribute("name"))
        .map((r) => r.getAttribute("id")),
    );
    const mapped = all(child(app, "AppModuleRoleMaps")!, "Role").map((r) => r.getAttribute("id"));
    expect(mapped.length).toBe(2);
    for (const id of mapped) expect(roleIds.has(id)).toBe(true);
    const siteMapRef = all(app, "AppModuleComponent").find((c) => c.getAttribute("type") === "62")!;
    expect(siteMapRef.getAttribute("schemaName")).toBe(childText(all(customizations, "AppModuleSiteMap")[0], "SiteMapUniqueName"));
  });

  test("environment variables: the Azure Maps key ships without a value, the map centre with a JSON default", () => {
    const key = parseXml(text(packed.unmanaged["environmentvariabledefinitions/tmap_AzureMapsKey/environmentvariabledefinition.xml"]));
    expect(all(key, "defaultvalue")).toHaveLength(0);
    expect(all(key, "type")[0].textContent).toBe("100000000");
    expect(all(key, "secretstore")[0].textContent).toBe("0");
    const center = parseXml(
      text(packed.unmanaged["environmentvariabledefinitions/tmap_DefaultMapCenter/environmentvariabledefinition.xml"]),
    );
    expect(all(center, "type")[0].textContent).toBe("100000003");
    expect(JSON.parse(all(center, "defaultvalue")[0].textContent!)).toEqual({ latitude: 39.5, longitude: -98.35, zoom: 3 });
  });

  test("the webhook service endpoint ships without its secret", () => {
    const endpoints = all(customizations, "ServiceEndpoint");
    expect(endpoints).toHaveLength(1);
    const e = endpoints[0];
    expect(childText(e, "Contract")).toBe("8");
    expect(childText(e, "MessageFormat")).toBe("2");
    expect(all(e, "AuthValue")).toHaveLength(0);
    expect(childText(e, "Url")).not.toMatch(/[?&]code=/);
    const all_ = Object.values(packed.unmanaged).map(text).join("\n");
    expect(all_).not.toMatch(/authvalue/i);
  });
});

describe("pack refuses a wrong control build", () => {
  function brokenBuild(edit: (manifest: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), "tmap-broken-"));
    cpSync(packed.controlDir, dir, { recursive: true });
    const file = join(dir, "ControlManifest.xml");
    writeFileSync(file, edit(readFileSync(file, "utf8")));
    return dir;
  }

  test("a control build of another version (stale build after a bump)", () => {
    const dir = brokenBuild((m) => m.replace(/(<control\b[^>]*\sversion=")[^"]*"/, '$19.9.9"'));
    expect(() => packSolution({ root: repoRoot, controlDir: dir, write: false })).toThrow(/differs from the solution version/);
  });

  test("an unprocessed manifest", () => {
    const dir = brokenBuild((m) => m.replace('path="bundle.js"', 'path="index.ts"'));
    expect(() => packSolution({ root: repoRoot, controlDir: dir, write: false })).toThrow(/not the processed manifest/);
  });

  test("a missing build", () => {
    expect(() => packSolution({ root: repoRoot, controlDir: join(tmpdir(), "tmap-no-such-build"), write: false })).toThrow(
      /build\.mjs --production/,
    );
  });
});
