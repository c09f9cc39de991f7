/**
 * Which Dataverse privileges a publish needs, and what is missing — as a reason a user can read.
 *
 * Dataverse privilege names are "prv" + access right + table schema name, e.g. prvWriteAccount, prvCreateTerritory.
 * Setting a lookup also needs Append on the record and AppendTo on the target; changing an owner needs Assign.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */

export type PrivilegeType = "Create" | "Read" | "Write" | "Delete" | "Assign" | "Share" | "Append" | "AppendTo";
export type PrivilegeDepth = "Basic" | "Local" | "Deep" | "Global";

/** What a publish does, as far as privileges are concerned. */
export interface PublishNeeds {
  createsTerritories: boolean;
  updatesTerritories: boolean;
  changesAccountTerritories: boolean;
  changesOwners: boolean;
}

/** Everything a publish may do (used before the plan is known, e.g. to enable the Publish button). */
export const ALL_PUBLISH_NEEDS: PublishNeeds = {
  createsTerritories: true,
  updatesTerritories: true,
  changesAccountTerritories: true,
  changesOwners: false,
};

export interface RequiredPrivilege {
  table: "account" | "territory" | "tmap_plan" | "tmap_publishlog";
  privilege: PrivilegeType;
  /** Dataverse privilege name, e.g. "prvWriteAccount". */
  name: string;
}

const SCHEMA: Record<RequiredPrivilege["table"], string> = {
  account: "Account",
  territory: "Territory",
  tmap_plan: "tmap_plan",
  tmap_publishlog: "tmap_publishlog",
};

export function privilegeName(table: RequiredPrivilege["table"], privilege: PrivilegeType): string {
  return `prv${privilege}${SCHEMA[table]}`;
}

function req(table: RequiredPrivilege["table"], privilege: PrivilegeType): RequiredPrivilege {
  return { table, privilege, name: privilegeName(table, privilege) };
}

/** The privileges a publish with these needs requires (deduplicated, stable order). */
export function requiredPrivileges(needs: PublishNeeds): RequiredPrivilege[] {
  const out: RequiredPrivilege[] = [req("tmap_plan", "Write"), req("tmap_publishlog", "Create"), req("tmap_publishlog", "Write")];
  if (needs.createsTerritories) out.push(req("territory", "Create"));
  if (needs.createsTerritories || needs.updatesTerritories) out.push(req("territory", "Write"));
  if (needs.changesAccountTerritories || needs.changesOwners) out.push(req("account", "Write"));
  if (needs.changesAccountTerritories) out.push(req("account", "Append"), req("territory", "AppendTo"));
  if (needs.changesOwners) out.push(req("account", "Assign"));
  const seen = new Set<string>();
  return out.filter((p) => (seen.has(p.name) ? false : (seen.add(p.name), true)));
}

/** One privilege a user holds (RetrieveUserPrivileges → RolePrivileges[]). */
export interface HeldPrivilege {
  PrivilegeName: string;
  Depth: PrivilegeDepth | string | number;
}

/** The required privileges the user does not hold at any depth. */
export function missingPrivileges(required: readonly RequiredPrivilege[], held: Iterable<HeldPrivilege>): RequiredPrivilege[] {
  const names = new Set<string>();
  for (const h of held) names.add(String(h.PrivilegeName).toLowerCase());
  return required.filter((r) => !names.has(r.name.toLowerCase()));
}

const VERB: Record<PrivilegeType, string> = {
  Create: "create",
  Read: "read",
  Write: "change",
  Delete: "delete",
  Assign: "assign",
  Share: "share",
  Append: "link records to",
  AppendTo: "link records to",
};
const NOUN: Record<RequiredPrivilege["table"], string> = {
  account: "accounts",
  territory: "territories",
  tmap_plan: "territory plans",
  tmap_publishlog: "publish logs",
};

/**
 * The reason shown next to a disabled Publish button, e.g.
 * "You cannot publish: your security role does not let you change territories (prvWriteTerritory)."
 * Returns null when nothing is missing. `format` substitutes {0} = the list (the string comes from the resx).
 */
export function describeMissing(
  missing: readonly RequiredPrivilege[],
  format = "You cannot publish: your security role does not let you {0}.",
): string | null {
  if (missing.length === 0) return null;
  const parts = missing.map((m) => `${VERB[m.privilege]} ${NOUN[m.table]} (${m.name})`);
  return format.replace("{0}", parts.join(", "));
}
