/**
 * DraftRepository over ComponentFramework.WebApi (context.webAPI) — the documented PCF API only:
 * createRecord / updateRecord / retrieveRecord / retrieveMultipleRecords / deleteRecord. No $batch, no If-Match.
 *
 * Save protocol (a half-done save never looks complete):
 * - New plan (saveAsDraft without id, saveAsNewDraft): create the plan with tmap_savestate = Incomplete and a
 *   fresh tmap_savetoken T → create the chunks tagged T → set Complete. Requests: 2 + chunks.
 * - Overwrite: read the plan and check its token is the one the draft was loaded with (else DraftConflictError)
 *   → create the new chunks tagged T' (the plan still points at the old, complete token) → read the token again
 *   (a save that raced ours wins; ours reports a conflict and removes its chunks) → ONE update switches the plan
 *   to T' with the new metadata and Complete → list the plan's chunks and delete the superseded ones.
 *   An interrupted overwrite therefore leaves the previous complete version loadable. Requests: 4 + 2 × chunks.
 * - Load: read the plan → read its chunks with the plan's token (one page). Requests: 2.
 * For 100,000 accounts / 50 territories the body is 2 chunks: new save 4 requests, overwrite 8, load 2,
 * list (all drafts with territory summaries) 1.
 *
 * Concurrency without If-Match: the token changes on every completed save, so "the plan still carries the token
 * I loaded" is the optimistic-concurrency check; a rename does not change the token and never conflicts.
 */
import {
  DraftCodecError,
  encodeDraftBody,
  decodeDraftBody,
  type EncodedDraftBody,
  type StoredChunk,
} from "../../TerritoryMapControl/domain/drafts/codec";
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
  /** Orphaned chunks (from crashed sessions) older than this are removed by the next save. Default 1 hour. */
  orphanAgeMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

type Entity = ComponentFramework.WebApi.Entity;

interface Counter {
  n: number;
  total: number;
  onProgress?: SaveOptions["onProgress"];
}

export class WebApiDraftRepository implements DraftRepository {
  private readonly webApi: ComponentFramework.WebApi;
  private readonly opts: Required<Omit<WebApiDraftRepositoryOptions, "compressionLevel">> & {
    compressionLevel: WebApiDraftRepositoryOptions["compressionLevel"];
  };

  public constructor(webApi: ComponentFramework.WebApi, options: WebApiDraftRepositoryOptions = {}) {
    this.webApi = webApi;
    this.opts = {
      maxChunkChars: options.maxChunkChars ?? 1_000_000,
      compressionLevel: options.compressionLevel,
      newToken: options.newToken ?? randomToken,
      maxThrottleRetries: options.maxThrottleRetries ?? 3,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      orphanAgeMs: options.orphanAgeMs ?? 3_600_000,
      now: options.now ?? (() => Date.now()),
    };
  }

  // ---------- reading ----------

  public async listDrafts(options: ListOptions = {}): Promise<DraftSummary[]> {
    const c: Counter = { n: 0, total: 1 };
    const statuses = new Set<DraftStatus>(options.statuses ?? ["draft", "published", "partially-published"]);
    const rows = await this.retrieveAll(c, PLAN, `?$select=${SUMMARY_COLUMNS.join(",")}&$filter=statecode eq 0&$orderby=modifiedon desc`);
    return rows.map(toSummary).filter((s) => statuses.has(s.status));
  }

  public async loadDraft(id: string, options: LoadOptions = {}): Promise<LoadedDraft> {
    const c: Counter = { n: 0, total: 2 };
    const planId = normaliseGuid(id);
    const row = await this.retrievePlan(c, planId, PLAN_COLUMNS);
    const info = toSummary(row);
    if (info.saveState !== "complete" && !options.allowIncomplete) throw new DraftIncompleteError(info, null);
    const chunks = await this.readChunks(c, info);
    return { draft: this.toDraft(row, info, chunks), info, requests: c.n };
  }

  // ---------- saving ----------

  public async saveAsDraft(draft: Draft, options: SaveOptions = {}): Promise<SaveResult> {
    if (draft.id === undefined)
      return this.createPlan(draft, { name: draft.name, version: Math.max(1, draft.version), parentId: draft.parentId }, options);
    return this.overwrite(draft, options);
  }

