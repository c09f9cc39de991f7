/**
 * Balancing engine — public API.
 *
 * Objective: assign accounts to k territories minimising Σ distance to the territory centre
 * (+ moveCost × moved accounts) under balance bands, capacities, locks and optional contiguity.
 * Pure TypeScript (no DOM, React, map SDK, PCF or node: imports): runs in the control's Web Worker,
 * in plugins/ and in scripts/.
 */
export * from "./types";
export { solve, autoTimeLimitMs } from "./solve";
export { repLeaves, newRep, capacityChange, defaultMoveCost, type ChangeOutcome } from "./runtime";
export { validateResult, type ValidationReport } from "./validate";
export { parseInstance, parseResult, toResultFile, type ResultFile } from "./format";
export { ProblemError, compileProblem } from "./model";
export { diagnose } from "./diagnostics";
export { distanceFn, euclidean, euclideanFloor, haversineKm, type DistanceFn } from "./distance";
export { delaunayEdges } from "./delaunay";
export { syntheticNationalBase, DEFAULT_SYNTHETIC, type SyntheticOptions } from "./synthetic";
export { Rng } from "./rng";
