/**
 * DraftRepository over ComponentFramework.WebApi (context.webAPI: single-record reads and writes) plus a
 * {@link DraftBulkApi} (the organisation's Web API: $batch change sets and If-Match), because a save that never
 * loses work needs an atomic, conditional final step and context.webAPI has neither.
 *
 * Storage: one tmap_plan row, its tmap_assignmentchunk rows (the compressed body: territories with shapes and
 * every account's territory) and one tmap_draftterritory row per territory (what Dynamics shows: name, rep,
 * colour, shape, totals, target, deviation, account count). Chunks and territory rows carry the token of the
 * save that wrote them; only those with the plan's current tmap_savetoken belong to the draft, so a reader never
 * sees a half-saved version.
 *
 * Save protocol:
 * - New plan: create the plan (Incomplete, token T) → ONE change set creates the chunks and territory rows
 *   tagged T → set Complete. Requests: 3.
 * - Overwrite: ONE $batch reads the plan (its etag and token) and the ids and tokens of its chunks and rows; the
 *   token must be the one the draft was loaded with (else DraftConflictError) → ONE change set creates the new
 *   chunks and rows tagged T' → ONE change set updates the plan with `If-Match: <etag>` (switching to T', new
 *   metadata, Complete) and deletes every other chunk and row of the plan: the previous version's and those
 *   orphaned by failed saves. Requests: 3. Of two concurrent overwrites exactly one passes the If-Match; the
 *   other gets 412, re-reads the plan, finds another token and reports a conflict after removing its own rows.
 *   A 412 caused by a change that kept the token (a rename) is retried with the new etag.
 *   An interrupted overwrite leaves the previous complete version what loads.
 * - Load: read the plan → ONE $batch reads its chunks and territory rows with the plan's token. Requests: 2.
 *   Rows edited or deleted by hand in Dynamics are reconciled with the body (LoadedDraft.reconciliation).
 * - List: ONE $batch reads the plans and their territory rows. Requests: 1.
 * - Delete: delete the plan; Dataverse deletes its chunks and rows (parental relationships cascade). Requests: 1.
 */
import {
  DraftCodecError,
  encodeDraftBody,
  decodeDraftBody,
  type EncodedDraftBody,
  type StoredChunk,
} from "../../TerritoryMapControl/domain/drafts/codec";
import {
  reconcileTerritoryRows,
  targetMeasureOf,
  territoryTargets,
  type TerritoryRowDifference,
  type TerritoryRowView,
} from "../../TerritoryMapControl/domain/drafts/territoryRows";
import type { DraftBulkApi, DraftEntity, DraftRowRef } from "./DraftBulkApi";
import {
  accountCounts,
  normaliseGuid,
  validateDraft,
  type Draft,
  type DraftStatus,
  type JsonValue,
} from "../../TerritoryMapControl/domain/drafts/model";
import {
  DraftConflictError,
  DraftCorruptError,
  DraftIncompleteError,
  DraftNotFoundError,
  DraftRepositoryError,
  DraftSaveError,
  PlanStatusValue,
  SaveStateValue,
  saveStateFromValue,
  statusFromValue,
  type DraftRepository,
  type DraftSummary,
  type ListOptions,
  type LoadedDraft,
  type LoadOptions,
  type SaveOptions,
  type SaveResult,
  type SaveStage,
  type StoredMetrics,
  type TerritorySummary,
} from "./DraftRepository";

const PLAN = "tmap_plan";
const PLAN_SET = "tmap_plans";
const CHUNK = "tmap_assignmentchunk";
const TERRITORY = "tmap_draftterritory";
const CONCURRENCY_CODE = 0x80060882;
/** Deletes that fit in the final change set beside the plan update (a change set holds ≤ 1000 requests). */
const MAX_DELETES_IN_FINAL = 900;
const ROW_COLUMNS = [
  "tmap_draftterritoryid",
  "_tmap_planid_value",
  "tmap_savetoken",
  "tmap_key",
  "tmap_name",
  "tmap_color",
  "_tmap_repid_value",
  "_tmap_territoryid_value",
  "tmap_index",
  "tmap_accountcount",
  "tmap_totals",
];
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
const NOT_FOUND_CODE = 0x80040217;
const THROTTLING_CODES = new Set([0x80072322, 0x80072321, 0x80072326]);

