/**
 * Deterministic synthetic national account base (seeded PRNG): accounts clustered around ~80 metro
 * areas of the continental US plus a rural background, lognormal revenue, workload hours partly
 * correlated with revenue, and reps' home bases drawn from the account density. Used by the benchmark
 * and tests (100,000 accounts × 50 reps, revenue and workload balanced to ±5 %).
 */
import { Rng } from "./rng";
import type { TerritoryProblem } from "./types";

export interface SyntheticOptions {
  /** Number of accounts. */
  n: number;
  /** Number of reps (territories). */
  k: number;
  /** PRNG seed. */
  seed: number;
  /** Balance tolerance on revenue and workload. */
  tolerance: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { n: 100_000, k: 50, seed: 20240601, tolerance: 0.05 };

export function syntheticNationalBase(o: Partial<SyntheticOptions> = {}): TerritoryProblem {
  const { n, k, seed, tolerance } = { ...DEFAULT_SYNTHETIC, ...o };
  const rng = new Rng(seed);
  const metros: { x: number; y: number; s: number; p: number }[] = [];
  let psum = 0;
  for (let c = 0; c < 80; c++) {
    const p = 1 / Math.pow(c + 1, 0.9);
    metros.push({ x: -123 + rng.next() * 52, y: 26 + rng.next() * 22, s: 0.15 + rng.next() * 0.6, p });
    psum += p;
  }
  const points: TerritoryProblem["points"] = new Array(n);
  for (let i = 0; i < n; i++) {
    let x: number;
    let y: number;
    if (rng.next() < 0.15) {
      x = -124 + rng.next() * 57;
      y = 25 + rng.next() * 24;
    } else {
      let u = rng.next() * psum;
      let c = 0;
      while (c < metros.length - 1 && u > metros[c].p) u -= metros[c++].p;
      const m = metros[c];
      x = m.x + rng.normal() * m.s;
      y = m.y + rng.normal() * m.s * 0.8;
    }
    x = Math.max(-124.5, Math.min(-66.5, x));
    y = Math.max(24.5, Math.min(49.5, y));
    const revenue = Math.round(Math.exp(10 + 0.9 * rng.normal()));
    const workload = Math.round((4 + 0.35 * Math.log(revenue) * (0.5 + rng.next()) + 3 * rng.next()) * 10) / 10;
    points[i] = { id: `A${String(i).padStart(6, "0")}`, x: round6(x), y: round6(y), w: [revenue, workload] };
  }
  // Home bases where the business is: recursive bisection of the accounts into k cells of equal
  // workload (how an organisation that hired reps by business volume looks), base = cell median.
  const hx = new Float64Array(k);
  const hy = new Float64Array(k);
  let next = 0;
  const split = (idx: number[], parts: number) => {
    if (parts === 1) {
      const xs = idx.map((i) => points[i].x).sort((u, v) => u - v);
      const ys = idx.map((i) => points[i].y).sort((u, v) => u - v);
      hx[next] = xs[xs.length >> 1];
      hy[next] = ys[ys.length >> 1];
      next++;
      return;
    }
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity;
    for (const i of idx) {
      x0 = Math.min(x0, points[i].x);
      x1 = Math.max(x1, points[i].x);
      y0 = Math.min(y0, points[i].y);
      y1 = Math.max(y1, points[i].y);
    }
    const byX = (x1 - x0) * 0.8 > y1 - y0;
    idx.sort((u, v) => (byX ? points[u].x - points[v].x : points[u].y - points[v].y));
    const left = Math.floor(parts / 2);
    let tot = 0;
    for (const i of idx) tot += points[i].w[1];
    const target = (tot * left) / parts;
    let acc = 0;
    let cut = 0;
    while (cut < idx.length - 1 && acc + points[idx[cut]].w[1] <= target) acc += points[idx[cut++]].w[1];
    split(idx.slice(0, cut), left);
    split(idx.slice(cut), parts - left);
  };
  split(
    Array.from({ length: n }, (_, i) => i),
    k,
  );
  const fixedCenters: { x: number; y: number; id: string }[] = [];
  for (let t = 0; t < k; t++) {
    fixedCenters.push({
      id: `REP${String(t + 1).padStart(2, "0")}`,
      x: round6(hx[t] + rng.normal() * 0.1),
      y: round6(hy[t] + rng.normal() * 0.1),
    });
  }
  return {
    format: "territory-instance/1",
    name: `synthetic-${n}x${k}`,
    space: "geographic",
    distance: "haversine-km",
    territories: k,
    centers: "fixed",
    fixedCenters,
    measures: ["revenue", "workload"],
    points,
    balance: [
      { measure: "revenue", tolerance },
      { measure: "workload", tolerance },
    ],
    contiguous: false,
    objective: "sum-distance-to-center",
    reference: null,
  };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
