/**
 * Impersonation in the local Dataverse stand-in, as "Impersonate another user using the Web API" documents it
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/impersonate-another-user-web-api):
 * `CallerObjectId: <Microsoft Entra object id>` (systemuser.azureactivedirectoryobjectid, preferred) or
 * `MSCRMCallerID: <systemuserid>` runs the request as that user; the authenticated caller (the service's current
 * user) needs prvActOnBehalfOfAnotherUser, the impersonated user must exist, and new records get
 * createdby = the impersonated user and createdonbehalfby = the caller.
 */
import { DataverseError, ErrorCodes, badRequest, recordNotFound } from "./errors";
import { PRIVILEGE_DENIED, privilegeId } from "./privileges";
import { normalizeGuid, type ServiceContext } from "./serviceContext";

export const ACT_ON_BEHALF = "prvActOnBehalfOfAnotherUser";

export interface ResolvedCaller {
  /** The user the request runs as. */
  userId: string;
  /** The authenticated user when it impersonates `userId`. */
  onBehalfOf?: string;
}

/** The request's caller from its headers; throws Dataverse-shaped errors for a refused impersonation. */
export function resolveCaller(ctx: ServiceContext, headers: Record<string, string | undefined>): ResolvedCaller {
  const self = ctx.currentUserId().toLowerCase();
  const objectIdHeader = headers.callerobjectid?.trim();
  const callerIdHeader = headers.mscrmcallerid?.trim();
  if (!objectIdHeader && !callerIdHeader) return { userId: self };
  let target: string;
  if (objectIdHeader) {
    const objectId = normalizeGuid(objectIdHeader);
    if (!objectId) throw badRequest(`The CallerObjectId header value '${objectIdHeader}' is not a valid Guid.`);
    const user = usersTable(ctx)
      ? [...ctx.store.rows("systemuser")].find((u) => lower(u.azureactivedirectoryobjectid) === objectId)
      : undefined;
    if (!user)
      throw new DataverseError(404, ErrorCodes.recordNotFound, `systemuser With azureactivedirectoryobjectid = ${objectId} Does Not Exist`);
    target = String(user.systemuserid);
  } else {
    const id = normalizeGuid(callerIdHeader ?? "");
    if (!id) throw badRequest(`The MSCRMCallerID header value '${callerIdHeader}' is not a valid Guid.`);
    if (id === self) return { userId: self };
    if (usersTable(ctx) && !ctx.store.get("systemuser", id)) throw recordNotFound("systemuser", id);
    target = id;
  }
  if (target === self) return { userId: self };
  if (!ctx.privileges.holds(self, ACT_ON_BEHALF)) {
    throw new DataverseError(
      403,
      PRIVILEGE_DENIED,
      `Principal user (Id=${self}, type=8) is missing ${ACT_ON_BEHALF} privilege (Id=${privilegeId(ACT_ON_BEHALF)}) to impersonate user ${target}. context.Caller=${self}`,
    );
  }
  return { userId: target, onBehalfOf: self };
}

function usersTable(ctx: ServiceContext): boolean {
  return ctx.store.hasTable("systemuser");
}

function lower(v: unknown): string | undefined {
  return typeof v === "string" ? v.toLowerCase() : undefined;
}
