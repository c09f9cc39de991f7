/** A runtime-change field that picks one plan territory (listed with its rep). */
import * as React from "react";
import { Dropdown, Field, Option } from "@fluentui/react-components";

export interface RuntimeTerritoryFieldProps {
  label: string;
  testId: string;
  /** Plan territories in index order, with their rep. */
  territories: readonly { id: string; name: string; repId: string | null }[];
  /** The chosen plan territory (index), or null. */
  value: number | null;
  onChange: (territory: number | null) => void;
  repName: (repId: string | null) => string;
}

export const RuntimeTerritoryField: React.FC<RuntimeTerritoryFieldProps> = ({ label, testId, territories, value, onChange, repName }) => (
  <Field label={label}>
    <Dropdown
      aria-label={label}
      value={value === null ? "" : (territories[value]?.name ?? "")}
      selectedOptions={value === null ? [] : [String(value)]}
      onOptionSelect={(_, d) => onChange(d.optionValue === undefined ? null : Number(d.optionValue))}
      data-testid={testId}
    >
      {territories.map((t, i) => (
        <Option key={t.id} value={String(i)} text={t.name}>
          {`${t.name} — ${repName(t.repId)}`}
        </Option>
      ))}
    </Dropdown>
  </Field>
);