const SUMMARY_COLUMNS = [
  "tmap_planid",
  "tmap_name",
  "tmap_version",
  "_tmap_parentplanid_value",
  "tmap_status",
  "tmap_savestate",
  "tmap_notes",
  "tmap_metrics",
  "tmap_accountcount",
  "tmap_chunkcount",
  "tmap_savetoken",
  "_ownerid_value",
  "createdon",
  "modifiedon",
];
const PLAN_COLUMNS = [...SUMMARY_COLUMNS, "tmap_balancingsettings"];

export interface WebApiDraftRepositoryOptions {
  /** Largest chunk in characters (default 1,000,000; memo limit 1,048,576). */
  maxChunkChars?: number;
  /** Deflate level (default 6). */
  compressionLevel?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** New save tokens (default crypto.randomUUID). */
  newToken?: () => string;
  /** Retries of a throttled request (429 / service protection codes; the request was not executed). Default 3. */
  maxThrottleRetries?: number;
  /** Waits ms (replaceable in tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Conditional final steps retried after a 412 that left the token alone (someone renamed the plan). Default 3. */
  maxFinalRetries?: number;
}

type Entity = ComponentFramework.WebApi.Entity;

interface Counter {
  n: number;
  total: number;
  onProgress?: SaveOptions["onProgress"];
}

export class WebApiDraftRepository implements DraftRepository {
  private readonly webApi: ComponentFramework.WebApi;
  private readonly bulk: DraftBulkApi;
  private readonly opts: Required<Omit<WebApiDraftRepositoryOptions, "compressionLevel">> & {
    compressionLevel: WebApiDraftRepositoryOptions["compressionLevel"];
  };

  public constructor(webApi: ComponentFramework.WebApi, bulk: DraftBulkApi, options: WebApiDraftRepositoryOptions = {}) {
    this.webApi = webApi;
    this.bulk = bulk;
    this.opts = {
      maxChunkChars: options.maxChunkChars ?? 1_000_000,
      compressionLevel: options.compressionLevel,
      newToken: options.newToken ?? randomToken,
      maxThrottleRetries: options.maxThrottleRetries ?? 3,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      maxFinalRetries: options.maxFinalRetries ?? 3,
    };
  }

  // ---------- reading ----------

  public async listDrafts(options: ListOptions = {}): Promise<DraftSummary[]> {
    const c: Counter = { n: 0, total: 1 };
    const statuses = new Set<DraftStatus>(options.statuses ?? ["draft", "published", "partially-published"]);
    const [plans, rows] = await this.call(c, () =>
      this.bulk.retrieveEach([
        { entity: PLAN, query: `?$select=${SUMMARY_COLUMNS.join(",")}&$filter=statecode eq 0&$orderby=modifiedon desc` },
        {
          entity: TERRITORY,
          query: `?$select=${ROW_COLUMNS.join(",")}&$filter=statecode eq 0`,
        },
      ]),
    );
    const byPlan = new Map<string, DraftEntity[]>();
    for (const r of rows) {
      const plan = r._tmap_planid_value ? normaliseGuid(String(r._tmap_planid_value)) : "";
      const list = byPlan.get(plan) ?? [];
      list.push(r);
      byPlan.set(plan, list);
    }
    return plans
      .map((row) => {
        const summary = toSummary(row as Entity);
        const current = (byPlan.get(summary.id) ?? []).filter((r) => summary.saveToken !== null && r.tmap_savetoken === summary.saveToken);
        // Drafts saved with territory rows list them from the rows (hand edits in Dynamics included);
        // older drafts (no rows) from the summary in tmap_metrics.
        return current.length ? { ...summary, territories: summariesFromRows(current, summary.territories) } : summary;
      })
      .filter((s) => statuses.has(s.status));
  }

  public async loadDraft(id: string, options: LoadOptions = {}): Promise<LoadedDraft> {
    const c: Counter = { n: 0, total: 2 };
    const planId = normaliseGuid(id);
    for (let attempt = 0; ; attempt++) {
      const row = await this.retrievePlan(c, planId, PLAN_COLUMNS);
      const info = toSummary(row);
      if (info.saveState !== "complete" && !options.allowIncomplete) throw new DraftIncompleteError(info, null);
      const stored = await this.readVersion(c, info);
      try {
        const { draft, reconciliation } = this.toDraft(row, info, stored);
        return { draft, info, requests: c.n, reconciliation };
      } catch (e) {
        // A save that completed between reading the plan and its parts removes the parts we were about to read:
        // read again when the plan's token moved on.
        if (attempt >= 2 || !(e instanceof DraftCorruptError || e instanceof DraftIncompleteError)) throw e;
        const again = toSummary(await this.retrievePlan(c, planId, ["tmap_planid", "tmap_savetoken"]));
        if (again.saveToken === info.saveToken) throw e;
      }
    }
  }

