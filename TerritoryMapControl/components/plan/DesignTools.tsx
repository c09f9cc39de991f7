/**
 * Designing territories on the map (issue 5), plugged into the Territory Management card: the design toolbar
 * (draw polygon / rectangle / circle, lasso, box, edit, erase, heat map, clusters, outlines) driving the
 * DrawingAdapter on the map adapter's map, what a drawn shape does (create a territory / add to / remove from the
 * selected territory), the selection panel (list with totals, move, lock / unlock), overlaps and unassigned
 * counts, the legend, and the postal-code, auto-balance and runtime-change dialogs. Every change goes through the
 * working plan (`PlanApi.apply`), so saving, compare and export see it.
 *
 * Keyboard path (no mouse): select a territory in the card's list → "Select its accounts" → the selection panel's
 * Move to / Lock; "Auto-balance…", "Runtime change…" and "Postal codes…" are buttons with accessible names.
 */
import * as React from "react";
import {
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Text,
  ToggleButton,
} from "@fluentui/react-components";
import type { Account, Rep } from "../../domain/accounts";
import { PALETTE, UNASSIGNED_COLOR } from "../../domain/palette";
import type { JsonValue } from "../../domain/drafts/model";
import {
  addTerritory,
  computeTotals,
  deleteTerritory,
  movePositions,
  normaliseId,
  type PlanTerritory,
  type WorkingPlan,
} from "../../domain/workspace";
import {
  accountTableFromColumns,
  countUnassigned,
  heatWeights,
  overlaps,
  planMove,
  planShapeAction,
  PostalCodeIndex,
  selectByShape,
  SpatialIndex,
  territoryHulls,
  planShapeEdit,
  territoryGeometry,
  territoryKeyOfShape,
  territoryOutlineOf,
  territoryShapeOf,
  territoryShapes,
  totalsOf,
  type AccountTable as DesignTable,
  type DrawnShape,
  type OverlapReport,
  type TerritoryPolygon,
} from "../../domain/design";
import { planToKml } from "../../domain/export/kml";
import type { DesignMapParts, MapAdapter } from "../../adapters/map/MapAdapter";
import type { TerritoryShapeFeature } from "../../adapters/map/DesignLayers";
import { createWorkerBalancerClient, type BalancerClient } from "../../adapters/worker/BalancerClient";
import { balancerWorkerSource } from "../../generated/balancerWorkerSource";
import { DesignToolbar, type DesignTool } from "../design/DesignToolbar";
import { SelectionPanel, SELECTION_LIST_LIMIT, type SelectionRow } from "../design/SelectionPanel";
import { PostalCodeImportDialog, type PostalCodeImportResult } from "../design/PostalCodeImportDialog";
import { AutoBalanceDialog, type AutoBalanceApplyResult, type BalanceRep } from "../design/AutoBalanceDialog";
import { RuntimeChangeDialog, type RuntimeChangeResult } from "../design/RuntimeChangeDialog";
import { formatTemplate } from "../text";
import type { PlanApi } from "./PlanWorkspace";

/** Performance marks of the lasso path (the design benchmark reads them). */
export const DESIGN_MARKS = {
  shape: "tmap:design-shape",
  selected: "tmap:design-selected",
  moveStart: "tmap:design-move-start",
  moved: "tmap:design-moved",
} as const;

function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // diagnostics only
  }
}

type ShapeMode = "create" | "add" | "remove";

interface Notice {
  intent: "success" | "info" | "warning" | "error";
  text: string;
  data?: Record<string, string | number>;
}

export interface DesignToolsProps {
  api: PlanApi;
  adapter: () => MapAdapter | null;
  accounts: () => readonly Account[];
  reps: readonly Rep[];
  repName: (repId: string) => string;
  onSelectTerritory: (key: string | null) => void;
  getString: (key: string) => string;
}

// ------------------------------------------------------------------ plan helpers (pure)

/** The design table (columns shared with the plan's table) with each account's postal code. */
export function designTableOf(plan: WorkingPlan, accounts: readonly Account[]): DesignTable {
  const postal = new Map<string, string | null>();
  for (const a of accounts) postal.set(normaliseId(a.id), a.postalCode);
  return accountTableFromColumns(plan.table, (_, id) => postal.get(id) ?? null);
}

