/**
 * The parts the auto-balance and runtime-change dialogs share: the dialog frame (modal while idle, an alert while
 * the engine runs, stepping aside while the manager picks a home base on the map), the run status (progress with
 * Cancel, cancelled, failed), the preview (summary, constraints not met, per-territory totals) and the actions.
 * Plain props and callbacks; every string comes from the resx through `getString`.
 */
import * as React from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  ProgressBar,
} from "@fluentui/react-components";
import { formatTemplate } from "../../domain/text";
import { useDesignStyles } from "./design.styles";
import { formatMeasure } from "./format";
import type { RunState } from "./useBalancerRun";

/** Lets the user click one position on the map (null when cancelled); the map adapter's `pickPoint`. */
export type PickPoint = (options: { signal: AbortSignal; prompt: string }) => Promise<{ latitude: number; longitude: number } | null>;

export interface MapPick {
  /** The pick under way (the dialog steps aside meanwhile), or null. */
  picking: { prompt: string } | null;
  /** Starts a pick; `key` names the button that started it (`data-pick` attribute), which gets the focus back. */
  pick: (key: string, prompt: string, onPicked: (latitude: number, longitude: number) => void) => void;
  cancel: () => void;
  /** The `data-pick` key of the button to focus once the dialog is back, or null. */
  restoreKey: string | null;
  restored: () => void;
}

/**
 * One map pick at a time: Escape anywhere (or the Cancel button of the picking bar) cancels it; unmounting aborts it.
 * The caller hides its dialog while `picking` is set and focuses the `restoreKey` button afterwards.
 */
export function useMapPick(pickPoint: PickPoint | undefined): MapPick {
  const [picking, setPicking] = React.useState<{ prompt: string } | null>(null);
  const [restoreKey, setRestoreKey] = React.useState<string | null>(null);
  const controller = React.useRef<AbortController | null>(null);
  React.useEffect(() => () => controller.current?.abort(), []);
  React.useEffect(() => {
    if (!picking) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      controller.current?.abort();
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [picking]);
  const pick = React.useCallback(
    (key: string, prompt: string, onPicked: (latitude: number, longitude: number) => void) => {
      if (!pickPoint) return;
      controller.current?.abort();
      const ac = new AbortController();
      controller.current = ac;
      setPicking({ prompt });
      const end = () => {
        if (controller.current !== ac) return;
        controller.current = null;
        setPicking(null);
        setRestoreKey(key);
      };
      pickPoint({ signal: ac.signal, prompt }).then(
        (p) => {
          if (p && !ac.signal.aborted && controller.current === ac) onPicked(p.latitude, p.longitude);
          end();
        },
        () => end(),
      );
    },
    [pickPoint],
  );
  const cancel = React.useCallback(() => controller.current?.abort(), []);
  const restored = React.useCallback(() => setRestoreKey(null), []);
  return { picking, pick, cancel, restoreKey, restored };
}

/** A "Pick on map" button; `pickKey` identifies it for the focus return. */
export const PickOnMapButton: React.FC<{
  pickKey: string;
  label: string;
  onClick: () => void;
  getString: (key: string) => string;
  disabled?: boolean;
}> = ({ pickKey, label, onClick, getString, disabled }) => (
  <Button size="small" aria-label={label} data-pick={pickKey} data-testid="pick-on-map" onClick={onClick} disabled={disabled}>
    {getString("Balance_PickHome")}
  </Button>
);

export interface BalanceDialogFrameProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  testId: string;
  progressTestId: string;
  title: string;
  pick: MapPick;
  /** The engine run (useBalancerRun): while it runs the dialog cannot be dismissed (Cancel first). */
  run: { state: RunState<unknown>; cancel: () => void };
  startLabel: string;
  onStart: () => void;
  /** The settings, shown (disabled while running) until there is a result. */
  children: React.ReactNode;
  /** The preview of the result and its buttons, once done. */
  result: React.ReactNode;
  resultActions: React.ReactNode;
  getString: (key: string) => string;
}

/**
 * The dialog: settings → run (progress, Cancel) → result with its own buttons. While a map pick is under way the
 * dialog is closed (its owner keeps the form state) and a bar with the prompt and Cancel stands in its place, so
 * the map can be clicked. Afterwards the dialog reopens with the focus on the button that started the pick.
 */
