/**
 * Publishing a plan to Dynamics over the Web API (DataverseHttpClient): the same code runs in the control (fetch
 * to `<clientUrl>/api/data/v9.2/`, same origin) and in Node (plugins/, scripts/).
 *
 * Objective: 100,000 changed accounts in ~105 requests, no account left wrong after throttling, a dropped network
 * or a killed server, and nothing written by a second publish.
 *
 * Protocol (requests for 100k changed accounts in brackets):
 *  1. [1] one $batch of GETs: the plan, its assignment chunks, the territories, the caller's privileges
 *     (RetrieveUserPrivileges), the plan's unfinished publish log, the currently published plans.
 *  2. [1+] today's accounts: one $batch with one GET per territory (`_territoryid_value eq …`, plus `eq null`),
 *     5,000 per page; pages that continue are fetched in further $batch rounds.
 *  3. pure planning (domain/publish): writes = differences only; conflicts against the draft-time baseline.
 *     Nothing is written while a conflict is undecided, a privilege is missing or the draft is invalid.
 *  4. [1] one change set: plan → Publishing, publish log created (or the interrupted one resumed: its cursor
 *     keeps the conflict decisions, so a resume decides the same way).
 *  5. [0–1] territories: one $batch (continue-on-error) of PATCH upserts with client-supplied ids
 *     (UUIDv5 of plan id + territory key): a crash between create and bookkeeping cannot duplicate them.
 *  6. [100] accounts: UpdateMultiple, ≤ 1,000 per request, `concurrency` requests in flight. 429 → wait
 *     Retry-After (the client retries first), 5xx / network → exponential backoff; the writes set absolute values,
 *     so repeating one is harmless. A request rejected for its content (UpdateMultiple is all-or-nothing) is
 *     split into one PATCH per record in a `Prefer: odata.continue-on-error` $batch; each failing record is
 *     logged with Dataverse's message.
 *  7. [1] one change set: log → Succeeded with counts, plan → Published, previously published plans → Archived.
 *     When Dynamics rejected records: log → Partially succeeded with the failures, plan → Partially published, and
 *     the previously published plan stays live; publishing it again (Resume) writes what is missing and completes it.
 *
 * Privileges are checked with their depth before anything is written: a privilege held at User (Basic), Business
 * Unit (Local) or Parent: Child Business Units (Deep) level must reach every account the publish changes (by owner
 * and owning business unit), else the publish stops with how many accounts are out of reach and why.
 * Interrupted anywhere (network, 5xx beyond the retries, killed server, closed tab, cancel) → the plan stays
 * Publishing and the log Running/Cancelled; calling publishPlan again recomputes the differences against live data
 * (step 2–3) and writes only what is still missing. A plan already Published with nothing left to write returns
 * "nothing-to-do" without a single write.
 */
import {
  DataverseError,
  parseBatchResponse,
  MAX_BULK_RECORDS,
  type BatchItem,
  type BatchRequest,
  type BatchResponse,
  type DataverseHttpClient,
  type EntityRecord,
} from "../client/DataverseHttpClient";
import { DraftCodecError, decodeDraftBody, type StoredChunk } from "../../TerritoryMapControl/domain/drafts/codec";
import { normaliseGuid, type JsonValue } from "../../TerritoryMapControl/domain/drafts/model";
import {
  describeMissing,
  describeShortfalls,
  depthShortfalls,
  heldDepth,
  missingPrivileges,
  orderTerritoryWrites,
  planPublish,
  requiredPrivileges,
  type AccountWrite,
  type ConflictChoice,
  type DepthShortfall,
  type HeldPrivilege,
  type OwnedRecord,
  type LiveAccount,
  type LiveTerritory,
  type PublishConflict,
  type PublishCounts,
  type RequiredPrivilege,
  type TerritoryWrite,
  type UserScope,
} from "../../TerritoryMapControl/domain/publish";
import { PlanStatusValue, SaveStateValue, statusFromValue } from "../drafts/DraftRepository";

/** tmap_publishlog.tmap_status option values (solution/src/Entities/tmap_publishlog/entity.json). */
export const PublishLogStatus = {
  Running: 612000000,
  Succeeded: 612000001,
  Failed: 612000002,
  PartiallySucceeded: 612000003,
  Cancelled: 612000004,
} as const;

export type PublishPhase = "reading" | "planning" | "starting" | "territories" | "accounts" | "finishing" | "done";

export interface PublishProgress {
  phase: PublishPhase;
  /** Account records to write in this run / written so far / failed. */
  accountsTotal: number;
  accountsWritten: number;
  accountsFailed: number;
  territoriesTotal: number;
  territoriesWritten: number;
  /** HTTP requests this publish has sent (retries included). */
  requests: number;
}

export interface PublishFailure {
  table: "account" | "territory";
  id: string;
  /** Dataverse error code, e.g. "0x80040220" ("" for network failures). */
  code: string;
  message: string;
}

export type ConflictPolicy =
  ConflictChoice | { all?: ConflictChoice | null; byAccount?: Record<string, ConflictChoice> | ReadonlyMap<string, ConflictChoice> };

