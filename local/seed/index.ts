/**
 * Seeding entry point: fills an empty local Dataverse store with the deterministic sample organisation.
 *
 * @example
 * const { seeded, summary } = seedIfEmpty(store, { accounts: BENCHMARK_ACCOUNTS });
 */
import { generateSampleOrg, type SampleOrgOptions, type SampleOrgSummary } from "./sampleOrg";

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

/** The part of the local DataverseStore the seed needs (see ARCHITECTURE.md). */
export interface SeedTarget {
  count(table: string): number;
  insertMany(table: string, rows: Record<string, unknown>[]): void;
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
  store.insertMany("systemuser", org.systemusers);
  store.insertMany("territory", org.territories);
  store.insertMany("account", org.accounts);
  return { seeded: true, summary: org.summary };
}
