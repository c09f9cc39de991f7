import type { ConflictChoice, PublishCounts } from "../../../TerritoryMapControl/domain/publish";
import { hasPublishWork, undecidedConflicts } from "../../../TerritoryMapControl/domain/publish/publishWork";

const none: PublishCounts = {
  accounts: 10,
  unchanged: 10,
  territoryChanges: 0,
  ownerChanges: 0,
  accountWrites: 0,
  missing: 0,
  conflicts: 0,
  keptConflicts: 0,
  unresolvedConflicts: 0,
  territoryCreates: 0,
  territoryUpdates: 0,
};

describe("publish work", () => {
  it("has work when records are to be written or conflicts decided", () => {
    expect(hasPublishWork(none)).toBe(false);
    expect(hasPublishWork({ ...none, missing: 3, keptConflicts: 2, territoryChanges: 1 })).toBe(false);
    expect(hasPublishWork({ ...none, accountWrites: 1 })).toBe(true);
    expect(hasPublishWork({ ...none, territoryCreates: 1 })).toBe(true);
    expect(hasPublishWork({ ...none, territoryUpdates: 1 })).toBe(true);
    expect(hasPublishWork({ ...none, unresolvedConflicts: 1 })).toBe(true);
    expect(hasPublishWork({ ...none, conflicts: 1 })).toBe(true);
  });

  it("counts the conflicts with neither their own decision nor one for all", () => {
    const conflicts = [{ accountId: "a" }, { accountId: "b" }, { accountId: "c" }];
    const decisions = new Map<string, ConflictChoice>([["b", "keep"]]);
    expect(undecidedConflicts(conflicts, new Map(), null)).toBe(3);
    expect(undecidedConflicts(conflicts, decisions, null)).toBe(2);
    expect(undecidedConflicts(conflicts, decisions, "overwrite")).toBe(0);
    expect(undecidedConflicts([], decisions, null)).toBe(0);
  });
});
