import * as React from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import type { Notice } from "../app/plan/PlanSession";

/** A notice as a message bar, its figures as data-* attributes (tests and benchmarks read them). */
export const NoticeBar: React.FC<{ notice: Notice; onDismiss: () => void; dismissLabel: string }> = ({
  notice,
  onDismiss,
  dismissLabel,
}) => (
  <MessageBar
    layout="multiline"
    intent={notice.intent}
    data-testid={notice.testId}
    {...Object.fromEntries(Object.entries(notice.data ?? {}).map(([k, v]) => [`data-${k.toLowerCase()}`, String(v)]))}
  >
    <MessageBarBody>{notice.text}</MessageBarBody>
    <MessageBarActions>
      <Button size="small" appearance="transparent" onClick={onDismiss}>
        {dismissLabel}
      </Button>
    </MessageBarActions>
  </MessageBar>
);
