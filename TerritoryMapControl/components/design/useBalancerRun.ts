import * as React from "react";
import type { ProgressInfo } from "../../domain/balancing";

export type RunState<T> =
  | { kind: "idle" }
  | { kind: "running"; progress: ProgressInfo | null }
  | { kind: "done"; value: T }
  | { kind: "failed"; message: string }
  | { kind: "cancelled" };

/**
 * Runs one balancer request at a time with progress and cancel (AbortController). The request is started in a
 * later task (setTimeout 0) so that building the problem and posting it never share a task with the click.
 */
export function useBalancerRun<T>(): {
  state: RunState<T>;
  start: (run: (signal: AbortSignal, onProgress: (p: ProgressInfo) => void) => Promise<T>) => void;
  cancel: () => void;
  reset: () => void;
} {
  const [state, setState] = React.useState<RunState<T>>({ kind: "idle" });
  const controller = React.useRef<AbortController | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(
    () => () => {
      mounted.current = false;
      controller.current?.abort();
    },
    [],
  );
  const start = React.useCallback((run: (signal: AbortSignal, onProgress: (p: ProgressInfo) => void) => Promise<T>) => {
    controller.current?.abort();
    const ac = new AbortController();
    controller.current = ac;
    setState({ kind: "running", progress: null });
    setTimeout(() => {
      if (ac.signal.aborted) return;
      let last = 0;
      run(ac.signal, (p) => {
        const now = Date.now();
        if (now - last < 100 && p.fraction < 1) return;
        last = now;
        if (mounted.current && controller.current === ac) setState({ kind: "running", progress: p });
      }).then(
        (value) => {
          if (mounted.current && controller.current === ac) setState({ kind: "done", value });
        },
        (e: unknown) => {
          if (!mounted.current || controller.current !== ac) return;
          const err = e as Error;
          setState(err?.name === "AbortError" ? { kind: "cancelled" } : { kind: "failed", message: err?.message ?? String(e) });
        },
      );
    }, 0);
  }, []);
  const cancel = React.useCallback(() => {
    controller.current?.abort();
  }, []);
  const reset = React.useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState({ kind: "idle" });
  }, []);
  return { state, start, cancel, reset };
}