  // ---------- saving ----------

  public async saveAsDraft(draft: Draft, options: SaveOptions = {}): Promise<SaveResult> {
    if (draft.id === undefined)
      return this.createPlan(draft, { name: draft.name, version: Math.max(1, draft.version), parentId: draft.parentId }, options);
    return this.overwrite(draft, options);
  }

  /** A new draft (version 1) that remembers the draft it came from (its parent). */
  public async saveAsNewDraft(draft: Draft, options: SaveOptions & { name?: string } = {}): Promise<SaveResult> {
    const parentId = draft.id ?? draft.parentId;
    return this.createPlan(draft, { name: options.name ?? draft.name, version: 1, parentId }, options);
  }

  public async overwrite(draft: Draft, options: SaveOptions = {}): Promise<SaveResult> {
    if (draft.id === undefined)
      throw new DraftRepositoryError("invalid", "Only a saved draft can be overwritten; use Save as draft first.");
    const accepted = draft.saveToken ? [draft.saveToken] : [];
    return this.overwritePlan(
      draft,
      normaliseGuid(draft.id),
      // each save of a draft is its next version (the conditional save makes the stored version the one loaded)
      { name: draft.name, version: Math.max(1, draft.version) + 1, parentId: draft.parentId },
      accepted,
      options,
    );
  }

  public async retrySave(draft: Draft, failure: DraftSaveError, options: SaveOptions = {}): Promise<SaveResult> {
    if (failure.planId === null) {
      // The create may have run although its response was lost: find the plan by the interrupted save's token.
      const found = await this.retrieveAll(
        { n: 0, total: 1 },
        PLAN,
        `?$select=tmap_planid&$filter=tmap_savetoken eq '${failure.pendingToken}'`,
      );
      if (found.length === 0) return this.createPlan(draft, failure.target, options);
      const planId = normaliseGuid(String(found[0].tmap_planid));
      return this.overwritePlan(draft, planId, failure.target, [failure.pendingToken], options);
    }
    const accepted = [
      failure.pendingToken,
      ...(failure.previousToken ? [failure.previousToken] : []),
      ...(draft.saveToken ? [draft.saveToken] : []),
    ];
    return this.overwritePlan(draft, failure.planId, failure.target, accepted, options);
  }

  public async resumeIncomplete(id: string): Promise<SaveResult> {
    const c: Counter = { n: 0, total: 3 };
    const planId = normaliseGuid(id);
    const row = await this.retrievePlan(c, planId, PLAN_COLUMNS);
    const info = toSummary(row);
    const stored = await this.readVersion(c, info);
    this.toDraft(row, info, stored); // verifies every part and checksum, throws DraftIncompleteError otherwise
    if (info.saveState !== "complete")
      await this.call(c, () => this.webApi.updateRecord(PLAN, planId, { tmap_savestate: SaveStateValue.Complete }));
    return {
      id: planId,
      saveToken: info.saveToken ?? "",
      version: info.version,
      parentId: info.parentId,
      chunkCount: info.chunkCount,
      territoryRows: storedRowCount(row),
      requests: c.n,
    };
  }

  public async deleteDraft(id: string): Promise<void> {
    const c: Counter = { n: 0, total: 1 };
    const planId = normaliseGuid(id);
    try {
      // The plan's chunks and territory rows go with it: both relationships are parental (cascade delete).
      await this.call(c, () => this.webApi.deleteRecord(PLAN, planId));
    } catch (e) {
      if (isNotFound(e)) throw new DraftNotFoundError(planId, e);
      throw e;
    }
  }

