/** Display names of the balance measures: the account count from the resx, measure columns by the plan's labels. */
import type { BalanceMeasure } from "../../domain/design/balanceInput";

export function balanceMeasureName(m: BalanceMeasure, measureLabels: readonly string[], getString: (key: string) => string): string {
  return m.kind === "count" ? getString("Balance_MeasureCount") : (measureLabels[m.column] ?? "");
}
