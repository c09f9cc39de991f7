/**
 * What a balancing run works on: the leaf territories of the plan, or of one region ("balance the Northeast"),
 * and the accounts they hold. Regions and districts are never targets: accounts a region holds itself are handed
 * to the run as accounts to assign; accounts outside the scope are not part of the run at all.
 *
 * A run sees its territories by a local index (0 … leaves − 1, new territories after them); {@link liftAssignment}
 * and {@link planTerritoryOf} take its result back to plan territories.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */
import { leavesUnder, subtreeOf, type TerritoryTree } from "../hierarchy";

export interface LeafScope {
  /** Plan index of the scope's root territory, or -1 for the whole plan. */
  readonly root: number;
  /** Plan territory index of each local territory (the scope's leaves, tree order). */
  readonly leaves: readonly number[];
  /** Local index of each plan territory (-1 = not a leaf of the scope). */
  readonly localOf: Int32Array;
  /** Per account: 1 when the run may move it. */
  readonly include: Uint8Array;
  /** Per account: its local territory (-1 = none yet: unassigned, held by a region, or outside the scope). */
  readonly assignment: Int32Array;
  /** Plan territories when the scope was taken (new local territories become plan territories from here). */
  readonly planTerritories: number;
  /** Accounts in the scope that a region or district holds itself (they will be assigned to a leaf). */
  readonly heldByParents: number;
}

/**
 * The leaf scope of `root` (a plan territory index, or -1 for the whole plan).
 *
 * @example
 * const scope = leafScope(tree, plan.assignment, northeast); // only the Northeast's leaves and accounts
 */
export function leafScope(tree: TerritoryTree, assignment: Int32Array, root: number): LeafScope {
  const k = tree.parent.length;
  if (root < -1 || root >= k) throw new Error(`No territory ${root} in a plan of ${k}.`);
  const leaves = root < 0 ? [...tree.order].filter((i) => tree.leaf[i] === 1) : leavesUnder(tree, root);
  const inScope = new Uint8Array(k);
  if (root < 0) inScope.fill(1);
  else for (const i of subtreeOf(tree, root)) inScope[i] = 1;
  const localOf = new Int32Array(k).fill(-1);
  leaves.forEach((p, l) => {
    localOf[p] = l;
  });
  const n = assignment.length;
  const include = new Uint8Array(n);
  const local = new Int32Array(n).fill(-1);
  let heldByParents = 0;
  for (let i = 0; i < n; i++) {
    const t = assignment[i];
    if (t < 0) {
      if (root < 0) include[i] = 1;
      continue;
    }
    if (t >= k || !inScope[t]) continue;
    include[i] = 1;
    local[i] = localOf[t];
    if (localOf[t] < 0) heldByParents++;
  }
  return { root, leaves, localOf, include, assignment: local, planTerritories: k, heldByParents };
}

/** The plan territory of a local territory (new ones numbered after the plan's territories). */
export function planTerritoryOf(scope: LeafScope, local: number): number {
  if (local < 0) return -1;
  return local < scope.leaves.length ? scope.leaves[local] : scope.planTerritories + (local - scope.leaves.length);
}

/**
 * The plan assignment after a run: accounts of the scope take the run's territory; accounts outside it, and
 * accounts the run left without one (no coordinates), keep their plan territory.
 */
export function liftAssignment(scope: LeafScope, local: Int32Array, original: Int32Array): Int32Array {
  if (local.length !== original.length) throw new Error(`The run describes ${local.length} accounts, the plan ${original.length}.`);
  const out = original.slice();
  for (let i = 0; i < out.length; i++) {
    if (!scope.include[i]) continue;
    const l = local[i];
    if (l >= 0) out[i] = planTerritoryOf(scope, l);
  }
  return out;
}
