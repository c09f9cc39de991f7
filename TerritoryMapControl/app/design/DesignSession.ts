/**
 * Designing territories on the map: the drawing tools (polygon, rectangle, circle, lasso, box, edit, erase), what
 * a drawn shape does, the selection (list with totals, move, lock), the heat map, clusters, territory outlines and
 * hatched overlaps, and applying auto-balance, runtime-change and postal-code results. Every change goes through
 * the working plan (`PlanSession.commit`), so saving, compare and export see it.
 *
 * The map parts (drawing tools, layers) are created once both a plan and a map exist, and again for a new map.
 */
import type { Rep } from "../../domain/accounts";
import { overlaps, type OverlapReport, type TerritoryPolygon } from "../../domain/design/polygons";
import { isDrawnArea, territoryOutlines } from "../../domain/design/outlines";
import { heatWeights } from "../../domain/design/density";
import { PostalCodeIndex } from "../../domain/design/postalCodes";
import { countUnassigned, selectByShape, territoryOutlineOf, territoryShapes, type DrawnShape } from "../../domain/design/shapes";
import { SpatialIndex } from "../../domain/design/spatial";
import { totalsOf, type Totals } from "../../domain/accountTable";
import type { AutoBalanceApplyResult, BalanceRep, BalanceSetup } from "../../domain/design/balanceInput";
import type { RuntimeChange } from "../../domain/design/runtimeForm";
import type { PostalCodeImportResult } from "../../domain/design/postalCodes";
import type { RuntimeChangeResult } from "../../domain/design/runtimeInput";
import { normaliseId, setPositionsLocked, treeOf, type WorkingPlan } from "../../domain/workspace";
import { leafScope, liftAssignment, planTerritoryOf, type LeafScope } from "../../domain/design/scope";
import { formatTemplate } from "../../domain/text";
import type { PlanLoader } from "../loading/PlanLoader";
import type { PlanSession } from "../plan/PlanSession";
import type { BalancerClient } from "../ports";
import type { DesignMapParts, DrawTool, MapPort, PickedPoint, ShapePhase, TerritoryShapeFeature } from "../ports/map";
import { mark } from "../marks";
import { Store } from "../store";
import {
  acceptRuntimeChange,
  applyAutoBalance,
  applyPostalCodes,
  applyShape,
  editShape,
  eraseShape,
  moveRespectingLocks,
  type DesignData,
  type DesignEdit,
  type DesignNotice,
  type ShapeMode,
} from "./designEdits";
import {
  proposeRuntimeChange,
  runAutoBalance,
  type AutoBalanceRun,
  type BalanceScene,
  type RunOptions,
  type RuntimeProposal,
} from "./balanceRuns";

/** Performance marks of the lasso path (the design benchmark reads them). */
export const DESIGN_MARKS = {
  shape: "tmap:design-shape",
  selected: "tmap:design-selected",
  moveStart: "tmap:design-move-start",
  moved: "tmap:design-moved",
} as const;

/** Accounts listed in the selection panel at most (the totals always cover the whole selection). */
export const SELECTION_LIST_LIMIT = 200;

export interface DesignState {
  tool: DrawTool;
  shapeMode: ShapeMode;
  heatOn: boolean;
  /** "count" or "m<measure index>". */
  heatWeight: string;
  clustersOn: boolean;
  outlinesOn: boolean;
  legendOn: boolean;
  /** Selected account positions (lasso, box, a territory's accounts), or null. */
  selection: Int32Array | null;
  notice: DesignNotice | null;
  overlapReport: OverlapReport | null;
  /** The drawing tools and design layers exist on the map. */
  mapParts: DesignMapParts | null;
  /** Key of the region (or district) auto-balance and runtime changes work in; null = the whole plan. */
  balanceScope: string | null;
  /** A territory just drawn, waiting for its name, region and rep (the suggested region: where its accounts were). */
  newTerritory: { key: string; suggestedParent: string | null } | null;
}

