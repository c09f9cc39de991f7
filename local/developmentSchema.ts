/**
 * The schema the local Dataverse serves in development: Dynamics' standard tables, extended with the columns
 * the solution adds to them, plus the product's own tables — all read from solution/ so the development
 * schema and the shipped schema cannot drift apart. Also the solution's environment variable definitions,
 * so the control reads its settings (the Azure Maps key) through the same tables as in a real org.
 */
import { standardTables } from "./dataverse/standardTables";
import { webhookTables } from "./dataverse/webhooks";
import type { TableSchema } from "../dataverse/schema";
import type { SqliteDataverseStore } from "./dataverse/store";
import { loadSolutionColumnExtensions, loadSolutionTables } from "../solution/tables";
import { loadSolutionSource } from "../solution/model";

/** Standard tables (with the solution's extension columns) followed by the product's tables. */
export function developmentTables(): TableSchema[] {
  const extensions = loadSolutionColumnExtensions();
  const standard = standardTables.map((t) => {
    const extra = (extensions[t.logicalName] ?? []).filter((c) => !t.attributes.some((a) => a.logicalName === c.logicalName));
    return extra.length > 0 ? { ...t, attributes: [...t.attributes, ...extra] } : t;
  });
  return [...standard, ...webhookTables, ...loadSolutionTables()];
}

/** Dataverse's option values of environmentvariabledefinition.type. */
const ENVIRONMENT_VARIABLE_TYPE: Record<string, number> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
  datasource: 100000004,
  secret: 100000005,
};

/**
 * Creates the solution's environment variable definitions that the store lacks (as importing the solution
 * would) and sets current values given by the developer, e.g. `{ tmap_AzureMapsKey: process.env.TMAP_AZURE_MAPS_KEY }`.
 * Values are written to environmentvariablevalue rows, never logged.
 */
export function ensureEnvironmentVariables(store: SqliteDataverseStore, values: Record<string, string | undefined> = {}): void {
  const definitions = [...store.rows("environmentvariabledefinition")];
  for (const def of loadSolutionSource().environmentVariables) {
    let row = definitions.find((d) => String(d.schemaname).toLowerCase() === def.schemaName.toLowerCase());
    if (!row) {
      row = store.create("environmentvariabledefinition", {
        schemaname: def.schemaName,
        displayname: def.displayName,
        description: def.description,
        defaultvalue: def.defaultValue ?? null,
        type: ENVIRONMENT_VARIABLE_TYPE[def.type] ?? ENVIRONMENT_VARIABLE_TYPE.string,
      });
    }
    const value = values[def.schemaName];
    if (value === undefined) continue;
    const id = String(row.environmentvariabledefinitionid);
    const existing = [...store.rows("environmentvariablevalue")].find((v) => String(v.environmentvariabledefinitionid) === id);
    if (existing) store.update("environmentvariablevalue", String(existing.environmentvariablevalueid), { value });
    else store.create("environmentvariablevalue", { schemaname: def.schemaName, value, environmentvariabledefinitionid: id });
  }
}