  public async saveAsNewDraft(draft: Draft, options: SaveOptions & { name?: string } = {}): Promise<SaveResult> {
    const parentId = draft.id ?? draft.parentId;
    const version = draft.id !== undefined ? draft.version + 1 : Math.max(1, draft.version);
    return this.createPlan(draft, { name: options.name ?? draft.name, version, parentId }, options);
  }

  public async overwrite(draft: Draft, options: SaveOptions = {}): Promise<SaveResult> {
    if (draft.id === undefined)
      throw new DraftRepositoryError("invalid", "Only a saved draft can be overwritten; use Save as draft first.");
    const accepted = draft.saveToken ? [draft.saveToken] : [];
    return this.overwritePlan(
      draft,
      normaliseGuid(draft.id),
      { name: draft.name, version: draft.version, parentId: draft.parentId },
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
    const chunks = await this.readChunks(c, info);
    this.toDraft(row, info, chunks); // verifies every part and checksum, throws DraftIncompleteError otherwise
    if (info.saveState !== "complete")
      await this.call(c, () => this.webApi.updateRecord(PLAN, planId, { tmap_savestate: SaveStateValue.Complete }));
    return {
      id: planId,
      saveToken: info.saveToken ?? "",
      version: info.version,
      parentId: info.parentId,
      chunkCount: info.chunkCount,
      requests: c.n,
    };
  }

  public async deleteDraft(id: string): Promise<void> {
    const c: Counter = { n: 0, total: 2 };
    const planId = normaliseGuid(id);
    const chunks = await this.retrieveAll(c, CHUNK, `?$select=tmap_assignmentchunkid&$filter=_tmap_planid_value eq ${planId}`);
    for (const ch of chunks) await this.call(c, () => this.webApi.deleteRecord(CHUNK, String(ch.tmap_assignmentchunkid)));
    try {
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
    const c: Counter = { n: 0, total: 2 + body.chunks.length, onProgress: options.onProgress };
    let planId: string | null = null;
    let stage: SaveStage = "create-plan";
    try {
      const fields = this.planFields(draft, target, body, token, SaveStateValue.Incomplete);
      if (target.parentId) fields["tmap_parentplanid@odata.bind"] = `/${PLAN_SET}(${normaliseGuid(target.parentId)})`;
      const created = await this.call(c, () => this.webApi.createRecord(PLAN, fields));
      planId = normaliseGuid(String(created.id));
      stage = "write-chunks";
      await this.writeChunks(c, planId, target.name, body, token);
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
    const c: Counter = { n: 0, total: 4 + 2 * body.chunks.length, onProgress: options.onProgress };
    const failure = (stage: SaveStage, e: unknown, planIncomplete: boolean) =>
      new DraftSaveError({ planId, pendingToken: token, previousToken: accepted[0] ?? null, stage, planIncomplete, cause: e, target });

    // 1. conflict check
    let before: DraftSummary;
    try {
      before = toSummary(await this.retrievePlan(c, planId, SUMMARY_COLUMNS));
    } catch (e) {
      if (e instanceof DraftRepositoryError) throw e;
      throw failure("check", e, false);
    }
    if (before.status !== "draft")
      throw new DraftRepositoryError("read-only", `"${before.name}" is ${before.status}; save your changes as a new draft.`);
    if (!before.saveToken || !accepted.includes(before.saveToken))
      throw new DraftConflictError(planId, accepted[0] ?? null, before.saveToken, before);
    const wasIncomplete = before.saveState !== "complete";

    // 2. new parts, tagged with the new token (the plan still points at the previous, complete parts)
    try {
      await this.writeChunks(c, planId, target.name, body, token);
    } catch (e) {
      throw failure("write-chunks", e, wasIncomplete);
    }

    // 3. re-check: a save that completed meanwhile wins
    let now: DraftSummary;
    try {
      now = toSummary(await this.retrievePlan(c, planId, SUMMARY_COLUMNS));
    } catch (e) {
      if (e instanceof DraftRepositoryError) throw e;
      throw failure("check", e, wasIncomplete);
    }
    if (now.saveToken !== before.saveToken) {
      await this.deleteChunksWithToken(c, planId, token).catch(() => undefined);
      throw new DraftConflictError(planId, before.saveToken, now.saveToken, now);
    }

    // 4. one update switches the plan to the new parts and marks it complete
    try {
      const fields = this.planFields(draft, target, body, token, SaveStateValue.Complete);
      if (target.parentId) fields["tmap_parentplanid@odata.bind"] = `/${PLAN_SET}(${normaliseGuid(target.parentId)})`;
      await this.call(c, () => this.webApi.updateRecord(PLAN, planId, fields));
    } catch (e) {
      throw failure("complete", e, wasIncomplete);
    }

    // 5. clean up superseded parts (best effort: the save is complete; leftovers are ignored by loads and removed next time)
    try {
      const stale = new Set(accepted);
      const rows = await this.retrieveAll(
        c,
        CHUNK,
        `?$select=tmap_assignmentchunkid,tmap_savetoken,createdon&$filter=_tmap_planid_value eq ${planId}`,
      );
      for (const r of rows) {
        const t = String(r.tmap_savetoken ?? "");
        if (t === token) continue;
        const age = this.opts.now() - Date.parse(String(r.createdon ?? ""));
        if (stale.has(t) || !t || age > this.opts.orphanAgeMs)
          await this.call(c, () => this.webApi.deleteRecord(CHUNK, String(r.tmap_assignmentchunkid)));
      }
    } catch {
      // superseded chunks stay until the next save; they are never read (loads filter by the plan's token)
    }
    return {
      id: planId,
      saveToken: token,
      version: target.version,
      parentId: target.parentId,
      chunkCount: body.chunks.length,
      requests: c.n,
    };
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

  private async writeChunks(c: Counter, planId: string, name: string, body: EncodedDraftBody, token: string): Promise<void> {
    for (const ch of body.chunks) {
      const label = `${name.trim().slice(0, 160)} · part ${ch.index + 1}/${ch.count}`;
      await this.call(c, () =>
        this.webApi.createRecord(CHUNK, {
          tmap_name: label,
          "tmap_planid@odata.bind": `/${PLAN_SET}(${planId})`,
          tmap_chunkindex: ch.index,
          tmap_chunkcount: ch.count,
          tmap_payload: ch.payload,
          tmap_checksum: ch.checksum,
          tmap_savetoken: token,
        }),
      );
    }
  }

  private async deleteChunksWithToken(c: Counter, planId: string, token: string): Promise<void> {
    const rows = await this.retrieveAll(
      c,
      CHUNK,
      `?$select=tmap_assignmentchunkid&$filter=_tmap_planid_value eq ${planId} and tmap_savetoken eq '${token}'`,
    );
    for (const r of rows) await this.call(c, () => this.webApi.deleteRecord(CHUNK, String(r.tmap_assignmentchunkid)));
  }

  private async readChunks(c: Counter, info: DraftSummary): Promise<StoredChunk[]> {
    if (!info.saveToken) return [];
    const rows = await this.retrieveAll(
      c,
      CHUNK,
      `?$select=tmap_chunkindex,tmap_chunkcount,tmap_payload,tmap_checksum&$filter=_tmap_planid_value eq ${info.id} and tmap_savetoken eq '${info.saveToken}'`,
      50,
    );
    return rows.map((r) => ({
      index: Number(r.tmap_chunkindex),
      count: Number(r.tmap_chunkcount),
      payload: String(r.tmap_payload ?? ""),
      checksum: r.tmap_checksum == null ? null : String(r.tmap_checksum),
    }));
  }

  private toDraft(row: Entity, info: DraftSummary, chunks: StoredChunk[]): Draft {
    let body;
    try {
      body = decodeDraftBody(chunks, { chunkCount: info.chunkCount, accountCount: info.accountCount });
    } catch (e) {
      if (!(e instanceof DraftCodecError)) throw e;
      if (info.saveState !== "complete") throw new DraftIncompleteError(info, e.message, e);
      throw new DraftCorruptError(info.id, `The draft "${info.name}" cannot be opened: ${e.message}`, e);
    }
    return {
      id: info.id,
      name: info.name,
      version: info.version,
      parentId: info.parentId,
      status: info.status,
      notes: info.notes,
      balancingSettings: parseJson(row.tmap_balancingsettings),
      metrics: info.metrics,
      territories: body.territories,
      assignments: body.assignments,
      baseline: body.baseline ?? null,
      saveToken: info.saveToken ?? undefined,
    };
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
