/**
 * The account scope: which accounts the control loads.
 *
 * Objective: accept what a maker can paste into the control's "Account scope" property — an OData `$filter`
 * expression (passed through after a syntax sanity check) or a FetchXML `<filter>` fragment (recognised by a
 * leading "<") — and produce the OData `$filter` the Web API query uses. Anything that cannot be translated
 * exactly yields a clear error message for the UI instead of a wrong query or a crash.
 *
 * FetchXML support: `<filter type="and|or">` (nested), `<condition attribute operator value>` with the
 * operators eq, ne, gt, ge, lt, le, like, not-like, begins-with, not-begin-with, ends-with, not-end-with,
 * null, not-null, in, not-in (values in `<value>` children). A whole `<fetch><entity name="account">…` is
 * accepted too; its entity's own filters are used and a `<link-entity>` is rejected.
 *
 * FetchXML values are untyped text, OData literals are typed. Without metadata the translation types a value:
 * lookup columns (known account lookups, or any `…id` column compared with a GUID) → `_<name>_value` and an
 * unquoted GUID; known text columns → quoted text; known two-option columns → true/false; numbers and ISO
 * dates → unquoted; anything else → quoted text. `like` supports `%` at the start and/or end only; `_` and
 * `[…]` are taken literally, and so is all of a begins-with / ends-with value. Dataverse evaluates contains /
 * startswith / endswith as SQL LIKE, where `%`, `_` and `[` are wildcards, so those characters are escaped by
 * enclosing them in brackets (`[%]`, `[_]`, `[[]`), as "Use wildcard characters in conditions for string values"
 * documents (https://learn.microsoft.com/power-apps/developer/data-platform/wildcard-characters).
 */

export type ScopeResult = { ok: true; filter: string; kind: "odata" | "fetchxml" | "empty" } | { ok: false; error: string };

/** Known lookup columns of account (read as `_<name>_value` in OData). */
const LOOKUP_COLUMNS = new Set([
  "territoryid",
  "ownerid",
  "parentaccountid",
  "primarycontactid",
  "owninguser",
  "owningteam",
  "owningbusinessunit",
  "createdby",
  "modifiedby",
  "createdonbehalfby",
  "modifiedonbehalfby",
  "transactioncurrencyid",
  "originatingleadid",
  "defaultpricelevelid",
  "preferredsystemuserid",
  "masterid",
  "slaid",
  "slainvokedid",
  "preferredequipmentid",
  "preferredserviceid",
  "msa_managingpartnerid",
]);

/** Known text columns of account: values are always quoted, even when they look numeric (e.g. postal codes). */
const TEXT_COLUMNS = new Set([
  "name",
  "accountnumber",
  "description",
  "emailaddress1",
  "emailaddress2",
  "emailaddress3",
  "telephone1",
  "telephone2",
  "telephone3",
  "fax",
  "websiteurl",
  "tickersymbol",
  "sic",
  "stockexchange",
  "yominame",
  "address1_line1",
  "address1_line2",
  "address1_line3",
  "address1_city",
  "address1_stateorprovince",
  "address1_county",
  "address1_postalcode",
  "address1_country",
  "address1_name",
  "address1_telephone1",
  "address1_postofficebox",
  "address2_line1",
  "address2_line2",
  "address2_line3",
  "address2_city",
  "address2_stateorprovince",
  "address2_county",
  "address2_postalcode",
  "address2_country",
  "address2_name",
]);

/** Known two-option (boolean) columns of account. */
const BOOLEAN_COLUMNS = new Set([
  "donotemail",
  "donotphone",
  "donotfax",
  "donotpostalmail",
  "donotbulkemail",
  "donotbulkpostalmail",
  "donotsendmm",
  "creditonhold",
  "followemail",
  "merged",
  "participatesinworkflow",
  "marketingonly",
  "isprivate",
]);

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Thrown inside the translator; turned into `{ ok: false, error }` at the boundary. */
class ScopeError extends Error {}