/** The selection as the panel shows it. */
export interface SelectionSummary {
  totals: Totals;
  locked: number;
  rows: { id: string; name: string; territory: string; locked: boolean }[];
}

/**
 * What the auto-balance and runtime-change dialogs work on: the leaf territories of the scope (regions and
 * districts are never targets) by their index in the run, and every rep with the run's territory they own.
 */
export interface BalanceContext {
  table: DesignData["table"];
  territories: { id: string; name: string; repId: string | null }[];
  reps: BalanceRep[];
  /** The territory the run is limited to (a region), or null for the whole plan. */
  scope: { key: string; name: string } | null;
  /** Regions and districts a run can be limited to, parents first, with their depth. */
  scopes: { key: string; name: string; depth: number }[];
  /** Accounts regions or districts of the scope hold themselves (the run assigns them to a territory). */
  heldByParents: number;
}

export class DesignSession extends Store<DesignState> {
  private data: DesignData | null = null;
  private dataFor: WorkingPlan["table"] | null = null;
  private partsFor: MapPort | null = null;
  private partsRequest = 0;
  private heatShown = false;
  private clustersShown = false;
  private highlighted = false;
  private highlightTimer: ReturnType<typeof setTimeout> | null = null;
  private outlineTimer: ReturnType<typeof setTimeout> | null = null;
  private outlineKey = "";
  private shapeProblems = "";
  private syncedTerritories: WorkingPlan["territories"] | null = null;
  private balancerClient: BalancerClient | null = null;
  /** Derived figures the views read on every render, kept until what they derive from changes. */
  private summaryFor: { selection: Int32Array; plan: WorkingPlan; value: SelectionSummary } | null = null;
  private unassignedFor: { assignment: Int32Array; value: { total: number; placed: number; unplaced: number } } | null = null;
  private balanceContextFor: {
    plan: WorkingPlan;
    reps: readonly Rep[];
    scopeKey: string | null;
    value: BalanceContext;
    scope: LeafScope;
  } | null = null;
  private runScope: { scope: LeafScope; territories: WorkingPlan["territories"] } | null = null;
  /** Marks written once the view has shown the result (the design benchmark reads them). */
  private pendingMarks: { selected?: boolean; moved?: number } = {};
  private readonly unsubscribe: (() => void)[] = [];

  public constructor(
    private readonly session: PlanSession,
    private readonly loader: PlanLoader,
    private readonly createBalancer: () => BalancerClient,
  ) {
    super({
      tool: "idle",
      shapeMode: "create",
      heatOn: false,
      heatWeight: "count",
      clustersOn: false,
      outlinesOn: false,
      legendOn: false,
      selection: null,
      notice: null,
      overlapReport: null,
      mapParts: null,
      balanceScope: null,
      newTerritory: null,
    });
    this.unsubscribe.push(session.subscribe(() => this.onPlanOrMap()));
    this.unsubscribe.push(loader.subscribe(() => this.onPlanOrMap()));
    this.onPlanOrMap();
  }

  public dispose(): void {
    for (const u of this.unsubscribe) u();
    this.get().mapParts?.dispose();
    this.balancerClient?.dispose();
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    if (this.outlineTimer) clearTimeout(this.outlineTimer);
  }

  private get t() {
    return this.session.t;
  }

  /** The balancing engine (a Web Worker in the product), started when a dialog first needs it. */
  private balancer(): BalancerClient {
    return (this.balancerClient ??= this.createBalancer());
  }

  /** The accounts as the design tools see them (with postal codes), or null before the plan exists. */
  public designData(): DesignData | null {
    const plan = this.session.plan;
    if (!plan) return null;
    if (this.dataFor !== plan.table || !this.data) {
      const table = plan.table;
      this.data = { table, index: SpatialIndex.of(table), postal: new PostalCodeIndex(table) };
      this.dataFor = plan.table;
    }
    return this.data;
  }

  // ---------------------------------------------------------------- tools and layers

  public chooseTool(tool: DrawTool): void {
    this.set({ tool });
    this.get().mapParts?.drawing.setTool(tool);
    this.updatePinClicks();
  }

