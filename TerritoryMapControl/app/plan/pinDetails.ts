/** What an account's map popup says about it in the working plan: territory, parent, owner and measures. */
import { treeOf, type WorkingPlan } from "../../domain/workspace";
import type { PinDetails } from "../ports/map";

export interface PinDetailOptions {
  /** A rep territory's rep by name (the id when the rep is not among the loaded users). */
  repName: (repId: string) => string;
  /** A user's name when known (the account owner), else null. */
  knownUserName: (userId: string) => string | null;
  /** Territory text of an unassigned account. */
  unassigned: string;
  /** Pin colour of an unassigned account. */
  unassignedColor: string;
  /** A measure value as the user reads it. */
  formatValue: (value: number) => string;
}

/** Measures with up to two decimals and grouping in the user's locale (1250000.5 → "1,250,000.5" in en-US). */
const measureFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
export const formatMeasure = (value: number): string => measureFormat.format(value);

/**
 * The popup details of `accountId`: its territory (and colour), the territory's parent, the owner (the territory's
 * rep, else the account's own owner when that user is known) and every measure by name. An account the plan does
 * not hold is described as unassigned with no measures.
 *
 * @example
 * pinDetails(plan, "5d6a…", null, { repName, knownUserName, unassigned: "Unassigned", unassignedColor: "#8a8a8a", formatValue: formatMeasure })
 */
export function pinDetails(plan: WorkingPlan, accountId: string, ownerId: string | null, options: PinDetailOptions): PinDetails {
  const i = plan.table.index.get(accountId.toLowerCase());
  const k = i === undefined ? -1 : plan.assignment[i];
  const territory = k >= 0 ? plan.territories[k] : null;
  const parentIndex = k >= 0 ? treeOf(plan).parent[k] : -1;
  const owner = territory?.repId ? options.repName(territory.repId) : ownerId ? options.knownUserName(ownerId) : null;
  return {
    territory: territory ? territory.name : options.unassigned,
    color: territory ? territory.color : options.unassignedColor,
    parent: parentIndex >= 0 ? plan.territories[parentIndex].name : null,
    owner,
    measures: i === undefined ? [] : plan.table.measures.map((name, m) => ({ name, value: options.formatValue(plan.table.values[m][i]) })),
  };
}
