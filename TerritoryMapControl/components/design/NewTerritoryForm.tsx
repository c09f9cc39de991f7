/**
 * After a territory is drawn: its name, the region (or district) it belongs to and its rep, inline in the design
 * panel so the map stays usable. "Keep as drawn" leaves the default name, the top level and no rep.
 */
import * as React from "react";
import { Button, Dropdown, Field, Input, Option } from "@fluentui/react-components";
import { useDesignStyles } from "./design.styles";

export interface NewTerritoryFormProps {
  /** The name it was given when drawn. */
  name: string;
  /** Regions and districts, parents first, with their depth. */
  parents: readonly { key: string; name: string; depth: number }[];
  suggestedParent: string | null;
  reps: readonly { id: string; name: string }[];
  onDone: (change: { name: string; parentKey: string | null; repId: string | null }) => void;
  onKeep: () => void;
  getString: (key: string) => string;
}

const TOP = "__top__";
const NONE = "__none__";

export const NewTerritoryForm: React.FC<NewTerritoryFormProps> = (props) => {
  const { parents, reps, onDone, onKeep, getString } = props;
  const styles = useDesignStyles();
  const [name, setName] = React.useState(props.name);
  const [parent, setParent] = React.useState<string | null>(props.suggestedParent);
  const [rep, setRep] = React.useState<string | null>(null);
  const parentName = parent === null ? getString("NewTerritory_TopLevel") : (parents.find((p) => p.key === parent)?.name ?? "");
  const repName = rep === null ? getString("Territories_NoRep") : (reps.find((r) => r.id === rep)?.name ?? "");
  const valid = name.trim().length > 0;
  return (
    <form
      className={styles.form}
      aria-label={getString("NewTerritory_Title")}
      data-testid="new-territory"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onDone({ name: name.trim(), parentKey: parent, repId: rep });
      }}
    >
      <strong>{getString("NewTerritory_Title")}</strong>
      <Field label={getString("NewTerritory_Name")} validationMessage={valid ? undefined : getString("NewTerritory_NameNeeded")}>
        <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} data-testid="new-territory-name" />
      </Field>
      {parents.length > 0 && (
        <Field label={getString("NewTerritory_Parent")}>
          <Dropdown
            aria-label={getString("NewTerritory_Parent")}
            value={parentName}
            selectedOptions={[parent ?? TOP]}
            onOptionSelect={(_, d) => setParent(!d.optionValue || d.optionValue === TOP ? null : d.optionValue)}
            data-testid="new-territory-parent"
          >
            <Option value={TOP}>{getString("NewTerritory_TopLevel")}</Option>
            {parents.map((p) => (
              <Option key={p.key} value={p.key} text={p.name}>
                {"\u2003".repeat(p.depth) + p.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      )}
      <Field label={getString("NewTerritory_Rep")}>
        <Dropdown
          aria-label={getString("NewTerritory_Rep")}
          value={repName}
          selectedOptions={[rep ?? NONE]}
          onOptionSelect={(_, d) => setRep(!d.optionValue || d.optionValue === NONE ? null : d.optionValue)}
          data-testid="new-territory-rep"
        >
          <Option value={NONE}>{getString("Territories_NoRep")}</Option>
          {reps.map((r) => (
            <Option key={r.id} value={r.id}>
              {r.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={!valid} data-testid="new-territory-done">
          {getString("NewTerritory_Done")}
        </Button>
        <Button onClick={onKeep} data-testid="new-territory-keep">
          {getString("NewTerritory_Keep")}
        </Button>
      </div>
    </form>
  );
};
