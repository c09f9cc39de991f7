/** The publish dialog's state machine: preview (dry run), conflict decisions, publish with progress and cancel, result. */
import * as React from "react";
import type { Publisher, PublishProgress, PublishResult } from "../../app/ports/publishing";
import type { ConflictChoice } from "../../domain/publish";

export type PublishPhase =
  | { kind: "checking" }
  | { kind: "ready"; preview: PublishResult }
  | { kind: "running"; progress: PublishProgress | null; cancelling: boolean }
  | { kind: "result"; result: PublishResult }
  | { kind: "error"; message: string };

export interface PublishRunOptions {
  open: boolean;
  planId: string;
  publisher: Publisher;
  /** Set when the user may not publish: no preview is asked for. */
  disabledReason: string | null;
  onPublished?: (result: PublishResult) => void;
}

export interface PublishRun {
  phase: PublishPhase;
  /** Conflict decisions per account, over the one for all. */
  decisions: ReadonlyMap<string, ConflictChoice>;
  all: ConflictChoice | null;
  /** One decision for every conflict (clears the per-account ones). */
  chooseAll: (choice: ConflictChoice) => void;
  choose: (accountId: string, choice: ConflictChoice) => void;
  run: () => void;
  cancel: () => void;
}

/** Previews whenever the dialog opens (or the plan changes); unmounting aborts a publish under way. */
export function usePublishRun({ open, planId, publisher, disabledReason, onPublished }: PublishRunOptions): PublishRun {
  // The latest publisher without re-running the preview when the caller passes a new function for the same plan.
  const publisherRef = React.useRef(publisher);
  publisherRef.current = publisher;
  const [phase, setPhase] = React.useState<PublishPhase>({ kind: "checking" });
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

  const chooseAll = (choice: ConflictChoice) => {
    setAll(choice);
    setDecisions(new Map());
  };
  const choose = (accountId: string, choice: ConflictChoice) => setDecisions((m) => new Map(m).set(accountId, choice));
  return { phase, decisions, all, chooseAll, choose, run, cancel };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
