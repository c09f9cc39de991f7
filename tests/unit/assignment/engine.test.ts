import {
  compileAssignmentPlan,
  computeDrift,
  parseRuleRow,
  RuleKindValue,
  type AssignmentAccount,
  type AssignmentPlan,
  type PlanTerritory,
} from "../../../TerritoryMapControl/domain/assignment";

const square = (x0: number, y0: number, x1: number, y1: number) => ({
  type: "Polygon",
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
const territories: PlanTerritory[] = [
  {
    key: "west",
    name: "West",
    territoryId: "00000000-0000-0000-0000-000000000001",
    repId: null,
    geometry: square(-125, 30, -110, 50),
    postalCodes: ["98101"],
  },
  {
    key: "east",
    name: "East",
    territoryId: "00000000-0000-0000-0000-000000000002",
    repId: null,
    geometry: square(-110, 30, -70, 50),
    postalCodes: ["10001", "981*"],
  },
  { key: "ent", name: "Enterprise", territoryId: "00000000-0000-0000-0000-000000000003", repId: null, geometry: null, postalCodes: [] },
];
const acct = (o: Partial<AssignmentAccount>): AssignmentAccount => ({
  id: "aaaaaaaa-0000-0000-0000-000000000001",
  latitude: null,
  longitude: null,
  postalCode: null,
  industryCode: null,
  employees: null,
  revenue: null,
  stateCode: 0,
  customerTypeCode: null,
  ...o,
});
const plan = (over: Partial<AssignmentPlan> = {}): AssignmentPlan => ({
  planId: "p",
  version: 1,
  stamp: "s",
  name: "Hybrid",
  territories,
  ownersFollowTerritories: false,
  rules: [
    { kind: "named", id: "r1", name: "Named", precedence: 1, territoryKey: "east", accountIds: ["AAAAAAAA-0000-0000-0000-000000000001"] },
    { kind: "firmographic", id: "r2", name: "Enterprise", precedence: 1, territoryKey: "ent", employees: { min: 1000 } },
  ],
  ...over,
});
const key = (p: AssignmentPlan, a: AssignmentAccount) => {
  const o = compileAssignmentPlan(p).assign(a);
  return o.kind === "assigned" ? `${o.territory.key}:${o.matchedBy}` : `none:${o.reason}`;
};

describe("assignment rule engine", () => {
  const seattle = { latitude: 47.6, longitude: -122.3 };
  it("uses the polygon when nothing else applies (holes and bbox edges honoured)", () => {
    expect(key(plan({ rules: [] }), acct({ id: "bbbbbbbb-0000-0000-0000-000000000001", ...seattle }))).toBe("west:geography");
    expect(key(plan({ rules: [] }), acct({ id: "bbbbbbbb-0000-0000-0000-000000000001", latitude: 40, longitude: -100 }))).toBe(
      "east:geography",
    );
    const holed: PlanTerritory = {
      ...territories[0],
      geometry: {
        type: "Polygon",
        coordinates: [
          square(-125, 30, -110, 50).coordinates[0],
          [
            [-123, 46],
            [-121, 46],
            [-121, 48],
            [-123, 48],
            [-123, 46],
          ],
        ],
      },
    };
    expect(key(plan({ rules: [], territories: [holed] }), acct({ id: "bbbbbbbb-0000-0000-0000-000000000001", ...seattle }))).toBe(
      "none:no-rule-matched",
    );
  });
  it("hybrid precedence: named > firmographic > postal > geography by default, and the plan can reorder", () => {
    const a = acct({ ...seattle, postalCode: "98101", employees: 5000 });
    expect(key(plan(), a)).toBe("east:named");
    const other = { ...a, id: "cccccccc-0000-0000-0000-000000000001" };
    expect(key(plan(), other)).toBe("ent:firmographic");
    expect(key(plan(), { ...other, employees: 10 })).toBe("west:postal");
    expect(key(plan(), { ...other, employees: 10, postalCode: "98199" })).toBe("east:postal"); // prefix 981*
    expect(key(plan(), { ...other, employees: 10, postalCode: "55555" })).toBe("west:geography");
    expect(key(plan({ kindOrder: ["geography", "postal", "named", "firmographic"] }), a)).toBe("west:geography");
    expect(key(plan({ kindOrder: ["postal"] }), a)).toBe("west:postal"); // missing kinds follow in default order
  });
  it("inside a kind the lowest precedence wins; explicit rules beat the territory lists", () => {
    const p = plan({
      rules: [
        { kind: "postal", id: "x", name: "x", precedence: 5, territoryKey: "ent", postalCodes: ["98101"] },
        { kind: "postal", id: "y", name: "y", precedence: 2, territoryKey: "east", postalCodes: ["98101-1234"] },
      ],
    });
    expect(key(p, acct({ postalCode: "98101" }))).toBe("ent:postal");
    expect(key(p, acct({ postalCode: "98101-1234" }))).toBe("east:postal");
  });
  it("says why an account is unassigned", () => {
    const o = compileAssignmentPlan(plan({ rules: [] })).assign(
      acct({ id: "dddddddd-0000-0000-0000-000000000001", latitude: 0, longitude: 0 }),
    );
    expect(o).toMatchObject({ kind: "unassigned", reason: "no-location" });
    const far = compileAssignmentPlan(plan({ rules: [] })).assign(
      acct({ id: "dddddddd-0000-0000-0000-000000000001", latitude: 51.5, longitude: -0.1, postalCode: "SW1A 1AA" }),
    );
    expect(far.kind === "unassigned" && far.explanation).toMatch(/SW1A1AA is on no list.*inside no territory/);
  });
  it("ignores rules pointing at unknown territories with a warning", () => {
    const c = compileAssignmentPlan(
      plan({ rules: [{ kind: "named", id: "z", name: "Ghost", precedence: 1, territoryKey: "nope", accountIds: [] }] }),
    );
    expect(c.warnings.join()).toMatch(/Ghost.*nope/);
  });
  it("assigns 100,000 accounts over 50 polygons + 20,000 postal codes (figures: npm run bench:plugins)", () => {
    const ts: PlanTerritory[] = [];
    for (let i = 0; i < 50; i++)
      ts.push({
        key: `t${i}`,
        name: `T${i}`,
        territoryId: null,
        repId: null,
        geometry: square(-125 + i, 25, -124 + i, 49),
        postalCodes: Array.from({ length: 400 }, (_, j) => String(10000 + i * 400 + j)),
      });
    const c = compileAssignmentPlan({ ...plan({ rules: [] }), territories: ts });
    let hits = 0;
    for (let i = 0; i < 100_000; i++)
      if (
        c.assign(
          acct({
            id: "eeeeeeee-0000-0000-0000-000000000001",
            latitude: 25 + (i % 24),
            longitude: -125 + (i % 50) + 0.5,
            postalCode: i % 2 ? String(10000 + (i % 20000)) : null,
          }),
        ).kind === "assigned"
      )
        hits++;
    expect(hits).toBe(100_000);
  });
});

describe("rule rows", () => {
  it("parses each kind and rejects bad definitions with the rule named", () => {
    expect(
      parseRuleRow({
        id: "1",
        name: "F",
        kindValue: RuleKindValue.firmographic,
        precedence: 3,
        territoryKey: "t",
        definition: '{"industryCodes":[7],"employees":{"min":10}}',
      }),
    ).toMatchObject({ kind: "firmographic", industryCodes: [7], employees: { min: 10 }, precedence: 3 });
    expect(() =>
      parseRuleRow({
        id: "1",
        name: "Broken",
        kindValue: RuleKindValue.postal,
        precedence: 1,
        territoryKey: "t",
        definition: '{"postalCodes": 5}',
      }),
    ).toThrow(/Broken.*postalCodes/);
    expect(() =>
      parseRuleRow({ id: "1", name: "NoJson", kindValue: RuleKindValue.named, precedence: 1, territoryKey: "t", definition: "{" }),
    ).toThrow(/NoJson.*not valid JSON/);
  });
});

describe("drift", () => {
  it("flags deviations beyond the threshold with a stable state key", () => {
    const f = computeDrift(
      "p",
      [{ territoryKey: "a", territoryId: "A", name: "A", targets: { accounts: 100, revenue: 1000 } }],
      new Map([["A", { accounts: 130, revenue: 1050 }]]),
      0.15,
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ measure: "accounts", direction: "over", stateKey: "p|a|accounts|over" });
    expect(f[0].deviation).toBeCloseTo(0.3);
  });
});
