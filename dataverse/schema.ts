/**
 * Table schema contract (see ARCHITECTURE.md "Table schema"): how a Dataverse table and its columns are described,
 * shared by the solution generator (solution/) and the local Web API stand-in (local/dataverse/).
 */
export type AttributeType =
  | "uniqueidentifier"
  | "string"
  | "memo"
  | "integer"
  | "bigint"
  | "decimal"
  | "double"
  | "money"
  | "boolean"
  | "datetime"
  | "picklist"
  | "state"
  | "status"
  | "lookup"
  | "owner";

export interface AttributeSchema {
  logicalName: string; // "address1_latitude", "territoryid"
  type: AttributeType;
  maxLength?: number; // string / memo
  minValue?: number;
  maxValue?: number;
  precision?: number;
  required?: boolean;
  targets?: string[]; // lookup / owner: target table logical names
  options?: number[]; // picklist / state / status values
  readOnly?: boolean; // e.g. createdon, versionnumber
  /**
   * lookup: what deleting the referenced record does to the records whose lookup points at it (the relationship's
   * CascadeConfiguration.Delete): "Cascade" deletes them, "RemoveLink" clears the lookup, "Restrict" refuses the
   * delete while any exist, "NoCascade" does nothing. Unset = not declared (the stand-in leaves the lookup as it is).
   */
  cascadeDelete?: CascadeDelete;
}

/** CascadeType values Dataverse allows for CascadeConfiguration.Delete. */
export type CascadeDelete = "Cascade" | "RemoveLink" | "Restrict" | "NoCascade";

export interface TableSchema {
  logicalName: string; // "account"
  entitySetName: string; // "accounts"
  primaryIdAttribute: string; // "accountid"
  primaryNameAttribute: string; // "name"
  ownership: "user" | "organization";
  attributes: AttributeSchema[]; // includes the primary id and name
}

export function isLookupType(type: AttributeType): boolean {
  return type === "lookup" || type === "owner";
}
