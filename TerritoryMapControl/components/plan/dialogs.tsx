import * as React from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Option,
} from "@fluentui/react-components";
import type { Rep } from "../../domain/accounts";
import { usePlanStyles } from "./plan.styles";

/** Asks for a name (save as draft, save as new draft, rename). Empty or > 200 characters is refused with a message. */
export const NameDialog: React.FC<{
  open: boolean;
  title: string;
  label: string;
  initial: string;
  confirm: string;
  getString: (key: string) => string;
  onConfirm: (name: string) => void;
  onCancel: () => void;
  testId: string;
}> = ({ open, title, label, initial, confirm, getString, onConfirm, onCancel, testId }) => {
  const [value, setValue] = React.useState(initial);
  const [touched, setTouched] = React.useState(false);
  React.useEffect(() => {
    if (open) {
      setValue(initial);
      setTouched(false);
    }
  }, [open, initial]);
  const trimmed = value.trim();
  const error = !trimmed ? getString("Name_Required") : trimmed.length > 200 ? getString("Name_TooLong") : null;
  const submit = (e?: React.FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (!error) onConfirm(trimmed);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        if (!d.open) onCancel();
      }}
    >
      <DialogSurface data-testid={testId}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent>
              <Field
                label={label}
                validationMessage={touched && error ? error : undefined}
                validationState={touched && error ? "error" : "none"}
              >
                <Input value={value} onChange={(_, d) => setValue(d.value)} maxLength={250} data-testid={`${testId}-input`} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onCancel}>
                {getString("Common_Cancel")}
              </Button>
              <Button appearance="primary" type="submit" data-testid={`${testId}-confirm`}>
                {confirm}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
};

export interface ConfirmButton {
  label: string;
  onClick: () => void;
  primary?: boolean;
  testId?: string;
}

/** A question with buttons (overwrite?, delete?, discard unsaved changes?, conflict). Escape = the cancel button. */
export const ConfirmDialog: React.FC<{
  open: boolean;
  title: string;
  message: React.ReactNode;
  buttons: ConfirmButton[];
  onCancel: () => void;
  testId: string;
  role?: "dialog" | "alertdialog";
}> = ({ open, title, message, buttons, onCancel, testId, role }) => (
  <Dialog
    open={open}
    modalType={role === "alertdialog" ? "alert" : "modal"}
    onOpenChange={(_, d) => {
      if (!d.open) onCancel();
    }}
  >
    <DialogSurface data-testid={testId}>
      <DialogBody>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>{message}</DialogContent>
        <DialogActions>
          {buttons.map((b) => (
            <Button key={b.label} appearance={b.primary ? "primary" : "secondary"} onClick={b.onClick} data-testid={b.testId}>
              {b.label}
            </Button>
          ))}
        </DialogActions>
      </DialogBody>
    </DialogSurface>
  </Dialog>
);

export const NO_REP = "__none__";

/** Chooses a rep (systemuser) for the selected territory, or "No rep". */
export const AssignRepDialog: React.FC<{
  open: boolean;
  territoryName: string;
  current: string | null;
  reps: readonly Rep[];
  getString: (key: string) => string;
  onConfirm: (repId: string | null) => void;
  onCancel: () => void;
}> = ({ open, territoryName, current, reps, getString, onConfirm, onCancel }) => {
  const styles = usePlanStyles();
  const [value, setValue] = React.useState<string>(current ?? NO_REP);
  React.useEffect(() => {
    if (open) setValue(current ?? NO_REP);
  }, [open, current]);
  const sorted = React.useMemo(() => [...reps].sort((a, b) => a.fullName.localeCompare(b.fullName)), [reps]);
  const name = value === NO_REP ? getString("Territories_NoRep") : (sorted.find((r) => r.id === value)?.fullName ?? value);
  return (
    <Dialog
      open={open}
      onOpenChange={(_, d) => {
        if (!d.open) onCancel();
      }}
    >
      <DialogSurface data-testid="assign-rep-dialog">
        <DialogBody>
          <DialogTitle>{`${getString("AssignRep_Title")}: ${territoryName}`}</DialogTitle>
          <DialogContent className={styles.form}>
            <Field label={getString("AssignRep_Label")}>
              <Dropdown
                inlinePopup
                value={name}
                selectedOptions={[value]}
                onOptionSelect={(_, d) => setValue(d.optionValue ?? NO_REP)}
                data-testid="assign-rep-dropdown"
              >
                <Option value={NO_REP}>{getString("Territories_NoRep")}</Option>
                {sorted.map((r) => (
                  <Option key={r.id} value={r.id}>
                    {r.fullName}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel}>{getString("Common_Cancel")}</Button>
            <Button appearance="primary" onClick={() => onConfirm(value === NO_REP ? null : value)} data-testid="assign-rep-confirm">
              {getString("AssignRep_Confirm")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
