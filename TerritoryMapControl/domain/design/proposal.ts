/**
 * Runtime changes (rep leaves, new rep, capacity change) as proposals: the engine re-solves with a cost per
 * moved account; this module maps its result back to plan territories and lists the moves the manager accepts
 * or discards.
 */
import type { BalanceInput } from "./balanceInput";

/** Problem territory → plan territory after a runtime change. */
export interface ProposalMapping {
  pointToAccount: Int32Array;
  planTerritory: number[];
}

/** Mapping after problem territory `leaving` is removed (the engine renumbers the ones after it). */
export function mappingAfterRepLeaves(input: Pick<BalanceInput, "pointToAccount" | "planTerritory">, leaving: number): ProposalMapping {
  if (leaving < 0 || leaving >= input.planTerritory.length) throw new Error(`Territory ${leaving} is not part of the problem`);
  return { pointToAccount: input.pointToAccount, planTerritory: input.planTerritory.filter((_, t) => t !== leaving) };
}

/** Mapping after a new rep's territory is appended as plan territory `planTerritory`. */
export function mappingAfterNewRep(input: Pick<BalanceInput, "pointToAccount" | "planTerritory">, planTerritory: number): ProposalMapping {
  return { pointToAccount: input.pointToAccount, planTerritory: [...input.planTerritory, planTerritory] };
}

export interface ProposalMoves {
  /** Account (table) indexes that change territory. */
  indexes: Int32Array;
  from: Int32Array;
  to: Int32Array;
}

/** Accounts whose plan territory differs between `assignment` and the engine's result. */
export function proposalMoves(mapping: ProposalMapping, resultAssignment: readonly number[], assignment: Int32Array): ProposalMoves {
  const idx: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  resultAssignment.forEach((t, p) => {
    const i = mapping.pointToAccount[p];
    const target = mapping.planTerritory[t];
    if (assignment[i] !== target) {
      idx.push(i);
      from.push(assignment[i]);
      to.push(target);
    }
  });
  return { indexes: Int32Array.from(idx), from: Int32Array.from(from), to: Int32Array.from(to) };
}

/** A new assignment with the proposal's moves applied. */
export function applyProposal(assignment: Int32Array, moves: ProposalMoves): Int32Array {
  const next = assignment.slice();
  for (let k = 0; k < moves.indexes.length; k++) next[moves.indexes[k]] = moves.to[k];
  return next;
}
