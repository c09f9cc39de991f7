/**
 * Drawing on the map with azure-maps-drawing-tools 2.0.0 around an existing, ready atlas.Map.
 *
 * Tools: polygon, rectangle, circle (radius around a point, geodesic metres), lasso (freehand polygon), box
 * (rectangle selection), vertex editing, delete. Territory shapes (polygon / rectangle / circle) stay on the map
 * and can be edited or erased; selection shapes (lasso / box) are emitted once and removed. Every shape leaves
 * as GeoJSON through `onShape` (a `DrawnShape`: a circle carries its centre and radius as well as a polygon
 * approximation), edits come back through `onShape(shape, "changed")`, deletions through `onErase(id)`.
 *
 * The drawing tools' style sheet is imported here (pcf-scripts' webpack injects it, like atlas.min.css in
 * MapAdapter); without it the handles and the drawing preview are invisible. No manifest entry is needed.
 * The SDK's own toolbar is not used: the Fluent DesignToolbar drives `setTool`, so the tools have accessible
 * names, resx strings and keyboard paths. Escape (handled here on the map container) ends the current drawing.
 *
 * Territory shapes restored from a plan (a replotted draft, an undo-like plan replacement) come in through
 * `syncTerritoryShapes`: it diffs by shape id (= `shapeIdOfTerritory(territory key)`), adds what is missing,
 * replaces what the plan changed, removes the shapes of territories that no longer have a geometry, and leaves alone
 * a shape whose edit the plan has not caught up with yet. Restored shapes are ordinary drawing-tools shapes: the
 * edit tool moves their vertices / resizes a circle (`onShape(shape, "changed")`), the erase tool removes them.
 */
import * as atlas from "azure-maps-control";
import * as drawing from "azure-maps-drawing-tools";
import "azure-maps-drawing-tools/dist/atlas-drawing.min.css";
import type { Polygon, Position } from "geojson";
import type { DrawnShape, DrawnShapeKind } from "../../domain/design/shapes";
import type { DrawingPort, DrawTool, ShapePhase } from "../../app/ports/map";

export type { DrawTool, ShapePhase } from "../../app/ports/map";

export interface DrawingAdapterOptions {
  /** A map that has fired `ready`. */
  map: atlas.Map;
  /** A shape was drawn (`complete`) or an existing one was edited (`changed`). */
  onShape: (shape: DrawnShape, phase: ShapePhase) => void;
  /** A territory shape was erased (erase tool or `remove`). */
  onErase?: (id: string) => void;
  /** The tool changed (also when the drawing tools return to idle by themselves). */
  onToolChange?: (tool: DrawTool) => void;
  /** Outline colour of drawn shapes (default Fluent brand blue). */
  color?: string;
}

type Mode = drawing.drawing.DrawingMode;

const SELECTION_PROPERTY = "tmapSelection";

function toolMode(tool: DrawTool): { mode: string; interaction: string } {
  switch (tool) {
    case "polygon":
      return { mode: "draw-polygon", interaction: "click" };
    case "lasso":
      return { mode: "draw-polygon", interaction: "freehand" };
    case "rectangle":
    case "box":
      return { mode: "draw-rectangle", interaction: "hybrid" };
    case "circle":
      return { mode: "draw-circle", interaction: "hybrid" };
    case "edit":
      return { mode: "edit-geometry", interaction: "hybrid" };
    case "erase":
      return { mode: "erase-geometry", interaction: "hybrid" };
    default:
      return { mode: "idle", interaction: "hybrid" };
  }
}

function closeRing(ring: Position[]): Position[] {
  if (ring.length === 0) return ring;
  const a = ring[0];
  const b = ring[ring.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, [a[0], a[1]]];
}

/** A drawing-tools shape as a DrawnShape (null for geometry the design tools do not use, e.g. lines). */
export function shapeToDrawn(shape: atlas.Shape, kindHint: DrawnShapeKind | null): DrawnShape | null {
  const id = String(shape.getId());
  if (shape.isCircle()) {
    const c = shape.getCoordinates() as atlas.data.Position;
    const radius = Number((shape.getProperties() as { radius?: number }).radius);
    const ring = closeRing((shape.getCircleCoordinates() as Position[]).map((p) => [p[0], p[1]]));
    return { id, kind: "circle", center: [c[0], c[1]], radiusM: radius, geometry: { type: "Polygon", coordinates: [ring] } };
  }
  const type = shape.getType();
  if (type === "Polygon") {
    const rings = (shape.getCoordinates() as Position[][]).map((r) => closeRing(r.map((p) => [p[0], p[1]])));
    const geometry: Polygon = { type: "Polygon", coordinates: rings };
    const kind: DrawnShapeKind = kindHint ?? (shape.isRectangle() ? "rectangle" : "polygon");
    return { id, kind, geometry };
  }
  if (type === "MultiPolygon") {
    const polys = (shape.getCoordinates() as Position[][][]).map((rings) => rings.map((r) => closeRing(r.map((p) => [p[0], p[1]]))));
    return { id, kind: kindHint ?? "polygon", geometry: { type: "MultiPolygon", coordinates: polys } };
  }
  return null;
}

