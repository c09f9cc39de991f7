/**
 * Privilege depth as Dataverse defines its access levels (User = Basic, Business Unit = Local, Parent: Child Business
 * Units = Deep, Organization = Global), and organization-owned tables have only Global or None:
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/security-concepts
 * (WhoAmI gives the business unit of the impersonated user:
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/businessunit-entity)
 */
import {
  depthReaches,
  depthShortfalls,
  describeShortfalls,
  heldDepth,
  requiredPrivileges,
  type OwnedRecord,
  type UserScope,
} from "../../../TerritoryMapControl/domain/publish";

const ME = "00000000-0000-4000-8000-000000000001";
const TEAM = "00000000-0000-4000-8000-0000000000aa";
const OTHER = "00000000-0000-4000-8000-000000000002";
const BU = "00000000-0000-4000-8000-0000000000b1";
const CHILD = "00000000-0000-4000-8000-0000000000b2";
const ELSEWHERE = "00000000-0000-4000-8000-0000000000b9";
const scope: UserScope = { userId: ME, teamIds: [TEAM], businessUnitId: BU, childBusinessUnitIds: [CHILD] };
const rec = (id: string, ownerId: string, owningBusinessUnitId: string): OwnedRecord => ({ id, ownerId, owningBusinessUnitId });

describe("privilege depth", () => {
  test("the deepest held depth wins; names compare case-insensitively; numeric depths are read", () => {
    const held = [
      { PrivilegeName: "prvWriteAccount", Depth: "Basic" },
      { PrivilegeName: "prvwriteaccount", Depth: 1 },
      { PrivilegeName: "prvReadAccount", Depth: "Global" },
    ];
    expect(heldDepth("prvWriteAccount", held)).toBe("Local");
    expect(heldDepth("prvAssignAccount", held)).toBeNull();
  });

  test("User level: own and team records; Business Unit: the unit; Child Business Units: and below; Organization: all", () => {
    const mine = rec("a", ME, ELSEWHERE);
    const team = rec("b", TEAM, ELSEWHERE);
    const unit = rec("c", OTHER, BU);
    const child = rec("d", OTHER, CHILD);
    const far = rec("e", OTHER, ELSEWHERE);
    const reach = (d: "Basic" | "Local" | "Deep" | "Global") =>
      [mine, team, unit, child, far].filter((r) => depthReaches(d, scope, r)).map((r) => r.id);
    expect(reach("Basic")).toEqual(["a", "b"]);
    expect(reach("Local")).toEqual(["a", "b", "c"]);
    expect(reach("Deep")).toEqual(["a", "b", "c", "d"]);
    expect(reach("Global")).toEqual(["a", "b", "c", "d", "e"]);
    // Without the business unit known, Business Unit level reaches only what the user owns.
    expect(depthReaches("Local", { userId: ME }, unit)).toBe(false);
  });

  test("shortfalls count the out-of-reach records per privilege and say which depth, in words", () => {
    const required = requiredPrivileges({
      createsTerritories: false,
      updatesTerritories: false,
      changesAccountTerritories: true,
      changesOwners: false,
    });
    const records = [rec("a", ME, BU), rec("x1", OTHER, BU), rec("x2", OTHER, BU)];
    const held = [
      { PrivilegeName: "prvWriteAccount", Depth: "Basic" },
      { PrivilegeName: "prvAppendAccount", Depth: "Global" },
      { PrivilegeName: "prvAppendToTerritory", Depth: "Global" },
    ];
    const sets = new Map([
      ["prvWriteAccount", records],
      ["prvAppendAccount", records],
    ]);
    const s = depthShortfalls(required, held, scope, sets);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ depth: "Basic", total: 3, outOfReach: 2, sampleIds: ["x1", "x2"] });
    expect(s[0].privilege.name).toBe("prvWriteAccount");
    expect(describeShortfalls(s)).toMatch(
      /change accounts \(prvWriteAccount\) only at User level .*: 2 of the 3 accounts .*\(e\.g\. x1, x2\)\. Nothing was written\./,
    );
    // Organization level everywhere: nothing out of reach.
    expect(
      depthShortfalls(
        required,
        held.map((h) => ({ ...h, Depth: "Global" })),
        scope,
        sets,
      ),
    ).toEqual([]);
    expect(describeShortfalls([])).toBeNull();
  });
});
