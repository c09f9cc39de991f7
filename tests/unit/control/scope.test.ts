import { scopeToODataFilter } from "../../../TerritoryMapControl/domain/scope";

function filterOf(scope: string): string {
  const r = scopeToODataFilter(scope);
  if (!r.ok) throw new Error(`unexpected error: ${r.error}`);
  return r.filter;
}

function errorOf(scope: string): string {
  const r = scopeToODataFilter(scope);
  if (r.ok) throw new Error(`expected an error, got filter ${r.filter}`);
  return r.error;
}

describe("scopeToODataFilter: OData pass-through", () => {
  it("passes an OData expression through unchanged", () => {
    expect(scopeToODataFilter("statecode eq 0 and contains(name,'(x)')")).toEqual({
      ok: true,
      kind: "odata",
      filter: "statecode eq 0 and contains(name,'(x)')",
    });
  });

  it("treats an empty scope as no filter", () => {
    expect(scopeToODataFilter("   ")).toEqual({ ok: true, kind: "empty", filter: "" });
    expect(scopeToODataFilter(null)).toEqual({ ok: true, kind: "empty", filter: "" });
  });

  it("rejects unbalanced parentheses and quotes", () => {
    expect(errorOf("(statecode eq 0")).toBe("The account scope is not a valid OData filter: a '(' is missing its ')'.");
    expect(errorOf("name eq 'O''Brien")).toBe(
      "The account scope is not a valid OData filter: a text value is missing its closing quote (').",
    );
    expect(errorOf("statecode eq 0)")).toBe("The account scope is not a valid OData filter: unbalanced ')' at character 15.");
  });
});

describe("scopeToODataFilter: FetchXML comparison operators", () => {
  it.each([
    ['<condition attribute="statecode" operator="eq" value="0"/>', "statecode eq 0"],
    ['<condition attribute="revenue" operator="ne" value="1000.5"/>', "revenue ne 1000.5"],
    ['<condition attribute="numberofemployees" operator="gt" value="10"/>', "numberofemployees gt 10"],
    ['<condition attribute="numberofemployees" operator="ge" value="-3"/>', "numberofemployees ge -3"],
    ['<condition attribute="createdon" operator="lt" value="2024-01-31"/>', "createdon lt 2024-01-31"],
    ['<condition attribute="modifiedon" operator="le" value="2024-01-31T10:00:00Z"/>', "modifiedon le 2024-01-31T10:00:00Z"],
    ['<condition attribute="address1_stateorprovince" operator="eq" value="WA"/>', "address1_stateorprovince eq 'WA'"],
    ['<condition attribute="address1_postalcode" operator="eq" value="02134"/>', "address1_postalcode eq '02134'"],
    ['<condition attribute="name" operator="eq" value="O\'Brien &amp; Sons"/>', "name eq 'O''Brien & Sons'"],
    ['<condition attribute="donotemail" operator="eq" value="1"/>', "donotemail eq true"],
    [
      '<condition attribute="territoryid" operator="eq" value="{A1B2C3D4-0000-0000-0000-000000000002}"/>',
      "_territoryid_value eq a1b2c3d4-0000-0000-0000-000000000002",
    ],
    [
      '<condition attribute="new_regionid" operator="eq" value="a1b2c3d4-0000-0000-0000-000000000002"/>',
      "_new_regionid_value eq a1b2c3d4-0000-0000-0000-000000000002",
    ],
    [
      '<condition attribute="accountid" operator="ne" value="a1b2c3d4-0000-0000-0000-000000000002"/>',
      "accountid ne a1b2c3d4-0000-0000-0000-000000000002",
    ],
    ['<condition attribute="Address1_City" operator="eq" value="Denver"/>', "address1_city eq 'Denver'"],
  ])("%s → %s", (condition, expected) => {
    expect(filterOf(`<filter>${condition}</filter>`)).toBe(expected);
  });
});