export const BalanceDialogFrame: React.FC<BalanceDialogFrameProps> = (props) => {
  const { open, onOpenChange, testId, progressTestId, title, pick, run, startLabel, onStart, children, result, resultActions, getString } =
    props;
  const styles = useDesignStyles();
  const surface = React.useRef<HTMLDivElement>(null);
  const cancelRef = React.useRef<HTMLButtonElement>(null);
  const { restoreKey, restored, picking } = pick;
  const state = run.state;
  const running = state.kind === "running";
  React.useEffect(() => {
    if (!picking) return;
    // after the dialog's own focus restore
    const handle = setTimeout(() => cancelRef.current?.focus(), 50);
    return () => clearTimeout(handle);
  }, [picking]);
  React.useEffect(() => {
    if (picking || restoreKey === null) return;
    let tries = 0;
    let handle: ReturnType<typeof setTimeout>;
    // the surface mounts and takes its initial focus first; then the focus goes back to the pick button
    const focus = () => {
      const el = surface.current?.querySelector<HTMLElement>(`[data-pick="${CSS.escape(restoreKey)}"]`);
      if (el && document.activeElement !== el) el.focus();
      if ((el && document.activeElement === el) || ++tries > 20) {
        restored();
        return;
      }
      handle = setTimeout(focus, 25);
    };
    handle = setTimeout(focus, 25);
    return () => clearTimeout(handle);
  }, [picking, restoreKey, restored]);
  return (
    <>
      {picking && (
        <MessageBar intent="info" role="status" aria-live="polite" data-testid="pick-status">
          <MessageBarBody>{picking.prompt}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" ref={cancelRef} onClick={pick.cancel}>
              {getString("Balance_PickCancel")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <Dialog open={open && !picking} onOpenChange={(_, d) => !running && onOpenChange(d.open)} modalType={running ? "alert" : "modal"}>
        <DialogSurface data-testid={testId} ref={surface}>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.form}>
              {state.kind !== "done" && (
                <fieldset disabled={running} style={{ border: 0, padding: 0, margin: 0 }} className={styles.form}>
                  {children}
                </fieldset>
              )}
              <BalanceRunStatus state={state} progressTestId={progressTestId} getString={getString} />
              {state.kind === "done" && result}
            </DialogContent>
            <DialogActions>
              {state.kind === "done" ? (
                resultActions
              ) : running ? (
                <Button onClick={run.cancel}>{getString("Common_Cancel")}</Button>
              ) : (
                <>
                  <Button appearance="primary" onClick={onStart}>
                    {startLabel}
                  </Button>
                  <Button onClick={() => onOpenChange(false)}>{getString("Common_Close")}</Button>
                </>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
};

/** The form's validation message. */
export const FormError: React.FC<{ message: string | null }> = ({ message }) =>
  message ? (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{message}</MessageBarBody>
    </MessageBar>
  ) : null;

/** Progress with the engine's phase while running; the cancelled and failed notices. */
export const BalanceRunStatus: React.FC<{ state: RunState<unknown>; progressTestId: string; getString: (key: string) => string }> = ({
  state,
  progressTestId,
  getString,
}) => {
  if (state.kind === "running") {
    return (
      <Field
        label={getString("Balance_Running")}
        validationState="none"
        validationMessage={state.progress ? formatTemplate(getString("Balance_Phase"), state.progress.phase) : undefined}
      >
        <ProgressBar
          value={state.progress ? state.progress.fraction : undefined}
          max={1}
          aria-label={getString("Balance_Running")}
          data-testid={progressTestId}
        />
      </Field>
    );
  }
  if (state.kind === "cancelled") return <div role="status">{getString("Balance_Cancelled")}</div>;
  if (state.kind === "failed") {
    return (
      <MessageBar intent="error" role="alert">
        <MessageBarBody>{formatTemplate(getString("Balance_Failed"), state.message)}</MessageBarBody>
      </MessageBar>
    );
  }
  return null;
};

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
}

/** What the result would do, before anything is applied: summary, constraints not met, per-territory totals. */
export const BalancePreviewView: React.FC<BalancePreviewViewProps> = (props) => {
  const { testId, summaryTestId, rowTestId, summary, feasible, infeasibility, rows, measureNames, tableLabel, getString, children } = props;
  const styles = useDesignStyles();
  return (
    <div data-testid={testId} className={styles.form}>
      <div aria-live="polite" data-testid={summaryTestId}>
        {summary}
      </div>
      {!feasible && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {getString("Balance_NotFeasible")} {infeasibility.join(" ")}
          </MessageBarBody>
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
