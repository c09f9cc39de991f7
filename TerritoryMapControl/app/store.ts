/**
 * A small observable state holder: the planning layer's parts keep their state in one, views subscribe to it
 * (`components/useStore.ts`). State objects are replaced, never mutated, so a view re-renders when the reference
 * changes.
 */
export type Listener = () => void;

export interface Observable<S> {
  get(): S;
  subscribe(listener: Listener): () => void;
}

export class Store<S extends object> implements Observable<S> {
  private state: S;
  private readonly listeners = new Set<Listener>();

  public constructor(initial: S) {
    this.state = initial;
  }

  public get(): S {
    return this.state;
  }

  public subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Replaces part of the state and tells every listener (nothing happens when no value changed). */
  protected set(patch: Partial<S>): void {
    let changed = false;
    for (const key of Object.keys(patch) as (keyof S)[]) {
      if (!Object.is(this.state[key], patch[key])) {
        changed = true;
        break;
      }
    }
    if (!changed) return;
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
