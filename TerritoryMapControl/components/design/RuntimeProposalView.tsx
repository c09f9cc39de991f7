/** A runtime-change proposal before it is accepted: accounts per territory and the list of moves. */
import * as React from "react";
import type { RuntimeProposal } from "../../app/design/balanceRuns";
import type { AccountTable } from "../../domain/accountTable";
import { proposalTerritoryCounts } from "../../domain/design/runtimeForm";
import { formatTemplate } from "../../domain/text";
import { BalancePreviewView } from "./BalancePreview";
import { useDesignStyles } from "./design.styles";

export type { RuntimeProposal };

export interface RuntimeProposalViewProps {
  done: RuntimeProposal;
  table: AccountTable;
  territoryCount: number;
  /** A plan territory's name (the unassigned and the new rep's territory included). */
  nameOfTerritory: (territory: number) => string;
  /** Moves listed at most; the rest are counted. */
  limit: number;
  getString: (key: string) => string;
}

export const RuntimeProposalView: React.FC<RuntimeProposalViewProps> = ({
  done,
  table,
  territoryCount,
  nameOfTerritory,
  limit,
  getString,
}) => {
  const styles = useDesignStyles();
  const moves = done.result.moves;
  return (
    <BalancePreviewView
      testId="runtime-proposal"
      summaryTestId="runtime-summary"
      rowTestId="runtime-row"
      tableLabel={getString("Runtime_PreviewLabel")}
      getString={getString}
      feasible={done.outcome.result.feasible}
      infeasibility={done.outcome.result.infeasibility.map((r) => r.message)}
      measureNames={[]}
      rows={proposalTerritoryCounts(done.result, territoryCount).map((r) => ({
        name: nameOfTerritory(r.territory),
        accounts: r.accounts,
        totals: [],
      }))}
      summary={formatTemplate(getString("Runtime_ProposalSummary"), moves.indexes.length, done.outcome.reassigned, done.outcome.movedOther)}
    >
      <ul className={styles.list} aria-label={getString("Runtime_MovesLabel")}>
        {Array.from(moves.indexes.subarray(0, limit)).map((i, k) => (
          <li key={i} className={styles.row} data-testid="runtime-move">
            <span className={styles.name}>{table.names[i] || table.ids[i]}</span>
            <span className={styles.secondary}>
              {formatTemplate(getString("Runtime_MoveFromTo"), nameOfTerritory(moves.from[k]), nameOfTerritory(moves.to[k]))}
            </span>
          </li>
        ))}
      </ul>
      {moves.indexes.length > limit && <div>{formatTemplate(getString("Unplaced_More"), moves.indexes.length - limit)}</div>}
    </BalancePreviewView>
  );
};
