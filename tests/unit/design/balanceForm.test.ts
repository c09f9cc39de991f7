import {
  balanceSetup,
  chosenMeasures,
  chosenRepTargets,
  repHome,
  type BalanceForm,
} from "../../../TerritoryMapControl/domain/design/balanceForm";
import type { BalanceRep } from "../../../TerritoryMapControl/domain/design/balanceInput";

const reps: BalanceRep[] = [
  { id: "r0", name: "Ann", home: [-115, 35], territoryIndex: 0 },
  { id: "r1", name: "Bo", home: null, territoryIndex: 1 },
  { id: "r2", name: "Cy", home: [-100, 40], territoryIndex: null },
];

function form(change: Partial<BalanceForm> = {}): BalanceForm {
  return {
    mode: "count",
    count: "4",
    tolerance: "5",
    capacity: "",
    measures: [{ kind: "count" }],
    reps: [],
    respectLocks: true,
    moveCostFactor: 1,
    ...change,
  };
}

describe("auto-balance form", () => {
  it("lists the chosen measures, the account count first, then columns in order", () => {
    expect(chosenMeasures(new Set(["m1", "count", "m0"]), 2)).toEqual([
      { kind: "count" },
      { kind: "column", column: 0 },
      { kind: "column", column: 1 },
    ]);
    expect(chosenMeasures(new Set(["m1", "m5"]), 2)).toEqual([{ kind: "column", column: 1 }]);
    expect(chosenMeasures(new Set(), 2)).toEqual([]);
  });

  it("takes a rep's picked or typed home before the one from the address, and keeps only chosen reps with a home", () => {
    const homes = new Map<string, [number, number]>([["r1", [-90, 30]]]);
    expect(repHome(reps[0], homes)).toEqual([-115, 35]);
    expect(repHome(reps[1], homes)).toEqual([-90, 30]);
    expect(repHome(reps[1], new Map())).toBeNull();
    expect(chosenRepTargets(reps, new Set(["r1", "r2"]), new Map())).toEqual([{ repId: "r2", home: [-100, 40], territory: null }]);
    expect(chosenRepTargets(reps, new Set(["r0", "r1", "r2"]), homes).map((t) => t.repId)).toEqual(["r0", "r1", "r2"]);
  });

  it("builds the setup for a number of territories", () => {
    expect(balanceSetup(form({ count: "4", tolerance: "7.5" }))).toEqual({
      ok: true,
      setup: {
        territories: 4,
        reps: null,
        measures: [{ kind: "count" }],
        tolerance: 0.075,
        capacity: undefined,
        respectLocks: true,
        moveCostFactor: 1,
      },
    });
  });

  it("builds the setup for chosen reps, the capacity bounding the first measure", () => {
    const targets = chosenRepTargets(reps, new Set(["r0", "r2"]), new Map());
    const measures = chosenMeasures(new Set(["count", "m0"]), 1);
    const r = balanceSetup(form({ mode: "reps", count: "", reps: targets, measures, capacity: "120", respectLocks: false }));
    expect(r).toEqual({
      ok: true,
      setup: { territories: 2, reps: targets, measures, tolerance: 0.05, capacity: [120, null], respectLocks: false, moveCostFactor: 1 },
    });
  });

  it("names the first problem, in the order the form is checked", () => {
    const problem = (change: Partial<BalanceForm>) => {
      const r = balanceSetup(form(change));
      return r.ok ? null : r.problem;
    };
    expect(problem({ measures: [], tolerance: "x" })).toBe("no-measure");
    expect(problem({ tolerance: "" })).toBe("tolerance");
    expect(problem({ tolerance: "101" })).toBe("tolerance");
    expect(problem({ tolerance: "-1", capacity: "0" })).toBe("tolerance");
    expect(problem({ capacity: "0" })).toBe("capacity");
    expect(problem({ capacity: "lots" })).toBe("capacity");
    expect(problem({ mode: "reps", reps: [] })).toBe("no-reps");
    expect(problem({ count: "" })).toBe("count");
    expect(problem({ count: "2.5" })).toBe("count");
    expect(problem({ count: "0" })).toBe("count");
    expect(problem({ count: "1001" })).toBe("count");
    expect(problem({ count: "1000", tolerance: "0" })).toBeNull();
    expect(problem({ mode: "reps", count: "nonsense", reps: chosenRepTargets(reps, new Set(["r0"]), new Map()) })).toBeNull();
  });
});
