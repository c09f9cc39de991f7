import { thinRing, usStates } from "../../../TerritoryMapControl/adapters/map/basemap";

describe("offline basemap", () => {
  it("thins a ring but keeps it closed and at least 4 points long", () => {
    const ring = [
      [0, 0],
      [0.001, 0],
      [1, 0],
      [1, 0.001],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    expect(thinRing(ring, 0.01)).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    const tiny = [
      [0, 0],
      [0.001, 0],
      [0.001, 0.001],
      [0, 0],
    ];
    expect(thinRing(tiny, 0.01)).toBe(tiny);
  });

  it("converts the us-atlas states to GeoJSON polygons with fewer vertices", () => {
    const states = usStates();
    expect(states.features).toHaveLength(56);
    let vertices = 0;
    for (const f of states.features) {
      const g = f.geometry;
      const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      for (const p of polygons) for (const r of p) vertices += r.length;
    }
    expect(vertices).toBeGreaterThan(8000);
    expect(vertices).toBeLessThan(12000);
    expect(usStates()).toBe(states);
  });
});
