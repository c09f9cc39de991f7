/**
 * Compiles parsed OData options against table schemas: property resolution (incl. lookups `_x_value` and
 * single-valued navigation paths `nav/attr`), filter predicates, sort comparators and row projection.
 */
import type { AttributeSchema, AttributeType } from "../../dataverse/schema";
import { isLookupType } from "../../dataverse/schema";
import { DataverseError, ErrorCodes, badRequest, propertyNotFound } from "./errors";
import type { CompareOp, ExpandItem, FilterNode, Literal, Operand, OrderByItem } from "./odata";
import type { Row, SqliteDataverseStore, TableState } from "./store";

export type Predicate = (row: Row) => boolean;

export interface CompileContext {
  store: SqliteDataverseStore;
  currentUserId: () => string;
  /** Labels of choice values: table -> attribute -> value -> label. */
  optionLabels?: Record<string, Record<string, Record<number, string>>>;
}

interface ResolvedProperty {
  /** Name as written (for messages). */
  name: string;
  attr: AttributeSchema;
  /** Raw stored value. */
  raw: (row: Row) => unknown;
  /** Normalized comparable value (lower-cased strings, epoch ms for dates) or null. */
  key: (row: Row) => unknown;
}

const NUMERIC: ReadonlySet<AttributeType> = new Set(["integer", "bigint", "decimal", "double", "money", "picklist", "state", "status"]);
const STRINGY: ReadonlySet<AttributeType> = new Set(["string", "memo"]);

export function edmType(type: AttributeType): string {
  switch (type) {
    case "string":
    case "memo":
      return "Edm.String";
    case "integer":
    case "picklist":
    case "state":
    case "status":
      return "Edm.Int32";
    case "bigint":
      return "Edm.Int64";
    case "decimal":
    case "money":
      return "Edm.Decimal";
    case "double":
      return "Edm.Double";
    case "boolean":
      return "Edm.Boolean";
    case "datetime":
      return "Edm.DateTimeOffset";
    default:
      return "Edm.Guid";
  }
}

function literalEdm(lit: Literal): string {
  switch (lit.kind) {
    case "string":
      return "Edm.String";
    case "number":
      return Number.isInteger(lit.value) ? "Edm.Int32" : "Edm.Double";
    case "boolean":
      return "Edm.Boolean";
    case "guid":
      return "Edm.Guid";
    case "datetime":
      return "Edm.DateTimeOffset";
    default:
      return "null";
  }
}

function normalizer(type: AttributeType): (v: unknown) => unknown {
  if (STRINGY.has(type)) return (v) => (v == null ? null : String(v).toLowerCase());
  if (type === "datetime") return (v) => (v == null ? null : Date.parse(String(v)));
  if (type === "uniqueidentifier" || isLookupType(type)) return (v) => (v == null ? null : String(v).toLowerCase());
  return (v) => (v === undefined ? null : v);
}

/** Resolves a property as used in $select/$filter/$orderby: plain attribute or `_x_value` for lookups. */
export function resolveAttribute(table: TableState, name: string): AttributeSchema {
  const m = /^_(.+)_value$/.exec(name);
  if (m) {
    const a = table.attributes.get(m[1]);
    if (a && isLookupType(a.type)) return a;
  }
  const a = table.attributes.get(name);
  if (a && !isLookupType(a.type)) return a;
  throw propertyNotFound(name, table.schema.logicalName);
}

/** Resolves a single-valued navigation property (the lookup attribute's logical name). */
export function resolveNavigation(
  table: TableState,
  nav: string,
  store: SqliteDataverseStore,
): { attr: AttributeSchema; target: TableState } {
  const a = table.attributes.get(nav);
  if (!a || !isLookupType(a.type) || !a.targets?.length) throw propertyNotFound(nav, table.schema.logicalName);
  const targetName = a.targets[0];
  if (!store.hasTable(targetName)) throw propertyNotFound(nav, table.schema.logicalName);
  return { attr: a, target: store.table(targetName) };
}

