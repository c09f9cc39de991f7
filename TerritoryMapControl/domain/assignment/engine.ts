/**
 * The assignment rule engine: compiles a published plan once (hash maps for named accounts and postal codes, a
 * uniform grid over polygon bounding boxes, exact point-in-polygon), then answers "which territory does this
 * account belong to?" in microseconds.
 *
 * @example
 * const engine = compileAssignmentPlan(plan);
 * const outcome = engine.assign({ id, latitude: 47.6, longitude: -122.3, postalCode: "98101", industryCode: 7, ... });
 * if (outcome.kind === "assigned") console.log(outcome.territory.name, outcome.matchedBy);
 *
 * Pure TypeScript: no DOM, React, map SDK, PCF or Node imports.
 */
import { compileShape, GeometryError, ShapeGrid, type CompiledShape } from "./geometry";
import {
  DEFAULT_KIND_ORDER,
  RULE_KINDS,
  type AssignmentAccount,
  type AssignmentOutcome,
  type AssignmentPlan,
  type AssignmentRule,
  type FirmographicRule,
  type NumberRange,
  type RuleKind,
} from "./types";

/** A rule after compilation: its territory index and its rank inside its kind (lower wins). */
interface Hit {
  territoryIndex: number;
  ruleId: string | null;
  ruleName: string;
  /** precedence, then territory index, then declaration order — folded into one comparable tuple. */
  precedence: number;
  seq: number;
}

function better(a: Hit, b: Hit | undefined): boolean {
  if (!b) return true;
  if (a.precedence !== b.precedence) return a.precedence < b.precedence;
  if (a.territoryIndex !== b.territoryIndex) return a.territoryIndex < b.territoryIndex;
  return a.seq < b.seq;
}

/** Postal code as compared: upper case without spaces ("sw1a 1aa" → "SW1A1AA"). */
export function normalisePostalCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, "");
}

/** True when the coordinates are usable (finite, in range, not the 0,0 placeholder). */
export function usableLocation(lat: number | null, lon: number | null): boolean {
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return false;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return false;
  return !(lat === 0 && lon === 0);
}

function inRange(v: number | null, r: NumberRange | undefined): boolean {
  if (!r) return true;
  if (v === null || !Number.isFinite(v)) return false;
  if (r.min !== undefined && v < r.min) return false;
  if (r.max !== undefined && v > r.max) return false;
  return true;
}

function inList(v: number | null, list: readonly number[] | undefined): boolean {
  if (!list) return true;
  return v !== null && list.includes(v);
}

function firmographicMatches(r: FirmographicRule, a: AssignmentAccount): boolean {
  return (
    inList(a.industryCode, r.industryCodes) &&
    inList(a.stateCode, r.stateCodes) &&
    inList(a.customerTypeCode, r.customerTypeCodes) &&
    inRange(a.employees, r.employees) &&
    inRange(a.revenue, r.revenue)
  );
}

export interface CompiledAssignmentPlan {
  readonly plan: AssignmentPlan;
  readonly kindOrder: readonly RuleKind[];
  /** Rules that could not be used (unknown territory, bad polygon, empty conditions), with the reason. */
  readonly warnings: readonly string[];
  assign(account: AssignmentAccount): AssignmentOutcome;
}

/** Normalises a kind order: known kinds, no duplicates, missing kinds appended in the default order. */
export function normaliseKindOrder(order: readonly string[] | undefined): RuleKind[] {
  const out: RuleKind[] = [];
  for (const k of order ?? []) if ((RULE_KINDS as readonly string[]).includes(k) && !out.includes(k as RuleKind)) out.push(k as RuleKind);
  for (const k of DEFAULT_KIND_ORDER) if (!out.includes(k)) out.push(k);
  return out;
}

