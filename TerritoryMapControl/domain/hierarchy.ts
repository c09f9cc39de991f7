/**
 * The territory tree: regions over districts over rep territories, as Dynamics keeps it
 * (`territory.parentterritoryid`, any depth).
 *
 * Rules (relied on by the plan, the card, balancing and publishing):
 * - A **leaf** is a territory with no children: only leaves hold accounts once a plan is balanced. A parent
 *   (region, district) shows the rolled-up totals of its subtree.
 * - Accounts a parent holds directly (Dynamics assigns some accounts to a region only) are "in region X without
 *   a rep territory": counted in the parent's rollup, never as a leaf, and offered for assignment to a leaf.
 * - Bad input never drops a territory: a parent that is not in the list, or a cycle of parents, makes the
 *   territory a root and is reported as a {@link TreeProblem} naming it.
 *
 * Pure TypeScript: no React, DOM, map SDK, PCF or Node imports.
 */

/** What the tree needs of a territory. */
export interface TreeTerritory {
  readonly key: string;
  readonly name: string;
  /** Key of the parent territory, or null / undefined for a root. */
  readonly parentKey?: string | null;
}

export type TreeProblemKind = "cycle" | "missing-parent";

/** A territory whose parent could not be used; it is placed at the root. */
export interface TreeProblem {
  readonly kind: TreeProblemKind;
  /** Index of the territory in the list. */
  readonly index: number;
  readonly key: string;
  readonly name: string;
  /** The parent key that could not be used. */
  readonly parentKey: string;
}

export interface TerritoryTree {
  /** Parent index per territory (-1 = root). */
  readonly parent: Int32Array;
  /** Child indexes per territory, in list order. */
  readonly children: readonly (readonly number[])[];
  /** 0 for roots. */
  readonly depth: Int32Array;
  /** 1 when the territory has no children. */
  readonly leaf: Uint8Array;
  /** Leaf indexes in list order. */
  readonly leaves: readonly number[];
  /** Root indexes in list order. */
  readonly roots: readonly number[];
  /** Every territory once, parents before their children (depth-first, list order among siblings). */
  readonly order: readonly number[];
  /** True when some territory has a parent (a flat list of territories is a tree of roots that are all leaves). */
  readonly nested: boolean;
  readonly problems: readonly TreeProblem[];
}

/**
 * Builds the tree of `territories` (index = position in the list).
 *
 * @example
 * const tree = buildTree([{ key: "r", name: "West" }, { key: "a", name: "Denver", parentKey: "r" }]);
 * tree.leaves; // [1]
 */
export function buildTree(territories: readonly TreeTerritory[]): TerritoryTree {
  const n = territories.length;
  const index = new Map<string, number>();
  territories.forEach((t, i) => {
    if (!index.has(t.key)) index.set(t.key, i);
  });
  const parent = new Int32Array(n).fill(-1);
  const problems: TreeProblem[] = [];
  for (let i = 0; i < n; i++) {
    const pk = territories[i].parentKey;
    if (pk === null || pk === undefined || pk === "") continue;
    const p = index.get(pk);
    if (p === undefined || p === i) {
      problems.push({
        kind: p === i ? "cycle" : "missing-parent",
        index: i,
        key: territories[i].key,
        name: territories[i].name,
        parentKey: pk,
      });
      continue;
    }
    parent[i] = p;
  }
  // Break cycles: walk up from every territory; a walk that comes back to a territory on its own path is a cycle,
  // cut at the territory where the walk entered it (the first in list order), which becomes a root.
  const state = new Uint8Array(n); // 0 unvisited, 1 on the current path, 2 done
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const path: number[] = [];
    let v = s;
    while (v >= 0 && state[v] === 0) {
      state[v] = 1;
      path.push(v);
      v = parent[v];
    }
    if (v >= 0 && state[v] === 1) {
      const cycle = path.slice(path.indexOf(v));
      const cut = Math.min(...cycle);
      problems.push({
        kind: "cycle",
        index: cut,
        key: territories[cut].key,
        name: territories[cut].name,
        parentKey: territories[cut].parentKey ?? "",
      });
      parent[cut] = -1;
    }
    for (const u of path) state[u] = 2;
  }
  const children: number[][] = territories.map(() => []);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (parent[i] >= 0) children[parent[i]].push(i);
    else roots.push(i);
  }
  const depth = new Int32Array(n);
  const order: number[] = [];
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
  while (stack.length) {
    const v = stack.pop() as number;
    order.push(v);
    const c = children[v];
    for (let j = c.length - 1; j >= 0; j--) {
      depth[c[j]] = depth[v] + 1;
      stack.push(c[j]);
    }
  }
  const leaf = new Uint8Array(n);
  const leaves: number[] = [];
  for (let i = 0; i < n; i++) {
    if (children[i].length === 0) {
      leaf[i] = 1;
      leaves.push(i);
    }
  }
  problems.sort((a, b) => a.index - b.index);
  return { parent, children, depth, leaf, leaves, roots, order, nested: roots.length < n, problems };
}

/** The territory and every territory under it, parents first. */
export function subtreeOf(tree: TerritoryTree, root: number): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const v = stack.pop() as number;
    out.push(v);
    const c = tree.children[v];
    for (let j = c.length - 1; j >= 0; j--) stack.push(c[j]);
  }
  return out;
}

/** Leaves under `root` (the root itself when it is a leaf), in tree order. */
export function leavesUnder(tree: TerritoryTree, root: number): number[] {
  return subtreeOf(tree, root).filter((i) => tree.leaf[i] === 1);
}

/** Ancestors of a territory, nearest first. */
export function ancestorsOf(tree: TerritoryTree, index: number): number[] {
  const out: number[] = [];
  for (let v = tree.parent[index]; v >= 0; v = tree.parent[v]) out.push(v);
  return out;
}

/**
 * Per territory: the sum over its subtree of `own` (what each territory holds itself). O(territories).
 *
 * @example
 * rollUp(tree, accountsPerTerritory) // a region's figure = its own accounts + every descendant's
 */
export function rollUp(tree: TerritoryTree, own: ArrayLike<number>): Float64Array {
  const out = new Float64Array(tree.parent.length);
  for (let i = 0; i < out.length; i++) out[i] = own[i];
  for (let k = tree.order.length - 1; k >= 0; k--) {
    const v = tree.order[k];
    const p = tree.parent[v];
    if (p >= 0) out[p] += out[v];
  }
  return out;
}

/** Siblings of a territory, itself included (roots are siblings of each other). */
export function siblingsOf(tree: TerritoryTree, index: number): readonly number[] {
  const p = tree.parent[index];
  return p >= 0 ? tree.children[p] : tree.roots;
}
