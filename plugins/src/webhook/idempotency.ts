/**
 * Same delivery → one effect. Dataverse retries an async webhook call (once on 502/503/504, and the async
 * service may redeliver) with the same OperationId and step. A delivery in flight is joined (the duplicate
 * waits for and returns the first one's result); a completed one is answered from memory for `ttlMs`.
 * Failed deliveries are forgotten so the retry runs again. The handlers' effects are also idempotent by state
 * (same territory → no write, one proposal per rep and plan, one alert per drift state), which covers
 * redeliveries that reach another instance.
 */

export class DeliveryLedger<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  private readonly done = new Map<string, { at: number; result: T }>();

  public constructor(
    private readonly ttlMs = 3_600_000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `fn` once per key; duplicates get `{duplicate: true}` and the first result. */
  public async run(key: string, fn: () => Promise<T>): Promise<{ result: T; duplicate: boolean }> {
    const finished = this.done.get(key);
    if (finished && this.now() - finished.at <= this.ttlMs) return { result: finished.result, duplicate: true };
    const running = this.inFlight.get(key);
    if (running) return { result: await running, duplicate: true };
    const p = fn();
    this.inFlight.set(key, p);
    try {
      const result = await p;
      this.remember(key, result);
      return { result, duplicate: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, result: T): void {
    this.done.set(key, { at: this.now(), result });
    if (this.done.size > this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let drop = Math.ceil(this.maxEntries / 10);
      for (const k of this.done.keys()) {
        this.done.delete(k);
        if (--drop <= 0) break;
      }
    }
  }
}
