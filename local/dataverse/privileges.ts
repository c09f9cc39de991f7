/**
 * Security roles for the local Dataverse stand-in: per-user privileges, enforced on every Web API operation the
 * way Dataverse does (403, code 0x80040220, "Principal user (Id=…) is missing prvWriteAccount privilege …"), and
 * the `RetrieveUserPrivileges` function (`GET systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`).
 *
 * - A user without roles configured here is a System Administrator (every privilege, Global): existing tests and
 *   the dev host run unrestricted. `setUserRoles(userId, roles)` restricts a user to the union of the roles.
 * - Privilege names: "prv" + access right + table stem (Account, Territory, User, or the table's logical name for
 *   custom tables, e.g. prvWritetmap_plan) — as Dataverse names them and as solution/generate.ts expands roles.
 * - Depth: Basic = only records the user owns (user-owned tables); Local / Deep / Global = every record (the
 *   stand-in has a single business unit). Creating a record needs Create; updating Write (upsert-create Create);
 *   changing the owner Assign; deleting Delete; reading Read.
 * - The caller is the service's current user (WhoAmI, `/_local/whoami`), or the user it impersonates with the
 *   `MSCRMCallerID` / `CallerObjectId` header (impersonation.ts). While impersonating, an operation needs the
 *   privilege of both users (Dataverse uses the intersection of the two users' privileges).
 * - Basic depth honours owner teams: a user may act on records owned by a team they are a member of.
 * - Roles are stored in the same SQLite file (table `_local_userroles`), so they survive restarts.
 *
 * Admin endpoint (not on a real environment): `GET|POST|DELETE /_local/privileges`,
 * POST body `{"userId": "…", "roles": [{"name": "Territory Viewer", "privileges": {"prvReadAccount": "Global"}}]}`
 * (`roles: null` = unrestricted again).
 */
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { DataverseError } from "./errors";
import type { TableSchema } from "../../dataverse/schema";

export type PrivilegeDepth = "Basic" | "Local" | "Deep" | "Global";
export type AccessRight = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo" | "Assign" | "Share";

export interface RoleDefinition {
  name: string;
  /** Privilege name (e.g. "prvWriteAccount") -> depth. */
  privileges: Record<string, PrivilegeDepth>;
}

export interface RolePrivilege {
  Depth: PrivilegeDepth;
  PrivilegeId: string;
  BusinessUnitId: string;
  PrivilegeName: string;
}

/** Code Dataverse returns when the caller lacks a privilege or access to a record. */
export const PRIVILEGE_DENIED = "0x80040220";
const STEMS: Record<string, string> = {
  account: "Account",
  territory: "Territory",
  systemuser: "User",
  team: "Team",
  businessunit: "BusinessUnit",
  teammembership: "TeamMembership",
  environmentvariabledefinition: "EnvironmentVariableDefinition",
  environmentvariablevalue: "EnvironmentVariableValue",
};
/** Object type codes of the standard tables (custom tables get a stable number from 10000). */
const TYPE_CODES: Record<string, number> = {
  account: 1,
  systemuser: 8,
  team: 9,
  businessunit: 10,
  teammembership: 23,
  territory: 2013,
  environmentvariabledefinition: 380,
  environmentvariablevalue: 381,
};
const RIGHTS: AccessRight[] = ["Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share"];
const DEPTH_RANK: Record<PrivilegeDepth, number> = { Basic: 0, Local: 1, Deep: 2, Global: 3 };

export function privilegeStem(table: string): string {
  return STEMS[table] ?? table;
}

