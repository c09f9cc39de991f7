/**
 * BalancerClient: how the control (and tests) run the balancing engine.
 * - createWorkerBalancerClient(source): runs it in a Web Worker started from a Blob URL built from the
 *   bundled worker source string (PCF ships a single bundle, so the worker is a string module generated
 *   by scripts/build-worker.mjs into TerritoryMapControl/generated/balancerWorkerSource.ts).
 * - createInProcessBalancerClient(): runs it in the calling thread (tests, Node, plugins).
 * Both offer solve and the runtime changes (repLeaves, newRep, capacityChange) with progress and cancel.
 * Abort via AbortSignal: the worker is terminated at once and the promise rejects with an AbortError.
 * Problems are packed into typed arrays for postMessage (see protocol.ts) so the page stays responsive; callers
 * with many accounts should pass a `ColumnarProblem` (domain/design/columnar.ts, e.g. from buildBalanceInput),
 * which is never expanded into objects on the calling thread.
 */
import {
  capacityChange,
  newRep,
  repLeaves,
  solve,
  type BalanceResult,
  type ProgressInfo,
  type TerritoryProblem,
} from "../../domain/balancing";
import { isColumnar, problemFromColumns, type ColumnarProblem } from "../../domain/design/columnar";
import type {
  AnyProblem,
  BalancerClient,
  BalancerRunOptions,
  BalancerRuntimeOptions,
  PreviousPlan,
  RuntimeOutcome,
  WirePlan,
} from "../../app/ports/balancer";
import { packProblem, unpackResult, type FromWorker, type RuntimeRequest, type ToWorker } from "./protocol";

export type {
  AnyProblem,
  BalancerClient,
  BalancerRunOptions,
  BalancerRuntimeOptions,
  BalancerSolveOptions,
  PreviousPlan,
  RuntimeOutcome,
} from "../../app/ports/balancer";

function abortError(): Error {
  const e = new Error("Balancing was cancelled");
  e.name = "AbortError";
  return e;
}

function planOf(plan: PreviousPlan): Pick<BalanceResult, "assignment" | "centers" | "prices"> {
  return { assignment: Array.from(plan.assignment), centers: plan.centers, prices: plan.prices };
}

