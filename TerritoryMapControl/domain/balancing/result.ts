/** Builds a BalanceResult (totals, deviations, objective, moved, feasibility) from an assignment. */
import { slack, type Model } from "./model";
import type { BalanceResult, InfeasibilityReason } from "./types";

export interface PlanEval {
  distanceCost: number;
  moved: number;
  totals: Float64Array;
  violations: InfeasibilityReason[];
}

export function evaluatePlan(model: Model, assign: Int32Array, centers: Int32Array | null): PlanEval {
  const { n, k, M, w, x, y, dist, fixed, cx, cy } = model;
  const totals = new Float64Array(k * M);
  let distanceCost = 0;
  let moved = 0;
  for (let i = 0; i < n; i++) {
    const t = assign[i];
    for (let m = 0; m < M; m++) totals[t * M + m] += w[i * M + m];
    if (fixed) distanceCost += dist(x[i], y[i], cx[t], cy[t]);
    else {
      const c = centers![t];
      distanceCost += dist(x[i], y[i], x[c], y[c]);
    }
    if (model.current && model.current[i] >= 0 && model.current[i] !== t) moved++;
  }
  const violations: InfeasibilityReason[] = [];
  for (let t = 0; t < k; t++) {
    for (let m = 0; m < M; m++) {
      const v = totals[t * M + m];
      let ub = model.ub[t * M + m];
      if (!fixed && model.pointCap) ub = Math.min(ub, model.pointCap[centers![t] * M + m]);
      const lb = model.lb[t * M + m];
      if (v > ub + slack(ub)) {
        violations.push({
          code: "not-met",
          territory: t,
          measure: model.measures[m],
          message: `Territory ${t}: ${model.measures[m]} total ${round(v)} is above its upper limit ${round(ub)}`,
        });
      }
      if (v < lb - slack(lb)) {
        violations.push({
          code: "not-met",
          territory: t,
          measure: model.measures[m],
          message: `Territory ${t}: ${model.measures[m]} total ${round(v)} is below its lower limit ${round(lb)}`,
        });
      }
    }
  }
  if (model.lock) {
    for (let i = 0; i < n; i++) {
      if (model.lock[i] >= 0 && assign[i] !== model.lock[i]) {
        violations.push({
          code: "not-met",
          point: model.ids[i],
          message: `Account "${model.ids[i]}" is locked to territory ${model.lock[i]} but was assigned to ${assign[i]}`,
        });
      }
    }
  }
  if (!fixed) {
    for (let t = 0; t < k; t++) {
      if (assign[centers![t]] !== t)
        violations.push({ code: "not-met", territory: t, message: `Territory ${t}: its centre point is not in the territory` });
    }
  }
  if (model.contiguous && model.adj) {
    const comp = componentsPerTerritory(model, assign);
    for (let t = 0; t < k; t++) {
      if (comp[t] > 1)
        violations.push({ code: "not-met", territory: t, message: `Territory ${t} is split into ${comp[t]} disconnected parts` });
      if (comp[t] === 0) violations.push({ code: "not-met", territory: t, message: `Territory ${t} is empty` });
    }
  }
  return { distanceCost, moved, totals, violations };
}

export function componentsPerTerritory(model: Model, assign: Int32Array): Int32Array {
  const { n, k, adj } = model;
  const comp = new Int32Array(k);
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const t = assign[s];
    comp[t]++;
    let sp = 0;
    stack[sp++] = s;
    seen[s] = 1;
    while (sp) {
      const v = stack[--sp];
      for (let e = adj!.start[v]; e < adj!.start[v + 1]; e++) {
        const u = adj!.list[e];
        if (!seen[u] && assign[u] === t) {
          seen[u] = 1;
          stack[sp++] = u;
        }
      }
    }
  }
  return comp;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

export function buildResult(
  model: Model,
  assign: Int32Array,
  centers: Int32Array | null,
  lowerBound: number | null,
  startMs: number,
  diagnostics: InfeasibilityReason[],
  cancelled: boolean,
  prices?: Float64Array,
): BalanceResult {
  const ev = evaluatePlan(model, assign, centers);
  const { k, M } = model;
  const totals: number[][] = [];
  for (let t = 0; t < k; t++) totals.push(Array.from(ev.totals.subarray(t * M, t * M + M)));
  const maxDeviation: number[] = [];
  for (let m = 0; m < M; m++) {
    const mean = model.total[m] / k;
    let dev = 0;
    for (let t = 0; t < k; t++) dev = Math.max(dev, mean > 0 ? Math.abs(ev.totals[t * M + m] - mean) / mean : 0);
    maxDeviation.push(dev);
  }
  const feasible = ev.violations.length === 0;
  const moveCostTotal = model.moveCost * ev.moved;
  const infeasibility = feasible ? [] : [...diagnostics, ...ev.violations];
  return {
    format: "territory-result/1",
    instance: model.name,
    assignment: Array.from(assign),
    centers: model.fixed ? null : Array.from(centers!),
    objective: ev.distanceCost + moveCostTotal,
    distanceCost: ev.distanceCost,
    moveCostTotal,
    moved: ev.moved,
    lowerBound,
    timeMs: Math.round(nowMs() - startMs),
    totals,
    maxDeviation,
    feasible,
    status: cancelled ? "cancelled" : feasible ? "feasible" : "infeasible",
    infeasibility,
    ...(prices ? { prices: Array.from(prices) } : {}),
  };
}

export function nowMs(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
