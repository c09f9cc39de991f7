/**
 * Drafts: save as draft, overwrite the draft a plan came from (never a published one), save as a new draft (with
 * lineage), retry an interrupted save, the conflict when someone else saved the same draft first, the list of
 * saved drafts, replot By Territory (one draft, or chosen territories of several), and resume an interrupted save.
 */
import {
  FALLBACK_TERRITORY_COLOR,
  repairTerritoryColors,
  replotTerritories,
  type Draft,
  type RepairedColor,
  type TerritoryRowDifference,
} from "../../domain/drafts";
import { fromDraft, markSaved, toDraft, withPublishedTerritoryIds, type PlanSource } from "../../domain/workspace";
import { formatTemplate } from "../../domain/text";
import {
  DraftConflictError,
  DraftIncompleteError,
  DraftSaveError,
  describeCause,
  type DraftRepository,
  type DraftSummary,
  type SaveResult,
} from "../../../dataverse/drafts/DraftRepository";
import type { PlanSession } from "../plan/PlanSession";
import { mark } from "../marks";
import { Store } from "../store";

/** Performance marks of a replot (the drafts benchmark reads them). */
export const REPLOT_MARKS = { start: "tmap:replot-start", loaded: "tmap:replot-loaded", drawn: "tmap:replot-drawn" } as const;

/** Replot one saved draft (every territory) or chosen territories of it. */
export interface ReplotRequest {
  draftId: string;
  /** Territory keys; undefined = the whole draft. */
  keys?: string[];
}

/** What "Save as draft" asks first: a name (never saved), overwrite confirmation, or a new name (published source). */
export type SaveQuestion = "name" | "overwrite" | "new-name";

export interface SaveFailure {
  error: DraftSaveError;
  draft: Draft;
  name: string;
}

export interface DraftsState {
  /** Saved drafts (null = not read yet, or changed since). */
  list: DraftSummary[] | null;
  listLoading: boolean;
  listError: string | null;
  /** An interrupted save that Retry can finish. */
  failure: SaveFailure | null;
  /** Someone else saved the draft first: nothing was overwritten. */
  conflict: DraftConflictError | null;
  /** The draft this session saved last (the Plan form writes it to its bound column). */
  lastSaved: { id: string; version: number } | null;
}

type SaveKind = "create" | "overwrite" | "new";

export class DraftCommands extends Store<DraftsState> {
  public constructor(
    private readonly session: PlanSession,
    private readonly repository: DraftRepository,
  ) {
    super({ list: null, listLoading: false, listError: null, failure: null, conflict: null, lastSaved: null });
  }

  private get t() {
    return this.session.t;
  }

  /** What Save asks first for the current plan. */
  public saveQuestion(): SaveQuestion {
    const source = this.session.plan?.source;
    if (!source?.draftId) return "name";
    // A published (or archived) plan is never overwritten: its changes become a new draft.
    return source.status && source.status !== "draft" ? "new-name" : "overwrite";
  }

  /** Name offered for a first save. */
  public defaultName(): string {
    return formatTemplate(this.t("Draft_DefaultName"), new Date().toISOString().slice(0, 10));
  }

  /** Name offered for "Save as new draft". */
  public newName(): string {
    const source = this.session.plan?.source;
    return source ? formatTemplate(this.t("Draft_NewVersionName"), source.name, source.version + 1) : this.defaultName();
  }

  /** Saves the plan as a new draft record named `name`. */
  public saveAsDraft(name: string): Promise<void> {
    return this.save("create", name);
  }

  /** Overwrites the draft the plan came from (after the manager confirmed). */
  public overwrite(): Promise<void> {
    return this.save("overwrite");
  }

  /** Saves the plan as a new draft derived from its source (lineage kept). */
  public saveAsNewDraft(name: string): Promise<void> {
    this.set({ conflict: null });
    return this.save("new", name);
  }

  /** Finishes an interrupted save (the same draft record). */
  public async retry(): Promise<void> {
    const f = this.get().failure;
    const p = this.session.plan;
    if (!f || !p) return;
    this.session.setBusy(true);
    this.session.notify({ intent: "info", text: this.t("Save_Running"), testId: "save-running" });
    try {
      const r = await this.repository.retrySave(f.draft, f.error, { onProgress: (x) => this.progress(x) });
      this.afterSaved(r, f.error.target.name || f.name, f.draft, p.revision);
    } catch (e) {
      this.session.notify(null);
      this.onSaveError(e, f.draft, f.name);
    } finally {
      this.session.setBusy(false);
    }
  }