/** Runs the engine in the calling thread (still async, so callers can share code with the worker client). */
export function createInProcessBalancerClient(): BalancerClient {
  function run<T>(
    options: BalancerRunOptions,
    body: (hooks: { onProgress?: (p: ProgressInfo) => void; isCancelled: () => boolean }) => T,
  ): Promise<T> {
    const { onProgress, signal } = options;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      try {
        const out = body({ onProgress, isCancelled: () => signal?.aborted === true });
        if (signal?.aborted) reject(abortError());
        else resolve(out);
      } catch (e) {
        reject(e);
      }
    });
  }
  const strip = <O extends BalancerRunOptions>(o: O): Omit<O, "onProgress" | "signal"> => {
    const { onProgress: _p, signal: _s, ...rest } = o;
    return rest;
  };
  const outcome = (o: { result: BalanceResult; movedOther: number; reassigned: number; problem: TerritoryProblem }): RuntimeOutcome => ({
    result: o.result,
    movedOther: o.movedOther,
    reassigned: o.reassigned,
    territories: o.problem.territories,
  });
  return {
    solve(problem, options = {}) {
      return run(options, (hooks) => solve(problemFromColumns(problem), { ...strip(options), ...hooks }));
    },
    repLeaves(problem, plan, leaving, options = {}) {
      return run(options, (hooks) =>
        outcome(repLeaves(problemFromColumns(problem), planOf(plan), leaving, { ...strip(options), ...hooks })),
      );
    },
    newRep(problem, plan, home, options = {}) {
      return run(options, (hooks) => outcome(newRep(problemFromColumns(problem), planOf(plan), home, { ...strip(options), ...hooks })));
    },
    capacityChange(problem, plan, capacities, options = {}) {
      return run(options, (hooks) =>
        outcome(capacityChange(problemFromColumns(problem), planOf(plan), capacities, { ...strip(options), ...hooks })),
      );
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
 * One worker per in-flight request, so a cancel can terminate it at once.
 */
export function createWorkerBalancerClient(workerSource: string, factory: WorkerFactory = (url) => new Worker(url)): BalancerClient {
  const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
  const live = new Set<Worker>();
  let nextId = 1;

  function request<T>(
    options: BalancerRunOptions,
    build: (id: number) => { msg: ToWorker; transfer: Transferable[] },
    accept: (msg: FromWorker) => T | undefined,
  ): Promise<T> {
    const { onProgress, signal } = options;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const id = nextId++;
      let built: { msg: ToWorker; transfer: Transferable[] };
      try {
        built = build(id);
      } catch (e) {
        reject(e);
        return;
      }
      const worker = factory(url);
      live.add(worker);
      const done = () => {
        live.delete(worker);
        worker.terminate();
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        done();
        reject(abortError());
      };
      signal?.addEventListener("abort", onAbort);
      worker.onmessage = (ev: MessageEvent<FromWorker>) => {
        const msg = ev.data;
        if (msg.id !== id) return;
        if (msg.type === "progress") {
          onProgress?.(msg.progress);
          return;
        }
        if (msg.type === "error") {
          done();
          const err = new Error(msg.message);
          err.name = msg.name;
          reject(err);
          return;
        }
        const value = accept(msg);
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      worker.onerror = (ev: ErrorEvent) => {
        done();
        reject(new Error(`Balancer worker failed: ${ev.message}`));
      };
      worker.postMessage(built.msg, built.transfer);
    });
  }

  /** Columns are sent as they are (cloned, so the caller keeps them); object problems are packed and transferred. */
  const wireProblem = (problem: AnyProblem): { packed: ColumnarProblem; transfer: ArrayBuffer[] } =>
    isColumnar(problem) ? { packed: problem, transfer: [] } : packProblem(problem);

  function runtime(problem: AnyProblem, req: RuntimeRequest, options: BalancerRuntimeOptions): Promise<RuntimeOutcome> {
    const { onProgress: _p, signal: _s, ...rest } = options;
    return request<RuntimeOutcome>(
      options,
      (id) => {
        const { packed, transfer } = wireProblem(problem);
        return { msg: { type: "runtime", id, problem: packed, request: req, options: rest, packedResult: true }, transfer };
      },
      (msg) =>
        msg.type === "runtime-result"
          ? { result: unpackResult(msg.result), movedOther: msg.movedOther, reassigned: msg.reassigned, territories: msg.territories }
          : undefined,
    );
  }

  const wirePlan = (plan: PreviousPlan): WirePlan => ({
    assignment: Int32Array.from(plan.assignment),
    centers: plan.centers,
    prices: plan.prices,
  });

  return {
    solve(problem, options = {}) {
      const { onProgress: _p, signal: _s, ...rest } = options;
      return request<BalanceResult>(
        options,
        (id) => {
          const { packed, transfer } = wireProblem(problem);
          return { msg: { type: "solve", id, problem: packed, options: rest, packedResult: true }, transfer };
        },
        (msg) => (msg.type === "result" ? unpackResult(msg.result) : undefined),
      );
    },
    repLeaves(problem, plan, leaving, options = {}) {
      return runtime(problem, { kind: "repLeaves", plan: wirePlan(plan), leaving }, options);
    },
    newRep(problem, plan, home, options = {}) {
      const { capacity, ...rest } = options;
      return runtime(problem, { kind: "newRep", plan: wirePlan(plan), home, capacity }, rest);
    },
    capacityChange(problem, plan, capacities, options = {}) {
      return runtime(problem, { kind: "capacityChange", plan: wirePlan(plan), capacities }, options);
    },
    dispose() {
      for (const w of live) w.terminate();
      live.clear();
      URL.revokeObjectURL(url);
    },
  };
}
