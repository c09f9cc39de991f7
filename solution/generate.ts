/**
 * Generates the solution's XML (customizations.xml, solution.xml, environment variable definitions)
 * from the readable source in solution/src (see solution/model.ts). Pure: source in, strings out.
 *
 * The generated customizations.xml keeps to Microsoft's CustomizationsSolution.xsd (9.0.0.2090): newer
 * export-only elements (AutoNumberFormat, IsSearchable, CascadeArchive, AppModule statecode/appsettings,
 * site-map Show* flags) are left out — the platform applies its defaults for them on import.
 */
import type {
  AppDef,
  ColumnDef,
  EnvironmentVariableDef,
  FormCell,
  FormDef,
  RoleDef,
  ServiceEndpointDef,
  SolutionSource,
  TableDef,
  ViewDef,
} from "./model";
import { productTables } from "./model";
import { braces, document, stableGuid, t, x, type XmlElement } from "./xml";

export const LANGUAGE = 1033;
/** Version stamp of the schema this generator writes (an online org of any current version imports it). */
export const IMPORT_EXPORT_VERSION = "9.1.0.643";
export const SOLUTION_PACKAGE_VERSION = "9.1";
/** Component's introduced version: fixed, not the release version (it must not change on upgrade). */
const INTRODUCED = "1.0";
/** The platform's default model-driven app icon web resource. */
export const DEFAULT_APP_ICON = "953b9fac-1e5e-e611-80d6-00155ded156f";

/** Solution component types (solution.xml RootComponent type). */
export const ComponentType = {
  Entity: 1,
  Role: 20,
  SavedQuery: 26,
  SystemForm: 60,
  SiteMap: 62,
  CustomControl: 66,
  AppModule: 80,
  ServiceEndpoint: 95,
  EnvironmentVariableDefinition: 380,
} as const;

/** Form control class ids of the default controls per column type. */
const CLASS_ID: Record<string, string> = {
  string: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  memo: "{E0DECE4B-6FC8-4a8f-A065-082708572369}",
  integer: "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
  bigint: "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
  decimal: "{C3EFE0C3-0EC6-42be-8349-CBD9079DFD8E}",
  double: "{0D2C745A-E5A8-4c8f-BA63-C6D3BB604660}",
  money: "{533B9E00-756B-4312-95A0-DC888637AC78}",
  boolean: "{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}",
  datetime: "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
  picklist: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
  lookup: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  owner: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  status: "{5D68B988-0661-4db2-BC3E-17598AD3BE6C}",
  state: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
};

/** Schema names of the standard tables the product refers to (privilege and relationship names use them). */
export const STANDARD_SCHEMA_NAMES: Record<string, string> = {
  account: "Account",
  territory: "Territory",
  systemuser: "SystemUser",
  team: "Team",
  businessunit: "BusinessUnit",
};
/** Privilege name stem per standard table (prvReadUser, not prvReadSystemUser). */
const PRIVILEGE_STEM: Record<string, string> = { account: "Account", territory: "Territory", systemuser: "User" };

/** The manifest facts the forms need: the bound property and the type of every input property. */
export interface ControlManifestInfo {
  namespace: string;
  constructor: string;
  version: string;
  boundProperty: string;
  inputTypes: Record<string, string>;
}