// ------------------------------------------------------------------------------------------------ XML

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content directly inside this element. */
  text: string;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    switch (e) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default:
        return e[1] === "x" ? String.fromCodePoint(parseInt(e.slice(2), 16)) : String.fromCodePoint(parseInt(e.slice(1), 10));
    }
  });
}

/** A small, strict XML parser: elements, attributes, text, comments, XML declaration. No DTDs, no CDATA. */
function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new ScopeError(`${msg} (at character ${i + 1})`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (i < source.length && /\s/.test(source[i])) i++;
      if (source.startsWith("<!--", i)) {
        const end = source.indexOf("-->", i + 4);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
      } else if (source.startsWith("<?", i)) {
        const end = source.indexOf("?>", i + 2);
        if (end < 0) fail("unterminated declaration");
        i = end + 2;
      } else return;
    }
  };
  const readName = (): string => {
    const m = /^[A-Za-z_][\w.-]*/.exec(source.slice(i, i + 200));
    if (!m) return fail("element or attribute name expected");
    i += m[0].length;
    return m[0];
  };
  const parseElement = (): XmlElement => {
    if (source[i] !== "<") fail("'<' expected");
    i++;
    const name = readName();
    const el: XmlElement = { name, attributes: {}, children: [], text: "" };
    for (;;) {
      while (/\s/.test(source[i] ?? "")) i++;
      if (source.startsWith("/>", i)) {
        i += 2;
        return el;
      }
      if (source[i] === ">") {
        i++;
        break;
      }
      if (i >= source.length) fail(`unterminated <${name}>`);
      const attr = readName();
      while (/\s/.test(source[i] ?? "")) i++;
      if (source[i] !== "=") fail(`'=' expected after attribute '${attr}'`);
      i++;
      while (/\s/.test(source[i] ?? "")) i++;
      const quote = source[i];
      if (quote !== '"' && quote !== "'") fail(`quoted value expected for attribute '${attr}'`);
      const end = source.indexOf(quote, i + 1);
      if (end < 0) fail(`unterminated value of attribute '${attr}'`);
      if (attr in el.attributes) fail(`duplicate attribute '${attr}'`);
      el.attributes[attr] = decodeEntities(source.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      const lt = source.indexOf("<", i);
      if (lt < 0) fail(`missing </${name}>`);
      el.text += decodeEntities(source.slice(i, lt));
      i = lt;
      if (source.startsWith("<!--", i)) {
        const end = source.indexOf("-->", i + 4);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
      } else if (source.startsWith("</", i)) {
        const closeAt = i;
        i += 2;
        const close = readName();
        if (close !== name) {
          i = closeAt;
          fail(`</${name}> expected but found </${close}>`);
        }
        while (/\s/.test(source[i] ?? "")) i++;
        if (source[i] !== ">") fail(`'>' expected after </${close}`);
        i++;
        return el;
      } else if (source.startsWith("<![CDATA[", i)) {
        const end = source.indexOf("]]>", i);
        if (end < 0) fail("unterminated CDATA section");
        el.text += source.slice(i + 9, end);
        i = end + 3;
      } else {
        el.children.push(parseElement());
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i < source.length) fail("unexpected content after the root element");
  return root;
}

// ------------------------------------------------------------------------------------------------ translation

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isLookup(column: string, values: string[]): boolean {
  if (LOOKUP_COLUMNS.has(column)) return true;
  return column !== "accountid" && column.endsWith("id") && values.length > 0 && values.every((v) => GUID.test(v.trim()));
}

function literal(column: string, raw: string, lookup: boolean): string {
  const v = raw.trim();
  const guid = GUID.exec(v);
  if (lookup || column === "accountid") {
    if (!guid) throw new ScopeError(`the value '${raw}' of column '${column}' is not a GUID`);
    return guid[1].toLowerCase();
  }
  if (TEXT_COLUMNS.has(column)) return quote(raw);
  if (BOOLEAN_COLUMNS.has(column)) {
    if (v === "1" || v.toLowerCase() === "true") return "true";
    if (v === "0" || v.toLowerCase() === "false") return "false";
    throw new ScopeError(`the value '${raw}' of yes/no column '${column}' must be 0 or 1`);
  }
  if (guid) return guid[1].toLowerCase();
  if (NUMBER.test(v) || ISO_DATE.test(v)) return v;
  return quote(raw);
}

/** Literal text for contains / startswith / endswith: Dataverse's LIKE wildcards enclosed in brackets. */
export function escapeLikeText(text: string): string {
  return text.replace(/[[%_]/g, "[$&]");
}

/** A FetchXML like pattern (`%` only leading and/or trailing) as OData. */
function likeToOData(property: string, pattern: string, negate: boolean): string {
  const starts = pattern.startsWith("%");
  const ends = pattern.endsWith("%") && pattern.length > 1;
  const core = pattern.slice(starts ? 1 : 0, ends ? pattern.length - 1 : pattern.length);
  if (core.includes("%"))
    throw new ScopeError(`the like pattern '${pattern}' has a '%' inside it; only a leading and/or trailing '%' is supported`);
  return textMatchToOData(property, core, starts, ends, negate);
}

/** `core` (literal text) anywhere / at the start / at the end of the column, or equal to it. */
function textMatchToOData(property: string, core: string, anyBefore: boolean, anyAfter: boolean, negate: boolean): string {
  let expr: string;
  const literal = quote(escapeLikeText(core));
  if (core === "") expr = `${property} ne null`;
  else if (anyBefore && anyAfter) expr = `contains(${property},${literal})`;
  else if (anyAfter) expr = `startswith(${property},${literal})`;
  else if (anyBefore) expr = `endswith(${property},${literal})`;
  else return `${property} ${negate ? "ne" : "eq"} ${quote(core)}`;
  if (!negate) return expr;
  return core === "" ? `${property} eq null` : `not ${expr}`;
}

function conditionToOData(el: XmlElement): string {
  const a = el.attributes;
  if (a.entityname !== undefined) throw new ScopeError(`conditions on linked tables (entityname='${a.entityname}') are not supported`);
  const column = (a.attribute ?? "").trim().toLowerCase();
  if (!column) throw new ScopeError("a <condition> has no 'attribute'");
  if (!COLUMN.test(column)) throw new ScopeError(`'${a.attribute}' is not a valid column name`);
  const operator = (a.operator ?? "").trim().toLowerCase();
  if (!operator) throw new ScopeError(`the <condition> on '${column}' has no 'operator'`);
  const childValues = el.children.filter((c) => c.name === "value").map((c) => c.text);
  const values = a.value !== undefined ? [a.value, ...childValues] : childValues;
  const lookup = isLookup(column, values);
  const property = lookup ? `_${column}_value` : column;
  const single = (): string => {
    if (values.length !== 1) throw new ScopeError(`the '${operator}' condition on '${column}' needs exactly one value`);
    return values[0];
  };
  switch (operator) {
    case "eq":
    case "ne":
    case "gt":
    case "ge":
    case "lt":
    case "le":
      return `${property} ${operator} ${literal(column, single(), lookup)}`;
    case "null":
      return `${property} eq null`;
    case "not-null":
      return `${property} ne null`;
    case "like":
    case "not-like":
      return likeToOData(property, single(), operator === "not-like");
    case "begins-with":
    case "not-begin-with":
      return textMatchToOData(property, single(), false, true, operator === "not-begin-with");
    case "ends-with":
    case "not-end-with":
      return textMatchToOData(property, single(), true, false, operator === "not-end-with");
    case "in":
    case "not-in": {
      if (values.length === 0) throw new ScopeError(`the '${operator}' condition on '${column}' has no <value> elements`);
      const op = operator === "in" ? "eq" : "ne";
      const parts = values.map((v) => `${property} ${op} ${literal(column, v, lookup)}`);
      return parts.length === 1 ? parts[0] : `(${parts.join(operator === "in" ? " or " : " and ")})`;
    }
    default:
      throw new ScopeError(
        `the operator '${operator}' (on '${column}') is not supported; use eq, ne, gt, ge, lt, le, like, not-like, begins-with, ends-with, null, not-null, in or not-in`,
      );
  }
}

/** Translates a <filter>; returns null for an empty filter. `nested` wraps multi-part results in parentheses. */
function filterToOData(el: XmlElement, nested: boolean): string | null {
  const type = (el.attributes.type ?? "and").trim().toLowerCase();
  if (type !== "and" && type !== "or") throw new ScopeError(`filter type '${el.attributes.type}' is not 'and' or 'or'`);
  const parts: string[] = [];
  for (const child of el.children) {
    if (child.name === "condition") parts.push(conditionToOData(child));
    else if (child.name === "filter") {
      const inner = filterToOData(child, true);
      if (inner !== null) parts.push(inner);
    } else if (child.name === "link-entity") {
      throw new ScopeError("<link-entity> is not supported in the account scope");
    } else {
      throw new ScopeError(`unexpected <${child.name}> inside <filter>`);
    }
  }
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0];
  const joined = parts.join(` ${type} `);
  return nested ? `(${joined})` : joined;
}

function fetchToOData(root: XmlElement): string | null {
  const entity = root.children.find((c) => c.name === "entity");
  if (!entity) throw new ScopeError("<fetch> has no <entity>");
  if (entity.attributes.name !== undefined && entity.attributes.name.toLowerCase() !== "account") {
    throw new ScopeError(`the scope must select accounts, not '${entity.attributes.name}'`);
  }
  if (entity.children.some((c) => c.name === "link-entity")) throw new ScopeError("<link-entity> is not supported in the account scope");
  const elements = entity.children.filter((c) => c.name === "filter");
  if (elements.length === 1) return filterToOData(elements[0], false);
  const filters = elements.map((f) => filterToOData(f, true)).filter((f): f is string => f !== null);
  if (filters.length === 0) return null;
  return filters.join(" and ");
}

/** Sanity check of an OData expression: balanced quotes and parentheses. Returns an error text or null. */
function checkOData(expression: string): string | null {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") {
      depth--;
      if (depth < 0) return `unbalanced ')' at character ${i + 1}`;
    }
  }
  if (quoted) return "a text value is missing its closing quote (')";
  if (depth > 0) return "a '(' is missing its ')'";
  return null;
}

