/** What a publish preview leaves to do: anything to write or decide, and how many conflicts are still undecided. */
import type { ConflictChoice, PublishCounts } from "./plan";

/** Records to write, or conflicts to decide. */
export function hasPublishWork(counts: PublishCounts): boolean {
  return (
    counts.accountWrites + counts.territoryCreates + counts.territoryUpdates > 0 || counts.unresolvedConflicts > 0 || counts.conflicts > 0
  );
}

/** Conflicts with neither a decision of their own nor one for all. */
export function undecidedConflicts(
  conflicts: readonly { accountId: string }[],
  decisions: ReadonlyMap<string, ConflictChoice>,
  all: ConflictChoice | null,
): number {
  return conflicts.filter((c) => (decisions.get(c.accountId) ?? all) === null).length;
}
