/** The frame the auto-balance and runtime-change dialogs share: settings → engine run (progress, Cancel) → result. */
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
import type { RunState } from "./useBalancerRun";
import type { MapPick } from "./useMapPick";

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
        <MessageBar layout="multiline" intent="info" role="status" aria-live="polite" data-testid="pick-status">
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
      <MessageBar layout="multiline" intent="error" role="alert">
        <MessageBarBody>{formatTemplate(getString("Balance_Failed"), state.message)}</MessageBarBody>
      </MessageBar>
    );
  }
  return null;
};
