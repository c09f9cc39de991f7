import { loadSolutionSource, validateSource, type SolutionSource } from "../../../solution/model";
import { customizationsXml, type ControlManifestInfo } from "../../../solution/generate";
import { repoRoot } from "./helpers";

const control: ControlManifestInfo = {
  namespace: "TerritoryMap",
  constructor: "TerritoryMapControl",
  version: "0.1.0",
  boundProperty: "planState",
  inputTypes: { accountScope: "Multiple", measureColumns: "SingleLine.Text", mapsKeyVariable: "SingleLine.Text" },
};
const fresh = (): SolutionSource => loadSolutionSource(repoRoot);

describe("solution source checks", () => {
  test("the repository's source is consistent", () => {
    expect(() => validateSource(fresh())).not.toThrow();
  });

  test("rejects an option value outside the publisher range, a column without prefix, an unknown lookup target, a reused id", () => {
    const s = fresh();
    const plan = s.tables.find((t) => t.logicalName === "tmap_plan")!;
    plan.columns.find((c) => c.logicalName === "tmap_status")!.options![0].value = 100000000;
    plan.columns.push({ logicalName: "new_thing", type: "string", displayName: "x", maxLength: 10 });
    plan.columns.push({
      logicalName: "tmap_other",
      type: "lookup",
      displayName: "x",
      target: "contact",
      relationship: { name: "tmap_x", cascade: "removeLink" },
    });
    s.roles[1].id = s.roles[0].id;
    expect(() => validateSource(s)).toThrow(/outside the publisher range[\s\S]*new_thing[\s\S]*unknown lookup target[\s\S]*already used/);
  });

  test("a form cell on a column that does not exist stops generation", () => {
    const s = fresh();
    s.tables.find((t) => t.logicalName === "tmap_plan")!.forms[0].tabs[1].sections[0].cells.push({ column: "tmap_nosuchcolumn" });
    expect(() => customizationsXml(s, control)).toThrow(/unknown column tmap_nosuchcolumn/);
  });

  test("a control input the manifest does not declare stops generation", () => {
    const s = fresh();
    s.tables.find((t) => t.logicalName === "tmap_plan")!.forms[0].tabs[0].sections[0].cells[0].controlInputs = { nosuchinput: "1" };
    expect(() => customizationsXml(s, control)).toThrow(/no input property 'nosuchinput'/);
  });
});
