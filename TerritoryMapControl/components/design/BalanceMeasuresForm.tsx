/** The auto-balance form's settings: measures to balance, tolerance, capacity per rep, locks and disruption. */
import * as React from "react";
import { Checkbox, Field, Input, Radio, RadioGroup } from "@fluentui/react-components";
import { BALANCE_TOLERANCE_PERCENT, DEFAULT_KEEP_OWNERS_FACTOR, KEEP_OWNERS_LEVELS } from "../../domain/defaults";
import { chosenMeasures } from "../../domain/design/balanceForm";
import { formatTemplate } from "../../domain/text";
import { balanceMeasureName } from "./balanceLabels";
import { useDesignStyles } from "./design.styles";

export interface BalanceSettings {
  /** Chosen measures: "count" and `m<column>`. */
  measures: ReadonlySet<string>;
  /** Tolerance in percent, as typed. */
  tolerance: string;
  /** Capacity per rep, as typed. */
  capacity: string;
  respectLocks: boolean;
  moveCostFactor: number;
}

export function defaultBalanceSettings(): BalanceSettings {
  return {
    measures: new Set(["count"]),
    tolerance: String(BALANCE_TOLERANCE_PERCENT),
    capacity: "",
    respectLocks: true,
    moveCostFactor: DEFAULT_KEEP_OWNERS_FACTOR,
  };
}

export interface BalanceMeasuresFormProps {
  measureLabels: readonly string[];
  value: BalanceSettings;
  onChange: (change: Partial<BalanceSettings>) => void;
  /** The capacity applies to chosen reps only. */
  showCapacity: boolean;
  getString: (key: string) => string;
}

export const BalanceMeasuresForm: React.FC<BalanceMeasuresFormProps> = ({ measureLabels, value, onChange, showCapacity, getString }) => {
  const styles = useDesignStyles();
  const { measures, tolerance, capacity, respectLocks, moveCostFactor } = value;
  const first = chosenMeasures(measures, measureLabels.length)[0];
  return (
    <>
      <fieldset style={{ border: 0, padding: 0 }}>
        <legend>{getString("Balance_MeasuresLabel")}</legend>
        <div className={styles.inline}>
          {[{ key: "count", label: getString("Balance_MeasureCount") }, ...measureLabels.map((l, m) => ({ key: `m${m}`, label: l }))].map(
            (o) => (
              <Checkbox
                key={o.key}
                label={o.label}
                checked={measures.has(o.key)}
                onChange={(_, d) => {
                  const next = new Set(measures);
                  if (d.checked) next.add(o.key);
                  else next.delete(o.key);
                  onChange({ measures: next });
                }}
              />
            ),
          )}
        </div>
      </fieldset>
      <div className={styles.inline}>
        <Field label={getString("Balance_Tolerance")} hint={getString("Balance_ToleranceHint")}>
          <Input
            type="number"
            min={0}
            max={100}
            step={0.5}
            value={tolerance}
            onChange={(_, d) => onChange({ tolerance: d.value })}
            data-testid="balance-tolerance"
          />
        </Field>
        {showCapacity && (
          <Field
            label={formatTemplate(getString("Balance_Capacity"), first ? balanceMeasureName(first, measureLabels, getString) : "")}
            hint={getString("Balance_CapacityHint")}
          >
            <Input
              type="number"
              min={0}
              value={capacity}
              onChange={(_, d) => onChange({ capacity: d.value })}
              data-testid="balance-capacity"
            />
          </Field>
        )}
      </div>
      <Checkbox
        label={getString("Balance_RespectLocks")}
        checked={respectLocks}
        onChange={(_, d) => onChange({ respectLocks: Boolean(d.checked) })}
      />
      <RadioGroup
        value={String(moveCostFactor)}
        onChange={(_, d) => onChange({ moveCostFactor: Number(d.value) })}
        aria-label={getString("Balance_Disruption")}
        layout="horizontal"
      >
        {KEEP_OWNERS_LEVELS.map((o) => (
          <Radio key={o.key} value={String(o.moveCostFactor)} label={getString(o.key)} />
        ))}
      </RadioGroup>
    </>
  );
};
