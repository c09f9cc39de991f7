/**
 * OData query options as Dataverse accepts them: a tokenizer + recursive-descent parser for $filter,
 * and parsers for $select, $orderby, $expand. Filters compile once per query into JS predicates.
 */
import { badRequest } from "./errors";

// ---------------------------------------------------------------- tokens

export type TokenKind = "ident" | "string" | "number" | "guid" | "datetime" | "punct" | "eof";
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  value?: string | number;
}

const GUID_RE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_])/y;
const DATETIME_RE = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![0-9A-Za-z_])/y;
const NUMBER_RE = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?(?![0-9A-Za-z_])/y;
const IDENT_RE = /[A-Za-z_][A-Za-z0-9_.]*/y;

function syntaxError(text: string, pos: number, detail?: string): Error {
  return badRequest(`Syntax error${detail ? `: ${detail}` : ""} at position ${pos} in '${text}'.`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const sticky = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    return m ? m[0] : null;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if ("(),=[]/".includes(c)) {
      tokens.push({ kind: "punct", text: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length) throw syntaxError(text, i, "unterminated string literal");
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: "string", text: text.slice(i, j + 1), pos: i, value });
      i = j + 1;
      continue;
    }
    let m = sticky(GUID_RE);
    if (m) {
      tokens.push({ kind: "guid", text: m, pos: i, value: m.toLowerCase() });
      i += m.length;
      continue;
    }
    m = sticky(DATETIME_RE);
    if (m) {
      const ms = Date.parse(m.length === 10 ? `${m}T00:00:00Z` : /[Zz]|[+-]\d{2}:\d{2}$/.test(m) ? m : `${m}Z`);
      if (Number.isNaN(ms)) throw syntaxError(text, i, `invalid date/time '${m}'`);
      tokens.push({ kind: "datetime", text: m, pos: i, value: ms });
      i += m.length;
      continue;
    }
    m = sticky(NUMBER_RE);
    if (m) {
      const value = Number(m.replace(/[mMdDfFlL]$/, ""));
      tokens.push({ kind: "number", text: m, pos: i, value });
      i += m.length;
      continue;
    }
    m = sticky(IDENT_RE);
    if (m) {
      tokens.push({ kind: "ident", text: m, pos: i });
      i += m.length;
      continue;
    }
    throw syntaxError(text, i, `character '${c}' is not valid`);
  }
  tokens.push({ kind: "eof", text: "", pos: text.length });
  return tokens;
}

// ---------------------------------------------------------------- AST

export type Literal =
  | { kind: "null" }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "guid"; value: string }
  | { kind: "datetime"; value: number; text: string };

export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type Operand = { type: "prop"; path: string[]; pos: number } | { type: "lit"; lit: Literal; pos: number };
export type FilterNode =
  | { type: "and" | "or"; left: FilterNode; right: FilterNode }
  | { type: "not"; operand: FilterNode }
  | { type: "cmp"; op: CompareOp; left: Operand; right: Operand }
  | { type: "strfunc"; name: "contains" | "startswith" | "endswith"; args: [Operand, Operand] }
  | { type: "queryfunc"; name: string; params: Record<string, Literal | Literal[]>; pos: number };

const COMPARE_OPS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const STRING_FUNCS = new Set(["contains", "startswith", "endswith"]);