  public async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) throw new DraftRepositoryError("invalid", "A draft needs a name.");
    if (trimmed.length > 200) throw new DraftRepositoryError("invalid", "A draft name has at most 200 characters.");
    const planId = normaliseGuid(id);
    try {
      await this.call({ n: 0, total: 1 }, () => this.webApi.updateRecord(PLAN, planId, { tmap_name: trimmed }));
    } catch (e) {
      if (isNotFound(e)) throw new DraftNotFoundError(planId, e);
      throw e;
    }
  }

  // ---------- protocol ----------

  private async createPlan(
    draft: Draft,
    target: { name: string; version: number; parentId: string | null },
    options: SaveOptions,
  ): Promise<SaveResult> {
    const body = this.encode(draft, target.name);
    const token = this.opts.newToken();
    const c: Counter = { n: 0, total: 3, onProgress: options.onProgress };
    let planId: string | null = null;
    let stage: SaveStage = "create-plan";
    try {
      const fields = this.planFields(draft, target, body, token, SaveStateValue.Incomplete);
      if (target.parentId) fields["tmap_parentplanid@odata.bind"] = `/${PLAN_SET}(${normaliseGuid(target.parentId)})`;
      const created = await this.call(c, () => this.webApi.createRecord(PLAN, fields));
      planId = normaliseGuid(String(created.id));
      stage = "write-chunks";
      await this.writeVersion(c, planId, draft, target, body, token);
      stage = "complete";
      await this.call(c, () => this.webApi.updateRecord(PLAN, planId as string, { tmap_savestate: SaveStateValue.Complete }));
    } catch (e) {
      if (e instanceof DraftRepositoryError) throw e;
      throw new DraftSaveError({
        planId,
        pendingToken: token,
        previousToken: null,
        stage,
        planIncomplete: planId !== null,
        cause: e,
        target,
      });
    }
    return {
      id: planId,
      saveToken: token,
      version: target.version,
      parentId: target.parentId,
      chunkCount: body.chunks.length,
      territoryRows: draft.territories.length,
      requests: c.n,
    };
  }

  private async overwritePlan(
    draft: Draft,
    planId: string,
    target: { name: string; version: number; parentId: string | null },
    accepted: string[],
    options: SaveOptions,
  ): Promise<SaveResult> {
    const body = this.encode(draft, target.name);
    const token = this.opts.newToken();
    const c: Counter = { n: 0, total: 3, onProgress: options.onProgress };
    const failure = (stage: SaveStage, e: unknown, planIncomplete: boolean) =>
      new DraftSaveError({ planId, pendingToken: token, previousToken: accepted[0] ?? null, stage, planIncomplete, cause: e, target });

    // 1. the plan (etag, token) and the ids of everything stored for it
    let state: StoredState;
    try {
      state = await this.readState(c, planId);
    } catch (e) {
      if (e instanceof DraftRepositoryError) throw e;
      throw failure("check", e, false);
    }
    const before = state.summary;
    if (before.status !== "draft")
      throw new DraftRepositoryError("read-only", `"${before.name}" is ${before.status}; save your changes as a new draft.`);
    if (!before.saveToken || !accepted.includes(before.saveToken))
      throw new DraftConflictError(planId, accepted[0] ?? null, before.saveToken, before);
    const wasIncomplete = before.saveState !== "complete";

    // 2. the new version, tagged with the new token, in one change set (the plan still points at the previous one)
    let written: DraftRowRef[];
    try {
      written = await this.writeVersion(c, planId, draft, target, body, token);
    } catch (e) {
      throw failure("write-chunks", e, wasIncomplete);
    }

    // 3. conditional switch: If-Match on the plan as read, and every other stored part removed, in one change set
    const fields = this.planFields(draft, target, body, token, SaveStateValue.Complete);
    if (target.parentId) fields["tmap_parentplanid@odata.bind"] = `/${PLAN_SET}(${normaliseGuid(target.parentId)})`;
    for (let attempt = 0; ; attempt++) {
      const stale = state.parts.filter((p) => p.token !== token).map((p) => p.ref);
      const inFinal = stale.slice(0, MAX_DELETES_IN_FINAL);
      try {
        await this.call(c, () => this.bulk.updateIfMatch(PLAN, planId, fields, state.etag, inFinal));
        if (stale.length > inFinal.length)
          await this.call(c, () => this.bulk.deleteEach(stale.slice(inFinal.length))).catch(() => undefined);
        break;
      } catch (e) {
        if (!isPreconditionFailed(e) && !isNotFound(e)) throw failure("complete", e, wasIncomplete);
        // The plan changed since it was read (412), or a part to delete is gone (404): read again.
        try {
          state = await this.readState(c, planId);
        } catch (again) {
          if (again instanceof DraftNotFoundError) throw again;
          throw failure("complete", again, wasIncomplete);
        }
        const now = state.summary;
        if (!now.saveToken || !accepted.includes(now.saveToken) || attempt >= this.opts.maxFinalRetries) {
          // Another save completed first: it wins. Remove what this save wrote (best effort; the next save would).
          await this.call(c, () => this.bulk.deleteEach(written)).catch(() => undefined);
          throw new DraftConflictError(planId, before.saveToken, now.saveToken, now);
        }
      }
    }
    return {
      id: planId,
      saveToken: token,
      version: target.version,
      parentId: target.parentId,
      chunkCount: body.chunks.length,
      territoryRows: draft.territories.length,
      requests: c.n,
    };
  }

  /** ONE $batch: the plan with its etag, and the id and token of each of its chunks and territory rows. */
  private async readState(c: Counter, planId: string): Promise<StoredState> {
    const [plans, chunks, rows] = await this.call(c, () =>
      this.bulk.retrieveEach([
        { entity: PLAN, query: `?$select=${SUMMARY_COLUMNS.join(",")}&$filter=tmap_planid eq ${planId}` },
        { entity: CHUNK, query: `?$select=tmap_assignmentchunkid,tmap_savetoken&$filter=_tmap_planid_value eq ${planId}` },
        { entity: TERRITORY, query: `?$select=tmap_draftterritoryid,tmap_savetoken&$filter=_tmap_planid_value eq ${planId}` },
      ]),
    );
    if (plans.length === 0) throw new DraftNotFoundError(planId);
    const etag = plans[0]["@odata.etag"];
    if (typeof etag !== "string" || !etag) throw new Error(`The plan ${planId} was read without its @odata.etag`);
    const parts = [
      ...chunks.map((r) => ({ ref: { entity: CHUNK, id: String(r.tmap_assignmentchunkid) }, token: String(r.tmap_savetoken ?? "") })),
      ...rows.map((r) => ({ ref: { entity: TERRITORY, id: String(r.tmap_draftterritoryid) }, token: String(r.tmap_savetoken ?? "") })),
    ];
    return { summary: toSummary(plans[0] as Entity), etag, parts };
  }

  private encode(draft: Draft, name: string): EncodedDraftBody {
    const problems = validateDraft({ ...draft, name });
    if (problems.length) throw new DraftRepositoryError("invalid", `The draft cannot be saved: ${problems.join(" ")}`);
    try {
      return encodeDraftBody(
        { territories: draft.territories, assignments: draft.assignments, baseline: draft.baseline ?? null },
        { maxChunkChars: this.opts.maxChunkChars, level: this.opts.compressionLevel },
      );
    } catch (e) {
      if (e instanceof DraftCodecError) throw new DraftRepositoryError("invalid", e.message, e);
      throw e;
    }
  }

  private planFields(
    draft: Draft,
    target: { name: string; version: number },
    body: EncodedDraftBody,
    token: string,
    saveState: number,
  ): Entity {
    const counts = accountCounts(draft.assignments, draft.territories.length);
    const metrics: StoredMetrics = {
      schema: "tmap-draft-metrics/1",
      metrics: draft.metrics ?? null,
      territoryRows: draft.territories.length,
      territories: draft.territories.map((t, index): TerritorySummary => ({
        index,
        key: t.key,
        name: t.name,
        color: t.color,
        repId: t.repId,
        territoryId: t.territoryId,
        accountCount: counts[index],
        totals: t.totals ?? {},
      })),
    };
    const fields: Entity = {
      tmap_name: target.name.trim(),
      tmap_version: target.version,
      tmap_status: PlanStatusValue.Draft,
      tmap_savestate: saveState,
      tmap_savetoken: token,
      tmap_notes: draft.notes ?? "",
      tmap_balancingsettings: draft.balancingSettings == null ? null : JSON.stringify(draft.balancingSettings),
      tmap_metrics: JSON.stringify(metrics),
      tmap_accountcount: body.accountCount,
      tmap_chunkcount: body.chunks.length,
    };
    if (String(fields.tmap_notes).length > 100_000) throw new DraftRepositoryError("invalid", "Notes are limited to 100,000 characters.");
    if (fields.tmap_balancingsettings && String(fields.tmap_balancingsettings).length > 100_000)
      throw new DraftRepositoryError("invalid", "Balancing settings exceed 100,000 characters.");
    if (String(fields.tmap_metrics).length > 1_048_576)
      throw new DraftRepositoryError("invalid", "The metrics snapshot exceeds 1,048,576 characters.");
    return fields;
  }

  /** ONE change set: the chunks and one row per territory, all tagged with `token`. Returns what it created. */
  private async writeVersion(
    c: Counter,
    planId: string,
    draft: Draft,
    target: { name: string; version: number },
    body: EncodedDraftBody,
    token: string,
  ): Promise<DraftRowRef[]> {
    const plan = `/${PLAN_SET}(${planId})`;
    const chunks = body.chunks.map((ch) => ({
      entity: CHUNK,
      data: {
        tmap_name: `${target.name.trim().slice(0, 160)} · part ${ch.index + 1}/${ch.count}`,
        "tmap_planid@odata.bind": plan,
        tmap_chunkindex: ch.index,
        tmap_chunkcount: ch.count,
        tmap_payload: ch.payload,
        tmap_checksum: ch.checksum,
        tmap_savetoken: token,
      } as DraftEntity,
    }));
    const rows = territoryRows(draft, plan, target.version, token).map((data) => ({ entity: TERRITORY, data }));
    let ids: string[];
    try {
      ids = await this.call(c, () => this.bulk.createAtomically([...chunks, ...rows]));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // A representative or territory the draft refers to no longer exists in Dynamics: write the rows without
      // those lookups (the draft body keeps them; publishing reports them).
      ids = await this.call(c, () =>
        this.bulk.createAtomically([...chunks, ...rows.map((r) => ({ ...r, data: withoutReferences(r.data) }))]),
      );
    }
    const all = [...chunks, ...rows];
    return ids.map((id, i) => ({ entity: all[i].entity, id }));
  }

  /** ONE $batch: the chunks and territory rows carrying the plan's token. */
  private async readVersion(c: Counter, info: DraftSummary): Promise<{ chunks: StoredChunk[]; rows: DraftEntity[] | null }> {
    if (!info.saveToken) return { chunks: [], rows: null };
    const token = info.saveToken.replace(/'/g, "''");
    const [chunkRows, rows] = await this.call(c, () =>
      this.bulk.retrieveEach([
        {
          entity: CHUNK,
          query: `?$select=tmap_chunkindex,tmap_chunkcount,tmap_payload,tmap_checksum&$filter=_tmap_planid_value eq ${info.id} and tmap_savetoken eq '${token}'`,
        },
        {
          entity: TERRITORY,
          query: `?$select=${ROW_COLUMNS.join(",")}&$filter=_tmap_planid_value eq ${info.id} and tmap_savetoken eq '${token}'`,
        },
      ]),
    );
    const chunks = chunkRows.map((r) => ({
      index: Number(r.tmap_chunkindex),
      count: Number(r.tmap_chunkcount),
      payload: String(r.tmap_payload ?? ""),
      checksum: r.tmap_checksum == null ? null : String(r.tmap_checksum),
    }));
    return { chunks, rows };
  }

  private toDraft(
    row: Entity,
    info: DraftSummary,
    stored: { chunks: StoredChunk[]; rows: DraftEntity[] | null },
  ): { draft: Draft; reconciliation: TerritoryRowDifference[] } {
    let body;
    try {
      body = decodeDraftBody(stored.chunks, { chunkCount: info.chunkCount, accountCount: info.accountCount });
    } catch (e) {
      if (!(e instanceof DraftCodecError)) throw e;
      if (info.saveState !== "complete") throw new DraftIncompleteError(info, e.message, e);
      throw new DraftCorruptError(info.id, `The draft "${info.name}" cannot be opened: ${e.message}`, e);
    }
    // Drafts saved with territory rows: reconcile the rows (edited or deleted by hand in Dynamics) with the body.
    const withRows = storedRowCount(row) > 0 && stored.rows !== null;
    const { territories, differences } = withRows
      ? reconcileTerritoryRows(body.territories, (stored.rows ?? []).map(rowView))
      : { territories: body.territories, differences: [] };
    const draft: Draft = {
      id: info.id,
      name: info.name,
      version: info.version,
      parentId: info.parentId,
      status: info.status,
      notes: info.notes,
      balancingSettings: parseJson(row.tmap_balancingsettings),
      metrics: info.metrics,
      territories,
      assignments: body.assignments,
      baseline: body.baseline ?? null,
      saveToken: info.saveToken ?? undefined,
    };
    return { draft, reconciliation: differences };
  }

  // ---------- Web API plumbing ----------

  private async retrievePlan(c: Counter, planId: string, columns: string[]): Promise<Entity> {
    try {
      return await this.call(c, () => this.webApi.retrieveRecord(PLAN, planId, `?$select=${columns.join(",")}`));
    } catch (e) {
      if (isNotFound(e)) throw new DraftNotFoundError(planId, e);
      throw e;
    }
  }

  private async retrieveAll(c: Counter, entity: string, query: string, pageSize?: number): Promise<Entity[]> {
    const out: Entity[] = [];
    let options: string | undefined = query;
    while (options !== undefined) {
      const q = options;
      const page: ComponentFramework.WebApi.RetrieveMultipleResponse = await this.call(c, () =>
        this.webApi.retrieveMultipleRecords(entity, q, pageSize),
      );
      out.push(...page.entities);
      options = page.nextLink ? nextLinkOptions(page.nextLink) : undefined;
    }
    return out;
  }

  /** One Web API request (counted), retried while throttled. */
  private async call<T>(c: Counter, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      c.n++;
      try {
        const r = await fn();
        c.onProgress?.({ done: Math.min(c.n, c.total), total: Math.max(c.total, c.n) });
        return r;
      } catch (e) {
        const retryAfter = throttledRetryAfter(e);
        if (retryAfter === null || attempt >= this.opts.maxThrottleRetries) throw e;
        await this.opts.sleep(Math.min(retryAfter, 30) * 1000);
      }
    }
  }
}

