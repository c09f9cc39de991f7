/** Draft territory plans: model, storage codec, comparison and reconciliation (pure TypeScript). */
export * from "./model";
export * from "./codec";
export * from "./compare";
export * from "./replot";
export * from "./territoryRows";