export interface PublishPlanArgs {
  client: DataverseHttpClient;
  planId: string;
  /** The user publishing (systemuserid); default WhoAmI. Their privileges are checked before anything is written. */
  userId?: string;
  /**
   * Send `MSCRMCallerID: <userId>` so Dataverse applies the user's privileges to every write (server-side runs
   * under an application user). Default false (the control calls as the signed-in user).
   */
  impersonate?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: PublishProgress) => void;
  /** Answer to the conflicts: "overwrite" / "keep" for all, or per account. Undecided conflicts stop the publish. */
  conflictPolicy?: ConflictPolicy;
  /** Owners follow territories; default: the plan's balancing settings `ownersFollowTerritories` (else false). */
  ownersFollowTerritories?: boolean;
  /** Accounts the draft leaves unassigned: keep their territory (default) or clear it. */
  unassigned?: "leave" | "clear";
  /** Compute the plan, conflicts and privileges only; write nothing. */
  dryRun?: boolean;
  /** UpdateMultiple requests in flight (default 4). */
  concurrency?: number;
  /** Records per UpdateMultiple (default and maximum 1,000). */
  batchSize?: number;
  /** Attempts per write request for 429 / 5xx / network failures before the publish stops as interrupted (default 8). */
  maxAttempts?: number;
  /** First backoff delay for 5xx / network failures (default 500 ms, doubling, ≤ 30 s). */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export type PublishStatus =
  | "published" // everything written (log Succeeded)
  | "partial" // finished, some records rejected (log Partially succeeded, plan Partially published, failures listed)
  | "nothing-to-do" // the plan is Published and Dynamics already matches it: nothing written
  | "preview" // dryRun
  | "conflicts" // undecided conflicts: nothing written
  | "forbidden" // privileges missing, or held at a depth that does not reach every account: nothing written
  | "invalid" // the draft cannot be published (problems): nothing written
  | "cancelled" // stopped by the signal: resume with publishPlan
  | "interrupted"; // network / server failure beyond the retries: resume with publishPlan

export interface PublishResult {
  status: PublishStatus;
  planId: string;
  planName: string;
  /** The publish log record (null when nothing was started). */
  logId: string | null;
  /** True when this run continued an interrupted publish. */
  resumed: boolean;
  counts: PublishCounts;
  written: { territoriesCreated: number; territoriesUpdated: number; accounts: number };
  failures: PublishFailure[];
  conflicts: PublishConflict[];
  missingPrivileges: RequiredPrivilege[];
  /** Privileges held at a depth (User, Business Unit, …) that does not reach every account the publish changes. */
  outOfReach: DepthShortfall[];
  /** Reason for forbidden / invalid / interrupted, in English (the dialog shows its own resx strings). */
  message: string | null;
  problems: string[];
  /** Dynamics territory id per draft territory key (created ones included). */
  territoryIds: Record<string, string>;
  requests: number;
  durationMs: number;
}