/**
 * Turns the control's account scope into an OData `$filter` expression ("" = no filter).
 *
 * @example
 * scopeToODataFilter("statecode eq 0")
 * // { ok: true, kind: "odata", filter: "statecode eq 0" }
 * scopeToODataFilter('<filter><condition attribute="address1_stateorprovince" operator="in"><value>WA</value><value>OR</value></condition></filter>')
 * // { ok: true, kind: "fetchxml", filter: "(address1_stateorprovince eq 'WA' or address1_stateorprovince eq 'OR')" }
 */
export function scopeToODataFilter(scope: string | null | undefined): ScopeResult {
  const text = (scope ?? "").trim();
  if (text === "") return { ok: true, filter: "", kind: "empty" };
  if (!text.startsWith("<")) {
    const problem = checkOData(text);
    return problem
      ? { ok: false, error: `The account scope is not a valid OData filter: ${problem}.` }
      : { ok: true, filter: text, kind: "odata" };
  }
  try {
    const root = parseXml(text);
    let filter: string | null;
    if (root.name === "filter") filter = filterToOData(root, false);
    else if (root.name === "fetch") filter = fetchToOData(root);
    else throw new ScopeError(`expected a <filter> element but found <${root.name}>`);
    return { ok: true, filter: filter ?? "", kind: "fetchxml" };
  } catch (e) {
    if (e instanceof ScopeError) return { ok: false, error: `The account scope is not a valid FetchXML filter: ${e.message}.` };
    throw e;
  }
}
