/**
 * BalancerClient: how the control (and tests) run the balancing engine.
 * - createWorkerBalancerClient(source): runs it in a Web Worker started from a Blob URL built from the
 *   bundled worker source string (PCF ships a single bundle, so the worker is a string module generated
 *   by scripts/build-worker.mjs into TerritoryMapControl/generated/balancerWorkerSource.ts).
 * - createInProcessBalancerClient(): runs it in the calling thread (tests, Node, plugins).
 * Abort via AbortSignal: the worker is terminated and the promise rejects with an AbortError.
 */
import { solve, type BalanceResult, type ProgressInfo, type TerritoryProblem } from '../../domain/balancing';
import type { FromWorker, ToWorker, WorkerSolveOptions } from './protocol';

export interface BalancerSolveOptions extends WorkerSolveOptions {
  onProgress?: (p: ProgressInfo) => void;
  signal?: AbortSignal;
}

export interface BalancerClient {
  solve(problem: TerritoryProblem, options?: BalancerSolveOptions): Promise<BalanceResult>;
  dispose(): void;
}

function abortError(): Error {
  const e = new Error('Balancing was cancelled');
  e.name = 'AbortError';
  return e;
}

/** Runs the engine in the calling thread (still async, so callers can share code with the worker client). */
export function createInProcessBalancerClient(): BalancerClient {
  return {
    solve(problem, options = {}) {
      const { onProgress, signal, ...rest } = options;
      return new Promise<BalanceResult>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortError());
          return;
        }
        try {
          const result = solve(problem, { ...rest, onProgress, isCancelled: () => signal?.aborted === true });
          if (signal?.aborted) reject(abortError());
          else resolve(result);
        } catch (e) {
          reject(e);
        }
      });
    },
    dispose() {
      /* nothing to release */
    },
  };
}

export interface WorkerFactory {
  (url: string): Worker;
}

/**
 * Runs the engine in a Web Worker created from `workerSource` (a self-contained IIFE script).
 * One worker per in-flight solve, so a cancel can terminate it at once.
 */
export function createWorkerBalancerClient(workerSource: string, factory: WorkerFactory = (url) => new Worker(url)): BalancerClient {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const live = new Set<Worker>();
  let nextId = 1;
  return {
    solve(problem, options = {}) {
      const { onProgress, signal, ...rest } = options;
      return new Promise<BalanceResult>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortError());
          return;
        }
        const worker = factory(url);
        live.add(worker);
        const id = nextId++;
        const done = () => {
          live.delete(worker);
          worker.terminate();
          signal?.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          done();
          reject(abortError());
        };
        signal?.addEventListener('abort', onAbort);
        worker.onmessage = (ev: MessageEvent<FromWorker>) => {
          const msg = ev.data;
          if (msg.id !== id) return;
          if (msg.type === 'progress') onProgress?.(msg.progress);
          else if (msg.type === 'result') {
            done();
            resolve(msg.result);
          } else if (msg.type === 'error') {
            done();
            const err = new Error(msg.message);
            err.name = msg.name;
            reject(err);
          }
        };
        worker.onerror = (ev: ErrorEvent) => {
          done();
          reject(new Error(`Balancer worker failed: ${ev.message}`));
        };
        const msg: ToWorker = { type: 'solve', id, problem, options: rest };
        worker.postMessage(msg);
      });
    },
    dispose() {
      for (const w of live) w.terminate();
      live.clear();
      URL.revokeObjectURL(url);
    },
  };
}
