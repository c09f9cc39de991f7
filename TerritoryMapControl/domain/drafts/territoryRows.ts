/**
 * A draft's territories as one row each (the tmap_draftterritory table): the figures a row carries (target and
 * deviation of a measure) and the reconciliation of rows someone edited or deleted by hand in Dynamics with the
 * territories stored in the draft body. Pure TypeScript.
 */
import type { DraftTerritory, JsonValue } from "./model";

/** The measure a draft's target and deviation refer to: the first balancing measure, else workload, else accounts. */
export function targetMeasureOf(territories: readonly DraftTerritory[], balancingSettings: JsonValue | null): string {
  const s = balancingSettings;
  if (s && typeof s === "object" && !Array.isArray(s) && Array.isArray(s.measures)) {
    const first = s.measures.find((m): m is string => typeof m === "string");
    if (first) return first;
  }
  const keys = new Set(territories.flatMap((t) => Object.keys(t.totals ?? {})));
  if (keys.has("tmap_workloadhours")) return "tmap_workloadhours";
  return "accounts";
}

export interface TerritoryTarget {
  measure: string;
  /** The measure's average over the territories. */
  target: number;
  /** Per territory: (total − target) / target; 0 when the target is 0. */
  deviation: number[];
}

/** Target (the average) and each territory's relative deviation for `measure`; "accounts" uses the account counts. */
export function territoryTargets(
  territories: readonly DraftTerritory[],
  accountCounts: ArrayLike<number>,
  measure: string,
): TerritoryTarget {
  const totals = territories.map((t, i) =>
    measure === "accounts" ? (t.totals?.accounts ?? accountCounts[i] ?? 0) : (t.totals?.[measure] ?? 0),
  );
  const target = totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : 0;
  return {
    measure,
    target,
    deviation: totals.map((v) => (target === 0 ? 0 : (v - target) / target)),
  };
}

/** What a stored territory row says (the columns a person can edit in Dynamics). */
export interface TerritoryRowView {
  key: string;
  name: string;
  color: string;
  repId: string | null;
}

export type TerritoryRowDifference =
  | { kind: "renamed"; key: string; territory: string; from: string; to: string }
  | { kind: "recolored"; key: string; territory: string; from: string; to: string }
  | { kind: "rep-changed"; key: string; territory: string; from: string | null; to: string }
  | { kind: "deleted"; key: string; territory: string };

/**
 * Reconciles the draft body's territories with their rows: a name, colour or representative edited on the row
 * is taken over (the body is what the control saved; the row is what someone changed in Dynamics since); a row
 * deleted by hand leaves the territory as the body has it (nothing is lost; the next save writes the row again).
 * A cleared representative on a row is not taken over (the row's lookup is also empty when the user no longer
 * exists). Returns the reconciled territories and every difference.
 */
export function reconcileTerritoryRows(
  territories: readonly DraftTerritory[],
  rows: readonly TerritoryRowView[],
): { territories: DraftTerritory[]; differences: TerritoryRowDifference[] } {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const differences: TerritoryRowDifference[] = [];
  const out = territories.map((t) => {
    const row = byKey.get(t.key);
    if (!row) {
      differences.push({ kind: "deleted", key: t.key, territory: t.name });
      return t;
    }
    const next: DraftTerritory = { ...t };
    const name = row.name.trim();
    if (name && name !== t.name) {
      differences.push({ kind: "renamed", key: t.key, territory: t.name, from: t.name, to: name });
      next.name = name;
    }
    if (/^#[0-9a-f]{6}$/i.test(row.color) && row.color.toLowerCase() !== t.color.toLowerCase()) {
      differences.push({ kind: "recolored", key: t.key, territory: next.name, from: t.color, to: row.color.toLowerCase() });
      next.color = row.color.toLowerCase();
    }
    if (row.repId && row.repId !== t.repId) {
      differences.push({ kind: "rep-changed", key: t.key, territory: next.name, from: t.repId, to: row.repId });
      next.repId = row.repId;
    }
    return next;
  });
  return { territories: out, differences };
}