  /** Leaves the conflict without saving (the edits stay, unsaved). */
  public dismissConflict(): void {
    this.set({ conflict: null });
  }

  /** Replaces the plan with the version someone else saved. */
  public reloadConflicted(): Promise<void> {
    const id = this.get().conflict?.planId;
    this.set({ conflict: null });
    return id ? this.replot([{ draftId: id }]) : Promise.resolve();
  }

  /** Reads the saved drafts. */
  public async refreshList(): Promise<void> {
    this.set({ listLoading: true, listError: null });
    try {
      this.set({ list: await this.repository.listDrafts() });
    } catch (e) {
      this.set({ listError: formatTemplate(this.t("Drafts_ListFailed"), describeCause(e)) });
    } finally {
      this.set({ listLoading: false });
    }
  }

  /** Reads the drafts when they have not been read since they last changed. */
  public ensureList(): void {
    if (!this.get().list && !this.get().listLoading) void this.refreshList();
  }

  /** The drafts changed (saved, published): read again when next needed. */
  public invalidateList(): void {
    this.set({ list: null });
  }

  /**
   * Replot By Territory: one whole draft becomes the plan (saving overwrites it); territories of several drafts
   * become a new unsaved plan combining them (overlaps go to the first and are counted).
   */
  public async replot(requests: readonly ReplotRequest[]): Promise<void> {
    const session = this.session;
    const table = session.plan?.table;
    if (!table || requests.length === 0) return;
    session.setBusy(true);
    session.notify({ intent: "info", text: this.t("Replot_Running"), testId: "replot-running" });
    mark(REPLOT_MARKS.start);
    try {
      let result: ReturnType<typeof fromDraft>;
      let overlaps = 0;
      let name: string;
      let differences: TerritoryRowDifference[];
      // A stored colour the map cannot use (not #rrggbb) is drawn in the fallback grey and reported, never dropped silently.
      const repaired: RepairedColor[] = [];
      const usable = (d: Draft): Draft => {
        const r = repairTerritoryColors(d);
        repaired.push(...r.repaired);
        return r.draft;
      };
      if (requests.length === 1 && !requests[0].keys) {
        const loaded = await this.repository.loadDraft(requests[0].draftId);
        result = fromDraft(table, withPublishedTerritoryIds(usable(loaded.draft)), { saved: true });
        name = loaded.draft.name;
        differences = loaded.reconciliation;
      } else {
        const ids = [...new Set(requests.map((r) => r.draftId))];
        const loaded = await Promise.all(ids.map((id) => this.repository.loadDraft(id)));
        differences = loaded.flatMap((l) => l.reconciliation);
        const byId = new Map(loaded.map((l) => [l.info.id, withPublishedTerritoryIds(usable(l.draft))]));
        name = formatTemplate(this.t("Replot_CombinedName"), loaded.map((l) => l.draft.name).join(" + "));
        const combined = replotTerritories(
          requests.map((r) => ({ draft: byId.get(r.draftId) as Draft, keys: r.keys })),
          name,
        );
        overlaps = combined.overlaps;
        result = fromDraft(table, combined.draft, {
          saved: false,
          fromDrafts: loaded.map((l) => ({ id: l.info.id, name: l.draft.name, version: l.draft.version })),
        });
      }
      mark(REPLOT_MARKS.loaded);
      session.select(null);
      this.set({ failure: null });
      await session.commit(result.plan, null);
      mark(REPLOT_MARKS.drawn);
      const colours = repaired.length
        ? ` ${formatTemplate(
            this.t("Replot_BadColors"),
            repaired.length,
            repaired.map((r) => `${r.name} (${r.value})`).join(", "),
            FALLBACK_TERRITORY_COLOR,
          )}`
        : "";
      const done = formatTemplate(this.t("Replot_Done"), name, result.missing, result.added, overlaps) + colours;
      session.notify({
        intent: result.missing || result.added || overlaps || differences.length || repaired.length ? "warning" : "success",
        text: differences.length ? `${done} ${this.describeRowDifferences(differences)}` : done,
        testId: "replot-info",
        data: { missing: result.missing, added: result.added, overlaps, rowDifferences: differences.length, badColors: repaired.length },
      });
    } catch (e) {
      if (e instanceof DraftIncompleteError) {
        session.notify({ intent: "warning", text: e.message, testId: "replot-incomplete", data: { draftId: e.planId } });
      } else {
        session.notify({ intent: "error", text: formatTemplate(this.t("Replot_Failed"), describeCause(e)), testId: "replot-error" });
      }
    } finally {
      session.setBusy(false);
    }
  }

