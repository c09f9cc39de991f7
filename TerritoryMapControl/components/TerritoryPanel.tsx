import * as React from "react";
import type { Rep, Territory } from "../domain/accounts";
import type { TerritoryColors } from "../domain/palette";
import { formatCount } from "./text";
import { useTerritoryPanelStyles } from "./TerritoryPanel.styles";

export interface TerritoryPanelProps {
  territories: readonly Territory[];
  reps: readonly Rep[];
  /** Accounts per territory id ("" = unassigned). */
  perTerritory: ReadonlyMap<string, number>;
  colors: TerritoryColors;
  getString: (key: string) => string;
}

interface Row {
  id: string;
  name: string;
  rep: string;
  count: number;
  color: string;
}

/** Territory list and map legend: colour, name, rep and account count per territory. */
export const TerritoryPanel: React.FC<TerritoryPanelProps> = React.memo(({ territories, reps, perTerritory, colors, getString }) => {
  const styles = useTerritoryPanelStyles();
  const rows = React.useMemo(() => {
    const repNames = new Map(reps.map((r) => [r.id, r.fullName]));
    const known = new Set<string>();
    const result: Row[] = territories.map((t) => {
      known.add(t.id);
      return {
        id: t.id,
        name: t.name,
        rep: (t.managerId && repNames.get(t.managerId)) || getString("Territories_NoRep"),
        count: perTerritory.get(t.id) ?? 0,
        color: colors.colorOf(t.id),
      };
    });
    for (const [id, count] of perTerritory) {
      if (id === "" || known.has(id)) continue;
      result.push({ id, name: getString("Territories_Unknown"), rep: id, count, color: colors.colorOf(id) });
    }
    result.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    const unassigned = perTerritory.get("") ?? 0;
    if (unassigned > 0) {
      result.push({ id: "", name: getString("Territories_Unassigned"), rep: "", count: unassigned, color: colors.colorOf(null) });
    }
    return result;
  }, [territories, reps, perTerritory, colors, getString]);

  return (
    <div role="complementary" className={styles.panel} aria-label={getString("Territories_Title")} data-testid="territory-panel">
      <h2 className={styles.heading}>{getString("Territories_Title")}</h2>
      <ul className={styles.list}>
        {rows.map((r) => (
          <li key={r.id || "unassigned"} className={styles.row} data-testid="territory-row" data-territory-id={r.id} data-count={r.count}>
            <span className={styles.swatch} style={{ backgroundColor: r.color }} aria-hidden="true" />
            <span className={styles.name} title={r.name}>
              {r.name}
              {r.rep && <span className={styles.rep}>{r.rep}</span>}
            </span>
            <span className={styles.count}>{formatCount(r.count)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});
TerritoryPanel.displayName = "TerritoryPanel";
