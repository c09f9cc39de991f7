import { loadSolutionColumnExtensions, loadSolutionTables } from "../../../solution/tables";
import { loadSolutionSource } from "../../../solution/model";
import { customizationsXml, parseControlManifest } from "../../../solution/generate";
import { accountTable, standardTables } from "../../../local/dataverse/standardTables";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./helpers";

const tables = loadSolutionTables();
const byName = new Map(tables.map((t) => [t.logicalName, t]));
const attr = (table: string, column: string) => byName.get(table)?.attributes.find((a) => a.logicalName === column);

describe("loadSolutionTables (the local server reads the shipped schema)", () => {
  test("returns the six product tables, user-owned, with primary id and name", () => {
    expect(tables.map((t) => t.logicalName).sort()).toEqual([
      "tmap_alert",
      "tmap_assignmentchunk",
      "tmap_assignmentrule",
      "tmap_draftterritory",
      "tmap_plan",
      "tmap_publishlog",
    ]);
    for (const t of tables) {
      expect(t.ownership).toBe("user");
      expect(t.primaryIdAttribute).toBe(`${t.logicalName}id`);
      expect(attr(t.logicalName, t.primaryIdAttribute)?.type).toBe("uniqueidentifier");
      expect(attr(t.logicalName, t.primaryNameAttribute)?.type).toBe("string");
      expect(t.entitySetName).toMatch(/^tmap_[a-z]+s$/);
      for (const system of ["ownerid", "createdon", "createdby", "modifiedon", "statecode", "statuscode", "versionnumber"]) {
        expect(attr(t.logicalName, system)).toBeDefined();
      }
      const names = t.attributes.map((a) => a.logicalName);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  test("plan columns the drafts store relies on", () => {
    const expected: Record<string, string> = {
      tmap_name: "string",
      tmap_version: "integer",
      tmap_parentplanid: "lookup",
      tmap_status: "picklist",
      tmap_savestate: "picklist",
      tmap_notes: "memo",
      tmap_balancingsettings: "memo",
      tmap_metrics: "memo",
      tmap_planstate: "memo",
      tmap_accountcount: "integer",
      tmap_chunkcount: "integer",
      tmap_savetoken: "string",
      ownerid: "owner",
      createdby: "lookup",
      createdon: "datetime",
    };
    for (const [column, type] of Object.entries(expected)) expect(`${column}:${attr("tmap_plan", column)?.type}`).toBe(`${column}:${type}`);
    expect(attr("tmap_plan", "tmap_parentplanid")?.targets).toEqual(["tmap_plan"]);
    expect(attr("tmap_plan", "tmap_status")?.options).toEqual([612000000, 612000001, 612000002, 612000003, 612000004]);
    expect(attr("tmap_plan", "tmap_savestate")?.options).toEqual([612000000, 612000001]);
    expect(attr("tmap_plan", "tmap_planstate")?.maxLength).toBe(1048576);
  });

  test("draft territory, assignment chunk, publish log, alert and rule columns", () => {
    expect(attr("tmap_draftterritory", "tmap_planid")?.targets).toEqual(["tmap_plan"]);
    expect(attr("tmap_draftterritory", "tmap_repid")?.targets).toEqual(["systemuser"]);
    expect(attr("tmap_draftterritory", "tmap_territoryid")?.targets).toEqual(["territory"]);
    for (const c of ["tmap_color", "tmap_geometry", "tmap_postalcodes", "tmap_totals", "tmap_index"])
      expect(attr("tmap_draftterritory", c)).toBeDefined();
    expect(attr("tmap_assignmentchunk", "tmap_payload")).toMatchObject({ type: "memo", maxLength: 1048576 });
    for (const c of ["tmap_planid", "tmap_chunkindex", "tmap_chunkcount", "tmap_checksum"])
      expect(attr("tmap_assignmentchunk", c)).toBeDefined();
    for (const c of [
      "tmap_planid",
      "tmap_startedon",
      "tmap_finishedon",
      "tmap_status",
      "tmap_plannedcount",
      "tmap_writtencount",
      "tmap_failedcount",
      "tmap_failures",
      "tmap_cursor",
    ]) {
      expect(attr("tmap_publishlog", c)).toBeDefined();
    }
    expect(attr("tmap_alert", "tmap_deviation")?.type).toBe("decimal");
    for (const c of ["tmap_territoryid", "tmap_measure", "tmap_threshold", "tmap_message", "tmap_planid"])
      expect(attr("tmap_alert", c)).toBeDefined();
    expect(attr("tmap_assignmentrule", "tmap_kind")?.options).toEqual([612000000, 612000001, 612000002, 612000003]);
    for (const c of ["tmap_planid", "tmap_precedence", "tmap_definition", "tmap_territoryid"])
      expect(attr("tmap_assignmentrule", c)).toBeDefined();
  });

  test("every column the local server loads is declared in the generated customizations.xml", () => {
    const source = loadSolutionSource(repoRoot);
    const control = parseControlManifest(
      readFileSync(join(repoRoot, source.solution.control.manifestInput), "utf8").replace('path="index.ts"', 'path="bundle.js"'),
    );
    const xml = customizationsXml(source, control);
    for (const t of tables) {
      const entity = new RegExp(`<entity Name="${t.logicalName}">([\\s\\S]*?)</entity>`).exec(xml)?.[1];
      expect(entity).toBeDefined();
      // versionnumber (row version) is created by the platform and, as in real exports, not listed.
      for (const a of t.attributes.filter((x) => x.logicalName !== "versionnumber"))
        expect(`${t.logicalName}.${a.logicalName}: ${entity!.includes(`<LogicalName>${a.logicalName}</LogicalName>`)}`).toBe(
          `${t.logicalName}.${a.logicalName}: true`,
        );
    }
  });

  test("columns the solution adds to standard tables agree with the local standard tables", () => {
    const ext = loadSolutionColumnExtensions();
    expect(Object.keys(ext).sort()).toEqual(["account", "territory"]);
    const local = accountTable.attributes.find((a) => a.logicalName === "tmap_workloadhours");
    expect(ext.account).toEqual([local]);
    // territory.tmap_mapstate (bound to the control on the Territory Map form) is not declared locally yet:
    // standardTables.ts should append loadSolutionColumnExtensions() so it cannot drift either.
    for (const [table, columns] of Object.entries(ext)) {
      const std = standardTables.find((t) => t.logicalName === table)!;
      for (const c of columns) {
        const mine = std.attributes.find((a) => a.logicalName === c.logicalName);
        if (mine) expect(mine).toEqual(c);
      }
    }
  });

  test("standard columns the solution's forms and views use exist locally with the same type", () => {
    const source = loadSolutionSource(repoRoot);
    for (const t of source.tables.filter((x) => x.extendsStandardTable)) {
      const std = standardTables.find((s) => s.logicalName === t.logicalName)!;
      for (const [column, type] of Object.entries(t.standardColumns ?? {})) {
        expect(`${t.logicalName}.${column}:${std.attributes.find((a) => a.logicalName === column)?.type}`).toBe(
          `${t.logicalName}.${column}:${type}`,
        );
      }
    }
  });
});
