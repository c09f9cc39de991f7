import { validateResult } from "../../../TerritoryMapControl/domain/balancing";
import { pointsProblem, fixedProblem } from "./helpers";

describe("validateResult recomputes every figure from the assignment alone", () => {
  const p = pointsProblem(
    [
      [0, 0, 2],
      [3, 4, 1],
      [10, 0, 1],
      [10, 1, 1],
    ],
    2,
    {
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
      contiguous: true,
    },
  );
  p.points.forEach((pt) => (pt.cap = [3]));

  it("accepts a valid plan and recomputes the objective", () => {
    const v = validateResult(p, { assignment: [0, 0, 1, 1], centers: [0, 2] });
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.objective).toBe(5 + 1);
    expect(v.totals).toEqual([[3], [2]]);
    expect(v.maxDeviation[0]).toBeCloseTo(0.2, 12);
  });

  it("flags capacity, centre and contiguity violations", () => {
    const v = validateResult(p, { assignment: [0, 1, 1, 0], centers: [0, 2] });
    expect(v.valid).toBe(false);
    expect(v.errors).toContain("territory 0 has 2 connected parts");
    const v2 = validateResult(p, { assignment: [0, 0, 0, 1], centers: [0, 2] });
    expect(v2.errors).toContain("centre point 2 of territory 1 is not in its own territory");
    expect(v2.errors).toContain("territory 0: demand 4 exceeds the capacity 3 of its centre");
  });

  it("flags balance violations and move counts", () => {
    const f = fixedProblem(
      [
        [0, 0, 1],
        [1, 0, 1],
        [5, 0, 1],
      ],
      [
        [0, 0],
        [5, 0],
      ],
      { tolerance: 0.1 },
    );
    f.current = [0, 1, 1];
    f.moveCost = 10;
    const v = validateResult(f, { assignment: [0, 0, 1], centers: null });
    expect(v.moved).toBe(1);
    expect(v.objective).toBe(0 + 1 + 0 + 10);
    expect(v.errors).toEqual([
      "territory 0: m0 2 outside [1.35, 1.6500000000000001]",
      "territory 1: m0 1 outside [1.35, 1.6500000000000001]",
    ]);
    expect(validateResult(f, { assignment: [0, 2] }).errors).toEqual(["assignment must have 3 entries"]);
  });
});

describe("validateResult refuses figures that overflow", () => {
  it("an objective that is not finite is an error", () => {
    const p = fixedProblem(
      [
        [-1e308, 0, 1],
        [1e308, 0, 1],
      ],
      [
        [-1e308, 0],
        [1e308, 0],
      ],
      { tolerance: null },
    );
    const v = validateResult(p, { assignment: [1, 0] });
    expect(v.valid).toBe(false);
    expect(v.errors.join(" ")).toContain("the objective is not a finite number");
  });

  it("a measure total that is not finite is an error", () => {
    const p = fixedProblem(
      [
        [0, 0, 1e308],
        [1, 0, 1e308],
      ],
      [
        [0, 0],
        [1, 0],
      ],
      { tolerance: null },
    );
    const v = validateResult(p, { assignment: [0, 1] });
    expect(v.valid).toBe(false);
    expect(v.errors.join(" ")).toContain("the total of m0 is not a finite number");
  });
});
