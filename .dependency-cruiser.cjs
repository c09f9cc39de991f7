/**
 * The repository's dependency rules, checked by `npm run lint` (and `npm test`'s lint step) with dependency-cruiser.
 * Layers, innermost first: TerritoryMapControl/domain (pure TypeScript) ← dataverse (the Web API module) ←
 * TerritoryMapControl/app (the planning layer and its ports) ← adapters and components ← index.ts (composition).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules form no import cycle (type-only imports included).",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      comment: "Domain code depends on nothing but the domain and pure libraries (no app, adapters, views, dataverse).",
      from: { path: "^TerritoryMapControl/domain/" },
      to: { path: "^(TerritoryMapControl/(app|adapters|components|index|props|settings)|dataverse|local|plugins|scripts|solution|tests)" },
    },
    {
      name: "app-reaches-out-through-ports",
      severity: "error",
      comment: "The planning layer never imports an adapter or a view; it gets them through its ports.",
      from: { path: "^TerritoryMapControl/app/" },
      to: { path: "^(TerritoryMapControl/(adapters|components|index|props)|local|plugins|scripts|solution|tests)" },
    },
    {
      name: "views-do-not-build-adapters",
      severity: "error",
      comment: "Views get the planning layer and plain props; only the composition root (index.ts) builds adapters.",
      from: { path: "^TerritoryMapControl/components/" },
      to: { path: "^(TerritoryMapControl/(adapters|index)|dataverse/(client|publish)|local|plugins)" },
    },
    {
      name: "nothing-outside-the-control-reaches-into-it",
      severity: "error",
      comment:
        "Outside the control only its pure domain may be imported (tests may import anything; bench:journey drives the planning layer over its fakes, as the tests do).",
      from: { path: "^(dataverse|local|plugins|scripts|solution)/", pathNot: "^scripts/bench-journey\\.ts$" },
      to: { path: "^TerritoryMapControl/(app|adapters|components|index|props|settings)" },
    },
    {
      name: "dataverse-stands-alone",
      severity: "error",
      comment: "The Dataverse module depends on the domain only.",
      from: { path: "^dataverse/" },
      to: { path: "^(TerritoryMapControl/(?!domain/)|local|plugins|scripts|solution|tests)" },
    },
    {
      name: "solution-does-not-depend-on-the-stand-in",
      severity: "error",
      comment: "The shipped solution source never imports the local Dataverse stand-in.",
      from: { path: "^solution/" },
      to: { path: "^local/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(generated|node_modules|out)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.node.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
