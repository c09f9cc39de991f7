/** A publish under way: the progress bar and what is being written, or that it is being cancelled. */
import * as React from "react";
import { ProgressBar } from "@fluentui/react-components";
import type { PublishProgress } from "../../app/ports/publishing";
import type { Fmt } from "./publishText";

export const PublishProgressView: React.FC<{ progress: PublishProgress | null; cancelling: boolean; s: Fmt }> = ({
  progress,
  cancelling,
  s,
}) => {
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
