import type { AttributeSchema, TableSchema } from './schema';

/** Publisher prefix of the product's own columns and tables. */
export const PUBLISHER_PREFIX = 'tmap_';

const audit: AttributeSchema[] = [
  { logicalName: 'createdon', type: 'datetime', readOnly: true },
  { logicalName: 'modifiedon', type: 'datetime', readOnly: true },
  { logicalName: 'versionnumber', type: 'bigint', readOnly: true },
];

export const territoryTable: TableSchema = {
  logicalName: 'territory',
  entitySetName: 'territories',
  primaryIdAttribute: 'territoryid',
  primaryNameAttribute: 'name',
  ownership: 'organization',
  attributes: [
    { logicalName: 'territoryid', type: 'uniqueidentifier' },
    { logicalName: 'name', type: 'string', maxLength: 200, required: true },
    { logicalName: 'description', type: 'memo', maxLength: 2000 },
    { logicalName: 'managerid', type: 'lookup', targets: ['systemuser'] },
    { logicalName: 'parentterritoryid', type: 'lookup', targets: ['territory'] },
    ...audit,
  ],
};

export const systemUserTable: TableSchema = {
  logicalName: 'systemuser',
  entitySetName: 'systemusers',
  primaryIdAttribute: 'systemuserid',
  primaryNameAttribute: 'fullname',
  ownership: 'organization',
  attributes: [
    { logicalName: 'systemuserid', type: 'uniqueidentifier' },
    { logicalName: 'fullname', type: 'string', maxLength: 200 },
    { logicalName: 'firstname', type: 'string', maxLength: 64 },
    { logicalName: 'lastname', type: 'string', maxLength: 64 },
    { logicalName: 'internalemailaddress', type: 'string', maxLength: 100 },
    { logicalName: 'isdisabled', type: 'boolean' },
    { logicalName: 'territoryid', type: 'lookup', targets: ['territory'] },
    { logicalName: 'address1_city', type: 'string', maxLength: 128 },
    { logicalName: 'address1_stateorprovince', type: 'string', maxLength: 128 },
    { logicalName: 'address1_postalcode', type: 'string', maxLength: 40 },
    { logicalName: 'address1_latitude', type: 'double', minValue: -90, maxValue: 90, precision: 5 },
    { logicalName: 'address1_longitude', type: 'double', minValue: -180, maxValue: 180, precision: 5 },
    ...audit,
  ],
};

export const accountTable: TableSchema = {
  logicalName: 'account',
  entitySetName: 'accounts',
  primaryIdAttribute: 'accountid',
  primaryNameAttribute: 'name',
  ownership: 'user',
  attributes: [
    { logicalName: 'accountid', type: 'uniqueidentifier' },
    { logicalName: 'name', type: 'string', maxLength: 160, required: true },
    { logicalName: 'accountnumber', type: 'string', maxLength: 20 },
    { logicalName: 'address1_line1', type: 'string', maxLength: 250 },
    { logicalName: 'address1_city', type: 'string', maxLength: 80 },
    { logicalName: 'address1_stateorprovince', type: 'string', maxLength: 50 },
    { logicalName: 'address1_postalcode', type: 'string', maxLength: 20 },
    { logicalName: 'address1_country', type: 'string', maxLength: 80 },
    { logicalName: 'address1_latitude', type: 'double', minValue: -90, maxValue: 90, precision: 5 },
    { logicalName: 'address1_longitude', type: 'double', minValue: -180, maxValue: 180, precision: 5 },
    { logicalName: 'revenue', type: 'money', minValue: -922337203685477, maxValue: 922337203685477, precision: 2 },
    { logicalName: 'numberofemployees', type: 'integer', minValue: 0, maxValue: 1000000000 },
    { logicalName: 'industrycode', type: 'picklist', options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33] },
    { logicalName: 'customertypecode', type: 'picklist', options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
    { logicalName: 'statecode', type: 'state', options: [0, 1] },
    { logicalName: 'statuscode', type: 'status', options: [1, 2] },
    { logicalName: 'territoryid', type: 'lookup', targets: ['territory'] },
    { logicalName: 'ownerid', type: 'owner', targets: ['systemuser'] },
    { logicalName: 'parentaccountid', type: 'lookup', targets: ['account'] },
    { logicalName: `${PUBLISHER_PREFIX}workloadhours`, type: 'decimal', minValue: 0, maxValue: 100000000000, precision: 2 },
    ...audit,
  ],
};

/** account, territory, systemuser — the standard tables the product uses. */
export const standardTables: TableSchema[] = [systemUserTable, territoryTable, accountTable];