  public setShapeMode(shapeMode: ShapeMode): void {
    this.set({ shapeMode });
  }

  public setHeatMap(heatOn: boolean): void {
    this.set({ heatOn });
    this.updateHeat();
  }

  public setHeatWeight(heatWeight: string): void {
    this.set({ heatWeight });
    this.updateHeat();
  }

  public setClusters(clustersOn: boolean): void {
    this.set({ clustersOn });
    this.updateClusters();
  }

  public setOutlines(outlinesOn: boolean): void {
    this.set({ outlinesOn });
    this.scheduleOutlines(true);
  }

  public setLegend(legendOn: boolean): void {
    this.set({ legendOn });
  }

  public dismissNotice(): void {
    this.set({ notice: null });
  }

  /** Gives the territory just drawn its name, region and rep. */
  public describeNewTerritory(change: { name: string; parentKey: string | null; repId: string | null }): void {
    const pending = this.get().newTerritory;
    if (!pending) return;
    this.set({ newTerritory: null });
    this.session.describe(pending.key, change);
  }

  /** Keeps the territory just drawn as it is (its default name, top level, no rep). */
  public dismissNewTerritory(): void {
    this.set({ newTerritory: null });
  }

  /** A position clicked on the map (the dialogs' "Pick on map"); the drawing tool is put down first. */
  public pickPoint(options: { signal: AbortSignal; prompt: string }): Promise<PickedPoint> {
    const map = this.loader.get().map;
    if (!map) return Promise.resolve(null);
    if (this.get().tool !== "idle") this.chooseTool("idle");
    return map.pickPoint(options);
  }

  // ---------------------------------------------------------------- selection

  public clearSelection(): void {
    this.setSelection(null);
  }

  /** Selects every account of the territory selected in the card. */
  public selectTerritoryAccounts(): void {
    const p = this.session.plan;
    const key = this.session.get().selectedKey;
    const ti = !p || key === null ? -1 : p.territories.findIndex((x) => x.key === key);
    if (!p || ti < 0) {
      this.set({ notice: { intent: "warning", text: this.t("Design_NeedsTerritory") } });
      return;
    }
    const out: number[] = [];
    for (let i = 0; i < p.assignment.length; i++) if (p.assignment[i] === ti) out.push(i);
    this.setSelection(Int32Array.from(out));
  }

  /** Moves the selection to a territory (null = unassigned); locked accounts stay. */
  public moveSelection(key: string | null): void {
    const selection = this.get().selection;
    const p = this.session.plan;
    const data = this.designData();
    if (!selection || !p || !data) return;
    mark(DESIGN_MARKS.moveStart);
    const r = moveRespectingLocks(data, p, selection, key);
    this.pendingMarks.moved = r.plan.revision;
    void this.session.commit(r.plan, r.changed);
    this.set({
      notice: {
        intent: "success",
        text: formatTemplate(this.t("Design_SelectionMoved"), r.changed.length, this.session.territoryName(key), r.skipped),
        data: { moved: r.changed.length, locked: r.skipped },
      },
    });
  }

  /** Locks (or unlocks) the selected accounts to their territory. */
  public lockSelection(locked: boolean): void {
    const selection = this.get().selection;
    const p = this.session.plan;
    if (!selection || !p) return;
    void this.session.commit(setPositionsLocked(p, selection, locked), new Int32Array(0));
    this.set({
      notice: {
        intent: "info",
        text: formatTemplate(this.t(locked ? "Design_Locked" : "Design_Unlocked"), selection.length),
        data: { count: selection.length },
      },
    });
  }

