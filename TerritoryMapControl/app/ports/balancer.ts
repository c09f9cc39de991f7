/**
 * The balancing engine as the planning layer uses it: solve and the runtime changes (rep leaves, new rep, capacity
 * change) with progress and cancel. In the product it runs in a Web Worker (adapters/worker), in tests in-process.
 */
import type { BalanceResult, ProgressInfo, SolveOptions, TerritoryProblem } from "../../domain/balancing";
import type { ColumnarProblem } from "../../domain/design/columnar";

/** Engine options that travel to the worker (no callbacks). */
export type WorkerSolveOptions = Partial<Omit<SolveOptions, "onProgress" | "isCancelled" | "warmPrices">> & {
  warmPrices?: number[] | null;
};

/** Runtime-change options: the engine's, plus the cost of moving an account. */
export type RuntimeOptions = WorkerSolveOptions & { moveCost?: number };

/** The previous plan a runtime change starts from (the engine's `Pick<BalanceResult, 'assignment' | 'centers' | 'prices'>`). */
export interface WirePlan {
  assignment: Int32Array | number[];
  centers: number[] | null;
  prices?: number[];
}

export interface BalancerRunOptions {
  onProgress?: (p: ProgressInfo) => void;
  signal?: AbortSignal;
}

export interface BalancerSolveOptions extends WorkerSolveOptions, BalancerRunOptions {}
export interface BalancerRuntimeOptions extends RuntimeOptions, BalancerRunOptions {}

/** The plan a runtime change starts from (a previous result, or today's assignment with centres null). */
export type PreviousPlan = WirePlan;

/** A runtime change's outcome (the new problem stays in the worker; its territory count is reported). */
export interface RuntimeOutcome {
  result: BalanceResult;
  /** Accounts whose territory changed, excluding those that had no owner. */
  movedOther: number;
  /** Accounts that had no owner and received one. */
  reassigned: number;
  /** Territories in the new plan. */
  territories: number;
}

/** A problem as objects or as columns. */
export type AnyProblem = TerritoryProblem | ColumnarProblem;

export interface BalancerClient {
  solve(problem: AnyProblem, options?: BalancerSolveOptions): Promise<BalanceResult>;
  /** Territory `leaving` is removed; its accounts are redistributed with the fewest moves. */
  repLeaves(problem: AnyProblem, plan: PreviousPlan, leaving: number, options?: BalancerRuntimeOptions): Promise<RuntimeOutcome>;
  /** A new territory (appended last) is carved around `home` from its neighbours. */
  newRep(
    problem: AnyProblem,
    plan: PreviousPlan,
    home: { x: number; y: number; id?: string },
    options?: BalancerRuntimeOptions & { capacity?: (number | null)[] },
  ): Promise<RuntimeOutcome>;
  /** Capacities (per territory, per measure; null = none) change; re-solved with minimal disruption. */
  capacityChange(
    problem: AnyProblem,
    plan: PreviousPlan,
    capacities: (number | null)[][],
    options?: BalancerRuntimeOptions,
  ): Promise<RuntimeOutcome>;
  dispose(): void;
}
