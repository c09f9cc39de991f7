/**
 * Territory assignment rules — the model of a published plan as the rule engine sees it.
 *
 * A plan has territories (optionally a polygon and a postal-code list each) and explicit rules of four kinds.
 * Precedence for hybrid plans: the plan's `kindOrder` decides which kind of rule wins (default: named accounts,
 * then firmographic, then postal codes, then geography); inside one kind the lowest `precedence` wins, then the
 * lowest territory index. A territory's own polygon and postal codes act as geography / postal rules that come
 * after every explicit rule of the same kind.
 *
 * Pure TypeScript: no DOM, React, map SDK, PCF or Node imports.
 */

export type RuleKind = "named" | "firmographic" | "postal" | "geography";

export const RULE_KINDS: readonly RuleKind[] = ["named", "firmographic", "postal", "geography"];

/** Default precedence of rule kinds in a hybrid plan (first wins). */
export const DEFAULT_KIND_ORDER: readonly RuleKind[] = ["named", "firmographic", "postal", "geography"];

/** One territory of the published plan (the drafts body's DraftTerritory, reduced to what assignment needs). */
export interface PlanTerritory {
  /** Stable key inside the plan. */
  key: string;
  name: string;
  /** The Dynamics `territory` record accounts are assigned to; null = not published (rules to it cannot assign). */
  territoryId: string | null;
  /** Representative (systemuser id): the owner when owners follow territories. */
  repId: string | null;
  /** GeoJSON Polygon / MultiPolygon (or Feature) or null. */
  geometry: unknown;
  postalCodes: readonly string[];
}

export interface NumberRange {
  min?: number;
  max?: number;
}

interface RuleBase {
  /** tmap_assignmentruleid (null for rules built in code). */
  id: string | null;
  name: string;
  /** Lower wins inside its kind. */
  precedence: number;
  /** Key of the territory the rule assigns to. */
  territoryKey: string;
}

export interface NamedRule extends RuleBase {
  kind: "named";
  accountIds: readonly string[];
}

/** Postal codes: exact codes ("98101", "SW1A 1AA") or prefixes ending in "*" ("981*"). */
export interface PostalRule extends RuleBase {
  kind: "postal";
  postalCodes: readonly string[];
}

/**
 * Firmographic rule: every condition given must hold (AND); within a list any value matches (OR).
 * An account lacking a value the rule tests does not match.
 */
export interface FirmographicRule extends RuleBase {
  kind: "firmographic";
  /** account.industrycode values. */
  industryCodes?: readonly number[];
  /** account.numberofemployees range (inclusive). */
  employees?: NumberRange;
  /** account.revenue range (inclusive). */
  revenue?: NumberRange;
  /** account.statecode values (0 active, 1 inactive). */
  stateCodes?: readonly number[];
  /** account.customertypecode values. */
  customerTypeCodes?: readonly number[];
}

/** Geography rule: a polygon of its own (e.g. a carve-out), or the territory's polygon when geometry is absent. */
export interface GeographyRule extends RuleBase {
  kind: "geography";
  geometry?: unknown;
}

export type AssignmentRule = NamedRule | PostalRule | FirmographicRule | GeographyRule;

export interface AssignmentPlan {
  planId: string;
  version: number;
  /** Change marker of the stored plan (modifiedon / save token); the handler cache compares it. */
  stamp: string;
  name: string;
  territories: readonly PlanTerritory[];
  rules: readonly AssignmentRule[];
  /** Which kind of rule wins in a hybrid plan (missing kinds are appended in the default order). */
  kindOrder?: readonly RuleKind[];
  /** Set account owner to the territory's rep on assignment. */
  ownersFollowTerritories: boolean;
}

/** What the engine needs to know about an account. */
export interface AssignmentAccount {
  id: string;
  latitude: number | null;
  longitude: number | null;
  postalCode: string | null;
  industryCode: number | null;
  employees: number | null;
  revenue: number | null;
  stateCode: number | null;
  customerTypeCode: number | null;
}

export type UnassignedReason = "no-rule-matched" | "no-location" | "plan-empty";

export type AssignmentOutcome =
  | {
      kind: "assigned";
      territoryIndex: number;
      territory: PlanTerritory;
      matchedBy: RuleKind;
      /** The explicit rule that matched, or null when the territory's own polygon / postal list did. */
      ruleId: string | null;
      ruleName: string;
    }
  | { kind: "unassigned"; reason: UnassignedReason; explanation: string };
