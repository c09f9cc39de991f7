import * as React from "react";
import {
  Button,
  Field,
  FluentProvider,
  mergeClasses,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  ToggleButton,
  webLightTheme,
} from "@fluentui/react-components";
import type { TerritoryMapProps } from "../props";
import type { LoadState } from "../app/loading/loadState";
import type { MapPort } from "../app/ports/map";
import { formatTemplate } from "../domain/text";
import { MapView } from "./MapView";
import { PlanCard } from "./plan/PlanCard";
import { UnplacedDialog } from "./UnplacedDialog";
import { useStore } from "./useStore";
import { useAppStyles } from "./TerritoryMapApp.styles";

const ERROR_KEYS: Record<string, string> = {
  scope: "Error_Scope",
  throttled: "Error_Throttled",
  unavailable: "Error_Unavailable",
  rejected: "Error_Rejected",
  forbidden: "Error_Forbidden",
  unknown: "Error_Unknown",
};

/** The progress line while pages load / the map draws. */
const LoadProgress: React.FC<{ state: LoadState; getString: (key: string) => string }> = React.memo(({ state, getString }) => {
  let label: string;
  let value: number | undefined;
  if (state.allLoaded) {
    label = formatTemplate(getString("Load_Drawing"), state.plotted);
    value = undefined;
  } else if (state.expected !== null && state.expected >= state.loaded && state.expected > 0) {
    label = formatTemplate(getString("Load_Progress"), state.loaded, state.expected);
    value = Math.min(1, state.loaded / state.expected);
  } else {
    label = state.loaded > 0 ? formatTemplate(getString("Load_ProgressUnknown"), state.loaded) : getString("Load_Starting");
    value = undefined;
  }
  return (
    <Field validationMessage={label} validationState="none" data-testid="load-progress">
      <ProgressBar value={value} max={1} thickness="medium" aria-label={label} />
    </Field>
  );
});
LoadProgress.displayName = "LoadProgress";

/** Below this width the card goes under the map instead of beside it. */
const STACK_BELOW_PX = 880;

/**
 * The width the control has: the allocated width when the host tracks it, else the root's own (a ResizeObserver),
 * 0 until known.
 */
