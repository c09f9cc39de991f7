import * as React from "react";
import { Text } from "@fluentui/react-components";
import { UNASSIGNED_COLOR } from "../../domain/palette";
import type { WorkingPlan } from "../../domain/workspace";

export interface DesignLegendProps {
  plan: WorkingPlan;
  /** The heat map's colour ramp while it is shown, else null. */
  heatGradient: readonly { stop: number; color: string }[] | null;
  getString: (key: string) => string;
}

/** Territory colours with their account counts (and the heat-map ramp while it is on). */
export const DesignLegend: React.FC<DesignLegendProps> = ({ plan, heatGradient, getString }) => {
  const entries = [
    ...plan.territories.map((t, i) => ({ label: t.name, color: t.color, count: plan.totals.accounts[i] })),
    ...(plan.totals.unassignedAccounts > 0
      ? [{ label: getString("Territories_Unassigned"), color: UNASSIGNED_COLOR, count: plan.totals.unassignedAccounts }]
      : []),
  ];
  return (
    <section aria-label={getString("Design_Legend")} data-testid="design-legend">
      <ul style={{ listStyle: "none", margin: 0, padding: 0, maxHeight: 200, overflowY: "auto" }}>
        {entries.map((e, i) => (
          <li key={i} style={{ display: "flex", alignItems: "center", columnGap: 6 }}>
            <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 5, background: e.color, display: "inline-block" }} />
            <span>{e.label}</span>
            <span>{e.count.toLocaleString()}</span>
          </li>
        ))}
      </ul>
      {heatGradient && (
        <div>
          <Text size={200}>{getString("Design_HeatLegend")}</Text>
          <div
            aria-hidden="true"
            style={{
              height: 8,
              background: `linear-gradient(to right, ${heatGradient
                .slice(1)
                .map((g) => g.color)
                .join(", ")})`,
            }}
          />
        </div>
      )}
    </section>
  );
};