/** Stable privilege id (Dataverse's ids differ per org; ours are derived from the name). */
export function privilegeId(name: string): string {
  const h = createHash("sha1").update(`tmap-local-privilege:${name.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function typeCode(table: string): number {
  if (TYPE_CODES[table] !== undefined) return TYPE_CODES[table];
  const h = createHash("sha1").update(table).digest();
  return 10000 + (h.readUInt16BE(0) % 10000);
}

export interface PrivilegeCheck {
  table: TableSchema;
  right: AccessRight;
  /** The record's owner for user-owned tables (Basic depth = own records only); undefined = not record-specific. */
  ownerId?: string | null;
}

export class PrivilegeStore {
  private readonly roles = new Map<string, RoleDefinition[]>();
  private caller: string | undefined;
  private delegate: string | undefined;
  /** Teams a user belongs to (owner teams count as the user's own records at Basic depth). */
  private teamsOf: (userId: string) => ReadonlySet<string> = () => new Set();

  constructor(
    private readonly db: Database.Database,
    private readonly schemas: () => TableSchema[],
    private readonly businessUnitId: string,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS "_local_userroles" (userid TEXT PRIMARY KEY, roles TEXT NOT NULL)');
    for (const r of db.prepare('SELECT userid, roles FROM "_local_userroles"').all() as Array<{ userid: string; roles: string }>) {
      this.roles.set(r.userid, JSON.parse(r.roles) as RoleDefinition[]);
    }
  }

  /** Restricts a user to the union of `roles`; null removes the restriction (System Administrator). */
  setUserRoles(userId: string, roles: RoleDefinition[] | null): void {
    const id = userId.toLowerCase();
    if (roles === null) {
      this.roles.delete(id);
      this.db.prepare('DELETE FROM "_local_userroles" WHERE userid = ?').run(id);
      return;
    }
    for (const role of roles) {
      if (!role || typeof role.name !== "string" || !role.privileges || typeof role.privileges !== "object")
        throw new DataverseError(400, "0x80040203", "Each role needs a name and a privileges object.");
      for (const [name, depth] of Object.entries(role.privileges)) {
        if (!/^prv[A-Za-z0-9_]+$/.test(name) || !(depth in DEPTH_RANK))
          throw new DataverseError(400, "0x80040203", `Invalid privilege '${name}': '${String(depth)}'.`);
      }
    }
    const copy = JSON.parse(JSON.stringify(roles)) as RoleDefinition[];
    this.roles.set(id, copy);
    this.db
      .prepare('INSERT INTO "_local_userroles" (userid, roles) VALUES (?, ?) ON CONFLICT(userid) DO UPDATE SET roles = excluded.roles')
      .run(id, JSON.stringify(copy));
  }

  userRoles(userId: string): RoleDefinition[] | null {
    return this.roles.get(userId.toLowerCase()) ?? null;
  }

  clear(): void {
    this.roles.clear();
    this.db.exec('DELETE FROM "_local_userroles"');
  }

  /**
   * Sets the caller of the request being executed: the user it runs as and, when that user is impersonated, the
   * user who impersonates (the authenticated caller, recorded as createdonbehalfby / modifiedonbehalfby).
   */
  setCaller(userId: string | undefined, onBehalfOf?: string): void {
    this.caller = userId?.toLowerCase();
    this.delegate = onBehalfOf?.toLowerCase();
  }

  callerId(): string | undefined {
    return this.caller;
  }

  /** The impersonating user while a request runs on behalf of another user, else undefined. */
  onBehalfOfId(): string | undefined {
    return this.delegate;
  }

  callerState(): { caller: string | undefined; delegate: string | undefined } {
    return { caller: this.caller, delegate: this.delegate };
  }

  restoreCaller(state: { caller: string | undefined; delegate: string | undefined }): void {
    this.caller = state.caller;
    this.delegate = state.delegate;
  }

  /** Where team memberships come from (the stand-in's teammembership table). */
  setTeamMembership(teamsOf: (userId: string) => ReadonlySet<string>): void {
    this.teamsOf = teamsOf;
  }

  /** Whether a user holds a privilege at any depth (unrestricted users hold every one). */
  holds(userId: string, privilege: string): boolean {
    const roles = this.roles.get(userId.toLowerCase());
    if (!roles) return true;
    const lower = privilege.toLowerCase();
    return roles.some((r) => Object.keys(r.privileges).some((k) => k.toLowerCase() === lower));
  }

  /** Privileges a user holds: the union of their roles (deepest depth wins), or everything for an unrestricted user. */
  rolePrivileges(userId: string): RolePrivilege[] {
    const roles = this.roles.get(userId.toLowerCase());
    const depths = new Map<string, PrivilegeDepth>();
    if (!roles) {
      for (const s of this.schemas()) for (const r of RIGHTS) depths.set(`prv${r}${privilegeStem(s.logicalName)}`, "Global");
    } else {
      for (const role of roles) {
        for (const [name, depth] of Object.entries(role.privileges)) {
          const prev = depths.get(name);
          if (!prev || DEPTH_RANK[depth] > DEPTH_RANK[prev]) depths.set(name, depth);
        }
      }
    }
    return [...depths]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([name, depth]) => ({ Depth: depth, PrivilegeId: privilegeId(name), BusinessUnitId: this.businessUnitId, PrivilegeName: name }));
  }

  /** Throws Dataverse's privilege error when the current caller (and, impersonating, the delegate) may not do `check`. */
  assert(check: PrivilegeCheck): void {
    if (!this.caller) return;
    this.assertFor(this.caller, check);
    if (this.delegate && this.delegate !== this.caller) this.assertFor(this.delegate, check);
  }

  /** Object type code of an owner: 9 for a team, 8 for a user. */
  private ownerTypeOf: (ownerId: string) => number = () => 8;

  setOwnerType(fn: (ownerId: string) => number): void {
    this.ownerTypeOf = fn;
  }

  private ownerType(ownerId: string | null | undefined): number {
    return ownerId ? this.ownerTypeOf(ownerId.toLowerCase()) : 8;
  }

  private ownsOrTeamOwns(userId: string, ownerId: string | null): boolean {
    const owner = (ownerId ?? "").toLowerCase();
    return owner === userId || this.teamsOf(userId).has(owner);
  }

  private assertFor(caller: string, check: PrivilegeCheck): void {
    const roles = this.roles.get(caller);
    if (!roles) return;
    const table = check.table.logicalName;
    const name = `prv${check.right}${privilegeStem(table)}`;
    let best: PrivilegeDepth | undefined;
    for (const role of roles) {
      const d = role.privileges[name] ?? Object.entries(role.privileges).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      if (d && (!best || DEPTH_RANK[d] > DEPTH_RANK[best])) best = d;
    }
    const privilegeCount = new Set(roles.flatMap((r) => Object.keys(r.privileges))).size;
    if (!best) {
      throw new DataverseError(
        403,
        PRIVILEGE_DENIED,
        `Principal user (Id=${caller}, type=8, roleCount=${roles.length}, privilegeCount=${privilegeCount}, accessMode=0), is missing ${name} privilege (Id=${privilegeId(name)}) on OTC=${typeCode(table)} for entity '${table}'. context.Caller=${caller}`,
      );
    }
    if (
      best === "Basic" &&
      check.table.ownership === "user" &&
      check.ownerId !== undefined &&
      !this.ownsOrTeamOwns(caller, check.ownerId)
    ) {
      throw new DataverseError(
        403,
        PRIVILEGE_DENIED,
        `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: , OwnerId: ${check.ownerId ?? ""},  OwnerIdType: ${this.ownerType(check.ownerId)} and CallingUser: ${caller}. ObjectTypeCode: ${typeCode(table)}, objectBusinessUnitId: ${this.businessUnitId}, AccessRights: ${check.right}Access `,
      );
    }
  }

  /** `GET systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()` → the response body, else undefined. */
  retrieveUserPrivileges(path: string, serviceRoot: string): Record<string, unknown> | undefined {
    const m = /^systemusers\(([0-9a-fA-F-]{36})\)\/Microsoft\.Dynamics\.CRM\.RetrieveUserPrivileges(?:\(\))?$/.exec(path);
    if (!m) return undefined;
    return {
      "@odata.context": `${serviceRoot}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
      RolePrivileges: this.rolePrivileges(m[1].toLowerCase()),
    };
  }

  /** Admin endpoint body handling: GET → all restricted users; POST {userId, roles}; DELETE → clear all. */
  admin(method: string, body: Record<string, unknown>): { status: number; body?: unknown } {
    if (method === "GET") return { status: 200, body: Object.fromEntries(this.roles) };
    if (method === "DELETE") {
      this.clear();
      return { status: 204 };
    }
    if (method === "POST" || method === "PUT") {
      if (typeof body.userId !== "string") throw new DataverseError(400, "0x80040203", "'userId' is required.");
      const roles = body.roles === null || body.roles === undefined ? null : body.roles;
      if (roles !== null && !Array.isArray(roles)) throw new DataverseError(400, "0x80040203", "'roles' must be an array or null.");
      this.setUserRoles(body.userId, roles as RoleDefinition[] | null);
      return { status: 200, body: { userId: body.userId.toLowerCase(), RolePrivileges: this.rolePrivileges(body.userId) } };
    }
    return {
      status: 405,
      body: { error: { code: "0x80060888", message: `The method ${method} is not supported for /_local/privileges.` } },
    };
  }
}

/** Write on an existing record, plus Assign when `values` change its owner. */
export function assertUpdate(
  store: PrivilegeStore,
  table: TableSchema,
  existing: Record<string, unknown>,
  values: Record<string, unknown>,
): void {
  const ownerId = typeof existing.ownerid === "string" ? existing.ownerid : null;
  store.assert({ table, right: "Write", ownerId });
  if ("ownerid" in values && values.ownerid !== existing.ownerid) store.assert({ table, right: "Assign", ownerId });
}
