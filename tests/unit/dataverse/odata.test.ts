import { parseExpand, parseFilter, parseOrderBy, parsePrefer, parseSelect, splitTopLevel, tokenize } from "../../../local/dataverse/odata";
import { DataverseError } from "../../../local/dataverse/errors";
import { likeToRegExp } from "../../../local/dataverse/query";

describe("OData tokenizer", () => {
  it("recognises guids, datetimes, numbers, strings with escaped quotes, identifiers and punctuation", () => {
    const tokens = tokenize(
      "_x_value eq 0A1B2C3D-0000-0000-0000-000000000001 and d ge 2024-01-02T03:04:05Z and n lt -1.5e3 and s eq 'O''Neil' and Microsoft.Dynamics.CRM.In(PropertyName='a',PropertyValues=['1'])",
    );
    const kinds = tokens.map((t) => `${t.kind}:${t.kind === "eof" ? "" : t.text}`);
    expect(kinds.slice(0, 3)).toEqual(["ident:_x_value", "ident:eq", "guid:0A1B2C3D-0000-0000-0000-000000000001"]);
    expect(tokens[2].value).toBe("0a1b2c3d-0000-0000-0000-000000000001");
    expect(tokens.find((t) => t.kind === "datetime")?.value).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(tokens.find((t) => t.kind === "number")?.value).toBe(-1500);
    expect(tokens.find((t) => t.kind === "string")?.value).toBe("O'Neil");
    expect(kinds).toContain("ident:Microsoft.Dynamics.CRM.In");
    expect(kinds).toContain("punct:[");
    expect(kinds[kinds.length - 1]).toBe("eof:");
  });

  it("treats a bare date as midnight UTC", () => {
    expect(tokenize("2024-03-01")[0]).toMatchObject({ kind: "datetime", value: Date.UTC(2024, 2, 1) });
  });

  it.each(["name eq 'open", "name eq #", "a ! b"])("rejects %s with a Dataverse-shaped 400", (text) => {
    expect(() => tokenize(text)).toThrow(DataverseError);
    try {
      tokenize(text);
    } catch (e) {
      expect((e as DataverseError).status).toBe(400);
      expect((e as DataverseError).code).toBe("0x80060888");
    }
  });
});

describe("$filter parser", () => {
  it("gives not > and > or precedence and honours parentheses", () => {
    expect(parseFilter("a eq 1 or b eq 2 and not c eq 3")).toEqual({
      type: "or",
      left: {
        type: "cmp",
        op: "eq",
        left: { type: "prop", path: ["a"], pos: 0 },
        right: { type: "lit", lit: { kind: "number", value: 1 }, pos: 5 },
      },
      right: {
        type: "and",
        left: {
          type: "cmp",
          op: "eq",
          left: { type: "prop", path: ["b"], pos: 10 },
          right: { type: "lit", lit: { kind: "number", value: 2 }, pos: 15 },
        },
        right: {
          type: "not",
          operand: {
            type: "cmp",
            op: "eq",
            left: { type: "prop", path: ["c"], pos: 25 },
            right: { type: "lit", lit: { kind: "number", value: 3 }, pos: 30 },
          },
        },
      },
    });
    const grouped = parseFilter("(a eq 1 or b eq 2) and c eq 3");
    expect(grouped.type).toBe("and");
  });

  it("parses functions, navigation paths, null/true/false and query functions", () => {
    expect(parseFilter("contains(name,'x')")).toMatchObject({ type: "strfunc", name: "contains" });
    expect(parseFilter("territoryid/name eq 'n'")).toMatchObject({ type: "cmp", left: { type: "prop", path: ["territoryid", "name"] } });
    expect(parseFilter("x eq null")).toMatchObject({ right: { lit: { kind: "null" } } });
    expect(parseFilter("x ne true")).toMatchObject({ op: "ne", right: { lit: { kind: "boolean", value: true } } });
    expect(parseFilter("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])")).toEqual({
      type: "queryfunc",
      name: "In",
      pos: 0,
      params: {
        PropertyName: { kind: "string", value: "name" },
        PropertyValues: [
          { kind: "string", value: "a" },
          { kind: "string", value: "b" },
        ],
      },
    });
  });

  it.each([
    "",
    "name",
    "name eq",
    "(a eq 1",
    "a eq 1)",
    "a eq 1 and",
    "a eq 1 b eq 2",
    "a gt",
    "and eq 1",
    "tolower(a) eq 1",
    "Microsoft.Dynamics.CRM.In(PropertyName=)",
  ])("rejects %p", (text) => {
    expect(() => parseFilter(text)).toThrow(DataverseError);
  });
});

describe("other query options", () => {
  it("parses $select, $orderby and $expand", () => {
    expect(parseSelect("name, accountid")).toEqual(["name", "accountid"]);
    expect(() => parseSelect("name,,x")).toThrow(DataverseError);
    expect(parseOrderBy("name desc, revenue")).toEqual([
      { path: ["name"], descending: true },
      { path: ["revenue"], descending: false },
    ]);
    expect(() => parseOrderBy("name up")).toThrow(DataverseError);
    expect(parseExpand("territoryid($select=name,territoryid),ownerid")).toEqual([
      { navigation: "territoryid", select: ["name", "territoryid"] },
      { navigation: "ownerid" },
    ]);
    expect(() => parseExpand("territoryid($filter=x eq 1)")).toThrow(DataverseError);
    expect(() => parseExpand("territoryid($select=name")).toThrow(DataverseError);
  });

  it("splits on top-level separators only", () => {
    expect(splitTopLevel("a(b,c),d,'e,f'", ",")).toEqual(["a(b,c)", "d", "'e,f'"]);
  });

  it("parses Prefer headers", () => {
    expect(
      parsePrefer(
        'odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname", odata.maxpagesize=50, return=representation',
      ),
    ).toEqual({
      includeAnnotations: "OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname",
      maxPageSize: 50,
      returnRepresentation: true,
      continueOnError: false,
    });
    expect(parsePrefer("odata.continue-on-error").continueOnError).toBe(true);
    expect(parsePrefer(undefined)).toEqual({ returnRepresentation: false, continueOnError: false });
  });
});

// contains/startswith/endswith are SQL LIKE in Dataverse
// (https://learn.microsoft.com/power-apps/developer/data-platform/wildcard-characters).
describe("LIKE patterns of the string functions", () => {
  it.each([
    ["50%", "50% off", true],
    ["50%", "5", false],
    ["a_c", "abc", true],
    ["a_c", "ac", false],
    ["[a-c]x", "Bx", true],
    ["[a-c]x", "dx", false],
    ["[^a-c]x", "dx", true],
    ["[^a-c]x", "ax", false],
    ["[%]", "%", true],
    ["[%]", "x", false],
    ["[_]", "_", true],
    ["[[]x]", "[x]", true],
    ["a[b", "a[b", true],
    ["x.y(z)", "x.y(z)", true],
    ["x.y", "xzy", false],
  ])("'%s' on '%s' → %s", (pattern, value, expected) => {
    expect(likeToRegExp(pattern).test(value)).toBe(expected);
  });

  it("refuses more than 800 levels of nesting with a 400, not a stack overflow", () => {
    expect(() => parseFilter(`${"(".repeat(801)}a eq 1${")".repeat(801)}`)).toThrow(/recursion limit/);
    expect(() => parseFilter(`${"not ".repeat(5000)}a eq 1`)).toThrow(DataverseError);
    expect(parseFilter(`${"(".repeat(800)}a eq 1${")".repeat(800)}`)).toMatchObject({ type: "cmp" });
  });
});
