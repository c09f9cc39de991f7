/**
 * Web Worker entry for the balancing engine: onmessage 'solve' → solve() with progress posts;
 * 'cancel' sets a flag that the solver polls (the best plan so far comes back with status 'cancelled').
 * Because solve() is synchronous, a 'cancel' message is only seen between solves unless the host also
 * shares a cancellation flag; the client therefore also terminates the worker on abort (see BalancerClient).
 */
import { solve } from '../../domain/balancing';
import type { FromWorker, ToWorker } from './protocol';

interface WorkerScope {
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
  postMessage(msg: FromWorker): void;
}
const scope = self as unknown as WorkerScope;
const cancelled = new Set<number>();

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    cancelled.add(msg.id);
    return;
  }
  if (msg.type !== 'solve') return;
  const { id } = msg;
  let lastPost = 0;
  try {
    const result = solve(msg.problem, {
      ...msg.options,
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastPost < 100 && progress.fraction < 1) return;
        lastPost = now;
        scope.postMessage({ type: 'progress', id, progress });
      },
      isCancelled: () => cancelled.has(id),
    });
    scope.postMessage({ type: 'result', id, result });
  } catch (e) {
    const err = e as Error;
    scope.postMessage({ type: 'error', id, message: err.message, name: err.name });
  } finally {
    cancelled.delete(id);
  }
};