describe("scopeToODataFilter: FetchXML null, like and in", () => {
  it.each([
    ['<condition attribute="address1_latitude" operator="null"/>', "address1_latitude eq null"],
    ['<condition attribute="territoryid" operator="null"/>', "_territoryid_value eq null"],
    ['<condition attribute="ownerid" operator="not-null"/>', "_ownerid_value ne null"],
    ['<condition attribute="name" operator="like" value="%Contoso%"/>', "contains(name,'Contoso')"],
    ['<condition attribute="name" operator="like" value="Contoso%"/>', "startswith(name,'Contoso')"],
    ['<condition attribute="name" operator="like" value="%Ltd"/>', "endswith(name,'Ltd')"],
    ['<condition attribute="name" operator="like" value="Contoso"/>', "name eq 'Contoso'"],
    ['<condition attribute="name" operator="like" value="%"/>', "name ne null"],
    ['<condition attribute="name" operator="not-like" value="%test%"/>', "not contains(name,'test')"],
    ['<condition attribute="name" operator="not-like" value="Contoso"/>', "name ne 'Contoso'"],
    ['<condition attribute="name" operator="begins-with" value="A"/>', "startswith(name,'A')"],
    ['<condition attribute="name" operator="not-end-with" value="Inc"/>', "not endswith(name,'Inc')"],
    // Dataverse evaluates contains/startswith/endswith as SQL LIKE: % _ [ are wildcards unless enclosed in brackets
    // (https://learn.microsoft.com/power-apps/developer/data-platform/wildcard-characters).
    ['<condition attribute="name" operator="begins-with" value="50%"/>', "startswith(name,'50[%]')"],
    ['<condition attribute="name" operator="like" value="%A_B%"/>', "contains(name,'A[_]B')"],
    ['<condition attribute="name" operator="ends-with" value="[x]"/>', "endswith(name,'[[]x]')"],
    ['<condition attribute="name" operator="not-begin-with" value="O\'_"/>', "not startswith(name,'O''[_]')"],
    ['<condition attribute="name" operator="like" value="A_B"/>', "name eq 'A_B'"],
    [
      '<condition attribute="address1_stateorprovince" operator="in"><value>WA</value><value>OR</value></condition>',
      "(address1_stateorprovince eq 'WA' or address1_stateorprovince eq 'OR')",
    ],
    ['<condition attribute="industrycode" operator="in"><value>1</value></condition>', "industrycode eq 1"],
    [
      '<condition attribute="industrycode" operator="not-in"><value>1</value><value>2</value></condition>',
      "(industrycode ne 1 and industrycode ne 2)",
    ],
    [
      '<condition attribute="territoryid" operator="in"><value>{A1B2C3D4-0000-0000-0000-000000000002}</value><value>b1b2c3d4-0000-0000-0000-000000000003</value></condition>',
      "(_territoryid_value eq a1b2c3d4-0000-0000-0000-000000000002 or _territoryid_value eq b1b2c3d4-0000-0000-0000-000000000003)",
    ],
  ])("%s → %s", (condition, expected) => {
    expect(filterOf(`<filter>${condition}</filter>`)).toBe(expected);
  });
});