/** Nesting limit of $filter (ODataLib's default recursion limit is 800): deeper input is a 400, never a crash. */
export const MAX_FILTER_DEPTH = 800;

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let p = 0;
  let depth = 0;
  const enter = (pos: number): void => {
    if (++depth > MAX_FILTER_DEPTH) throw syntaxError(text, pos, "The recursion limit has been exceeded");
  };
  const peek = (): Token => tokens[p];
  const next = (): Token => tokens[p++];
  const isIdent = (word: string): boolean => peek().kind === "ident" && peek().text === word;
  const expectPunct = (ch: string): void => {
    const t = next();
    if (t.kind !== "punct" || t.text !== ch) throw syntaxError(text, t.pos, `'${ch}' expected`);
  };

  const parseLiteral = (): Literal | null => {
    const t = peek();
    switch (t.kind) {
      case "string":
        p++;
        return { kind: "string", value: t.value as string };
      case "number":
        p++;
        return { kind: "number", value: t.value as number };
      case "guid":
        p++;
        return { kind: "guid", value: t.value as string };
      case "datetime":
        p++;
        return { kind: "datetime", value: t.value as number, text: t.text };
      case "ident":
        if (t.text === "null") {
          p++;
          return { kind: "null" };
        }
        if (t.text === "true" || t.text === "false") {
          p++;
          return { kind: "boolean", value: t.text === "true" };
        }
        return null;
      default:
        return null;
    }
  };

  const parseOperand = (): Operand => {
    const t = peek();
    const lit = parseLiteral();
    if (lit) return { type: "lit", lit, pos: t.pos };
    if (t.kind !== "ident" || COMPARE_OPS.has(t.text) || t.text === "and" || t.text === "or" || t.text === "not") {
      throw syntaxError(text, t.pos, t.kind === "eof" ? "unexpected end of expression" : `unexpected '${t.text}'`);
    }
    p++;
    const path = [t.text];
    while (peek().kind === "punct" && peek().text === "/") {
      p++;
      const seg = next();
      if (seg.kind !== "ident") throw syntaxError(text, seg.pos, "property name expected after /");
      path.push(seg.text);
    }
    return { type: "prop", path, pos: t.pos };
  };

  const parseQueryFunction = (name: string, pos: number): FilterNode => {
    expectPunct("(");
    const params: Record<string, Literal | Literal[]> = {};
    if (!(peek().kind === "punct" && peek().text === ")")) {
      for (;;) {
        const key = next();
        if (key.kind !== "ident") throw syntaxError(text, key.pos, "parameter name expected");
        expectPunct("=");
        if (peek().kind === "punct" && peek().text === "[") {
          p++;
          const values: Literal[] = [];
          if (!(peek().kind === "punct" && peek().text === "]")) {
            for (;;) {
              const lt = peek();
              const lit = parseLiteral();
              if (!lit) throw syntaxError(text, lt.pos, "literal expected");
              values.push(lit);
              if (peek().kind === "punct" && peek().text === ",") {
                p++;
                continue;
              }
              break;
            }
          }
          expectPunct("]");
          params[key.text] = values;
        } else {
          const lt = peek();
          const lit = parseLiteral();
          if (!lit) throw syntaxError(text, lt.pos, "literal expected");
          params[key.text] = lit;
        }
        if (peek().kind === "punct" && peek().text === ",") {
          p++;
          continue;
        }
        break;
      }
    }
    expectPunct(")");
    return { type: "queryfunc", name, params, pos };
  };

  const parsePrimary = (): FilterNode => {
    const t = peek();
    if (t.kind === "punct" && t.text === "(") {
      p++;
      enter(t.pos);
      const inner = parseOr();
      expectPunct(")");
      depth--;
      return inner;
    }
    if (t.kind === "ident" && tokens[p + 1]?.kind === "punct" && tokens[p + 1].text === "(") {
      if (STRING_FUNCS.has(t.text)) {
        p += 2;
        const a = parseOperand();
        expectPunct(",");
        const b = parseOperand();
        expectPunct(")");
        return { type: "strfunc", name: t.text as "contains", args: [a, b] };
      }
      if (t.text.startsWith("Microsoft.Dynamics.CRM.")) {
        p++;
        return parseQueryFunction(t.text.slice("Microsoft.Dynamics.CRM.".length), t.pos);
      }
      throw badRequest(`Unknown function '${t.text}' at position ${t.pos} in '${text}'.`);
    }
    const left = parseOperand();
    const opTok = peek();
    if (opTok.kind !== "ident" || !COMPARE_OPS.has(opTok.text)) {
      throw syntaxError(
        text,
        opTok.pos,
        opTok.kind === "eof" ? "comparison operator expected" : `unexpected '${opTok.text}', comparison operator expected`,
      );
    }
    p++;
    const right = parseOperand();
    return { type: "cmp", op: opTok.text as CompareOp, left, right };
  };

  const parseNot = (): FilterNode => {
    if (isIdent("not")) {
      enter(peek().pos);
      p++;
      const operand = parseNot();
      depth--;
      return { type: "not", operand };
    }
    return parsePrimary();
  };
  const parseAnd = (): FilterNode => {
    let left = parseNot();
    while (isIdent("and")) {
      p++;
      left = { type: "and", left, right: parseNot() };
    }
    return left;
  };
  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isIdent("or")) {
      p++;
      left = { type: "or", left, right: parseAnd() };
    }
    return left;
  };

  if (peek().kind === "eof") throw syntaxError(text, 0, "empty $filter");
  const node = parseOr();
  if (peek().kind !== "eof") throw syntaxError(text, peek().pos, `unexpected '${peek().text}'`);
  return node;
}

