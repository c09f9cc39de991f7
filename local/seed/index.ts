/**
 * Seeding entry point: fills an empty local Dataverse store with the deterministic sample organisation.
 *
 * @example
 * const { seeded, summary } = seedIfEmpty(store, { accounts: BENCHMARK_ACCOUNTS });
 */
import { BUSINESS_UNIT_ID } from "../dataverse/serviceContext";
import { generateSampleOrg, SAMPLE_MANAGER_ID, type SampleOrgOptions, type SampleOrgSummary } from "./sampleOrg";

export {
  BAD_COORDINATE_KINDS,
  BENCHMARK_ACCOUNTS,
  DEFAULT_ACCOUNTS,
  DEFAULT_REPS,
  DEFAULT_SEED,
  SAMPLE_EMAIL_DOMAIN,
  SAMPLE_MANAGER_ID,
  SAMPLE_MANAGER_NAME,
  US_BOUNDS,
  generateSampleOrg,
  isWithinUsBounds,
} from "./sampleOrg";
export type { BadCoordinateKind, Row, SampleOrg, SampleOrgOptions, SampleOrgSummary } from "./sampleOrg";
export { DISTRICTS, INDUSTRY_CODES, REGIONS } from "./data";

/** Team membership rows' ids: fixed, one per member. */
function membershipId(i: number): string {
  return `7ea30000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`;
}

/** The part of the local DataverseStore the seed needs (see ARCHITECTURE.md). */
export interface SeedTarget {
  count(table: string): number;
  insertMany(table: string, rows: Record<string, unknown>[]): void;
  /** Whether the store has the table (teams are seeded where the store has them). */
  hasTable?(table: string): boolean;
}

export interface SeedResult {
  /** false when the store already had accounts (nothing was written). */
  seeded: boolean;
  /** What was inserted; null when nothing was. */
  summary: SampleOrgSummary | null;
}

/**
 * Inserts systemusers, territories and accounts, in that order, only when the account table is empty.
 * Lookups reference rows of the earlier tables, except systemuser.territoryid, which references a
 * territory inserted right after (a cycle Dynamics has too: territory.managerid ↔ systemuser.territoryid).
 */
export function seedIfEmpty(store: SeedTarget, options: SampleOrgOptions = {}): SeedResult {
  if (store.count("account") > 0) return { seeded: false, summary: null };
  const org = generateSampleOrg(options);
  const teams = !!store.hasTable?.("team") && !!store.hasTable?.("teammembership");
  if (teams && store.hasTable?.("businessunit") && store.count("businessunit") === 0) {
    store.insertMany("businessunit", [{ businessunitid: BUSINESS_UNIT_ID, name: "Contoso" }]);
  }
  store.insertMany("systemuser", org.systemusers);
  if (teams) {
    store.insertMany(
      "team",
      org.teams.map((t) => ({ ...t, businessunitid: BUSINESS_UNIT_ID })),
    );
    store.insertMany(
      "teammembership",
      org.teamMembers.map((m, i) => ({ teammembershipid: membershipId(i), ...m })),
    );
  }
  store.insertMany("territory", org.territories);
  // Without teams in the store, the team's accounts belong to the sales manager.
  const teamIds = new Set(org.teams.map((t) => String(t.teamid)));
  store.insertMany(
    "account",
    teams ? org.accounts : org.accounts.map((a) => (teamIds.has(String(a.ownerid)) ? { ...a, ownerid: SAMPLE_MANAGER_ID } : a)),
  );
  return { seeded: true, summary: org.summary };
}
