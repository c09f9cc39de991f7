/**
 * Cascading delete in the local Dataverse stand-in, driven by the relationship definitions of the schema: each
 * lookup attribute's `cascadeDelete` is the CascadeConfiguration.Delete of its one-to-many relationship.
 *
 * As documented for Dataverse ("Configure table relationship cascading behavior",
 * https://learn.microsoft.com/power-apps/developer/data-platform/configure-entity-relationship-cascading-behavior):
 * - Cascade: the referencing records are deleted too (and their own relationships cascade in turn);
 * - RemoveLink: the lookup of the referencing records is cleared;
 * - Restrict: the delete is refused while any referencing record exists;
 * - NoCascade: nothing happens to the referencing records.
 * The whole delete is one transaction: a Restrict found anywhere in the cascade leaves every record in place.
 * Lookups without a declared behaviour (standard tables here) are left as they are.
 */
import { isLookupType, type CascadeDelete } from "../../dataverse/schema";
import { DataverseError } from "./errors";
import type { SqliteDataverseStore, TableState } from "./store";

/** Dataverse's CannotDeleteDueToAssociation (-2147220953). */
export const CANNOT_DELETE_DUE_TO_ASSOCIATION = "0x80040227";
const RESTRICT_MESSAGE = "The object you tried to delete is associated with another object and cannot be deleted.";

interface Reference {
  table: TableState;
  attribute: string;
  behaviour: CascadeDelete;
}

/** Lookups (with a declared delete behaviour) that point at `target`, over every registered table. */
export function referencesTo(store: SqliteDataverseStore, target: string): Reference[] {
  const out: Reference[] = [];
  for (const schema of store.schemas()) {
    for (const a of schema.attributes) {
      if (!isLookupType(a.type) || !a.cascadeDelete || !a.targets?.includes(target)) continue;
      out.push({ table: store.table(schema.logicalName), attribute: a.logicalName, behaviour: a.cascadeDelete });
    }
  }
  return out;
}

/**
 * Deletes the record and applies every relationship's delete behaviour, in one transaction. Throws the
 * Dataverse error of a Restrict relationship (nothing is deleted then). Returns the number of records deleted
 * (the record itself included) and of lookups cleared.
 */
export function deleteWithCascade(store: SqliteDataverseStore, t: TableState, id: string): { deleted: number; unlinked: number } {
  return store.transaction(() => {
    const counts = { deleted: 0, unlinked: 0 };
    const visiting = new Set<string>();
    const remove = (table: TableState, key: string): void => {
      const mark = `${table.schema.logicalName}:${key}`;
      if (visiting.has(mark) || !table.rows.has(key)) return;
      visiting.add(mark);
      for (const ref of referencesTo(store, table.schema.logicalName)) {
        const children = [...ref.table.rows.values()].filter((r) => r[ref.attribute] === key);
        if (children.length === 0) continue;
        const pk = ref.table.schema.primaryIdAttribute;
        if (ref.behaviour === "Restrict") throw new DataverseError(400, CANNOT_DELETE_DUE_TO_ASSOCIATION, RESTRICT_MESSAGE);
        for (const child of children) {
          const childId = String(child[pk]);
          if (ref.behaviour === "Cascade") remove(ref.table, childId);
          else if (ref.behaviour === "RemoveLink" && ref.table.rows.has(childId)) {
            store.update(ref.table.schema.logicalName, childId, { [ref.attribute]: null });
            counts.unlinked++;
          }
        }
      }
      if (store.delete(table.schema.logicalName, key)) counts.deleted++;
    };
    remove(t, id.toLowerCase());
    return counts;
  });
}
