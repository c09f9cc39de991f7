import { createPrng, cumulativeSampler } from "../../../local/seed/prng";

describe("createPrng", () => {
  it("repeats the same stream for the same seed and differs for another", () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it("draws uniform values in [0, 1) with a mean near 0.5", () => {
    const rng = createPrng(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / 100000).toBeCloseTo(0.5, 2);
  });

  it("draws integers within inclusive bounds, hitting both ends", () => {
    const rng = createPrng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it("draws normal, lognormal and Pareto values with the expected shape", () => {
    const rng = createPrng(3);
    const n = 50000;
    const normals = Array.from({ length: n }, () => rng.normal(10, 2));
    const mean = normals.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const logs = Array.from({ length: n }, () => rng.lognormal(Math.log(100), 1)).sort((x, y) => x - y);
    expect(logs[n / 2]).toBeGreaterThan(95);
    expect(logs[n / 2]).toBeLessThan(105);
    const paretos = Array.from({ length: n }, () => rng.pareto(5, 2));
    expect(Math.min(...paretos)).toBeGreaterThanOrEqual(5);
    // P(X > 10) = (5/10)^2 = 0.25
    expect(paretos.filter((x) => x > 10).length / n).toBeCloseTo(0.25, 1);
  });

  it("makes version-4-shaped guids", () => {
    const rng = createPrng(4);
    const ids = Array.from({ length: 1000 }, () => rng.guid());
    expect(ids.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(1000);
    expect(createPrng(4).guid()).toBe(ids[0]);
  });

  it("picks by weight and never picks a zero weight", () => {
    const rng = createPrng(5);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30000; i++) counts[rng.weightedPick(["a", "b", "c"] as const, [1, 0, 3])]++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeCloseTo(3, 0);
    expect(() => rng.weightedPick(["a"], [0])).toThrow("weightedPick: no positive weight");
    expect(() => rng.pick([])).toThrow("pick: empty array");
  });

  it("shuffles into a permutation", () => {
    const rng = createPrng(6);
    const shuffled = rng.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("rejects a non-finite seed", () => {
    expect(() => createPrng(Number.POSITIVE_INFINITY)).toThrow("seed must be a finite number, got Infinity");
  });
});

describe("cumulativeSampler", () => {
  it("returns indexes in proportion to their weights", () => {
    const rng = createPrng(7);
    const pick = cumulativeSampler([1, 0, 2, 7]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100000; i++) counts[pick(rng)]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 100000).toBeCloseTo(0.1, 1);
    expect(counts[3]! / 100000).toBeCloseTo(0.7, 1);
    expect(() => cumulativeSampler([0, 0])).toThrow("cumulativeSampler: no positive weight");
  });
});
