/**
 * The preview the auto-balance and runtime-change dialogs show before anything is applied: the summary, the
 * constraints not met and the per-territory totals. Plain props; every string comes from the resx through `getString`.
 */
import * as React from "react";
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { useDesignStyles } from "./design.styles";
import { formatMeasure } from "./format";

export interface BalancePreviewRow {
  name: string;
  accounts: number;
  /** One value per entry of `measureNames`. */
  totals: readonly number[];
}

export interface BalancePreviewViewProps {
  testId: string;
  summaryTestId: string;
  rowTestId: string;
  /** The one-line summary (accounts moved, largest deviation, gap to the bound…). */
  summary: React.ReactNode;
  feasible: boolean;
  infeasibility: readonly string[];
  /** Per-territory totals after the change. */
  rows: readonly BalancePreviewRow[];
  /** Measure columns besides the account count. */
  measureNames: readonly string[];
  tableLabel: string;
  getString: (key: string) => string;
  /** More content below the table (e.g. the list of moves). */
  children?: React.ReactNode;
  /** What was not met, in the manager's terms (replaces the engine's reasons when given). */
  notMet?: React.ReactNode;
}

/** What the result would do, before anything is applied: summary, constraints not met, per-territory totals. */
export const BalancePreviewView: React.FC<BalancePreviewViewProps> = (props) => {
  const {
    testId,
    summaryTestId,
    rowTestId,
    summary,
    feasible,
    infeasibility,
    rows,
    measureNames,
    tableLabel,
    getString,
    children,
    notMet,
  } = props;
  const styles = useDesignStyles();
  return (
    <div data-testid={testId} className={styles.form}>
      <div aria-live="polite" data-testid={summaryTestId}>
        {summary}
      </div>
      {!feasible && (
        <MessageBar intent="warning" layout="multiline" data-testid={`${testId}-not-met`}>
          <MessageBarBody>{notMet ?? `${getString("Balance_NotFeasible")} ${infeasibility.join(" ")}`}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.scroll}>
        <table className={styles.table} aria-label={tableLabel}>
          <thead>
            <tr>
              <th scope="col">{getString("Postal_ColTerritory")}</th>
              <th scope="col" className={styles.numberCell}>
                {getString("Postal_ColAccounts")}
              </th>
              {measureNames.map((m, i) => (
                <th key={i} scope="col" className={styles.numberCell}>
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-testid={rowTestId}>
                <td>{r.name}</td>
                <td className={styles.numberCell}>{formatMeasure(r.accounts)}</td>
                {measureNames.map((_, j) => (
                  <td key={j} className={styles.numberCell}>
                    {formatMeasure(r.totals[j] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {children}
    </div>
  );
};
