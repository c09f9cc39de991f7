/**
 * Independent count of the accounts the control should plot, straight from the local Web API over HTTP.
 *
 * Agrees with the control's placement rules (TerritoryMapControl/domain/accounts.ts checkCoordinates): an account
 * is placed when latitude and longitude are both present, |lat| ≤ 90, |lon| ≤ 180 and the pair is not (0, 0).
 * The scope is the manifest default (`statecode eq 0`) unless given.
 */
import { DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";

export const DEFAULT_SCOPE = "statecode eq 0";

export const VALID_COORDINATES_FILTER =
  "address1_latitude ne null and address1_longitude ne null" +
  " and address1_latitude ge -90 and address1_latitude le 90" +
  " and address1_longitude ge -180 and address1_longitude le 180" +
  " and not (address1_latitude eq 0 and address1_longitude eq 0)";

async function countWhere(apiUrl: string, filter: string): Promise<number> {
  const client = new DataverseHttpClient({ baseUrl: apiUrl, maxRetries: 2 });
  let n = 0;
  // @odata.count is capped (5,000 on Dataverse), so page through ids and count.
  await client.retrieveAll(
    "accounts",
    { select: ["accountid"], filter },
    {
      maxPageSize: 5000,
      includeAnnotations: "",
      onPage: (p) => {
        n += p.length;
      },
    },
  );
  return n;
}

/** Accounts in `scope` with coordinates the control places on the map. */
export function countValidCoordinates(apiUrl: string, scope = DEFAULT_SCOPE): Promise<number> {
  return countWhere(apiUrl, `(${scope}) and ${VALID_COORDINATES_FILTER}`);
}

/** All accounts in `scope` (placed or not). */
export function countInScope(apiUrl: string, scope = DEFAULT_SCOPE): Promise<number> {
  return countWhere(apiUrl, scope);
}
