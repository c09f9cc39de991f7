import type { NavigationPort } from "../../app/ports/navigation";

/** The navigation port for tests and benches: records every openForm call; `refuse` makes the calls reject. */
export class RecordingNavigation implements NavigationPort {
  public readonly opened: { entityName: string; entityId: string }[] = [];

  public constructor(private readonly refuse?: string) {}

  public openForm(options: { entityName: string; entityId: string }): Promise<unknown> {
    this.opened.push({ entityName: options.entityName, entityId: options.entityId });
    return this.refuse === undefined ? Promise.resolve({ savedEntityReference: [] }) : Promise.reject(new Error(this.refuse));
  }
}