const round9 = (v: number): string => v.toFixed(9);

/**
 * What a territory shape looks like, as a string: two shapes with the same signature show the same thing (a
 * circle by its centre and radius, anything else by its kind and vertices, to 1e-9 degrees).
 */
export function shapeSignature(shape: DrawnShape): string {
  if (shape.kind === "circle" && shape.center && shape.radiusM !== undefined)
    return `circle:${round9(shape.center[0])},${round9(shape.center[1])},${shape.radiusM.toFixed(3)}`;
  const polys = shape.geometry.type === "Polygon" ? [shape.geometry.coordinates] : shape.geometry.coordinates;
  return `${shape.kind === "rectangle" || shape.kind === "box" ? "rectangle" : "polygon"}:${polys.map((rings) => rings.map((r) => r.map((p) => `${round9(p[0])} ${round9(p[1])}`).join(",")).join("|")).join("#")}`;
}

/** What `syncTerritoryShapes` did. */
export interface ShapeSyncResult {
  added: number;
  replaced: number;
  removed: number;
  unchanged: number;
}

export class DrawingAdapter implements DrawingPort {
  private readonly map: atlas.Map;
  private readonly options: DrawingAdapterOptions;
  private readonly manager: drawing.drawing.DrawingManager;
  private tool: DrawTool = "idle";
  /** Tool in effect when the current drawing started (the drawing tools report only the geometry). */
  private drawingTool: DrawTool = "idle";
  private disposed = false;
  /** Ids of the shapes `syncTerritoryShapes` has been told about (only those are removed when they disappear). */
  private readonly synced = new Set<string>();
  /** Per shape id, signatures reported through onShape since the last sync (edits the plan may not show yet). */
  private readonly reported = new Map<string, string[]>();
  /** Per shape id erased with the erase tool, its signature then (the plan may still hold it for a moment). */
  private readonly erased = new Map<string, string>();
  private readonly handlers: { event: string; fn: (e: atlas.Shape | Mode) => void }[] = [];
  private readonly onKey = (ev: KeyboardEvent): void => {
    if (ev.key === "Escape" && this.tool !== "idle") this.setTool("idle");
  };

  public constructor(options: DrawingAdapterOptions) {
    this.options = options;
    this.map = options.map;
    this.manager = new drawing.drawing.DrawingManager(this.map, {
      mode: "idle" as Mode,
      interactionType: "hybrid" as drawing.drawing.DrawingInteractionType,
      freehandInterval: 3,
      shapeDraggingEnabled: true,
      shapeRotationEnabled: false,
    });
    const color = options.color ?? "#0f6cbd";
    const layers = this.manager.getLayers();
    layers.polygonLayer?.setOptions({ fillColor: color, fillOpacity: 0.12 });
    layers.polygonOutlineLayer?.setOptions({ strokeColor: color, strokeWidth: 2 });
    this.on("drawingstarted", () => {
      this.drawingTool = this.tool;
    });
    this.on("drawingcomplete", (s) => this.complete(s as atlas.Shape));
    this.on("drawingchanged", (s) => {
      const shape = s as atlas.Shape;
      if (this.tool !== "edit" || this.isSelection(shape)) return;
      const drawn = shapeToDrawn(shape, null);
      if (!drawn) return;
      this.noteReported(drawn);
      this.options.onShape(drawn, "changed");
    });
    this.on("drawingerased", (s) => {
      const shape = s as atlas.Shape;
      const id = String(shape.getId());
      const drawn = shapeToDrawn(shape, null);
      if (drawn) this.erased.set(id, shapeSignature(drawn));
      this.options.onErase?.(id);
    });
    this.on("drawingmodechanged", (m) => {
      // The tools return to idle by themselves (e.g. after erasing the last shape).
      if ((m as string) === "idle" && this.tool !== "idle") {
        this.tool = "idle";
        this.options.onToolChange?.("idle");
      }
    });
    this.map.getMapContainer().addEventListener("keydown", this.onKey);
    // Pin popups while a tool is active (a lasso closed on a pin fires the map's "click") are the map adapter's
    // business: the design tools call MapAdapter.setPinClicksEnabled(tool === "idle").
  }

  private on(event: string, fn: (e: atlas.Shape | Mode) => void): void {
    (this.map.events.add as (type: string, target: unknown, cb: (e: atlas.Shape | Mode) => void) => void)(event, this.manager, fn);
    this.handlers.push({ event, fn });
  }

  private isSelection(shape: atlas.Shape): boolean {
    return Boolean((shape.getProperties() as Record<string, unknown>)[SELECTION_PROPERTY]);
  }

  private noteReported(drawn: DrawnShape): void {
    const list = this.reported.get(drawn.id) ?? [];
    list.push(shapeSignature(drawn));
    if (list.length > 32) list.shift();
    this.reported.set(drawn.id, list);
  }

