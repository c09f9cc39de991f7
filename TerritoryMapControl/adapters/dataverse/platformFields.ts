/**
 * Undocumented fields of the platform's WebApi results, read in this one place.
 *
 * `retrieveMultipleRecords` is documented to return `{ entities, nextLink }`. When the query asks for
 * `$count=true`, a host may also pass the Web API's `@odata.count` through on the result object. Dataverse caps
 * that count at 5,000 (flagging `@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded` when asked), so only a
 * count below the cap is a total. Nothing may depend on it: it only turns an indeterminate progress bar into a
 * determinate one for small scopes.
 */
/** Dataverse never counts past this: a count at the cap means "at least 5,000", not a total. */
export const DATAVERSE_COUNT_LIMIT = 5000;

export function totalCountOf(result: unknown): number | null {
  if (typeof result !== "object" || result === null) return null;
  const r = result as Record<string, unknown>;
  const count = r["@odata.count"];
  if (typeof count !== "number" || !Number.isFinite(count) || count < 0 || count >= DATAVERSE_COUNT_LIMIT) return null;
  if (r["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] === true) return null;
  return count;
}
