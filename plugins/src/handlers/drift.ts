/**
 * Drift: each published territory's current totals (active accounts whose territoryid is the territory)
 * against the plan's targets (the per-territory account count and totals stored with the published plan).
 * Beyond the threshold → a tmap_alert naming territory, measure and deviation. One open alert per state
 * (plan, territory, measure, direction: tmap_statekey): a state that persists refreshes its alert's figures,
 * a state that ended resolves its alert (statecode 1), a new state raises a new alert. Runs are serialised.
 */
import type { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { computeDrift, describeFinding, type DriftFinding, type DriftTarget } from "../../../TerritoryMapControl/domain/assignment";
import type { PublishedPlan, PublishedPlanSource } from "../plan/PublishedPlanSource";

export interface DriftRunResult {
  status: "checked" | "skipped";
  reason?: string;
  planId?: string;
  findings: number;
  created: number;
  refreshed: number;
  resolved: number;
}

const ACCOUNT_MEASURE_COLUMNS = new Set(["revenue", "tmap_workloadhours", "numberofemployees"]);

/** Plan targets per territory: "accounts" = the planned account count; other measures from the stored totals. */
export function driftTargets(plan: PublishedPlan, measures: readonly string[]): DriftTarget[] {
  const out: DriftTarget[] = [];
  for (const t of plan.info.territories) {
    if (!t.territoryId) continue;
    const targets: Record<string, number> = {};
    for (const m of measures) {
      if (m === "accounts" || m === "accountcount") targets.accounts = t.accountCount;
      else if (ACCOUNT_MEASURE_COLUMNS.has(m) && typeof t.totals[m] === "number") targets[m] = t.totals[m];
    }
    out.push({ territoryKey: t.key, territoryId: t.territoryId.toLowerCase(), name: t.name, targets });
  }
  return out;
}

export async function territoryActuals(
  client: DataverseHttpClient,
  measures: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const columns = measures.filter((m) => ACCOUNT_MEASURE_COLUMNS.has(m));
  const totals = new Map<string, Record<string, number>>();
  await client.retrieveAll(
    "accounts",
    { select: ["_territoryid_value", ...columns], filter: "statecode eq 0 and _territoryid_value ne null" },
    {
      maxPageSize: 5000,
      includeAnnotations: "",
      onPage: (rows) => {
        for (const r of rows) {
          const t = String(r._territoryid_value).toLowerCase();
          let agg = totals.get(t);
          if (!agg) totals.set(t, (agg = { accounts: 0 }));
          agg.accounts++;
          for (const c of columns) {
            const v = Number(r[c] ?? 0);
            if (Number.isFinite(v)) agg[c] = (agg[c] ?? 0) + v;
          }
        }
      },
    },
  );
  return totals;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export class DriftMonitor {
  private running: Promise<DriftRunResult> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  public constructor(
    private readonly client: DataverseHttpClient,
    private readonly plans: PublishedPlanSource,
    private readonly options: {
      defaultThreshold: number;
      defaultMeasures: readonly string[];
      debounceMs: number;
      onError?: (e: unknown) => void;
    },
  ) {}

  /** A drift check soon (after assignments): at most one per debounce window. */
  public schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run().catch((e: unknown) => this.options.onError?.(e));
    }, this.options.debounceMs);
    this.timer.unref?.();
  }

  public cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs a check now; a call during a run makes one more run afterwards (it may see newer data). */
  public async run(): Promise<DriftRunResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let result: DriftRunResult;
      do {
        this.again = false;
        result = await this.check();
      } while (this.again);
      return result;
    })();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async check(): Promise<DriftRunResult> {
    const plan = await this.plans.get();
    if (!plan) return { status: "skipped", reason: "no-published-plan", findings: 0, created: 0, refreshed: 0, resolved: 0 };
    const threshold = plan.settings.driftThreshold ?? this.options.defaultThreshold;
    const measures = plan.settings.driftMeasures ?? this.options.defaultMeasures;
    const findings = computeDrift(plan.id, driftTargets(plan, measures), await territoryActuals(this.client, measures), threshold);
    const open = await this.client.retrieveAll(
      "tmap_alerts",
      {
        select: ["tmap_alertid", "tmap_statekey", "tmap_deviation", "tmap_actual", "_tmap_planid_value"],
        filter: "statecode eq 0 and tmap_statekey ne null",
      },
      { includeAnnotations: "" },
    );
    const openByKey = new Map<string, Record<string, unknown>>();
    const duplicates: Record<string, unknown>[] = [];
    for (const a of open) {
      const key = String(a.tmap_statekey);
      if (openByKey.has(key)) duplicates.push(a);
      else openByKey.set(key, a);
    }
    let created = 0,
      refreshed = 0,
      resolved = 0;
    const current = new Set<string>();
    for (const f of findings) {
      current.add(f.stateKey);
      const existing = openByKey.get(f.stateKey);
      if (existing) {
        if (
          round(Number(existing.tmap_deviation), 4) !== round(f.deviation, 4) ||
          round(Number(existing.tmap_actual), 2) !== round(f.actual, 2)
        ) {
          await this.client.update("tmap_alerts", String(existing.tmap_alertid), this.figures(f, threshold));
          refreshed++;
        }
        continue;
      }
      await this.client.create("tmap_alerts", {
        tmap_name: `Drift: ${f.territoryName} · ${f.measure} ${f.deviation > 0 ? "+" : ""}${(f.deviation * 100).toFixed(1)} %`.slice(
          0,
          200,
        ),
        "tmap_territoryid@odata.bind": `/territories(${f.territoryId})`,
        "tmap_planid@odata.bind": `/tmap_plans(${plan.id})`,
        tmap_measure: f.measure,
        tmap_statekey: f.stateKey,
        ...this.figures(f, threshold),
      });
      created++;
    }
    // States that ended (or belong to an older plan), and any duplicate left by a concurrent instance.
    for (const a of [...[...openByKey.entries()].filter(([k]) => !current.has(k)).map(([, a]) => a), ...duplicates]) {
      await this.client.update("tmap_alerts", String(a.tmap_alertid), { statecode: 1, statuscode: 2 });
      resolved++;
    }
    return { status: "checked", planId: plan.id, findings: findings.length, created, refreshed, resolved };
  }

  private figures(f: DriftFinding, threshold: number): Record<string, unknown> {
    return {
      tmap_deviation: round(f.deviation, 4),
      tmap_threshold: round(threshold, 4),
      tmap_target: round(f.target, 2),
      tmap_actual: round(f.actual, 2),
      tmap_message: describeFinding(f, threshold).slice(0, 1000),
    };
  }
}
