import * as React from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
} from "@fluentui/react-components";
import type { Account, Placement } from "../domain/accounts";
import { formatTemplate } from "../domain/text";
import { useUnplacedDialogStyles } from "./UnplacedDialog.styles";

/** At most this many rows are rendered; the rest are counted ("…and 1,234 more"). */
export const UNPLACED_LIST_LIMIT = 1000;

const REASON_KEYS: Record<Exclude<Placement, "placed">, string> = {
  missing: "Placement_Missing",
  invalid: "Placement_Invalid",
  "out-of-range": "Placement_OutOfRange",
};

export interface UnplacedDialogProps {
  open: boolean;
  accounts: readonly Account[];
  getString: (key: string) => string;
  onOpenChange: (open: boolean) => void;
}

/** Lists the accounts in scope that have no usable coordinates, by name and reason. */
export const UnplacedDialog: React.FC<UnplacedDialogProps> = React.memo(({ open, accounts, getString, onOpenChange }) => {
  const styles = useUnplacedDialogStyles();
  const onChange = React.useCallback((_: unknown, data: { open: boolean }) => onOpenChange(data.open), [onOpenChange]);
  const shown = accounts.slice(0, UNPLACED_LIST_LIMIT);
  return (
    <Dialog open={open} onOpenChange={onChange}>
      <DialogSurface data-testid="unplaced-dialog">
        <DialogBody>
          <DialogTitle>{formatTemplate(getString("Unplaced_DialogTitle"), accounts.length)}</DialogTitle>
          <DialogContent>
            <div className={styles.intro}>{getString("Unplaced_DialogIntro")}</div>
            <ul className={styles.list} aria-label={getString("Unplaced_ListLabel")}>
              {shown.map((a, i) => (
                <li key={a.id || i} className={styles.row} data-testid="unplaced-row" data-reason={a.placement}>
                  <span className={styles.name}>{a.name || a.id}</span>
                  <span className={styles.reason}>
                    {getString(REASON_KEYS[a.placement as Exclude<Placement, "placed">] ?? "Placement_Invalid")}
                  </span>
                </li>
              ))}
            </ul>
            {accounts.length > shown.length && <div>{formatTemplate(getString("Unplaced_More"), accounts.length - shown.length)}</div>}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="primary">{getString("Common_Close")}</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
});
UnplacedDialog.displayName = "UnplacedDialog";
