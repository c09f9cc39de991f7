import { solve, validateResult, diagnose, compileProblem } from "../../../TerritoryMapControl/domain/balancing";
import { fixedProblem, pointsProblem } from "./helpers";

describe("fixed centres (home bases)", () => {
  const line = () =>
    fixedProblem(
      [
        [0, 0, 1],
        [1, 0, 1],
        [2, 0, 1],
        [3, 0, 1],
        [10, 0, 1],
        [11, 0, 1],
      ],
      [
        [1, 0],
        [10, 0],
      ],
      { tolerance: 0 },
    );

  it("balances exactly and reports a proven lower bound", () => {
    const r = solve(line(), { seed: 1 });
    expect(r.feasible).toBe(true);
    expect(r.assignment).toEqual([0, 0, 0, 1, 1, 1]);
    expect(r.objective).toBe(10);
    expect(r.totals).toEqual([[3], [3]]);
    expect(r.maxDeviation).toEqual([0]);
    expect(r.lowerBound).not.toBeNull();
    expect(r.lowerBound!).toBeLessThanOrEqual(10 + 1e-9);
    expect(r.lowerBound!).toBeGreaterThan(0);
    const v = validateResult(line(), r);
    expect(v.valid).toBe(true);
    expect(v.objective).toBe(10);
  });

  it("without balance rules every account goes to its nearest base and the bound is exact", () => {
    const p = line();
    p.balance = [];
    const r = solve(p);
    expect(r.assignment).toEqual([0, 0, 0, 0, 1, 1]);
    expect(r.objective).toBe(5);
    expect(r.lowerBound).toBeCloseTo(5, 9);
  });

  it("honours locks and counts moves against the current plan", () => {
    const p = line();
    p.points[0].lock = 1;
    p.balance = [];
    p.current = [0, 0, 0, 0, 1, 1];
    p.moveCost = 100;
    const r = solve(p);
    expect(r.assignment[0]).toBe(1);
    expect(r.moved).toBe(1);
    expect(r.objective).toBe(10 + 0 + 1 + 2 + 0 + 1 + 100);
  });

  it("geographic distances go through the same path", () => {
    const p = fixedProblem(
      [
        [0, 0, 1],
        [0, 1, 1],
        [10, 0, 1],
        [10, 1, 1],
      ],
      [
        [0, 0.5],
        [10, 0.5],
      ],
      { distance: "haversine-km", tolerance: 0 },
    );
    const r = solve(p);
    expect(r.assignment).toEqual([0, 0, 1, 1]);
    expect(r.objective).toBeCloseTo(4 * 55.5975, 2);
  });

  it("is deterministic for a given seed", () => {
    const pts: number[][] = [];
    let s = 7;
    const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 600; i++) pts.push([rnd() * 100, rnd() * 100, 1 + Math.floor(rnd() * 10), 1]);
    const p = fixedProblem(
      pts,
      [
        [20, 20],
        [80, 20],
        [50, 80],
        [50, 50],
      ],
      { tolerance: 0.05 },
    );
    const a = solve(p, { seed: 3 });
    const b = solve(p, { seed: 3 });
    expect(a.assignment).toEqual(b.assignment);
    expect(a.feasible).toBe(true);
    expect(validateResult(p, a).valid).toBe(true);
    expect(a.objective).toBeGreaterThanOrEqual(a.lowerBound! - 1e-6);
  });
});

