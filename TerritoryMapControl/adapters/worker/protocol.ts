/**
 * Messages between BalancerClient and balancer.worker (structured-clone friendly).
 *
 * Large problems travel packed: one typed array per coordinate / weight column and the ids as one joined string,
 * because structured-cloning 100,000 point objects costs the main thread ~200 ms (measured in Node 20) while the
 * packed form clones in ~3 ms and its buffers are transferred. The worker also accepts a plain
 * `TerritoryProblem` (older callers, tests). Results can come back with the assignment as an Int32Array
 * (`packedResult`), which the client turns back into the engine's number[].
 */
import type { BalanceResult, ProgressInfo, TerritoryProblem } from "../../domain/balancing";
import type { RuntimeOptions, WirePlan, WorkerSolveOptions } from "../../app/ports/balancer";

export type { RuntimeOptions, WirePlan, WorkerSolveOptions };
import { columnsFromProblem, ID_SEPARATOR, isColumnar, problemFromColumns, type ColumnarProblem } from "../../domain/design/columnar";

/** A TerritoryProblem with its points (and `current`) as columns (see domain/design/columnar.ts). */
export type PackedProblem = ColumnarProblem;
export { ID_SEPARATOR };

export type RuntimeRequest =
  | { kind: "repLeaves"; plan: WirePlan; leaving: number }
  | { kind: "newRep"; plan: WirePlan; home: { x: number; y: number; id?: string }; capacity?: (number | null)[] }
  | { kind: "capacityChange"; plan: WirePlan; capacities: (number | null)[][] };

export type ToWorker =
  | { type: "solve"; id: number; problem: TerritoryProblem | PackedProblem; options: WorkerSolveOptions; packedResult?: boolean }
  | {
      type: "runtime";
      id: number;
      problem: TerritoryProblem | PackedProblem;
      request: RuntimeRequest;
      options: RuntimeOptions;
      packedResult?: boolean;
    }
  | { type: "cancel"; id: number };

/** A BalanceResult whose assignment may be packed. */
export type WireResult = Omit<BalanceResult, "assignment"> & { assignment: number[] | Int32Array };

export type FromWorker =
  | { type: "progress"; id: number; progress: ProgressInfo }
  | { type: "result"; id: number; result: WireResult }
  | { type: "runtime-result"; id: number; result: WireResult; movedOther: number; reassigned: number; territories: number }
  | { type: "error"; id: number; message: string; name: string };

export function isPacked(p: TerritoryProblem | PackedProblem): p is PackedProblem {
  return isColumnar(p);
}

/** Packs a problem for postMessage; `transfer` lists the buffers that can be transferred (they are fresh). */
export function packProblem(problem: TerritoryProblem): { packed: PackedProblem; transfer: ArrayBuffer[] } {
  const packed = columnsFromProblem(problem);
  const transfer = [packed.x.buffer, packed.y.buffer, packed.w.buffer, packed.lock.buffer] as ArrayBuffer[];
  if (packed.cap) transfer.push(packed.cap.buffer as ArrayBuffer);
  if (packed.current) transfer.push(packed.current.buffer as ArrayBuffer);
  return { packed, transfer };
}

/** The TerritoryProblem a packed problem stands for. */
export function unpackProblem(p: TerritoryProblem | PackedProblem): TerritoryProblem {
  return problemFromColumns(p);
}

/** The engine's BalanceResult from a wire result. */
export function unpackResult(r: WireResult): BalanceResult {
  return { ...r, assignment: Array.isArray(r.assignment) ? r.assignment : Array.from(r.assignment) };
}
