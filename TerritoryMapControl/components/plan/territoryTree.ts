/**
 * The card's territory list as a tree: regions over their territories, siblings sorted by the chosen column,
 * collapsed regions hiding their subtree. A row whose parent is not in the list is shown at the top level.
 */
export interface TreeRowLike {
  key: string;
  parentKey: string | null;
}

/**
 * Rows in display order: each parent followed by its (sorted) children unless it is collapsed.
 *
 * @example
 * visibleTreeRows(rows, (a, b) => a.name.localeCompare(b.name), new Set(["west"]))
 */
export function visibleTreeRows<R extends TreeRowLike>(
  rows: readonly R[],
  compare: (a: R, b: R) => number,
  collapsed: ReadonlySet<string>,
): R[] {
  const keys = new Set(rows.map((r) => r.key));
  const children = new Map<string | null, R[]>();
  for (const r of rows) {
    const parent = r.parentKey !== null && keys.has(r.parentKey) && r.parentKey !== r.key ? r.parentKey : null;
    const list = children.get(parent);
    if (list) list.push(r);
    else children.set(parent, [r]);
  }
  for (const list of children.values()) list.sort(compare);
  const out: R[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null) => {
    for (const r of children.get(parent) ?? []) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      out.push(r);
      if (!collapsed.has(r.key)) visit(r.key);
    }
  };
  visit(null);
  return out;
}