export function resolvePath(ctx: CompileContext, table: TableState, path: string[]): ResolvedProperty {
  if (path.length === 1) {
    const attr = resolveAttribute(table, path[0]);
    const name = attr.logicalName;
    const norm = normalizer(attr.type);
    return { name: path[0], attr, raw: (row) => row[name], key: (row) => norm(row[name]) };
  }
  if (path.length === 2) {
    const { attr: navAttr, target } = resolveNavigation(table, path[0], ctx.store);
    const attr = resolveAttribute(target, path[1]);
    const nav = navAttr.logicalName;
    const name = attr.logicalName;
    const rows = target.rows;
    const norm = normalizer(attr.type);
    const raw = (row: Row): unknown => {
      const id = row[nav];
      if (typeof id !== "string") return null;
      return rows.get(id)?.[name];
    };
    return { name: path.join("/"), attr, raw, key: (row) => norm(raw(row)) };
  }
  throw badRequest(`The property path '${path.join("/")}' is not supported.`);
}

function incompatible(attr: AttributeSchema, lit: Literal, op: string): DataverseError {
  const kind: Record<string, string> = {
    eq: "Equal",
    ne: "NotEqual",
    gt: "GreaterThan",
    ge: "GreaterThanOrEqual",
    lt: "LessThan",
    le: "LessThanOrEqual",
  };
  return badRequest(
    `A binary operator with incompatible types was detected. Found operand types '${edmType(attr.type)}' and '${literalEdm(lit)}' for operator kind '${kind[op] ?? op}'.`,
  );
}

/** Converts a literal to the normalized comparable form of the attribute type; null for the null literal. */
function coerceLiteral(attr: AttributeSchema, lit: Literal, op: string): unknown {
  if (lit.kind === "null") return null;
  const t = attr.type;
  if (STRINGY.has(t)) {
    if (lit.kind === "string") return lit.value.toLowerCase();
    throw incompatible(attr, lit, op);
  }
  if (NUMERIC.has(t)) {
    if (lit.kind === "number") return lit.value;
    throw incompatible(attr, lit, op);
  }
  if (t === "boolean") {
    if (lit.kind === "boolean") return lit.value;
    throw incompatible(attr, lit, op);
  }
  if (t === "datetime") {
    if (lit.kind === "datetime") return lit.value;
    throw incompatible(attr, lit, op);
  }
  if (lit.kind === "guid") return lit.value;
  throw incompatible(attr, lit, op);
}

/** Query-function parameter values are strings (or literals); convert to the attribute's comparable form. */
function coerceFunctionValue(attr: AttributeSchema, lit: Literal): unknown {
  if (lit.kind !== "string") return coerceLiteral(attr, lit, "eq");
  const s = lit.value;
  const t = attr.type;
  if (STRINGY.has(t)) return s.toLowerCase();
  if (NUMERIC.has(t)) {
    const n = Number(s);
    if (s.trim() === "" || Number.isNaN(n)) throw badRequest(`'${s}' is not a valid value for ${attr.logicalName}.`);
    return n;
  }
  if (t === "boolean") {
    if (s === "true" || s === "1") return true;
    if (s === "false" || s === "0") return false;
    throw badRequest(`'${s}' is not a valid Boolean.`);
  }
  if (t === "datetime") {
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw badRequest(`'${s}' is not a valid date/time.`);
    return ms;
  }
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s.replace(/^\{|\}$/g, "")))
    throw badRequest(`'${s}' is not a valid Guid.`);
  return s.replace(/^\{|\}$/g, "").toLowerCase();
}

const FLIP: Record<CompareOp, CompareOp> = { eq: "eq", ne: "ne", gt: "lt", ge: "le", lt: "gt", le: "ge" };

function comparePredicate(op: CompareOp, get: (row: Row) => unknown, c: unknown): Predicate {
  if (c === null) {
    if (op === "eq") return (row) => get(row) == null;
    if (op === "ne") return (row) => get(row) != null;
    return () => false;
  }
  const v = c as number | string | boolean;
  switch (op) {
    case "eq":
      return (row) => get(row) === v;
    case "ne":
      return (row) => {
        const x = get(row);
        return x != null && x !== v;
      };
    case "gt":
      return (row) => {
        const x = get(row) as typeof v;
        return x != null && x > v;
      };
    case "ge":
      return (row) => {
        const x = get(row) as typeof v;
        return x != null && x >= v;
      };
    case "lt":
      return (row) => {
        const x = get(row) as typeof v;
        return x != null && x < v;
      };
    case "le":
      return (row) => {
        const x = get(row) as typeof v;
        return x != null && x <= v;
      };
  }
}

function stringParam(params: Record<string, Literal | Literal[]>, name: string, fn: string): string {
  const v = params[name];
  if (!v || Array.isArray(v) || v.kind !== "string") throw badRequest(`The function '${fn}' requires the parameter '${name}' as a string.`);
  return v.value;
}

