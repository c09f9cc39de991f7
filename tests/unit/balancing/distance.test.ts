import { distanceFn, euclidean, euclideanFloor, haversineKm, delaunayEdges } from "../../../TerritoryMapControl/domain/balancing";

describe("distances", () => {
  it("euclidean, floored euclidean and haversine through one code path", () => {
    expect(euclidean(0, 0, 3, 4)).toBe(5);
    expect(euclideanFloor(0, 0, 2, 5)).toBe(5); // √29 = 5.385
    expect(distanceFn("euclidean-floor")(0, 0, 2, 5)).toBe(5);
    expect(haversineKm(0, 0, 0, 1)).toBeCloseTo(111.1951, 3);
    expect(distanceFn("haversine-km")(-0.1278, 51.5074, 2.3522, 48.8566)).toBeCloseTo(343.56, 0);
  });
  it("rejects an unknown distance", () => {
    expect(() => distanceFn("manhattan" as never)).toThrow('Unknown distance "manhattan"');
  });
});

describe("delaunayEdges", () => {
  it("triangulates a 3×3 grid into a connected planar graph", () => {
    const xs = new Float64Array([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const ys = new Float64Array([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const e = delaunayEdges(
      xs.map((v, i) => v + i * 1e-7),
      ys,
    );
    const pairs = new Set<string>();
    for (let q = 0; q < e.length; q += 2) pairs.add(`${Math.min(e[q], e[q + 1])}-${Math.max(e[q], e[q + 1])}`);
    // every grid neighbour pair is an edge
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [3, 4],
      [4, 5],
      [6, 7],
      [7, 8],
      [0, 3],
      [3, 6],
      [1, 4],
      [4, 7],
      [2, 5],
      [5, 8],
    ]) {
      expect(pairs.has(`${a}-${b}`)).toBe(true);
    }
    expect(pairs.size).toBeGreaterThanOrEqual(12);
    expect(pairs.size).toBeLessThanOrEqual(16);
  });
});
