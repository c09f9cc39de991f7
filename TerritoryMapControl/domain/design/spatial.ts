/**
 * Spatial index for selecting accounts by shape: a uniform grid over (longitude, Web Mercator y) stored as
 * flat typed arrays (CSR: `cellStart` + account indexes sorted by cell, with their coordinates alongside), so
 * that a lasso over 10,000 of 100,000 accounts touches only the cells under the shape.
 *
 * Polygon selection (lasso, drawn polygon, rectangle as polygon, MultiPolygon) uses the even-odd rule per
 * polygon (holes and self-intersecting lassos behave as the map fills them); parts of a MultiPolygon are
 * united. Cells that no polygon edge passes through are decided by one test of their centre; only cells on
 * the outline test each account. The point-in-polygon test only looks at the edges that cross the account's
 * grid row, so long freehand lassos stay cheap.
 *
 * Circles are geodesic: an account is inside when its great-circle distance to the centre is ≤ the radius.
 */
import type { MultiPolygon, Polygon, Position } from "geojson";
import type { AccountTable } from "../accountTable";
import { circleBBox, haversineMetres, mercatorY, type BBox } from "./geo";

/** Target accounts per grid cell (a few; the grid then has ~n/4 cells). */
const PER_CELL = 4;
const MAX_CELLS = 1 << 20;

export class SpatialIndex {
  /** Number of accounts with coordinates (the others are never selected by a shape). */
  public readonly placed: number;
  /** Number of accounts indexed (placed or not); selections hold indexes below this. */
  public readonly size: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly cols: number;
  private readonly rows: number;
  /** cellStart[c] .. cellStart[c+1] are the slots of cell c (row-major). */
  private readonly cellStart: Int32Array;
  /** Account index of each slot. */
  private readonly items: Int32Array;
  /** Longitude and Mercator y of each slot. */
  private readonly sx: Float64Array;
  private readonly sy: Float64Array;
  /** Latitude of each slot (circle tests). */
  private readonly slat: Float64Array;

