/**
 * Publishing from the control: a `publisher` bound to one plan (publishPlan over the organisation's Web API), and
 * the reason Publish is disabled from the documented context.utils.hasEntityPrivilege(entityTypeName,
 * privilegeType, privilegeDepth).
 */
import type { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { publishPlan, type PublishPlanArgs } from "../../../dataverse/publish/publishPlan";
import type { Publisher } from "../../app/ports/publishing";
import { formatTemplate } from "../../domain/text";

export type { Publisher, PublisherRequest } from "../../app/ports/publishing";

/**
 * @example
 * const publisher = createPublisher({ client: createOrgClient(context), planId, userId: context.userSettings.userId });
 */
export function createPublisher(
  base: Pick<PublishPlanArgs, "client" | "planId"> & Partial<Omit<PublishPlanArgs, "client" | "planId">> & { client: DataverseHttpClient },
): Publisher {
  return (request) => publishPlan({ ...base, ...request });
}

/** PCF privilege enums (documented values). */
export const PrivilegeType = { Create: 1, Read: 2, Write: 3 } as const;
export const PrivilegeDepth = { Basic: 0, Local: 1, Deep: 2, Global: 3 } as const;

export interface PrivilegeUtils {
  getEntityMetadata(entityName: string, attributes?: string[]): Promise<unknown>;
  hasEntityPrivilege(entityTypeName: string, privilegeType: number, privilegeDepth: number): boolean;
}

/**
 * Null when the user may write territories and accounts, else the reason (resx "Publish_Disabled" with the
 * missing rights). The metadata is loaded first: hasEntityPrivilege may return false while it is not cached.
 */
export async function publishDisabledReason(utils: PrivilegeUtils, getString: (key: string) => string): Promise<string | null> {
  const checks: { table: "territory" | "account"; key: string; name: string }[] = [
    { table: "territory", key: "Publish_Right_Write_territory", name: "prvWriteTerritory" },
    { table: "account", key: "Publish_Right_Write_account", name: "prvWriteAccount" },
  ];
  await Promise.all(checks.map((c) => utils.getEntityMetadata(c.table).catch(() => undefined)));
  const missing = checks.filter((c) => !Object.values(PrivilegeDepth).some((depth) => safeHas(utils, c.table, PrivilegeType.Write, depth)));
  if (!missing.length) return null;
  return formatTemplate(getString("Publish_Disabled"), missing.map((m) => `${getString(m.key)} (${m.name})`).join(", "));
}

function safeHas(utils: PrivilegeUtils, table: string, type: number, depth: number): boolean {
  try {
    return utils.hasEntityPrivilege(table, type, depth) === true;
  } catch {
    return false;
  }
}