  private complete(shape: atlas.Shape): void {
    const tool = this.drawingTool !== "idle" ? this.drawingTool : this.tool;
    const selection = tool === "lasso" || tool === "box";
    const drawn = shapeToDrawn(shape, selection ? (tool as DrawnShapeKind) : null);
    if (selection) {
      // Selection shapes are transient: gone from the map as soon as they are reported.
      this.manager.getSource().remove(shape);
    }
    this.drawingTool = "idle";
    if (!drawn) return;
    if (!selection) this.noteReported(drawn);
    this.options.onShape(drawn, "complete");
    // Stay in the tool so the manager can draw the next shape (the drawing tools keep the mode).
  }

  /** Switches the active tool (idle = pan and click as usual). */
  public setTool(tool: DrawTool): void {
    if (this.disposed) return;
    const { mode, interaction } = toolMode(tool);
    this.tool = tool;
    this.manager.setOptions({ mode: mode as Mode, interactionType: interaction as drawing.drawing.DrawingInteractionType });
    this.options.onToolChange?.(tool);
  }

  public getTool(): DrawTool {
    return this.tool;
  }

  /** Shows a territory shape (e.g. restored from a draft, or created from the keyboard path) so it can be edited. */
  public addShape(shape: DrawnShape): void {
    const source = this.manager.getSource();
    const existing = source.getShapeById(shape.id);
    if (existing) source.remove(existing);
    if (shape.kind === "circle" && shape.center && shape.radiusM !== undefined) {
      source.add(new atlas.Shape(new atlas.data.Point(shape.center), shape.id, { subType: "Circle", radius: shape.radiusM }));
    } else if (shape.geometry.type === "Polygon") {
      const props = shape.kind === "rectangle" ? { subType: "Rectangle" } : {};
      source.add(new atlas.Shape(new atlas.data.Polygon(shape.geometry.coordinates), shape.id, props));
    } else {
      source.add(new atlas.Shape(new atlas.data.MultiPolygon(shape.geometry.coordinates), shape.id));
    }
  }

  /**
   * Makes the map's territory shapes those of the plan: `shapes` are the plan's drawn territory shapes (ids from
   * `shapeIdOfTerritory`, see domain/design `territoryShapes`). Idempotent — re-applying the same plan changes
   * nothing. A shape that is on the map but not in `shapes` is removed when an earlier sync listed it (a shape
   * drawn a moment ago, whose territory the plan does not have yet, is left alone). A shape whose
   * newer edit was just reported is not put back to the older geometry the plan still holds. No onShape / onErase.
   */
  public syncTerritoryShapes(shapes: readonly DrawnShape[]): ShapeSyncResult {
    const result: ShapeSyncResult = { added: 0, replaced: 0, removed: 0, unchanged: 0 };
    if (this.disposed) return result;
    const source = this.manager.getSource();
    const wanted = new Set(shapes.map((s) => s.id));
    for (const id of [...this.synced]) {
      if (wanted.has(id)) continue;
      const shape = source.getShapeById(id);
      if (shape) {
        source.remove(shape);
        result.removed++;
      }
      this.synced.delete(id);
      this.reported.delete(id);
      this.erased.delete(id);
    }
    for (const s of shapes) {
      const sig = shapeSignature(s);
      this.synced.add(s.id);
      const current = source.getShapeById(s.id);
      if (!current) {
        // Erased a moment ago and the plan has not dropped its geometry yet: do not bring it back.
        if (this.erased.get(s.id) === sig) {
          result.unchanged++;
          continue;
        }
        this.erased.delete(s.id);
        this.reported.delete(s.id);
        this.addShape(s);
        result.added++;
        continue;
      }
      this.erased.delete(s.id);
      const shown = shapeToDrawn(current, null);
      if (shown && shapeSignature(shown) === sig) {
        this.reported.delete(s.id);
        result.unchanged++;
        continue;
      }
      const pending = this.reported.get(s.id);
      const at = pending ? pending.indexOf(sig) : -1;
      if (pending && at >= 0 && at < pending.length - 1) {
        // The plan holds an edit reported earlier; a newer one is on its way.
        pending.splice(0, at + 1);
        result.unchanged++;
        continue;
      }
      this.reported.delete(s.id);
      this.addShape(s);
      result.replaced++;
    }
    return result;
  }

  /** The territory shapes on the map, as GeoJSON. */
  public shapes(): DrawnShape[] {
    return this.manager
      .getSource()
      .getShapes()
      .filter((s) => !this.isSelection(s))
      .map((s) => shapeToDrawn(s, null))
      .filter((s): s is DrawnShape => s !== null);
  }

  /** Removes one shape (reported through onErase). */
  public remove(id: string): void {
    const source = this.manager.getSource();
    const shape = source.getShapeById(id);
    if (!shape) return;
    source.remove(shape);
    this.reported.delete(id);
    this.options.onErase?.(id);
  }

  /** Removes every shape (no onErase per shape). */
  public clear(): void {
    this.manager.getSource().clear();
    this.reported.clear();
    this.erased.clear();
  }

  public dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of this.handlers) this.map.events.remove(h.event, this.manager as never, h.fn as never);
    this.map.getMapContainer().removeEventListener("keydown", this.onKey);
    this.manager.dispose();
  }
}
