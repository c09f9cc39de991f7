import {
  buildAccountTable,
  allPostalCodeTotals,
  groupByTerritory,
  parsePostalCodeList,
  PostalCodeIndex,
  postalCodeTotals,
  postalKey,
  splitFields,
} from "../../../TerritoryMapControl/domain/design";
import { anAccount } from "./builders";

describe("parsePostalCodeList", () => {
  it("keeps leading zeros and ZIP+4, detects a header, counts blank lines", () => {
    const p = parsePostalCodeList("Postal code,Territory\r\n02134,North East\n\n98101-1234,West\n00501\n");
    expect(p.headerLine).toBe(1);
    expect(p.blankLines).toBe(1);
    expect(p.totalLines).toBe(5);
    expect(p.entries.map((e) => [e.line, e.code, e.territory])).toEqual([
      [2, "02134", "North East"],
      [4, "98101-1234", "West"],
      [5, "00501", null],
    ]);
    expect(p.issues).toEqual([]);
  });

  it("reports every bad line with its number and reason; nothing is dropped silently", () => {
    const text = [
      "98101",
      "Seattle",
      '"98102,West',
      "98103,West,extra",
      ",West",
      "98101",
      "98104,East",
      "98104,West",
      "2134",
      "SW1A 1AA,London",
    ].join("\n");
    const p = parsePostalCodeList(text);
    const byLine = new Map(p.issues.map((i) => [i.line, i]));
    expect(byLine.get(2)?.kind).toBe("invalid-code");
    expect(byLine.get(3)?.kind).toBe("unbalanced-quotes");
    expect(byLine.get(4)?.kind).toBe("too-many-fields");
    expect(byLine.get(5)?.kind).toBe("empty-code");
    expect(byLine.get(6)).toMatchObject({ kind: "duplicate", severity: "warning", otherLine: 1 });
    expect(byLine.get(8)).toMatchObject({ kind: "conflict", severity: "error", otherLine: 7 });
    expect(byLine.get(9)).toMatchObject({ kind: "lost-leading-zero", severity: "warning", suggestion: "02134" });
    expect(p.entries.map((e) => e.code)).toEqual(["98101", "98104", "2134", "SW1A 1AA"]);
    // Every line is accounted for: an entry, an issue (errors), a duplicate (warning), header or blank.
    const accounted = new Set([...p.entries.map((e) => e.line), ...p.issues.map((i) => i.line)]);
    for (let line = 1; line <= 10; line++) expect(accounted.has(line)).toBe(true);
    expect(p.headerLine).toBeNull(); // line 1 has digits, so it is data
  });

  it("reads quoted fields, semicolons and tabs", () => {
    expect(splitFields('"02134","North, East"')).toEqual(["02134", "North, East"]);
    expect(splitFields("02134;North")).toEqual(["02134", "North"]);
    expect(splitFields("02134\tNorth")).toEqual(["02134", "North"]);
    expect(splitFields('"say ""hi""",x')).toEqual(['say "hi"', "x"]);
    expect(splitFields('"open,x')).toBeNull();
  });

  it("groups codes by the territory named on their line", () => {
    const p = parsePostalCodeList("10001,East\n10002,east\n94105\n94107,West");
    expect(groupByTerritory(p.entries)).toEqual([
      { territory: "East", codes: ["10001", "10002"] },
      { territory: null, codes: ["94105"] },
      { territory: "West", codes: ["94107"] },
    ]);
  });
});

describe("PostalCodeIndex", () => {
  const accounts = [
    anAccount(0, -71, 42, { postalCode: "02134" }),
    anAccount(1, -71, 42, { postalCode: "02134-1001" }),
    anAccount(2, -122, 47, { postalCode: "98101" }),
    anAccount(3, null, null, { postalCode: "98101 " }),
    anAccount(4, -0.1, 51.5, { postalCode: "sw1a 1aa" }),
    anAccount(5, -100, 40, { postalCode: null }),
  ];
  const table = buildAccountTable(accounts, ["revenue", "workload"]);
  const index = new PostalCodeIndex(table);

  it("matches a ZIP to its ZIP+4 accounts, a ZIP+4 only exactly, other codes case/space-insensitively", () => {
    expect(index.accountsFor("02134").sort()).toEqual([0, 1]);
    expect(index.accountsFor("02134-1001")).toEqual([1]);
    expect(index.accountsFor("021341001")).toEqual([1]);
    expect(index.accountsFor("SW1A  1AA")).toEqual([4]);
    expect(index.accountsFor("2134")).toEqual([]);
    expect(postalKey(" 98101-1234 ")).toBe("98101-1234");
  });

  it("counts unplaced accounts too and gives per-code totals with today's territories", () => {
    const totals = postalCodeTotals(table, index, ["98101", "02134"], Int32Array.from([0, 1, 2, -1, 2, 0]));
    expect(totals[0].totals).toEqual({ count: 2, values: [5, 2] });
    expect([...totals[0].byTerritory.entries()].sort()).toEqual([
      [-1, 1],
      [2, 1],
    ]);
    expect(totals[1].totals.count).toBe(2);
    expect(index.accountsForAll(["98101", "02134", "02134-1001"])).toEqual(Int32Array.from([0, 1, 2, 3]));
    const all = allPostalCodeTotals(table, Int32Array.from([0, 1, 2, -1, 2, 0]));
    expect(all.map((r) => r.totals.count).reduce((a, b) => a + b, 0)).toBe(5);
    expect(all.map((r) => [r.code, r.totals.count])).toEqual([
      ["02134", 2],
      ["98101", 2],
      ["SW1A 1AA", 1],
    ]);
  });
});