  public constructor(lon: Float64Array, lat: Float64Array) {
    const n = lon.length;
    let placed = 0;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    const my = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = lon[i];
      const la = lat[i];
      if (!Number.isFinite(x) || !Number.isFinite(la)) {
        my[i] = Number.NaN;
        continue;
      }
      const y = mercatorY(la);
      my[i] = y;
      placed++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    this.placed = placed;
    this.size = n;
    if (placed === 0) {
      minX = 0;
      maxX = 1;
      minY = 0;
      maxY = 1;
    }
    const w = Math.max(maxX - minX, 1e-9);
    const h = Math.max(maxY - minY, 1e-9);
    const cells = Math.max(1, Math.min(MAX_CELLS, Math.ceil(placed / PER_CELL)));
    // Square-ish cells in (degrees, Mercator y · 180/π) so a lasso's outline crosses few of them.
    const hd = (h * 180) / Math.PI;
    let cols = Math.max(1, Math.round(Math.sqrt((cells * w) / hd)));
    let rows = Math.max(1, Math.round(cells / cols));
    cols = Math.min(cols, 4096);
    rows = Math.min(rows, 4096);
    this.minX = minX;
    this.minY = minY;
    this.cols = cols;
    this.rows = rows;
    // A hair wider than the data so the maximum falls in the last cell.
    this.cellW = (w * (1 + 1e-9)) / cols;
    this.cellH = (h * (1 + 1e-9)) / rows;

    const cellOf = new Int32Array(n);
    const counts = new Int32Array(cols * rows + 1);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(my[i])) {
        cellOf[i] = -1;
        continue;
      }
      const c = this.colOf(lon[i]) + this.rowOf(my[i]) * cols;
      cellOf[i] = c;
      counts[c + 1]++;
    }
    for (let c = 0; c < cols * rows; c++) counts[c + 1] += counts[c];
    this.cellStart = counts.slice();
    const fill = counts;
    this.items = new Int32Array(placed);
    this.sx = new Float64Array(placed);
    this.sy = new Float64Array(placed);
    this.slat = new Float64Array(placed);
    for (let i = 0; i < n; i++) {
      const c = cellOf[i];
      if (c < 0) continue;
      const s = fill[c]++;
      this.items[s] = i;
      this.sx[s] = lon[i];
      this.sy[s] = my[i];
      this.slat[s] = lat[i];
    }
  }

  /** Builds the index of a table's accounts. */
  public static of(table: Pick<AccountTable, "lon" | "lat">): SpatialIndex {
    return new SpatialIndex(table.lon, table.lat);
  }

  private colOf(x: number): number {
    const c = Math.floor((x - this.minX) / this.cellW);
    return c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c;
  }

  private rowOf(y: number): number {
    const r = Math.floor((y - this.minY) / this.cellH);
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r;
  }

  /** Accounts inside a lon/lat box [west, south, east, north] (edges included). */
  public inBox(box: BBox): Int32Array {
    const [west, south, east, north] = box;
    if (!(west <= east && south <= north) || this.placed === 0) return new Int32Array(0);
    const y0 = mercatorY(south);
    const y1 = mercatorY(north);
    const out = new Int32Array(this.placed);
    let k = 0;
    const c0 = this.colOf(west);
    const c1 = this.colOf(east);
    const r0 = this.rowOf(y0);
    const r1 = this.rowOf(y1);
    for (let r = r0; r <= r1; r++) {
      const cy0 = this.minY + r * this.cellH;
      const rowInside = cy0 >= y0 && cy0 + this.cellH <= y1;
      for (let c = c0; c <= c1; c++) {
        const cx0 = this.minX + c * this.cellW;
        const inside = rowInside && cx0 >= west && cx0 + this.cellW <= east;
        const cell = r * this.cols + c;
        const end = this.cellStart[cell + 1];
        if (inside) {
          for (let s = this.cellStart[cell]; s < end; s++) out[k++] = this.items[s];
        } else {
          for (let s = this.cellStart[cell]; s < end; s++) {
            const x = this.sx[s];
            const y = this.sy[s];
            if (x >= west && x <= east && y >= y0 && y <= y1) out[k++] = this.items[s];
          }
        }
      }
    }
    return out.slice(0, k);
  }

  /** Accounts within `radiusM` metres (great-circle) of (lon, lat). */
  public inCircle(lon: number, lat: number, radiusM: number): Int32Array {
    if (!(radiusM >= 0) || !Number.isFinite(lon) || !Number.isFinite(lat) || this.placed === 0) return new Int32Array(0);
    const [west, south, east, north] = circleBBox(lon, lat, radiusM);
    const y0 = mercatorY(south);
    const y1 = mercatorY(north);
    const out = new Int32Array(this.placed);
    let k = 0;
    const c0 = this.colOf(west);
    const c1 = this.colOf(east);
    for (let r = this.rowOf(y0); r <= this.rowOf(y1); r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        const end = this.cellStart[cell + 1];
        for (let s = this.cellStart[cell]; s < end; s++) {
          if (haversineMetres(lon, lat, this.sx[s], this.slat[s]) <= radiusM) out[k++] = this.items[s];
        }
      }
    }
    return out.slice(0, k);
  }

  /** Accounts inside a GeoJSON Polygon or MultiPolygon (lon/lat positions; rings closed or not). */
  public inPolygon(geometry: Polygon | MultiPolygon): Int32Array {
    if (this.placed === 0) return new Int32Array(0);
    if (geometry.type === "Polygon") return this.inRings(geometry.coordinates);
    const parts = geometry.coordinates.map((rings) => this.inRings(rings));
    if (parts.length === 1) return parts[0];
    const seen = new Uint8Array(this.size);
    const out: number[] = [];
    for (const part of parts) {
      for (let k = 0; k < part.length; k++) {
        const i = part[k];
        if (!seen[i]) {
          seen[i] = 1;
          out.push(i);
        }
      }
    }
    return Int32Array.from(out);
  }

  /** Even-odd selection inside one polygon's rings. */
  private inRings(rings: Position[][]): Int32Array {
    // Edges in (lon, Mercator y).
    const ex0: number[] = [];
    const ey0: number[] = [];
    const ex1: number[] = [];
    const ey1: number[] = [];
    let bx0 = Infinity;
    let bx1 = -Infinity;
    let by0 = Infinity;
    let by1 = -Infinity;
    for (const ring of rings) {
      const m = ring.length;
      if (m < 3) continue;
      for (let v = 0; v < m; v++) {
        const a = ring[v];
        const b = ring[(v + 1) % m];
        const ax = a[0];
        const bxv = b[0];
        const ay = mercatorY(a[1]);
        const byv = mercatorY(b[1]);
        if (!Number.isFinite(ax + ay + bxv + byv)) throw new Error("Polygon has a position that is not a number");
        if (ax === bxv && ay === byv) continue;
        ex0.push(ax);
        ey0.push(ay);
        ex1.push(bxv);
        ey1.push(byv);
        bx0 = Math.min(bx0, ax);
        bx1 = Math.max(bx1, ax);
        by0 = Math.min(by0, ay);
        by1 = Math.max(by1, ay);
      }
    }
    const E = ex0.length;
    if (E < 3) return new Int32Array(0);
    const c0 = this.colOf(bx0);
    const c1 = this.colOf(bx1);
    const r0 = this.rowOf(by0);
    const r1 = this.rowOf(by1);
    const nr = r1 - r0 + 1;
    const nc = c1 - c0 + 1;

    // Edges per grid row (CSR): an edge can change the parity of a point only in the rows its y-range spans.
    const rowCount = new Int32Array(nr + 1);
    const er0 = new Int32Array(E);
    const er1 = new Int32Array(E);
    for (let e = 0; e < E; e++) {
      const lo = Math.min(ey0[e], ey1[e]);
      const hi = Math.max(ey0[e], ey1[e]);
      er0[e] = this.rowOf(lo) - r0;
      er1[e] = this.rowOf(hi) - r0;
      for (let r = er0[e]; r <= er1[e]; r++) rowCount[r + 1]++;
    }
    for (let r = 0; r < nr; r++) rowCount[r + 1] += rowCount[r];
    const rowEdges = new Int32Array(rowCount[nr]);
    const rowFill = rowCount.slice();
    for (let e = 0; e < E; e++) for (let r = er0[e]; r <= er1[e]; r++) rowEdges[rowFill[r]++] = e;

    // Cells an edge passes through: decided per account; the others by their centre.
    const boundary = new Uint8Array(nr * nc);
    for (let e = 0; e < E; e++) {
      const xa = ex0[e];
      const ya = ey0[e];
      const xb = ex1[e];
      const yb = ey1[e];
      for (let r = er0[e]; r <= er1[e]; r++) {
        const rowY0 = this.minY + (r + r0) * this.cellH;
        const rowY1 = rowY0 + this.cellH;
        let lo = xa;
        let hi = xb;
        if (ya !== yb) {
          const t0 = (Math.max(Math.min(ya, yb), rowY0) - ya) / (yb - ya);
          const t1 = (Math.min(Math.max(ya, yb), rowY1) - ya) / (yb - ya);
          lo = xa + Math.max(0, Math.min(1, t0)) * (xb - xa);
          hi = xa + Math.max(0, Math.min(1, t1)) * (xb - xa);
        }
        const ca = this.colOf(Math.min(lo, hi)) - c0;
        const cb = this.colOf(Math.max(lo, hi)) - c0;
        const base = r * nc;
        for (let c = Math.max(0, ca); c <= Math.min(nc - 1, cb); c++) boundary[base + c] = 1;
        // Guard against rounding at cell borders: also mark the neighbours of the end cells.
        if (ca > 0) boundary[base + ca - 1] = 1;
        if (cb < nc - 1) boundary[base + cb + 1] = 1;
      }
    }

    const inside = (px: number, py: number, r: number): boolean => {
      let odd = false;
      for (let q = rowCount[r], end = rowCount[r + 1]; q < end; q++) {
        const e = rowEdges[q];
        const ya = ey0[e];
        const yb = ey1[e];
        if (ya > py !== yb > py) {
          const xa = ex0[e];
          if (px < xa + ((py - ya) * (ex1[e] - xa)) / (yb - ya)) odd = !odd;
        }
      }
      return odd;
    };

    const out = new Int32Array(this.placed);
    let k = 0;
    for (let r = 0; r < nr; r++) {
      const gr = r + r0;
      const cy = this.minY + (gr + 0.5) * this.cellH;
      for (let c = 0; c < nc; c++) {
        const cell = gr * this.cols + c + c0;
        const start = this.cellStart[cell];
        const end = this.cellStart[cell + 1];
        if (start === end) continue;
        if (boundary[r * nc + c]) {
          for (let s = start; s < end; s++) if (inside(this.sx[s], this.sy[s], r)) out[k++] = this.items[s];
        } else if (inside(this.minX + (c + c0 + 0.5) * this.cellW, cy, r)) {
          for (let s = start; s < end; s++) out[k++] = this.items[s];
        }
      }
    }
    return out.slice(0, k);
  }
}
