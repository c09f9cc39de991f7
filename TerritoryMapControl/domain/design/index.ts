/**
 * Territory design on the map — pure building blocks: selection by shape with a spatial index, moves
 * and incremental totals, territory polygons (hulls, overlaps), postal-code lists, density weights, and the
 * bridge between the auto-balance / runtime-change dialogs and the balancing engine.
 */
export { buildAccountTable, totalsOf, type AccountTable, type Totals } from "../accountTable";
export * from "./geo";
export * from "./spatial";
export * from "./shapes";
export * from "./polygons";
export * from "./postalCodes";
export * from "./density";
export * from "./balanceInput";
export * from "./proposal";
export * from "./columnar";
export * from "./outlines";
export * from "./runtimeInput";
