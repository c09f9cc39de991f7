import * as React from "react";
import type { Observable } from "../app/store";

/** The current state of a planning-layer store; the component re-renders whenever it changes. */
export function useStore<S>(store: Observable<S>): S {
  const [, rerender] = React.useReducer((n: number) => n + 1, 0);
  const seen = React.useRef(store.get());
  seen.current = store.get();
  React.useEffect(() => {
    const check = (): void => {
      if (store.get() !== seen.current) rerender();
    };
    const unsubscribe = store.subscribe(check);
    check(); // a change between render and subscription
    return unsubscribe;
  }, [store]);
  return store.get();
}
