/**
 * Drafts in Dataverse: the seam between the control and the stored plans (tmap_plan + tmap_assignmentchunk).
 *
 * Storage layout (one plan = 1 tmap_plan row + ⌈body / 1,000,000 chars⌉ tmap_assignmentchunk rows):
 * - tmap_plan: name, version, parent (lineage), status, notes, balancing settings, save state, save token,
 *   account count, chunk count, and tmap_metrics = {@link StoredMetrics} (the caller's metrics snapshot plus one
 *   summary per territory, so "By Territory" lists every draft and its territories in ONE request).
 * - tmap_assignmentchunk: the draft body (territories with geometry and postal codes + every account's
 *   territory), compressed by domain/drafts/codec, tagged with the save token that wrote it.
 * Territories are not stored one row each (tmap_draftterritory): 50 territories would be 50 requests per save
 * through context.webAPI, which has no batch. See WebApiDraftRepository for the save protocol and request counts.
 */
import type { Draft, DraftRecordInfo, DraftStatus, JsonValue, SaveState } from "../../TerritoryMapControl/domain/drafts/model";
import type { TerritoryRowDifference } from "../../TerritoryMapControl/domain/drafts/territoryRows";

/** tmap_plan.tmap_status option values (solution/src/Entities/tmap_plan/entity.json). */
export const PlanStatusValue = {
  Draft: 612000000,
  Published: 612000001,
  Archived: 612000002,
  Publishing: 612000003,
  /** A publish ended with records Dynamics rejected: not live (the previously published plan stays); Resume finishes it. */
  PartiallyPublished: 612000004,
} as const;

/** tmap_plan.tmap_savestate option values. */
export const SaveStateValue = {
  Incomplete: 612000000,
  Complete: 612000001,
} as const;

export const STATUS_TO_VALUE: Record<DraftStatus, number> = {
  draft: PlanStatusValue.Draft,
  published: PlanStatusValue.Published,
  archived: PlanStatusValue.Archived,
  publishing: PlanStatusValue.Publishing,
  "partially-published": PlanStatusValue.PartiallyPublished,
};

export function statusFromValue(v: unknown): DraftStatus {
  switch (Number(v)) {
    case PlanStatusValue.Published:
      return "published";
    case PlanStatusValue.Archived:
      return "archived";
    case PlanStatusValue.Publishing:
      return "publishing";
    case PlanStatusValue.PartiallyPublished:
      return "partially-published";
    default:
      return "draft";
  }
}

export function saveStateFromValue(v: unknown): SaveState {
  return Number(v) === SaveStateValue.Complete ? "complete" : "incomplete";
}

/** One territory as listed without loading the draft body. */
export interface TerritorySummary {
  index: number;
  key: string;
  name: string;
  color: string;
  repId: string | null;
  territoryId: string | null;
  accountCount: number;
  totals: Record<string, number>;
}

/** Shape of tmap_plan.tmap_metrics as written by the drafts layer. */
export interface StoredMetrics {
  schema: "tmap-draft-metrics/1";
  /** The caller's metrics snapshot (Draft.metrics). */
  metrics: JsonValue | null;
  territories: TerritorySummary[];
  /** Territory rows (tmap_draftterritory) the save wrote; absent on drafts saved before rows existed. */
  territoryRows?: number;
}

/** A plan as listed (no assignments). */
export interface DraftSummary extends DraftRecordInfo {
  id: string;
  name: string;
  version: number;
  parentId: string | null;
  status: DraftStatus;
  notes: string;
  saveToken: string | null;
  metrics: JsonValue | null;
  territories: TerritorySummary[];
}

/** A loaded draft: the editable draft plus what the server knows about it. */
export interface LoadedDraft {
  draft: Draft;
  info: DraftSummary;
  /** Web API requests the load took. */
  requests: number;
  /**
   * Where the territory rows differ from the saved body because someone edited or deleted them in Dynamics:
   * edits (name, colour, rep) are taken over into `draft`, a deleted row leaves the territory as saved.
   */
  reconciliation: TerritoryRowDifference[];
}

export interface SaveResult {
  id: string;
  /** The new save token: keep it on the draft (`draft.saveToken`) for the next overwrite. */
  saveToken: string;
  version: number;
  parentId: string | null;
  chunkCount: number;
  /** tmap_draftterritory rows the save wrote. */
  territoryRows: number;
  /** Web API requests the save took. */
  requests: number;
}

export interface ListOptions {
  /** Statuses to list (default: draft, published and partially published — the last can be resumed). */
  statuses?: DraftStatus[];
}

export interface LoadOptions {
  /**
   * Load a plan whose last save did not complete, if all parts of that save happen to be stored
   * (e.g. only the final "mark complete" failed). Default false: an incomplete plan throws DraftIncompleteError.
   */
  allowIncomplete?: boolean;
}

export interface SaveProgress {
  /** Requests done / planned for this save. */
  done: number;
  total: number;
}

export interface SaveOptions {
  onProgress?: (p: SaveProgress) => void;
}

