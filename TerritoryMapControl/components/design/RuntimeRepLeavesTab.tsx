/** The runtime-change tab "A rep leaves": the territory whose accounts are redistributed. */
import * as React from "react";
import { RuntimeTerritoryField, type RuntimeTerritoryFieldProps } from "./RuntimeTerritoryField";

export interface RuntimeRepLeavesTabProps {
  territories: RuntimeTerritoryFieldProps["territories"];
  leaving: number | null;
  onLeavingChange: (territory: number | null) => void;
  repName: (repId: string | null) => string;
  getString: (key: string) => string;
}

export const RuntimeRepLeavesTab: React.FC<RuntimeRepLeavesTabProps> = ({ territories, leaving, onLeavingChange, repName, getString }) => (
  <RuntimeTerritoryField
    label={getString("Runtime_LeavingTerritory")}
    testId="runtime-leaving"
    territories={territories}
    value={leaving}
    onChange={onLeavingChange}
    repName={repName}
  />
);
