/** User Timing marks the benchmarks and the end-to-end tests read (diagnostics only: a failure is ignored). */
export function mark(name: string): void {
  try {
    if (typeof performance !== "undefined" && typeof performance.mark === "function") performance.mark(name);
  } catch {
    // Marks are diagnostics only.
  }
}
