/**
 * Independent validator: recomputes every figure of a plan from the instance and the assignment alone
 * (objective, totals, deviations, capacities, balance, centres, locks, contiguity). Deliberately shares
 * no code with the solver, so the benchmark reports what the validator says, not what the solver claims.
 */
import type { TerritoryProblem } from "./types";
import { delaunayEdges } from "./delaunay";

export interface ValidationReport {
  valid: boolean;
  errors: string[];
  objective: number;
  distanceCost: number;
  moved: number;
  totals: number[][];
  /** Per measure: max |total − mean| / mean. */
  maxDeviation: number[];
}

function dist(kind: string, x1: number, y1: number, x2: number, y2: number): number {
  if (kind === "haversine-km") {
    const r = Math.PI / 180;
    const h = Math.sin(((y2 - y1) * r) / 2) ** 2 + Math.cos(y1 * r) * Math.cos(y2 * r) * Math.sin(((x2 - x1) * r) / 2) ** 2;
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  const e = Math.hypot(x1 - x2, y1 - y2);
  return kind === "euclidean-floor" ? Math.floor(e) : e;
}

export function validateResult(inst: TerritoryProblem, res: { assignment: number[]; centers?: number[] | null }): ValidationReport {
  const errors: string[] = [];
  const n = inst.points.length;
  const k = inst.territories;
  const M = inst.measures.length;
  const a = res.assignment;
  const report = (
    objective = NaN,
    distanceCost = NaN,
    moved = 0,
    totals: number[][] = [],
    maxDeviation: number[] = [],
  ): ValidationReport => ({
    valid: errors.length === 0,
    errors,
    objective,
    distanceCost,
    moved,
    totals,
    maxDeviation,
  });
  if (!Array.isArray(a) || a.length !== n) {
    errors.push(`assignment must have ${n} entries`);
    return report();
  }
  for (let i = 0; i < n; i++)
    if (!Number.isInteger(a[i]) || a[i] < 0 || a[i] >= k) errors.push(`point ${i} has no valid territory (${String(a[i])})`);
  if (errors.length) return report();
  const cxs: number[] = [];
  const cys: number[] = [];
  if (inst.centers === "points") {
    const c = res.centers;
    if (!Array.isArray(c) || c.length !== k) {
      errors.push(`centers must list ${k} point indexes`);
      return report();
    }
    for (let t = 0; t < k; t++) {
      if (!Number.isInteger(c[t]) || c[t] < 0 || c[t] >= n) {
        errors.push(`centre of territory ${t} is not a point index`);
        return report();
      }
      if (a[c[t]] !== t) errors.push(`centre point ${c[t]} of territory ${t} is not in its own territory`);
      cxs.push(inst.points[c[t]].x);
      cys.push(inst.points[c[t]].y);
    }
  } else {
    for (const f of inst.fixedCenters ?? []) {
      cxs.push(f.x);
      cys.push(f.y);
    }
  }
  let distanceCost = 0;
  let moved = 0;
  const totals: number[][] = Array.from({ length: k }, () => new Array<number>(M).fill(0));
  for (let i = 0; i < n; i++) {
    const p = inst.points[i];
    const t = a[i];
    distanceCost += dist(inst.distance, p.x, p.y, cxs[t], cys[t]);
    for (let m = 0; m < M; m++) totals[t][m] += p.w[m];
    if (inst.current && inst.current[i] >= 0 && inst.current[i] !== t) moved++;
    if (p.lock !== undefined && p.lock !== null && p.lock !== t) errors.push(`point ${i} is locked to ${p.lock} but assigned to ${t}`);
  }
  const objective = distanceCost + (inst.moveCost ?? 0) * moved;
  const grand = new Array<number>(M).fill(0);
  for (const p of inst.points) for (let m = 0; m < M; m++) grand[m] += p.w[m];
  const maxDeviation = grand.map((g, m) => {
    const mean = g / k;
    let d = 0;
    for (let t = 0; t < k; t++) d = Math.max(d, mean > 0 ? Math.abs(totals[t][m] - mean) / mean : 0);
    return d;
  });
  const tol = (v: number) => 1e-9 * Math.max(1, Math.abs(v));
  // capacities of centre points
  if (inst.centers === "points" && res.centers) {
    for (let t = 0; t < k; t++) {
      const cap = inst.points[res.centers[t]].cap;
      if (!cap) continue;
      for (let m = 0; m < M; m++) {
        if (cap[m] !== null && cap[m] !== undefined && totals[t][m] > cap[m] + tol(cap[m])) {
          errors.push(`territory ${t}: ${inst.measures[m]} ${totals[t][m]} exceeds the capacity ${cap[m]} of its centre`);
        }
      }
    }
  }
  if (inst.capacities) {
    for (let t = 0; t < k; t++)
      for (let m = 0; m < M; m++) {
        const cap = inst.capacities[t]?.[m];
        if (cap !== null && cap !== undefined && totals[t][m] > cap + tol(cap))
          errors.push(`territory ${t}: ${inst.measures[m]} ${totals[t][m]} exceeds capacity ${cap}`);
      }
  }
  for (const rule of inst.balance ?? []) {
    const m = inst.measures.indexOf(rule.measure);
    const mean = grand[m] / k;
    let lo = -Infinity;
    let hi = Infinity;
    if (rule.tolerance !== undefined && rule.tolerance !== null) {
      lo = (1 - rule.tolerance) * mean;
      hi = (1 + rule.tolerance) * mean;
    }
    if (rule.min !== undefined && rule.min !== null) lo = Math.max(lo, rule.min);
    if (rule.max !== undefined && rule.max !== null) hi = Math.min(hi, rule.max);
    for (let t = 0; t < k; t++) {
      const v = totals[t][m];
      if (v < lo - tol(lo) || v > hi + tol(hi)) errors.push(`territory ${t}: ${rule.measure} ${v} outside [${lo}, ${hi}]`);
    }
  }
  if (inst.contiguous) {
    const nb: number[][] = Array.from({ length: n }, () => []);
    if (inst.edges) {
      for (const [u, v] of inst.edges) {
        nb[u].push(v);
        nb[v].push(u);
      }
    } else {
      // same rule as the engine: without given edges, adjacency is the Delaunay triangulation
      const e = delaunayEdges(
        Float64Array.from(inst.points, (p) => p.x),
        Float64Array.from(inst.points, (p) => p.y),
      );
      for (let q = 0; q < e.length; q += 2) {
        nb[e[q]].push(e[q + 1]);
        nb[e[q + 1]].push(e[q]);
      }
    }
    const seen = new Array<boolean>(n).fill(false);
    const parts = new Array<number>(k).fill(0);
    for (let s = 0; s < n; s++) {
      if (seen[s]) continue;
      parts[a[s]]++;
      const q = [s];
      seen[s] = true;
      while (q.length) {
        const v = q.pop()!;
        for (const u of nb[v])
          if (!seen[u] && a[u] === a[s]) {
            seen[u] = true;
            q.push(u);
          }
      }
    }
    parts.forEach((c, t) => {
      if (c !== 1) errors.push(`territory ${t} has ${c} connected parts`);
    });
  }
  // numbers that are finite one by one can still overflow when added up: such a plan cannot be checked
  if (!Number.isFinite(objective)) errors.push(`the objective is not a finite number (${objective}): distances or the move cost overflow`);
  for (let m = 0; m < M; m++)
    if (!Number.isFinite(grand[m])) errors.push(`the total of ${inst.measures[m]} is not a finite number: its weights overflow`);
  return report(objective, distanceCost, moved, totals, maxDeviation);
}