/** Thrown for a plan that cannot be read or is not publishable (not found, incomplete, damaged, archived). */
export class PublishError extends Error {
  public readonly kind: "not-found" | "incomplete" | "corrupt" | "archived" | "read-failed" | "invalid";
  public readonly innerError: unknown;
  public constructor(kind: PublishError["kind"], message: string, innerError?: unknown) {
    super(message);
    this.name = "PublishError";
    this.kind = kind;
    this.innerError = innerError;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const PLAN_SELECT =
  "tmap_planid,tmap_name,tmap_status,tmap_savestate,tmap_savetoken,tmap_accountcount,tmap_chunkcount,tmap_balancingsettings";
const LOG_SELECT = "tmap_publishlogid,tmap_status,tmap_cursor,tmap_writtencount,tmap_failedcount,createdon";
const PAGE = 5000;
const MAX_FAILURES_CHARS = 1_000_000;
const CURSOR_LIMIT = 100_000;

interface Ctx {
  args: PublishPlanArgs;
  client: DataverseHttpClient;
  headers: Record<string, string>;
  requests: number;
  progress: PublishProgress;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Publishes plan `planId` (or resumes its interrupted publish).
 *
 * @example
 * const client = new DataverseHttpClient({ baseUrl: `${clientUrl}/api/data/v9.2/` });
 * const r = await publishPlan({ client, planId, userId, signal, onProgress: (p) => bar(p), conflictPolicy: "overwrite" });
 * if (r.status === "conflicts") askUser(r.conflicts);
 */
export async function publishPlan(args: PublishPlanArgs): Promise<PublishResult> {
  const started = Date.now();
  const planId = normaliseGuid(args.planId);
  const ctx: Ctx = {
    args,
    client: args.client,
    headers: {},
    requests: 0,
    progress: {
      phase: "reading",
      accountsTotal: 0,
      accountsWritten: 0,
      accountsFailed: 0,
      territoriesTotal: 0,
      territoriesWritten: 0,
      requests: 0,
    },
    sleep: args.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
  const report = (patch: Partial<PublishProgress> = {}): void => {
    Object.assign(ctx.progress, patch, { requests: ctx.requests });
    args.onProgress?.({ ...ctx.progress });
  };
  report();

  const userId = args.userId ? normaliseGuid(args.userId) : normaliseGuid((await counted(ctx, () => ctx.client.whoAmI())).UserId);
  if (args.impersonate) ctx.headers.MSCRMCallerID = userId;

  // ---- 1. plan, chunks, territories, privileges, logs, published plans
  const first = await readBatch(ctx, [
    get(`tmap_plans(${planId})?$select=${PLAN_SELECT}`),
    get(
      `tmap_assignmentchunks?$select=tmap_chunkindex,tmap_chunkcount,tmap_payload,tmap_checksum,tmap_savetoken&$filter=_tmap_planid_value eq ${planId}`,
    ),
    get("territories?$select=territoryid,name,_managerid_value,_parentterritoryid_value"),
    get(`systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`),
    get(
      `tmap_publishlogs?$select=${LOG_SELECT}&$filter=_tmap_planid_value eq ${planId} and (tmap_status eq ${PublishLogStatus.Running} or tmap_status eq ${PublishLogStatus.Cancelled} or tmap_status eq ${PublishLogStatus.PartiallySucceeded})&$orderby=createdon desc`,
    ),
    get(
      `tmap_plans?$select=tmap_planid&$filter=(tmap_status eq ${PlanStatusValue.Published} or tmap_status eq ${PlanStatusValue.PartiallyPublished}) and tmap_planid ne ${planId}`,
    ),
  ]);
  const [planPart, chunkPart, territoryPart, privilegePart, logPart, publishedPart] = first;
  if (planPart.error) {
    if (planPart.status === 404)
      throw new PublishError("not-found", `The plan ${planId} does not exist (it may have been deleted).`, planPart.error);
    throw new PublishError("read-failed", `The plan could not be read: ${planPart.error.message}`, planPart.error);
  }
  for (const p of [chunkPart, territoryPart, privilegePart, logPart, publishedPart]) {
    if (p.error) throw new PublishError("read-failed", `Reading what to publish failed: ${p.error.message}`, p.error);
  }
  const plan = planPart.body as EntityRecord;
  const planName = String(plan.tmap_name ?? "");
  const status = statusFromValue(plan.tmap_status);
  if (status === "archived") throw new PublishError("archived", `"${planName}" is archived; save it as a new draft to publish it again.`);
  if (Number(plan.tmap_savestate) !== SaveStateValue.Complete)
    throw new PublishError("incomplete", `"${planName}" was not saved completely; save it again before publishing.`);
  const token = String(plan.tmap_savetoken ?? "");
  const chunkRows = ((await followPages(ctx, chunkPart)) as EntityRecord[]).filter((r) => String(r.tmap_savetoken ?? "") === token);
  const chunks: StoredChunk[] = chunkRows.map((r) => ({
    index: Number(r.tmap_chunkindex),
    count: Number(r.tmap_chunkcount),
    payload: String(r.tmap_payload ?? ""),
    checksum: r.tmap_checksum == null ? null : String(r.tmap_checksum),
  }));
  let body;
  try {
    body = decodeDraftBody(chunks, { chunkCount: Number(plan.tmap_chunkcount), accountCount: Number(plan.tmap_accountcount) });
  } catch (e) {
    if (e instanceof DraftCodecError) throw new PublishError("corrupt", `"${planName}" cannot be published: ${e.message}`, e);
    throw e;
  }
  const liveTerritories = new Map<string, LiveTerritory>();
  for (const r of (await followPages(ctx, territoryPart)) as EntityRecord[]) {
    const id = String(r.territoryid).toLowerCase();
    liveTerritories.set(id, {
      id,
      name: String(r.name ?? ""),
      managerId: lower(r._managerid_value),
      parentId: lower(r._parentterritoryid_value),
    });
  }
  const held = (privilegePart.body as { RolePrivileges?: HeldPrivilege[] } | undefined)?.RolePrivileges ?? [];
  const openLogs = (await followPages(ctx, logPart)) as EntityRecord[];
  const otherPublished = ((await followPages(ctx, publishedPart)) as EntityRecord[]).map((r) => String(r.tmap_planid).toLowerCase());

  // ---- 2. today's accounts, partitioned by territory (with their business unit when a depth needs it)
  const accountDepths = ACCOUNT_RECORD_PRIVILEGES.map((n) => heldDepth(n, held));
  const needsBusinessUnits = accountDepths.some((d) => d === "Local" || d === "Deep");
  const businessUnits = needsBusinessUnits ? new Map<string, string | null>() : null;
  const liveAccounts = await readAccounts(ctx, [...liveTerritories.keys()], businessUnits);
  // Accounts of the plan not found by territory (e.g. pointing at a territory that disappeared): read by id, so
  // only accounts that really no longer exist count as missing.
  const unseen = body.assignments.accountIds.filter((id) => !liveAccounts.has(id));
  if (unseen.length) await readAccountsById(ctx, unseen, liveAccounts, businessUnits);

  // ---- 3. plan
  report({ phase: "planning" });
  const resumeLog = (status === "publishing" || status === "partially-published") && openLogs.length ? openLogs[0] : null;
  const resumedDecisions = resumeLog ? parseCursor(resumeLog.tmap_cursor) : null;
  const decisions = mergeDecisions(resumedDecisions, args.conflictPolicy);
  const settings = parseJson(plan.tmap_balancingsettings);
  const ownersFollow = args.ownersFollowTerritories ?? ownersFollowTerritories(settings);
  const work = planPublish(
    body,
    { territories: liveTerritories, accounts: liveAccounts },
    {
      planId,
      ownersFollowTerritories: ownersFollow,
      unassigned: args.unassigned,
      decisions,
    },
  );
  const territoryIds: Record<string, string> = {};
  body.territories.forEach((t, i) => {
    territoryIds[t.key] = work.territoryIds[i];
  });
  const needs = {
    createsTerritories: work.counts.territoryCreates > 0,
    updatesTerritories: work.counts.territoryUpdates > 0,
    changesAccountTerritories: work.counts.territoryChanges > 0,
    changesOwners: work.counts.ownerChanges > 0,
  };
  const required = requiredPrivileges(needs);
  const missing = missingPrivileges(required, held);
  const outOfReach = missing.length
    ? []
    : depthShortfalls(
        required,
        held,
        await userScope(
          ctx,
          userId,
          businessUnits,
          liveAccounts,
          required.some((p) => {
            const d = heldDepth(p.name, held);
            return d !== null && d !== "Global";
          }),
        ),
        accountWriteSets(work.accountWrites, liveAccounts, businessUnits),
      );
  const result = (s: PublishStatus, extra: Partial<PublishResult> = {}): PublishResult => ({
    status: s,
    planId,
    planName,
    logId: null,
    resumed: !!resumeLog,
    counts: work.counts,
    written: { territoriesCreated: 0, territoriesUpdated: 0, accounts: 0 },
    failures: [],
    conflicts: work.conflicts,
    missingPrivileges: missing,
    outOfReach,
    message: null,
    problems: work.problems,
    territoryIds,
    requests: ctx.requests,
    durationMs: Date.now() - started,
    ...extra,
  });
  if (work.problems.length) return result("invalid", { message: `The plan cannot be published: ${work.problems.join(" ")}` });
  if (missing.length) return result("forbidden", { message: describeMissing(missing) });
  if (outOfReach.length) return result("forbidden", { message: describeShortfalls(outOfReach) });
  if (work.counts.unresolvedConflicts > 0)
    return result("conflicts", {
      message: `${work.counts.unresolvedConflicts} accounts were moved in Dynamics after the draft was made; choose to overwrite or keep them.`,
    });
  if (args.dryRun) return result("preview");
  const nothingToWrite = work.territoryWrites.length === 0 && work.accountWrites.length === 0;
  if (nothingToWrite && status === "published" && otherPublished.length === 0) return result("nothing-to-do");

  // ---- 4. start: plan Publishing, log created or resumed
  report({ phase: "starting", accountsTotal: work.accountWrites.length, territoriesTotal: work.territoryWrites.length });
  const now = args.now ?? (() => new Date());
  const logId = resumeLog ? String(resumeLog.tmap_publishlogid).toLowerCase() : randomGuid();
  const cursor = cursorJson(decisions, ownersFollow, args.unassigned ?? "leave");
  const logFields: EntityRecord = {
    tmap_status: PublishLogStatus.Running,
    tmap_plannedcount: work.accountWrites.length,
    tmap_cursor: cursor,
    tmap_conflictcount: work.counts.conflicts,
    tmap_keptcount: work.counts.keptConflicts,
  };
  // A plan already Publishing (a resume, or a server-side publish a user requested) is not written again: its row
  // version stays the one of the request, which is what the server side records as handled.
  const startSet: BatchRequest[] = [
    ...(status === "publishing"
      ? []
      : [
          {
            method: "PATCH",
            url: `tmap_plans(${planId})`,
            body: { tmap_status: PlanStatusValue.Publishing },
            headers: { "If-Match": "*", ...ctx.headers },
          } satisfies BatchRequest,
        ]),
    resumeLog
      ? { method: "PATCH", url: `tmap_publishlogs(${logId})`, body: logFields, headers: { "If-Match": "*", ...ctx.headers } }
      : // PATCH without If-Match = upsert with our id: repeating it after a lost response cannot create a second log.
        {
          method: "PATCH",
          url: `tmap_publishlogs(${logId})`,
          headers: ctx.headers,
          body: {
            tmap_name: `${planName.slice(0, 150)} · ${now().toISOString().slice(0, 16).replace("T", " ")}`,
            "tmap_planid@odata.bind": `/tmap_plans(${planId})`,
            "tmap_requestedby@odata.bind": `/systemusers(${userId})`,
            tmap_startedon: now().toISOString(),
            ...logFields,
          },
        },
  ];
  const failures: PublishFailure[] = [];
  const written = { territoriesCreated: 0, territoriesUpdated: 0, accounts: 0 };
  const finishInterrupted = async (kind: "cancelled" | "interrupted", error: unknown): Promise<PublishResult> => {
    // Best effort, without the signal: the publish resumes from live data anyway.
    const fields: EntityRecord = {
      tmap_writtencount: written.accounts,
      tmap_failedcount: failures.length,
      tmap_failures: failuresJson(failures),
    };
    if (kind === "cancelled") Object.assign(fields, { tmap_status: PublishLogStatus.Cancelled, tmap_finishedon: now().toISOString() });
    try {
      await counted(ctx, () =>
        ctx.client.send({
          method: "PATCH",
          url: `tmap_publishlogs(${logId})`,
          body: JSON.stringify(fields),
          headers: { "If-Match": "*", ...ctx.headers },
          idempotent: true,
        }),
      );
    } catch {
      // the log keeps its last state; resuming recomputes what is left from Dynamics itself
    }
    report({ phase: "done" });
    return result(kind, {
      logId,
      written,
      failures,
      message:
        kind === "cancelled"
          ? "The publish was cancelled; what was written stays. Resume to finish it."
          : `The publish stopped: ${describe(error)}. Resume to finish it.`,
    });
  };
  try {
    await writeChangeSet(ctx, startSet);
  } catch (e) {
    if (isAbort(e, args.signal)) return result("cancelled", { message: "The publish was cancelled before anything was written." });
    return result("interrupted", { message: `The publish could not start: ${describe(e)}` });
  }

  try {
    // ---- 5. territories
    report({ phase: "territories" });
    if (work.territoryWrites.length) await writeTerritories(ctx, orderTerritoryWrites(work.territoryWrites), failures, written, report);
    // ---- 6. accounts
    report({ phase: "accounts" });
    await writeAccounts(ctx, work.accountWrites, failures, written, report);
  } catch (e) {
    return finishInterrupted(isAbort(e, args.signal) ? "cancelled" : "interrupted", e);
  }

  // ---- 7. finish
  report({ phase: "finishing" });
  // A publish with rejected records is not live: the plan is Partially published, the previously published plan
  // stays Published, and only a complete publish (this one resumed, or a later one) archives it.
  const complete = failures.length === 0;
  const finalStatus = complete ? PublishLogStatus.Succeeded : PublishLogStatus.PartiallySucceeded;
  const finishSet: BatchRequest[] = [
    {
      method: "PATCH",
      url: `tmap_publishlogs(${logId})`,
      headers: { "If-Match": "*", ...ctx.headers },
      body: {
        tmap_status: finalStatus,
        tmap_finishedon: now().toISOString(),
        tmap_writtencount: written.accounts,
        tmap_failedcount: failures.length,
        tmap_failures: failuresJson(failures),
        tmap_message: complete
          ? null
          : `Dynamics rejected ${failures.length} records; the plan is Partially published and the previously published plan stays live. Resume the publish to finish it.`,
        tmap_territorycreatedcount: written.territoriesCreated,
        tmap_territoryupdatedcount: written.territoriesUpdated,
        tmap_ownerchangedcount: work.counts.ownerChanges,
      },
    },
    {
      method: "PATCH",
      url: `tmap_plans(${planId})`,
      body: { tmap_status: complete ? PlanStatusValue.Published : PlanStatusValue.PartiallyPublished },
      headers: { "If-Match": "*", ...ctx.headers },
    },
    ...(complete ? otherPublished : []).map((id): BatchRequest => ({
      method: "PATCH",
      url: `tmap_plans(${id})`,
      body: { tmap_status: PlanStatusValue.Archived },
      headers: { "If-Match": "*", ...ctx.headers },
    })),
  ];
  try {
    await writeChangeSet(ctx, finishSet, { ignoreAbort: true });
  } catch (e) {
    return finishInterrupted("interrupted", e);
  }
  report({ phase: "done" });
  return result(complete ? "published" : "partial", {
    logId,
    written,
    failures,
    message: complete
      ? null
      : `Dynamics rejected ${failures.length} records: the plan is Partially published and the previously published plan stays live. Resume to finish it.`,
  });
}

/** Privileges checked per account record (user-owned), by depth. */
const ACCOUNT_RECORD_PRIVILEGES = ["prvWriteAccount", "prvAppendAccount", "prvAssignAccount"];

/**
 * Where a plan keeps "owners follow territories": `tmap_balancingsettings.assignment.ownersFollowTerritories` (the
 * handlers' assignment settings); a top-level `ownersFollowTerritories` of older plans is read when the first is absent.
 */
export function ownersFollowTerritories(settings: unknown): boolean {
  if (!isObject(settings as JsonValue)) return false;
  const s = settings as Record<string, JsonValue>;
  const a = s.assignment;
  if (isObject(a) && typeof a.ownersFollowTerritories === "boolean") return a.ownersFollowTerritories;
  return s.ownersFollowTerritories === true;
}

/** The accounts each record-level privilege is needed for, with their current owner (and business unit). */
function accountWriteSets(
  writes: readonly AccountWrite[],
  live: ReadonlyMap<string, LiveAccount>,
  businessUnits: ReadonlyMap<string, string | null> | null,
): Map<string, OwnedRecord[]> {
  const write: OwnedRecord[] = [];
  const append: OwnedRecord[] = [];
  const assign: OwnedRecord[] = [];
  for (const w of writes) {
    const r: OwnedRecord = {
      id: w.accountId,
      ownerId: live.get(w.accountId)?.ownerId ?? null,
      owningBusinessUnitId: businessUnits?.get(w.accountId),
    };
    write.push(r);
    if (w.territoryId !== undefined) append.push(r);
    if (w.ownerId !== undefined) assign.push(r);
  }
  return new Map([
    ["prvWriteAccount", write],
    ["prvAppendAccount", append],
    ["prvAssignAccount", assign],
  ]);
}

/**
 * The publishing user as depth checks need them: their business unit (WhoAmI, as that user when impersonating)
 * when a Business Unit level privilege is in play, and the units below it (one read of businessunits) only when an
 * account of another unit is in the write set and a privilege is held at Parent: Child Business Units level; and the
 * teams the user is a member of (one read of `systemusers(id)/teammembership_association`) when an account in the
 * write set is not the user's own, since records an owner team of the user owns count as the user's at User level.
 */
async function userScope(
  ctx: Ctx,
  userId: string,
  businessUnits: ReadonlyMap<string, string | null> | null,
  live: ReadonlyMap<string, LiveAccount>,
  /** Some privilege is held below Organization level: records of the user's teams count. */
  belowOrganization: boolean,
): Promise<UserScope> {
  // Only needed when some account is not the user's own.
  let foreign = false;
  for (const a of live.values()) {
    if (a.ownerId !== userId) {
      foreign = true;
      break;
    }
  }
  if (!foreign || !belowOrganization) return { userId };
  // Without Read on teams (Basic User grants it) the user's teams stay unknown: their records count as out of reach,
  // which stops the publish with the reason rather than writing what might be refused.
  const teamPart = (await readBatch(ctx, [get(`systemusers(${userId})/teammembership_association?$select=teamid`)]))[0];
  const teamRows = teamPart.status === 200 ? ((await followPages(ctx, teamPart)) as EntityRecord[]) : [];
  const teamIds = teamRows.map((r) => String(r.teamid).toLowerCase());
  const withTeams = (scope: UserScope): UserScope => (teamIds.length ? { ...scope, teamIds } : scope);
  if (!businessUnits) return withTeams({ userId });
  const who = (await readJsonResponse(
    await withRetries(ctx, () =>
      ctx.client.send({ method: "GET", url: "WhoAmI", headers: ctx.headers, idempotent: true, signal: ctx.args.signal }),
    ),
  )) as { UserId?: string; BusinessUnitId?: string };
  // WhoAmI answers for the caller (the impersonated user when impersonating); for anyone else the unit is unknown
  // and Business Unit level reaches only the user's own accounts.
  if (lower(who.UserId) !== userId) return withTeams({ userId });
  const mine = lower(who.BusinessUnitId);
  if (!mine) return withTeams({ userId });
  let other = false;
  for (const bu of businessUnits.values()) if (bu && bu !== mine) other = true;
  if (!other) return withTeams({ userId, businessUnitId: mine });
  const rows = (await followPages(
    ctx,
    (await readBatch(ctx, [get("businessunits?$select=businessunitid,_parentbusinessunitid_value")]))[0],
  )) as EntityRecord[];
  const children = new Map<string, string[]>();
  for (const r of rows) {
    const parent = lower(r._parentbusinessunitid_value);
    if (!parent) continue;
    children.set(parent, [...(children.get(parent) ?? []), String(r.businessunitid).toLowerCase()]);
  }
  const below: string[] = [];
  const queue = [...(children.get(mine) ?? [])];
  while (queue.length) {
    const b = queue.shift() as string;
    if (below.includes(b)) continue;
    below.push(b);
    queue.push(...(children.get(b) ?? []));
  }
  return withTeams({ userId, businessUnitId: mine, childBusinessUnitIds: below });
}

async function readJsonResponse(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : {};
}

// ------------------------------------------------------------------ reading

function get(url: string, maxPageSize = PAGE): BatchRequest {
  return { method: "GET", url, headers: { Prefer: `odata.maxpagesize=${maxPageSize}` } };
}

/** Sends a $batch of GETs (continue-on-error) and returns one response per request, in order. */
async function readBatch(ctx: Ctx, requests: BatchRequest[]): Promise<BatchResponse[]> {
  const out: BatchResponse[] = [];
  for (let i = 0; i < requests.length; i += 1000) {
    const part = requests.slice(i, i + 1000).map((r) => ({ ...r, headers: { ...r.headers, ...ctx.headers } }));
    const responses = await withRetries(ctx, () => sendBatch(ctx, part, true));
    if (responses.length !== part.length)
      throw new PublishError("read-failed", `The $batch answered ${responses.length} of ${part.length} requests.`);
    out.push(...responses);
  }
  return out;
}

/** Rows of a GET part, following @odata.nextLink (each further page is one request). */
async function followPages(ctx: Ctx, part: BatchResponse): Promise<unknown[]> {
  const page = part.body as { value?: unknown[]; "@odata.nextLink"?: string } | undefined;
  const rows = [...(page?.value ?? [])];
  let next = page?.["@odata.nextLink"];
  while (next) {
    const link = next;
    const r = await withRetries(ctx, () =>
      ctx.client.retrieveNextPage(link, { maxPageSize: PAGE, includeAnnotations: "", signal: ctx.args.signal }),
    );
    rows.push(...r.value);
    next = r.nextLink;
  }
  return rows;
}

/** Every account's territory and owner, one GET per territory partition, pages continued in $batch rounds. */
async function readAccounts(
  ctx: Ctx,
  territoryIds: string[],
  businessUnits: Map<string, string | null> | null,
): Promise<Map<string, LiveAccount>> {
  const select = `$select=accountid,_territoryid_value,_ownerid_value${businessUnits ? ",_owningbusinessunit_value" : ""}`;
  let pending: BatchRequest[] = [
    ...territoryIds.map((id) => get(`accounts?${select}&$filter=_territoryid_value eq ${id}`)),
    get(`accounts?${select}&$filter=_territoryid_value eq null`),
  ];
  const out = new Map<string, LiveAccount>();
  while (pending.length) {
    const responses = await readBatch(ctx, pending);
    const next: BatchRequest[] = [];
    responses.forEach((r) => {
      if (r.error) throw new PublishError("read-failed", `Reading the accounts failed: ${r.error.message}`, r.error);
      const page = r.body as { value?: EntityRecord[]; "@odata.nextLink"?: string };
      for (const row of page.value ?? []) {
        out.set(String(row.accountid).toLowerCase(), { territoryId: lower(row._territoryid_value), ownerId: lower(row._ownerid_value) });
        businessUnits?.set(String(row.accountid).toLowerCase(), lower(row._owningbusinessunit_value));
      }
      if (page["@odata.nextLink"]) next.push(get(page["@odata.nextLink"]));
    });
    pending = next;
  }
  return out;
}

/** Reads accounts by id (200 per GET, up to 1,000 GETs per $batch) into `out`. */
async function readAccountsById(
  ctx: Ctx,
  ids: string[],
  out: Map<string, LiveAccount>,
  businessUnits: Map<string, string | null> | null,
): Promise<void> {
  const requests: BatchRequest[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const list = ids
      .slice(i, i + 200)
      .map((id) => `'${id}'`)
      .join(",");
    requests.push(
      get(
        `accounts?$select=accountid,_territoryid_value,_ownerid_value${businessUnits ? ",_owningbusinessunit_value" : ""}&$filter=Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=[${list}])`,
      ),
    );
  }
  for (const r of await readBatch(ctx, requests)) {
    if (r.error) throw new PublishError("read-failed", `Reading the accounts failed: ${r.error.message}`, r.error);
    for (const row of (r.body as { value?: EntityRecord[] }).value ?? []) {
      out.set(String(row.accountid).toLowerCase(), { territoryId: lower(row._territoryid_value), ownerId: lower(row._ownerid_value) });
      businessUnits?.set(String(row.accountid).toLowerCase(), lower(row._owningbusinessunit_value));
    }
  }
}

// ------------------------------------------------------------------ writing

async function writeTerritories(
  ctx: Ctx,
  writes: TerritoryWrite[],
  failures: PublishFailure[],
  written: PublishResult["written"],
  report: (p?: Partial<PublishProgress>) => void,
): Promise<void> {
  for (let i = 0; i < writes.length; i += 1000) {
    const slice = writes.slice(i, i + 1000);
    // PATCH without If-Match is an upsert: creates the territory with our id, or updates it when a previous run
    // created it already. Parts run in order, so parents precede their children.
    const requests = slice.map((w): BatchRequest => ({
      method: "PATCH",
      url: `territories(${w.id})`,
      body: territoryBody(w),
      headers: ctx.headers,
    }));
    const responses = await withRetries(ctx, () => sendBatch(ctx, requests, true));
    slice.forEach((w, k) => {
      const r = responses[k];
      if (!r || r.error) {
        failures.push({
          table: "territory",
          id: w.id,
          code: r?.error?.code ?? "",
          message: r?.error?.message ?? "No response for this record.",
        });
        return;
      }
      if (w.kind === "create") written.territoriesCreated++;
      else written.territoriesUpdated++;
    });
    report({ territoriesWritten: written.territoriesCreated + written.territoriesUpdated });
  }
}

function territoryBody(w: TerritoryWrite): EntityRecord {
  const b: EntityRecord = {};
  if (w.fields.name !== undefined) b.name = w.fields.name;
  if (w.fields.managerId !== undefined) b["managerid@odata.bind"] = w.fields.managerId ? `/systemusers(${w.fields.managerId})` : null;
  if (w.fields.parentId !== undefined) b["parentterritoryid@odata.bind"] = w.fields.parentId ? `/territories(${w.fields.parentId})` : null;
  return b;
}

function accountTarget(w: AccountWrite): EntityRecord {
  const t: EntityRecord = { accountid: w.accountId };
  if (w.territoryId !== undefined) t["territoryid@odata.bind"] = w.territoryId ? `/territories(${w.territoryId})` : null;
  if (w.ownerId !== undefined) t["ownerid@odata.bind"] = `/systemusers(${w.ownerId})`;
  return t;
}

async function writeAccounts(
  ctx: Ctx,
  writes: AccountWrite[],
  failures: PublishFailure[],
  written: PublishResult["written"],
  report: (p?: Partial<PublishProgress>) => void,
): Promise<void> {
  const size = Math.max(1, Math.min(MAX_BULK_RECORDS, Math.floor(ctx.args.batchSize ?? MAX_BULK_RECORDS)));
  const chunks: AccountWrite[][] = [];
  for (let i = 0; i < writes.length; i += size) chunks.push(writes.slice(i, i + size));
  let nextChunk = 0;
  let stop: unknown = null;
  const worker = async (): Promise<void> => {
    while (stop === null && nextChunk < chunks.length) {
      const chunk = chunks[nextChunk++];
      try {
        await writeAccountChunk(ctx, chunk, failures, written);
        report({ accountsWritten: written.accounts, accountsFailed: failures.filter((f) => f.table === "account").length });
      } catch (e) {
        if (stop === null) stop = e;
      }
    }
  };
  const n = Math.max(1, Math.min(16, Math.floor(ctx.args.concurrency ?? 4)));
  await Promise.all(Array.from({ length: Math.min(n, chunks.length) }, worker));
  if (stop !== null) throw stop;
}

async function writeAccountChunk(
  ctx: Ctx,
  chunk: AccountWrite[],
  failures: PublishFailure[],
  written: PublishResult["written"],
): Promise<void> {
  const body = JSON.stringify({ Targets: chunk.map((w) => ({ ...accountTarget(w), "@odata.type": "Microsoft.Dynamics.CRM.account" })) });
  try {
    await withRetries(ctx, () =>
      ctx.client.send({
        method: "POST",
        url: "accounts/Microsoft.Dynamics.CRM.UpdateMultiple",
        body,
        headers: ctx.headers,
        idempotent: false,
        signal: ctx.args.signal,
      }),
    );
    written.accounts += chunk.length;
    return;
  } catch (e) {
    if (!(e instanceof DataverseError) || !isContentError(e)) throw e;
  }
  // All-or-nothing rejected: one PATCH per record, continue on error, to find and log the failing ones.
  const requests = chunk.map((w): BatchRequest => {
    const t = accountTarget(w);
    delete t.accountid;
    return { method: "PATCH", url: `accounts(${w.accountId})`, body: t, headers: { "If-Match": "*", ...ctx.headers } };
  });
  const responses = await withRetries(ctx, () => sendBatch(ctx, requests, true));
  chunk.forEach((w, k) => {
    const r = responses[k];
    if (r && !r.error) {
      written.accounts++;
      return;
    }
    failures.push({
      table: "account",
      id: w.accountId,
      code: r?.error?.code ?? "",
      message: r?.error?.message ?? "No response for this record.",
    });
  });
}

/** One atomic change set (all or nothing). */
async function writeChangeSet(ctx: Ctx, requests: BatchRequest[], options: { ignoreAbort?: boolean } = {}): Promise<void> {
  const responses = await withRetries(ctx, () => sendBatch(ctx, [{ changeSet: requests }], false, options.ignoreAbort));
  const failed = responses.find((r) => r.error);
  if (failed?.error) throw failed.error;
}

async function sendBatch(ctx: Ctx, items: BatchItem[], continueOnError: boolean, ignoreAbort = false): Promise<BatchResponse[]> {
  const boundary = `batch_${randomGuid()}`;
  const headers: Record<string, string> = {
    "Content-Type": `multipart/mixed; boundary=${boundary}`,
    Accept: "application/json",
    ...ctx.headers,
  };
  if (continueOnError) headers.Prefer = "odata.continue-on-error";
  const response = await ctx.client.send({
    method: "POST",
    url: "$batch",
    body: ctx.client.buildBatchBody(items, boundary),
    headers,
    idempotent: false,
    signal: ignoreAbort ? undefined : ctx.args.signal,
  });
  const text = await response.text();
  const parts = parseBatchResponse(text, response.headers.get("Content-Type") ?? "");
  // A 429/5xx for the whole batch arrives as a part when Dataverse fails the batch after accepting it.
  const whole = parts.length === 1 && parts[0].error && (parts[0].status === 429 || parts[0].status >= 500) ? parts[0].error : undefined;
  if (whole) throw whole;
  return parts;
}

/**
 * Runs one request with the publish's retry policy: 429 → Retry-After (or backoff); 5xx and network failures →
 * exponential backoff. Writes are retried too: they set absolute values, so repeating one changes nothing more.
 */
async function withRetries<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const max = Math.max(1, ctx.args.maxAttempts ?? 8);
  const base = Math.max(0, ctx.args.retryDelayMs ?? 500);
  for (let attempt = 1; ; attempt++) {
    if (ctx.args.signal?.aborted) throw abortError();
    ctx.requests++;
    try {
      return await fn();
    } catch (e) {
      if (isAbort(e, ctx.args.signal)) throw e;
      const retryable = e instanceof DataverseError && (e.isThrottling || e.status === 0 || e.status >= 500);
      if (!retryable || attempt >= max) throw e;
      const wait =
        e.isThrottling && e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : Math.min(30_000, base * 2 ** (attempt - 1));
      await sleepUnlessAborted(ctx, wait);
    }
  }
}

async function counted<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  ctx.requests++;
  return fn();
}

async function sleepUnlessAborted(ctx: Ctx, ms: number): Promise<void> {
  const signal = ctx.args.signal;
  if (!signal) return ctx.sleep(ms);
  if (signal.aborted) throw abortError();
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      reject(abortError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    ctx.sleep(ms).then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, reject);
  });
}

