/** Messages between BalancerClient and balancer.worker (structured-clone friendly). */
import type { BalanceResult, ProgressInfo, SolveOptions, TerritoryProblem } from '../../domain/balancing';

export type WorkerSolveOptions = Partial<Omit<SolveOptions, 'onProgress' | 'isCancelled'>>;

export type ToWorker =
  | { type: 'solve'; id: number; problem: TerritoryProblem; options: WorkerSolveOptions }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; progress: ProgressInfo }
  | { type: 'result'; id: number; result: BalanceResult }
  | { type: 'error'; id: number; message: string; name: string };
