/** Opening Dynamics records: context.navigation in the product (index.ts), a recording fake in tests. */
export interface NavigationPort {
  /** Opens a record's form (context.navigation.openForm); rejects when the platform cannot. */
  openForm(options: { entityName: string; entityId: string }): Promise<unknown>;
}
