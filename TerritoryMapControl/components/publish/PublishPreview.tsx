/** What publishing would change (a dry run): counts, missing accounts, a resumed publish, nothing to do. */
import * as React from "react";
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import type { PublishResult } from "../../app/ports/publishing";
import { hasPublishWork } from "../../domain/publish/publishWork";
import type { Fmt } from "./publishText";

export const PublishPreview: React.FC<{ preview: PublishResult; s: Fmt }> = ({ preview, s }) => {
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
      {!hasPublishWork(c) && !preview.resumed && (
        <MessageBar intent="success">
          <MessageBarBody>{s("Publish_NothingToDo")}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
};
