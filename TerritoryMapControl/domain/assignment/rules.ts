/**
 * tmap_assignmentrule rows → AssignmentRule. The definition column (tmap_definition) holds JSON per kind:
 * - Named:        {"accountIds": ["<guid>", …]}
 * - Postal:       {"postalCodes": ["98101", "981*", …]}
 * - Firmographic: {"industryCodes": [7, 12], "employees": {"min": 500}, "revenue": {"max": 1e7}, "stateCodes": [0],
 *                  "customerTypeCodes": [3]} (at least one condition; all given must hold)
 * - Geography:    {"geometry": <GeoJSON Polygon | MultiPolygon>} or {} for the territory's own polygon
 * The rule's territory is the plan territory key in tmap_territorykey (or "territoryKey" inside the definition).
 *
 * Pure TypeScript: no DOM, React, map SDK, PCF or Node imports.
 */
import type { AssignmentRule, NumberRange, RuleKind } from "./types";

/** tmap_assignmentrule.tmap_kind option values (solution/src/Entities/tmap_assignmentrule/entity.json). */
export const RuleKindValue: Record<RuleKind, number> = {
  geography: 612000000,
  postal: 612000001,
  firmographic: 612000002,
  named: 612000003,
};

export function ruleKindFromValue(v: unknown): RuleKind | null {
  const n = Number(v);
  for (const [k, value] of Object.entries(RuleKindValue)) if (value === n) return k as RuleKind;
  return null;
}

export class RuleDefinitionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "RuleDefinitionError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface RuleRow {
  id: string | null;
  name: string;
  kindValue: unknown;
  precedence: unknown;
  definition: unknown;
  territoryKey: unknown;
}

function numbers(v: unknown, what: string): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isFinite(x)))
    throw new RuleDefinitionError(`${what} must be a list of numbers.`);
  return v as number[];
}

function range(v: unknown, what: string): NumberRange | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new RuleDefinitionError(`${what} must be {"min": n, "max": n}.`);
  const o = v as Record<string, unknown>;
  const out: NumberRange = {};
  for (const k of ["min", "max"] as const) {
    if (o[k] === undefined || o[k] === null) continue;
    if (typeof o[k] !== "number" || !Number.isFinite(o[k])) throw new RuleDefinitionError(`${what}.${k} must be a number.`);
    out[k] = o[k] as number;
  }
  if (out.min === undefined && out.max === undefined) throw new RuleDefinitionError(`${what} needs "min" or "max".`);
  return out;
}

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new RuleDefinitionError(`${what} must be a list of strings.`);
  return v as string[];
}

/** Parses one stored rule; throws RuleDefinitionError with a message naming the rule. */
export function parseRuleRow(row: RuleRow): AssignmentRule {
  const label = `Assignment rule "${row.name || row.id || "(unnamed)"}"`;
  const kind = ruleKindFromValue(row.kindValue);
  if (!kind) throw new RuleDefinitionError(`${label}: unknown kind ${String(row.kindValue)}.`);
  let def: Record<string, unknown> = {};
  if (typeof row.definition === "string" && row.definition.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.definition);
    } catch (e) {
      throw new RuleDefinitionError(`${label}: the definition is not valid JSON (${(e as Error).message}).`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new RuleDefinitionError(`${label}: the definition must be a JSON object.`);
    def = parsed as Record<string, unknown>;
  } else if (row.definition !== null && row.definition !== undefined && row.definition !== "") {
    throw new RuleDefinitionError(`${label}: the definition must be JSON text.`);
  }
  const key =
    typeof row.territoryKey === "string" && row.territoryKey
      ? row.territoryKey
      : typeof def.territoryKey === "string"
        ? def.territoryKey
        : "";
  if (!key) throw new RuleDefinitionError(`${label}: no territory (tmap_territorykey).`);
  const p =
    row.precedence === null || row.precedence === undefined || row.precedence === "" ? Number.MAX_SAFE_INTEGER : Number(row.precedence);
  if (!Number.isFinite(p)) throw new RuleDefinitionError(`${label}: precedence must be a number.`);
  const base = { id: row.id, name: row.name, precedence: p, territoryKey: key };
  try {
    switch (kind) {
      case "named":
        return { ...base, kind, accountIds: strings(def.accountIds, "accountIds") };
      case "postal":
        return { ...base, kind, postalCodes: strings(def.postalCodes, "postalCodes") };
      case "geography":
        return { ...base, kind, ...(def.geometry !== undefined && def.geometry !== null ? { geometry: def.geometry } : {}) };
      case "firmographic": {
        const r = {
          ...base,
          kind,
          industryCodes: numbers(def.industryCodes, "industryCodes"),
          employees: range(def.employees, "employees"),
          revenue: range(def.revenue, "revenue"),
          stateCodes: numbers(def.stateCodes, "stateCodes"),
          customerTypeCodes: numbers(def.customerTypeCodes, "customerTypeCodes"),
        };
        for (const k of ["industryCodes", "employees", "revenue", "stateCodes", "customerTypeCodes"] as const)
          if (r[k] === undefined) delete r[k];
        return r;
      }
    }
  } catch (e) {
    if (e instanceof RuleDefinitionError) throw new RuleDefinitionError(`${label}: ${e.message}`);
    throw e;
  }
}