function resolveFunctionProperty(ctx: CompileContext, table: TableState, name: string): ResolvedProperty {
  // Query functions accept the attribute logical name, also for lookups.
  const a = table.attributes.get(name);
  if (a && isLookupType(a.type)) return resolvePath(ctx, table, [`_${name}_value`]);
  return resolvePath(ctx, table, [name]);
}

export function compileFilter(ctx: CompileContext, table: TableState, node: FilterNode): Predicate {
  switch (node.type) {
    case "and": {
      const l = compileFilter(ctx, table, node.left);
      const r = compileFilter(ctx, table, node.right);
      return (row) => l(row) && r(row);
    }
    case "or": {
      const l = compileFilter(ctx, table, node.left);
      const r = compileFilter(ctx, table, node.right);
      return (row) => l(row) || r(row);
    }
    case "not": {
      const inner = compileFilter(ctx, table, node.operand);
      return (row) => !inner(row);
    }
    case "cmp": {
      let { left, right, op } = node;
      if (left.type === "lit" && right.type === "prop") {
        [left, right] = [right, left];
        op = FLIP[op];
      }
      if (left.type === "lit") throw badRequest("A comparison must reference at least one property.");
      const prop = resolvePath(ctx, table, left.path);
      if (right.type === "lit") return comparePredicate(op, prop.key, coerceLiteral(prop.attr, right.lit, op));
      const other = resolvePath(ctx, table, right.path);
      if (edmType(other.attr.type) !== edmType(prop.attr.type) && !(NUMERIC.has(other.attr.type) && NUMERIC.has(prop.attr.type))) {
        throw badRequest(
          `A binary operator with incompatible types was detected. Found operand types '${edmType(prop.attr.type)}' and '${edmType(other.attr.type)}'.`,
        );
      }
      const a = prop.key;
      const b = other.key;
      switch (op) {
        case "eq":
          return (row) => {
            const x = a(row);
            return x != null && x === b(row);
          };
        case "ne":
          return (row) => {
            const x = a(row);
            const y = b(row);
            return x != null && y != null && x !== y;
          };
        case "gt":
          return (row) => {
            const x = a(row) as number;
            const y = b(row) as number;
            return x != null && y != null && x > y;
          };
        case "ge":
          return (row) => {
            const x = a(row) as number;
            const y = b(row) as number;
            return x != null && y != null && x >= y;
          };
        case "lt":
          return (row) => {
            const x = a(row) as number;
            const y = b(row) as number;
            return x != null && y != null && x < y;
          };
        case "le":
          return (row) => {
            const x = a(row) as number;
            const y = b(row) as number;
            return x != null && y != null && x <= y;
          };
      }
      break;
    }
    case "strfunc": {
      const [a, b] = node.args;
      if (a.type !== "prop" || b.type !== "lit" || b.lit.kind !== "string") {
        throw badRequest(`The function '${node.name}' requires a string property and a string literal.`);
      }
      const prop = resolvePath(ctx, table, a.path);
      if (!STRINGY.has(prop.attr.type))
        throw badRequest(
          `No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${node.name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        );
      // Dataverse evaluates these as SQL LIKE: % _ [..] [^..] in the value are wildcards ("Use wildcard characters
      // in conditions for string values"); a wildcard is literal only when enclosed in brackets ([%]).
      const pattern = node.name === "contains" ? `%${b.lit.value}%` : node.name === "startswith" ? `${b.lit.value}%` : `%${b.lit.value}`;
      const re = likeToRegExp(pattern);
      const get = prop.key as (row: Row) => string | null;
      return (row) => {
        const x = get(row);
        return x != null && re.test(x);
      };
    }
    case "queryfunc":
      return compileQueryFunction(ctx, table, node);
  }
  throw badRequest("Unsupported filter expression.");
}

/**
 * A T-SQL LIKE pattern as a case-insensitive regular expression: `%` any run, `_` one character, `[abc]` / `[a-c]`
 * one of a set or range, `[^…]` none of them; an unclosed `[` is a literal. (https://learn.microsoft.com/sql/t-sql/language-elements/like-transact-sql)
 */
export function likeToRegExp(pattern: string): RegExp {
  const escape = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "%") out += "[\\s\\S]*";
    else if (c === "_") out += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) {
        out += escape(c);
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith("^") && body.length > 1) {
        negate = true;
        body = body.slice(1);
      }
      let set = "";
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === "-" && j + 2 < body.length) {
          set += `${escape(body[j])}-${escape(body[j + 2])}`;
          j += 2;
        } else set += escape(body[j]);
      }
      out += `[${negate ? "^" : ""}${set}]`;
      i = close;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`, "i");
}

function compileQueryFunction(ctx: CompileContext, table: TableState, node: Extract<FilterNode, { type: "queryfunc" }>): Predicate {
  const fn = node.name;
  const prop = resolveFunctionProperty(ctx, table, stringParam(node.params, "PropertyName", fn));
  const valuesParam = (): unknown[] => {
    const v = node.params.PropertyValues;
    if (!Array.isArray(v)) throw badRequest(`The function '${fn}' requires the parameter 'PropertyValues' as a collection.`);
    return v.map((lit) => coerceFunctionValue(prop.attr, lit));
  };
  const get = prop.key;
  switch (fn) {
    case "In":
    case "NotIn": {
      const set = new Set(valuesParam());
      return fn === "In"
        ? (row) => set.has(get(row))
        : (row) => {
            const x = get(row);
            return x != null && !set.has(x);
          };
    }
    case "Between":
    case "NotBetween": {
      const vals = valuesParam();
      if (vals.length !== 2) throw badRequest(`The function '${fn}' requires exactly two values.`);
      const [lo, hi] = vals as [number, number];
      return fn === "Between"
        ? (row) => {
            const x = get(row) as number;
            return x != null && x >= lo && x <= hi;
          }
        : (row) => {
            const x = get(row) as number;
            return x != null && (x < lo || x > hi);
          };
    }
    case "Null":
      return (row) => get(row) == null;
    case "NotNull":
      return (row) => get(row) != null;
    case "EqualUserId":
    case "NotEqualUserId": {
      const user = ctx.currentUserId().toLowerCase();
      return fn === "EqualUserId"
        ? (row) => get(row) === user
        : (row) => {
            const x = get(row);
            return x != null && x !== user;
          };
    }
    default:
      throw new DataverseError(
        400,
        ErrorCodes.badRequest,
        `The query function 'Microsoft.Dynamics.CRM.${fn}' is not supported by the local Dataverse stand-in.`,
      );
  }
}

// ---------------------------------------------------------------- sorting

export function compileOrderBy(ctx: CompileContext, table: TableState, items: OrderByItem[]): (a: Row, b: Row) => number {
  const keys = items.map((it) => ({ get: resolvePath(ctx, table, it.path).key, dir: it.descending ? -1 : 1 }));
  return (a, b) => {
    for (const k of keys) {
      const x = k.get(a) as number | string | boolean | null;
      const y = k.get(b) as number | string | boolean | null;
      if (x === y) continue;
      // SQL Server: nulls sort first ascending, last descending.
      if (x == null) return -k.dir;
      if (y == null) return k.dir;
      return x < y ? -k.dir : k.dir;
    }
    return 0;
  };
}

// ---------------------------------------------------------------- projection

export interface AnnotationOptions {
  formatted: boolean;
  lookupLogicalName: boolean;
  navigationProperty: boolean;
  totalRecordCount: boolean;
  totalRecordCountLimitExceeded: boolean;
}

export function annotationOptions(include: string | undefined): AnnotationOptions {
  if (!include)
    return {
      formatted: false,
      lookupLogicalName: false,
      navigationProperty: false,
      totalRecordCount: false,
      totalRecordCountLimitExceeded: false,
    };
  const parts = include.split(",").map((s) => s.trim());
  const wants = (full: string): boolean =>
    parts.some((p) => {
      if (p === "*" || p === full) return true;
      if (p.endsWith(".*")) return full.startsWith(p.slice(0, -1));
      return false;
    });
  return {
    formatted: wants("OData.Community.Display.V1.FormattedValue"),
    lookupLogicalName: wants("Microsoft.Dynamics.CRM.lookuplogicalname"),
    navigationProperty: wants("Microsoft.Dynamics.CRM.associatednavigationproperty"),
    totalRecordCount: wants("Microsoft.Dynamics.CRM.totalrecordcount"),
    totalRecordCountLimitExceeded: wants("Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"),
  };
}

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber)}"`;
}

const moneyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 5 });

function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${String(d.getUTCMinutes()).padStart(2, "0")} ${h < 12 ? "AM" : "PM"}`;
}

export function formatValue(attr: AttributeSchema, value: unknown, labels?: Record<number, string>): string | undefined {
  if (value == null) return undefined;
  const label = labels?.[value as number];
  if (label !== undefined) return label;
  switch (attr.type) {
    case "boolean":
      return value ? "Yes" : "No";
    case "state":
      return value === 0 ? "Active" : value === 1 ? "Inactive" : String(value);
    case "status":
      return value === 1 ? "Active" : value === 2 ? "Inactive" : String(value);
    case "picklist":
      return String(value);
    case "money":
      return moneyFormat.format(Number(value));
    case "integer":
    case "bigint":
    case "decimal":
    case "double":
      return numberFormat.format(Number(value));
    case "datetime":
      return formatDate(String(value));
    default:
      return undefined;
  }
}

export type Projector = (row: Row) => Record<string, unknown>;

interface Column {
  out: string;
  attr: AttributeSchema;
  lookupTarget?: TableState;
  /** Every target table of a polymorphic lookup (owner: systemuser, team); the row's table is the one holding the id. */
  lookupTargets?: TableState[];
  labels?: Record<number, string>;
}

export function outputName(attr: AttributeSchema): string {
  return isLookupType(attr.type) ? `_${attr.logicalName}_value` : attr.logicalName;
}

/** Builds a projector for $select (undefined = all columns) and $expand of single-valued navigation properties. */
export function compileProjection(
  ctx: CompileContext,
  table: TableState,
  select: string[] | undefined,
  expand: ExpandItem[],
  ann: AnnotationOptions,
): Projector {
  const pk = table.schema.primaryIdAttribute;
  let attrs: AttributeSchema[];
  if (!select || select.includes("*")) attrs = table.schema.attributes;
  else {
    attrs = [];
    const seen = new Set<string>();
    for (const name of select) {
      const a = resolveAttribute(table, name);
      if (!seen.has(a.logicalName)) {
        seen.add(a.logicalName);
        attrs.push(a);
      }
    }
    if (!seen.has(pk)) attrs.push(table.attributes.get(pk) as AttributeSchema);
  }
  const columns: Column[] = attrs.map((attr) => {
    const col: Column = { out: outputName(attr), attr, labels: ctx.optionLabels?.[table.schema.logicalName]?.[attr.logicalName] };
    if (isLookupType(attr.type) && attr.targets?.[0] && ctx.store.hasTable(attr.targets[0]))
      col.lookupTarget = ctx.store.table(attr.targets[0]);
    const targets = (attr.targets ?? []).filter((n) => ctx.store.hasTable(n)).map((n) => ctx.store.table(n));
    if (isLookupType(attr.type) && targets.length > 1) col.lookupTargets = targets;
    return col;
  });
  const expansions = expand.map((item) => {
    const { target } = resolveNavigation(table, item.navigation, ctx.store);
    return { nav: item.navigation, target, project: compileProjection(ctx, target, item.select, [], ann) };
  });
  const anyAnnotations = ann.formatted || ann.lookupLogicalName || ann.navigationProperty;
  return (row) => {
    const out: Record<string, unknown> = { "@odata.etag": etagOf(row) };
    for (const col of columns) {
      const v = row[col.attr.logicalName];
      if (anyAnnotations && v != null) {
        if (col.lookupTarget) {
          const table = col.lookupTargets?.find((tt) => tt.rows.has(v as string)) ?? col.lookupTarget;
          if (ann.formatted) {
            const target = table.rows.get(v as string);
            const name = target?.[table.schema.primaryNameAttribute];
            if (name != null) out[`${col.out}@OData.Community.Display.V1.FormattedValue`] = String(name);
          }
          if (ann.navigationProperty) out[`${col.out}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = col.attr.logicalName;
          if (ann.lookupLogicalName) out[`${col.out}@Microsoft.Dynamics.CRM.lookuplogicalname`] = table.schema.logicalName;
        } else if (ann.formatted) {
          const f = formatValue(col.attr, v, col.labels);
          if (f !== undefined) out[`${col.out}@OData.Community.Display.V1.FormattedValue`] = f;
        }
      }
      out[col.out] = v === undefined ? null : v;
    }
    for (const e of expansions) {
      const id = row[e.nav];
      const target = typeof id === "string" ? e.target.rows.get(id) : undefined;
      out[e.nav] = target ? e.project(target) : null;
    }
    return out;
  };
}

export function contextSelectSuffix(select: string[] | undefined, expand: ExpandItem[]): string {
  const parts: string[] = [];
  if (select) parts.push(...select);
  for (const e of expand) parts.push(`${e.navigation}(${(e.select ?? []).join(",")})`);
  return parts.length ? `(${parts.join(",")})` : "";
}

export type { Operand };
