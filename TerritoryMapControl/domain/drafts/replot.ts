/**
 * "By Territory" replot: chosen territories from one or several saved drafts, combined into one new, editable
 * draft. The sources are never modified; the result has no id (saving it creates a new plan) and its parent is
 * the first source, so the lineage is kept.
 *
 * Objective: every account of a chosen territory keeps that territory; an account chosen twice (its territories
 * overlap across drafts) goes to the first selection and is counted; every other account of the sources is
 * present but unassigned.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import type { Draft, DraftTerritory } from "./model";

export interface ReplotSelection {
  draft: Draft;
  /** Territory keys to take; undefined = all territories of the draft. */
  keys?: readonly string[];
}

export interface ReplotResult {
  draft: Draft;
  /** Accounts claimed by more than one chosen territory (kept in the first). */
  overlaps: number;
  /** Where each combined territory came from: index in the result → { draftId, key }. */
  origins: { draftId: string | null; key: string }[];
}

/**
 * Combines chosen territories of saved drafts into a new draft.
 *
 * @example
 * const { draft, overlaps } = replotTerritories([{ draft: q3 }, { draft: q4, keys: ["t7"] }], "Q3 + Q4 north");
 */
export function replotTerritories(selections: readonly ReplotSelection[], name: string): ReplotResult {
  if (selections.length === 0) throw new Error("Choose at least one draft to replot.");
  const territories: DraftTerritory[] = [];
  const origins: ReplotResult["origins"] = [];
  const usedKeys = new Set<string>();
  const assigned = new Map<string, number>();
  const locked = new Set<string>();
  const allIds: string[] = [];
  const seen = new Set<string>();
  let overlaps = 0;

  for (const sel of selections) {
    const { draft } = sel;
    const wanted = sel.keys ? new Set(sel.keys) : null;
    const remap = new Int32Array(draft.territories.length).fill(-1);
    draft.territories.forEach((t, i) => {
      if (wanted && !wanted.has(t.key)) return;
      let key = t.key;
      for (let n = 2; usedKeys.has(key); n++) key = `${t.key}~${n}`;
      usedKeys.add(key);
      remap[i] = territories.length;
      territories.push({ ...t, key, postalCodes: [...t.postalCodes], totals: { ...t.totals } });
      origins.push({ draftId: draft.id ?? null, key: t.key });
    });
    if (wanted)
      for (const k of wanted)
        if (!draft.territories.some((t) => t.key === k)) throw new Error(`Draft "${draft.name}" has no territory "${k}".`);
    const a = draft.assignments;
    for (let i = 0; i < a.accountIds.length; i++) {
      const id = a.accountIds[i];
      if (!seen.has(id)) {
        seen.add(id);
        allIds.push(id);
      }
      const t = a.territory[i];
      const to = t >= 0 ? remap[t] : -1;
      if (to < 0) continue;
      if (assigned.has(id)) {
        overlaps++;
        continue;
      }
      assigned.set(id, to);
      if (a.locked[i]) locked.add(id);
    }
  }

  const territory = Int32Array.from(allIds, (id) => assigned.get(id) ?? -1);
  const lockedFlags = Uint8Array.from(allIds, (id) => (locked.has(id) ? 1 : 0));
  const first = selections[0].draft;
  return {
    draft: {
      name,
      version: Math.max(...selections.map((s) => s.draft.version)) + 1,
      parentId: first.id ?? first.parentId,
      status: "draft",
      notes: "",
      balancingSettings: first.balancingSettings,
      metrics: null,
      territories,
      assignments: { accountIds: allIds, territory, locked: lockedFlags },
    },
    overlaps,
    origins,
  };
}
