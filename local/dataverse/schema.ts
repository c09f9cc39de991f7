/** Table schema contract (see ARCHITECTURE.md "Table schema"). */
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
}

export interface TableSchema {
  logicalName: string; // "account"
  entitySetName: string; // "accounts"
  primaryIdAttribute: string; // "accountid"
  primaryNameAttribute: string; // "name"
  ownership: "user" | "organization";
  attributes: AttributeSchema[]; // includes the primary id and name
}

/** Store contract used by seeding and tests in-process (ARCHITECTURE.md "Local Dataverse store"). */
export interface DataverseStore {
  count(table: string): number;
  insertMany(table: string, rows: Record<string, unknown>[]): void;
}

export function isLookupType(type: AttributeType): boolean {
  return type === "lookup" || type === "owner";
}
