/** The auto-balance form's reps: choose reps, see each home base, type its coordinates or pick it on the map. */
import * as React from "react";
import { Checkbox, Input } from "@fluentui/react-components";
import type { BalanceRep } from "../../domain/design/balanceInput";
import { formatTemplate } from "../../domain/text";
import { useDesignStyles } from "./design.styles";
import { PickOnMapButton } from "./PickOnMapButton";
import type { MapPick } from "./useMapPick";
import type { RepHomes } from "./useRepHomes";

export interface BalanceRepChooserProps {
  reps: readonly BalanceRep[];
  homes: RepHomes;
  /** Shows a Pick on map button per rep (there is a map). */
  canPick: boolean;
  pick: MapPick;
  getString: (key: string) => string;
}

export const BalanceRepChooser: React.FC<BalanceRepChooserProps> = ({ reps, homes, canPick, pick, getString }) => {
  const styles = useDesignStyles();
  return (
    <fieldset className={styles.scroll} style={{ border: 0, padding: 0 }} aria-label={getString("Balance_RepsLabel")}>
      <legend>{getString("Balance_RepsLabel")}</legend>
      {reps.map((r) => {
        const home = homes.homeOf(r);
        const typed = homes.typedText(r);
        const invalid = homes.typedInvalid(r);
        return (
          <div key={r.id} className={styles.inline} data-testid="balance-rep">
            <Checkbox
              label={home ? r.name : formatTemplate(getString("Balance_RepNoHome"), r.name)}
              checked={homes.chosen.has(r.id) && home !== null}
              disabled={home === null}
              onChange={(_, d) => homes.choose(r, Boolean(d.checked))}
            />
            {home && (
              <span className={styles.secondary} data-testid="balance-rep-home">
                {formatTemplate(getString("Balance_HomeAt"), home[1].toFixed(5), home[0].toFixed(5))}
              </span>
            )}
            <Input
              size="small"
              className={styles.coordinate}
              aria-label={formatTemplate(getString("Balance_HomeLatitudeOf"), r.name)}
              value={typed.lat}
              onChange={(_, d) => homes.typeHome(r, "lat", d.value)}
              aria-invalid={invalid}
              data-testid="balance-rep-lat"
            />
            <Input
              size="small"
              className={styles.coordinate}
              aria-label={formatTemplate(getString("Balance_HomeLongitudeOf"), r.name)}
              value={typed.lon}
              onChange={(_, d) => homes.typeHome(r, "lon", d.value)}
              aria-invalid={invalid}
              data-testid="balance-rep-lon"
            />
            {invalid && (
              <span role="alert" className={styles.secondary}>
                {getString("Balance_HomeInvalid")}
              </span>
            )}
            {canPick && (
              <PickOnMapButton
                pickKey={`rep:${r.id}`}
                label={formatTemplate(getString("Balance_PickHomeFor"), r.name)}
                getString={getString}
                onClick={() =>
                  pick.pick(`rep:${r.id}`, formatTemplate(getString("Balance_PickPrompt"), r.name), (lat, lon) => homes.picked(r, lat, lon))
                }
              />
            )}
          </div>
        );
      })}
    </fieldset>
  );
};
