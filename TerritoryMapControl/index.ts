import * as React from "react";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { TerritoryMapApp } from "./components/TerritoryMapApp";
import { WebApiAccountRepository } from "./adapters/dataverse/WebApiAccountRepository";
import { WebApiDraftRepository } from "../dataverse/drafts/WebApiDraftRepository";
import { createOrgClient } from "./adapters/dataverse/clientUrl";
import { createPublisher, publishDisabledReason } from "./components/publish/publisher";
import { settingsFromParameters } from "./settings";
import type { PublishingProps, TerritoryMapProps } from "./props";

/** Thin PCF entry point: maps the context to one props object and renders the React tree. */
export class TerritoryMapControl implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private notifyOutputChanged!: () => void;
  private repository!: WebApiAccountRepository;
  private draftRepository!: WebApiDraftRepository;
  private planState: string | undefined;
  private publishing: PublishingProps | undefined;

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.notifyOutputChanged = notifyOutputChanged;
    this.repository = new WebApiAccountRepository(context.webAPI);
    this.draftRepository = new WebApiDraftRepository(context.webAPI);
    this.publishing = publishingFor(context);
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const p = context.parameters;
    const props: TerritoryMapProps = {
      repository: this.repository,
      draftRepository: this.draftRepository,
      publishing: this.publishing,
      settings: settingsFromParameters({
        accountScope: p.accountScope?.raw ?? null,
        measureColumns: p.measureColumns?.raw ?? null,
        mapsKeyVariable: p.mapsKeyVariable?.raw ?? null,
        centerLatitude: p.centerLatitude?.raw ?? null,
        centerLongitude: p.centerLongitude?.raw ?? null,
        zoom: p.zoom?.raw ?? null,
      }),
      getString: (key) => context.resources.getString(key) || key,
      planState: p.planState?.raw ?? null,
      onPlanStateChange: this.onPlanStateChange,
      width: context.mode.allocatedWidth,
      height: context.mode.allocatedHeight,
      disabled: context.mode.isControlDisabled,
      userId: context.userSettings.userId,
    };
    return React.createElement(TerritoryMapApp, props);
  }

  public getOutputs(): IOutputs {
    return { planState: this.planState };
  }

  public destroy(): void {
    // React unmounts the tree; the map adapter releases its WebGL context on unmount.
  }

  private onPlanStateChange = (value: string): void => {
    this.planState = value;
    this.notifyOutputChanged();
  };
}

/**
 * Publishing: publishPlan over `<clientUrl>/api/data/v9.2/` (context.webAPI has no $batch / UpdateMultiple) as the
 * signed-in user; the privilege check from context.utils. Undefined when the organisation's URL is unknown (Publish
 * then stays disabled with "Publishing is not available here").
 */
function publishingFor(context: ComponentFramework.Context<IInputs>): PublishingProps | undefined {
  let client: ReturnType<typeof createOrgClient>;
  try {
    client = createOrgClient(context);
  } catch {
    return undefined;
  }
  const userId = context.userSettings.userId;
  const getString = (key: string): string => context.resources.getString(key) || key;
  return {
    publisherFor: (planId) => createPublisher({ client, planId, userId }),
    checkPrivileges: () => publishDisabledReason(context.utils, getString),
  };
}
