/**
 * Drift: a published territory's current totals against the plan's targets. Beyond the threshold (relative,
 * 0.15 = 15 %) a finding names territory, measure and deviation. Its `stateKey` identifies the state (plan,
 * territory, measure, direction) so the same state never raises two alerts.
 *
 * Pure TypeScript: no DOM, React, map SDK, PCF or Node imports.
 */

export interface DriftTarget {
  territoryKey: string;
  territoryId: string;
  name: string;
  /** measure → planned total ("accounts" = number of accounts). */
  targets: Readonly<Record<string, number>>;
}

export interface DriftFinding {
  territoryKey: string;
  territoryId: string;
  territoryName: string;
  measure: string;
  target: number;
  actual: number;
  /** (actual − target) / target. */
  deviation: number;
  direction: "over" | "under";
  stateKey: string;
}

/**
 * @param actuals territoryId → measure → current total (missing = 0)
 */
export function computeDrift(
  planId: string,
  targets: readonly DriftTarget[],
  actuals: ReadonlyMap<string, Readonly<Record<string, number>>>,
  threshold: number,
): DriftFinding[] {
  if (!(threshold >= 0)) throw new Error(`computeDrift: the threshold must be ≥ 0 (got ${threshold})`);
  const out: DriftFinding[] = [];
  for (const t of targets) {
    const now = actuals.get(t.territoryId) ?? {};
    for (const [measure, target] of Object.entries(t.targets)) {
      if (!(target > 0)) continue; // a relative deviation from 0 is undefined
      const actual = now[measure] ?? 0;
      const deviation = (actual - target) / target;
      if (Math.abs(deviation) <= threshold) continue;
      const direction = deviation > 0 ? "over" : "under";
      out.push({
        territoryKey: t.territoryKey,
        territoryId: t.territoryId,
        territoryName: t.name,
        measure,
        target,
        actual,
        deviation,
        direction,
        stateKey: `${planId}|${t.territoryKey}|${measure}|${direction}`,
      });
    }
  }
  return out.sort((a, b) => Math.abs(b.deviation) - Math.abs(a.deviation));
}

/** One-line description for the alert record. */
export function describeFinding(f: DriftFinding, threshold: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  return `${f.territoryName}: ${f.measure} is ${fmt(f.actual)} against a target of ${fmt(f.target)} (${f.deviation > 0 ? "+" : ""}${pct(f.deviation)}, threshold ${pct(threshold)}).`;
}