export function parseControlManifest(xml: string): ControlManifestInfo {
  const control = /<control\s([^>]*)>/.exec(xml);
  if (!control) throw new Error("ControlManifest: no <control> element");
  const attr = (s: string, n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(s)?.[1] ?? "";
  const info: ControlManifestInfo = {
    namespace: attr(control[1], "namespace"),
    constructor: attr(control[1], "constructor"),
    version: attr(control[1], "version"),
    boundProperty: "",
    inputTypes: {},
  };
  for (const m of xml.matchAll(/<property\s([^>]*?)\/?>/g)) {
    const name = attr(m[1], "name");
    const usage = attr(m[1], "usage");
    if (usage === "bound" && !info.boundProperty) info.boundProperty = name;
    if (usage === "input") info.inputTypes[name] = attr(m[1], "of-type");
  }
  return info;
}

export function controlName(source: SolutionSource): string {
  const { prefix } = source.solution.publisher;
  return `${prefix}_${source.solution.control.namespace}.${source.solution.control.constructor}`;
}

const labels = (text: string) => x("labels", null, x("label", { description: text, languagecode: LANGUAGE }));
const displaynames = (text: string) => x("displaynames", null, x("displayname", { description: text, languagecode: LANGUAGE }));
const descriptions = (text: string) => x("Descriptions", null, x("Description", { description: text, languagecode: LANGUAGE }));
const localizedNames = (text: string) => x("LocalizedNames", null, x("LocalizedName", { description: text, languagecode: LANGUAGE }));

// ---------------------------------------------------------------------------------------------
// Attributes

interface AttrSpec {
  physicalName: string;
  type: string;
  logicalName: string;
  requiredLevel: "none" | "required" | "systemrequired" | "recommended";
  displayMask: string;
  custom: boolean;
  create: boolean;
  update: boolean;
  displayName: string;
  description: string;
  extra: XmlElement[];
}

function attribute(a: AttrSpec): XmlElement {
  return x(
    "attribute",
    { PhysicalName: a.physicalName },
    t("Type", a.type),
    t("Name", a.logicalName),
    t("LogicalName", a.logicalName),
    t("RequiredLevel", a.requiredLevel),
    t("DisplayMask", a.displayMask),
    t("ImeMode", a.type === "datetime" ? "inactive" : "auto"),
    t("ValidForUpdateApi", a.update ? 1 : 0),
    t("ValidForReadApi", 1),
    t("ValidForCreateApi", a.create ? 1 : 0),
    t("IsCustomField", a.custom ? 1 : 0),
    t("IsAuditEnabled", a.custom ? 1 : 0),
    t("IsSecured", 0),
    t("IntroducedVersion", INTRODUCED),
    t("IsCustomizable", 1),
    t("IsRenameable", 1),
    t("CanModifySearchSettings", 1),
    t("CanModifyRequirementLevelSettings", a.requiredLevel === "systemrequired" ? 0 : 1),
    t("CanModifyAdditionalSettings", 1),
    t("SourceType", 0),
    t("IsGlobalFilterEnabled", 0),
    t("IsSortableEnabled", 0),
    t("CanModifyGlobalFilterSettings", 1),
    t("CanModifyIsSortableSettings", 1),
    t("IsDataSourceSecret", 0),
    ...a.extra,
    displaynames(a.displayName),
    descriptions(a.description),
  );
}

const FORM_GRID = "ValidForAdvancedFind|ValidForForm|ValidForGrid";

function optionSet(name: string, c: ColumnDef): XmlElement {
  return x(
    "optionset",
    { Name: name },
    t("OptionSetType", "picklist"),
    t("IntroducedVersion", INTRODUCED),
    t("IsCustomizable", 1),
    displaynames(c.displayName),
    descriptions(c.description ?? ""),
    x(
      "options",
      null,
      (c.options ?? []).map((o) => x("option", { value: o.value }, labels(o.label))),
    ),
  );
}

export function columnAttribute(table: TableDef, c: ColumnDef): XmlElement {
  const base = {
    physicalName: c.logicalName,
    logicalName: c.logicalName,
    custom: true,
    create: true,
    update: true,
    requiredLevel: (c.required ? "required" : "none") as AttrSpec["requiredLevel"],
    displayMask: FORM_GRID,
    displayName: c.displayName,
    description: c.description ?? "",
  };
  switch (c.type) {
    case "string":
      return attribute({
        ...base,
        type: "nvarchar",
        extra: [t("Format", c.format ?? "text"), t("MaxLength", c.maxLength!), t("Length", c.maxLength! * 2)],
      });
    case "memo":
      // JSON columns are plain multiline text to the platform (format "json" is only a hint in the source).
      return attribute({
        ...base,
        type: "ntext",
        extra: [t("Format", "textarea"), t("MaxLength", c.maxLength!), t("Length", c.maxLength! * 2)],
      });
    case "integer":
      return attribute({
        ...base,
        type: "int",
        extra: [t("Format", "none"), t("MinValue", c.min ?? -2147483648), t("MaxValue", c.max ?? 2147483647)],
      });
    case "bigint":
      return attribute({
        ...base,
        type: "bigint",
        extra: [t("MinValue", c.min ?? -9223372036854775000), t("MaxValue", c.max ?? 9223372036854775000)],
      });
    case "decimal":
      return attribute({
        ...base,
        type: "decimal",
        extra: [t("MinValue", c.min ?? -100000000000), t("MaxValue", c.max ?? 100000000000), t("Accuracy", c.precision ?? 2)],
      });
    case "double":
      return attribute({
        ...base,
        type: "float",
        extra: [t("MinValue", c.min ?? -100000000000), t("MaxValue", c.max ?? 100000000000), t("Accuracy", c.precision ?? 2)],
      });
    case "money":
      return attribute({
        ...base,
        type: "money",
        extra: [
          t("MinValue", c.min ?? -922337203685477),
          t("MaxValue", c.max ?? 922337203685477),
          t("Accuracy", c.precision ?? 2),
          t("AccuracySource", 2),
        ],
      });
    case "datetime":
      return attribute({
        ...base,
        type: "datetime",
        extra: [t("Format", "datetime"), t("CanChangeDateTimeBehavior", 1), t("Behavior", 1)],
      });
    case "boolean":
      return attribute({
        ...base,
        type: "bit",
        extra: [
          t("AppDefaultValue", 0),
          x(
            "optionset",
            { Name: `${table.logicalName}_${c.logicalName}` },
            t("OptionSetType", "bit"),
            t("IntroducedVersion", INTRODUCED),
            t("IsCustomizable", 1),
            displaynames(c.displayName),
            descriptions(c.description ?? ""),
            x("options", null, x("option", { value: 1 }, labels("Yes")), x("option", { value: 0 }, labels("No"))),
          ),
        ],
      });
    case "picklist":
      return attribute({
        ...base,
        type: "picklist",
        extra: [t("AppDefaultValue", c.defaultValue ?? -1), optionSet(`${table.logicalName}_${c.logicalName}`, c)],
      });
    case "lookup":
      return attribute({ ...base, type: "lookup", extra: [t("LookupStyle", "single"), x("LookupTypes")] });
  }
}

/** The platform columns of a user-owned custom table, as a real export lists them. */
function systemAttributes(table: TableDef): XmlElement[] {
  const n = table.logicalName;
  const ro = {
    custom: false,
    create: false,
    update: false,
    requiredLevel: "none" as const,
    displayMask: FORM_GRID,
    extra: [] as XmlElement[],
  };
  const lookup = [t("LookupStyle", "single"), x("LookupTypes")];
  const dt = [t("Format", "datetime"), t("CanChangeDateTimeBehavior", 0), t("Behavior", 1)];
  const int = (min: number) => [t("Format", ""), t("MinValue", min), t("MaxValue", 2147483647)];
  const name = table.primaryName!;
  return [
    attribute({
      ...ro,
      physicalName: `${n}Id`,
      logicalName: `${n}id`,
      type: "primarykey",
      requiredLevel: "systemrequired",
      displayMask: "ValidForAdvancedFind|RequiredForGrid",
      create: true,
      displayName: table.displayName,
      description: "Unique identifier for entity instances",
    }),
    attribute({
      ...ro,
      physicalName: name.logicalName,
      logicalName: name.logicalName,
      type: "nvarchar",
      custom: true,
      create: true,
      update: true,
      requiredLevel: "required",
      displayMask: "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm",
      displayName: name.displayName,
      description: `The name of the ${table.displayName.toLowerCase()}.`,
      extra: [t("Format", "text"), t("MaxLength", name.maxLength), t("Length", name.maxLength * 2)],
    }),
    attribute({
      ...ro,
      physicalName: "CreatedBy",
      logicalName: "createdby",
      type: "lookup",
      displayName: "Created By",
      description: "Unique identifier of the user who created the record.",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "CreatedOn",
      logicalName: "createdon",
      type: "datetime",
      displayName: "Created On",
      description: "Date and time when the record was created.",
      extra: dt,
    }),
    attribute({
      ...ro,
      physicalName: "CreatedOnBehalfBy",
      logicalName: "createdonbehalfby",
      type: "lookup",
      displayName: "Created By (Delegate)",
      description: "Unique identifier of the delegate user who created the record.",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "ImportSequenceNumber",
      logicalName: "importsequencenumber",
      type: "int",
      create: true,
      displayMask: "ValidForAdvancedFind",
      displayName: "Import Sequence Number",
      description: "Sequence number of the import that created this record.",
      extra: int(-2147483648),
    }),
    attribute({
      ...ro,
      physicalName: "ModifiedBy",
      logicalName: "modifiedby",
      type: "lookup",
      displayName: "Modified By",
      description: "Unique identifier of the user who modified the record.",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "ModifiedOn",
      logicalName: "modifiedon",
      type: "datetime",
      displayName: "Modified On",
      description: "Date and time when the record was modified.",
      extra: dt,
    }),
    attribute({
      ...ro,
      physicalName: "ModifiedOnBehalfBy",
      logicalName: "modifiedonbehalfby",
      type: "lookup",
      displayName: "Modified By (Delegate)",
      description: "Unique identifier of the delegate user who modified the record.",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "OverriddenCreatedOn",
      logicalName: "overriddencreatedon",
      type: "datetime",
      create: true,
      displayMask: "ValidForAdvancedFind|ValidForGrid",
      displayName: "Record Created On",
      description: "Date and time that the record was migrated.",
      extra: [t("Format", "date"), t("CanChangeDateTimeBehavior", 0), t("Behavior", 1)],
    }),
    attribute({
      ...ro,
      physicalName: "OwnerId",
      logicalName: "ownerid",
      type: "owner",
      create: true,
      update: true,
      requiredLevel: "systemrequired",
      displayMask: `${FORM_GRID}|RequiredForForm`,
      displayName: "Owner",
      description: "Owner Id",
      extra: [
        t("LookupStyle", "single"),
        x(
          "LookupTypes",
          null,
          t("LookupType", 8, { id: "00000000-0000-0000-0000-000000000000" }),
          t("LookupType", 9, { id: "00000000-0000-0000-0000-000000000000" }),
        ),
      ],
    }),
    attribute({
      ...ro,
      physicalName: "OwningBusinessUnit",
      logicalName: "owningbusinessunit",
      type: "lookup",
      requiredLevel: "systemrequired",
      displayMask: "ValidForAdvancedFind|ValidForGrid",
      displayName: "Owning Business Unit",
      description: "Unique identifier for the business unit that owns the record",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "OwningTeam",
      logicalName: "owningteam",
      type: "lookup",
      displayMask: "",
      displayName: "Owning Team",
      description: "Unique identifier for the team that owns the record.",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "OwningUser",
      logicalName: "owninguser",
      type: "lookup",
      displayMask: "",
      displayName: "Owning User",
      description: "Unique identifier for the user that owns the record.",
      extra: lookup,
    }),
    attribute({
      ...ro,
      physicalName: "statecode",
      logicalName: "statecode",
      type: "state",
      update: true,
      requiredLevel: "systemrequired",
      displayName: "Status",
      description: `Status of the ${table.displayName}`,
      extra: [
        x(
          "optionset",
          { Name: `${n}_statecode` },
          t("OptionSetType", "state"),
          displaynames("Status"),
          descriptions(`Status of the ${table.displayName}`),
          x(
            "states",
            null,
            x("state", { value: 0, defaultstatus: 1, invariantname: "Active" }, labels("Active")),
            x("state", { value: 1, defaultstatus: 2, invariantname: "Inactive" }, labels("Inactive")),
          ),
        ),
      ],
    }),
    attribute({
      ...ro,
      physicalName: "statuscode",
      logicalName: "statuscode",
      type: "status",
      create: true,
      update: true,
      displayName: "Status Reason",
      description: `Reason for the status of the ${table.displayName}`,
      extra: [
        x(
          "optionset",
          { Name: `${n}_statuscode` },
          t("OptionSetType", "status"),
          displaynames("Status Reason"),
          descriptions(`Reason for the status of the ${table.displayName}`),
          x(
            "statuses",
            null,
            x("status", { value: 1, state: 0 }, labels("Active")),
            x("status", { value: 2, state: 1 }, labels("Inactive")),
          ),
        ),
      ],
    }),
    attribute({
      ...ro,
      physicalName: "TimeZoneRuleVersionNumber",
      logicalName: "timezoneruleversionnumber",
      type: "int",
      create: true,
      update: true,
      displayMask: "",
      displayName: "Time Zone Rule Version Number",
      description: "For internal use only.",
      extra: int(-1),
    }),
    attribute({
      ...ro,
      physicalName: "UTCConversionTimeZoneCode",
      logicalName: "utcconversiontimezonecode",
      type: "int",
      create: true,
      update: true,
      displayMask: "",
      displayName: "UTC Conversion Time Zone Code",
      description: "Time zone code that was in use when the record was created.",
      extra: int(-1),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Entities

function entityInfo(table: TableDef): XmlElement {
  const standard = !!table.extendsStandardTable;
  const attributes = [...(standard ? [] : systemAttributes(table)), ...table.columns.map((c) => columnAttribute(table, c))].sort((a, b) =>
    String(a.attrs.PhysicalName).toLowerCase().localeCompare(String(b.attrs.PhysicalName).toLowerCase()),
  );
  if (standard) {
    // A standard table the solution only adds to: the entity is a shell, only the new columns are listed.
    return x("EntityInfo", null, x("entity", { Name: table.schemaName, unmodified: 1 }, x("attributes", null, attributes)));
  }
  return x(
    "EntityInfo",
    null,
    x(
      "entity",
      { Name: table.schemaName },
      localizedNames(table.displayName),
      x("LocalizedCollectionNames", null, x("LocalizedCollectionName", { description: table.pluralName, languagecode: LANGUAGE })),
      descriptions(table.description),
      x("attributes", null, attributes),
      t("EntitySetName", table.entitySetName),
      t("IsDuplicateCheckSupported", 0),
      t("IsBusinessProcessEnabled", 0),
      t("IsRequiredOffline", 0),
      t("IsInteractionCentricEnabled", 0),
      t("IsCollaboration", 0),
      t("AutoRouteToOwnerQueue", 0),
      t("IsConnectionsEnabled", 0),
      t("IsDocumentManagementEnabled", 0),
      t("AutoCreateAccessTeams", 0),
      t("IsOneNoteIntegrationEnabled", 0),
      t("IsKnowledgeManagementEnabled", 0),
      t("IsSLAEnabled", 0),
      t("IsDocumentRecommendationsEnabled", 0),
      t("IsBPFEntity", 0),
      t("OwnershipTypeMask", table.ownership === "user" ? "UserOwned" : "OrgOwned"),
      t("IsAuditEnabled", 1),
      t("IsActivity", 0),
      t("ActivityTypeMask", ""),
      t("IsActivityParty", 0),
      t("IsReplicated", 0),
      t("IsReplicationUserFiltered", 0),
      t("IsMailMergeEnabled", 0),
      t("IsVisibleInMobile", 0),
      t("IsVisibleInMobileClient", 1),
      t("IsReadOnlyInMobileClient", 0),
      t("IsOfflineInMobileClient", 0),
      t("DaysSinceRecordLastModified", 0),
      t("MobileOfflineFilters", ""),
      t("IsMapiGridEnabled", 1),
      t("IsReadingPaneEnabled", 1),
      t("IsQuickCreateEnabled", 0),
      t("SyncToExternalSearchIndex", 0),
      t("IntroducedVersion", INTRODUCED),
      t("IsCustomizable", 1),
      t("IsRenameable", 1),
      t("IsMappable", 1),
      t("CanModifyAuditSettings", 1),
      t("CanModifyMobileVisibility", 1),
      t("CanModifyMobileClientVisibility", 1),
      t("CanModifyMobileClientReadOnly", 1),
      t("CanModifyMobileClientOffline", 1),
      t("CanModifyConnectionSettings", 1),
      t("CanModifyDuplicateDetectionSettings", 1),
      t("CanModifyMailMergeSettings", 1),
      t("CanModifyQueueSettings", 1),
      t("CanCreateAttributes", 1),
      t("CanCreateForms", 1),
      t("CanCreateCharts", 1),
      t("CanCreateViews", 1),
      t("CanModifyAdditionalSettings", 1),
      t("CanEnableSyncToExternalSearchIndex", 1),
      t("EnforceStateTransitions", 0),
      t("CanChangeHierarchicalRelationship", 1),
      t("EntityHelpUrlEnabled", 0),
      t("ChangeTrackingEnabled", 0),
      t("CanChangeTrackingBeEnabled", 1),
      t("IsEnabledForExternalChannels", 0),
    ),
  );
}

/** Type of every column of a table the forms and views may use (custom + platform columns). */
export function columnTypes(table: TableDef): Map<string, string> {
  const m = new Map<string, string>();
  if (!table.extendsStandardTable) {
    m.set(`${table.logicalName}id`, "uniqueidentifier");
    m.set(table.primaryName!.logicalName, "string");
    for (const [n, type] of [
      ["createdon", "datetime"],
      ["modifiedon", "datetime"],
      ["createdby", "lookup"],
      ["modifiedby", "lookup"],
      ["ownerid", "owner"],
      ["owningbusinessunit", "lookup"],
      ["statecode", "picklist"],
      ["statuscode", "status"],
    ])
      m.set(n, type);
  }
  for (const [n, type] of Object.entries(table.standardColumns ?? {})) m.set(n, type);
  for (const c of table.columns) m.set(c.logicalName, c.type);
  return m;
}

function formCell(
  table: TableDef,
  form: FormDef,
  cell: FormCell,
  types: Map<string, string>,
  control: ControlManifestInfo,
  controlFullName: string,
  descriptionsOut: XmlElement[],
): XmlElement {
  const type = types.get(cell.column);
  if (!type) throw new Error(`form ${form.name} of ${table.logicalName}: unknown column ${cell.column}`);
  const key = `${form.id}/${cell.column}`;
  const cellId = braces(stableGuid(`${key}/cell`));
  const label =
    cell.label ??
    table.columns.find((c) => c.logicalName === cell.column)?.displayName ??
    (cell.column === table.primaryName?.logicalName
      ? table.primaryName.displayName
      : cell.column === "ownerid"
        ? "Owner"
        : cell.column === "createdon"
          ? "Created On"
          : cell.column);
  if (cell.control === "TerritoryMap") {
    if (type !== "memo" && type !== "string") throw new Error(`${table.logicalName}.${cell.column}: the control binds to a text column`);
    const uniqueId = braces(stableGuid(`${key}/control`));
    const params = (ff: number) =>
      x(
        "customControl",
        { formFactor: ff, name: controlFullName },
        x(
          "parameters",
          null,
          t(control.boundProperty, cell.column),
          Object.entries(cell.controlInputs ?? {}).map(([name, value]) => {
            const ofType = control.inputTypes[name];
            if (!ofType) throw new Error(`${table.logicalName}.${cell.column}: control has no input property '${name}'`);
            return t(name, value, { type: ofType, static: "true" });
          }),
        ),
      );
    descriptionsOut.push(
      x(
        "controlDescription",
        { forControl: uniqueId },
        x("customControl", { id: CLASS_ID[type] }, x("parameters", null, t("datafieldname", cell.column))),
        params(0),
        params(1),
        params(2),
      ),
    );
    return x(
      "cell",
      { id: cellId, showlabel: cell.hideLabel ? "false" : "true", rowspan: 16, colspan: 1 },
      labels(label),
      x("control", {
        id: cell.column,
        classid: CLASS_ID[type],
        datafieldname: cell.column,
        disabled: cell.readOnly ? "true" : "false",
        uniqueid: uniqueId,
      }),
    );
  }
  return x(
    "cell",
    { id: cellId, showlabel: cell.hideLabel ? "false" : "true" },
    labels(label),
    x("control", {
      id: cell.column,
      classid: CLASS_ID[type] ?? CLASS_ID.string,
      datafieldname: cell.column,
      disabled: cell.readOnly ? "true" : "false",
    }),
  );
}

function systemForm(table: TableDef, form: FormDef, control: ControlManifestInfo, controlFullName: string): XmlElement {
  const types = columnTypes(table);
  const controlDescriptions: XmlElement[] = [];
  const tabs = form.tabs.map((tab) =>
    x(
      "tab",
      {
        name: tab.name,
        verticallayout: "true",
        id: braces(stableGuid(`${form.id}/${tab.name}`)),
        IsUserDefined: "1",
        showlabel: "true",
        expanded: "true",
      },
      labels(tab.label),
      x(
        "columns",
        null,
        x(
          "column",
          { width: "100%" },
          x(
            "sections",
            null,
            tab.sections.map((s) =>
              x(
                "section",
                {
                  name: s.name,
                  showlabel: s.showLabel ? "true" : "false",
                  showbar: "false",
                  IsUserDefined: "0",
                  id: braces(stableGuid(`${form.id}/${tab.name}/${s.name}`)),
                  columns: "1",
                },
                labels(s.label),
                x(
                  "rows",
                  null,
                  s.cells.map((c) => x("row", null, formCell(table, form, c, types, control, controlFullName, controlDescriptions))),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return x(
    "systemform",
    null,
    t("formid", braces(form.id)),
    t("IntroducedVersion", INTRODUCED),
    t("FormPresentation", 1),
    t("FormActivationState", 1),
    x("form", null, x("tabs", null, tabs), controlDescriptions.length ? x("controlDescriptions", null, controlDescriptions) : null),
    t("IsCustomizable", 1),
    t("CanBeDeleted", 1),
    localizedNames(form.name),
    descriptions(form.description ?? ""),
  );
}

interface SavedQuerySpec {
  id: string;
  name: string;
  description?: string;
  queryType: number;
  isDefault: boolean;
  isQuickFind?: boolean;
  columns: string[];
  conditions: ViewDef["conditions"];
  order?: ViewDef["order"];
  quickFindColumns?: string[];
  canBeDeleted: boolean;
}

function savedQuery(table: TableDef, q: SavedQuerySpec): XmlElement {
  const pk = `${table.logicalName}id`;
  const nameColumn = table.primaryName?.logicalName ?? "name";
  const grid =
    q.queryType === 2 || q.queryType === 64 ? { name: table.entitySetName, row: table.logicalName } : { name: "resultset", row: "result" };
  return x(
    "savedquery",
    null,
    t("IsCustomizable", 1),
    t("CanBeDeleted", q.canBeDeleted ? 1 : 0),
    t("isquickfindquery", q.isQuickFind ? 1 : 0),
    t("isprivate", 0),
    t("isdefault", q.isDefault ? 1 : 0),
    t("savedqueryid", braces(q.id)),
    x(
      "layoutxml",
      null,
      x(
        "grid",
        { name: grid.name, jump: nameColumn, select: 1, icon: 1, preview: q.queryType === 64 ? 0 : 1 },
        x(
          "row",
          { name: grid.row, id: pk },
          q.columns.map((c, i) => x("cell", { name: c, width: i === 0 ? 300 : 150 })),
        ),
      ),
    ),
    t("querytype", q.queryType),
    x(
      "fetchxml",
      null,
      x(
        "fetch",
        { version: "1.0", mapping: "logical" },
        x(
          "entity",
          { name: table.logicalName },
          x("attribute", { name: pk }),
          q.columns.map((c) => x("attribute", { name: c })),
          q.order ? x("order", { attribute: q.order.attribute, descending: q.order.descending ? "true" : "false" }) : null,
          q.conditions.length
            ? x(
                "filter",
                { type: "and" },
                q.conditions.map((c) =>
                  x("condition", {
                    attribute: c.attribute,
                    operator: c.operator,
                    value: c.value === undefined ? undefined : String(c.value),
                  }),
                ),
              )
            : null,
          q.quickFindColumns
            ? x(
                "filter",
                { type: "or", isquickfindfields: 1 },
                q.quickFindColumns.map((c) => x("condition", { attribute: c, operator: "like", value: "{0}" })),
              )
            : null,
        ),
      ),
    ),
    t("IntroducedVersion", INTRODUCED),
    localizedNames(q.name),
    q.description ? descriptions(q.description) : null,
  );
}

/** The system views every custom table has (public, advanced find, associated, quick find, lookup). */
export function systemViews(table: TableDef): SavedQuerySpec[] {
  if (table.extendsStandardTable) return [];
  const name = table.primaryName!.logicalName;
  const columns = table.defaultViewColumns ?? [name, "createdon"];
  const active = [{ attribute: "statecode", operator: "eq", value: 0 }];
  const order = { attribute: name };
  const hasDefault = table.views.some((v) => v.isDefault);
  const id = (kind: string) => stableGuid(`${table.logicalName}/view/${kind}`);
  return [
    {
      id: id("active"),
      name: `Active ${table.pluralName}`,
      queryType: 0,
      isDefault: !hasDefault,
      columns,
      conditions: active,
      order,
      canBeDeleted: false,
    },
    {
      id: id("inactive"),
      name: `Inactive ${table.pluralName}`,
      queryType: 0,
      isDefault: false,
      columns,
      conditions: [{ attribute: "statecode", operator: "eq", value: 1 }],
      order,
      canBeDeleted: false,
    },
    {
      id: id("advancedfind"),
      name: `${table.displayName} Advanced Find View`,
      queryType: 1,
      isDefault: true,
      columns,
      conditions: [],
      order,
      canBeDeleted: false,
    },
    {
      id: id("associated"),
      name: `${table.displayName} Associated View`,
      queryType: 2,
      isDefault: true,
      columns,
      conditions: active,
      order,
      canBeDeleted: false,
    },
    {
      id: id("quickfind"),
      name: `Quick Find Active ${table.pluralName}`,
      queryType: 4,
      isDefault: true,
      isQuickFind: true,
      columns,
      conditions: active,
      order,
      quickFindColumns: [name],
      canBeDeleted: false,
    },
    {
      id: id("lookup"),
      name: `${table.displayName} Lookup View`,
      queryType: 64,
      isDefault: true,
      columns: [name, "createdon"],
      conditions: active,
      order,
      canBeDeleted: false,
    },
  ];
}

function namedViews(table: TableDef): SavedQuerySpec[] {
  return table.views.map((v) => ({
    id: v.id,
    name: v.name,
    description: v.description,
    queryType: 0,
    isDefault: !!v.isDefault,
    columns: v.columns,
    conditions: v.conditions,
    order: v.order,
    canBeDeleted: true,
  }));
}

export function allViews(table: TableDef): SavedQuerySpec[] {
  return [...systemViews(table), ...namedViews(table)];
}

function entity(table: TableDef, control: ControlManifestInfo, controlFullName: string): XmlElement {
  const views = allViews(table);
  return x(
    "Entity",
    null,
    t("Name", table.schemaName, { LocalizedName: table.displayName, OriginalName: table.displayName }),
    entityInfo(table),
    table.forms.length
      ? x(
          "FormXml",
          null,
          x(
            "forms",
            { type: "main" },
            table.forms.map((f) => systemForm(table, f, control, controlFullName)),
          ),
        )
      : null,
    views.length
      ? x(
          "SavedQueries",
          null,
          x(
            "savedqueries",
            null,
            views.map((v) => savedQuery(table, v)),
          ),
        )
      : null,
    table.extendsStandardTable
      ? null
      : x(
          "RibbonDiffXml",
          null,
          x("CustomActions"),
          x("Templates", null, x("RibbonTemplates", { Id: "Mscrm.Templates" })),
          x("CommandDefinitions"),
          x("RuleDefinitions", null, x("TabDisplayRules"), x("DisplayRules"), x("EnableRules")),
          x("LocLabels"),
        ),
  );
}

// ---------------------------------------------------------------------------------------------
// Relationships

function schemaNameOf(source: SolutionSource, logicalName: string): string {
  return (
    source.tables.find((t2) => t2.logicalName === logicalName && !t2.extendsStandardTable)?.schemaName ??
    STANDARD_SCHEMA_NAMES[logicalName] ??
    logicalName
  );
}

function relationship(
  name: string,
  referencing: string,
  referenced: string,
  attributeName: string,
  cascade: "parental" | "removeLink" | "restrict" | "system" | "systemRestrict",
  navigation: { one: string; many: string } | null,
  description: string,
): XmlElement {
  const all = cascade === "parental" ? "Cascade" : "NoCascade";
  const del =
    cascade === "parental"
      ? "Cascade"
      : cascade === "removeLink"
        ? "RemoveLink"
        : cascade === "restrict" || cascade === "systemRestrict"
          ? "Restrict"
          : "NoCascade";
  return x(
    "EntityRelationship",
    { Name: name },
    t("EntityRelationshipType", "OneToMany"),
    t("IsCustomizable", 1),
    t("IntroducedVersion", INTRODUCED),
    t("IsHierarchical", 0),
    t("ReferencingEntityName", referencing),
    t("ReferencedEntityName", referenced),
    t("CascadeAssign", all),
    t("CascadeDelete", del),
    t("CascadeReparent", all),
    t("CascadeShare", all),
    t("CascadeUnshare", all),
    t("ReferencingAttributeName", attributeName),
    x("RelationshipDescription", null, descriptions(description)),
    navigation
      ? x(
          "EntityRelationshipRoles",
          null,
          x(
            "EntityRelationshipRole",
            null,
            t("NavPaneDisplayOption", "UseCollectionName"),
            t("NavPaneArea", "Details"),
            t("NavPaneOrder", 10000),
            t("NavigationPropertyName", navigation.one),
            t("RelationshipRoleType", 1),
          ),
          x("EntityRelationshipRole", null, t("NavigationPropertyName", navigation.many), t("RelationshipRoleType", 0)),
        )
      : null,
  );
}

function relationships(source: SolutionSource): XmlElement[] {
  const out: XmlElement[] = [];
  for (const table of productTables(source)) {
    const s = table.schemaName;
    out.push(
      relationship(
        `business_unit_${table.logicalName}`,
        s,
        "BusinessUnit",
        "OwningBusinessUnit",
        "systemRestrict",
        null,
        "Unique identifier for the business unit that owns the record",
      ),
      relationship(
        `lk_${table.logicalName}_createdby`,
        s,
        "SystemUser",
        "CreatedBy",
        "system",
        null,
        "Unique identifier of the user who created the record.",
      ),
      relationship(
        `lk_${table.logicalName}_modifiedby`,
        s,
        "SystemUser",
        "ModifiedBy",
        "system",
        null,
        "Unique identifier of the user who modified the record.",
      ),
      relationship(`owner_${table.logicalName}`, s, "Owner", "OwnerId", "system", null, "Owner Id"),
      relationship(
        `team_${table.logicalName}`,
        s,
        "Team",
        "OwningTeam",
        "system",
        null,
        "Unique identifier for the team that owns the record.",
      ),
      relationship(
        `user_${table.logicalName}`,
        s,
        "SystemUser",
        "OwningUser",
        "system",
        null,
        "Unique identifier for the user that owns the record.",
      ),
    );
  }
  for (const table of source.tables) {
    for (const c of table.columns.filter((col) => col.type === "lookup")) {
      out.push(
        relationship(
          c.relationship!.name,
          table.schemaName,
          schemaNameOf(source, c.target!),
          c.logicalName,
          c.relationship!.cascade,
          { one: c.logicalName, many: c.relationship!.name },
          c.description ?? c.displayName,
        ),
      );
    }
  }
  return out.sort((a, b) => String(a.attrs.Name).localeCompare(String(b.attrs.Name)));
}

// ---------------------------------------------------------------------------------------------
// Roles, app, site map, service endpoint

const PRIVILEGE_ORDER = ["Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share"] as const;

/** The privileges of a role, expanded: name -> level. */
export function rolePrivileges(source: SolutionSource, role: RoleDef): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, privileges] of Object.entries(role.tables)) {
    const tables = key === "*product*" ? productTables(source).map((p) => p.logicalName) : [key];
    for (const table of tables) {
      const stem = PRIVILEGE_STEM[table] ?? schemaNameOf(source, table);
      for (const p of PRIVILEGE_ORDER) {
        const level = privileges[p];
        if (level) out.set(`prv${p}${stem}`, level);
      }
    }
  }
  for (const [name, level] of Object.entries(role.privileges ?? {})) out.set(name, level);
  return out;
}

function roleXml(source: SolutionSource, role: RoleDef): XmlElement {
  return x(
    "Role",
    { id: braces(role.id), name: role.name },
    t("IsCustomizable", 1),
    t("IntroducedVersion", INTRODUCED),
    x(
      "RolePrivileges",
      null,
      [...rolePrivileges(source, role)].map(([name, level]) => x("RolePrivilege", { name, level })),
    ),
  );
}

const CLIENTS = "All,Outlook,OutlookLaptopClient,OutlookWorkstationClient,Web";

function siteMap(app: AppDef): XmlElement {
  const s = app.siteMap;
  return x(
    "AppModuleSiteMap",
    null,
    t("SiteMapUniqueName", app.uniqueName),
    x(
      "SiteMap",
      { IntroducedVersion: "7.0.0.0" },
      x(
        "Area",
        {
          Id: s.areaId,
          ResourceId: "SitemapDesigner.NewTitle",
          DescriptionResourceId: "SitemapDesigner.NewTitle",
          ShowGroups: "true",
          IntroducedVersion: "7.0.0.0",
        },
        x("Titles", null, x("Title", { LCID: LANGUAGE, Title: s.areaTitle })),
        s.groups.map((g) =>
          x(
            "Group",
            {
              Id: g.id,
              ResourceId: "SitemapDesigner.NewGroup",
              DescriptionResourceId: "SitemapDesigner.NewGroup",
              IntroducedVersion: "7.0.0.0",
              IsProfile: "false",
              ToolTipResourseId: "SitemapDesigner.Unknown",
            },
            x("Titles", null, x("Title", { LCID: LANGUAGE, Title: g.title })),
            g.subAreas.map((sa) =>
              x(
                "SubArea",
                {
                  Id: sa.id,
                  Icon: "/_imgs/imagestrips/transparent_spacer.gif",
                  Entity: sa.entity,
                  Client: CLIENTS,
                  AvailableOffline: "true",
                  PassParams: "false",
                  Sku: "All,OnPremise,Live,SPLA",
                },
                x("Titles", null, x("Title", { LCID: LANGUAGE, Title: sa.title })),
              ),
            ),
          ),
        ),
      ),
    ),
    localizedNames(app.displayName),
  );
}

function appModule(source: SolutionSource, app: AppDef): XmlElement {
  return x(
    "AppModule",
    null,
    t("UniqueName", app.uniqueName),
    t("IntroducedVersion", "1.0.0.0"),
    t("WebResourceId", DEFAULT_APP_ICON),
    t("FormFactor", 1),
    t("ClientType", 4),
    x(
      "AppModuleComponents",
      null,
      app.tables.map((tb) =>
        x("AppModuleComponent", {
          type: ComponentType.Entity,
          schemaName: tb === "account" || tb === "territory" ? tb : schemaNameOf(source, tb),
        }),
      ),
      x("AppModuleComponent", { type: ComponentType.SiteMap, schemaName: app.uniqueName }),
    ),
    x(
      "AppModuleRoleMaps",
      null,
      app.roles.map((id) => x("Role", { id: braces(id) })),
    ),
    localizedNames(app.displayName),
    descriptions(app.description),
  );
}

function serviceEndpoint(s: ServiceEndpointDef): XmlElement {
  // No AuthValue: the key is write-only on the platform and never leaves the environment (README: set after import).
  return x(
    "ServiceEndpoint",
    { ServiceEndpointId: braces(s.id), Name: s.name, Description: s.description },
    t("ConnectionMode", 1),
    t("Contract", 8),
    t("Description", s.description),
    t("IsCustomizable", 1),
    t("AuthType", s.authType),
    t("MessageFormat", 2),
    t("NamespaceAddress", s.url),
    t("Url", s.url),
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

export function customizationsXml(source: SolutionSource, control: ControlManifestInfo): string {
  const name = controlName(source);
  return document(
    x(
      "ImportExportXml",
      { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
      x(
        "Entities",
        null,
        source.tables.map((tb) => entity(tb, control, name)),
      ),
      x(
        "Roles",
        null,
        source.roles.map((r) => roleXml(source, r)),
      ),
      x("Workflows"),
      x("FieldSecurityProfiles"),
      x("Templates"),
      x("EntityMaps"),
      x("EntityRelationships", null, relationships(source)),
      x("OrganizationSettings"),
      x("optionsets"),
      x("CustomControls", null, x("CustomControl", null, t("Name", name), t("FileName", `/Controls/${name}/ControlManifest.xml`))),
      x("SolutionPluginAssemblies"),
      source.serviceEndpoints.length ? x("ServiceEndpoints", null, source.serviceEndpoints.map(serviceEndpoint)) : null,
      source.apps.length ? x("AppModuleSiteMaps", null, source.apps.map(siteMap)) : null,
      source.apps.length
        ? x(
            "AppModules",
            null,
            source.apps.map((a) => appModule(source, a)),
          )
        : null,
      x("EntityDataProviders"),
      x("Languages", null, t("Language", LANGUAGE)),
    ),
  );
}

export interface RootComponent {
  type: number;
  schemaName?: string;
  id?: string;
  behavior: number;
}

/** Every component of the solution, as solution.xml lists them. */
export function rootComponents(source: SolutionSource): RootComponent[] {
  const out: RootComponent[] = [];
  for (const tb of source.tables) {
    // Product tables come with all their subcomponents; a standard table is only a shell (behavior 2)
    // and the subcomponents the solution adds to it are listed one by one.
    out.push({
      type: ComponentType.Entity,
      schemaName: tb.extendsStandardTable ? tb.logicalName : tb.schemaName,
      behavior: tb.extendsStandardTable ? 2 : 0,
    });
    if (tb.extendsStandardTable) {
      for (const v of tb.views) out.push({ type: ComponentType.SavedQuery, id: v.id, behavior: 0 });
      for (const f of tb.forms) out.push({ type: ComponentType.SystemForm, id: f.id, behavior: 0 });
    }
  }
  for (const r of source.roles) out.push({ type: ComponentType.Role, id: r.id, behavior: 0 });
  for (const a of source.apps) out.push({ type: ComponentType.SiteMap, schemaName: a.uniqueName, behavior: 0 });
  out.push({ type: ComponentType.CustomControl, schemaName: controlName(source), behavior: 0 });
  for (const a of source.apps) out.push({ type: ComponentType.AppModule, schemaName: a.uniqueName, behavior: 0 });
  for (const s of source.serviceEndpoints) out.push({ type: ComponentType.ServiceEndpoint, id: s.id, behavior: 0 });
  for (const e of source.environmentVariables)
    out.push({ type: ComponentType.EnvironmentVariableDefinition, schemaName: e.schemaName, behavior: 0 });
  return out.sort((a, b) => a.type - b.type);
}

export function solutionXml(source: SolutionSource, managed: boolean): string {
  const s = source.solution;
  const p = s.publisher;
  const nil = (name: string) => x(name, { "xsi:nil": "true" });
  const address = (n: number) =>
    x(
      "Address",
      null,
      t("AddressNumber", n),
      t("AddressTypeCode", 1),
      nil("City"),
      nil("County"),
      nil("Country"),
      nil("Fax"),
      nil("FreightTermsCode"),
      nil("ImportSequenceNumber"),
      nil("Latitude"),
      nil("Line1"),
      nil("Line2"),
      nil("Line3"),
      nil("Longitude"),
      nil("Name"),
      nil("PostalCode"),
      nil("PostOfficeBox"),
      nil("PrimaryContactName"),
      t("ShippingMethodCode", 1),
      nil("StateOrProvince"),
      nil("Telephone1"),
      nil("Telephone2"),
      nil("Telephone3"),
      nil("TimeZoneRuleVersionNumber"),
      nil("UPSZone"),
      nil("UTCOffset"),
      nil("UTCConversionTimeZoneCode"),
    );
  return document(
    x(
      "ImportExportXml",
      {
        version: IMPORT_EXPORT_VERSION,
        SolutionPackageVersion: SOLUTION_PACKAGE_VERSION,
        languagecode: LANGUAGE,
        generatedBy: "CrmLive",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
      },
      x(
        "SolutionManifest",
        null,
        t("UniqueName", s.uniqueName),
        localizedNames(s.displayName),
        descriptions(s.description),
        t("Version", s.version),
        t("Managed", managed ? 1 : 0),
        x(
          "Publisher",
          null,
          t("UniqueName", p.uniqueName),
          localizedNames(p.displayName),
          descriptions(p.description),
          nil("EMailAddress"),
          nil("SupportingWebsiteUrl"),
          t("CustomizationPrefix", p.prefix),
          t("CustomizationOptionValuePrefix", p.optionValuePrefix),
          x("Addresses", null, address(1), address(2)),
        ),
        x(
          "RootComponents",
          null,
          rootComponents(source).map((r) =>
            x("RootComponent", { type: r.type, schemaName: r.schemaName, id: r.id ? braces(r.id) : undefined, behavior: r.behavior }),
          ),
        ),
        x("MissingDependencies"),
      ),
    ),
  );
}

const ENV_TYPE: Record<EnvironmentVariableDef["type"], number> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
  secret: 100000005,
};

export function environmentVariableXml(e: EnvironmentVariableDef): string {
  return document(
    x(
      "environmentvariabledefinition",
      { schemaname: e.schemaName },
      e.defaultValue !== undefined ? t("defaultvalue", e.defaultValue) : null,
      x("description", { default: e.description }, x("label", { description: e.description, languagecode: LANGUAGE })),
      x("displayname", { default: e.displayName }, x("label", { description: e.displayName, languagecode: LANGUAGE })),
      t("introducedversion", "1.0.0.0"),
      t("iscustomizable", 1),
      t("isrequired", e.isRequired ? 1 : 0),
      t("secretstore", e.type === "secret" ? 1 : 0),
      t("type", ENV_TYPE[e.type]),
    ),
  );
}

export function contentTypesXml(paths: string[]): string {
  const extensions = [...new Set(paths.map((p) => /\.([^./]+)$/.exec(p)?.[1]?.toLowerCase()).filter((e): e is string => !!e))].sort();
  return document(
    x(
      "Types",
      { xmlns: "http://schemas.openxmlformats.org/package/2006/content-types" },
      extensions.map((e) => x("Default", { Extension: e, ContentType: "application/octet-stream" })),
    ),
  );
}
