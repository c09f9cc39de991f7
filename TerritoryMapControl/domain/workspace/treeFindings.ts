/**
 * What a manager should know about the territory tree Dynamics gave us: parents that cannot be used (a cycle, a
 * parent that is not among the territories), a rep who is the rep of several territories, territories without a
 * rep, and regions that hold accounts themselves. The plan stays usable in every case; nothing is dropped.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { treeOf, type WorkingPlan } from "./workspace";

export type TreeFinding =
  | { kind: "cycle" | "missing-parent"; territory: string }
  | { kind: "rep-of-several"; repId: string; territories: string[] }
  | { kind: "no-rep"; territories: string[] }
  | { kind: "held-by-parent"; territory: string; accounts: number };

/**
 * The findings of `plan`, in a stable order (tree problems, reps of several territories, territories without a rep,
 * regions holding accounts). Names, not keys: they are shown as they are.
 *
 * @example
 * treeFindings(plan) // [{ kind: "held-by-parent", territory: "Northeast", accounts: 112 }]
 */
export function treeFindings(plan: WorkingPlan): TreeFinding[] {
  const tree = treeOf(plan);
  const out: TreeFinding[] = [];
  const name = (i: number) => plan.territories[i].name;
  for (const p of tree.problems) out.push({ kind: p.kind, territory: p.name });
  // only meaningful once there is a tree: a flat list of territories is the plan itself
  if (!tree.nested) return out;
  const byRep = new Map<string, number[]>();
  const noRep: number[] = [];
  for (const i of tree.leaves) {
    const rep = plan.territories[i].repId;
    if (!rep) noRep.push(i);
    else byRep.set(rep, [...(byRep.get(rep) ?? []), i]);
  }
  for (const [repId, list] of byRep) if (list.length > 1) out.push({ kind: "rep-of-several", repId, territories: list.map(name) });
  if (noRep.length > 0) out.push({ kind: "no-rep", territories: noRep.map(name) });
  for (let i = 0; i < plan.territories.length; i++) {
    if (!tree.leaf[i] && plan.totals.accounts[i] > 0)
      out.push({ kind: "held-by-parent", territory: name(i), accounts: plan.totals.accounts[i] });
  }
  return out;
}
