import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseInstance, solve, validateResult } from "../../../TerritoryMapControl/domain/balancing";
import { INSTANCES } from "./helpers";

const load = (name: string) => parseInstance(readFileSync(path.join(INSTANCES, `${name}.json`), "utf8"));

describe("published benchmark instances (tests/fixtures/benchmarks)", () => {
  it.each([
    ["pmedcap1-01", 1000, 0.02],
    ["2DU60-05-1", 1500, 0.01],
    ["2DU60-05-1-contiguous", 2500, 0.05],
    ["SJC1", 3000, 0.05],
  ])("%s: valid and close to the reference", (name, ms, maxGap) => {
    const inst = load(name);
    const r = solve(inst, { seed: 1, timeLimitMs: ms });
    const v = validateResult(inst, r);
    expect(v.errors).toEqual([]);
    expect(v.objective).toBeCloseTo(r.objective, 6);
    const ref = inst.reference!.value;
    expect((v.objective - ref) / ref).toBeLessThanOrEqual(maxGap);
  });

  it("centres among points: a restart budget makes the plan deterministic for a seed", () => {
    const inst = load("pmedcap1-02");
    const a = solve(inst, { seed: 5, maxRestarts: 2, timeLimitMs: 60000 });
    const b = solve(inst, { seed: 5, maxRestarts: 2, timeLimitMs: 60000 });
    expect(a.assignment).toEqual(b.assignment);
    expect(a.centers).toEqual(b.centers);
    expect(validateResult(inst, a).valid).toBe(true);
  });
});
