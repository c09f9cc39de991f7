import * as path from "node:path";
import type { TerritoryProblem } from "../../../TerritoryMapControl/domain/balancing";

/** A fixed-centre problem from [x, y, ...weights] tuples and home bases. */
export function fixedProblem(
  pts: number[][],
  centres: [number, number][],
  opts: { measures?: string[]; tolerance?: number | null; distance?: TerritoryProblem["distance"] } = {},
): TerritoryProblem {
  const M = pts[0].length - 2;
  const measures = opts.measures ?? Array.from({ length: M }, (_, m) => `m${m}`);
  return {
    format: "territory-instance/1",
    name: "test",
    distance: opts.distance ?? "euclidean",
    territories: centres.length,
    centers: "fixed",
    fixedCenters: centres.map(([x, y]) => ({ x, y })),
    measures,
    points: pts.map((p, i) => ({ id: `p${i}`, x: p[0], y: p[1], w: p.slice(2) })),
    balance: opts.tolerance === null ? [] : measures.map((m) => ({ measure: m, tolerance: opts.tolerance ?? 0.1 })),
  };
}

/** A centres-among-points problem. */
export function pointsProblem(pts: number[][], k: number, extra: Partial<TerritoryProblem> = {}): TerritoryProblem {
  return {
    format: "territory-instance/1",
    name: "test-points",
    distance: "euclidean",
    territories: k,
    centers: "points",
    measures: ["demand"],
    points: pts.map((p, i) => ({ id: String(i), x: p[0], y: p[1], w: [p[2] ?? 1] })),
    ...extra,
  };
}

/** The published benchmark instances (tests/fixtures/benchmarks, with their sources and terms). */
export const INSTANCES = path.resolve(__dirname, "../../fixtures/benchmarks/instances");
