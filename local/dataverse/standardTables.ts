import type { AttributeSchema, TableSchema } from "../../dataverse/schema";

/** Publisher prefix of the product's own columns and tables. */
export const PUBLISHER_PREFIX = "tmap_";

const audit: AttributeSchema[] = [
  { logicalName: "createdon", type: "datetime", readOnly: true },
  { logicalName: "modifiedon", type: "datetime", readOnly: true },
  { logicalName: "versionnumber", type: "bigint", readOnly: true },
  { logicalName: "createdby", type: "lookup", targets: ["systemuser"], readOnly: true },
  { logicalName: "modifiedby", type: "lookup", targets: ["systemuser"], readOnly: true },
  { logicalName: "createdonbehalfby", type: "lookup", targets: ["systemuser"], readOnly: true },
  { logicalName: "modifiedonbehalfby", type: "lookup", targets: ["systemuser"], readOnly: true },
];

export const territoryTable: TableSchema = {
  logicalName: "territory",
  entitySetName: "territories",
  primaryIdAttribute: "territoryid",
  primaryNameAttribute: "name",
  ownership: "organization",
  attributes: [
    { logicalName: "territoryid", type: "uniqueidentifier" },
    { logicalName: "name", type: "string", maxLength: 200, required: true },
    { logicalName: "description", type: "memo", maxLength: 2000 },
    { logicalName: "managerid", type: "lookup", targets: ["systemuser"] },
    { logicalName: "parentterritoryid", type: "lookup", targets: ["territory"] },
    ...audit,
  ],
};

export const systemUserTable: TableSchema = {
  logicalName: "systemuser",
  entitySetName: "systemusers",
  primaryIdAttribute: "systemuserid",
  primaryNameAttribute: "fullname",
  ownership: "organization",
  attributes: [
    { logicalName: "systemuserid", type: "uniqueidentifier" },
    { logicalName: "fullname", type: "string", maxLength: 200 },
    { logicalName: "firstname", type: "string", maxLength: 64 },
    { logicalName: "lastname", type: "string", maxLength: 64 },
    { logicalName: "internalemailaddress", type: "string", maxLength: 100 },
    { logicalName: "isdisabled", type: "boolean" },
    { logicalName: "azureactivedirectoryobjectid", type: "uniqueidentifier" },
    { logicalName: "territoryid", type: "lookup", targets: ["territory"] },
    { logicalName: "address1_city", type: "string", maxLength: 128 },
    { logicalName: "address1_stateorprovince", type: "string", maxLength: 128 },
    { logicalName: "address1_postalcode", type: "string", maxLength: 40 },
    { logicalName: "address1_latitude", type: "double", minValue: -90, maxValue: 90, precision: 5 },
    { logicalName: "address1_longitude", type: "double", minValue: -180, maxValue: 180, precision: 5 },
    ...audit,
  ],
};

export const accountTable: TableSchema = {
  logicalName: "account",
  entitySetName: "accounts",
  primaryIdAttribute: "accountid",
  primaryNameAttribute: "name",
  ownership: "user",
  attributes: [
    { logicalName: "accountid", type: "uniqueidentifier" },
    { logicalName: "name", type: "string", maxLength: 160, required: true },
    { logicalName: "accountnumber", type: "string", maxLength: 20 },
    { logicalName: "address1_line1", type: "string", maxLength: 250 },
    { logicalName: "address1_city", type: "string", maxLength: 80 },
    { logicalName: "address1_stateorprovince", type: "string", maxLength: 50 },
    { logicalName: "address1_postalcode", type: "string", maxLength: 20 },
    { logicalName: "address1_country", type: "string", maxLength: 80 },
    { logicalName: "address1_latitude", type: "double", minValue: -90, maxValue: 90, precision: 5 },
    { logicalName: "address1_longitude", type: "double", minValue: -180, maxValue: 180, precision: 5 },
    { logicalName: "revenue", type: "money", minValue: -922337203685477, maxValue: 922337203685477, precision: 2 },
    { logicalName: "numberofemployees", type: "integer", minValue: 0, maxValue: 1000000000 },
    {
      logicalName: "industrycode",
      type: "picklist",
      options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33],
    },
    { logicalName: "customertypecode", type: "picklist", options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
    { logicalName: "statecode", type: "state", options: [0, 1] },
    { logicalName: "statuscode", type: "status", options: [1, 2] },
    { logicalName: "territoryid", type: "lookup", targets: ["territory"] },
    { logicalName: "ownerid", type: "owner", targets: ["systemuser", "team"] },
    { logicalName: "owningbusinessunit", type: "lookup", targets: ["businessunit"], readOnly: true },
    { logicalName: "parentaccountid", type: "lookup", targets: ["account"] },
    { logicalName: `${PUBLISHER_PREFIX}workloadhours`, type: "decimal", minValue: 0, maxValue: 100000000000, precision: 2 },
    ...audit,
  ],
};

export const businessUnitTable: TableSchema = {
  logicalName: "businessunit",
  entitySetName: "businessunits",
  primaryIdAttribute: "businessunitid",
  primaryNameAttribute: "name",
  ownership: "organization",
  attributes: [
    { logicalName: "businessunitid", type: "uniqueidentifier" },
    { logicalName: "name", type: "string", maxLength: 160, required: true },
    { logicalName: "parentbusinessunitid", type: "lookup", targets: ["businessunit"] },
    ...audit,
  ],
};

