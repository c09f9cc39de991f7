/** What an auto-balance run would do, before it is applied: per-territory totals, deviation, moves, gap to the bound. */
import * as React from "react";
import type { AutoBalanceRun } from "../../app/design/balanceRuns";
import { Button } from "@fluentui/react-components";
import { bandMisses, toleranceMet, type BalanceMeasure, type BalanceRep } from "../../domain/design/balanceInput";
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
  /** Runs again at another tolerance (offered when the asked one was not met). */
  onRetry?: (tolerance: number) => void;
}

/** Territories named in the "not met" message at most. */
const MISSES_LISTED = 5;

export const AutoBalancePreview: React.FC<AutoBalancePreviewProps> = ({ done, territories, reps, measureLabels, getString, onRetry }) => {
  const measureName = (m: BalanceMeasure) => balanceMeasureName(m, measureLabels, getString);
  // Count mode: new territories are numbered; reps mode: named after the rep whose home base is their centre.
  const territoryName = (planTerritory: number, t: number) => {
    if (planTerritory < territories.length) return territories[planTerritory]?.name ?? "";
    if (!done.setup.reps) return formatTemplate(getString("Design_NewTerritoryName"), planTerritory + 1);
    const rep = reps.find((r) => r.id === done.input.newTerritories.find((n) => n.problemTerritory === t)?.repId);
    return formatTemplate(getString("Balance_NewTerritoryFor"), rep?.name ?? "");
  };
  let notMet: React.ReactNode = undefined;
  if (!done.preview.feasible && done.preview.status !== "cancelled") {
    const misses = bandMisses(done.preview, done.setup.tolerance);
    const met = toleranceMet(done.preview);
    const listed = misses
      .slice(0, MISSES_LISTED)
      .map((m) =>
        formatTemplate(
          getString("Balance_Miss"),
          territoryName(done.preview.territories[m.territory].planTerritory, m.territory),
          m.total.toLocaleString(),
          measureName(done.setup.measures[m.measure]),
          m.lower.toLocaleString(),
          m.upper.toLocaleString(),
        ),
      );
    notMet = (
      <>
        {formatTemplate(getString("Balance_NotMet"), formatPercent(done.setup.tolerance), misses.length)} {listed.join("; ")}
        {misses.length > MISSES_LISTED && ` ${formatTemplate(getString("Balance_MoreMisses"), misses.length - MISSES_LISTED)}`}
        {met > done.setup.tolerance && (
          <>
            {" "}
            {formatTemplate(getString("Balance_MeetsTolerance"), formatPercent(met))}{" "}
            {onRetry && (
              <Button size="small" onClick={() => onRetry(met)} data-testid="balance-retry">
                {formatTemplate(getString("Balance_RetryAt"), formatPercent(met))}
              </Button>
            )}
          </>
        )}
      </>
    );
  }
  return (
    <BalancePreviewView
      notMet={notMet}
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
