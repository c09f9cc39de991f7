/** What an auto-balance run would do, before it is applied: per-territory totals, deviation, moves, gap to the bound. */
import * as React from "react";
import type { AutoBalanceRun } from "../../app/design/balanceRuns";
import type { BalanceMeasure, BalanceRep } from "../../domain/design/balanceInput";
import { formatTemplate } from "../../domain/text";
import { balanceMeasureName } from "./balanceLabels";
import { BalancePreviewView } from "./BalancePreview";
import { formatPercent } from "./format";

export type { AutoBalanceRun };

export interface AutoBalancePreviewProps {
  done: AutoBalanceRun;
  /** Plan territories in index order. */
  territories: readonly { id: string; name: string }[];
  reps: readonly BalanceRep[];
  measureLabels: readonly string[];
  getString: (key: string) => string;
}

export const AutoBalancePreview: React.FC<AutoBalancePreviewProps> = ({ done, territories, reps, measureLabels, getString }) => {
  const measureName = (m: BalanceMeasure) => balanceMeasureName(m, measureLabels, getString);
  // Count mode: new territories are numbered; reps mode: named after the rep whose home base is their centre.
  const territoryName = (planTerritory: number, t: number) => {
    if (planTerritory < territories.length) return territories[planTerritory]?.name ?? "";
    if (!done.setup.reps) return formatTemplate(getString("Design_NewTerritoryName"), planTerritory + 1);
    const rep = reps.find((r) => r.id === done.input.newTerritories.find((n) => n.problemTerritory === t)?.repId);
    return formatTemplate(getString("Balance_NewTerritoryFor"), rep?.name ?? "");
  };
  return (
    <BalancePreviewView
      testId="balance-preview"
      summaryTestId="balance-summary"
      rowTestId="balance-row"
      tableLabel={getString("Balance_PreviewLabel")}
      getString={getString}
      feasible={done.preview.feasible}
      infeasibility={done.preview.infeasibility}
      measureNames={done.setup.measures.flatMap((m) => (m.kind === "count" ? [] : [measureName(m)]))}
      rows={done.preview.territories.map((t, i) => ({
        name: territoryName(t.planTerritory, i),
        accounts: t.accounts,
        totals: done.setup.measures.flatMap((m, j) => (m.kind === "count" ? [] : [t.totals[j] ?? 0])),
      }))}
      summary={
        <>
          {formatTemplate(
            getString("Balance_PreviewSummary"),
            done.preview.moved,
            done.setup.measures.map((m, i) => `${measureName(m)} ${formatPercent(done.preview.maxDeviation[i] ?? 0)}`).join(", "),
            done.preview.gapToBound === null ? getString("Balance_NoBound") : formatPercent(done.preview.gapToBound),
          )}
          {done.input.excluded > 0 && ` · ${formatTemplate(getString("Balance_Excluded"), done.input.excluded)}`}
        </>
      }
    />
  );
};
