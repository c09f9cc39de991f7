/** The "Pick on map" button of the design dialogs; its `data-pick` key brings the focus back after the pick. */
import * as React from "react";
import { Button } from "@fluentui/react-components";

/** A "Pick on map" button; `pickKey` identifies it for the focus return. */
export const PickOnMapButton: React.FC<{
  pickKey: string;
  label: string;
  onClick: () => void;
  getString: (key: string) => string;
  disabled?: boolean;
}> = ({ pickKey, label, onClick, getString, disabled }) => (
  <Button size="small" aria-label={label} data-pick={pickKey} data-testid="pick-on-map" onClick={onClick} disabled={disabled}>
    {getString("Balance_PickHome")}
  </Button>
);