export function compileAssignmentPlan(plan: AssignmentPlan): CompiledAssignmentPlan {
  const warnings: string[] = [];
  const kindOrder = normaliseKindOrder(plan.kindOrder);
  const indexByKey = new Map<string, number>();
  plan.territories.forEach((t, i) => {
    if (indexByKey.has(t.key)) warnings.push(`Territory key "${t.key}" is used twice; rules go to the first.`);
    else indexByKey.set(t.key, i);
  });

  const named = new Map<string, Hit>();
  const postalExact = new Map<string, Hit>();
  const postalPrefix = new Map<string, Hit>();
  const prefixLengths = new Set<number>();
  const firmographic: Array<{ rule: FirmographicRule; hit: Hit }> = [];
  const geoEntries: Array<{ shape: CompiledShape; hit: Hit }> = [];
  let seq = 0;

  const put = (m: Map<string, Hit>, key: string, hit: Hit) => {
    if (better(hit, m.get(key))) m.set(key, hit);
  };
  const addPostal = (codes: readonly string[], hit: Hit) => {
    for (const raw of codes) {
      if (typeof raw !== "string") continue;
      const c = normalisePostalCode(raw);
      if (!c) continue;
      if (c.endsWith("*")) {
        const p = c.slice(0, -1);
        if (!p) {
          warnings.push(`Rule "${hit.ruleName}": the postal pattern "*" matches everything and is ignored.`);
          continue;
        }
        prefixLengths.add(p.length);
        put(postalPrefix, p, hit);
      } else {
        put(postalExact, c, hit);
      }
    }
  };
  const addShape = (geometry: unknown, hit: Hit, what: string) => {
    try {
      const shape = compileShape(geometry, what);
      if (shape) geoEntries.push({ shape, hit });
      else if (hit.ruleId !== null) warnings.push(`${what} has no polygon; it assigns nothing.`);
    } catch (e) {
      if (!(e instanceof GeometryError)) throw e;
      warnings.push(e.message);
    }
  };

  for (const rule of plan.rules as readonly AssignmentRule[]) {
    const t = indexByKey.get(rule.territoryKey);
    const label = `Rule "${rule.name || rule.id || "(unnamed)"}"`;
    if (t === undefined) {
      warnings.push(`${label} points at territory "${rule.territoryKey}", which the plan does not have; the rule is ignored.`);
      continue;
    }
    const precedence = Number.isFinite(rule.precedence) ? rule.precedence : Number.MAX_SAFE_INTEGER;
    const hit: Hit = { territoryIndex: t, ruleId: rule.id, ruleName: rule.name, precedence, seq: seq++ };
    switch (rule.kind) {
      case "named":
        for (const id of rule.accountIds)
          if (typeof id === "string")
            put(
              named,
              id
                .trim()
                .replace(/^\{|\}$/g, "")
                .toLowerCase(),
              hit,
            );
        break;
      case "postal":
        addPostal(rule.postalCodes, hit);
        break;
      case "firmographic": {
        const r = rule;
        if (!r.industryCodes && !r.employees && !r.revenue && !r.stateCodes && !r.customerTypeCodes) {
          warnings.push(
            `${label} has no condition; a firmographic rule needs at least one (industry, employees, revenue, status, customer type).`,
          );
          break;
        }
        firmographic.push({ rule: r, hit });
        break;
      }
      case "geography":
        addShape(rule.geometry ?? plan.territories[t].geometry, hit, `${label} geometry`);
        break;
    }
  }
  // The territories' own shapes and postal lists: after every explicit rule of the same kind.
  plan.territories.forEach((t, i) => {
    if (indexByKey.get(t.key) !== i) return;
    const hit: Hit = {
      territoryIndex: i,
      ruleId: null,
      ruleName: `territory "${t.name}"`,
      precedence: Number.POSITIVE_INFINITY,
      seq: seq++,
    };
    if (t.postalCodes.length) addPostal(t.postalCodes, hit);
    if (t.geometry !== null && t.geometry !== undefined) addShape(t.geometry, hit, `Territory "${t.name}" geometry`);
  });

  firmographic.sort((a, b) => (better(a.hit, b.hit) ? -1 : 1));
  geoEntries.sort((a, b) => (better(a.hit, b.hit) ? -1 : 1));
  const grid = new ShapeGrid(geoEntries.map((e) => ({ shape: e.shape, value: e.hit })));
  const prefixLens = [...prefixLengths].sort((a, b) => b - a);
  const empty = named.size + postalExact.size + postalPrefix.size + firmographic.length + geoEntries.length === 0;

  const postalHit = (code: string | null): Hit | undefined => {
    if (!code) return undefined;
    const c = normalisePostalCode(code);
    if (!c) return undefined;
    let best = postalExact.get(c);
    const dash = c.indexOf("-");
    if (dash > 0) {
      const h = postalExact.get(c.slice(0, dash));
      if (h && better(h, best)) best = h;
    }
    for (const len of prefixLens) {
      if (len > c.length) continue;
      const h = postalPrefix.get(c.slice(0, len));
      if (h && better(h, best)) best = h;
    }
    return best;
  };

  const lookup = (kind: RuleKind, a: AssignmentAccount, located: boolean): Hit | undefined => {
    switch (kind) {
      case "named":
        return named.get(a.id.toLowerCase());
      case "postal":
        return postalHit(a.postalCode);
      case "firmographic":
        for (const f of firmographic) if (firmographicMatches(f.rule, a)) return f.hit;
        return undefined;
      case "geography":
        return located ? grid.first(a.longitude as number, a.latitude as number) : undefined;
    }
  };

  return {
    plan,
    kindOrder,
    warnings,
    assign(account: AssignmentAccount): AssignmentOutcome {
      if (empty)
        return {
          kind: "unassigned",
          reason: "plan-empty",
          explanation: `The published plan "${plan.name}" has no territory shapes, postal codes or rules.`,
        };
      const located = usableLocation(account.latitude, account.longitude);
      for (const kind of kindOrder) {
        const hit = lookup(kind, account, located);
        if (hit)
          return {
            kind: "assigned",
            territoryIndex: hit.territoryIndex,
            territory: plan.territories[hit.territoryIndex],
            matchedBy: kind,
            ruleId: hit.ruleId,
            ruleName: hit.ruleName,
          };
      }
      const postal = account.postalCode ? normalisePostalCode(account.postalCode) : "";
      if (!located && !postal) {
        return {
          kind: "unassigned",
          reason: "no-location",
          explanation: "The account has neither usable coordinates nor a postal code, and no named or firmographic rule applies.",
        };
      }
      const parts = [
        "no named or firmographic rule applies",
        postal ? `postal code ${postal} is on no list` : "the account has no postal code",
        located
          ? `the location (${account.latitude}, ${account.longitude}) is inside no territory`
          : "the account has no usable coordinates",
      ];
      return { kind: "unassigned", reason: "no-rule-matched", explanation: `${parts.join("; ")}.` };
    },
  };
}
