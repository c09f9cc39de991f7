import * as React from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@fluentui/react-components";
import type { DraftSummary } from "../../../dataverse/drafts/DraftRepository";
import { CURRENT_PLAN, type CompareView } from "../../app/compare/CompareCommands";
import type { ComparableDraft } from "../../domain/drafts";
import { formatCount, formatTemplate } from "../../domain/text";
import { usePlanStyles } from "./plan.styles";

/** Moved accounts listed at most (the count is always exact). */
export const MOVED_LIST_LIMIT = 200;

export interface CompareDialogProps {
  open: boolean;
  drafts: readonly DraftSummary[];
  /** Pre-selected drafts (e.g. the source draft and the current plan). */
  initialA: string | null;
  initialB: string | null;
  getString: (key: string) => string;
  accountName: (accountId: string) => string;
  repName: (repId: string) => string;
  /** Balance measure the deviation columns show ("accounts" or a measure name). */
  measure: string;
  run: (aId: string, bId: string) => Promise<CompareView>;
  /** Highlights accounts on the map (null clears); returns how many are highlighted. */
  onHighlight: (accountIds: string[] | null) => number;
  onClose: () => void;
}

const pct = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });

/** Two drafts side by side: per-territory totals and deviations, accounts that change territory, reps affected. */
export const CompareDialog: React.FC<CompareDialogProps> = (props) => {
  const { open, drafts, getString, run, onHighlight, onClose, accountName, repName, measure } = props;
  const styles = usePlanStyles();
  const [a, setA] = React.useState<string | null>(props.initialA);
  const [b, setB] = React.useState<string | null>(props.initialB);
  const [view, setView] = React.useState<CompareView | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [highlight, setHighlightOn] = React.useState(true);
  const [highlighted, setHighlighted] = React.useState(0);
  React.useEffect(() => {
    if (!open) return;
    setA(props.initialA);
    setB(props.initialB);
    setView(null);
    setError(null);
  }, [open]); // props.initial* are read when the dialog opens

  const options = React.useMemo(
    () => [
      { id: CURRENT_PLAN, label: getString("Compare_CurrentPlan") },
      ...drafts
        .filter((d) => d.saveState === "complete")
        .map((d) => ({ id: d.id, label: `${d.name} · ${formatTemplate(getString("ByTerritory_Version"), d.version)}` })),
    ],
    [drafts, getString],
  );
  const labelOf = (id: string | null) => options.find((o) => o.id === id)?.label ?? "";

  const compare = async () => {
    if (!a || !b) return;
    setBusy(true);
    setError(null);
    try {
      const v = await run(a, b);
      setView(v);
      setHighlighted(onHighlight(highlight ? v.comparison.moved.accounts.map((m) => m.accountId) : null));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    onHighlight(null);
    onClose();
  };

  const c = view?.comparison;
  const m = c ? Math.max(0, c.measures.indexOf(measure)) : 0;
  const tName = (d: ComparableDraft | undefined, i: number) =>
    i >= 0 && d ? (d.territories[i]?.name ?? "") : getString("Territories_Unassigned");

  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        if (!d.open) close();
      }}
    >
      <DialogSurface data-testid="compare-dialog" className={styles.wide}>
        <DialogBody>
          <DialogTitle>{getString("Compare_Title")}</DialogTitle>
          <DialogContent className={styles.form}>
            <div className={styles.compareGrid}>
              <Field label={getString("Compare_A")}>
                <Dropdown
                  inlinePopup
                  value={labelOf(a)}
                  selectedOptions={a ? [a] : []}
                  onOptionSelect={(_, d) => setA(d.optionValue ?? null)}
                  data-testid="compare-a"
                >
                  {options.map((o) => (
                    <Option key={o.id} value={o.id}>
                      {o.label}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label={getString("Compare_B")}>
                <Dropdown
                  inlinePopup
                  value={labelOf(b)}
                  selectedOptions={b ? [b] : []}
                  onOptionSelect={(_, d) => setB(d.optionValue ?? null)}
                  data-testid="compare-b"
                >
                  {options.map((o) => (
                    <Option key={o.id} value={o.id}>
                      {o.label}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
            </div>
            <div>
              <Button appearance="primary" onClick={() => void compare()} disabled={!a || !b || a === b || busy} data-testid="compare-run">
                {getString("Compare_Run")}
              </Button>
              {busy && <Spinner size="tiny" label={getString("Compare_Running")} />}
            </div>
            {error && (
              <MessageBar layout="multiline" intent="error">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            {c && view && (
              <>
                <div
                  role="status"
                  data-testid="compare-summary"
                  data-moved={c.moved.count}
                  data-reps={c.repsAffected.length}
                  data-highlighted={highlighted}
                >
                  {formatTemplate(getString("Compare_Summary"), c.moved.count, c.repsAffected.length, c.onlyInA, c.onlyInB)}
                </div>
                <Switch
                  checked={highlight}
                  label={getString("Compare_Highlight")}
                  onChange={(_, d) => {
                    setHighlightOn(d.checked);
                    setHighlighted(onHighlight(d.checked ? c.moved.accounts.map((x) => x.accountId) : null));
                  }}
                />
                <Table size="extra-small" aria-label={getString("Compare_TerritoriesLabel")} data-testid="compare-territories">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>{view.aName}</TableHeaderCell>
                      <TableHeaderCell>{getString("Card_ColAccounts")}</TableHeaderCell>
                      <TableHeaderCell>{getString("Compare_Deviation")}</TableHeaderCell>
                      <TableHeaderCell>{view.bName}</TableHeaderCell>
                      <TableHeaderCell>{getString("Card_ColAccounts")}</TableHeaderCell>
                      <TableHeaderCell>{getString("Compare_Deviation")}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {c.pairs.map((p, k) => {
                      const sa = p.a !== null ? c.a.territories[p.a] : null;
                      const sb = p.b !== null ? c.b.territories[p.b] : null;
                      return (
                        <TableRow
                          key={k}
                          data-testid="compare-row"
                          data-region={(sa && !sa.leaf) || (sb && !sb.leaf) ? "true" : "false"}
                          data-deviation-a={sa ? sa.deviations[m] : ""}
                          data-deviation-b={sb ? sb.deviations[m] : ""}
                        >
                          <TableCell>{sa?.name ?? "—"}</TableCell>
                          <TableCell>{sa ? formatCount(sa.totals[0]) : ""}</TableCell>
                          <TableCell>{sa ? pct.format(sa.deviations[m]) : ""}</TableCell>
                          <TableCell>{sb?.name ?? "—"}</TableCell>
                          <TableCell>{sb ? formatCount(sb.totals[0]) : ""}</TableCell>
                          <TableCell>{sb ? pct.format(sb.deviations[m]) : ""}</TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
                <div>
                  <strong>{getString("Compare_Reps")}</strong>
                  <ul data-testid="compare-reps">
                    {c.repsAffected.map((r) => (
                      <li key={r.repId}>{formatTemplate(getString("Compare_RepLine"), repName(r.repId), r.gained, r.lost)}</li>
                    ))}
                  </ul>
                </div>
                <div>
                  <strong>{formatTemplate(getString("Compare_Moved"), c.moved.count)}</strong>
                  <ul className={styles.list} data-testid="compare-moved">
                    {c.moved.accounts.slice(0, MOVED_LIST_LIMIT).map((x) => (
                      <li key={x.accountId} className={styles.listRow} data-account-id={x.accountId}>
                        {formatTemplate(
                          getString("Compare_MovedLine"),
                          accountName(x.accountId),
                          tName(view.a, x.from),
                          tName(view.b, x.to),
                        )}
                      </li>
                    ))}
                  </ul>
                  {c.moved.count > MOVED_LIST_LIMIT && (
                    <div className={styles.muted}>{formatTemplate(getString("Unplaced_More"), c.moved.count - MOVED_LIST_LIMIT)}</div>
                  )}
                </div>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>{getString("Common_Close")}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
