/**
 * Infeasibility diagnostics run before solving: plain-language reasons why the constraints cannot
 * all be met (an account larger than the band, locks that overload a territory, capacity below total
 * demand, empty bands, a graph with more components than territories). The solver still returns the
 * best plan it finds.
 */
import type { Adjacency, Model } from "./model";
import type { InfeasibilityReason } from "./types";

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function diagnose(model: Model): InfeasibilityReason[] {
  const { n, k, M, w, lb, ub, lock, measures, pointCap, fixed } = model;
  const out: InfeasibilityReason[] = [];
  for (let m = 0; m < M; m++) {
    const name = measures[m];
    // effective per-territory upper bounds (for centres among points: the k largest point capacities)
    const ubs: number[] = [];
    for (let t = 0; t < k; t++) ubs.push(ub[t * M + m]);
    if (!fixed && pointCap) {
      const caps: number[] = [];
      for (let i = 0; i < n; i++) caps.push(pointCap[i * M + m]);
      caps.sort((a, b) => b - a);
      for (let t = 0; t < k; t++) ubs[t] = Math.min(ubs[t], caps[t]);
    }
    const maxUb = Math.max(...ubs);
    let sumUb = 0;
    let sumLb = 0;
    for (let t = 0; t < k; t++) {
      sumUb += ubs[t];
      sumLb += Math.max(0, lb[t * M + m]);
      if (lb[t * M + m] > ub[t * M + m] + 1e-9) {
        out.push({
          code: "band-empty",
          territory: t,
          measure: name,
          message: `Territory ${t}: the lower limit of ${name} (${fmt(lb[t * M + m])}) is above its upper limit (${fmt(ub[t * M + m])})`,
        });
      }
    }
    if (sumUb < model.total[m] - 1e-9 * Math.max(1, model.total[m])) {
      out.push({
        code: "capacity-below-demand",
        measure: name,
        message: `Total capacity for ${name} (${fmt(sumUb)}) is below the total demand (${fmt(model.total[m])})`,
      });
    }
    if (sumLb > model.total[m] + 1e-9 * Math.max(1, model.total[m])) {
      out.push({
        code: "band-empty",
        measure: name,
        message: `The lower limits for ${name} add up to ${fmt(sumLb)}, more than the total ${fmt(model.total[m])}`,
      });
    }
    let reported = 0;
    for (let i = 0; i < n && reported < 20; i++) {
      const v = w[i * M + m];
      if (v > maxUb + 1e-9 * Math.max(1, maxUb)) {
        out.push({
          code: "account-exceeds-band",
          point: model.ids[i],
          measure: name,
          message: `Account "${model.ids[i]}" alone has ${name} ${fmt(v)}, more than any territory may hold (${fmt(maxUb)})`,
        });
        reported++;
      }
    }
    const locked = new Float64Array(k);
    for (let i = 0; i < n; i++) if (lock[i] >= 0) locked[lock[i]] += w[i * M + m];
    for (let t = 0; t < k; t++) {
      if (locked[t] > ub[t * M + m] + 1e-9 * Math.max(1, ub[t * M + m])) {
        out.push({
          code: "locks-overload",
          territory: t,
          measure: name,
          message: `Accounts locked to territory ${t} already total ${fmt(locked[t])} of ${name}, above its upper limit ${fmt(ub[t * M + m])}`,
        });
      }
    }
  }
  if (model.contiguous && model.adj) {
    const seen = new Uint8Array(n);
    let comps = 0;
    const stack: number[] = [];
    for (let s = 0; s < n; s++) {
      if (seen[s]) continue;
      comps++;
      seen[s] = 1;
      stack.push(s);
      while (stack.length) {
        const v = stack.pop()!;
        const adjl: Adjacency = model.adj!;
        for (let e: number = adjl.start[v]; e < adjl.start[v + 1]; e++) {
          const u = adjl.list[e];
          if (!seen[u]) {
            seen[u] = 1;
            stack.push(u);
          }
        }
      }
    }
    if (comps > k)
      out.push({
        code: "disconnected-graph",
        message: `The adjacency graph has ${comps} separate parts but only ${k} territories: contiguous territories are impossible`,
      });
  }
  return out;
}
