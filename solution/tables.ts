/**
 * The product's tables as the local Dataverse stand-in sees them, read from the same solution source
 * (solution/src/Entities/<table>/entity.json) that customizations.xml is generated from — so the
 * development schema and the shipped schema cannot drift apart.
 */
import type { AttributeSchema, AttributeType, CascadeDelete, TableSchema } from "../dataverse/schema";
import { loadTables, productTables, repoRoot, type ColumnDef, type TableDef } from "./model";

const COLUMN_TYPES: Record<ColumnDef["type"], AttributeType> = {
  string: "string",
  memo: "memo",
  integer: "integer",
  bigint: "bigint",
  decimal: "decimal",
  double: "double",
  money: "money",
  boolean: "boolean",
  datetime: "datetime",
  picklist: "picklist",
  lookup: "lookup",
};

/** The relationship behaviour of a lookup (solution source) → its CascadeDelete (as generate.ts writes it). */
const CASCADE_DELETE: Record<NonNullable<ColumnDef["relationship"]>["cascade"], CascadeDelete> = {
  parental: "Cascade",
  removeLink: "RemoveLink",
  restrict: "Restrict",
};

export function columnToAttribute(c: ColumnDef): AttributeSchema {
  const a: AttributeSchema = { logicalName: c.logicalName, type: COLUMN_TYPES[c.type] };
  if (c.maxLength !== undefined) a.maxLength = c.maxLength;
  if (c.min !== undefined) a.minValue = c.min;
  if (c.max !== undefined) a.maxValue = c.max;
  if (c.precision !== undefined) a.precision = c.precision;
  if (c.required) a.required = true;
  if (c.target) a.targets = [c.target];
  if (c.options) a.options = c.options.map((o) => o.value);
  if (c.readOnly) a.readOnly = true;
  if (c.relationship) a.cascadeDelete = CASCADE_DELETE[c.relationship.cascade];
  return a;
}

/** Columns every user-owned custom table gets from the platform (the ones the product reads). */
export function systemAttributes(t: TableDef): AttributeSchema[] {
  const attrs: AttributeSchema[] = [
    { logicalName: "statecode", type: "state", options: [0, 1] },
    { logicalName: "statuscode", type: "status", options: [1, 2] },
    { logicalName: "createdon", type: "datetime", readOnly: true },
    { logicalName: "modifiedon", type: "datetime", readOnly: true },
    { logicalName: "createdby", type: "lookup", targets: ["systemuser"], readOnly: true },
    { logicalName: "modifiedby", type: "lookup", targets: ["systemuser"], readOnly: true },
    { logicalName: "versionnumber", type: "bigint", readOnly: true },
  ];
  if (t.ownership === "user") attrs.push({ logicalName: "ownerid", type: "owner", targets: ["systemuser"] });
  return attrs;
}

export function tableToSchema(t: TableDef): TableSchema {
  if (!t.primaryName) throw new Error(`${t.logicalName}: no primary name`);
  return {
    logicalName: t.logicalName,
    entitySetName: t.entitySetName,
    primaryIdAttribute: `${t.logicalName}id`,
    primaryNameAttribute: t.primaryName.logicalName,
    ownership: t.ownership,
    attributes: [
      { logicalName: `${t.logicalName}id`, type: "uniqueidentifier" },
      { logicalName: t.primaryName.logicalName, type: "string", maxLength: t.primaryName.maxLength, required: true },
      ...t.columns.map(columnToAttribute),
      ...systemAttributes(t),
    ],
  };
}

/** The product's own tables (tmap_*), with their columns, for the local server. */
export function loadSolutionTables(root: string = repoRoot()): TableSchema[] {
  return productTables({ tables: loadTables(root) }).map(tableToSchema);
}

/** Columns the solution adds to standard tables (e.g. account.tmap_workloadhours), by table. */
export function loadSolutionColumnExtensions(root: string = repoRoot()): Record<string, AttributeSchema[]> {
  const out: Record<string, AttributeSchema[]> = {};
  for (const t of loadTables(root).filter((x) => x.extendsStandardTable)) out[t.logicalName] = t.columns.map(columnToAttribute);
  return out;
}