  /** The selection with its totals and the first SELECTION_LIST_LIMIT accounts. */
  public selectionSummary(): SelectionSummary | null {
    const selection = this.get().selection;
    const plan = this.session.plan;
    const data = this.designData();
    if (!selection || !plan || !data) return null;
    const cached = this.summaryFor;
    if (cached && cached.selection === selection && cached.plan === plan) return cached.value;
    const totals = totalsOf(data.table, selection);
    let locked = 0;
    for (let k = 0; k < selection.length; k++) if (plan.accountLocks[selection[k]]) locked++;
    const rows: SelectionSummary["rows"] = [];
    const limit = Math.min(selection.length, SELECTION_LIST_LIMIT);
    for (let k = 0; k < limit; k++) {
      const i = selection[k];
      const t = plan.assignment[i];
      rows.push({
        id: data.table.ids[i],
        name: data.table.names[i],
        territory: t >= 0 ? plan.territories[t].name : this.t("Territories_Unassigned"),
        locked: plan.accountLocks[i] === 1,
      });
    }
    const value = { totals, locked, rows };
    this.summaryFor = { selection, plan, value };
    return value;
  }

  /** Accounts without a territory (placed on the map or not). */
  public unassigned(): { total: number; placed: number; unplaced: number } {
    const plan = this.session.plan;
    const data = this.designData();
    if (!plan || !data) return { total: 0, placed: 0, unplaced: 0 };
    if (this.unassignedFor?.assignment !== plan.assignment) {
      this.unassignedFor = { assignment: plan.assignment, value: countUnassigned(data.table, plan.assignment) };
    }
    return this.unassignedFor.value;
  }

  /** Writes the marks whose result the view has now shown (called after each render). */
  public flushMarks(): void {
    if (this.pendingMarks.selected && this.get().selection) {
      this.pendingMarks.selected = false;
      mark(DESIGN_MARKS.selected);
    }
    const m = this.pendingMarks.moved;
    const plan = this.session.plan;
    if (m !== undefined && plan && plan.revision >= m) {
      this.pendingMarks.moved = undefined;
      mark(DESIGN_MARKS.moved);
    }
  }

  // ---------------------------------------------------------------- dialogs

  /** Territories, reps and accounts for the auto-balance and runtime-change dialogs. */
  public balanceContext(): BalanceContext | null {
    const plan = this.session.plan;
    const data = this.designData();
    if (!plan || !data) return null;
    const reps = this.session.reps;
    const scopeKey = this.get().balanceScope;
    const cached = this.balanceContextFor;
    if (
      cached &&
      cached.plan.territories === plan.territories &&
      cached.plan.table === plan.table &&
      cached.plan.assignment === plan.assignment &&
      cached.reps === reps &&
      cached.scopeKey === scopeKey
    ) {
      return cached.value;
    }
    const tree = treeOf(plan);
    const root = scopeKey === null ? -1 : plan.territories.findIndex((t) => t.key === scopeKey);
    const scope = leafScope(tree, plan.assignment, root < 0 || tree.leaf[root] ? -1 : root);
    const value: BalanceContext = {
      table: data.table,
      territories: scope.leaves.map((i) => {
        const t = plan.territories[i];
        return { id: t.key, name: t.name, repId: t.repId };
      }),
      reps: reps.map((r) => {
        const id = normaliseId(r.id);
        const ti = scope.leaves.findIndex((i) => plan.territories[i].repId === id);
        return {
          id,
          name: r.fullName,
          home: r.homeBase ? [r.homeBase.longitude, r.homeBase.latitude] : null,
          territoryIndex: ti >= 0 ? ti : null,
        };
      }),
      scope: scope.root >= 0 ? { key: plan.territories[scope.root].key, name: plan.territories[scope.root].name } : null,
      scopes: tree.order
        .filter((i) => !tree.leaf[i])
        .map((i) => ({ key: plan.territories[i].key, name: plan.territories[i].name, depth: tree.depth[i] })),
      heldByParents: scope.heldByParents,
    };
    this.balanceContextFor = { plan, reps, scopeKey, value, scope };
    return value;
  }

  /** Limits auto-balance and runtime changes to a region or district (null = the whole plan). */
  public setBalanceScope(key: string | null): void {
    this.set({ balanceScope: key });
  }

