import * as React from "react";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Option,
} from "@fluentui/react-components";
import { accountsIn, treeOf, type WorkingPlan } from "../../domain/workspace";
import { formatTemplate } from "../../domain/text";
import { usePlanStyles } from "./plan.styles";

/** Rows rendered in the account list at most; the filter narrows the rest. */
export const MOVE_LIST_LIMIT = 300;
const UNASSIGNED = "__unassigned__";

export interface MoveAccountsDialogProps {
  open: boolean;
  plan: WorkingPlan;
  /** Pre-selected source territory (the selected row). */
  initialFrom: string | null;
  getString: (key: string) => string;
  onMove: (accountIds: string[], toKey: string | null) => void;
  onCancel: () => void;
}

/**
 * The list-driven, keyboard path to move accounts: choose a territory, tick accounts in a filterable list,
 * choose the target territory, Move.
 */
export const MoveAccountsDialog: React.FC<MoveAccountsDialogProps> = ({ open, plan, initialFrom, getString, onMove, onCancel }) => {
  const styles = usePlanStyles();
  /** The selected territory, else the first one holding accounts. */
  const defaultFrom = (): string => {
    if (initialFrom && plan.territories.some((t) => t.key === initialFrom)) return initialFrom;
    const k = plan.territories.findIndex((_, i) => plan.totals.accounts[i] > 0);
    return k >= 0 ? plan.territories[k].key : plan.totals.unassignedAccounts > 0 ? UNASSIGNED : (plan.territories[0]?.key ?? UNASSIGNED);
  };
  const [from, setFrom] = React.useState<string>(defaultFrom);
  const [to, setTo] = React.useState<string | null>(null);
  const [filter, setFilter] = React.useState("");
  const [checked, setChecked] = React.useState<Set<string>>(new Set());
  React.useEffect(() => {
    if (!open) return;
    setFrom(defaultFrom());
    setTo(null);
    setFilter("");
    setChecked(new Set());
  }, [open]);

  const nameOf = (key: string | null) =>
    key === null || key === UNASSIGNED ? getString("Territories_Unassigned") : (plan.territories.find((t) => t.key === key)?.name ?? key);

  const positions = React.useMemo(() => {
    if (!open) return [];
    const key = from === UNASSIGNED ? null : from;
    if (key !== null && !plan.territories.some((t) => t.key === key)) return [];
    const list = accountsIn(plan, key);
    const { names } = plan.table;
    return list.sort((a, b) => names[a].localeCompare(names[b]));
  }, [open, plan, from]);

  const q = filter.trim().toLowerCase();
  const matching = React.useMemo(
    () => (q ? positions.filter((p) => plan.table.names[p].toLowerCase().includes(q) || plan.table.ids[p].includes(q)) : positions),
    [positions, q, plan],
  );
  const shown = matching.slice(0, MOVE_LIST_LIMIT);
  const allShownChecked = shown.length > 0 && shown.every((p) => checked.has(plan.table.ids[p]));

  const toggle = (id: string, on: boolean) =>
    setChecked((c) => {
      const n = new Set(c);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  const toggleShown = (on: boolean) =>
    setChecked((c) => {
      const n = new Set(c);
      for (const p of shown) {
        if (on) n.add(plan.table.ids[p]);
        else n.delete(plan.table.ids[p]);
      }
      return n;
    });

  const toKey = to === UNASSIGNED ? null : to;
  const canMove = checked.size > 0 && to !== null && to !== from;

  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        if (!d.open) onCancel();
      }}
    >
      <DialogSurface data-testid="move-dialog">
        <DialogBody>
          <DialogTitle>{getString("Move_Title")}</DialogTitle>
          <DialogContent className={styles.form}>
            <Field label={getString("Move_From")}>
              <Dropdown
                inlinePopup
                value={nameOf(from)}
                selectedOptions={[from]}
                onOptionSelect={(_, d) => {
                  setFrom(d.optionValue ?? UNASSIGNED);
                  setChecked(new Set());
                }}
                data-testid="move-from"
              >
                {plan.territories.map((t) => (
                  <Option key={t.key} value={t.key}>
                    {t.name}
                  </Option>
                ))}
                <Option value={UNASSIGNED}>{getString("Territories_Unassigned")}</Option>
              </Dropdown>
            </Field>
            <Field label={getString("Move_Filter")}>
              <Input value={filter} onChange={(_, d) => setFilter(d.value)} data-testid="move-filter" />
            </Field>
            <div>
              <Checkbox
                checked={allShownChecked ? true : checked.size > 0 ? "mixed" : false}
                onChange={(_, d) => toggleShown(d.checked === true)}
                label={formatTemplate(getString("Move_SelectShown"), shown.length)}
                data-testid="move-select-shown"
                disabled={shown.length === 0}
              />
              <ul className={styles.list} aria-label={getString("Move_ListLabel")} data-testid="move-list">
                {shown.map((p) => {
                  const id = plan.table.ids[p];
                  return (
                    <li key={id} className={styles.listRow}>
                      <Checkbox
                        checked={checked.has(id)}
                        onChange={(_, d) => toggle(id, d.checked === true)}
                        label={plan.table.names[p] || id}
                        data-account-id={id}
                      />
                    </li>
                  );
                })}
              </ul>
              <div className={styles.muted} role="status" data-testid="move-count">
                {formatTemplate(getString("Move_Counts"), checked.size, matching.length, positions.length)}
                {matching.length > shown.length && ` ${formatTemplate(getString("Move_Refine"), shown.length)}`}
              </div>
            </div>
            <Field label={getString("Move_To")}>
              <Dropdown
                inlinePopup
                value={to === null ? "" : nameOf(to)}
                placeholder={getString("Move_ToPlaceholder")}
                selectedOptions={to === null ? [] : [to]}
                onOptionSelect={(_, d) => setTo(d.optionValue ?? null)}
                data-testid="move-to"
              >
                {plan.territories
                  .filter((t, i) => t.key !== from && treeOf(plan).leaf[i] === 1)
                  .map((t) => (
                    <Option key={t.key} value={t.key}>
                      {t.name}
                    </Option>
                  ))}
                {from !== UNASSIGNED && <Option value={UNASSIGNED}>{getString("Territories_Unassigned")}</Option>}
              </Dropdown>
            </Field>
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel}>{getString("Common_Cancel")}</Button>
            <Button appearance="primary" disabled={!canMove} onClick={() => onMove([...checked], toKey)} data-testid="move-confirm">
              {formatTemplate(getString("Move_Confirm"), checked.size)}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
