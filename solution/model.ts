/**
 * The solution's readable source (solution/src/**, plain JSON, one file per component) and its loader.
 *
 * This is the single source of truth: customizations.xml, solution.xml and the environment variable
 * files are generated from it (solution/generate.ts), and the local Dataverse stand-in reads the
 * product's tables from it (solution/tables.ts). Nothing else declares the product's schema.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Column types of the source (a superset of dataverse/schema.ts AttributeType for custom columns). */
export type ColumnType =
  "string" | "memo" | "integer" | "bigint" | "decimal" | "double" | "money" | "boolean" | "datetime" | "picklist" | "lookup";

export interface ChoiceOption {
  value: number;
  label: string;
}

export interface ColumnDef {
  logicalName: string;
  type: ColumnType;
  displayName: string;
  description?: string;
  required?: boolean;
  /** string / memo: maximum number of characters. */
  maxLength?: number;
  /** string format: text (default), email, url, phone; memo format: textarea (default), json. */
  format?: string;
  min?: number;
  max?: number;
  /** decimal / double / money: digits after the decimal point. */
  precision?: number;
  /** picklist: the options (values start at the publisher's option value prefix × 10000). */
  options?: ChoiceOption[];
  /** picklist: default option value. */
  defaultValue?: number;
  /** lookup: target table logical name. */
  target?: string;
  /** lookup: relationship schema name and delete behaviour. */
  relationship?: { name: string; cascade: "parental" | "removeLink" | "restrict" };
  /** Read-only for the product's callers (still written by the platform or server-side code). */
  readOnly?: boolean;
}

/** A form cell: a column rendered with its default control, or the PCF control bound to a column. */
export interface FormCell {
  column: string;
  label?: string;
  /** Render the Territory Map control bound to this column instead of the default control. */
  control?: "TerritoryMap";
  /** Static input values for the control's input properties (manifest property name -> value). */
  controlInputs?: Record<string, string>;
  hideLabel?: boolean;
  readOnly?: boolean;
}

export interface FormSection {
  name: string;
  label: string;
  showLabel?: boolean;
  cells: FormCell[];
}
export interface FormTab {
  name: string;
  label: string;
  sections: FormSection[];
}
export interface FormDef {
  id: string;
  name: string;
  description?: string;
  tabs: FormTab[];
}

export interface ViewCondition {
  attribute: string;
  operator: string;
  value?: string | number;
}
export interface ViewDef {
  id: string;
  name: string;
  description?: string;
  columns: string[];
  conditions: ViewCondition[];
  order?: { attribute: string; descending?: boolean };
  /** The table's default public view. */
  isDefault?: boolean;
}

export interface TableDef {
  logicalName: string;
  /** Schema name; the product keeps it equal to the logical name so privilege names are unambiguous. */
  schemaName: string;
  entitySetName: string;
  displayName: string;
  pluralName: string;
  description: string;
  ownership: "user" | "organization";
  /** true for a standard table the solution only adds columns / views to (account). */
  extendsStandardTable?: boolean;
  primaryName?: { logicalName: string; displayName: string; maxLength: number };
  /** Standard table: the platform columns its forms and views in this solution use, with their types. */
  standardColumns?: Record<string, ColumnType | "owner" | "uniqueidentifier" | "state" | "status">;
  columns: ColumnDef[];
  /** Columns of the generated system views (Active, Quick Find, Lookup, Associated, Advanced Find). */
  defaultViewColumns?: string[];
  forms: FormDef[];
  views: ViewDef[];
}

export interface PublisherDef {
  uniqueName: string;
  displayName: string;
  description: string;
  prefix: string;
  optionValuePrefix: number;
}

export interface SolutionDef {
  uniqueName: string;
  displayName: string;
  description: string;
  version: string;
  publisher: PublisherDef;
  control: { namespace: string; constructor: string; manifestInput: string };
}

export type PrivilegeName = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo" | "Assign" | "Share";
export type PrivilegeLevel = "Basic" | "Local" | "Deep" | "Global";

export interface RoleDef {
  id: string;
  name: string;
  description: string;
  /** Table privileges: table logical name -> privilege -> level. "*product*" expands to every product table. */
  tables: Record<string, Partial<Record<PrivilegeName, PrivilegeLevel>>>;
  /** Other named privileges (e.g. prvReadUser). */
  privileges?: Record<string, PrivilegeLevel>;
}

export interface SubAreaDef {
  id: string;
  title: string;
  entity: string;
  viewId?: string;
}
export interface SiteMapGroupDef {
  id: string;
  title: string;
  subAreas: SubAreaDef[];
}
export interface AppDef {
  uniqueName: string;
  displayName: string;
  description: string;
  /** Roles (by id) that see the app. */
  roles: string[];
  /** Tables the app shows; their forms and views come with them. */
  tables: string[];
  siteMap: { areaId: string; areaTitle: string; groups: SiteMapGroupDef[] };
}

export interface EnvironmentVariableDef {
  schemaName: string;
  displayName: string;
  description: string;
  type: "string" | "number" | "boolean" | "json" | "secret";
  defaultValue?: string;
  isRequired: boolean;
}

export interface ServiceEndpointDef {
  id: string;
  name: string;
  description: string;
  /** Placeholder URL; the real one is set after import (see solution/README.md). */
  url: string;
  /** 4 WebhookKey, 5 HttpHeader, 6 HttpQueryString. The secret (authvalue) is never in the source. */
  authType: 4 | 5 | 6;
}