  /** What differed between the draft's territory rows (edited or deleted by hand in Dynamics) and the saved draft. */
  private describeRowDifferences(differences: readonly TerritoryRowDifference[]): string {
    const parts = differences.map((d) => {
      switch (d.kind) {
        case "renamed":
          return formatTemplate(this.t("Replot_RowRenamed"), d.from, d.to);
        case "recolored":
          return formatTemplate(this.t("Replot_RowRecolored"), d.territory, d.to);
        case "rep-changed":
          return formatTemplate(this.t("Replot_RowRepChanged"), d.territory);
        case "deleted":
          return formatTemplate(this.t("Replot_RowDeleted"), d.territory);
      }
    });
    return formatTemplate(this.t("Replot_RowsReconciled"), parts.join(" "));
  }

  /** Completes a draft whose save was interrupted (from the drafts list). */
  public async resume(id: string): Promise<void> {
    this.session.setBusy(true);
    try {
      const r = await this.repository.resumeIncomplete(id);
      this.session.notify({ intent: "success", text: this.t("Resume_Done"), testId: "resume-success", data: { draftId: r.id } });
      await this.refreshList();
    } catch (e) {
      this.session.notify({ intent: "error", text: describeCause(e), testId: "resume-error" });
    } finally {
      this.session.setBusy(false);
    }
  }

  // ---------------------------------------------------------------- saving

  private async save(kind: SaveKind, name?: string): Promise<void> {
    const session = this.session;
    const p = session.plan;
    if (!p) return;
    session.setBusy(true);
    session.notify({ intent: "info", text: this.t("Save_Running"), testId: "save-running" });
    const draftName = name ?? p.source?.name ?? "";
    let draft: Draft | null = null;
    try {
      draft = toDraft(p, draftName, session.baselineFor(p));
      let r: SaveResult;
      const onProgress = (x: { done: number; total: number }) => this.progress(x);
      if (kind === "create") {
        delete draft.id;
        delete draft.saveToken;
        r = await this.repository.saveAsDraft(draft, { onProgress });
      } else if (kind === "overwrite") r = await this.repository.overwrite(draft, { onProgress });
      else r = await this.repository.saveAsNewDraft(draft, { name: draftName, onProgress });
      this.afterSaved(r, draftName, draft, p.revision);
    } catch (e) {
      session.notify(null);
      if (draft) this.onSaveError(e, draft, draftName);
      else session.notify({ intent: "error", text: formatTemplate(this.t("Save_Failed"), describeCause(e)), testId: "save-error" });
    } finally {
      session.setBusy(false);
    }
  }

  private progress(p: { done: number; total: number }): void {
    this.session.notify({ intent: "info", text: formatTemplate(this.t("Save_Progress"), p.done, p.total), testId: "save-running" });
  }

  private afterSaved(r: SaveResult, name: string, draft: Draft, revision: number): void {
    const session = this.session;
    const cur = session.plan;
    if (cur) {
      const before = cur.source;
      // Saved as a new draft from a saved one: remember which, to show "from FY27 v2".
      const from =
        before?.draftId && r.parentId && before.draftId === r.parentId && r.id !== before.draftId
          ? { name: before.name, version: before.version }
          : (before?.from ?? null);
      const source: PlanSource = {
        draftId: r.id,
        saveToken: r.saveToken,
        name,
        version: r.version,
        parentId: r.parentId,
        fromDrafts: [{ id: r.id, name, version: r.version }],
        notes: draft.notes,
        balancingSettings: draft.balancingSettings,
        from: r.id === before?.draftId ? (before?.from ?? null) : from,
      };
      // Edits made while saving stay unsaved; the plan now overwrites the saved draft.
      void session.commit(cur.revision === revision ? markSaved(cur, source) : { ...cur, source }, "none");
    }
    this.set({ failure: null, list: null, lastSaved: { id: r.id, version: r.version } });
    session.notify({
      intent: "success",
      text: formatTemplate(this.t("Save_Done"), name, r.version),
      testId: "save-success",
      data: { draftId: r.id, version: r.version },
    });
  }

  private onSaveError(e: unknown, draft: Draft, name: string): void {
    if (e instanceof DraftConflictError) this.set({ conflict: e });
    else if (e instanceof DraftSaveError) this.set({ failure: { error: e, draft, name } });
    else this.session.notify({ intent: "error", text: formatTemplate(this.t("Save_Failed"), describeCause(e)), testId: "save-error" });
  }
}