/** A plan with a whole new assignment (totals recomputed) and the positions that changed. */
export function withAssignment(plan: WorkingPlan, next: Int32Array): { plan: WorkingPlan; changed: Int32Array } {
  const changed: number[] = [];
  for (let i = 0; i < next.length; i++) if (next[i] !== plan.assignment[i]) changed.push(i);
  if (changed.length === 0) return { plan, changed: new Int32Array(0) };
  return {
    plan: {
      ...plan,
      assignment: next,
      totals: computeTotals(plan.table, plan.territories.length, next),
      dirty: true,
      revision: plan.revision + 1,
    },
    changed: Int32Array.from(changed),
  };
}

function replaceTerritories(plan: WorkingPlan, territories: readonly PlanTerritory[]): WorkingPlan {
  return { ...plan, territories, dirty: true, revision: plan.revision + 1 };
}

let keySeq = 0;
function newKey(prefix: string): string {
  keySeq++;
  return `${prefix}-${Date.now().toString(36)}-${keySeq}`;
}

function colorFor(plan: WorkingPlan): string {
  return PALETTE[plan.territories.length % PALETTE.length];
}

function isArea(g: JsonValue | null): g is JsonValue & { type: "Polygon" | "MultiPolygon"; coordinates: unknown[] } {
  return territoryOutlineOf(g) !== null;
}

/** Territory outlines: drawn geometry where there is one, else the convex hull of the territory's accounts. */
export function territoryOutlines(plan: WorkingPlan, table: DesignTable): (TerritoryPolygon["geometry"] | null)[] {
  const hulls = territoryHulls(table, plan.assignment, plan.territories.length);
  return plan.territories.map((t, i) => territoryOutlineOf(t.geometry) ?? hulls[i]);
}

/** The plan as KML (territory outlines, one Placemark per account). */
export function planKml(
  plan: WorkingPlan,
  accounts: readonly Account[],
  repName: (repId: string) => string,
  getString: (key: string) => string,
): string {
  const table = designTableOf(plan, accounts);
  const outlines = territoryOutlines(plan, table);
  return planToKml({
    name: plan.source?.name || getString("Plan_Live"),
    accounts: { ids: table.ids, names: table.names, lon: table.lon, lat: table.lat, postalCodes: table.postalCodes },
    assignment: plan.assignment,
    territories: plan.territories.map((t, i) => ({
      name: t.name,
      color: t.color,
      rep: t.repId ? repName(t.repId) : null,
      geometry: outlines[i],
    })),
    labels: {
      territories: getString("Territories_Title"),
      accounts: getString("Export_KmlAccounts"),
      unassigned: getString("Territories_Unassigned"),
      territory: getString("Export_ColTerritory"),
      rep: getString("Export_ColRep"),
    },
  });
}

// ------------------------------------------------------------------ component

