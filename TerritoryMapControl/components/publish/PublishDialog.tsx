/**
 * Publish dialog: preview of what publishing changes, conflicts to decide (overwrite / keep, per account or all),
 * progress with counts and cancel, the result with every rejected record, resume of an interrupted publish, and
 * the reason when the user may not publish. Standalone: the caller passes a `publisher` bound to the plan
 * (see createPublisher in adapters/publish/publisher.ts) and the strings.
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
  MessageBar,
  MessageBarBody,
  Spinner,
} from "@fluentui/react-components";
import type { Publisher, PublishResult } from "../../app/ports/publishing";
import { hasPublishWork, undecidedConflicts } from "../../domain/publish/publishWork";
import { PublishConflicts } from "./PublishConflicts";
import { usePublishDialogStyles } from "./PublishDialog.styles";
import { PublishPreview } from "./PublishPreview";
import { PublishProgressView } from "./PublishProgressView";
import { PublishResultView } from "./PublishResultView";
import { formatter } from "./publishText";
import { usePublishRun } from "./usePublishRun";

export { CONFLICT_LIST_LIMIT } from "./PublishConflicts";
export { FAILURE_LIST_LIMIT } from "./PublishFailures";
export { privilegeReason } from "./publishText";

export interface PublishDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The plan (tmap_planid) and its name for the title. */
  planId: string;
  planName: string;
  getString: (key: string) => string;
  /** Runs publishPlan for this plan (dry run for the preview). */
  publisher: Publisher;
  /**
   * Why the user may not publish (from {@link publishDisabledReason} over context.utils.hasEntityPrivilege), or null.
   * When set, the dialog shows it and Publish stays disabled; the server-side check runs again anyway.
   */
  disabledReason: string | null;
  /** Display names for ids in the conflict and failure lists (falls back to the id). */
  accountName?: (accountId: string) => string | undefined;
  territoryName?: (territoryId: string) => string | undefined;
  /** Called after a publish finished (published / partial), e.g. to reload the plan list. */
  onPublished?: (result: PublishResult) => void;
}

/** Publish dialog (Fluent UI v9). */
export const PublishDialog: React.FC<PublishDialogProps> = (props) => {
  const { open, onOpenChange, planId, planName, getString, publisher, disabledReason, accountName, territoryName, onPublished } = props;
  const styles = usePublishDialogStyles();
  const { phase, decisions, all, chooseAll, choose, run, cancel } = usePublishRun({ open, planId, publisher, disabledReason, onPublished });

  const running = phase.kind === "running";
  const onDialogChange = React.useCallback(
    (_: unknown, data: { open: boolean }) => {
      if (!running) onOpenChange(data.open);
    },
    [onOpenChange, running],
  );
  const s = formatter(getString);

  const conflicts = phase.kind === "ready" ? phase.preview.conflicts : [];
  const undecided = undecidedConflicts(conflicts, decisions, all);
  const resumable =
    (phase.kind === "ready" && phase.preview.resumed) ||
    (phase.kind === "result" &&
      (phase.result.status === "cancelled" || phase.result.status === "interrupted" || phase.result.status === "partial"));

  return (
    <Dialog open={open} onOpenChange={onDialogChange} modalType={running ? "alert" : "modal"}>
      <DialogSurface data-testid="publish-dialog" aria-describedby="publish-dialog-status">
        <DialogBody>
          <DialogTitle>{s("Publish_Title", planName)}</DialogTitle>
          <DialogContent className={styles.content}>
            <div id="publish-dialog-status" aria-live="polite">
              {disabledReason && (
                <MessageBar intent="warning" data-testid="publish-disabled">
                  <MessageBarBody>{disabledReason}</MessageBarBody>
                </MessageBar>
              )}
              {!disabledReason && phase.kind === "checking" && <Spinner size="small" label={getString("Publish_Checking")} />}
              {phase.kind === "error" && (
                <MessageBar intent="error">
                  <MessageBarBody>{s("Publish_Error", phase.message)}</MessageBarBody>
                </MessageBar>
              )}
              {phase.kind === "ready" && <PublishPreview preview={phase.preview} s={s} />}
              {phase.kind === "running" && <PublishProgressView progress={phase.progress} cancelling={phase.cancelling} s={s} />}
              {phase.kind === "result" && <PublishResultView result={phase.result} s={s} accountName={accountName} />}
            </div>
            {phase.kind === "ready" && conflicts.length > 0 && (
              <PublishConflicts
                conflicts={conflicts}
                decisions={decisions}
                all={all}
                onChooseAll={chooseAll}
                onChoose={choose}
                undecided={undecided}
                accountName={accountName}
                territoryName={territoryName}
                s={s}
                getString={getString}
              />
            )}
          </DialogContent>
          <DialogActions>
            {phase.kind === "running" ? (
              <Button onClick={cancel} disabled={phase.cancelling} data-testid="publish-cancel">
                {getString(phase.cancelling ? "Publish_Cancelling" : "Publish_Cancel")}
              </Button>
            ) : (
              <>
                {(phase.kind === "ready" || resumable) && (
                  <Button
                    appearance="primary"
                    data-testid="publish-start"
                    disabled={
                      !!disabledReason ||
                      undecided > 0 ||
                      (phase.kind === "ready" && !hasPublishWork(phase.preview.counts) && !phase.preview.resumed)
                    }
                    onClick={run}
                  >
                    {getString(resumable ? "Publish_Resume" : "Publish_Publish")}
                  </Button>
                )}
                <Button onClick={() => onOpenChange(false)} data-testid="publish-close">
                  {getString("Common_Close")}
                </Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
PublishDialog.displayName = "PublishDialog";