// ---------- helpers ----------

interface StoredState {
  summary: DraftSummary;
  etag: string;
  parts: { ref: DraftRowRef; token: string }[];
}

/** One tmap_draftterritory row per territory, tagged with the save token. */
function territoryRows(draft: Draft, planBind: string, version: number, token: string): DraftEntity[] {
  const counts = accountCounts(draft.assignments, draft.territories.length);
  const measure = targetMeasureOf(draft.territories, draft.balancingSettings ?? null);
  const targets = territoryTargets(draft.territories, counts, measure);
  return draft.territories.map((t, index) => {
    const row: DraftEntity = {
      tmap_name: t.name.trim().slice(0, 200) || `Territory ${index + 1}`,
      "tmap_planid@odata.bind": planBind,
      tmap_savetoken: token,
      tmap_key: t.key,
      tmap_index: index,
      tmap_version: version,
      tmap_color: t.color,
      // (the body keeps shapes and postal codes whole; a row holds them only when they fit its memo columns)
      tmap_geometry: fitsMemo(t.geometry == null ? null : JSON.stringify(t.geometry)),
      tmap_postalcodes: fitsMemo(t.postalCodes.join(",")),
      tmap_totals: JSON.stringify({ ...(t.totals ?? {}), accounts: counts[index] }),
      tmap_accountcount: counts[index],
      tmap_targetmeasure: targets.measure,
      tmap_target: round4(targets.target),
      tmap_deviation: round4(targets.deviation[index]),
    };
    if (t.repId) row["tmap_repid@odata.bind"] = `/systemusers(${normaliseGuid(t.repId)})`;
    if (t.territoryId) row["tmap_territoryid@odata.bind"] = `/territories(${normaliseGuid(t.territoryId)})`;
    if (t.parentTerritoryId) row["tmap_parentterritoryid@odata.bind"] = `/territories(${normaliseGuid(t.parentTerritoryId)})`;
    return row;
  });
}

