/**
 * An in-memory map port for tests of the planning layer and the views (jsdom has no WebGL): it "draws" at once and
 * records what it was asked to do. With `designParts: true` it also offers recording design parts, and
 * `draw(shape)` plays a shape drawn by the manager.
 */
import type { Account } from "../../domain/accounts";
import type { DrawnShape } from "../../domain/design/shapes";
import type {
  ClustersPort,
  DesignEvents,
  DesignMapParts,
  DrawTool,
  HeatMapPort,
  MapOptions,
  MapPort,
  OutlinesPort,
  PickedPoint,
  PinDescriber,
  PlanColoring,
  ShapePhase,
  TerritoryShapeFeature,
} from "../../app/ports/map";

export interface FakeMapOptions {
  /** Offer design parts (drawing tools and layers); default false, like a map that never became ready. */
  designParts?: boolean;
}

/** A heat-map or cluster layer that records how many points it holds and whether it is shown. */
function recordingLayer<T extends object>(extra: T): T & { visible: boolean; points: number } & HeatMapPort {
  const layer = {
    ...extra,
    visible: false,
    points: 0,
    setData: (lon: ArrayLike<number>) => {
      layer.points = lon.length;
    },
    setVisible: (visible: boolean) => {
      layer.visible = visible;
    },
  };
  return layer;
}

/** What the fake design parts were asked to show. */
export class FakeDesignParts implements DesignMapParts {
  public tool: DrawTool = "idle";
  public removed: string[] = [];
  public territoryShapes: readonly DrawnShape[] = [];
  public outlines: OutlinesPort & { territories: readonly TerritoryShapeFeature[]; overlaps: number; visible: boolean };
  public heatLayer: (HeatMapPort & { visible: boolean; points: number }) | null = null;
  public clusterLayer: (ClustersPort & { visible: boolean; points: number }) | null = null;
  public disposed = false;
  public readonly heatGradient = [
    { stop: 0, color: "rgba(0,0,0,0)" },
    { stop: 1, color: "#d13438" },
  ];
  public readonly drawing = {
    setTool: (tool: DrawTool) => {
      this.tool = tool;
    },
    remove: (id: string) => {
      this.removed.push(id);
    },
    syncTerritoryShapes: (shapes: readonly DrawnShape[]) => {
      this.territoryShapes = shapes;
    },
  };

  public constructor() {
    const outlines = {
      territories: [] as readonly TerritoryShapeFeature[],
      overlaps: 0,
      visible: false,
      setTerritories: (shapes: readonly TerritoryShapeFeature[]) => {
        outlines.territories = shapes;
      },
      setOverlaps: (areas: readonly unknown[]) => (outlines.overlaps = areas.filter(Boolean).length),
      setVisible: (visible: boolean) => {
        outlines.visible = visible;
      },
    };
    this.outlines = outlines;
  }

  public heat(): HeatMapPort {
    return (this.heatLayer ??= recordingLayer({}));
  }

  public clusters(): ClustersPort {
    return (this.clusterLayer ??= recordingLayer({ maxZoom: 6 }));
  }

  public dispose(): void {
    this.disposed = true;
  }
}

export class FakeMap implements MapPort {
  /** Every page handed over, with only its placed accounts. */
  public readonly added: Account[][] = [];
  /** Every applyPlan call: the account ids that changed (null = all) and the colours. */
  public readonly applied: { changed: string[] | null; colors: readonly string[] }[] = [];
  public coloring: PlanColoring | null = null;
  public highlighted: string[] | null = null;
  public pinClicks = true;
  public pinsMinZoom = 0;
  public disposed = false;
  public parts: FakeDesignParts | null = null;
  public events: DesignEvents | null = null;
  /** The answer of the next pickPoint (null = cancelled). */
  public nextPick: PickedPoint = null;
  public picks = 0;

  public constructor(
    public readonly options: Partial<MapOptions> = {},
    private readonly fake: FakeMapOptions = {},
  ) {}

  public addAccounts(accounts: readonly Account[]): number {
    const placed = accounts.filter((a) => a.placement === "placed");
    this.added.push(placed);
    return placed.length;
  }

  public whenRendered(): Promise<void> {
    return Promise.resolve();
  }

  public whenIdle(): Promise<void> {
    return Promise.resolve();
  }

  public applyPlan(coloring: PlanColoring, changedIds: Iterable<string> | null): Promise<void> {
    this.coloring = coloring;
    this.applied.push({ changed: changedIds ? [...changedIds] : null, colors: coloring.colors });
    return Promise.resolve();
  }

  public setHighlight(accountIds: Iterable<string> | null): number {
    this.highlighted = accountIds ? [...accountIds] : null;
    return this.highlighted?.length ?? 0;
  }

  public createDesignParts(events: DesignEvents): Promise<DesignMapParts | null> {
    if (!this.fake.designParts || this.disposed) return Promise.resolve(null);
    this.events = events;
    this.parts = new FakeDesignParts();
    return Promise.resolve(this.parts);
  }

  /** Plays a shape the manager drew (or edited) with the drawing tools. */
  public draw(shape: DrawnShape, phase: ShapePhase = "complete"): void {
    this.events?.onShape(shape, phase);
  }

  public setPinsMinZoom(minZoom: number): void {
    this.pinsMinZoom = minZoom;
  }

  public setPinClicksEnabled(enabled: boolean): void {
    this.pinClicks = enabled;
  }

  /** What a popup would say about an account (the planning layer's describer), once set. */
  public describePin: PinDescriber | null = null;

  public setPinDescriber(describe: PinDescriber): void {
    this.describePin = describe;
  }

  public pickPoint(): Promise<PickedPoint> {
    this.picks++;
    return Promise.resolve(this.nextPick);
  }

  /** Every box the camera was asked to show, in order. */
  public readonly zooms: (readonly [number, number, number, number])[] = [];
  public zoomTo(bounds: readonly [number, number, number, number]): void {
    this.zooms.push(bounds);
  }

  public resize(): void {}

  public dispose(): void {
    this.disposed = true;
  }
}
