import { proposalTerritoryCounts, runtimeChange, type RuntimeForm } from "../../../TerritoryMapControl/domain/design/runtimeForm";
import type { RuntimeChangeResult } from "../../../TerritoryMapControl/domain/design/runtimeInput";

function form(change: Partial<RuntimeForm> = {}): RuntimeForm {
  return {
    kind: "rep-leaves",
    tolerance: "10",
    leaving: null,
    newRepId: null,
    home: { lat: "", lon: "" },
    capTerritory: null,
    capacity: "",
    ...change,
  };
}

function problem(change: Partial<RuntimeForm>) {
  const r = runtimeChange(form(change));
  return r.ok ? null : r.problem;
}

describe("runtime-change form", () => {
  it("turns each tab into its change, with the tolerance as a fraction", () => {
    expect(runtimeChange(form({ leaving: 2, tolerance: "12.5" }))).toEqual({
      ok: true,
      change: { kind: "rep-leaves", territory: 2 },
      tolerance: 0.125,
    });
    expect(runtimeChange(form({ kind: "new-rep", newRepId: "r2", home: { lat: "40.5", lon: "-100.25" } }))).toEqual({
      ok: true,
      change: { kind: "new-rep", repId: "r2", home: [-100.25, 40.5] },
      tolerance: 0.1,
    });
    expect(runtimeChange(form({ kind: "capacity", capTerritory: 0, capacity: "0" }))).toEqual({
      ok: true,
      change: { kind: "capacity", territory: 0, capacity: 0 },
      tolerance: 0.1,
    });
  });

  it("checks only the current tab, after the tolerance", () => {
    expect(problem({ tolerance: "150" })).toBe("tolerance");
    expect(problem({ tolerance: "abc", leaving: 1 })).toBe("tolerance");
    expect(problem({ tolerance: "", leaving: 1 })).toBeNull();
    expect(problem({ leaving: null, capacity: "x" })).toBe("pick-territory");
    expect(problem({ kind: "new-rep", leaving: null })).toBe("pick-rep");
    expect(problem({ kind: "new-rep", newRepId: "r2" })).toBe("home");
    expect(problem({ kind: "new-rep", newRepId: "r2", home: { lat: "95", lon: "0" } })).toBe("home");
    expect(problem({ kind: "capacity", capacity: "10" })).toBe("capacity");
    expect(problem({ kind: "capacity", capTerritory: 1, capacity: " " })).toBe("capacity");
    expect(problem({ kind: "capacity", capTerritory: 1, capacity: "-1" })).toBe("capacity");
    expect(problem({ kind: "capacity", capTerritory: 1, capacity: "many" })).toBe("capacity");
  });
});

describe("proposal territory counts", () => {
  const moves = { indexes: new Int32Array(0), from: new Int32Array(0), to: new Int32Array(0) };
  const result = (change: Partial<RuntimeChangeResult>): RuntimeChangeResult => ({
    kind: "capacity",
    assignment: Int32Array.from([0, 1, 1, -1, 2, 2, 2]),
    moves,
    ...change,
  });

  it("counts accounts per plan territory, the unassigned left out", () => {
    expect(proposalTerritoryCounts(result({}), 3)).toEqual([
      { territory: 0, accounts: 1 },
      { territory: 1, accounts: 2 },
      { territory: 2, accounts: 3 },
    ]);
  });

  it("includes the new rep's territory and leaves out the departed rep's", () => {
    const newRep = result({
      kind: "new-rep",
      assignment: Int32Array.from([0, 1, 2, 2]),
      newTerritory: { planTerritory: 2, repId: "r", home: [0, 0] },
    });
    expect(proposalTerritoryCounts(newRep, 2)).toEqual([
      { territory: 0, accounts: 1 },
      { territory: 1, accounts: 1 },
      { territory: 2, accounts: 2 },
    ]);
    const leaves = result({ kind: "rep-leaves", assignment: Int32Array.from([0, 0, 2]), removedTerritory: 1 });
    expect(proposalTerritoryCounts(leaves, 3)).toEqual([
      { territory: 0, accounts: 2 },
      { territory: 2, accounts: 1 },
    ]);
  });
});
