/**
 * Publish dialog: preview of what publishing changes, conflicts to decide (overwrite / keep, per account or all),
 * progress with counts and cancel, the result with every rejected record, resume of an interrupted publish, and
 * the reason when the user may not publish. Standalone: the caller passes a `publisher` bound to the plan
 * (see createPublisher in ./publisher.ts) and the strings.
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
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  Spinner,
} from "@fluentui/react-components";
import type { ConflictChoice, PublishConflict, RequiredPrivilege } from "../../domain/publish";
import type { Publisher, PublishProgress, PublishResult } from "../../app/ports/publishing";
import { formatTemplate } from "../../domain/text";
import { usePublishDialogStyles } from "./PublishDialog.styles";

/** Conflict rows rendered at most (the rest follow "Overwrite all" / "Keep all"). */
export const CONFLICT_LIST_LIMIT = 500;
/** Failure rows rendered at most. */
export const FAILURE_LIST_LIMIT = 200;

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

type Phase =
  | { kind: "checking" }
  | { kind: "ready"; preview: PublishResult }
  | { kind: "running"; progress: PublishProgress | null; cancelling: boolean }
  | { kind: "result"; result: PublishResult }
  | { kind: "error"; message: string };

/** Publish dialog (Fluent UI v9). */
export const PublishDialog: React.FC<PublishDialogProps> = (props) => {
  const { open, onOpenChange, planId, planName, getString, publisher, disabledReason, accountName, territoryName, onPublished } = props;
  // The latest publisher without re-running the preview when the caller passes a new function for the same plan.
  const publisherRef = React.useRef(publisher);
  publisherRef.current = publisher;
  const styles = usePublishDialogStyles();
  const [phase, setPhase] = React.useState<Phase>({ kind: "checking" });
  const [decisions, setDecisions] = React.useState<Map<string, ConflictChoice>>(new Map());
  const [all, setAll] = React.useState<ConflictChoice | null>(null);
  const abort = React.useRef<AbortController | null>(null);
  const alive = React.useRef(true);
  React.useEffect(
    () => () => {
      alive.current = false;
      abort.current?.abort();
    },
    [],
  );

  const preview = React.useCallback(() => {
    if (disabledReason) return;
    setPhase({ kind: "checking" });
    publisherRef.current({ dryRun: true }).then(
      (r) => {
        if (!alive.current) return;
        setPhase(r.status === "preview" || r.status === "conflicts" ? { kind: "ready", preview: r } : { kind: "result", result: r });
      },
      (e: unknown) => {
        if (alive.current) setPhase({ kind: "error", message: errorText(e) });
      },
    );
  }, [disabledReason]);

  React.useEffect(() => {
    if (open) {
      setDecisions(new Map());
      setAll(null);
      preview();
    }
  }, [open, planId, preview]);

  const run = React.useCallback(() => {
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ kind: "running", progress: null, cancelling: false });
    publisherRef
      .current({
        conflictPolicy: { all, byAccount: decisions },
        signal: controller.signal,
        onProgress: (p) => {
          if (alive.current) setPhase((s) => (s.kind === "running" ? { ...s, progress: p } : s));
        },
      })
      .then(
        (r) => {
          if (!alive.current) return;
          abort.current = null;
          if (r.status === "conflicts") setPhase({ kind: "ready", preview: r });
          else setPhase({ kind: "result", result: r });
          if (r.status === "published" || r.status === "partial") onPublished?.(r);
        },
        (e: unknown) => {
          if (alive.current) setPhase({ kind: "error", message: errorText(e) });
        },
      );
  }, [all, decisions, onPublished]);

  const cancel = React.useCallback(() => {
    abort.current?.abort();
    setPhase((s) => (s.kind === "running" ? { ...s, cancelling: true } : s));
  }, []);

  const running = phase.kind === "running";
  const onDialogChange = React.useCallback(
    (_: unknown, data: { open: boolean }) => {
      if (!running) onOpenChange(data.open);
    },
    [onOpenChange, running],
  );
  const s = (key: string, ...args: (string | number)[]): string => formatTemplate(getString(key), ...args);
  const tName = (id: string | null): string => (id === null ? getString("Publish_NoTerritory") : (territoryName?.(id) ?? id));

  const conflicts = phase.kind === "ready" ? phase.preview.conflicts : [];
  const undecided = conflicts.filter((c) => (decisions.get(c.accountId) ?? all) === null).length;
  const resumable =
    (phase.kind === "ready" && phase.preview.resumed) ||
    (phase.kind === "result" && (phase.result.status === "cancelled" || phase.result.status === "interrupted"));

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
              {phase.kind === "ready" && <Preview preview={phase.preview} s={s} />}
              {phase.kind === "running" && <Progress progress={phase.progress} cancelling={phase.cancelling} s={s} />}
              {phase.kind === "result" && <Result result={phase.result} s={s} accountName={accountName} />}
            </div>
            {phase.kind === "ready" && conflicts.length > 0 && (
              <section className={styles.conflicts} aria-label={getString("Publish_ConflictsLabel")}>
                <MessageBar intent="warning">
                  <MessageBarBody>
                    <MessageBarTitle>{s("Publish_ConflictsTitle", conflicts.length)}</MessageBarTitle>
                    {getString("Publish_ConflictsIntro")}
                  </MessageBarBody>
                </MessageBar>
                <div className={styles.bulk}>
                  <Button
                    onClick={() => {
                      setAll("overwrite");
                      setDecisions(new Map());
                    }}
                    appearance={all === "overwrite" ? "primary" : "secondary"}
                    data-testid="publish-overwrite-all"
                  >
                    {getString("Publish_OverwriteAll")}
                  </Button>
                  <Button
                    onClick={() => {
                      setAll("keep");
                      setDecisions(new Map());
                    }}
                    appearance={all === "keep" ? "primary" : "secondary"}
                    data-testid="publish-keep-all"
                  >
                    {getString("Publish_KeepAll")}
                  </Button>
                </div>
                <ul className={styles.list}>
                  {conflicts.slice(0, CONFLICT_LIST_LIMIT).map((c) => (
                    <ConflictRow
                      key={c.accountId}
                      conflict={c}
                      choice={decisions.get(c.accountId) ?? all}
                      s={s}
                      name={accountName?.(c.accountId) ?? c.accountId}
                      tName={tName}
                      onChoose={(choice) => setDecisions((m) => new Map(m).set(c.accountId, choice))}
                    />
                  ))}
                </ul>
                {conflicts.length > CONFLICT_LIST_LIMIT && <div>{s("Publish_More", conflicts.length - CONFLICT_LIST_LIMIT)}</div>}
                {undecided > 0 && (
                  <div className={styles.undecided} data-testid="publish-undecided">
                    {s("Publish_ConflictsUndecided", undecided)}
                  </div>
                )}
              </section>
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
                      !!disabledReason || undecided > 0 || (phase.kind === "ready" && !hasWork(phase.preview) && !phase.preview.resumed)
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

type Fmt = (key: string, ...args: (string | number)[]) => string;

function hasWork(r: PublishResult): boolean {
  return (
    r.counts.accountWrites + r.counts.territoryCreates + r.counts.territoryUpdates > 0 ||
    r.counts.unresolvedConflicts > 0 ||
    r.counts.conflicts > 0
  );
}

const Preview: React.FC<{ preview: PublishResult; s: Fmt }> = ({ preview, s }) => {
  const c = preview.counts;
  return (
    <div data-testid="publish-preview">
      {preview.resumed && (
        <MessageBar intent="info">
          <MessageBarBody>{s("Publish_ResumeIntro")}</MessageBarBody>
        </MessageBar>
      )}
      <p>{s("Publish_Summary", c.territoryChanges, c.ownerChanges, c.territoryCreates, c.territoryUpdates)}</p>
      <p>{s("Publish_Unchanged", c.unchanged)}</p>
      {c.missing > 0 && <p>{s("Publish_Missing", c.missing)}</p>}
      {!hasWork(preview) && !preview.resumed && (
        <MessageBar intent="success">
          <MessageBarBody>{s("Publish_NothingToDo")}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
};

const ConflictRow: React.FC<{
  conflict: PublishConflict;
  choice: ConflictChoice | null;
  name: string;
  s: Fmt;
  tName: (id: string | null) => string;
  onChoose: (c: ConflictChoice) => void;
}> = ({ conflict, choice, name, s, tName, onChoose }) => {
  const styles = usePublishDialogStyles();
  const label = s("Publish_ConflictLine", name, tName(conflict.liveTerritoryId), tName(conflict.plannedTerritoryId));
  return (
    <li className={styles.row} data-testid="publish-conflict">
      <span className={styles.rowText}>{label}</span>
      <RadioGroup layout="horizontal" aria-label={label} value={choice ?? ""} onChange={(_, d) => onChoose(d.value as ConflictChoice)}>
        <Radio value="overwrite" label={s("Publish_Overwrite")} />
        <Radio value="keep" label={s("Publish_Keep")} />
      </RadioGroup>
    </li>
  );
};

const Progress: React.FC<{ progress: PublishProgress | null; cancelling: boolean; s: Fmt }> = ({ progress, cancelling, s }) => {
  const p = progress;
  const total = p?.accountsTotal ?? 0;
  const value = p && total > 0 ? p.accountsWritten / total : undefined;
  const phaseText =
    !p || p.phase === "reading" || p.phase === "planning"
      ? s("Publish_Reading")
      : p.phase === "finishing" || p.phase === "done"
        ? s("Publish_Finishing")
        : p.phase === "territories"
          ? s("Publish_ProgressTerritories", p.territoriesWritten, p.territoriesTotal)
          : s("Publish_Progress", p.accountsWritten, total);
  return (
    <div data-testid="publish-progress">
      <ProgressBar value={value} max={1} aria-label={s("Publish_ProgressLabel")} thickness="large" />
      <p>{cancelling ? s("Publish_Cancelling") : phaseText}</p>
    </div>
  );
};

const Result: React.FC<{ result: PublishResult; s: Fmt; accountName?: (id: string) => string | undefined }> = ({
  result,
  s,
  accountName,
}) => {
  const styles = usePublishDialogStyles();
  const r = result;
  const territories = r.written.territoriesCreated + r.written.territoriesUpdated;
  switch (r.status) {
    case "published":
      return (
        <MessageBar intent="success" data-testid="publish-result">
          <MessageBarBody>{s("Publish_Done", r.written.accounts, territories)}</MessageBarBody>
        </MessageBar>
      );
    case "nothing-to-do":
      return (
        <MessageBar intent="success" data-testid="publish-result">
          <MessageBarBody>{s("Publish_NothingToDo")}</MessageBarBody>
        </MessageBar>
      );
    case "partial":
      return (
        <div data-testid="publish-result">
          <MessageBar intent="warning">
            <MessageBarBody>
              {s("Publish_Done", r.written.accounts, territories)} {s("Publish_Partial", r.failures.length)}
            </MessageBarBody>
          </MessageBar>
          <ul className={styles.list} aria-label={s("Publish_FailuresLabel")}>
            {r.failures.slice(0, FAILURE_LIST_LIMIT).map((f) => (
              <li key={`${f.table}:${f.id}`} className={styles.failure} data-testid="publish-failure">
                {s("Publish_FailureLine", f.table === "account" ? (accountName?.(f.id) ?? f.id) : f.id, f.code, f.message)}
              </li>
            ))}
          </ul>
          {r.failures.length > FAILURE_LIST_LIMIT && <div>{s("Publish_More", r.failures.length - FAILURE_LIST_LIMIT)}</div>}
        </div>
      );
    case "cancelled":
      return (
        <MessageBar intent="warning" data-testid="publish-result">
          <MessageBarBody>{s("Publish_Cancelled", r.written.accounts)}</MessageBarBody>
        </MessageBar>
      );
    case "interrupted":
      return (
        <MessageBar intent="error" data-testid="publish-result">
          <MessageBarBody>{s("Publish_Interrupted", r.message ?? "")}</MessageBarBody>
        </MessageBar>
      );
    case "forbidden":
      return (
        <MessageBar intent="warning" data-testid="publish-result">
          <MessageBarBody>{privilegeReason(r.missingPrivileges, s)}</MessageBarBody>
        </MessageBar>
      );
    case "invalid":
      return (
        <MessageBar intent="error" data-testid="publish-result">
          <MessageBarBody>
            <MessageBarTitle>{s("Publish_Invalid")}</MessageBarTitle>
            <ul>
              {r.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      );
    default:
      return null;
  }
};

/** "You cannot publish: your security role does not let you change accounts (prvWriteAccount), …" from the resx. */
export function privilegeReason(missing: readonly RequiredPrivilege[], s: Fmt): string {
  const parts = missing.map((m) => `${s(`Publish_Right_${m.privilege}_${m.table}`)} (${m.name})`);
  return s("Publish_Disabled", parts.join(", "));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