function withoutReferences(row: DraftEntity): DraftEntity {
  const out = { ...row };
  delete out["tmap_repid@odata.bind"];
  delete out["tmap_territoryid@odata.bind"];
  delete out["tmap_parentterritoryid@odata.bind"];
  return out;
}

function fitsMemo(text: string | null): string | null {
  return text !== null && text.length <= 1_048_576 ? text : null;
}

/** A decimal column's value: 4 decimals, inside the column's range (±100,000,000,000), 0 when not a number. */
function round4(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.max(-100_000_000_000, Math.min(100_000_000_000, Math.round(v * 10_000) / 10_000));
}

function rowView(r: DraftEntity): TerritoryRowView {
  return {
    key: String(r.tmap_key ?? ""),
    name: String(r.tmap_name ?? ""),
    color: String(r.tmap_color ?? ""),
    repId: r._tmap_repid_value ? normaliseGuid(String(r._tmap_repid_value)) : null,
  };
}

/** Territory summaries for the list from the current rows (summary of the metrics for what rows do not hold). */
function summariesFromRows(rows: DraftEntity[], fromMetrics: TerritorySummary[]): TerritorySummary[] {
  const byKey = new Map(fromMetrics.map((t) => [t.key, t]));
  return rows
    .map((r): TerritorySummary => {
      const key = String(r.tmap_key ?? "");
      const totals = parseJson(r.tmap_totals);
      return {
        index: Number(r.tmap_index ?? 0),
        key,
        name: String(r.tmap_name ?? ""),
        color: String(r.tmap_color ?? byKey.get(key)?.color ?? ""),
        repId: r._tmap_repid_value ? normaliseGuid(String(r._tmap_repid_value)) : (byKey.get(key)?.repId ?? null),
        territoryId: r._tmap_territoryid_value ? normaliseGuid(String(r._tmap_territoryid_value)) : (byKey.get(key)?.territoryId ?? null),
        accountCount: Number(r.tmap_accountcount ?? 0),
        totals:
          totals && typeof totals === "object" && !Array.isArray(totals)
            ? (totals as Record<string, number>)
            : (byKey.get(key)?.totals ?? {}),
      };
    })
    .sort((a, b) => a.index - b.index);
}