const DesignToolsView: React.FC<DesignToolsProps> = (props) => {
  const { api, adapter, getString } = props;
  const { plan, busy } = api;
  const planRef = React.useRef(plan);
  planRef.current = plan;
  const apiRef = React.useRef(api);
  apiRef.current = api;

  const [tool, setTool] = React.useState<DesignTool>("idle");
  const [shapeMode, setShapeMode] = React.useState<ShapeMode>("create");
  const shapeModeRef = React.useRef(shapeMode);
  shapeModeRef.current = shapeMode;
  const [heatOn, setHeatOn] = React.useState(false);
  const [heatWeight, setHeatWeight] = React.useState("count");
  const [clustersOn, setClustersOn] = React.useState(false);
  const [outlinesOn, setOutlinesOn] = React.useState(false);
  const [legendOn, setLegendOn] = React.useState(false);
  const [selection, setSelection] = React.useState<Int32Array | null>(null);
  const [notice, setNotice] = React.useState<Notice | null>(null);
  const [dialog, setDialog] = React.useState<"balance" | "runtime" | "postal" | null>(null);
  const [overlapReport, setOverlapReport] = React.useState<OverlapReport | null>(null);
  const [mapParts, setMapParts] = React.useState<DesignMapParts | null>(null);
  const partsRef = React.useRef<DesignMapParts | null>(null);
  const pendingMarks = React.useRef<{ selected?: boolean; moved?: number }>({});
  const heatShown = React.useRef(false);
  const clustersShown = React.useRef(false);
  const highlighted = React.useRef(false);

  // The design table and the spatial index: once per account load (plan.table).
  const table = React.useMemo(() => designTableOf(plan, props.accounts()), [plan.table]);
  const tableRef = React.useRef(table);
  tableRef.current = table;
  const index = React.useMemo(() => SpatialIndex.of(table), [table]);
  const indexRef = React.useRef(index);
  indexRef.current = index;
  const postalIndex = React.useMemo(() => new PostalCodeIndex(table), [table]);
  // The balancing worker is started when a dialog first needs it (Blob URL from the bundled worker source).
  const clientRef = React.useRef<BalancerClient | null>(null);
  const client = (): BalancerClient => (clientRef.current ??= createWorkerBalancerClient(balancerWorkerSource));
  React.useEffect(() => () => clientRef.current?.dispose(), []);

  // ---------------------------------------------------------------- applying changes

  const apply = React.useCallback((next: WorkingPlan, changed: Int32Array | null) => {
    planRef.current = next;
    return apiRef.current.apply(next, changed);
  }, []);

  const territoryName = React.useCallback(
    (key: string | null) =>
      key === null ? getString("Territories_Unassigned") : (planRef.current.territories.find((t) => t.key === key)?.name ?? key),
    [getString],
  );

  /** Moves positions to a territory, leaving locked accounts where they are; returns moved / skipped. */
  const moveRespectingLocks = React.useCallback(
    (p: WorkingPlan, positions: ArrayLike<number>, key: string | null): { plan: WorkingPlan; changed: Int32Array; skipped: number } => {
      const to = key === null ? -1 : p.territories.findIndex((t) => t.key === key);
      const mp = planMove(tableRef.current, p.assignment, p.accountLocks, positions, to);
      const r = movePositions(p, mp.indexes, key);
      return { plan: r.plan, changed: r.changed, skipped: mp.skippedLocked };
    },
    [],
  );

  // ---------------------------------------------------------------- drawn shapes

  const onShape = React.useCallback(
    (shape: DrawnShape, phase: "complete" | "changed") => {
      const p = planRef.current;
      if (shape.kind === "lasso" || shape.kind === "box") {
        mark(DESIGN_MARKS.shape);
        pendingMarks.current.selected = true;
        setSelection(selectByShape(indexRef.current, shape));
        return;
      }
      const drawnKey = territoryKeyOfShape(shape.id);
      if (phase === "changed") {
        // Editing a drawn shape does what drawing it did, for the area that changed: accounts now inside join the
        // territory, its accounts no longer inside become unassigned (locked ones stay); the outline follows the shape.
        const i = p.territories.findIndex((t) => t.key === drawnKey);
        if (i < 0) return;
        const before = territoryShapeOf(drawnKey, p.territories[i].geometry);
        const { join, leave } = planShapeEdit(tableRef.current, indexRef.current, p.assignment, p.accountLocks, before, shape, i);
        const r1 = movePositions(p, join.indexes, drawnKey);
        const r2 = movePositions(r1.plan, leave.indexes, null);
        const changed = new Int32Array(r1.changed.length + r2.changed.length);
        changed.set(r1.changed);
        changed.set(r2.changed, r1.changed.length);
        void apply(
          replaceTerritories(
            r2.plan,
            r2.plan.territories.map((t, j) => (j === i ? { ...t, geometry: territoryGeometry(shape) } : t)),
          ),
          changed,
        );
        const locked = join.skippedLocked + leave.skippedLocked;
        setNotice({
          intent: "success",
          text: formatTemplate(getString("Design_ShapeEdited"), p.territories[i].name, r1.changed.length, r2.changed.length, locked),
          data: { joined: r1.changed.length, left: r2.changed.length, locked, territory: drawnKey },
        });
        return;
      }
      const mode = shapeModeRef.current;
      const selectedKey = apiRef.current.selectedKey;
      try {
        if (mode === "create") {
          const name = formatTemplate(getString("Design_NewTerritoryName"), p.territories.length + 1);
          const withT = addTerritory(p, {
            key: drawnKey,
            name,
            color: colorFor(p),
            repId: null,
            territoryId: null,
            geometry: territoryGeometry(shape),
          });
          const t = withT.territories.length - 1;
          const mp = planShapeAction(tableRef.current, indexRef.current, withT.assignment, withT.accountLocks, shape, {
            kind: "create",
            territory: t,
          });
          const r = movePositions(withT, mp.indexes, drawnKey);
          void apply(r.plan, r.changed);
          props.onSelectTerritory(drawnKey);
          setNotice({
            intent: "success",
            text: formatTemplate(getString("Design_ShapeCreated"), name, r.changed.length, mp.skippedLocked),
            data: { moved: r.changed.length, locked: mp.skippedLocked, territory: drawnKey },
          });
          return;
        }
        const ti = selectedKey === null ? -1 : p.territories.findIndex((t) => t.key === selectedKey);
        if (ti < 0 || selectedKey === null) {
          partsRef.current?.drawing.remove(shape.id);
          setNotice({ intent: "warning", text: getString("Design_NeedsTerritory") });
          return;
        }
        const mp = planShapeAction(tableRef.current, indexRef.current, p.assignment, p.accountLocks, shape, { kind: mode, territory: ti });
        const r = movePositions(p, mp.indexes, mode === "add" ? selectedKey : null);
        void apply(r.plan, r.changed);
        // The shape did its work; it does not become the territory's outline.
        partsRef.current?.drawing.remove(shape.id);
        const key = mode === "add" ? "Design_ShapeAdded" : "Design_ShapeRemoved";
        setNotice({
          intent: "success",
          text: formatTemplate(getString(key), r.changed.length, p.territories[ti].name, mp.skippedLocked),
          data: { moved: r.changed.length, locked: mp.skippedLocked },
        });
      } catch (e) {
        setNotice({ intent: "error", text: e instanceof Error ? e.message : String(e) });
      }
    },
    [apply, getString, props.onSelectTerritory],
  );

  const onErase = React.useCallback(
    (id: string) => {
      const p = planRef.current;
      const i = p.territories.findIndex((t) => t.key === territoryKeyOfShape(id));
      if (i < 0) return;
      // Erasing the outline keeps the territory and its accounts; its outline becomes the hull again.
      void apply(
        replaceTerritories(
          p,
          p.territories.map((t, j) => (j === i ? { ...t, geometry: null } : t)),
        ),
        new Int32Array(0),
      );
    },
    [apply],
  );

  // ---------------------------------------------------------------- map parts

  React.useEffect(() => {
    let live = true;
    const a = adapter();
    if (!a) return undefined;
    void a
      .createDesignParts({
        onShape: (sh, ph) => onShapeRef.current(sh, ph),
        onErase: (id) => onEraseRef.current(id),
        onToolChange: (t) => setTool(t),
      })
      .then((parts) => {
        if (!parts) return;
        if (!live) {
          parts.dispose();
          return;
        }
        partsRef.current = parts;
        setMapParts(parts);
      });
    return () => {
      live = false;
      partsRef.current?.dispose();
      partsRef.current = null;
    };
  }, [adapter]);
  // Drawn territory shapes as editable drawing shapes (restored after a replot or a plan replacement; idempotent).
  const shapeProblems = React.useRef("");
  React.useEffect(() => {
    if (!mapParts) return;
    const { shapes, problems } = territoryShapes(plan.territories);
    mapParts.drawing.syncTerritoryShapes(shapes);
    const text = problems.map((x) => `${x.name}: ${x.reason}`).join("; ");
    if (text && text !== shapeProblems.current)
      setNotice({
        intent: "warning",
        text: formatTemplate(getString("Design_ShapeInvalid"), problems.length, text),
        data: { invalid: problems.length },
      });
    shapeProblems.current = text;
  }, [mapParts, plan.territories, getString]);
  const onShapeRef = React.useRef(onShape);
  onShapeRef.current = onShape;
  const onEraseRef = React.useRef(onErase);
  onEraseRef.current = onErase;

  const chooseTool = React.useCallback((t: DesignTool) => {
    setTool(t);
    partsRef.current?.drawing.setTool(t);
  }, []);

  // Pin popups only while no drawing tool is active (a lasso or shape closed on a pin must not open its popup);
  // the tools exist once the map's design parts do.
  React.useEffect(() => {
    if (!mapParts) return;
    adapter()?.setPinClicksEnabled(tool === "idle");
    return () => adapter()?.setPinClicksEnabled(true);
  }, [tool, adapter, mapParts]);

  /** A position clicked on the map (the dialogs' "Pick on map"); the drawing tool is put down first. */
  const toolRef = React.useRef(tool);
  toolRef.current = tool;
  const pickPoint = React.useCallback(
    (options: { signal: AbortSignal; prompt: string }) => {
      const a = adapter();
      if (!a) return Promise.resolve(null);
      if (toolRef.current !== "idle") chooseTool("idle");
      return a.pickPoint(options);
    },
    [adapter, chooseTool],
  );

  // Heat map and clusters: created on first use; the heat map weighted by count or a measure.
  React.useEffect(() => {
    const parts = mapParts;
    if (!parts || (!heatOn && !heatShown.current)) return;
    const heat = parts.heat();
    heatShown.current = true;
    if (heatOn) {
      const column = heatWeight === "count" ? null : Number(heatWeight.slice(1));
      heat.setData(table.lon, table.lat, column === null ? null : heatWeights(table, column));
    }
    heat.setVisible(heatOn);
  }, [mapParts, heatOn, heatWeight, table]);

  React.useEffect(() => {
    const parts = mapParts;
    const a = adapter();
    if (!parts || !a || (!clustersOn && !clustersShown.current)) return;
    const clusters = parts.clusters();
    if (!clustersShown.current) {
      const revenue = table.measureNames.findIndex((m) => /revenue/i.test(m));
      clusters.setData(table.lon, table.lat, revenue >= 0 ? table.measures[revenue] : null);
      clustersShown.current = true;
    }
    clusters.setVisible(clustersOn);
    a.setPinsMinZoom(clustersOn ? clusters.maxZoom + 1 : 0);
  }, [mapParts, clustersOn, table, adapter]);

  // Outlines (drawn geometry or hulls) and overlaps: recomputed after the plan settles, off the interaction path.
  const drawnKey = plan.territories.map((t) => (isArea(t.geometry) ? t.key : "")).join("|");
  React.useEffect(() => {
    const handle = setTimeout(() => {
      const p = planRef.current;
      const parts = partsRef.current;
      let polygons: TerritoryPolygon[];
      if (outlinesOn) {
        const outlines = territoryOutlines(p, table);
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
      const report = polygons.length > 1 ? overlaps(index, polygons) : { pairs: [], accountsInOverlaps: 0, outsideAll: 0 };
      parts?.outlines.setOverlaps(report.pairs.map((x) => x.geometry));
      setOverlapReport(report);
    }, 150);
    return () => clearTimeout(handle);
  }, [outlinesOn, plan.revision, drawnKey, table, index, mapParts]);

  // ---------------------------------------------------------------- selection

  const selectionView = React.useMemo(() => {
    if (!selection) return null;
    const totals = totalsOf(table, selection);
    let locked = 0;
    for (let k = 0; k < selection.length; k++) if (plan.accountLocks[selection[k]]) locked++;
    const rows: SelectionRow[] = [];
    const limit = Math.min(selection.length, SELECTION_LIST_LIMIT);
    for (let k = 0; k < limit; k++) {
      const i = selection[k];
      const t = plan.assignment[i];
      rows.push({
        id: table.ids[i],
        name: table.names[i],
        territory: t >= 0 ? plan.territories[t].name : getString("Territories_Unassigned"),
        locked: plan.accountLocks[i] === 1,
      });
    }
    return { totals: totals.measures, locked, rows };
  }, [selection, plan, table, getString]);

  // Highlight the selection on the map.
  React.useEffect(() => {
    const a = adapter();
    if (!a || (!selection && !highlighted.current)) return;
    highlighted.current = !!selection;
    // Outlining thousands of accounts costs a source rewrite: after the list and totals are on screen.
    const handle = setTimeout(() => a.setHighlight(selection ? Array.from(selection, (i) => table.ids[i]) : null), 0);
    return () => clearTimeout(handle);
  }, [selection, table, adapter]);

  React.useEffect(() => {
    if (pendingMarks.current.selected && selection) {
      pendingMarks.current.selected = false;
      mark(DESIGN_MARKS.selected);
    }
  }, [selection]);
  React.useEffect(() => {
    const m = pendingMarks.current.moved;
    if (m !== undefined && plan.revision >= m) {
      pendingMarks.current.moved = undefined;
      mark(DESIGN_MARKS.moved);
    }
  }, [plan.revision]);

  const moveSelection = (key: string | null) => {
    if (!selection) return;
    mark(DESIGN_MARKS.moveStart);
    const r = moveRespectingLocks(planRef.current, selection, key);
    pendingMarks.current.moved = r.plan.revision;
    void apply(r.plan, r.changed);
    setNotice({
      intent: "success",
      text: formatTemplate(getString("Design_SelectionMoved"), r.changed.length, territoryName(key), r.skipped),
      data: { moved: r.changed.length, locked: r.skipped },
    });
  };

  const lockSelection = (locked: boolean) => {
    if (!selection) return;
    const p = planRef.current;
    const accountLocks = p.accountLocks.slice();
    for (let k = 0; k < selection.length; k++) accountLocks[selection[k]] = locked ? 1 : 0;
    void apply({ ...p, accountLocks, dirty: true, revision: p.revision + 1 }, new Int32Array(0));
    setNotice({
      intent: "info",
      text: formatTemplate(getString(locked ? "Design_Locked" : "Design_Unlocked"), selection.length),
      data: { count: selection.length },
    });
  };

  const selectTerritoryAccounts = () => {
    const p = planRef.current;
    const key = api.selectedKey;
    const t = key === null ? -1 : p.territories.findIndex((x) => x.key === key);
    if (t < 0) {
      setNotice({ intent: "warning", text: getString("Design_NeedsTerritory") });
      return;
    }
    const out: number[] = [];
    for (let i = 0; i < p.assignment.length; i++) if (p.assignment[i] === t) out.push(i);
    setSelection(Int32Array.from(out));
  };

  // ---------------------------------------------------------------- dialogs

  const reps = React.useMemo<BalanceRep[]>(
    () =>
      props.reps.map((r) => {
        const id = normaliseId(r.id);
        const t = plan.territories.findIndex((x) => x.repId === id);
        return {
          id,
          name: r.fullName,
          home: r.homeBase ? [r.homeBase.longitude, r.homeBase.latitude] : null,
          territoryIndex: t >= 0 ? t : null,
        };
      }),
    [props.reps, plan.territories],
  );
  const planTerritories = React.useMemo(
    () => plan.territories.map((t) => ({ id: t.key, name: t.name, repId: t.repId })),
    [plan.territories],
  );

  /** Adds territories until index `count - 1` exists (auto-balance into more territories than the plan has). */
  const ensureTerritories = (p: WorkingPlan, count: number, repOf: (index: number) => string | null): WorkingPlan => {
    let next = p;
    while (next.territories.length < count) {
      const i = next.territories.length;
      const repId = repOf(i);
      const name = repId
        ? formatTemplate(getString("Balance_NewTerritoryFor"), props.repName(repId))
        : formatTemplate(getString("Design_NewTerritoryName"), i + 1);
      next = addTerritory(next, { key: newKey("balance"), name, color: colorFor(next), repId, territoryId: null });
    }
    return next;
  };

  const onBalanceApply = (result: AutoBalanceApplyResult) => {
    const p = planRef.current;
    let max = -1;
    for (let i = 0; i < result.assignment.length; i++) if (result.assignment[i] > max) max = result.assignment[i];
    const reps = new Map(result.newTerritories.map((n) => [n.planTerritory, n.repId]));
    const grown = ensureTerritories(p, max + 1, (i) => reps.get(i) ?? null);
    const r = withAssignment(grown, result.assignment);
    const next = r.plan === p ? grown : r.plan;
    void apply(next, r.changed.length > 0 || next !== p ? null : new Int32Array(0));
    setNotice({
      intent: "success",
      text: formatTemplate(getString("Design_BalanceApplied"), r.changed.length),
      data: { moved: r.changed.length },
    });
  };

  const onRuntimeAccept = (result: RuntimeChangeResult) => {
    let p = planRef.current;
    if (result.newTerritory) {
      const repId = result.newTerritory.repId;
      p = ensureTerritories(p, result.newTerritory.planTerritory + 1, () => repId);
    }
    const r = withAssignment(p, result.assignment);
    let next = r.changed.length > 0 ? r.plan : p;
    let unassigned = 0;
    if (result.removedTerritory !== undefined && result.removedTerritory >= 0 && result.removedTerritory < next.territories.length) {
      const removed = next.territories[result.removedTerritory];
      const d = deleteTerritory(next, removed.key);
      next = d.plan;
      unassigned = d.unassigned;
      props.onSelectTerritory(null);
    }
    void apply(next, null);
    setNotice({
      intent: "success",
      text: formatTemplate(getString("Design_ProposalAccepted"), result.moves.indexes.length, unassigned),
      data: { moved: result.moves.indexes.length, unassigned },
    });
  };

  const codeTotals = React.useCallback((code: string) => totalsOf(table, postalIndex.accountsFor(code)), [table, postalIndex]);

  const onPostalApply = (result: PostalCodeImportResult) => {
    let p = planRef.current;
    let moved = 0;
    let skipped = 0;
    let changedAll: number[] = [];
    for (const g of result.groups) {
      let key = g.territoryId;
      if (key === null) {
        const name = (g.newTerritoryName ?? "").trim() || formatTemplate(getString("Design_NewTerritoryName"), p.territories.length + 1);
        key = newKey("postal");
        p = addTerritory(p, { key, name, color: colorFor(p), repId: null, territoryId: null });
      }
      const k = key;
      const positions = postalIndex.accountsForAll(g.codes);
      const r = moveRespectingLocks(p, positions, k);
      p = r.plan;
      moved += r.changed.length;
      skipped += r.skipped;
      changedAll = changedAll.concat(Array.from(r.changed));
      const codes = new Set([...(p.territories.find((t) => t.key === k)?.postalCodes ?? []), ...g.codes]);
      p = replaceTerritories(
        p,
        p.territories.map((t) => (t.key === k ? { ...t, postalCodes: [...codes] } : t)),
      );
      props.onSelectTerritory(k);
    }
    void apply(p, Int32Array.from(changedAll));
    setNotice({
      intent: result.skippedLines > 0 ? "warning" : "success",
      text: formatTemplate(
        getString("Design_PostalApplied"),
        moved,
        result.groups.reduce((s, g) => s + g.codes.length, 0),
        result.skippedLines,
        skipped,
      ),
      data: { moved, lines: result.skippedLines },
    });
  };

  // ---------------------------------------------------------------- render

  const unassigned = React.useMemo(() => countUnassigned(table, plan.assignment), [table, plan.assignment]);
  const measureLabels = plan.table.measures;
  const heatOptions = React.useMemo(() => measureLabels.map((m, i) => ({ key: `m${i}`, label: m })), [measureLabels]);
  const legend: { label: string; color: string; count: number }[] = legendOn
    ? [
        ...plan.territories.map((t, i) => ({ label: t.name, color: t.color, count: plan.totals.accounts[i] })),
        ...(plan.totals.unassignedAccounts > 0
          ? [{ label: getString("Territories_Unassigned"), color: UNASSIGNED_COLOR, count: plan.totals.unassignedAccounts }]
          : []),
      ]
    : [];
  const selectedName = api.selectedKey ? territoryName(api.selectedKey) : null;

  return (
    <section
      aria-label={getString("Design_Title")}
      data-testid="design-tools"
      style={{ display: "flex", flexDirection: "column", rowGap: 8 }}
    >
      {mapParts && (
        <DesignToolbar
          tool={tool}
          onToolChange={chooseTool}
          heatMap={heatOn}
          onHeatMapChange={setHeatOn}
          heatWeight={heatWeight}
          heatWeightOptions={heatOptions}
          onHeatWeightChange={setHeatWeight}
          clusters={clustersOn}
          onClustersChange={setClustersOn}
          disabled={busy}
          getString={getString}
        />
      )}
      {mapParts && (
        <div style={{ display: "flex", flexWrap: "wrap", columnGap: 8, rowGap: 4, alignItems: "end" }}>
          <Field label={getString("Design_ShapeAction")}>
            <Dropdown
              size="small"
              aria-label={getString("Design_ShapeAction")}
              value={getString(
                shapeMode === "create" ? "Design_ShapeCreate" : shapeMode === "add" ? "Design_ShapeAdd" : "Design_ShapeRemove",
              )}
              selectedOptions={[shapeMode]}
              onOptionSelect={(_, d) => d.optionValue && setShapeMode(d.optionValue as ShapeMode)}
              data-testid="shape-mode"
            >
              <Option value="create">{getString("Design_ShapeCreate")}</Option>
              <Option value="add">{getString("Design_ShapeAdd")}</Option>
              <Option value="remove">{getString("Design_ShapeRemove")}</Option>
            </Dropdown>
          </Field>
          <ToggleButton size="small" checked={outlinesOn} onClick={() => setOutlinesOn((o) => !o)} data-testid="toggle-outlines">
            {getString("Design_Outlines")}
          </ToggleButton>
          <ToggleButton size="small" checked={legendOn} onClick={() => setLegendOn((o) => !o)} data-testid="toggle-legend">
            {getString("Design_Legend")}
          </ToggleButton>
        </div>
      )}
      <div style={{ display: "flex", flexWrap: "wrap", columnGap: 8, rowGap: 4 }}>
        <Button
          size="small"
          disabled={busy || !api.selectedKey}
          onClick={selectTerritoryAccounts}
          data-testid="select-territory-accounts"
          aria-label={
            selectedName ? formatTemplate(getString("Design_SelectAccountsOf"), selectedName) : getString("Design_SelectAccounts")
          }
        >
          {getString("Design_SelectAccounts")}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setDialog("balance")} data-testid="open-balance">
          {getString("Design_AutoBalance")}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setDialog("runtime")} data-testid="open-runtime">
          {getString("Design_RuntimeChange")}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setDialog("postal")} data-testid="open-postal">
          {getString("Design_PostalCodes")}
        </Button>
      </div>
      <div
        role="status"
        aria-live="polite"
        data-testid="design-status"
        data-unassigned={unassigned.total}
        data-unassigned-placed={unassigned.placed}
        data-overlap-pairs={overlapReport?.pairs.length ?? 0}
        data-overlap-accounts={overlapReport?.accountsInOverlaps ?? 0}
        data-selection={selection?.length ?? 0}
        data-tool={tool}
        data-map-ready={mapParts ? "true" : "false"}
      >
        <Text size={200}>
          {formatTemplate(
            getString("Design_Status"),
            unassigned.total,
            unassigned.unplaced,
            overlapReport?.pairs.length ?? 0,
            overlapReport?.accountsInOverlaps ?? 0,
          )}
        </Text>
      </div>
      {notice && (
        <MessageBar
          intent={notice.intent}
          data-testid="design-info"
          {...Object.fromEntries(Object.entries(notice.data ?? {}).map(([k, v]) => [`data-${k}`, String(v)]))}
        >
          <MessageBarBody>{notice.text}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" appearance="transparent" onClick={() => setNotice(null)}>
              {getString("Common_Dismiss")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {selection && selectionView && (
        <SelectionPanel
          count={selection.length}
          totals={selectionView.totals}
          measureLabels={measureLabels}
          rows={selectionView.rows}
          lockedCount={selectionView.locked}
          territories={planTerritories}
          onMove={moveSelection}
          onLock={lockSelection}
          onClear={() => setSelection(null)}
          disabled={busy}
          getString={getString}
        />
      )}
      {legendOn && (
        <section aria-label={getString("Design_Legend")} data-testid="design-legend">
          <ul style={{ listStyle: "none", margin: 0, padding: 0, maxHeight: 200, overflowY: "auto" }}>
            {legend.map((e, i) => (
              <li key={i} style={{ display: "flex", alignItems: "center", columnGap: 6 }}>
                <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 5, background: e.color, display: "inline-block" }} />
                <span>{e.label}</span>
                <span>{e.count.toLocaleString()}</span>
              </li>
            ))}
          </ul>
          {heatOn && mapParts && (
            <div>
              <Text size={200}>{getString("Design_HeatLegend")}</Text>
              <div
                aria-hidden="true"
                style={{
                  height: 8,
                  background: `linear-gradient(to right, ${mapParts.heatGradient
                    .slice(1)
                    .map((g) => g.color)
                    .join(", ")})`,
                }}
              />
            </div>
          )}
        </section>
      )}
      {dialog === "balance" && (
        <AutoBalanceDialog
          open
          onOpenChange={(o) => setDialog(o ? "balance" : null)}
          table={table}
          measureLabels={measureLabels}
          territories={planTerritories}
          reps={reps}
          assignment={plan.assignment}
          locked={plan.accountLocks}
          client={client()}
          onApply={onBalanceApply}
          pickPoint={mapParts ? pickPoint : undefined}
          getString={getString}
        />
      )}
      {dialog === "runtime" && (
        <RuntimeChangeDialog
          open
          onOpenChange={(o) => setDialog(o ? "runtime" : null)}
          table={table}
          territories={planTerritories}
          reps={reps}
          assignment={plan.assignment}
          locked={plan.accountLocks}
          client={client()}
          onAccept={onRuntimeAccept}
          pickPoint={mapParts ? pickPoint : undefined}
          getString={getString}
        />
      )}
      <PostalCodeImportDialog
        open={dialog === "postal"}
        onOpenChange={(o) => setDialog(o ? "postal" : null)}
        territories={planTerritories}
        measureLabels={measureLabels}
        codeTotals={codeTotals}
        onApply={onPostalApply}
        getString={getString}
      />
    </section>
  );
};

/** Re-renders only when what it shows changes (the card re-renders on every notice and dialog). */
export const DesignTools = React.memo(
  DesignToolsView,
  (a, b) =>
    a.api.plan === b.api.plan &&
    a.api.selectedKey === b.api.selectedKey &&
    a.api.busy === b.api.busy &&
    a.api.apply === b.api.apply &&
    a.adapter === b.adapter &&
    a.accounts === b.accounts &&
    a.reps === b.reps &&
    a.repName === b.repName &&
    a.onSelectTerritory === b.onSelectTerritory &&
    a.getString === b.getString,
);
DesignTools.displayName = "DesignTools";