/** A 4xx that is about the records sent (validation, privilege, missing record), not about the service. */
function isContentError(e: DataverseError): boolean {
  return e.status >= 400 && e.status < 500 && !e.isThrottling && e.status !== 408;
}

// ------------------------------------------------------------------ cursor, failures, helpers

interface Cursor {
  schema: "tmap-publish-cursor/1";
  ownersFollowTerritories: boolean;
  unassigned: "leave" | "clear";
  all: ConflictChoice | null;
  /** Per-account exceptions to `all`. */
  overwrite: string[];
  keep: string[];
}

function mergeDecisions(
  resumed: Cursor | null,
  policy: ConflictPolicy | undefined,
): { all: ConflictChoice | null; byAccount: Map<string, ConflictChoice> } {
  const byAccount = new Map<string, ConflictChoice>();
  let all: ConflictChoice | null = resumed?.all ?? null;
  if (resumed) {
    for (const id of resumed.overwrite) byAccount.set(id, "overwrite");
    for (const id of resumed.keep) byAccount.set(id, "keep");
  }
  if (typeof policy === "string") all = policy;
  else if (policy) {
    if (policy.all !== undefined) all = policy.all;
    const entries = policy.byAccount instanceof Map ? [...policy.byAccount] : Object.entries(policy.byAccount ?? {});
    for (const [id, choice] of entries) byAccount.set(normaliseGuid(id), choice);
  }
  return { all, byAccount };
}

