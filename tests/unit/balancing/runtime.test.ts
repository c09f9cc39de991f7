import {
  syntheticNationalBase,
  solve,
  repLeaves,
  newRep,
  capacityChange,
  validateResult,
} from "../../../TerritoryMapControl/domain/balancing";

describe("runtime changes (warm-started, minimal disruption)", () => {
  const prob = syntheticNationalBase({ n: 6000, k: 8, seed: 11 });
  const plan = solve(prob, { seed: 1 });

  it("the synthetic base generator is deterministic", () => {
    const again = syntheticNationalBase({ n: 6000, k: 8, seed: 11 });
    expect(again.points[123]).toEqual(prob.points[123]);
    expect(again.fixedCenters).toEqual(prob.fixedCenters);
  });

  it("balances the base", () => {
    expect(plan.feasible).toBe(true);
    const v = validateResult(prob, plan);
    expect(v.valid).toBe(true);
    expect(v.maxDeviation.every((d) => d <= 0.05 + 1e-9)).toBe(true);
    expect(plan.objective).toBeLessThanOrEqual(plan.lowerBound! * 1.03);
  });

  it("a rep leaves: their accounts are redistributed, few others move", () => {
    const departed = plan.assignment.filter((t) => t === 3).length;
    const ch = repLeaves(prob, plan, 3, { seed: 1 });
    expect(ch.problem.territories).toBe(7);
    expect(ch.reassigned).toBe(departed);
    expect(ch.result.feasible).toBe(true);
    expect(validateResult(ch.problem, ch.result).valid).toBe(true);
    expect(ch.movedOther).toBeLessThanOrEqual(departed);
    expect(ch.result.moved).toBe(ch.movedOther);
  });

  it("a new rep: a territory is carved around the home base", () => {
    const ch = newRep(prob, plan, { x: -95, y: 37 }, { seed: 1 });
    expect(ch.problem.territories).toBe(9);
    expect(ch.result.feasible).toBe(true);
    expect(ch.result.assignment.filter((t) => t === 8).length).toBeGreaterThan(0);
    expect(validateResult(ch.problem, ch.result).valid).toBe(true);
  });

  it("a capacity change is honoured", () => {
    const mean = plan.totals.reduce((s, t) => s + t[0], 0) / 8;
    const caps = Array.from({ length: 8 }, (_, t) => (t === 0 ? [mean * 0.97, null] : [null, null]));
    const ch = capacityChange(prob, plan, caps, { seed: 1 });
    expect(ch.result.feasible).toBe(true);
    expect(ch.result.totals[0][0]).toBeLessThanOrEqual(mean * 0.97 + 1e-6);
    expect(validateResult(ch.problem, ch.result).valid).toBe(true);
  });
});