export interface DraftRepository {
  /** Plans with their territory summaries (one request for all). */
  listDrafts(options?: ListOptions): Promise<DraftSummary[]>;
  /** The whole draft: plan + territories + assignments. Throws DraftIncompleteError / DraftNotFoundError / DraftCorruptError. */
  loadDraft(id: string, options?: LoadOptions): Promise<LoadedDraft>;
  /**
   * Saves the draft: creates the plan when `draft.id` is undefined, otherwise overwrites it — only while the
   * stored plan still carries `draft.saveToken` (else DraftConflictError).
   */
  saveAsDraft(draft: Draft, options?: SaveOptions): Promise<SaveResult>;
  /** Saves as a new plan at version 1: parent = draft.id (or draft.parentId when never saved). */
  saveAsNewDraft(draft: Draft, options?: SaveOptions & { name?: string }): Promise<SaveResult>;
  /** Overwrites an existing plan (draft.id required); same conflict rule as saveAsDraft. */
  overwrite(draft: Draft, options?: SaveOptions): Promise<SaveResult>;
  /** Retries a save that failed with DraftSaveError (same draft content; the interrupted save's token is accepted). */
  retrySave(draft: Draft, failure: DraftSaveError, options?: SaveOptions): Promise<SaveResult>;
  /**
   * Completes a plan left Incomplete when every part of its last save is stored (checksums verified);
   * throws DraftIncompleteError listing what is missing otherwise.
   */
  resumeIncomplete(id: string): Promise<SaveResult>;
  /** Deletes the plan; its chunks and territory rows go with it (cascade). */
  deleteDraft(id: string): Promise<void>;
  /** Renames the plan (does not change its save token: a rename never makes another manager's save conflict). */
  rename(id: string, name: string): Promise<void>;
}

// ---------- errors ----------

export type DraftErrorKind = "conflict" | "save-failed" | "incomplete" | "not-found" | "corrupt" | "invalid" | "read-only";

export class DraftRepositoryError extends Error {
  public readonly kind: DraftErrorKind;
  /** The underlying failure (Web API error response, codec error), when there is one. */
  public readonly innerError: unknown;
  public constructor(kind: DraftErrorKind, message: string, innerError?: unknown) {
    super(message);
    this.name = "DraftRepositoryError";
    this.kind = kind;
    this.innerError = innerError;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** What the user can do about a conflict. */
export type ConflictResolution = "reload" | "save-as-new";

/**
 * Someone else saved the plan since this draft was loaded. Nothing was overwritten; the caller still holds
 * the draft, so it can offer to reload the other version or save this one as a new draft.
 */
export class DraftConflictError extends DraftRepositoryError {
  public readonly planId: string;
  public readonly expectedToken: string | null;
  public readonly actualToken: string | null;
  /** The stored plan as it is now (who saved it, when). */
  public readonly current: DraftSummary | null;
  public readonly options: readonly ConflictResolution[] = ["reload", "save-as-new"];
  public constructor(planId: string, expectedToken: string | null, actualToken: string | null, current: DraftSummary | null) {
    super(
      "conflict",
      `This draft was saved by someone else${current?.modifiedOn ? ` at ${current.modifiedOn}` : ""} after you opened it. Reload their version or save yours as a new draft.`,
    );
    this.name = "DraftConflictError";
    this.planId = planId;
    this.expectedToken = expectedToken;
    this.actualToken = actualToken;
    this.current = current;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export type SaveStage = "create-plan" | "check" | "write-chunks" | "complete" | "cleanup";

/**
 * A save stopped part way (network, 429, 5xx). The stored plan is either untouched (overwrite: the previous
 * complete version is still what loads) or Incomplete (new plan). Retry with {@link DraftRepository.retrySave}.
 */
export class DraftSaveError extends DraftRepositoryError {
  /** The plan, when it exists (a new plan is created first). */
  public readonly planId: string | null;
  /** Token of the interrupted save (its parts are stale and get cleaned up by the next save). */
  public readonly pendingToken: string;
  /** The token the plan carried before this save (what the draft was loaded with). */
  public readonly previousToken: string | null;
  public readonly stage: SaveStage;
  /** True when the plan is now Incomplete (a new plan whose parts were not all stored). */
  public readonly planIncomplete: boolean;
  /** Plan fields the save was writing (name, version, lineage), so a retry writes the same. */
  public readonly target: { name: string; version: number; parentId: string | null };
  public constructor(args: {
    planId: string | null;
    pendingToken: string;
    previousToken: string | null;
    stage: SaveStage;
    planIncomplete: boolean;
    cause: unknown;
    target: { name: string; version: number; parentId: string | null };
  }) {
    super(
      "save-failed",
      `The draft was not saved completely (${args.stage}: ${describeCause(args.cause)}). Nothing typed is lost — retry the save.`,
      args.cause,
    );
    this.name = "DraftSaveError";
    this.planId = args.planId;
    this.pendingToken = args.pendingToken;
    this.previousToken = args.previousToken;
    this.stage = args.stage;
    this.planIncomplete = args.planIncomplete;
    this.target = args.target;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The plan's last save did not complete; `missing` says what is not stored (when known). */
export class DraftIncompleteError extends DraftRepositoryError {
  public readonly planId: string;
  public readonly summary: DraftSummary;
  public readonly missing: string | null;
  public constructor(summary: DraftSummary, missing: string | null, cause?: unknown) {
    super(
      "incomplete",
      `The draft "${summary.name}" was not saved completely${missing ? ` (${missing})` : ""}. Retry the save from the session that made it, resume it, or delete it.`,
      cause,
    );
    this.name = "DraftIncompleteError";
    this.planId = summary.id;
    this.summary = summary;
    this.missing = missing;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export class DraftNotFoundError extends DraftRepositoryError {
  public readonly planId: string;
  public constructor(planId: string, cause?: unknown) {
    super("not-found", `The draft ${planId} does not exist (it may have been deleted).`, cause);
    this.name = "DraftNotFoundError";
    this.planId = planId;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export class DraftCorruptError extends DraftRepositoryError {
  public readonly planId: string;
  public constructor(planId: string, message: string, cause?: unknown) {
    super("corrupt", message, cause);
    this.name = "DraftCorruptError";
    this.planId = planId;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export function describeCause(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === "object" && "message" in e) return String((e as { message: unknown }).message);
  return String(e);
}
