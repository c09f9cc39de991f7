import { parseInstance, solve, ProblemError, parseResult } from "../../../TerritoryMapControl/domain/balancing";
import { fixedProblem, pointsProblem } from "./helpers";

const base = () =>
  fixedProblem(
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
  );

describe("bad input gives a clear error", () => {
  const cases: [string, (p: ReturnType<typeof base>) => void, string][] = [
    ["NaN weight", (p) => (p.points[1].w[0] = NaN), 'Point "p1" has a non-numeric weight for "m0"'],
    ["negative weight", (p) => (p.points[2].w[0] = -3), 'Point "p2" has a negative weight for "m0" (-3)'],
    [
      "missing coordinates",
      (p) => delete (p.points[0] as { x?: number }).x,
      'Point "p0" (points[0]) has missing or non-numeric coordinates',
    ],
    ["duplicate ids", (p) => (p.points[3].id = "p0"), 'Duplicate point id "p0" (points[3])'],
    ["k = 0", (p) => (p.territories = 0), '"territories" must be a positive integer (got 0)'],
    [
      "k > n",
      (p) => {
        p.territories = 5;
        p.fixedCenters = Array(5).fill({ x: 0, y: 0 });
      },
      '"territories" (5) is larger than the number of points (4)',
    ],
    ["unknown measure", (p) => (p.balance = [{ measure: "revenue", tolerance: 0.05 }]), 'Balance rule names unknown measure "revenue"'],
    ["lock out of range", (p) => (p.points[0].lock = 7), 'Point "p0" is locked to territory 7, which does not exist (0..1)'],
    ["wrong weight count", (p) => (p.points[0].w = [1, 2]), 'Point "p0" must have "w" with 1 weight(s), one per measure'],
    ["centres count", (p) => (p.fixedCenters = [{ x: 0, y: 0 }]), '"fixedCenters" must list exactly 2 centres'],
    ["current length", (p) => (p.current = [0]), '"current" must have one entry per point (4)'],
  ];
  it.each(cases)("%s", (_name, mutate, message) => {
    const p = base();
    mutate(p);
    expect(() => solve(p)).toThrow(ProblemError);
    expect(() => solve(p)).toThrow(message);
  });

  it("parseInstance checks the format tag and JSON", () => {
    expect(() => parseInstance("{oops")).toThrow("Instance is not valid JSON");
    expect(() => parseInstance({ ...base(), format: "territory-instance/9" })).toThrow(
      'Unsupported instance format "territory-instance/9"',
    );
    const { points: _p, ...noPoints } = base();
    expect(() => parseInstance(noPoints)).toThrow('Instance is missing "points"');
    expect(parseInstance(JSON.stringify(base())).territories).toBe(2);
  });

  it("parseResult checks the format tag", () => {
    expect(() => parseResult({ format: "x", assignment: [] })).toThrow('Unsupported result format "x"');
    expect(parseResult({ format: "territory-result/1", assignment: [0], centers: null }).assignment).toEqual([0]);
  });

  it("geographic coordinates out of range are rejected", () => {
    const p = pointsProblem(
      [
        [0, 0],
        [200, 10],
      ],
      1,
      { distance: "haversine-km", space: "geographic" },
    );
    expect(() => solve(p)).toThrow("outside longitude");
  });
});

describe("numbers whose sums or products overflow are rejected", () => {
  it("weights that add up to more than the largest number", () => {
    const p = base();
    p.points.forEach((pt) => (pt.w = [1e308]));
    expect(() => solve(p)).toThrow(ProblemError);
    expect(() => solve(p)).toThrow('The weights of "m0" add up to more than the largest number');
    expect(() => parseInstance(JSON.stringify(p))).toThrow('The weights of "m0"');
  });

  it("coordinates whose distances overflow", () => {
    const p = base();
    p.points[0].x = 1e308;
    p.points[1].x = -1e308;
    expect(() => solve(p)).toThrow(ProblemError);
    expect(() => solve(p)).toThrow("The coordinates span x");
    const q = base();
    q.fixedCenters![0] = { x: 1e200, y: 0 };
    expect(() => solve(q)).toThrow("use smaller units");
  });

  it("a move cost whose sum over the points overflows", () => {
    const p = base();
    p.current = [0, 0, 1, 1];
    p.moveCost = 1e308;
    expect(() => solve(p)).toThrow('"moveCost" (1e+308) is too large');
  });

  it("large but safe numbers are accepted and give finite figures", () => {
    const p = base();
    p.points.forEach((pt) => (pt.w = [1e300]));
    const r = solve(p, { timeLimitMs: 1000 });
    expect(r.feasible).toBe(true);
    expect(r.maxDeviation.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(r.objective)).toBe(true);
  });
});