// ---------------------------------------------------------------- other options

/** Splits on a separator at parenthesis depth 0 (quotes respected). */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) throw badRequest(`Syntax error: unbalanced parentheses or quotes in '${text}'.`);
  parts.push(text.slice(start));
  return parts;
}

const PROPERTY_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseSelect(text: string): string[] {
  const names = text.split(",").map((s) => s.trim());
  for (const n of names) {
    if (!n) throw badRequest(`Syntax error: empty property name in $select '${text}'.`);
    if (!PROPERTY_NAME_RE.test(n) && n !== "*") throw badRequest(`Syntax error: invalid property name '${n}' in $select.`);
  }
  return names;
}

export interface OrderByItem {
  path: string[];
  descending: boolean;
}

export function parseOrderBy(text: string): OrderByItem[] {
  return text.split(",").map((part) => {
    const words = part.trim().split(/\s+/);
    if (!words[0] || words.length > 2) throw badRequest(`Syntax error in $orderby '${text}'.`);
    const dir = words[1]?.toLowerCase();
    if (dir !== undefined && dir !== "asc" && dir !== "desc")
      throw badRequest(`Syntax error in $orderby '${text}': expected 'asc' or 'desc' but found '${words[1]}'.`);
    const path = words[0].split("/");
    for (const seg of path) if (!PROPERTY_NAME_RE.test(seg)) throw badRequest(`Syntax error in $orderby '${text}'.`);
    return { path, descending: dir === "desc" };
  });
}

export interface ExpandItem {
  navigation: string;
  select?: string[];
}

export function parseExpand(text: string): ExpandItem[] {
  return splitTopLevel(text, ",").map((raw) => {
    const part = raw.trim();
    const open = part.indexOf("(");
    const navigation = (open >= 0 ? part.slice(0, open) : part).trim();
    if (!PROPERTY_NAME_RE.test(navigation)) throw badRequest(`Syntax error in $expand '${text}'.`);
    const item: ExpandItem = { navigation };
    if (open >= 0) {
      if (!part.endsWith(")")) throw badRequest(`Syntax error in $expand '${text}'.`);
      const inner = part.slice(open + 1, -1);
      for (const opt of splitTopLevel(inner, ";")) {
        const eq = opt.indexOf("=");
        const key = opt.slice(0, eq).trim();
        const value = opt.slice(eq + 1).trim();
        if (eq < 0) throw badRequest(`Syntax error in $expand '${text}'.`);
        if (key === "$select") item.select = parseSelect(value);
        else throw badRequest(`The query option '${key}' inside $expand of a single-valued navigation property is not supported.`);
      }
    }
    return item;
  });
}

// ---------------------------------------------------------------- Prefer header

export interface Preferences {
  maxPageSize?: number;
  includeAnnotations?: string;
  returnRepresentation: boolean;
  continueOnError: boolean;
}

export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { returnRepresentation: false, continueOnError: false };
  if (!header) return prefs;
  for (const raw of splitTopLevel(header.replace(/"/g, "'"), ",")) {
    const item = raw.trim();
    const eq = item.indexOf("=");
    const key = (eq >= 0 ? item.slice(0, eq) : item).trim().toLowerCase();
    const value =
      eq >= 0
        ? item
            .slice(eq + 1)
            .trim()
            .replace(/^'|'$/g, "")
        : "";
    if (key === "odata.maxpagesize") {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefs.maxPageSize = n;
    } else if (key === "odata.include-annotations") prefs.includeAnnotations = value;
    else if (key === "return" && value === "representation") prefs.returnRepresentation = true;
    else if (key === "odata.continue-on-error") prefs.continueOnError = true;
  }
  return prefs;
}
