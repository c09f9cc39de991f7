/** Names of the manifest's properties, as ControlManifest.Input.xml declares them. */
export const enum ManifestProperty {
  PlanState = "planState",
  AccountScope = "accountScope",
  MeasureColumns = "measureColumns",
  MapsKeyVariable = "mapsKeyVariable",
  CenterLatitude = "centerLatitude",
  CenterLongitude = "centerLongitude",
  Zoom = "zoom",
}

/** Namespace and constructor as registered with the platform. */
export const CONTROL_NAME = "TerritoryMap.TerritoryMapControl";