function cursorJson(
  d: { all: ConflictChoice | null; byAccount: Map<string, ConflictChoice> },
  ownersFollowTerritories: boolean,
  unassigned: "leave" | "clear",
): string {
  const c: Cursor = { schema: "tmap-publish-cursor/1", ownersFollowTerritories, unassigned, all: d.all, overwrite: [], keep: [] };
  for (const [id, choice] of d.byAccount) if (choice !== d.all) (choice === "overwrite" ? c.overwrite : c.keep).push(id);
  const text = JSON.stringify(c);
  if (text.length > CURSOR_LIMIT) {
    throw new PublishError(
      "invalid",
      `Too many individual conflict decisions to record (${c.overwrite.length + c.keep.length}); choose one answer for most of them.`,
    );
  }
  return text;
}

function parseCursor(v: unknown): Cursor | null {
  const j = parseJson(v);
  if (!isObject(j) || j.schema !== "tmap-publish-cursor/1") return null;
  const ids = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : []);
  const all = j.all === "overwrite" || j.all === "keep" ? j.all : null;
  return {
    schema: "tmap-publish-cursor/1",
    ownersFollowTerritories: j.ownersFollowTerritories === true,
    unassigned: j.unassigned === "clear" ? "clear" : "leave",
    all,
    overwrite: ids(j.overwrite),
    keep: ids(j.keep),
  };
}

/** Failures as JSON within the memo limit; when they do not fit, the first ones plus how many were left out. */
export function failuresJson(failures: readonly PublishFailure[]): string {
  let text = JSON.stringify({ total: failures.length, failures });
  if (text.length <= MAX_FAILURES_CHARS) return text;
  let n = failures.length;
  while (n > 0 && text.length > MAX_FAILURES_CHARS) {
    n = Math.floor(n * 0.8);
    text = JSON.stringify({ total: failures.length, omitted: failures.length - n, failures: failures.slice(0, n) });
  }
  return text;
}

function parseJson(v: unknown): JsonValue | null {
  if (v == null || v === "") return null;
  try {
    return JSON.parse(String(v)) as JsonValue;
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function lower(v: unknown): string | null {
  return v == null || v === "" ? null : String(v).toLowerCase();
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function abortError(): Error {
  const e = new Error("The publish was cancelled.");
  e.name = "AbortError";
  return e;
}

function isAbort(e: unknown, signal: AbortSignal | undefined): boolean {
  return (typeof e === "object" && e !== null && (e as { name?: string }).name === "AbortError") || !!signal?.aborted;
}

function randomGuid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(Math.random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
}