function useControlWidth(root: React.RefObject<HTMLDivElement>, allocated: number): number {
  const [measured, setMeasured] = React.useState(0);
  React.useEffect(() => {
    const el = root.current;
    if (!el || typeof ResizeObserver === "undefined") return undefined;
    const observer = new ResizeObserver((entries) => {
      for (const e of entries) setMeasured(Math.round(e.contentRect.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [root]);
  return allocated > 0 ? allocated : measured;
}

/** Territory Map: every account in scope on a map, coloured by territory, beside the territory card. */
export const TerritoryMapApp: React.FC<TerritoryMapProps> = React.memo((props) => {
  const { session, getString } = props;
  const loader = session.loader;
  const styles = useAppStyles();
  const loaded = useStore(loader);
  const [unplacedOpen, setUnplacedOpen] = React.useState(false);
  const [panelOpen, setPanelOpen] = React.useState(true);
  const rootRef = React.useRef<HTMLDivElement>(null);
  const width = useControlWidth(rootRef, props.width);
  const stacked = width > 0 && width < STACK_BELOW_PX;
  React.useEffect(() => session.start(), [session]);

  const loadKey = loaded.loadKey;
  const onMap = React.useCallback((map: MapPort) => loader.attachMap(map, loadKey), [loader, loadKey]);
  const onMapGone = React.useCallback((map: MapPort) => loader.detachMap(map), [loader]);
  const onMapError = React.useCallback((error: unknown) => loader.mapFailed(error), [loader]);
  const retry = React.useCallback(() => loader.retry(), [loader]);
  const territoryName = React.useCallback(
    (id: string | null) => loader.territoryName(id, getString("Territories_Unknown"), getString("Territories_Unassigned")),
    [loader, getString],
  );
  const popupLabels = React.useMemo(
    () => ({
      territory: getString("Popup_Territory"),
      unassigned: getString("Territories_Unassigned"),
      location: getString("Popup_Location"),
      parent: getString("Popup_Parent"),
      owner: getString("Popup_Owner"),
      openRecord: getString("Popup_OpenRecord"),
      openRecordOf: getString("Popup_OpenRecordOf"),
      more: getString("Popup_More"),
    }),
    [getString],
  );

  const state = loaded.load;
  const unplacedCount = state.unplaced.length;
  const error = state.error;
  const rootStyle: React.CSSProperties | undefined = props.height > 0 ? { height: `${props.height}px` } : undefined;

  return (
    <FluentProvider theme={props.theme ?? webLightTheme} className={styles.provider}>
      <div ref={rootRef} className={`tmap-root ${styles.root}`} style={rootStyle} data-layout={stacked ? "stacked" : "side"}>
        <div className={styles.header} role="toolbar" aria-label={getString("Toolbar_Label")}>
          <span className={styles.title}>{getString("Control_DisplayName")}</span>
          <Button
            appearance="subtle"
            onClick={() => setUnplacedOpen(true)}
            disabled={unplacedCount === 0}
            aria-label={formatTemplate(getString("Unplaced_Button"), unplacedCount)}
            data-testid="show-unplaced"
          >
            {formatTemplate(getString("Unplaced_Button"), unplacedCount)}
          </Button>
          <ToggleButton
            appearance="subtle"
            checked={panelOpen}
            onClick={() => setPanelOpen((o) => !o)}
            title={getString("Territories_Toggle")}
            data-testid="toggle-territories"
          >
            {getString("Territories_Title")}
          </ToggleButton>
        </div>
        {(state.status === "loading" || error || loaded.mapError) && (
          <div className={styles.banner}>
            {state.status === "loading" && <LoadProgress state={state} getString={getString} />}
            {error && (
              <MessageBar layout="multiline" intent="error" data-testid="load-error" data-error-kind={error.kind}>
                <MessageBarBody>
                  <MessageBarTitle>{getString("Error_Title")}</MessageBarTitle>
                  {getString(ERROR_KEYS[error.kind] ?? "Error_Unknown")}
                  {error.detail && <div data-testid="load-error-detail">{error.detail}</div>}
                </MessageBarBody>
                <MessageBarActions>
                  <Button onClick={retry} aria-label={getString("Error_RetryLabel")} data-testid="retry">
                    {getString("Error_Retry")}
                  </Button>
                </MessageBarActions>
              </MessageBar>
            )}
            {!!loaded.mapError && (
              <MessageBar layout="multiline" intent="warning" data-testid="map-error">
                <MessageBarBody>{getString("Map_Unavailable")}</MessageBarBody>
              </MessageBar>
            )}
          </div>
        )}
        <div className={mergeClasses(styles.body, stacked && styles.bodyStacked)}>
          <div className={mergeClasses(styles.mapArea, stacked && styles.mapAreaStacked)}>
            <MapView
              key={loaded.loadKey}
              createMap={props.createMap}
              subscriptionKey={loaded.subscriptionKey}
              center={props.center}
              zoom={props.zoom}
              colors={session.colors}
              labels={popupLabels}
              territoryName={territoryName}
              onOpenRecord={session.openAccount}
              ariaLabel={getString("Map_Label")}
              onMap={onMap}
              onMapGone={onMapGone}
              onMapError={onMapError}
              width={props.width}
              height={props.height}
            />
          </div>
          <div style={panelOpen ? { display: "contents" } : { display: "none" }}>
            <PlanCard session={session} getString={getString} stacked={stacked} />
          </div>
        </div>
        <div
          className={styles.status}
          role="status"
          aria-live="polite"
          data-testid="plot-status"
          data-state={state.status}
          data-plotted={state.plotted}
          data-unplaced={unplacedCount}
          data-total={state.loaded}
          data-expected={state.expected ?? ""}
        >
          {formatTemplate(getString("Status_Summary"), state.plotted, unplacedCount)}
        </div>
        <UnplacedDialog open={unplacedOpen} accounts={state.unplaced} getString={getString} onOpenChange={setUnplacedOpen} />
      </div>
    </FluentProvider>
  );
});
TerritoryMapApp.displayName = "TerritoryMapApp";
