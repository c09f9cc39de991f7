/**
 * The planning layer's view of the outside world: one port per outside system. The composition root
 * (`TerritoryMapControl/index.ts`) plugs in the real adapters (Dataverse through `context.webAPI`, the Azure Maps
 * adapter, the balancing Web Worker, browser downloads, context.navigation); tests plug in the fakes (`FakeAccountRepository`,
 * `FakeDraftRepository`, `FakeMap`, the in-process balancer, a recording file sink and navigation).
 */
export * from "./accounts";
export * from "./map";
export * from "./files";
export * from "./navigation";
export * from "./publishing";
export type { DraftRepository } from "../../../dataverse/drafts/DraftRepository";
export * from "./balancer";

/** Localised text of a resx key (falls back to the key). */
export type Translate = (key: string) => string;
