/** The runtime-change tab "A new rep starts": the rep and their home base, typed or picked on the map. */
import * as React from "react";
import { Dropdown, Field, Input, Option } from "@fluentui/react-components";
import type { BalanceRep } from "../../domain/design/balanceInput";
import { formatTemplate } from "../../domain/text";
import { useDesignStyles } from "./design.styles";
import { PickOnMapButton } from "./PickOnMapButton";
import type { MapPick } from "./useMapPick";

/** A home base as typed. */
export interface TypedHome {
  lon: string;
  lat: string;
}

export interface RuntimeNewRepTabProps {
  reps: readonly BalanceRep[];
  newRepId: string | null;
  onNewRepChange: (repId: string | null) => void;
  home: TypedHome;
  onHomeChange: React.Dispatch<React.SetStateAction<TypedHome>>;
  /** Shows the Pick on map button (there is a map). */
  canPick: boolean;
  pick: MapPick;
  repName: (repId: string | null) => string;
  getString: (key: string) => string;
}

/** Only reps without a territory can start one; choosing a rep fills in the home base from their address. */
export const RuntimeNewRepTab: React.FC<RuntimeNewRepTabProps> = (props) => {
  const { reps, newRepId, onNewRepChange, home, onHomeChange, canPick, pick, repName, getString } = props;
  const styles = useDesignStyles();
  const freeReps = reps.filter((r) => r.territoryIndex === null);
  const selectNewRep = (id: string | null) => {
    onNewRepChange(id);
    const r = reps.find((x) => x.id === id);
    if (r?.home) onHomeChange({ lon: String(r.home[0]), lat: String(r.home[1]) });
  };
  return (
    <>
      <Field label={getString("Runtime_NewRepPick")}>
        <Dropdown
          aria-label={getString("Runtime_NewRepPick")}
          value={newRepId === null ? "" : repName(newRepId)}
          selectedOptions={newRepId === null ? [] : [newRepId]}
          onOptionSelect={(_, d) => selectNewRep(d.optionValue ?? null)}
          data-testid="runtime-new-rep"
        >
          {freeReps.map((r) => (
            <Option key={r.id} value={r.id}>
              {r.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.inline}>
        <Field label={getString("Runtime_HomeLatitude")}>
          <Input
            type="number"
            value={home.lat}
            onChange={(_, d) => onHomeChange((h) => ({ ...h, lat: d.value }))}
            data-testid="runtime-home-lat"
          />
        </Field>
        <Field label={getString("Runtime_HomeLongitude")}>
          <Input
            type="number"
            value={home.lon}
            onChange={(_, d) => onHomeChange((h) => ({ ...h, lon: d.value }))}
            data-testid="runtime-home-lon"
          />
        </Field>
        {canPick && (
          <PickOnMapButton
            pickKey="new-rep"
            label={newRepId === null ? getString("Balance_PickHome") : formatTemplate(getString("Balance_PickHomeFor"), repName(newRepId))}
            getString={getString}
            onClick={() =>
              pick.pick(
                "new-rep",
                newRepId === null ? getString("Runtime_PickPrompt") : formatTemplate(getString("Balance_PickPrompt"), repName(newRepId)),
                (lat, lon) => onHomeChange({ lon: lon.toFixed(6), lat: lat.toFixed(6) }),
              )
            }
          />
        )}
      </div>
    </>
  );
};
