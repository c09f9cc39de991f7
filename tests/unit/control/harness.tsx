/**
 * Renders the whole control (TerritoryMapApp over a TerritoryMapSession) in jsdom with the fakes behind every
 * port: FakeAccountRepository, the drafts fake over the in-memory Web API, FakeMap (recording, draws at once), the
 * in-process balancer and a recording file sink.
 */
import * as React from "react";
import { render } from "@testing-library/react";
import { TerritoryMapApp } from "../../../TerritoryMapControl/components/TerritoryMapApp";
import { TerritoryMapSession, type PlanningPorts, type PlanningSettings } from "../../../TerritoryMapControl/app/TerritoryMapSession";
import { FakeMap, type FakeMapOptions } from "../../../TerritoryMapControl/adapters/map/FakeMap";
import { RecordingNavigation } from "../../../TerritoryMapControl/adapters/navigation/RecordingNavigation";
import { createFakeDraftRepository } from "../../../dataverse/drafts/FakeDraftRepository";
import { createInProcessBalancerClient } from "../../../TerritoryMapControl/adapters/worker/BalancerClient";
import type { FakeAccountRepository } from "../../../TerritoryMapControl/adapters/dataverse/FakeAccountRepository";
import type { MapOptions } from "../../../TerritoryMapControl/app/ports/map";
import { DEFAULT_SETTINGS } from "../../../TerritoryMapControl/settings";
import { installResizeObserver, RESX_STRINGS } from "../../support/resx";

/** The real resx strings, so tests read like the UI (unknown keys show as the key, like the platform). */
export const getString = (key: string): string => RESX_STRINGS.get(key) ?? key;

export { installResizeObserver };

export const TEST_SETTINGS: PlanningSettings = {
  accountScope: DEFAULT_SETTINGS.accountScope,
  measureColumns: DEFAULT_SETTINGS.measureColumns,
  measureRoles: DEFAULT_SETTINGS.measureRoles,
  mapsKeyVariable: "",
};

export interface AppOptions {
  ports?: Partial<PlanningPorts>;
  settings?: Partial<PlanningSettings>;
  /** Makes creating the map fail (no WebGL). */
  mapFails?: boolean;
  map?: FakeMapOptions;
}

/** Renders the control; returns the session, every map created and the files exported. */
export function renderApp(accounts: FakeAccountRepository, options: AppOptions = {}) {
  const drafts = createFakeDraftRepository();
  const files: { name: string; mimeType: string; content: string }[] = [];
  const maps: FakeMap[] = [];
  const navigation = new RecordingNavigation();
  const session = new TerritoryMapSession(
    {
      accounts,
      drafts: drafts.repository,
      createBalancer: () => createInProcessBalancerClient(),
      files: { save: (f) => files.push(f) },
      navigation,
      ...options.ports,
    },
    { ...TEST_SETTINGS, ...options.settings },
    getString,
  );
  const createMap = (_container: HTMLElement, mapOptions: MapOptions) => {
    if (options.mapFails) throw new Error("WebGL is not supported");
    const map = new FakeMap(mapOptions, options.map);
    maps.push(map);
    return map;
  };
  const rendered = render(
    <TerritoryMapApp
      session={session}
      createMap={createMap}
      center={DEFAULT_SETTINGS.center}
      zoom={DEFAULT_SETTINGS.zoom}
      getString={getString}
      width={1200}
      height={800}
    />,
  );
  return { ...rendered, session, drafts, maps, files, navigation };
}
