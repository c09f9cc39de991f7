/** The conflicts a publish must decide: overwrite or keep each account changed in Dynamics since the draft, or all. */
import * as React from "react";
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup } from "@fluentui/react-components";
import type { ConflictChoice, PublishConflict } from "../../domain/publish";
import { usePublishDialogStyles } from "./PublishDialog.styles";
import type { Fmt } from "./publishText";

/** Conflict rows rendered at most (the rest follow "Overwrite all" / "Keep all"). */
export const CONFLICT_LIST_LIMIT = 500;

export interface PublishConflictsProps {
  conflicts: readonly PublishConflict[];
  decisions: ReadonlyMap<string, ConflictChoice>;
  all: ConflictChoice | null;
  onChooseAll: (choice: ConflictChoice) => void;
  onChoose: (accountId: string, choice: ConflictChoice) => void;
  /** Conflicts without a decision yet. */
  undecided: number;
  accountName?: (accountId: string) => string | undefined;
  territoryName?: (territoryId: string) => string | undefined;
  s: Fmt;
  getString: (key: string) => string;
}

export const PublishConflicts: React.FC<PublishConflictsProps> = (props) => {
  const { conflicts, decisions, all, onChooseAll, onChoose, undecided, accountName, territoryName, s, getString } = props;
  const styles = usePublishDialogStyles();
  const tName = (id: string | null): string => (id === null ? getString("Publish_NoTerritory") : (territoryName?.(id) ?? id));
  return (
    <section className={styles.conflicts} aria-label={getString("Publish_ConflictsLabel")}>
      <MessageBar intent="warning">
        <MessageBarBody>
          <MessageBarTitle>{s("Publish_ConflictsTitle", conflicts.length)}</MessageBarTitle>
          {getString("Publish_ConflictsIntro")}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.bulk}>
        <Button
          onClick={() => onChooseAll("overwrite")}
          appearance={all === "overwrite" ? "primary" : "secondary"}
          data-testid="publish-overwrite-all"
        >
          {getString("Publish_OverwriteAll")}
        </Button>
        <Button onClick={() => onChooseAll("keep")} appearance={all === "keep" ? "primary" : "secondary"} data-testid="publish-keep-all">
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
            onChoose={(choice) => onChoose(c.accountId, choice)}
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