/** Territory rows the plan's current save wrote (0 for drafts saved before rows existed). */
function storedRowCount(row: Entity): number {
  const stored = parseJson(row.tmap_metrics) as Partial<StoredMetrics> | null;
  return stored && typeof stored === "object" && typeof stored.territoryRows === "number" ? stored.territoryRows : 0;
}

function isPreconditionFailed(e: unknown): boolean {
  return statusOf(e) === 412 || errorCodeOf(e) === CONCURRENCY_CODE;
}

function toSummary(row: Entity): DraftSummary {
  const stored = parseJson(row.tmap_metrics) as Partial<StoredMetrics> | null;
  const isOurs = !!stored && typeof stored === "object" && stored.schema === "tmap-draft-metrics/1";
  const parent = row._tmap_parentplanid_value;
  const owner = row._ownerid_value;
  return {
    id: normaliseGuid(String(row.tmap_planid)),
    name: String(row.tmap_name ?? ""),
    version: Number(row.tmap_version ?? 0),
    parentId: parent ? normaliseGuid(String(parent)) : null,
    status: statusFromValue(row.tmap_status),
    notes: String(row.tmap_notes ?? ""),
    saveToken: row.tmap_savetoken ? String(row.tmap_savetoken) : null,
    metrics: isOurs ? (stored.metrics ?? null) : (stored as JsonValue | null),
    territories: isOurs && Array.isArray(stored.territories) ? stored.territories : [],
    ownerId: owner ? String(owner).toLowerCase() : null,
    ownerName: row[`_ownerid_value${FORMATTED}`] ? String(row[`_ownerid_value${FORMATTED}`]) : null,
    createdOn: row.createdon ? String(row.createdon) : null,
    modifiedOn: row.modifiedon ? String(row.modifiedon) : null,
    saveState: saveStateFromValue(row.tmap_savestate),
    accountCount: Number(row.tmap_accountcount ?? 0),
    chunkCount: Number(row.tmap_chunkcount ?? 0),
  };
}

