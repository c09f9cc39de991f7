/** The records a partial publish could not write, each with Dynamics' error code and message. */
import * as React from "react";
import type { PublishResult } from "../../app/ports/publishing";
import { usePublishDialogStyles } from "./PublishDialog.styles";
import type { Fmt } from "./publishText";

/** Failure rows rendered at most. */
export const FAILURE_LIST_LIMIT = 200;

export const PublishFailures: React.FC<{
  failures: PublishResult["failures"];
  s: Fmt;
  accountName?: (id: string) => string | undefined;
}> = ({ failures, s, accountName }) => {
  const styles = usePublishDialogStyles();
  return (
    <>
      <ul className={styles.list} aria-label={s("Publish_FailuresLabel")}>
        {failures.slice(0, FAILURE_LIST_LIMIT).map((f) => (
          <li key={`${f.table}:${f.id}`} className={styles.failure} data-testid="publish-failure">
            {s("Publish_FailureLine", f.table === "account" ? (accountName?.(f.id) ?? f.id) : f.id, f.code, f.message)}
          </li>
        ))}
      </ul>
      {failures.length > FAILURE_LIST_LIMIT && <div>{s("Publish_More", failures.length - FAILURE_LIST_LIMIT)}</div>}
    </>
  );
};
