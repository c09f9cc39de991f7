/**
 * What the map tools and the balancing proposals do to the working plan: a drawn shape creates a territory or
 * adds / removes accounts, an edited shape moves the accounts it gained or lost, a selection moves or locks, an
 * auto-balance or a runtime change is applied, a postal-code list is assigned. Each returns the new plan, the
 * account positions that changed (so the map redraws only those; null = all) and what to tell the manager.
 * Locked accounts stay where they are, always.
 */
import { PALETTE } from "../../domain/palette";
import {
  addTerritory,
  deleteTerritory,
  movePositions,
  newTerritoryKey,
  treeOf,
  withAssignment,
  withTerritories,
  type WorkingPlan,
} from "../../domain/workspace";
import type { AccountTable } from "../../domain/accountTable";
import type { AutoBalanceApplyResult } from "../../domain/design/balanceInput";
import type { PostalCodeIndex, PostalCodeImportResult } from "../../domain/design/postalCodes";
import type { RuntimeChangeResult } from "../../domain/design/runtimeInput";
import {
  planMove,
  planShapeAction,
  planShapeEdit,
  territoryGeometry,
  territoryKeyOfShape,
  territoryShapeOf,
  type DrawnShape,
} from "../../domain/design/shapes";
import type { SpatialIndex } from "../../domain/design/spatial";
import { formatTemplate } from "../../domain/text";
import type { Translate } from "../ports";

/** What the design tools tell the manager after a change. */
export interface DesignNotice {
  intent: "success" | "info" | "warning" | "error";
  text: string;
  /** Figures the message is about (rendered as data-* attributes). */
  data?: Record<string, string | number>;
}

/** A change to the plan: the new plan, the positions that changed (null = redraw all) and the message. */
export interface DesignEdit {
  plan: WorkingPlan;
  changed: Int32Array | null;
  notice: DesignNotice;
  /** Territory to select afterwards (undefined = keep the selection, null = clear it). */
  select?: string | null;
  /** The drawn shape did its work and leaves the map. */
  removeShape?: string;
  /** A territory was just drawn: its key and the region most of its accounts came from (null = top level). */
  created?: { key: string; suggestedParent: string | null };
}

/** What a drawn shape does: create a territory, or add to / remove from the selected territory. */
export type ShapeMode = "create" | "add" | "remove";

/** The accounts and their spatial indexes, built once per load. */
export interface DesignData {
  table: AccountTable;
  index: SpatialIndex;
  postal: PostalCodeIndex;
}

