import {
  syntheticNationalBase,
  solve,
  repLeaves,
  capacityChange,
  validateResult,
  type ProgressInfo,
} from "../../../TerritoryMapControl/domain/balancing";
import { MOVE_COST_FACTOR } from "../../../TerritoryMapControl/domain/defaults";
import { fixedProblem } from "./helpers";

/** Accounts of weight 1 spread ±0.3 around each home base on a line (x = 0, 10, 20, ...). */
function line(territories: number, perTerritory: number) {
  const pts: number[][] = [];
  const centres: [number, number][] = [];
  for (let t = 0; t < territories; t++) {
    centres.push([10 * t, 0]);
    for (let a = 0; a < perTerritory; a++) pts.push([10 * t - 0.3 + (0.6 * a) / Math.max(1, perTerritory - 1), 0, 1]);
  }
  return fixedProblem(pts, centres, { tolerance: 0 });
}

describe("rep leaves: incremental re-solve with minimal disruption", () => {
  it("gives the departed rep's accounts to the others without moving anyone else when that is possible", () => {
    // 4 territories × 6 accounts, exact balance: after territory 0 leaves each of the 3 others needs 8.
    // Sending 2 of the departed accounts to each costs no move; moving any other account costs 100.
    const prob = line(4, 6);
    const plan = solve(prob, { seed: 1 });
    expect(plan.feasible).toBe(true);
    const ch = repLeaves(prob, plan, 0, { seed: 1, moveCost: 100 });
    expect(ch.result.feasible).toBe(true);
    expect(ch.reassigned).toBe(6);
    expect(ch.movedOther).toBe(0);
    expect(ch.result.totals.map((t) => t[0])).toEqual([8, 8, 8]);
    expect(validateResult(ch.problem, ch.result).valid).toBe(true);
  });

  it("sends the departed rep's accounts beyond the nearest dozen territories rather than moving others", () => {
    // 15 territories on a line, 14 accounts each, exact balance: when territory 0 leaves, each of the 14 others
    // needs exactly one of its accounts, including territories 13 and 14, which are not among the 12 nearest
    // centres of any departed account. Reaching them directly moves no one; otherwise accounts are passed
    // along the line at 1000 per move.
    const prob = line(15, 14);
    const plan = solve(prob, { seed: 1 });
    expect(plan.feasible).toBe(true);
    const ch = repLeaves(prob, plan, 0, { seed: 1, moveCost: 1000 });
    expect(ch.result.feasible).toBe(true);
    expect(ch.reassigned).toBe(14);
    expect(ch.result.totals.every((t) => t[0] === 15)).toBe(true);
    expect(ch.movedOther).toBe(0);
  });

  it("moves exactly as many other accounts as the balance needs", () => {
    // territory 0 holds one account of weight 6, territories 1 and 2 six accounts of weight 1 each
    // (exact balance, 6 each). When territory 0 leaves, each of the two others must hold 9: whoever
    // takes the heavy account must hand exactly 3 of its own accounts to the other. No plan moves fewer.
    const pts: number[][] = [[0, 0, 6]];
    for (const c of [10, 20]) for (let a = 0; a < 6; a++) pts.push([c - 0.3 + 0.12 * a, 0, 1]);
    const prob = fixedProblem(
      pts,
      [
        [0, 0],
        [10, 0],
        [20, 0],
      ],
      { tolerance: 0 },
    );
    const plan = solve(prob, { seed: 1 });
    expect(plan.feasible).toBe(true);
    const ch = repLeaves(prob, plan, 0, { seed: 1, moveCost: 100 });
    expect(ch.result.feasible).toBe(true);
    expect(ch.result.totals.map((t) => t[0])).toEqual([9, 9]);
    expect(ch.reassigned).toBe(1);
    expect(ch.movedOther).toBe(3);
    expect(validateResult(ch.problem, ch.result).valid).toBe(true);
  });

  describe("on a 25,000-account base (the incremental path proper)", () => {
    const prob = syntheticNationalBase({ n: 25_000, k: 25, seed: 5 });
    const plan = solve(prob, { seed: 1 });
    const leaving = 3;
    const departed = plan.assignment.filter((t) => t === leaving).length;
    const progress: ProgressInfo[] = [];
    const ch = repLeaves(prob, plan, leaving, { seed: 1, onProgress: (p) => progress.push(p) });

    it("stays within ±5 % and valid by the validator", () => {
      expect(plan.feasible).toBe(true);
      const v = validateResult(ch.problem, ch.result);
      expect(v.valid).toBe(true);
      expect(v.maxDeviation.every((d) => d <= 0.05 + 1e-9)).toBe(true);
      expect(ch.reassigned).toBe(departed);
      expect(ch.result.moved).toBe(ch.movedOther);
    });

    it("moves at most half as many other accounts as the departed rep had", () => {
      expect(ch.movedOther).toBeLessThanOrEqual(0.5 * departed);
    });

    it("costs no more than 2 % above a full re-solve of the same problem (at the default move cost and at 2 × the mean distance), and reports a valid bound", () => {
      const full = solve(ch.problem, { seed: 1 });
      expect(full.feasible).toBe(true);
      expect(ch.result.objective).toBeLessThanOrEqual(full.objective * 1.02);
      expect(ch.result.lowerBound).not.toBeNull();
      expect(ch.result.lowerBound!).toBeLessThanOrEqual(ch.result.objective);
      expect(ch.result.lowerBound!).toBeLessThanOrEqual(full.objective);
      const mean = ch.problem.moveCost! / MOVE_COST_FACTOR;
      const two = repLeaves(prob, plan, leaving, { seed: 1, moveCost: 2 * mean });
      const fullTwo = solve(two.problem, { seed: 1 });
      expect(two.result.feasible).toBe(true);
      expect(fullTwo.feasible).toBe(true);
      expect(two.result.objective).toBeLessThanOrEqual(fullTwo.objective * 1.02);
    });

    it("the default move cost moves fewer accounts than a lower one", () => {
      const mean = ch.problem.moveCost! / MOVE_COST_FACTOR;
      const two = repLeaves(prob, plan, leaving, { seed: 1, moveCost: 2 * mean });
      expect(ch.movedOther).toBeLessThan(two.movedOther);
    });

    it("is deterministic for a seed and reports progress", () => {
      const again = repLeaves(prob, plan, leaving, { seed: 1 });
      expect(again.result.assignment).toEqual(ch.result.assignment);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress[progress.length - 1]).toMatchObject({ phase: "done", fraction: 1 });
    });

    it("stops when cancelled and still returns a complete plan", () => {
      const out = repLeaves(prob, plan, leaving, { seed: 1, isCancelled: () => true });
      expect(out.result.status).toBe("cancelled");
      expect(out.result.assignment).toHaveLength(prob.points.length);
      expect(out.result.assignment.every((t) => t >= 0 && t < 24)).toBe(true);
    });

    it("an edge rep leaving is absorbed by a widening active set, not a full re-solve with many moves", () => {
      // the rep furthest east: its territory has neighbours on one side only, so the change must be
      // passed on through several territories without falling back to a full re-solve
      const xs = prob.fixedCenters!.map((c) => c.x);
      const edge = xs.indexOf(Math.max(...xs));
      const own = plan.assignment.filter((t) => t === edge).length;
      const phases: string[] = [];
      const out = repLeaves(prob, plan, edge, { seed: 1, onProgress: (p) => phases.push(p.phase) });
      expect(phases).not.toContain("full-resolve");
      expect(phases.some((p) => p.startsWith("stage-"))).toBe(true);
      expect(validateResult(out.problem, out.result).valid).toBe(true);
      expect(out.reassigned).toBe(own);
      expect(out.movedOther).toBeLessThanOrEqual(0.8 * own);
    });

    it("a capacity change moves few accounts and is honoured", () => {
      const mean = plan.totals.reduce((s, t) => s + t[0], 0) / 25;
      const caps = Array.from({ length: 25 }, (_, t) => (t === 0 ? [mean * 0.97, null] : [null, null]));
      const cc = capacityChange(prob, plan, caps, { seed: 1 });
      expect(cc.result.feasible).toBe(true);
      expect(cc.result.totals[0][0]).toBeLessThanOrEqual(mean * 0.97 + 1e-6);
      expect(validateResult(cc.problem, cc.result).valid).toBe(true);
      const own = plan.assignment.filter((t) => t === 0).length;
      expect(cc.movedOther).toBeLessThanOrEqual(0.2 * own);
    });
  });
});