/** teamtype: 0 Owner, 1 Access, 2 Microsoft Entra ID security group, 3 Microsoft Entra ID Office group. */
export const teamTable: TableSchema = {
  logicalName: "team",
  entitySetName: "teams",
  primaryIdAttribute: "teamid",
  primaryNameAttribute: "name",
  ownership: "organization",
  attributes: [
    { logicalName: "teamid", type: "uniqueidentifier" },
    { logicalName: "name", type: "string", maxLength: 160, required: true },
    { logicalName: "businessunitid", type: "lookup", targets: ["businessunit"] },
    { logicalName: "teamtype", type: "picklist", options: [0, 1, 2, 3] },
    { logicalName: "azureactivedirectoryobjectid", type: "uniqueidentifier" },
    { logicalName: "description", type: "memo", maxLength: 2000 },
    ...audit,
  ],
};

/** The intersect table of the team ↔ systemuser N:N (read-only; written through the association). */
export const teamMembershipTable: TableSchema = {
  logicalName: "teammembership",
  entitySetName: "teammemberships",
  primaryIdAttribute: "teammembershipid",
  primaryNameAttribute: "teammembershipid",
  ownership: "organization",
  attributes: [
    { logicalName: "teammembershipid", type: "uniqueidentifier" },
    { logicalName: "teamid", type: "uniqueidentifier", readOnly: true },
    { logicalName: "systemuserid", type: "uniqueidentifier", readOnly: true },
    ...audit,
  ],
};

export const teamTables: TableSchema[] = [businessUnitTable, teamTable, teamMembershipTable];

/** account, territory, systemuser — the standard tables the product uses. */
/**
 * Environment variables (solution-aware settings). The control reads the Azure Maps key through these two
 * tables exactly as it would in a real environment: definition by schema name, then its current value.
 */
export const environmentVariableDefinitionTable: TableSchema = {
  logicalName: "environmentvariabledefinition",
  entitySetName: "environmentvariabledefinitions",
  primaryIdAttribute: "environmentvariabledefinitionid",
  primaryNameAttribute: "schemaname",
  ownership: "user",
  attributes: [
    { logicalName: "environmentvariabledefinitionid", type: "uniqueidentifier" },
    { logicalName: "schemaname", type: "string", maxLength: 100, required: true },
    { logicalName: "displayname", type: "string", maxLength: 100 },
    { logicalName: "description", type: "memo", maxLength: 2000 },
    { logicalName: "defaultvalue", type: "memo", maxLength: 2000 },
    { logicalName: "type", type: "picklist", options: [100000000, 100000001, 100000002, 100000003, 100000004, 100000005] },
    ...audit,
  ],
};

export const environmentVariableValueTable: TableSchema = {
  logicalName: "environmentvariablevalue",
  entitySetName: "environmentvariablevalues",
  primaryIdAttribute: "environmentvariablevalueid",
  primaryNameAttribute: "schemaname",
  ownership: "user",
  attributes: [
    { logicalName: "environmentvariablevalueid", type: "uniqueidentifier" },
    { logicalName: "schemaname", type: "string", maxLength: 100 },
    { logicalName: "value", type: "memo", maxLength: 2000 },
    { logicalName: "environmentvariabledefinitionid", type: "lookup", targets: ["environmentvariabledefinition"] },
    ...audit,
  ],
};

export const standardTables: TableSchema[] = [
  systemUserTable,
  territoryTable,
  accountTable,
  environmentVariableDefinitionTable,
  environmentVariableValueTable,
  businessUnitTable,
  teamTable,
  teamMembershipTable,
];

/** Labels of option values (OData.Community.Display.V1.FormattedValue): table -> attribute -> value -> label. */
export type OptionLabels = Record<string, Record<string, Record<number, string>>>;

/** The default (1033) labels of the standard tables' choices as a new Dynamics 365 organization has them. */
export const standardOptionLabels: OptionLabels = {
  account: {
    industrycode: {
      1: "Accounting",
      2: "Agriculture and Non-petrol Natural Resource Extraction",
      3: "Broadcasting Printing and Publishing",
      4: "Brokers",
      5: "Building Supply Retail",
      6: "Business Services",
      7: "Consulting",
      8: "Consumer Services",
      9: "Design, Direction and Creative Management",
      10: "Distributors, Dispatchers and Processors",
      11: "Doctor's Offices and Clinics",
      12: "Durable Manufacturing",
      13: "Eating and Drinking Places",
      14: "Entertainment Retail",
      15: "Equipment Rental and Leasing",
      16: "Financial",
      17: "Food and Tobacco Processing",
      18: "Inbound Capital Intensive Processing",
      19: "Inbound Repair and Services",
      20: "Insurance",
      21: "Legal Services",
      22: "Non-Durable Merchandise Retail",
      23: "Outbound Consumer Service",
      24: "Petrochemical Extraction and Distribution",
      25: "Service Retail",
      26: "SIG Affiliations",
      27: "Social Services",
      28: "Special Outbound Trade Contractors",
      29: "Specialty Realty",
      30: "Transportation",
      31: "Utility Creation and Distribution",
      32: "Vehicle Retail",
      33: "Wholesale",
    },
    customertypecode: {
      1: "Competitor",
      2: "Consultant",
      3: "Customer",
      4: "Investor",
      5: "Partner",
      6: "Influencer",
      7: "Press",
      8: "Prospect",
      9: "Reseller",
      10: "Supplier",
      11: "Vendor",
      12: "Other",
    },
    statecode: { 0: "Active", 1: "Inactive" },
    statuscode: { 1: "Active", 2: "Inactive" },
  },
};
