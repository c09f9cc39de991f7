/**
 * Runtime changes (a rep leaves, a new rep starts, a territory's capacity changes) as balancing problems: every
 * plan territory keeps a fixed centre and an account that changes territory costs MOVE_COST_FACTOR × the mean
 * distance to its centre, so the engine moves as few accounts as it can.
 */
import { MOVE_COST_FACTOR } from "../defaults";
import type { AccountTable } from "../accountTable";
import { buildBalanceInput, type BalanceInput, type BalanceRep, type BalanceRepTarget } from "./balanceInput";
import type { ProposalMoves } from "./proposal";

export type RuntimeChangeKind = "rep-leaves" | "new-rep" | "capacity";

export interface RuntimeChangeResult {
  kind: RuntimeChangeKind;
  /** The proposed assignment (plan territory per account). */
  assignment: Int32Array;
  moves: ProposalMoves;
  /** Rep leaves: the plan territory that lost its rep and now has no accounts. */
  removedTerritory?: number;
  /** New rep: the plan territory to create (index = territories.length) for the rep at its home base. */
  newTerritory?: { planTerritory: number; repId: string; home: [number, number] };
}

export interface RuntimeInput {
  input: BalanceInput;
  /** Problem territory of each plan territory (-1 = not in the problem: no rep home and no accounts). */
  problemOf: number[];
}

/** Fixed centres for every plan territory: its rep's home base, else the centre of its placed accounts. */
export function buildRuntimeInput(
  table: AccountTable,
  assignment: Int32Array,
  locked: Uint8Array | null,
  territories: readonly { id: string; name: string; repId: string | null }[],
  reps: readonly BalanceRep[],
  tolerance: number,
  include: Uint8Array | null = null,
): RuntimeInput {
  const sx = new Float64Array(territories.length);
  const sy = new Float64Array(territories.length);
  const n = new Float64Array(territories.length);
  for (let i = 0; i < table.size; i++) {
    const t = assignment[i];
    if (t < 0 || t >= territories.length || Number.isNaN(table.lon[i]) || (include && !include[i])) continue;
    sx[t] += table.lon[i];
    sy[t] += table.lat[i];
    n[t]++;
  }
  const targets: BalanceRepTarget[] = [];
  const problemOf: number[] = [];
  territories.forEach((t, ti) => {
    const rep = reps.find((r) => r.territoryIndex === ti) ?? reps.find((r) => r.id === t.repId);
    const home: [number, number] | null = rep?.home ?? (n[ti] > 0 ? [sx[ti] / n[ti], sy[ti] / n[ti]] : null);
    if (!home) {
      problemOf.push(-1);
      return;
    }
    problemOf.push(targets.length);
    targets.push({ repId: rep?.id ?? `territory:${t.id}`, home, territory: ti });
  });
  const input = buildBalanceInput(
    table,
    assignment,
    locked,
    territories.length,
    {
      territories: targets.length,
      reps: targets,
      measures: [{ kind: "count" }],
      tolerance,
      respectLocks: true,
      moveCostFactor: MOVE_COST_FACTOR,
    },
    include,
  );
  return { input, problemOf };
}
