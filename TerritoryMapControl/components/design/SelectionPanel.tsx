import * as React from "react";
import { Button, Dropdown, Field, Option, Text, useId } from "@fluentui/react-components";
import { formatTemplate } from "../../domain/text";
import { useDesignStyles } from "./design.styles";
import { totalsSummary } from "./format";
import { SELECTION_LIST_LIMIT } from "../../app/design/DesignSession";

export { SELECTION_LIST_LIMIT };

export interface SelectionRow {
  id: string;
  name: string;
  /** Territory display name (or the "Unassigned" text). */
  territory: string;
  locked: boolean;
}

export interface SelectionPanelProps {
  /** Number of selected accounts (rows may hold only the first ones). */
  count: number;
  /** Measure totals of the selection, aligned with `measureLabels`. */
  totals: readonly number[];
  measureLabels: readonly string[];
  /** The first selected accounts (the list shows up to `SELECTION_LIST_LIMIT`). */
  rows: readonly SelectionRow[];
  /** Locked accounts in the selection. */
  lockedCount: number;
  territories: readonly { id: string; name: string }[];
  /** Move the selection to a territory (null = unassign). */
  onMove: (territoryId: string | null) => void;
  onLock: (locked: boolean) => void;
  onClear: () => void;
  disabled?: boolean;
  /** Rows rendered at most (default SELECTION_LIST_LIMIT); the rest are counted. */
  listLimit?: number;
  getString: (key: string) => string;
}

const UNASSIGN = "\u0000unassign";

/** The selected accounts as a list with totals; move them to a territory, lock or unlock them, clear. */
export const SelectionPanel: React.FC<SelectionPanelProps> = React.memo((props) => {
  const { count, totals, measureLabels, rows, lockedCount, territories, onMove, onLock, onClear, disabled, listLimit, getString } = props;
  const styles = useDesignStyles();
  const [target, setTarget] = React.useState<string | null>(null);
  const headingId = useId("tmap-selection-heading");
  const shown = rows.slice(0, listLimit ?? SELECTION_LIST_LIMIT);
  const targetLabel = target === UNASSIGN ? getString("Territories_Unassigned") : (territories.find((t) => t.id === target)?.name ?? "");
  const none = count === 0;
  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid="selection-panel">
      <Text as="h3" weight="semibold" id={headingId}>
        {formatTemplate(getString("Selection_Title"), count)}
      </Text>
      <div className={styles.totals} data-testid="selection-totals" aria-live="polite">
        {none ? getString("Selection_Empty") : totalsSummary(count, totals, measureLabels, getString("Selection_CountTemplate"))}
        {lockedCount > 0 && ` · ${formatTemplate(getString("Selection_LockedCount"), lockedCount)}`}
      </div>
      <div className={styles.actions}>
        <Field label={getString("Selection_MoveTo")}>
          <Dropdown
            aria-label={getString("Selection_MoveTo")}
            placeholder={getString("Selection_ChooseTerritory")}
            value={targetLabel}
            selectedOptions={target ? [target] : []}
            onOptionSelect={(_, d) => setTarget(d.optionValue ?? null)}
            disabled={disabled || none}
            data-testid="selection-target"
          >
            {territories.map((t) => (
              <Option key={t.id} value={t.id}>
                {t.name}
              </Option>
            ))}
            <Option value={UNASSIGN}>{getString("Territories_Unassigned")}</Option>
          </Dropdown>
        </Field>
        <Button
          appearance="primary"
          disabled={disabled || none || target === null}
          onClick={() => target !== null && onMove(target === UNASSIGN ? null : target)}
        >
          {getString("Selection_Move")}
        </Button>
        <Button disabled={disabled || none} onClick={() => onLock(true)}>
          {getString("Selection_Lock")}
        </Button>
        <Button disabled={disabled || none || lockedCount === 0} onClick={() => onLock(false)}>
          {getString("Selection_Unlock")}
        </Button>
        <Button appearance="subtle" disabled={none} onClick={onClear}>
          {getString("Selection_Clear")}
        </Button>
      </div>
      {!none && (
        <ul className={styles.list} aria-label={getString("Selection_ListLabel")} data-testid="selection-list">
          {shown.map((r) => (
            <li key={r.id} className={styles.row} data-testid="selection-row">
              <span className={styles.name}>{r.name || r.id}</span>
              <span className={styles.secondary}>
                {r.territory}
                {r.locked ? ` · ${getString("Selection_LockedTag")}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {count > shown.length && <div className={styles.totals}>{formatTemplate(getString("Unplaced_More"), count - shown.length)}</div>}
    </section>
  );
});
SelectionPanel.displayName = "SelectionPanel";
