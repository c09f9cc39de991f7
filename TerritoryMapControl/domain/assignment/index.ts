/** Territory assignment: rule engine, rule parsing and drift — public API. */
export * from "./types";
export { compileAssignmentPlan, normaliseKindOrder, normalisePostalCode, usableLocation, type CompiledAssignmentPlan } from "./engine";
export {
  compileShape,
  pointInShape,
  pointInPolygon,
  ShapeGrid,
  GeometryError,
  type BBox,
  type CompiledShape,
  type CompiledPolygon,
} from "./geometry";
export { parseRuleRow, ruleKindFromValue, RuleKindValue, RuleDefinitionError, type RuleRow } from "./rules";
export { computeDrift, describeFinding, type DriftFinding, type DriftTarget } from "./drift";