describe("scopeToODataFilter: FetchXML filters", () => {
  it("joins conditions with the filter's type and parenthesises nested filters", () => {
    const scope = `
      <filter type="and">
        <condition attribute="statecode" operator="eq" value="0" />
        <!-- west coast or anything named Contoso -->
        <filter type="or">
          <condition attribute="address1_stateorprovince" operator="in"><value>WA</value><value>OR</value></condition>
          <condition attribute="name" operator="like" value="%Contoso%" />
        </filter>
        <filter type="and">
          <condition attribute="revenue" operator="ge" value="1000" />
          <condition attribute="revenue" operator="lt" value="5000" />
        </filter>
      </filter>`;
    expect(filterOf(scope)).toBe(
      "statecode eq 0 and ((address1_stateorprovince eq 'WA' or address1_stateorprovince eq 'OR') or contains(name,'Contoso')) and (revenue ge 1000 and revenue lt 5000)",
    );
  });

  it("defaults to 'and' and skips empty nested filters", () => {
    expect(filterOf('<filter><condition attribute="statecode" operator="eq" value="0"/><filter type="or"/></filter>')).toBe(
      "statecode eq 0",
    );
  });

  it("gives an empty filter for an empty <filter/>", () => {
    expect(scopeToODataFilter('<filter type="or"></filter>')).toEqual({ ok: true, kind: "fetchxml", filter: "" });
  });

  it("accepts a whole <fetch> on account and uses its filter", () => {
    const fetch =
      '<?xml version="1.0"?><fetch><entity name="account"><attribute name="name"/><filter type="or"><condition attribute="statecode" operator="eq" value="0"/><condition attribute="statecode" operator="eq" value="1"/></filter></entity></fetch>';
    expect(filterOf(fetch)).toBe("statecode eq 0 or statecode eq 1");
  });
});

describe("scopeToODataFilter: invalid FetchXML gives a clear error", () => {
  it.each([
    [
      '<filter><condition attribute="name" operator="eq" value="x"></filter>',
      "The account scope is not a valid FetchXML filter: </condition> expected but found </filter> (at character 61).",
    ],
    ["<filter", "The account scope is not a valid FetchXML filter: unterminated <filter> (at character 8)."],
    [
      '<filter><condition operator="eq" value="1"/></filter>',
      "The account scope is not a valid FetchXML filter: a <condition> has no 'attribute'.",
    ],
    [
      '<filter><condition attribute="name" value="1"/></filter>',
      "The account scope is not a valid FetchXML filter: the <condition> on 'name' has no 'operator'.",
    ],
    [
      '<filter><condition attribute="createdon" operator="last-x-days" value="7"/></filter>',
      "The account scope is not a valid FetchXML filter: the operator 'last-x-days' (on 'createdon') is not supported; use eq, ne, gt, ge, lt, le, like, not-like, begins-with, ends-with, null, not-null, in or not-in.",
    ],
    ['<filter type="xor"/>', "The account scope is not a valid FetchXML filter: filter type 'xor' is not 'and' or 'or'."],
    [
      '<filter><condition attribute="name" operator="like" value="a%b"/></filter>',
      "The account scope is not a valid FetchXML filter: the like pattern 'a%b' has a '%' inside it; only a leading and/or trailing '%' is supported.",
    ],
    [
      '<filter><condition attribute="statecode" operator="in"/></filter>',
      "The account scope is not a valid FetchXML filter: the 'in' condition on 'statecode' has no <value> elements.",
    ],
    [
      '<filter><condition attribute="territoryid" operator="eq" value="West"/></filter>',
      "The account scope is not a valid FetchXML filter: the value 'West' of column 'territoryid' is not a GUID.",
    ],
    [
      '<filter><condition attribute="name" operator="eq" value="a" entityname="c"/></filter>',
      "The account scope is not a valid FetchXML filter: conditions on linked tables (entityname='c') are not supported.",
    ],
    [
      '<filter><condition attribute="name;drop" operator="eq" value="a"/></filter>',
      "The account scope is not a valid FetchXML filter: 'name;drop' is not a valid column name.",
    ],
    [
      '<condition attribute="name" operator="eq" value="a"/>',
      "The account scope is not a valid FetchXML filter: expected a <filter> element but found <condition>.",
    ],
    [
      '<fetch><entity name="contact"><filter/></entity></fetch>',
      "The account scope is not a valid FetchXML filter: the scope must select accounts, not 'contact'.",
    ],
    [
      "<filter/><filter/>",
      "The account scope is not a valid FetchXML filter: unexpected content after the root element (at character 10).",
    ],
  ])("%s", (scope, message) => {
    expect(errorOf(scope)).toBe(message);
  });
});
