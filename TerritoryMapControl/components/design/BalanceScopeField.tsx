/** Where a balancing run works: the whole plan or one region / district (only its territories and accounts change). */
import * as React from "react";
import { Dropdown, Field, Option } from "@fluentui/react-components";
import { formatTemplate } from "../../domain/text";

export interface BalanceScopeFieldProps {
  /** Regions and districts, parents first, with their depth. */
  scopes: readonly { key: string; name: string; depth: number }[];
  /** The chosen region's key, or null for the whole plan. */
  value: string | null;
  onChange: (key: string | null) => void;
  /** Accounts regions or districts of the scope hold themselves (the run gives them a territory). */
  heldByParents: number;
  getString: (key: string) => string;
}

const ALL = "__all__";

export const BalanceScopeField: React.FC<BalanceScopeFieldProps> = ({ scopes, value, onChange, heldByParents, getString }) => {
  if (scopes.length === 0) return null;
  const label = getString("Balance_Scope");
  const nameOf = (key: string | null) => (key === null ? getString("Balance_ScopeAll") : (scopes.find((s) => s.key === key)?.name ?? ""));
  return (
    <Field
      label={label}
      hint={heldByParents > 0 ? formatTemplate(getString("Balance_HeldByParents"), heldByParents.toLocaleString()) : undefined}
    >
      <Dropdown
        aria-label={label}
        value={nameOf(value)}
        selectedOptions={[value ?? ALL]}
        onOptionSelect={(_, d) => onChange(!d.optionValue || d.optionValue === ALL ? null : d.optionValue)}
        data-testid="balance-scope"
      >
        <Option value={ALL}>{getString("Balance_ScopeAll")}</Option>
        {scopes.map((s) => (
          <Option key={s.key} value={s.key} text={s.name}>
            {"\u2003".repeat(s.depth) + s.name}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
};
