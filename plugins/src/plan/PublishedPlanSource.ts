/**
 * The published plan, compiled for the rule engine and cached in the handler process.
 *
 * Source: the newest tmap_plan with tmap_status = Published (and a complete save), its assignment chunks
 * (territories with polygons and postal codes; decoded by domain/drafts/codec through WebApiDraftRepository)
 * and its active tmap_assignmentrule rows. The cache is keyed by plan id + tmap_version + modifiedon + save token +
 * versionnumber (row version, changes on every write):
 * a cheap probe (one request, at most every `checkMs`, off the request path) detects a new or changed published plan; webhooks on
 * tmap_plan / tmap_assignmentrule call `invalidate()`, which drops the cache (rule rows do not change the plan's stamp).
 *
 * Plan-level assignment settings live in tmap_plan.tmap_balancingsettings under "assignment" (a top-level
 * "ownersFollowTerritories" of older plans is read when "assignment" does not set it):
 * {"ownersFollowTerritories": bool, "kindOrder": ["named","firmographic","postal","geography"],
 *  "driftThreshold": 0.15, "driftMeasures": ["accounts","revenue"]}.
 */
import type { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { PlanStatusValue, SaveStateValue, type DraftSummary } from "../../../dataverse/drafts/DraftRepository";
import { WebApiDraftRepository } from "../../../dataverse/drafts/WebApiDraftRepository";
import { HttpDraftBulkApi } from "../../../dataverse/drafts/DraftBulkApi";
import type { Draft } from "../../../TerritoryMapControl/domain/drafts/model";
import {
  compileAssignmentPlan,
  normaliseKindOrder,
  parseRuleRow,
  RuleDefinitionError,
  type AssignmentRule,
  type CompiledAssignmentPlan,
  type RuleKind,
} from "../../../TerritoryMapControl/domain/assignment";
import { ServerWebApi } from "../dataverse/ServerWebApi";

export interface AssignmentSettings {
  ownersFollowTerritories: boolean;
  kindOrder: RuleKind[];
  /** null = the handler's default (TMAP_DRIFT_THRESHOLD). */
  driftThreshold: number | null;
  driftMeasures: string[] | null;
}

export interface PublishedPlan {
  id: string;
  name: string;
  version: number;
  stamp: string;
  draft: Draft;
  info: DraftSummary;
  settings: AssignmentSettings;
  rules: AssignmentRule[];
  engine: CompiledAssignmentPlan;
  /** Rules that could not be read or used. */
  warnings: string[];
  loadedAt: number;
}

interface Probe {
  id: string;
  stamp: string;
}

export function assignmentSettings(balancingSettings: unknown): AssignmentSettings {
  const a =
    balancingSettings && typeof balancingSettings === "object" && !Array.isArray(balancingSettings)
      ? (balancingSettings as Record<string, unknown>).assignment
      : undefined;
  const o = a && typeof a === "object" && !Array.isArray(a) ? (a as Record<string, unknown>) : {};
  const threshold =
    typeof o.driftThreshold === "number" && Number.isFinite(o.driftThreshold) && o.driftThreshold >= 0 ? o.driftThreshold : null;
  const measures = Array.isArray(o.driftMeasures)
    ? o.driftMeasures.filter((m): m is string => typeof m === "string" && /^[a-z_][a-z0-9_]*$/.test(m))
    : null;
  // `assignment.ownersFollowTerritories` is the documented place (the publish engine reads the same); a top-level
  // `ownersFollowTerritories` of older plans counts when the assignment settings do not say.
  const top =
    balancingSettings && typeof balancingSettings === "object" && !Array.isArray(balancingSettings)
      ? (balancingSettings as Record<string, unknown>).ownersFollowTerritories
      : undefined;
  return {
    ownersFollowTerritories: typeof o.ownersFollowTerritories === "boolean" ? o.ownersFollowTerritories : top === true,
    kindOrder: normaliseKindOrder(Array.isArray(o.kindOrder) ? o.kindOrder.filter((k): k is string => typeof k === "string") : undefined),
    driftThreshold: threshold,
    driftMeasures: measures,
  };
}

export class PublishedPlanSource {
  private cached: PublishedPlan | null = null;
  private checkedAt = -Infinity;
  private pending: Promise<PublishedPlan | null> | null = null;
  private generation = 0;
  private readonly repo: WebApiDraftRepository;

  public constructor(
    private readonly client: DataverseHttpClient,
    private readonly checkMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new WebApiDraftRepository(new ServerWebApi(client), new HttpDraftBulkApi(client));
  }

  /** Forget the cached plan (a tmap_plan or tmap_assignmentrule changed): the next get() reloads it. */
  public invalidate(): void {
    this.generation++;
    this.cached = null;
    this.checkedAt = -Infinity;
  }

  /** Id of the cached published plan (null when nothing is cached). */
  public cachedPlanId(): string | null {
    return this.cached?.id ?? null;
  }

  /**
   * The published plan (null when none is published). Concurrent callers share one probe / load. When the cached
   * plan's check interval has passed, the cached plan is returned at once and the probe runs in the background
   * (stale-while-revalidate: no request waits for it); after invalidate() the next caller waits for the reload.
   */
  public async get(): Promise<PublishedPlan | null> {
    if (this.cached && this.now() - this.checkedAt < this.checkMs) return this.cached;
    const refresh = this.pending ?? this.refresh();
    if (this.cached) {
      refresh.catch(() => undefined); // a failed background probe keeps the cached plan; the next call retries
      return this.cached;
    }
    return refresh;
  }

  /** Resolves when a background probe / load has finished (tests). */
  public async settle(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }

  private refresh(): Promise<PublishedPlan | null> {
    const generation = this.generation;
    const run = (async () => {
      try {
        const probe = await this.probe();
        let plan: PublishedPlan | null = null;
        if (probe)
          plan = this.cached && this.cached.id === probe.id && this.cached.stamp === probe.stamp ? this.cached : await this.load(probe);
        if (generation === this.generation) {
          this.cached = plan;
          this.checkedAt = this.now();
        }
        return plan;
      } finally {
        this.pending = null;
      }
    })();
    this.pending = run;
    return run;
  }

  private async probe(): Promise<Probe | null> {
    const page = await this.client.retrieveMultiple(
      "tmap_plans",
      {
        select: ["tmap_planid", "tmap_version", "modifiedon", "tmap_savetoken", "versionnumber"],
        filter: `statecode eq 0 and tmap_status eq ${PlanStatusValue.Published} and tmap_savestate eq ${SaveStateValue.Complete}`,
        orderby: "tmap_version desc,modifiedon desc",
        top: 1,
      },
      { includeAnnotations: "" },
    );
    const row = page.value[0];
    if (!row) return null;
    return {
      id: String(row.tmap_planid).toLowerCase(),
      stamp: `${String(row.tmap_version)}|${String(row.modifiedon)}|${String(row.tmap_savetoken)}|${String(row.versionnumber)}`,
    };
  }

  private async load(probe: Probe): Promise<PublishedPlan> {
    const loaded = await this.repo.loadDraft(probe.id);
    const settings = assignmentSettings(loaded.draft.balancingSettings);
    const ruleRows = await this.client.retrieveAll(
      "tmap_assignmentrules",
      {
        select: ["tmap_assignmentruleid", "tmap_name", "tmap_kind", "tmap_precedence", "tmap_definition", "tmap_territorykey"],
        filter: `statecode eq 0 and _tmap_planid_value eq ${probe.id}`,
      },
      { includeAnnotations: "" },
    );
    const warnings: string[] = [];
    const rules: AssignmentRule[] = [];
    for (const r of ruleRows) {
      try {
        rules.push(
          parseRuleRow({
            id: String(r.tmap_assignmentruleid),
            name: String(r.tmap_name ?? ""),
            kindValue: r.tmap_kind,
            precedence: r.tmap_precedence,
            definition: r.tmap_definition,
            territoryKey: r.tmap_territorykey,
          }),
        );
      } catch (e) {
        if (!(e instanceof RuleDefinitionError)) throw e;
        warnings.push(e.message);
      }
    }
    const engine = compileAssignmentPlan({
      planId: probe.id,
      version: loaded.info.version,
      stamp: probe.stamp,
      name: loaded.info.name,
      territories: loaded.draft.territories.map((t) => ({
        key: t.key,
        name: t.name,
        territoryId: t.territoryId,
        repId: t.repId,
        geometry: t.geometry,
        postalCodes: t.postalCodes,
      })),
      rules,
      kindOrder: settings.kindOrder,
      ownersFollowTerritories: settings.ownersFollowTerritories,
    });
    warnings.push(...engine.warnings);
    return {
      id: probe.id,
      name: loaded.info.name,
      version: loaded.info.version,
      stamp: probe.stamp,
      draft: loaded.draft,
      info: loaded.info,
      settings,
      rules,
      engine,
      warnings,
      loadedAt: this.now(),
    };
  }
}