describe("infeasibility is reported, never silent", () => {
  it("an account larger than the tolerance band", () => {
    const p = fixedProblem(
      [
        [0, 0, 100],
        [1, 0, 1],
        [5, 0, 1],
        [6, 0, 1],
      ],
      [
        [0, 0],
        [6, 0],
      ],
      { tolerance: 0.05 },
    );
    const r = solve(p);
    expect(r.feasible).toBe(false);
    expect(r.status).toBe("infeasible");
    expect(r.assignment).toHaveLength(4);
    expect(r.infeasibility[0]).toMatchObject({ code: "account-exceeds-band", point: "p0" });
    expect(r.infeasibility[0].message).toBe('Account "p0" alone has m0 100, more than any territory may hold (54.08)');
  });

  it("locks that overload a territory", () => {
    const p = fixedProblem(
      [
        [0, 0, 1],
        [1, 0, 1],
        [5, 0, 1],
        [6, 0, 1],
      ],
      [
        [0, 0],
        [6, 0],
      ],
      { tolerance: 0 },
    );
    p.points[2].lock = 0;
    p.points[3].lock = 0;
    p.points[0].lock = 0;
    const r = solve(p);
    expect(r.feasible).toBe(false);
    expect(r.infeasibility.map((x) => x.code)).toContain("locks-overload");
    expect(r.infeasibility.find((x) => x.code === "locks-overload")!.message).toBe(
      "Accounts locked to territory 0 already total 3 of m0, above its upper limit 2",
    );
  });

  it("capacity below total demand", () => {
    const p = fixedProblem(
      [
        [0, 0, 1],
        [1, 0, 1],
        [5, 0, 1],
        [6, 0, 1],
      ],
      [
        [0, 0],
        [6, 0],
      ],
      { tolerance: null },
    );
    p.capacities = [[1], [2]];
    const r = solve(p);
    expect(r.feasible).toBe(false);
    expect(r.infeasibility[0]).toMatchObject({
      code: "capacity-below-demand",
      message: "Total capacity for m0 (3) is below the total demand (4)",
    });
  });

  it("a graph with more parts than territories cannot be contiguous", () => {
    const p = pointsProblem(
      [
        [0, 0],
        [1, 0],
        [5, 0],
        [6, 0],
      ],
      1,
      {
        edges: [
          [0, 1],
          [2, 3],
        ],
        contiguous: true,
      },
    );
    expect(diagnose(compileProblem(p))[0].code).toBe("disconnected-graph");
    const r = solve(p, { timeLimitMs: 200 });
    expect(r.feasible).toBe(false);
  });
});

describe("centres among the points", () => {
  it("finds the p-median of two clusters", () => {
    const p = pointsProblem(
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [10, 10],
        [11, 10],
        [10, 11],
      ],
      2,
    );
    const r = solve(p, { timeLimitMs: 300 });
    expect(r.objective).toBe(4);
    expect([...r.centers!].sort((a, b) => a - b)).toEqual([0, 3]);
    expect(validateResult(p, r).valid).toBe(true);
  });

  it("respects centre capacities", () => {
    const p = pointsProblem(
      [
        [0, 0, 1],
        [1, 0, 1],
        [2, 0, 1],
        [3, 0, 1],
        [20, 0, 1],
        [21, 0, 1],
      ],
      2,
    );
    p.points.forEach((pt) => (pt.cap = [3]));
    const r = solve(p, { timeLimitMs: 300 });
    expect(r.feasible).toBe(true);
    expect(r.totals.map((t) => t[0]).sort()).toEqual([3, 3]);
    expect(validateResult(p, r).valid).toBe(true);
  });

  it("keeps territories connected on the given graph", () => {
    // a path 0-1-2-3-4-5 where 0 and 5 are close in the plane but not adjacent
    const pts = [
      [0, 0],
      [0, 5],
      [5, 5],
      [10, 5],
      [10, 0],
      [1, 0],
    ];
    const edges: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ];
    const p = pointsProblem(pts, 2, { edges, contiguous: true, balance: [{ measure: "demand", tolerance: 0 }] });
    const r = solve(p, { timeLimitMs: 300 });
    expect(r.feasible).toBe(true);
    expect(validateResult(p, r).valid).toBe(true);
    const free = solve({ ...p, contiguous: false }, { timeLimitMs: 300 });
    expect(validateResult({ ...p, contiguous: true }, free).valid || free.objective <= r.objective).toBe(true);
  });
});
