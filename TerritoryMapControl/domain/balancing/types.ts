/**
 * Balancing engine — public types.
 *
 * Objective: assign every account to one of k territories so that the sum of distances from each
 * account to its territory's centre (plus `moveCost` for every account whose territory differs from
 * `current`) is minimal, subject to balance bands per measure, capacities, locks and, optionally,
 * contiguity on an adjacency graph.
 *
 * The problem shape is the territory-instance/1 JSON format (docs/formats.md) plus a few
 * optional extensions (`lock`, `capacities`, `balance[].min/max`) so that one parse path serves the
 * CLI, the Web Worker and the plugins.
 */

export type DistanceKind = "euclidean" | "euclidean-floor" | "haversine-km";

export interface ProblemPoint {
  /** Unique account id. */
  id: string;
  /** x (planar) or longitude in degrees (geographic). */
  x: number;
  /** y (planar) or latitude in degrees (geographic). */
  y: number;
  /** One weight per measure, in the order of `TerritoryProblem.measures`; finite and ≥ 0. */
  w: number[];
  /** Capacity per measure when this point is chosen as a centre ("centers": "points"); optional. */
  cap?: number[];
  /** Extension: territory index this account is locked to (it may not move). */
  lock?: number;
}

export interface BalanceRule {
  /** Measure name (one of `measures`). */
  measure: string;
  /** Every territory total within (1 ± tolerance) × (grand total / k). */
  tolerance?: number;
  /** Extension: absolute lower bound per territory (used instead of / together with tolerance). */
  min?: number;
  /** Extension: absolute upper bound per territory. */
  max?: number;
}

export interface TerritoryProblem {
  format?: "territory-instance/1";
  name?: string;
  space?: "planar" | "geographic";
  distance: DistanceKind;
  /** k, the number of territories. */
  territories: number;
  /** "fixed": centres are `fixedCenters` (reps' home bases); "points": each centre is one of its points. */
  centers: "fixed" | "points";
  fixedCenters?: { x: number; y: number; id?: string }[];
  measures: string[];
  points: ProblemPoint[];
  balance?: BalanceRule[];
  /** Extension: upper capacity per territory and measure (null = none), for fixed centres. */
  capacities?: (number | null)[][];
  /** Adjacency between point indexes; when absent and `contiguous`, a Delaunay graph is built. */
  edges?: [number, number][];
  contiguous?: boolean;
  /** Today's territory of each point, -1 = no owner. */
  current?: number[];
  /** Cost added per point whose territory differs from `current` (where current ≥ 0). */
  moveCost?: number;
  objective?: string;
  reference?: { value: number; kind?: string; source?: string } | null;
}

export interface InfeasibilityReason {
  /** Machine-readable code. */
  code:
    | "account-exceeds-band"
    | "locks-overload"
    | "locks-underload"
    | "capacity-below-demand"
    | "band-empty"
    | "disconnected-graph"
    | "not-met";
  /** Plain-language explanation. */
  message: string;
  territory?: number;
  measure?: string;
  point?: string;
}

export interface ProgressInfo {
  phase: string;
  /** 0..1 */
  fraction: number;
  bestObjective?: number;
  lowerBound?: number | null;
}

export interface SolveOptions {
  /** Seed of the deterministic PRNG (same seed + same input + no time-limit hit ⇒ same plan). */
  seed: number;
  /** Wall-clock budget in ms; null = automatic (grows with n). */
  timeLimitMs: number | null;
  /** Number of nearest candidate centres per account for fixed-centre problems. */
  candidates: number;
  /** Iterations of the smoothed-dual ascent (fixed centres). */
  dualIterations: number;
  /** Sweeps of exact coordinate ascent on the hard dual after the smoothed phase (fixed centres). */
  polishSweeps: number;
  /**
   * Centres among points: number of multi-start rounds (null = as many as the time limit allows).
   * With a number, the plan no longer depends on machine speed (deterministic for a given seed).
   */
  maxRestarts: number | null;
  /** Up to this n, centres-among-points problems use the dense exact-distance local search. */
  denseLimit: number;
  /** Called now and then with progress. */
  onProgress?: (p: ProgressInfo) => void;
  /** Returns true when the caller wants to stop; the best plan so far is returned. */
  isCancelled?: () => boolean;
  /**
   * Warm start: prices (k × M, territory-major) from a previous solve (fixed centres), in original units
   * (distance per unit of the measure), as `BalanceResult.prices` reports them.
   */
  warmPrices?: Float64Array | number[] | null;
}

export const DEFAULT_OPTIONS: SolveOptions = {
  seed: 1,
  timeLimitMs: null,
  candidates: 12,
  dualIterations: 150,
  polishSweeps: 2,
  maxRestarts: null,
  denseLimit: 2500,
};

export interface BalanceResult {
  format: "territory-result/1";
  instance: string;
  /** Territory index of each point, in the order of `points`. */
  assignment: number[];
  /** "points": point index of each territory's centre; "fixed": null. */
  centers: number[] | null;
  /** Sum of distances + move cost. */
  objective: number;
  /** Sum of distances only. */
  distanceCost: number;
  /** moveCost × moved. */
  moveCostTotal: number;
  /** Points whose territory differs from `current` (current ≥ 0). */
  moved: number;
  /** A proven lower bound on the objective, or null. */
  lowerBound: number | null;
  timeMs: number;
  /** Per territory, per measure totals. */
  totals: number[][];
  /** Per measure: max |total − mean| / mean over territories. */
  maxDeviation: number[];
  /** True when every constraint holds. */
  feasible: boolean;
  status: "feasible" | "infeasible" | "cancelled";
  /** Why constraints could not all be met (empty when feasible). */
  infeasibility: InfeasibilityReason[];
  /**
   * Final Lagrangian prices of the band rows (k × M, territory-major), fixed centres only, in original
   * units: distance per unit of the measure (positive = the territory repels, negative = attracts).
   */
  prices?: number[];
}
