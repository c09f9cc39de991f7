/** The runtime-change tab "Capacity": a territory and its new capacity in accounts. */
import * as React from "react";
import { Field, Input } from "@fluentui/react-components";
import { useDesignStyles } from "./design.styles";
import { RuntimeTerritoryField, type RuntimeTerritoryFieldProps } from "./RuntimeTerritoryField";

export interface RuntimeCapacityTabProps {
  territories: RuntimeTerritoryFieldProps["territories"];
  territory: number | null;
  onTerritoryChange: (territory: number | null) => void;
  /** The capacity as typed. */
  capacity: string;
  onCapacityChange: (capacity: string) => void;
  repName: (repId: string | null) => string;
  getString: (key: string) => string;
}

export const RuntimeCapacityTab: React.FC<RuntimeCapacityTabProps> = (props) => {
  const { territories, territory, onTerritoryChange, capacity, onCapacityChange, repName, getString } = props;
  const styles = useDesignStyles();
  return (
    <div className={styles.inline}>
      <RuntimeTerritoryField
        label={getString("Runtime_CapacityTerritory")}
        testId="runtime-cap-territory"
        territories={territories}
        value={territory}
        onChange={onTerritoryChange}
        repName={repName}
      />
      <Field label={getString("Runtime_CapacityAccounts")}>
        <Input type="number" min={0} value={capacity} onChange={(_, d) => onCapacityChange(d.value)} data-testid="runtime-cap-value" />
      </Field>
    </div>
  );
};
