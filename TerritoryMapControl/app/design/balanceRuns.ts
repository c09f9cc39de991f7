/**
 * Auto-balance and runtime-change proposals: build the engine's problem from the working plan, run it on the
 * balancer (a Web Worker in the product) with progress and cancel, and map the result back to plan territories.
 * Nothing changes the plan here: the dialogs show the preview or proposal, and only Apply / Accept change it
 * (DesignSession.applyBalance / acceptRuntimeChange).
 */
import type { ProgressInfo } from "../../domain/balancing";
import type { AccountTable } from "../../domain/accountTable";
import {
  applyBalance,
  balancePreview,
  buildBalanceInput,
  relabelByOverlap,
  type BalanceInput,
  type BalancePreview,
  type BalanceRep,
  type BalanceSetup,
} from "../../domain/design/balanceInput";
import {
  applyProposal,
  mappingAfterNewRep,
  mappingAfterRepLeaves,
  proposalMoves,
  type ProposalMapping,
} from "../../domain/design/proposal";
import type { RuntimeChange } from "../../domain/design/runtimeForm";
import { buildRuntimeInput, type RuntimeChangeResult } from "../../domain/design/runtimeInput";
import type { BalancerClient, RuntimeOutcome, Translate } from "../ports";

/** The plan a run starts from. */
export interface BalanceScene {
  table: AccountTable;
  /** Today's territory of each account (plan territory index, -1 = none). */
  assignment: Int32Array;
  locked: Uint8Array | null;
  /** Plan territories in index order, with their rep. */
  territories: readonly { id: string; name: string; repId: string | null }[];
  reps: readonly BalanceRep[];
  /** 1 per account the run may move (a region's accounts); null = every account. */
  include?: Uint8Array | null;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
  /** Engine time limit in ms (null = automatic). */
  timeLimitMs?: number | null;
}

/** A finished auto-balance run: the problem, the setup it came from, the preview and the assignment to apply. */
export interface AutoBalanceRun {
  input: BalanceInput;
  preview: BalancePreview;
  assignment: Int32Array;
  setup: BalanceSetup;
}

/** A runtime-change proposal: the engine's outcome and the moves as plan changes. */
export interface RuntimeProposal {
  outcome: RuntimeOutcome;
  result: RuntimeChangeResult;
}

/** Balances the plan as `setup` says; in count mode the new territories take the names of those they overlap most. */
export async function runAutoBalance(
  client: BalancerClient,
  scene: BalanceScene,
  setup: BalanceSetup,
  options: RunOptions = {},
): Promise<AutoBalanceRun> {
  const { table, assignment, locked, territories } = scene;
  const built = buildBalanceInput(table, assignment, locked, territories.length, setup, scene.include ?? null);
  const result = await client.solve(built.problem, {
    signal: options.signal,
    onProgress: options.onProgress,
    timeLimitMs: options.timeLimitMs ?? null,
  });
  const input = relabelByOverlap(built, result, assignment);
  return { input, setup, preview: balancePreview(input, result, assignment), assignment: applyBalance(input, result, assignment) };
}

/**
 * A rep leaves (their territory removed, its accounts redistributed with the fewest moves), a new rep starts (a
 * territory carved around the home base), a territory's capacity changes — as a proposal to accept or discard.
 */
export async function proposeRuntimeChange(
  client: BalancerClient,
  scene: BalanceScene,
  change: RuntimeChange,
  tolerance: number,
  t: Translate,
  options: RunOptions = {},
): Promise<RuntimeProposal> {
  const { table, assignment, locked, territories, reps } = scene;
  const { input, problemOf } = buildRuntimeInput(table, assignment, locked, territories, reps, tolerance, scene.include ?? null);
  const plan = { assignment: input.problem.current ?? [], centers: null };
  const opts = {
    signal: options.signal,
    onProgress: options.onProgress,
    moveCost: input.problem.rest.moveCost ?? 0,
    timeLimitMs: options.timeLimitMs ?? null,
  };
  let mapping: ProposalMapping;
  let outcome: RuntimeOutcome;
  const result: Omit<RuntimeChangeResult, "assignment" | "moves"> = { kind: change.kind };
  if (change.kind === "rep-leaves") {
    const p = problemOf[change.territory];
    if (p < 0) throw new Error(t("Runtime_ErrorNoCentre"));
    outcome = await client.repLeaves(input.problem, plan, p, opts);
    mapping = mappingAfterRepLeaves(input, p);
    result.removedTerritory = change.territory;
  } else if (change.kind === "new-rep") {
    outcome = await client.newRep(input.problem, plan, { x: change.home[0], y: change.home[1], id: change.repId }, opts);
    mapping = mappingAfterNewRep(input, territories.length);
    result.newTerritory = { planTerritory: territories.length, repId: change.repId, home: change.home };
  } else {
    const p = problemOf[change.territory];
    if (p < 0) throw new Error(t("Runtime_ErrorNoCentre"));
    const caps = input.planTerritory.map((_, ti) => [ti === p ? change.capacity : null]);
    outcome = await client.capacityChange(input.problem, plan, caps, opts);
    mapping = { pointToAccount: input.pointToAccount, planTerritory: input.planTerritory };
  }
  const moves = proposalMoves(mapping, outcome.result.assignment, assignment);
  return { outcome, result: { ...result, moves, assignment: applyProposal(assignment, moves) } };
}