  /** Runs auto-balance on the working plan; nothing changes until applyBalance. */
  public readonly autoBalance = (setup: BalanceSetup, options: RunOptions = {}): Promise<AutoBalanceRun> => {
    const scene = this.scene();
    if (!scene) return Promise.reject(new Error(this.t("Plan_NotReady")));
    return runAutoBalance(this.balancer(), scene, setup, options);
  };

  /** Proposes a runtime change on the working plan; nothing changes until acceptRuntimeChange. */
  public readonly proposeRuntimeChange = (change: RuntimeChange, tolerance: number, options: RunOptions = {}): Promise<RuntimeProposal> => {
    const scene = this.scene();
    if (!scene) return Promise.reject(new Error(this.t("Plan_NotReady")));
    return proposeRuntimeChange(this.balancer(), scene, change, tolerance, this.t, options);
  };

  private scene(): BalanceScene | null {
    const plan = this.session.plan;
    const context = this.balanceContext();
    const scope = this.balanceContextFor?.scope;
    if (!plan || !context || !scope) return null;
    this.runScope = { scope, territories: plan.territories };
    return {
      table: context.table,
      territories: context.territories,
      reps: context.reps,
      assignment: scope.assignment,
      locked: plan.accountLocks,
      include: scope.include,
    };
  }

  /**
   * The scope of the last run, to take its result back to plan territories (the whole plan when no run was made);
   * null when the territories changed since.
   */
  private scopeOfRun(plan: WorkingPlan): LeafScope | null {
    const run = this.runScope;
    if (!run) return leafScope(treeOf(plan), plan.assignment, -1);
    if (run.territories !== plan.territories) {
      this.set({ notice: { intent: "warning", text: this.t("Balance_PlanChanged") } });
      return null;
    }
    return run.scope;
  }

  private parentOfNew(plan: WorkingPlan, scope: LeafScope): string | null {
    return scope.root >= 0 ? plan.territories[scope.root].key : null;
  }

  public applyBalance(result: AutoBalanceApplyResult): void {
    const plan = this.session.plan;
    const scope = plan ? this.scopeOfRun(plan) : null;
    if (!plan || !scope) return;
    const lifted: AutoBalanceApplyResult = {
      ...result,
      assignment: liftAssignment(scope, result.assignment, plan.assignment),
      newTerritories: result.newTerritories.map((n) => ({ ...n, planTerritory: planTerritoryOf(scope, n.planTerritory) })),
    };
    this.apply(applyAutoBalance(plan, lifted, this.session.repName, this.t, this.parentOfNew(plan, scope)));
  }

  public acceptRuntimeChange(result: RuntimeChangeResult): void {
    const plan = this.session.plan;
    const scope = plan ? this.scopeOfRun(plan) : null;
    if (!plan || !scope) return;
    const lifted: RuntimeChangeResult = {
      ...result,
      assignment: liftAssignment(scope, result.assignment, plan.assignment),
      moves: {
        indexes: result.moves.indexes,
        from: result.moves.indexes.map((i) => plan.assignment[i]),
        to: result.moves.to.map((t) => planTerritoryOf(scope, t)),
      },
      removedTerritory: result.removedTerritory === undefined ? undefined : planTerritoryOf(scope, result.removedTerritory),
      newTerritory: result.newTerritory && {
        ...result.newTerritory,
        planTerritory: planTerritoryOf(scope, result.newTerritory.planTerritory),
      },
    };
    this.apply(acceptRuntimeChange(plan, lifted, this.session.repName, this.t, this.parentOfNew(plan, scope)));
  }

  public applyPostalCodes(result: PostalCodeImportResult): void {
    const plan = this.session.plan;
    const data = this.designData();
    if (plan && data) this.apply(applyPostalCodes(data, plan, result, this.t));
  }

  /** Accounts with a postal code and their totals (the postal-code preview). */
  public readonly postalCodeTotals = (code: string): Totals => {
    const data = this.designData();
    return data ? totalsOf(data.table, data.postal.accountsFor(code)) : { count: 0, values: [] };
  };