function parseJson(v: unknown): JsonValue | null {
  if (v == null || v === "") return null;
  try {
    return JSON.parse(String(v)) as JsonValue;
  } catch {
    return null;
  }
}

/** The platform's retrieveMultipleRecords takes the nextLink's query part as `options`. */
function nextLinkOptions(nextLink: string): string {
  const q = nextLink.indexOf("?");
  return q >= 0 ? nextLink.slice(q) : nextLink;
}

function errorCodeOf(e: unknown): number | null {
  if (e && typeof e === "object" && "errorCode" in e) return Number((e as { errorCode: unknown }).errorCode) >>> 0;
  // DataverseError (the bulk API): code "0x80040217"
  if (e && typeof e === "object" && "code" in e) {
    const code = String((e as { code: unknown }).code);
    if (/^0x[0-9a-f]+$/i.test(code)) return Number.parseInt(code.slice(2), 16) >>> 0;
  }
  return null;
}

function statusOf(e: unknown): number | null {
  if (e && typeof e === "object" && "status" in e) return Number((e as { status: unknown }).status);
  return null;
}

function isNotFound(e: unknown): boolean {
  return errorCodeOf(e) === NOT_FOUND_CODE || statusOf(e) === 404;
}

/** Seconds to wait when `e` is a throttling error, else null. */
function throttledRetryAfter(e: unknown): number | null {
  const code = errorCodeOf(e);
  if (statusOf(e) !== 429 && (code === null || !THROTTLING_CODES.has(code))) return null;
  const s = e && typeof e === "object" && "retryAfterSeconds" in e ? Number((e as { retryAfterSeconds: unknown }).retryAfterSeconds) : NaN;
  return Number.isFinite(s) && s >= 0 ? s : 1;
}

function randomToken(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const hex = () => Math.floor(Math.random() * 16).toString(16);
  return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, hex);
}
