/**
 * Territory colours shared by the map (data-driven bubble colour) and the legend.
 *
 * Every territory id gets a stable small integer the first time it is seen (territories loaded up front are
 * registered in name order, so colours do not depend on the order pages arrive). The map stores
 * `t = index % PALETTE.length` on each point (-1 = unassigned) and maps it to a colour with one short
 * expression, so the expression never changes while pages load.
 */

/** 20 distinguishable colours (Tableau 20 order, strong tones first). */
export const PALETTE: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#bcbd22",
  "#393b79",
  "#aec7e8",
  "#ffbb78",
  "#98df8a",
  "#ff9896",
  "#c5b0d5",
  "#c49c94",
  "#f7b6d2",
  "#9edae5",
  "#dbdb8d",
  "#637939",
];

/** Colour of accounts without a territory. */
export const UNASSIGNED_COLOR = "#8a8a8a";

export class TerritoryColors {
  private readonly indexes = new Map<string, number>();

  /** Registers ids (e.g. all territories sorted by name) so that they get the first indexes. */
  public register(ids: Iterable<string>): void {
    for (const id of ids) this.indexOf(id);
  }

  /** Stable index of a territory id; -1 for null (unassigned). */
  public indexOf(territoryId: string | null): number {
    if (territoryId === null) return -1;
    let i = this.indexes.get(territoryId);
    if (i === undefined) {
      i = this.indexes.size;
      this.indexes.set(territoryId, i);
    }
    return i;
  }

  /** Palette slot stored on map points: 0..PALETTE.length-1, or -1 when unassigned. */
  public slotOf(territoryId: string | null): number {
    const i = this.indexOf(territoryId);
    return i < 0 ? -1 : i % PALETTE.length;
  }

  public colorOf(territoryId: string | null): string {
    const slot = this.slotOf(territoryId);
    return slot < 0 ? UNASSIGNED_COLOR : PALETTE[slot];
  }
}