  // ---------------------------------------------------------------- shapes from the map

  private onShape(shape: DrawnShape, phase: ShapePhase): void {
    const p = this.session.plan;
    const data = this.designData();
    if (!p || !data) return;
    if (shape.kind === "lasso" || shape.kind === "box") {
      mark(DESIGN_MARKS.shape);
      this.pendingMarks.selected = true;
      this.setSelection(selectByShape(data.index, shape));
      return;
    }
    if (phase === "changed") {
      const edit = editShape(data, p, shape, this.t);
      if (edit) this.apply(edit);
      return;
    }
    try {
      const r = applyShape(data, p, shape, this.get().shapeMode, this.session.get().selectedKey, this.t);
      if ("warning" in r) {
        this.get().mapParts?.drawing.remove(r.removeShape);
        this.set({ notice: r.warning });
        return;
      }
      this.apply(r);
    } catch (e) {
      this.set({ notice: { intent: "error", text: e instanceof Error ? e.message : String(e) } });
    }
  }

  private onErase(id: string): void {
    const p = this.session.plan;
    const next = p ? eraseShape(p, id) : null;
    if (next) void this.session.commit(next, new Int32Array(0));
  }

  private apply(edit: DesignEdit): void {
    void this.session.commit(edit.plan, edit.changed);
    if (edit.select !== undefined) this.session.select(edit.select);
    if (edit.removeShape) this.get().mapParts?.drawing.remove(edit.removeShape);
    this.set({ notice: edit.notice, ...(edit.created ? { newTerritory: edit.created } : {}) });
  }

  // ---------------------------------------------------------------- keeping the map in step

