import * as React from "react";
import {
  Button,
  Field,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  ToggleButton,
  webLightTheme,
} from "@fluentui/react-components";
import type { TerritoryMapProps } from "../props";
import type { Rep, Territory } from "../domain/accounts";
import { TerritoryColors } from "../domain/palette";
import { MapView } from "./MapView";
import { PlanWorkspace, type PublishWiring } from "./plan/PlanWorkspace";
import { UnplacedDialog } from "./UnplacedDialog";
import { useAccountLoading } from "./useAccountLoading";
import { formatTemplate } from "./text";
import { useAppStyles } from "./TerritoryMapApp.styles";
import type { LoadState } from "./loadState";

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

/** Territory Map: every account in scope on a map, coloured by territory, loaded page by page. */
export const TerritoryMapApp: React.FC<TerritoryMapProps> = React.memo((props) => {
  const { repository, draftRepository, settings, getString } = props;
  const styles = useAppStyles();
  const colors = React.useMemo(() => new TerritoryColors(), []);
  const [subscriptionKey, setSubscriptionKey] = React.useState<string | null | undefined>(undefined);
  const [territories, setTerritories] = React.useState<Territory[]>([]);
  const [reps, setReps] = React.useState<Rep[]>([]);
  const [unplacedOpen, setUnplacedOpen] = React.useState(false);
  const [panelOpen, setPanelOpen] = React.useState(true);
  const territoryNames = React.useRef(new Map<string, string>());
  const loading = useAccountLoading(repository, settings.accountScope, settings.measureColumns);
  const { state } = loading;

  // The Azure Maps key (environment variable); without one — or if it cannot be read — the offline basemap.
  React.useEffect(() => {
    let live = true;
    const name = settings.mapsKeyVariable;
    if (!name) {
      setSubscriptionKey(null);
      return undefined;
    }
    repository.getEnvironmentVariableValue(name).then(
      (value) => live && setSubscriptionKey(value && value.trim() ? value.trim() : null),
      () => live && setSubscriptionKey(null),
    );
    return () => {
      live = false;
    };
  }, [repository, settings.mapsKeyVariable]);

  // Territories and reps: names and legend; not needed to plot, so a failure only leaves the list sparse until
  // the next Retry, which loads them again (referenceAttempt) together with the accounts.
  const [referenceAttempt, setReferenceAttempt] = React.useState(0);
  const referenceFailed = React.useRef(false);
  React.useEffect(() => {
    let live = true;
    referenceFailed.current = false;
    const failed = (): void => {
      referenceFailed.current = true;
    };
    repository.loadTerritories().then((list) => {
      if (!live) return;
      const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
      colors.register(sorted.map((t) => t.id));
      territoryNames.current = new Map(sorted.map((t) => [t.id, t.name]));
      setTerritories(sorted);
    }, failed);
    repository.loadReps().then((list) => live && setReps(list), failed);
    return () => {
      live = false;
    };
  }, [repository, colors, referenceAttempt]);

  const { retry: retryAccounts } = loading;
  const retry = React.useCallback(() => {
    if (referenceFailed.current) setReferenceAttempt((a) => a + 1);
    retryAccounts();
  }, [retryAccounts]);

  // Publishing: the user's rights are asked once; after a publish the Dynamics territories (names of the ones it
  // created, reps) are read again.
  const { publishing } = props;
  const [publishDisabled, setPublishDisabled] = React.useState<string | null | undefined>(undefined);
  React.useEffect(() => {
    if (!publishing) return undefined;
    let live = true;
    publishing.checkPrivileges().then(
      (reason) => live && setPublishDisabled(reason),
      // The check itself failed: let the user try; publishPlan checks RetrieveUserPrivileges before writing.
      () => live && setPublishDisabled(null),
    );
    return () => {
      live = false;
    };
  }, [publishing]);
  const publishWiring = React.useMemo<PublishWiring | undefined>(
    () =>
      publishing
        ? { publisherFor: publishing.publisherFor, disabledReason: publishDisabled, onPublished: () => setReferenceAttempt((a) => a + 1) }
        : undefined,
    [publishing, publishDisabled],
  );

  const territoryName = React.useCallback(
    (id: string | null) =>
      id ? (territoryNames.current.get(id) ?? getString("Territories_Unknown")) : getString("Territories_Unassigned"),
    [getString],
  );
  const popupLabels = React.useMemo(
    () => ({
      territory: getString("Popup_Territory"),
      unassigned: getString("Territories_Unassigned"),
      location: getString("Popup_Location"),
    }),
    [getString],
  );
  const openUnplaced = React.useCallback(() => setUnplacedOpen(true), []);
  const togglePanel = React.useCallback(() => setPanelOpen((o) => !o), []);

  const unplacedCount = state.unplaced.length;
  const error = state.error;
  const rootStyle: React.CSSProperties | undefined = props.height > 0 ? { height: `${props.height}px` } : undefined;

  return (
    <FluentProvider theme={webLightTheme} className={styles.provider}>
      <div className={`tmap-root ${styles.root}`} style={rootStyle}>
        <div className={styles.header} role="toolbar" aria-label={getString("Toolbar_Label")}>
          <span className={styles.title}>{getString("Control_DisplayName")}</span>
          <Button
            appearance="subtle"
            onClick={openUnplaced}
            disabled={unplacedCount === 0}
            aria-label={formatTemplate(getString("Unplaced_Button"), unplacedCount)}
            data-testid="show-unplaced"
          >
            {formatTemplate(getString("Unplaced_Button"), unplacedCount)}
          </Button>
          <ToggleButton
            appearance="subtle"
            checked={panelOpen}
            onClick={togglePanel}
            title={getString("Territories_Toggle")}
            data-testid="toggle-territories"
          >
            {getString("Territories_Title")}
          </ToggleButton>
        </div>
        {(state.status === "loading" || error || loading.mapError) && (
          <div className={styles.banner}>
            {state.status === "loading" && <LoadProgress state={state} getString={getString} />}
            {error && (
              <MessageBar intent="error" data-testid="load-error" data-error-kind={error.kind}>
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
            {!!loading.mapError && (
              <MessageBar intent="warning" data-testid="map-error">
                <MessageBarBody>{getString("Map_Unavailable")}</MessageBarBody>
              </MessageBar>
            )}
          </div>
        )}
        <div className={styles.body}>
          <div className={styles.mapArea}>
            <MapView
              key={loading.loadKey}
              subscriptionKey={subscriptionKey}
              center={settings.center}
              zoom={settings.zoom}
              colors={colors}
              labels={popupLabels}
              territoryName={territoryName}
              ariaLabel={getString("Map_Label")}
              onAdapter={loading.onAdapter}
              onMapError={loading.onMapError}
              width={props.width}
              height={props.height}
            />
          </div>
          <div style={panelOpen ? { display: "contents" } : { display: "none" }}>
            <PlanWorkspace
              ready={state.status === "done"}
              loadKey={loading.loadKey}
              accounts={loading.accounts}
              measures={settings.measureColumns}
              territories={territories}
              reps={reps}
              colors={colors}
              adapter={loading.adapter}
              draftRepository={draftRepository}
              onPublishRequested={props.onPublishRequested}
              publishing={publishWiring}
              getString={getString}
            />
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
