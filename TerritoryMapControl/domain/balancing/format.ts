/**
 * territory-instance/1 and territory-result/1 JSON: parsing with clear error messages, and writing.
 */
import { compileProblem, ProblemError } from "./model";
import type { BalanceResult, TerritoryProblem } from "./types";

export function parseInstance(input: string | unknown): TerritoryProblem {
  let obj: unknown = input;
  if (typeof input === "string") {
    try {
      obj = JSON.parse(input);
    } catch (e) {
      throw new ProblemError(`Instance is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new ProblemError("Instance must be a JSON object");
  const o = obj as Record<string, unknown>;
  if (o.format !== undefined && o.format !== "territory-instance/1") {
    throw new ProblemError(`Unsupported instance format ${JSON.stringify(o.format)}: expected "territory-instance/1"`);
  }
  for (const key of ["distance", "territories", "centers", "measures", "points"] as const) {
    if (o[key] === undefined) throw new ProblemError(`Instance is missing "${key}"`);
  }
  if (o.objective !== undefined && o.objective !== "sum-distance-to-center") {
    throw new ProblemError(`Unsupported objective ${JSON.stringify(o.objective)}: expected "sum-distance-to-center"`);
  }
  const p = o as unknown as TerritoryProblem;
  compileProblem(p); // throws ProblemError with a clear message on bad content
  return p;
}

export interface ResultFile {
  format: "territory-result/1";
  instance: string;
  assignment: number[];
  centers: number[] | null;
  objective: number;
  lowerBound: number | null;
  timeMs: number;
  [extra: string]: unknown;
}

export function parseResult(input: string | unknown): ResultFile {
  let obj: unknown = input;
  if (typeof input === "string") {
    try {
      obj = JSON.parse(input);
    } catch (e) {
      throw new ProblemError(`Result is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (obj === null || typeof obj !== "object") throw new ProblemError("Result must be a JSON object");
  const o = obj as Record<string, unknown>;
  if (o.format !== "territory-result/1")
    throw new ProblemError(`Unsupported result format ${JSON.stringify(o.format)}: expected "territory-result/1"`);
  if (!Array.isArray(o.assignment)) throw new ProblemError('Result is missing "assignment"');
  if (o.centers !== undefined && o.centers !== null && !Array.isArray(o.centers))
    throw new ProblemError('"centers" must be an array or null');
  return o as unknown as ResultFile;
}

/** The territory-result/1 object for a result (spec fields first, then the engine's extra figures). */
export function toResultFile(r: BalanceResult): ResultFile {
  return {
    format: "territory-result/1",
    instance: r.instance,
    assignment: r.assignment,
    centers: r.centers,
    objective: r.objective,
    lowerBound: r.lowerBound,
    timeMs: r.timeMs,
    feasible: r.feasible,
    status: r.status,
    infeasibility: r.infeasibility,
    distanceCost: r.distanceCost,
    moveCostTotal: r.moveCostTotal,
    moved: r.moved,
    totals: r.totals,
    maxDeviation: r.maxDeviation,
  };
}
