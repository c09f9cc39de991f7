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

// ------------------------------------------------------------------ depth

const DEPTH_RANK: Record<PrivilegeDepth, number> = { Basic: 0, Local: 1, Deep: 2, Global: 3 };
const DEPTH_NAMES: Record<string, PrivilegeDepth> = {
  basic: "Basic",
  local: "Local",
  deep: "Deep",
  global: "Global",
  "0": "Basic",
  "1": "Local",
  "2": "Deep",
  "3": "Global",
};

/** The deepest depth at which the user holds `name` (RetrieveUserPrivileges lists one entry per role), else null. */
export function heldDepth(name: string, held: Iterable<HeldPrivilege>): PrivilegeDepth | null {
  let best: PrivilegeDepth | null = null;
  const wanted = name.toLowerCase();
  for (const h of held) {
    if (String(h.PrivilegeName).toLowerCase() !== wanted) continue;
    const d = DEPTH_NAMES[String(h.Depth).toLowerCase()];
    if (d && (best === null || DEPTH_RANK[d] > DEPTH_RANK[best])) best = d;
  }
  return best;
}

/** Who the user is, as Dataverse's depth rules need it. */
export interface UserScope {
  userId: string;
  /** Teams the user is a member of: records they own count as the user's own at Basic depth. */
  teamIds?: readonly string[];
  /** The user's business unit (Local depth); null = unknown. */
  businessUnitId?: string | null;
  /** Every business unit below the user's (Deep depth). */
  childBusinessUnitIds?: readonly string[];
}

/** A user-owned record as far as access is concerned. */
export interface OwnedRecord {
  id: string;
  ownerId: string | null;
  /** The record's owning business unit; undefined = not read (only needed for Local and Deep). */
  owningBusinessUnitId?: string | null;
}

/**
 * Whether a privilege held at `depth` reaches `record` (Dataverse's access levels): Basic (User) = records the user
 * or one of the user's teams owns; Local (Business Unit) = those and every record of the user's business unit;
 * Deep (Parent: Child Business Units) = also the units below it; Global (Organization) = every record.
 */
export function depthReaches(depth: PrivilegeDepth, scope: UserScope, record: OwnedRecord): boolean {
  if (depth === "Global") return true;
  const owner = record.ownerId?.toLowerCase() ?? null;
  if (owner !== null && (owner === scope.userId.toLowerCase() || (scope.teamIds ?? []).some((t) => t.toLowerCase() === owner))) return true;
  if (depth === "Basic") return false;
  const bu = record.owningBusinessUnitId?.toLowerCase();
  const mine = scope.businessUnitId?.toLowerCase();
  if (!bu || !mine) return false;
  if (bu === mine) return true;
  return depth === "Deep" && (scope.childBusinessUnitIds ?? []).some((b) => b.toLowerCase() === bu);
}

/** A privilege the user holds, but at a depth that does not reach every record the publish would write. */
export interface DepthShortfall {
  privilege: RequiredPrivilege;
  depth: PrivilegeDepth;
  /** Records of the write set this privilege is needed for. */
  total: number;
  /** How many of them the depth does not reach. */
  outOfReach: number;
  /** The first ones (ids), for the message and the log. */
  sampleIds: string[];
}

/**
 * For each record-level privilege (user-owned tables only: organization-owned tables such as territory have no
 * per-record depth), the records of the write set the user's depth does not reach. `writeSets` maps a privilege
 * name to the records it is needed for. Empty = every write is within reach.
 */
export function depthShortfalls(
  required: readonly RequiredPrivilege[],
  held: Iterable<HeldPrivilege>,
  scope: UserScope,
  writeSets: ReadonlyMap<string, readonly OwnedRecord[]>,
  sampleSize = 5,
): DepthShortfall[] {
  const heldList = [...held];
  const out: DepthShortfall[] = [];
  for (const privilege of required) {
    const records = writeSets.get(privilege.name);
    if (!records || records.length === 0) continue;
    const depth = heldDepth(privilege.name, heldList);
    if (depth === null || depth === "Global") continue; // missing entirely: missingPrivileges reports it
    let outOfReach = 0;
    const sampleIds: string[] = [];
    for (const r of records) {
      if (depthReaches(depth, scope, r)) continue;
      outOfReach++;
      if (sampleIds.length < sampleSize) sampleIds.push(r.id);
    }
    if (outOfReach > 0) out.push({ privilege, depth, total: records.length, outOfReach, sampleIds });
  }
  return out;
}

/** How Dataverse's role editor names each depth, and what it covers. */
export const DEPTH_LABEL: Record<PrivilegeDepth, string> = {
  Basic: "User level (only records you or your teams own)",
  Local: "Business Unit level (records of your business unit)",
  Deep: "Parent: Child Business Units level (records of your business unit and the units below it)",
  Global: "Organization level",
};

/**
 * The reason a publish stops before writing because of privilege depth, e.g. "You cannot publish: your security
 * role lets you change accounts (prvWriteAccount) only at User level (only records you or your teams own): 19,298 of
 * the 20,000 accounts this publish changes are outside it (e.g. 5b0c…). Nothing was written. …".
 */
export function describeShortfalls(shortfalls: readonly DepthShortfall[]): string | null {
  if (shortfalls.length === 0) return null;
  const parts = shortfalls.map(
    (s) =>
      `your security role lets you ${VERB[s.privilege.privilege]} ${NOUN[s.privilege.table]} (${s.privilege.name}) only at ${DEPTH_LABEL[s.depth]}: ` +
      `${s.outOfReach.toLocaleString("en-US")} of the ${s.total.toLocaleString("en-US")} ${NOUN[s.privilege.table]} this publish changes are outside it ` +
      `(e.g. ${s.sampleIds.join(", ")})`,
  );
  return (
    `You cannot publish: ${parts.join("; ")}. Nothing was written. ` +
    "Ask an administrator for Organization level on these privileges (the Territory Planner role has it), or publish a plan that changes only records within your level."
  );
}