/** Colour of the next territory added to `plan`. */
export function nextColor(plan: WorkingPlan): string {
  return PALETTE[plan.territories.length % PALETTE.length];
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Moves positions to a territory (null = unassigned), leaving locked accounts where they are. */
export function moveRespectingLocks(
  data: DesignData,
  plan: WorkingPlan,
  positions: ArrayLike<number>,
  key: string | null,
): { plan: WorkingPlan; changed: Int32Array; skipped: number } {
  const to = key === null ? -1 : plan.territories.findIndex((t) => t.key === key);
  const mp = planMove(data.table, plan.assignment, plan.accountLocks, positions, to);
  const r = movePositions(plan, mp.indexes, key);
  return { plan: r.plan, changed: r.changed, skipped: mp.skippedLocked };
}

/**
 * Editing a drawn territory shape does what drawing it did, for the area that changed: accounts now inside join
 * the territory, its accounts no longer inside become unassigned (locked ones stay); the outline follows the shape.
 */
export function editShape(data: DesignData, plan: WorkingPlan, shape: DrawnShape, t: Translate): DesignEdit | null {
  const key = territoryKeyOfShape(shape.id);
  const i = plan.territories.findIndex((x) => x.key === key);
  if (i < 0) return null;
  const before = territoryShapeOf(key, plan.territories[i].geometry);
  const { join, leave } = planShapeEdit(data.table, data.index, plan.assignment, plan.accountLocks, before, shape, i);
  const r1 = movePositions(plan, join.indexes, key);
  const r2 = movePositions(r1.plan, leave.indexes, null);
  const next = withTerritories(
    r2.plan,
    r2.plan.territories.map((x, j) => (j === i ? { ...x, geometry: territoryGeometry(shape) } : x)),
  );
  const locked = join.skippedLocked + leave.skippedLocked;
  return {
    plan: next,
    changed: concat(r1.changed, r2.changed),
    notice: {
      intent: "success",
      text: formatTemplate(t("Design_ShapeEdited"), plan.territories[i].name, r1.changed.length, r2.changed.length, locked),
      data: { joined: r1.changed.length, left: r2.changed.length, locked, territory: key },
    },
  };
}

/** The region (or district) that held most of these accounts before, or null (top level / unassigned). */
export function commonParent(plan: WorkingPlan, positions: ArrayLike<number>): string | null {
  const tree = treeOf(plan);
  const votes = new Map<string, number>();
  for (let k = 0; k < positions.length; k++) {
    const t = plan.assignment[positions[k]];
    if (t < 0) continue;
    const parent = tree.leaf[t] ? tree.parent[t] : t;
    if (parent < 0) continue;
    const key = plan.territories[parent].key;
    votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  let best: string | null = null;
  let most = 0;
  for (const [key, n] of votes) if (n > most) [best, most] = [key, n];
  return best;
}

/** A shape just drawn with a drawing tool (polygon, rectangle, circle), in the chosen mode. */
export function applyShape(
  data: DesignData,
  plan: WorkingPlan,
  shape: DrawnShape,
  mode: ShapeMode,
  selectedKey: string | null,
  t: Translate,
): DesignEdit | { warning: DesignNotice; removeShape: string } {
  const drawnKey = territoryKeyOfShape(shape.id);
  if (mode === "create") {
    const name = formatTemplate(t("Design_NewTerritoryName"), plan.territories.length + 1);
    const withT = addTerritory(plan, {
      key: drawnKey,
      name,
      color: nextColor(plan),
      repId: null,
      territoryId: null,
      geometry: territoryGeometry(shape),
    });
    const ti = withT.territories.length - 1;
    const mp = planShapeAction(data.table, data.index, withT.assignment, withT.accountLocks, shape, { kind: "create", territory: ti });
    const r = movePositions(withT, mp.indexes, drawnKey);
    return {
      plan: r.plan,
      changed: r.changed,
      select: drawnKey,
      created: { key: drawnKey, suggestedParent: commonParent(plan, r.changed) },
      notice: {
        intent: "success",
        text: formatTemplate(t("Design_ShapeCreated"), name, r.changed.length, mp.skippedLocked),
        data: { moved: r.changed.length, locked: mp.skippedLocked, territory: drawnKey },
      },
    };
  }
  const ti = selectedKey === null ? -1 : plan.territories.findIndex((x) => x.key === selectedKey);
  if (ti < 0 || selectedKey === null) {
    return { warning: { intent: "warning", text: t("Design_NeedsTerritory") }, removeShape: shape.id };
  }
  const mp = planShapeAction(data.table, data.index, plan.assignment, plan.accountLocks, shape, { kind: mode, territory: ti });
  const r = movePositions(plan, mp.indexes, mode === "add" ? selectedKey : null);
  const key = mode === "add" ? "Design_ShapeAdded" : "Design_ShapeRemoved";
  return {
    plan: r.plan,
    changed: r.changed,
    // The shape did its work; it does not become the territory's outline.
    removeShape: shape.id,
    notice: {
      intent: "success",
      text: formatTemplate(t(key), r.changed.length, plan.territories[ti].name, mp.skippedLocked),
      data: { moved: r.changed.length, locked: mp.skippedLocked },
    },
  };
}

/** Erasing a territory's outline keeps the territory and its accounts; its outline becomes the hull again. */
export function eraseShape(plan: WorkingPlan, shapeId: string): WorkingPlan | null {
  const i = plan.territories.findIndex((x) => x.key === territoryKeyOfShape(shapeId));
  if (i < 0) return null;
  return withTerritories(
    plan,
    plan.territories.map((x, j) => (j === i ? { ...x, geometry: null } : x)),
  );
}

/** Adds territories until index `count - 1` exists (auto-balance into more territories than the plan has). */
export function ensureTerritories(
  plan: WorkingPlan,
  count: number,
  repOf: (index: number) => string | null,
  repName: (repId: string) => string,
  t: Translate,
  parentKey: string | null = null,
): WorkingPlan {
  let next = plan;
  while (next.territories.length < count) {
    const i = next.territories.length;
    const repId = repOf(i);
    const name = repId ? formatTemplate(t("Balance_NewTerritoryFor"), repName(repId)) : formatTemplate(t("Design_NewTerritoryName"), i + 1);
    next = addTerritory(next, { key: newTerritoryKey("balance"), name, color: nextColor(next), repId, territoryId: null, parentKey });
  }
  return next;
}

/** Applies an auto-balance result (new territories for chosen reps that had none). */
export function applyAutoBalance(
  plan: WorkingPlan,
  result: AutoBalanceApplyResult,
  repName: (repId: string) => string,
  t: Translate,
  parentKey: string | null = null,
): DesignEdit {
  let max = -1;
  for (let i = 0; i < result.assignment.length; i++) if (result.assignment[i] > max) max = result.assignment[i];
  const reps = new Map(result.newTerritories.map((n) => [n.planTerritory, n.repId]));
  const grown = ensureTerritories(plan, max + 1, (i) => reps.get(i) ?? null, repName, t, parentKey);
  const r = withAssignment(grown, result.assignment);
  const next = r.plan === plan ? grown : r.plan;
  return {
    plan: next,
    changed: r.changed.length > 0 || next !== plan ? null : new Int32Array(0),
    notice: {
      intent: "success",
      text: formatTemplate(t("Design_BalanceApplied"), r.changed.length),
      data: { moved: r.changed.length },
    },
  };
}

/** Accepts a runtime-change proposal: the moves, a new territory for a new rep, the departed rep's territory removed. */
export function acceptRuntimeChange(
  plan: WorkingPlan,
  result: RuntimeChangeResult,
  repName: (repId: string) => string,
  t: Translate,
  parentKey: string | null = null,
): DesignEdit {
  let p = plan;
  if (result.newTerritory) {
    const repId = result.newTerritory.repId;
    p = ensureTerritories(p, result.newTerritory.planTerritory + 1, () => repId, repName, t, parentKey);
  }
  const r = withAssignment(p, result.assignment);
  let next = r.changed.length > 0 ? r.plan : p;
  let unassigned = 0;
  let select: string | null | undefined;
  if (result.removedTerritory !== undefined && result.removedTerritory >= 0 && result.removedTerritory < next.territories.length) {
    const d = deleteTerritory(next, next.territories[result.removedTerritory].key);
    next = d.plan;
    unassigned = d.unassigned;
    select = null;
  }
  return {
    plan: next,
    changed: null,
    select,
    notice: {
      intent: "success",
      text: formatTemplate(t("Design_ProposalAccepted"), result.moves.indexes.length, unassigned),
      data: { moved: result.moves.indexes.length, unassigned },
    },
  };
}

/** Assigns the accounts of each postal-code group to its territory (created when new); locked accounts stay. */
export function applyPostalCodes(data: DesignData, plan: WorkingPlan, result: PostalCodeImportResult, t: Translate): DesignEdit {
  let p = plan;
  let moved = 0;
  let skipped = 0;
  const changed: number[] = [];
  let select: string | undefined;
  for (const g of result.groups) {
    let key = g.territoryId;
    if (key === null) {
      const name = (g.newTerritoryName ?? "").trim() || formatTemplate(t("Design_NewTerritoryName"), p.territories.length + 1);
      key = newTerritoryKey("postal");
      p = addTerritory(p, { key, name, color: nextColor(p), repId: null, territoryId: null });
    }
    const k = key;
    const r = moveRespectingLocks(data, p, data.postal.accountsForAll(g.codes), k);
    p = r.plan;
    moved += r.changed.length;
    skipped += r.skipped;
    for (let j = 0; j < r.changed.length; j++) changed.push(r.changed[j]);
    const codes = new Set([...(p.territories.find((x) => x.key === k)?.postalCodes ?? []), ...g.codes]);
    p = withTerritories(
      p,
      p.territories.map((x) => (x.key === k ? { ...x, postalCodes: [...codes] } : x)),
    );
    select = k;
  }
  return {
    plan: p,
    changed: Int32Array.from(changed),
    select,
    notice: {
      intent: result.skippedLines > 0 ? "warning" : "success",
      text: formatTemplate(
        t("Design_PostalApplied"),
        moved,
        result.groups.reduce((s, g) => s + g.codes.length, 0),
        result.skippedLines,
        skipped,
      ),
      data: { moved, lines: result.skippedLines },
    },
  };
}
