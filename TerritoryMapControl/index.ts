import * as React from "react";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { balancerWorkerSource } from "./generated/balancerWorkerSource";
import { TerritoryMapApp } from "./components/TerritoryMapApp";
import { TerritoryMapSession, type PlanningSettings } from "./app/TerritoryMapSession";
import type { MapFactory, PublishingPort } from "./app/ports";
import type { FormContext } from "./app/form/PlanFormBinding";
import { WebApiAccountRepository } from "./adapters/dataverse/WebApiAccountRepository";
import { WebApiDraftRepository } from "../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../dataverse/drafts/DraftBulkApi";
import { createOrgClient } from "./adapters/dataverse/clientUrl";
import { createPublisher, publishDisabledReason } from "./adapters/publish/publisher";
import { MapAdapter } from "./adapters/map/MapAdapter";
import { createWorkerBalancerClient } from "./adapters/worker/BalancerClient";
import { browserDownloads } from "./adapters/browser/download";
import { settingsFromParameters } from "./settings";
import type { ControlSettings, TerritoryMapProps } from "./props";

/** The map in the product: Azure Maps (or the offline basemap) through MapAdapter. */
const createMap: MapFactory = (container, options) => new MapAdapter({ container, ...options });

/**
 * The composition root: builds the real adapters behind the planning layer's ports (Dataverse through
 * context.webAPI; drafts' change sets and If-Match, and publishing, over the organisation's Web API), the
 * balancing Web Worker, Azure Maps, browser downloads), starts one planning session per control, and maps the PCF context to one props object.
 */
export class TerritoryMapControl implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private session!: TerritoryMapSession;
  private getString!: (key: string) => string;

  public init(context: ComponentFramework.Context<IInputs>, notifyOutputChanged: () => void): void {
    this.getString = (key) => context.resources.getString(key) || key;
    this.session = new TerritoryMapSession(
      {
        accounts: new WebApiAccountRepository(context.webAPI),
        drafts: new WebApiDraftRepository(context.webAPI, new HttpDraftBulkApi(createOrgClient(context))),
        publishing: publishingFor(context, this.getString),
        createBalancer: () => createWorkerBalancerClient(balancerWorkerSource),
        files: browserDownloads,
        navigation: { openForm: (options) => context.navigation.openForm(options) },
      },
      planningSettings(settingsOf(context)),
      this.getString,
      notifyOutputChanged,
    );
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const settings = settingsOf(context);
    this.session.updateSettings(planningSettings(settings));
    this.session.form.update(formContextOf(context));
    const props: TerritoryMapProps = {
      session: this.session,
      createMap,
      center: settings.center,
      zoom: settings.zoom,
      getString: this.getString,
      width: context.mode.allocatedWidth,
      height: context.mode.allocatedHeight,
      theme: context.fluentDesignLanguage?.tokenTheme,
    };
    return React.createElement(TerritoryMapApp, props);
  }

  public getOutputs(): IOutputs {
    const planState = this.session.form.output();
    return planState === null ? {} : { planState };
  }

  public destroy(): void {
    // React unmounts the tree (the map view disposes the map); the session stops loading and the balancer.
    this.session.dispose();
  }
}

function settingsOf(context: ComponentFramework.Context<IInputs>): ControlSettings {
  const p = context.parameters;
  return settingsFromParameters({
    accountScope: p.accountScope?.raw ?? null,
    measureColumns: p.measureColumns?.raw ?? null,
    revenueColumn: p.revenueColumn?.raw ?? null,
    workloadColumn: p.workloadColumn?.raw ?? null,
    mapsKeyVariable: p.mapsKeyVariable?.raw ?? null,
    centerLatitude: p.centerLatitude?.raw ?? null,
    centerLongitude: p.centerLongitude?.raw ?? null,
    zoom: p.zoom?.raw ?? null,
  });
}

/**
 * The bound column and the record the form shows. The record comes from `context.mode.contextInfo` (entityId,
 * entityTypeName), which model-driven forms provide although the published typings leave it out.
 */
function formContextOf(context: ComponentFramework.Context<IInputs>): FormContext {
  const info = (context.mode as unknown as { contextInfo?: { entityId?: unknown; entityTypeName?: unknown } }).contextInfo;
  return {
    boundValue: context.parameters.planState?.raw ?? null,
    recordId: typeof info?.entityId === "string" && info.entityId ? info.entityId : null,
    recordTable: typeof info?.entityTypeName === "string" && info.entityTypeName ? info.entityTypeName : null,
  };
}

function planningSettings(s: ControlSettings): PlanningSettings {
  return {
    accountScope: s.accountScope,
    measureColumns: s.measureColumns,
    mapsKeyVariable: s.mapsKeyVariable,
    measureRoles: s.measureRoles,
  };
}

/**
 * Publishing: publishPlan over `<clientUrl>/api/data/v9.2/` (context.webAPI has no $batch / UpdateMultiple) as the
 * signed-in user; the privilege check from context.utils. Undefined when the organisation's URL is unknown (Publish
 * then stays disabled with "Publishing is not available here").
 */
function publishingFor(context: ComponentFramework.Context<IInputs>, getString: (key: string) => string): PublishingPort | undefined {
  let client: ReturnType<typeof createOrgClient>;
  try {
    client = createOrgClient(context);
  } catch {
    return undefined;
  }
  const userId = context.userSettings.userId;
  return {
    publisherFor: (planId) => createPublisher({ client, planId, userId }),
    checkPrivileges: () => publishDisabledReason(context.utils, getString),
  };
}
