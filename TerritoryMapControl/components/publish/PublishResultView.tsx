/** How a publish ended: published, nothing to do, partial (with the failures), cancelled, interrupted, forbidden, invalid. */
import * as React from "react";
import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { PublishResult } from "../../app/ports/publishing";
import { PublishFailures } from "./PublishFailures";
import { depthReason, privilegeReason, type Fmt } from "./publishText";

export const PublishResultView: React.FC<{ result: PublishResult; s: Fmt; accountName?: (id: string) => string | undefined }> = ({
  result,
  s,
  accountName,
}) => {
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
              {s("Publish_PartialDone", r.written.accounts, territories)} {s("Publish_Partial", r.failures.length)}
            </MessageBarBody>
          </MessageBar>
          <PublishFailures failures={r.failures} s={s} accountName={accountName} />
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
          <MessageBarBody>
            {r.missingPrivileges.length ? privilegeReason(r.missingPrivileges, s) : depthReason(r.outOfReach ?? [], s)}
          </MessageBarBody>
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
