/**
 * Web Worker entry for the balancing engine.
 * - 'solve': solve() with throttled progress posts (≤ 1 per 100 ms, plus the final one);
 * - 'runtime': a runtime change (repLeaves / newRep / capacityChange) with progress, answered with
 *   'runtime-result' (the new plan, accounts moved among others and newly assigned; the problem stays here);
 * - 'cancel': sets a flag the solver polls. solve() is synchronous, so a 'cancel' posted during a solve is only
 *   read afterwards; the client therefore terminates the worker on abort (see BalancerClient), which is what
 *   makes cancel immediate.
 * Problems may arrive packed (see protocol.ts); results go back packed when asked (`packedResult`).
 */
import { capacityChange, newRep, repLeaves, solve, type BalanceResult } from "../../domain/balancing";
import { unpackProblem, type FromWorker, type ToWorker, type WireResult } from "./protocol";

interface WorkerScope {
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const cancelled = new Set<number>();

function wire(result: BalanceResult, packed: boolean | undefined): { result: WireResult; transfer: Transferable[] } {
  if (!packed) return { result, transfer: [] };
  const assignment = Int32Array.from(result.assignment);
  return { result: { ...result, assignment }, transfer: [assignment.buffer] };
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === "cancel") {
    cancelled.add(msg.id);
    return;
  }
  if (msg.type !== "solve" && msg.type !== "runtime") return;
  const { id } = msg;
  let lastPost = 0;
  const hooks = {
    onProgress: (progress: { phase: string; fraction: number; bestObjective?: number; lowerBound?: number | null }) => {
      const now = Date.now();
      if (now - lastPost < 100 && progress.fraction < 1) return;
      lastPost = now;
      scope.postMessage({ type: "progress", id, progress });
    },
    isCancelled: () => cancelled.has(id),
  };
  try {
    const problem = unpackProblem(msg.problem);
    if (msg.type === "solve") {
      const result = solve(problem, { ...msg.options, ...hooks });
      const out = wire(result, msg.packedResult);
      scope.postMessage({ type: "result", id, result: out.result }, out.transfer);
      return;
    }
    const { request } = msg;
    const plan = { assignment: Array.from(request.plan.assignment), centers: request.plan.centers, prices: request.plan.prices };
    const opts = { ...msg.options, ...hooks };
    const outcome =
      request.kind === "repLeaves"
        ? repLeaves(problem, plan, request.leaving, opts)
        : request.kind === "newRep"
          ? newRep(problem, plan, request.home, { ...opts, capacity: request.capacity })
          : capacityChange(problem, plan, request.capacities, opts);
    const out = wire(outcome.result, msg.packedResult);
    scope.postMessage(
      {
        type: "runtime-result",
        id,
        result: out.result,
        movedOther: outcome.movedOther,
        reassigned: outcome.reassigned,
        territories: outcome.problem.territories,
      },
      out.transfer,
    );
  } catch (e) {
    const err = e as Error;
    scope.postMessage({ type: "error", id, message: err.message, name: err.name });
  } finally {
    cancelled.delete(id);
  }
};
