/**
 * Assign: an account was created, or its address, coordinates or a rule column changed → find its territory in
 * the published plan and set account.territoryid (and ownerid when owners follow territories). No match →
 * territoryid is cleared, so the account shows in the "Unassigned accounts" view (statecode = 0 and no
 * territory) — never dropped. Writes use the record's etag; a concurrent change (412) re-reads and re-decides.
 */
import { DataverseError, type DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import type { AssignmentAccount } from "../../../TerritoryMapControl/domain/assignment";
import type { PublishedPlanSource } from "../plan/PublishedPlanSource";

/** Account columns the rules read: an Update touching none of them is not an assignment event. */
export const RULE_COLUMNS = [
  "address1_latitude",
  "address1_longitude",
  "address1_postalcode",
  "address1_line1",
  "address1_city",
  "address1_stateorprovince",
  "address1_country",
  "industrycode",
  "numberofemployees",
  "revenue",
  "statecode",
  "customertypecode",
] as const;

const SELECT = [
  "accountid",
  "address1_latitude",
  "address1_longitude",
  "address1_postalcode",
  "industrycode",
  "numberofemployees",
  "revenue",
  "statecode",
  "customertypecode",
  "_territoryid_value",
  "_ownerid_value",
];

export type AssignResult =
  | {
      status: "assigned";
      accountId: string;
      territoryId: string;
      territory: string;
      matchedBy: string;
      rule: string;
      changed: boolean;
      ownerId: string | null;
    }
  | { status: "unassigned"; accountId: string; reason: string; explanation: string; changed: boolean }
  | { status: "skipped"; accountId: string; reason: string };

function n(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const x = Number(v);
  return Number.isFinite(x) ? x : null;
}

export function accountFromRow(row: Record<string, unknown>): AssignmentAccount {
  return {
    id: String(row.accountid).toLowerCase(),
    latitude: n(row.address1_latitude),
    longitude: n(row.address1_longitude),
    postalCode: typeof row.address1_postalcode === "string" && row.address1_postalcode.trim() ? row.address1_postalcode : null,
    industryCode: n(row.industrycode),
    employees: n(row.numberofemployees),
    revenue: n(row.revenue),
    stateCode: n(row.statecode),
    customerTypeCode: n(row.customertypecode),
  };
}

export async function assignAccount(client: DataverseHttpClient, plans: PublishedPlanSource, accountId: string): Promise<AssignResult> {
  const plan = await plans.get();
  if (!plan) return { status: "skipped", accountId, reason: "no-published-plan" };
  for (let attempt = 0; ; attempt++) {
    let row: Record<string, unknown> & { "@odata.etag"?: string };
    try {
      row = await client.retrieve(`accounts`, accountId, { select: SELECT }, { includeAnnotations: "" });
    } catch (e) {
      if (e instanceof DataverseError && e.status === 404) return { status: "skipped", accountId, reason: "account-deleted" };
      throw e;
    }
    const outcome = plan.engine.assign(accountFromRow(row));
    const currentTerritory = row._territoryid_value ? String(row._territoryid_value).toLowerCase() : null;
    const currentOwner = row._ownerid_value ? String(row._ownerid_value).toLowerCase() : null;
    const patch: Record<string, unknown> = {};
    let result: AssignResult;
    if (outcome.kind === "assigned" && outcome.territory.territoryId) {
      const territoryId = outcome.territory.territoryId.toLowerCase();
      if (currentTerritory !== territoryId) patch["territoryid@odata.bind"] = `/territories(${territoryId})`;
      const rep = plan.settings.ownersFollowTerritories && outcome.territory.repId ? outcome.territory.repId.toLowerCase() : null;
      if (rep && currentOwner !== rep) patch["ownerid@odata.bind"] = `/systemusers(${rep})`;
      result = {
        status: "assigned",
        accountId,
        territoryId,
        territory: outcome.territory.name,
        matchedBy: outcome.matchedBy,
        rule: outcome.ruleName,
        changed: Object.keys(patch).length > 0,
        ownerId: rep ?? currentOwner,
      };
    } else {
      const reason = outcome.kind === "assigned" ? "territory-not-published" : outcome.reason;
      const explanation =
        outcome.kind === "assigned"
          ? `Territory "${outcome.territory.name}" matched (${outcome.matchedBy}) but has no Dynamics territory yet; publish the plan again.`
          : outcome.explanation;
      if (currentTerritory !== null) patch["territoryid@odata.bind"] = null;
      result = { status: "unassigned", accountId, reason, explanation, changed: Object.keys(patch).length > 0 };
    }
    if (Object.keys(patch).length === 0) return result;
    try {
      await client.update("accounts", accountId, patch, row["@odata.etag"] ? { etag: row["@odata.etag"] } : {});
      return result;
    } catch (e) {
      if (e instanceof DataverseError && e.status === 412 && attempt < 3) continue; // changed meanwhile: decide again
      if (e instanceof DataverseError && e.status === 404) return { status: "skipped", accountId, reason: "account-deleted" };
      throw e;
    }
  }
}