  private setSelection(selection: Int32Array | null): void {
    this.set({ selection });
    const map = this.loader.get().map;
    const table = this.data?.table;
    if (!map || (!selection && !this.highlighted) || !table) return;
    this.highlighted = !!selection;
    // Outlining thousands of accounts costs a source rewrite: after the list and totals are on screen.
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => map.setHighlight(selection ? Array.from(selection, (i) => table.ids[i]) : null), 0);
  }

  private onPlanOrMap(): void {
    const plan = this.session.plan;
    const map = this.loader.get().map;
    if (plan && this.dataFor !== null && this.dataFor !== plan.table && this.get().selection) this.setSelection(null);
    if (plan && map && map !== this.partsFor) this.createParts(map);
    if (!map && this.partsFor) {
      this.partsFor = null;
      this.get().mapParts?.dispose();
      this.set({ mapParts: null });
    }
    if (plan && this.get().mapParts && plan.territories !== this.syncedTerritories) this.syncShapes(plan);
    this.scheduleOutlines(false);
  }

  private createParts(map: MapPort): void {
    this.partsFor = map;
    this.get().mapParts?.dispose();
    this.set({ mapParts: null });
    this.heatShown = false;
    this.clustersShown = false;
    this.syncedTerritories = null;
    const request = ++this.partsRequest;
    void map
      .createDesignParts({
        onShape: (shape, phase) => this.onShape(shape, phase),
        onErase: (id) => this.onErase(id),
        onToolChange: (tool) => {
          this.set({ tool });
          this.updatePinClicks();
        },
      })
      .then((parts) => {
        if (!parts) return;
        if (request !== this.partsRequest || this.partsFor !== map) {
          parts.dispose();
          return;
        }
        this.set({ mapParts: parts });
        parts.drawing.setTool(this.get().tool);
        this.updatePinClicks();
        const plan = this.session.plan;
        if (plan) this.syncShapes(plan);
        this.updateHeat();
        this.updateClusters();
        this.scheduleOutlines(true);
      });
  }

  /** Drawn territory shapes as editable drawing shapes (after a replot or a plan replacement; idempotent). */
  private syncShapes(plan: WorkingPlan): void {
    const parts = this.get().mapParts;
    if (!parts) return;
    this.syncedTerritories = plan.territories;
    const { shapes, problems } = territoryShapes(plan.territories);
    parts.drawing.syncTerritoryShapes(shapes);
    const text = problems.map((x) => `${x.name}: ${x.reason}`).join("; ");
    if (text && text !== this.shapeProblems) {
      this.set({
        notice: {
          intent: "warning",
          text: formatTemplate(this.t("Design_ShapeInvalid"), problems.length, text),
          data: { invalid: problems.length },
        },
      });
    }
    this.shapeProblems = text;
  }

  /** Pin popups only while no drawing tool is active (a shape closed on a pin must not open its popup). */
  private updatePinClicks(): void {
    if (this.get().mapParts) this.loader.get().map?.setPinClicksEnabled(this.get().tool === "idle");
  }

  private updateHeat(): void {
    const { mapParts, heatOn, heatWeight } = this.get();
    const data = this.designData();
    if (!mapParts || !data || (!heatOn && !this.heatShown)) return;
    const heat = mapParts.heat();
    this.heatShown = true;
    if (heatOn) {
      const column = heatWeight === "count" ? null : Number(heatWeight.slice(1));
      heat.setData(data.table.lon, data.table.lat, column === null ? null : heatWeights(data.table, column));
    }
    heat.setVisible(heatOn);
  }

  private updateClusters(): void {
    const { mapParts, clustersOn } = this.get();
    const map = this.loader.get().map;
    const data = this.designData();
    if (!mapParts || !map || !data || (!clustersOn && !this.clustersShown)) return;
    const clusters = mapParts.clusters();
    if (!this.clustersShown) {
      const revenue = this.session.measureIndex("revenue");
      clusters.setData(data.table.lon, data.table.lat, revenue !== null ? data.table.values[revenue] : null);
      this.clustersShown = true;
    }
    clusters.setVisible(clustersOn);
    map.setPinsMinZoom(clustersOn ? clusters.maxZoom + 1 : 0);
  }

  /** Outlines (drawn geometry or hulls) and overlaps: recomputed after the plan settles, off the interaction path. */
  private scheduleOutlines(force: boolean): void {
    const plan = this.session.plan;
    const data = this.designData();
    if (!plan || !data) return;
    const drawn = plan.territories.map((t) => (isDrawnArea(t.geometry) ? t.key : "")).join("|");
    const key = `${this.get().outlinesOn}|${plan.revision}|${drawn}|${this.get().mapParts ? 1 : 0}`;
    if (!force && key === this.outlineKey) return;
    this.outlineKey = key;
    if (this.outlineTimer) clearTimeout(this.outlineTimer);
    this.outlineTimer = setTimeout(() => this.drawOutlines(), 150);
  }

  private drawOutlines(): void {
    const p = this.session.plan;
    const data = this.designData();
    if (!p || !data) return;
    const parts = this.get().mapParts;
    let polygons: TerritoryPolygon[];
    if (this.get().outlinesOn) {
      const outlines = territoryOutlines(p);
      polygons = outlines.flatMap((g, i) => (g ? [{ territory: i, geometry: g }] : []));
      if (parts) {
        const shapes: TerritoryShapeFeature[] = polygons.map((x) => ({
          id: p.territories[x.territory].key,
          name: p.territories[x.territory].name,
          color: p.territories[x.territory].color,
          geometry: x.geometry,
        }));
        parts.outlines.setTerritories(shapes);
        parts.outlines.setVisible(true);
      }
    } else {
      // outlines off: no territory fills, but overlaps between drawn shapes stay hatched
      parts?.outlines.setTerritories([]);
      parts?.outlines.setVisible(true);
      polygons = p.territories.flatMap((t, i) => {
        const g = territoryOutlineOf(t.geometry);
        return g ? [{ territory: i, geometry: g }] : [];
      });
    }
    const report = polygons.length > 1 ? overlaps(data.index, polygons) : { pairs: [], accountsInOverlaps: 0, outsideAll: 0 };
    parts?.outlines.setOverlaps(report.pairs.map((x) => x.geometry));
    this.set({ overlapReport: report });
  }
}