export interface SolutionSource {
  solution: SolutionDef;
  tables: TableDef[];
  roles: RoleDef[];
  apps: AppDef[];
  environmentVariables: EnvironmentVariableDef[];
  serviceEndpoints: ServiceEndpointDef[];
}

/** Repository root (solution/ lives directly below it). */
export function repoRoot(): string {
  // CommonJS (jest, tsx without "type": "module"): this file's folder; otherwise the working directory.
  return typeof __dirname !== "undefined" ? resolve(__dirname, "..") : process.cwd();
}

export function sourceDir(root = repoRoot()): string {
  return join(root, "solution", "src");
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw new Error(`solution source ${file}: ${(e as Error).message}`);
  }
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

/** Reads every table definition: solution/src/Entities/<logicalname>/entity.json. */
export function loadTables(root = repoRoot()): TableDef[] {
  const dir = join(sourceDir(root), "Entities");
  const tables = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const table = readJson<TableDef>(join(dir, name, "entity.json"));
      if (table.logicalName !== name) throw new Error(`Entities/${name}/entity.json declares '${table.logicalName}'`);
      return table;
    });
  return tables;
}

export function loadSolutionSource(root = repoRoot()): SolutionSource {
  const src = sourceDir(root);
  const source: SolutionSource = {
    solution: readJson<SolutionDef>(join(src, "solution.json")),
    tables: loadTables(root),
    roles: jsonFiles(join(src, "Roles")).map((f) => readJson<RoleDef>(f)),
    apps: jsonFiles(join(src, "AppModules")).map((f) => readJson<AppDef>(f)),
    environmentVariables: jsonFiles(join(src, "environmentvariabledefinitions")).map((f) => readJson<EnvironmentVariableDef>(f)),
    serviceEndpoints: jsonFiles(join(src, "ServiceEndpoints")).map((f) => readJson<ServiceEndpointDef>(f)),
  };
  validateSource(source);
  return source;
}

/** Product tables: the ones the solution creates (not the standard tables it extends). */
export function productTables(source: Pick<SolutionSource, "tables">): TableDef[] {
  return source.tables.filter((t) => !t.extendsStandardTable);
}

const NAME = /^[a-z][a-z0-9_]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Structural checks that keep the source consistent; throws with every problem found. */
export function validateSource(source: SolutionSource): void {
  const problems: string[] = [];
  const { prefix, optionValuePrefix } = source.solution.publisher;
  const tableNames = new Set(source.tables.map((t) => t.logicalName));
  const standard = new Set(["account", "territory", "systemuser", "team", "businessunit"]);
  const ids = new Map<string, string>();
  const claimId = (id: string, what: string) => {
    if (!GUID.test(id)) problems.push(`${what}: '${id}' is not a lower-case GUID`);
    const prior = ids.get(id);
    if (prior) problems.push(`${what}: id ${id} already used by ${prior}`);
    ids.set(id, what);
  };
  for (const t of source.tables) {
    const where = `table ${t.logicalName}`;
    if (!NAME.test(t.logicalName)) problems.push(`${where}: invalid logical name`);
    if (!t.extendsStandardTable) {
      if (!t.logicalName.startsWith(`${prefix}_`)) problems.push(`${where}: missing publisher prefix ${prefix}_`);
      if (t.schemaName !== t.logicalName) problems.push(`${where}: schemaName must equal the logical name`);
      if (!t.primaryName) problems.push(`${where}: primaryName missing`);
    }
    const columns = new Set<string>();
    for (const c of t.columns) {
      const cw = `${where}.${c.logicalName}`;
      if (!NAME.test(c.logicalName) || !c.logicalName.startsWith(`${prefix}_`))
        problems.push(`${cw}: custom columns need the ${prefix}_ prefix`);
      if (columns.has(c.logicalName)) problems.push(`${cw}: duplicate`);
      columns.add(c.logicalName);
      if (c.type === "lookup") {
        if (!c.target || !(tableNames.has(c.target) || standard.has(c.target))) problems.push(`${cw}: unknown lookup target '${c.target}'`);
        if (!c.relationship) problems.push(`${cw}: lookup without relationship`);
      }
      if (c.type === "picklist") {
        if (!c.options?.length) problems.push(`${cw}: choice without options`);
        for (const o of c.options ?? []) {
          if (o.value < optionValuePrefix * 10000 || o.value >= (optionValuePrefix + 1) * 10000) {
            problems.push(`${cw}: option ${o.value} outside the publisher range ${optionValuePrefix}0000..${optionValuePrefix}9999`);
          }
        }
      }
      if ((c.type === "string" || c.type === "memo") && !c.maxLength) problems.push(`${cw}: maxLength missing`);
    }
    for (const f of t.forms) claimId(f.id, `${where} form ${f.name}`);
    for (const v of t.views) claimId(v.id, `${where} view ${v.name}`);
  }
  for (const r of source.roles) claimId(r.id, `role ${r.name}`);
  for (const s of source.serviceEndpoints) claimId(s.id, `service endpoint ${s.name}`);
  for (const e of source.environmentVariables) {
    if (!e.schemaName.startsWith(`${prefix}_`)) problems.push(`environment variable ${e.schemaName}: missing prefix`);
  }
  if (problems.length) throw new Error(`solution source is inconsistent:\n  ${problems.join("\n  ")}`);
}
