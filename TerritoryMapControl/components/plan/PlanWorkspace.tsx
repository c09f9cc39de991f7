import * as React from "react";
import { Badge, Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner } from "@fluentui/react-components";
import type { Account, Rep, Territory } from "../../domain/accounts";
import type { TerritoryColors } from "../../domain/palette";
import type { MapAdapter } from "../../adapters/map/MapAdapter";
import {
  DraftConflictError,
  DraftIncompleteError,
  DraftSaveError,
  describeCause,
  type DraftRepository,
  type DraftSummary,
  type SaveResult,
} from "../../../dataverse/drafts/DraftRepository";
import { compareDrafts, replotTerritories, type AccountMeasures, type ComparableDraft, type Draft } from "../../domain/drafts";
import { publishedTerritoryId } from "../../domain/publish/uuid";
import type { PublishResult } from "../../../dataverse/publish/publishPlan";
import { PublishDialog } from "../publish/PublishDialog";
import type { Publisher } from "../publish/publisher";
import {
  ACCOUNTS,
  assignRep,
  baselineOf,
  buildAccountTable,
  deleteTerritory,
  fromDraft,
  linkPublishedTerritories,
  liveAfterPublish,
  markSaved,
  moveAccounts,
  planFromLiveState,
  renameTerritory,
  territoryRows,
  toDraft,
  withPublishedTerritoryIds,
  type AccountTable,
  type LiveTerritories,
  type PlanSource,
  type WorkingPlan,
} from "../../domain/workspace";
import { planToCsv } from "../../domain/export/csv";
import { planToGeoJsonText } from "../../domain/export/geojson";
import { formatTemplate } from "../text";
import { ActionsMenu, type PlanAction } from "./ActionsMenu";
import { DesignTools, planKml } from "./DesignTools";
import { ByTerritoryDialog, type ReplotRequest } from "./ByTerritoryDialog";
import { CompareDialog, CURRENT_PLAN, type CompareView } from "./CompareDialog";
import { AssignRepDialog, ConfirmDialog, NameDialog } from "./dialogs";
import { downloadText, safeFileName } from "./download";
import { MoveAccountsDialog } from "./MoveAccountsDialog";
import { balanceMeasure, TerritoryTable, type CardRow } from "./TerritoryCard";
import { usePlanStyles } from "./plan.styles";

/** Performance marks of a replot (the drafts benchmark reads them). */
export const REPLOT_MARKS = { start: "tmap:replot-start", loaded: "tmap:replot-loaded", drawn: "tmap:replot-drawn" } as const;

function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // diagnostics only
  }
}

/**
 * What map tools (lasso, draw, auto-balance) get to edit the working plan: the current plan and `apply`, which
 * makes a new plan (from the domain/workspace operations) current, flags it unsaved and redraws the map —
 * `changed` = the account positions whose territory changed (only their map sources are rewritten), null = all.
 */
export interface PlanApi {
  plan: WorkingPlan;
  selectedKey: string | null;
  busy: boolean;
  apply: (next: WorkingPlan, changed: Int32Array | null) => Promise<void>;
}

/** Publishing wired by the app (TerritoryMapApp from props.publishing). */
export interface PublishWiring {
  publisherFor: (planId: string) => Publisher;
  /** Why the user may not publish (disables Publish), null = may, undefined = still being checked. */
  disabledReason: string | null | undefined;
  /** After a publish finished (published / partial). */
  onPublished?: (result: PublishResult) => void;
}

export interface PlanWorkspaceProps {
  /** Every page is loaded and drawn: the plan can be built. */
  ready: boolean;
  /** Changes with every (re)load of the accounts. */
  loadKey: string;
  accounts: () => readonly Account[];
  measures: readonly string[];
  territories: readonly Territory[];
  reps: readonly Rep[];
  colors: TerritoryColors;
  adapter: () => MapAdapter | null;
  draftRepository: DraftRepository;
  onPublishRequested?: (draftId: string) => void;
  /** Publish opens the publish dialog (preview, conflicts, progress, result) for the saved draft. */
  publishing?: PublishWiring;
  getString: (key: string) => string;
  /** Extra toolbar content (map tools) rendered with access to the plan. */
  tools?: (api: PlanApi) => React.ReactNode;
}

type DialogKind =
  | "save-name"
  | "save-new-name"
  | "overwrite"
  | "rename"
  | "assign-rep"
  | "delete"
  | "move"
  | "by-territory"
  | "compare"
  | "conflict"
  | "discard";
type SaveKind = "create" | "overwrite" | "new";

interface Notice {
  intent: "success" | "info" | "warning" | "error";
  text: string;
  testId: string;
  data?: Record<string, string | number>;
}

interface SaveFailure {
  error: DraftSaveError;
  draft: Draft;
  name: string;
}

/**
 * The Territory Management card and everything it drives: the working plan (domain/workspace), saving drafts
 * (with confirmation before overwriting the source, conflict and interrupted-save handling), By Territory replot,
 * moving accounts, compare, rename / assign rep / delete territories, export.
 */
export const PlanWorkspace: React.FC<PlanWorkspaceProps> = (props) => {
  const { ready, loadKey, measures, territories, reps, colors, draftRepository: repo, getString } = props;
  const styles = usePlanStyles();
  const [plan, setPlan] = React.useState<WorkingPlan | null>(null);
  const planRef = React.useRef<WorkingPlan | null>(null);
  planRef.current = plan;
  const [selectedKey, setSelectedKey] = React.useState<string | null>(null);
  const [dialog, setDialog] = React.useState<DialogKind | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [notice, setNotice] = React.useState<Notice | null>(null);
  const [saveFailure, setSaveFailure] = React.useState<SaveFailure | null>(null);
  const [conflict, setConflict] = React.useState<DraftConflictError | null>(null);
  const [drafts, setDrafts] = React.useState<DraftSummary[] | null>(null);
  const [draftsLoading, setDraftsLoading] = React.useState(false);
  const [draftsError, setDraftsError] = React.useState<string | null>(null);
  const [mapRevision, setMapRevision] = React.useState(-1);
  const [publishTarget, setPublishTarget] = React.useState<{ id: string; name: string } | null>(null);
  const afterDiscard = React.useRef<(() => void) | null>(null);

  // ---------------------------------------------------------------- the account table and the live plan

  const measureKey = measures.join(",");
  const table = React.useMemo<AccountTable | null>(
    () => (ready ? buildAccountTable(props.accounts(), measureKey ? measureKey.split(",") : []) : null),
    // rebuilt per load (ready/loadKey), not per render
    [ready, loadKey, measureKey],
  );
  const territoryOfAccount = React.useMemo(() => {
    if (!table) return [];
    const byId = new Map<string, string | null>();
    for (const a of props.accounts()) byId.set(a.id.toLowerCase(), a.territoryId);
    return table.ids.map((id) => byId.get(id) ?? null);
  }, [table]); // props.accounts() is stable per load

  // Each account's Dynamics territory as loaded (updated after a publish): the baseline every saved draft records.
  const live = React.useRef<{ table: AccountTable; live: LiveTerritories } | null>(null);
  if (table && live.current?.table !== table)
    live.current = { table, live: { territoryIds: territoryOfAccount, takenOn: new Date().toISOString() } };
  const baselineFor = (p: WorkingPlan) => (live.current && live.current.table === p.table ? baselineOf(p, live.current.live) : null);

  const getStringRef = React.useRef(getString);
  getStringRef.current = getString;
  const liveBuiltFrom = React.useRef<{ table: AccountTable; territories: readonly Territory[] } | null>(null);
  React.useEffect(() => {
    if (!table) return;
    const current = planRef.current;
    const edited = !!current && (current.source !== null || current.dirty);
    if (current && edited) {
      if (current.table === table) return;
      // The accounts were loaded again (Retry, scope): carry the edited plan over instead of dropping it.
      const carried = fromDraft(table, toDraft(current), { saved: !!current.source?.draftId, fromDrafts: current.source?.fromDrafts });
      void commit({ ...carried.plan, dirty: current.dirty || carried.plan.dirty }, null);
      return;
    }
    // The live state is (re)built while nobody has touched it, e.g. when territory names arrive after the accounts.
    const last = liveBuiltFrom.current;
    if (current && last && last.table === table && last.territories === territories) return;
    liveBuiltFrom.current = { table, territories };
    setPlan(
      planFromLiveState(
        table,
        territories,
        territoryOfAccount,
        (id) => colors.colorOf(id),
        () => getStringRef.current("Territories_Unknown"),
      ),
    );
  }, [table, territories, territoryOfAccount, colors]); // commit is stable for a given map adapter getter

  // ---------------------------------------------------------------- map

  const repNames = React.useMemo(() => new Map(reps.map((r) => [r.id.toLowerCase(), r.fullName])), [reps]);
  const repName = React.useCallback((id: string) => repNames.get(id.toLowerCase()) ?? id, [repNames]);

  /** Redraws the map for `next`: only the sources holding `changed` accounts, or everything (null). */
  const syncMap = React.useCallback(
    async (next: WorkingPlan, changed: Int32Array | null): Promise<void> => {
      const adapter = props.adapter();
      if (!adapter) {
        setMapRevision(next.revision);
        return;
      }
      const t = next.table;
      await adapter.applyPlan(
        {
          territoryOf: (id) => {
            const p = planRef.current ?? next;
            const i = p.table.index.get(id);
            return i === undefined ? -1 : p.assignment[i];
          },
          colors: next.territories.map((x) => x.color),
          describe: (id) => {
            const p = planRef.current ?? next;
            const i = p.table.index.get(id);
            const k = i === undefined ? -1 : p.assignment[i];
            return k >= 0
              ? { name: p.territories[k].name, color: p.territories[k].color }
              : { name: getString("Territories_Unassigned"), color: "#8a8a8a" };
          },
        },
        changed ? Array.from(changed, (i) => t.ids[i]) : null,
      );
      setMapRevision(next.revision);
    },
    [props, getString],
  );

  const commit = React.useCallback(
    (next: WorkingPlan, changed: Int32Array | null | "none"): Promise<void> => {
      planRef.current = next;
      setPlan(next);
      if (changed === "none") return Promise.resolve();
      return syncMap(next, changed);
    },
    [syncMap],
  );

  // ---------------------------------------------------------------- leaving with unsaved changes

  const dirty = !!plan?.dirty;
  React.useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = getString("Plan_LeaveWarning");
      return getString("Plan_LeaveWarning");
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty, getString]);

  /** Runs `action` now, or after the user agreed to discard unsaved changes. */
  const guardUnsaved = (action: () => void) => {
    if (planRef.current?.dirty) {
      afterDiscard.current = action;
      setDialog("discard");
    } else action();
  };

  // ---------------------------------------------------------------- drafts list

  const refreshDrafts = React.useCallback(async () => {
    setDraftsLoading(true);
    setDraftsError(null);
    try {
      setDrafts(await repo.listDrafts());
    } catch (e) {
      setDraftsError(formatTemplate(getString("Drafts_ListFailed"), describeCause(e)));
    } finally {
      setDraftsLoading(false);
    }
  }, [repo, getString]);

  // ---------------------------------------------------------------- saving

  const sourceFor = (r: SaveResult, name: string, draft: Draft): PlanSource => ({
    draftId: r.id,
    saveToken: r.saveToken,
    name,
    version: r.version,
    parentId: r.parentId,
    fromDrafts: [{ id: r.id, name, version: r.version }],
    notes: draft.notes,
    balancingSettings: draft.balancingSettings,
  });

  const afterSaved = (r: SaveResult, name: string, draft: Draft, revision: number) => {
    const cur = planRef.current;
    if (cur) {
      const source = sourceFor(r, name, draft);
      void commit(cur.revision === revision ? markSaved(cur, source) : { ...cur, source }, "none");
    }
    setSaveFailure(null);
    setNotice({
      intent: "success",
      text: formatTemplate(getString("Save_Done"), name, r.version),
      testId: "save-success",
      data: { draftId: r.id, version: r.version },
    });
    setDrafts(null);
  };

  const onSaveError = (e: unknown, draft: Draft, name: string) => {
    if (e instanceof DraftConflictError) {
      setConflict(e);
      setDialog("conflict");
    } else if (e instanceof DraftSaveError) {
      setSaveFailure({ error: e, draft, name });
    } else {
      setNotice({ intent: "error", text: formatTemplate(getString("Save_Failed"), describeCause(e)), testId: "save-error" });
    }
  };

  const progressNotice = (p: { done: number; total: number }) =>
    setNotice({ intent: "info", text: formatTemplate(getString("Save_Progress"), p.done, p.total), testId: "save-running" });

  const save = async (kind: SaveKind, name?: string) => {
    const p = planRef.current;
    if (!p) return;
    setDialog(null);
    setBusy(true);
    setNotice({ intent: "info", text: getString("Save_Running"), testId: "save-running" });
    const draftName = name ?? p.source?.name ?? "";
    let draft: Draft | null = null;
    try {
      draft = toDraft(p, draftName, baselineFor(p));
      let r: SaveResult;
      const onProgress = progressNotice;
      if (kind === "create") {
        delete draft.id;
        delete draft.saveToken;
        r = await repo.saveAsDraft(draft, { onProgress });
      } else if (kind === "overwrite") r = await repo.overwrite(draft, { onProgress });
      else r = await repo.saveAsNewDraft(draft, { name: draftName, onProgress });
      afterSaved(r, draftName, draft, p.revision);
    } catch (e) {
      setNotice(null);
      if (draft) onSaveError(e, draft, draftName);
      else setNotice({ intent: "error", text: formatTemplate(getString("Save_Failed"), describeCause(e)), testId: "save-error" });
    } finally {
      setBusy(false);
    }
  };

  const retrySave = async () => {
    const f = saveFailure;
    const p = planRef.current;
    if (!f || !p) return;
    setBusy(true);
    setNotice({ intent: "info", text: getString("Save_Running"), testId: "save-running" });
    try {
      const r = await repo.retrySave(f.draft, f.error, { onProgress: progressNotice });
      afterSaved(r, f.error.target.name || f.name, f.draft, p.revision);
    } catch (e) {
      setNotice(null);
      onSaveError(e, f.draft, f.name);
    } finally {
      setBusy(false);
    }
  };

  // ---------------------------------------------------------------- replot

  const replot = async (requests: ReplotRequest[]) => {
    if (!table || requests.length === 0) return;
    setDialog(null);
    setBusy(true);
    setNotice({ intent: "info", text: getString("Replot_Running"), testId: "replot-running" });
    mark(REPLOT_MARKS.start);
    try {
      let result: ReturnType<typeof fromDraft>;
      let overlaps = 0;
      let name: string;
      if (requests.length === 1 && !requests[0].keys) {
        const loaded = await repo.loadDraft(requests[0].draftId);
        result = fromDraft(table, withPublishedTerritoryIds(loaded.draft), { saved: true });
        name = loaded.draft.name;
      } else {
        const ids = [...new Set(requests.map((r) => r.draftId))];
        const loaded = await Promise.all(ids.map((id) => repo.loadDraft(id)));
        const byId = new Map(loaded.map((l) => [l.info.id, withPublishedTerritoryIds(l.draft)]));
        name = formatTemplate(getString("Replot_CombinedName"), loaded.map((l) => l.draft.name).join(" + "));
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
      setSelectedKey(null);
      setSaveFailure(null);
      await commit(result.plan, null);
      mark(REPLOT_MARKS.drawn);
      setNotice({
        intent: result.missing || result.added || overlaps ? "warning" : "success",
        text: formatTemplate(getString("Replot_Done"), name, result.missing, result.added, overlaps),
        testId: "replot-info",
        data: { missing: result.missing, added: result.added, overlaps },
      });
    } catch (e) {
      if (e instanceof DraftIncompleteError) {
        setNotice({ intent: "warning", text: e.message, testId: "replot-incomplete", data: { draftId: e.planId } });
      } else {
        setNotice({ intent: "error", text: formatTemplate(getString("Replot_Failed"), describeCause(e)), testId: "replot-error" });
      }
    } finally {
      setBusy(false);
    }
  };

  const resume = async (id: string) => {
    setBusy(true);
    try {
      const r = await repo.resumeIncomplete(id);
      setNotice({ intent: "success", text: getString("Resume_Done"), testId: "resume-success", data: { draftId: r.id } });
      await refreshDrafts();
    } catch (e) {
      setNotice({ intent: "error", text: describeCause(e), testId: "resume-error" });
    } finally {
      setBusy(false);
    }
  };

  // ---------------------------------------------------------------- compare

  const measureValues = React.useMemo<AccountMeasures | undefined>(() => {
    if (!table) return undefined;
    const values = new Map<string, number[]>();
    for (let i = 0; i < table.ids.length; i++)
      values.set(
        table.ids[i],
        table.values.map((v) => v[i]),
      );
    return { names: table.measures, values };
  }, [table]);

  const runCompare = async (aId: string, bId: string): Promise<CompareView> => {
    const get = async (id: string): Promise<{ d: ComparableDraft; name: string }> => {
      if (id === CURRENT_PLAN) {
        const p = planRef.current;
        if (!p) throw new Error(getString("Plan_NotReady"));
        return { d: toDraft(p), name: getString("Compare_CurrentPlan") };
      }
      const l = await repo.loadDraft(id);
      return { d: l.draft, name: `${l.draft.name} · ${formatTemplate(getString("ByTerritory_Version"), l.draft.version)}` };
    };
    const [a, b] = await Promise.all([get(aId), get(bId)]);
    return { comparison: compareDrafts(a.d, b.d, measureValues), a: a.d, b: b.d, aName: a.name, bName: b.name };
  };

  const accountName = React.useCallback(
    (id: string) => {
      const i = table?.index.get(id);
      return i === undefined ? id : table?.names[i] || id;
    },
    [table],
  );

  // ---------------------------------------------------------------- publish

  const publisher = React.useMemo(
    () => (publishTarget && props.publishing ? props.publishing.publisherFor(publishTarget.id) : null),
    [publishTarget, props.publishing],
  );

  /** Dynamics territory id → name: the Dynamics list, the plan's territories, and those the publish will create. */
  const publishTerritoryName = React.useCallback(
    (id: string): string | undefined => {
      const key = id.toLowerCase();
      const p = planRef.current;
      const planId = publishTarget?.id.toLowerCase();
      for (const t of p?.territories ?? []) {
        const tid = t.territoryId ?? (planId ? publishedTerritoryId(planId, t.key) : null);
        if (tid && tid.toLowerCase() === key) return t.name;
      }
      return territories.find((t) => t.id.toLowerCase() === key)?.name;
    },
    [territories, publishTarget],
  );

  /**
   * After a publish: the plan's territories point at their Dynamics territories (a later "Save as new draft" keeps
   * them, so the next publish creates nothing twice), the plan is marked Published, the live territories (the next
   * draft's baseline) become what was written, and the drafts list is read again.
   */
  const onPublished = (result: PublishResult) => {
    const cur = planRef.current;
    if (cur && cur.source?.draftId && cur.source.draftId.toLowerCase() === result.planId.toLowerCase()) {
      if (live.current && live.current.table === cur.table) {
        live.current = { table: cur.table, live: liveAfterPublish(cur, live.current.live, result, new Date().toISOString()) };
      }
      void commit(linkPublishedTerritories(cur, result), "none");
    }
    setDrafts(null);
    if (dialog === "by-territory" || dialog === "compare") void refreshDrafts();
    setNotice({
      intent: result.status === "published" ? "success" : "warning",
      text: formatTemplate(
        getString("Publish_Done"),
        result.written.accounts,
        result.written.territoriesCreated + result.written.territoriesUpdated,
      ),
      testId: "publish-info",
      data: { planId: result.planId, status: result.status, accounts: result.written.accounts },
    });
    props.publishing?.onPublished?.(result);
  };

  // ---------------------------------------------------------------- actions

  const selected = plan && selectedKey ? (plan.territories.find((t) => t.key === selectedKey) ?? null) : null;
  const publishing = props.publishing;
  const publishBlockedReason = publishing?.disabledReason
    ? publishing.disabledReason
    : !plan?.source?.draftId
      ? getString("Publish_NeedsDraft")
      : plan.dirty
        ? getString("Publish_NeedsSave")
        : !props.onPublishRequested && !publishing
          ? getString("Publish_Unavailable")
          : publishing && publishing.disabledReason === undefined
            ? getString("Publish_CheckingRights")
            : null;

  const onAction = (action: PlanAction) => {
    const p = planRef.current;
    if (!p) return;
    switch (action) {
      case "save":
        // A published (or archived) plan is never overwritten: its changes become a new draft.
        setDialog(p.source?.draftId ? (p.source.status && p.source.status !== "draft" ? "save-new-name" : "overwrite") : "save-name");
        break;
      case "save-new":
        setDialog("save-new-name");
        break;
      case "publish":
        if (p.source?.draftId && !p.dirty) {
          if (props.publishing) setPublishTarget({ id: p.source.draftId, name: p.source.name });
          props.onPublishRequested?.(p.source.draftId);
        }
        break;
      case "rename":
      case "assign-rep":
      case "delete":
        if (selected) setDialog(action);
        break;
      case "export-csv": {
        const csv = planToCsv(p, repName, {
          accountId: getString("Export_ColAccountId"),
          accountName: getString("Export_ColAccountName"),
          territory: getString("Export_ColTerritory"),
          rep: getString("Export_ColRep"),
        });
        downloadText(`${safeFileName(p.source?.name ?? "", "territory-plan")}.csv`, "text/csv;charset=utf-8", `\ufeff${csv}`);
        break;
      }
      case "export-geojson":
        downloadText(
          `${safeFileName(p.source?.name ?? "", "territory-plan")}.geojson`,
          "application/geo+json",
          planToGeoJsonText(p, repName),
        );
        break;
      case "export-kml":
        downloadText(
          `${safeFileName(p.source?.name ?? "", "territory-plan")}.kml`,
          "application/vnd.google-earth.kml+xml",
          planKml(p, props.accounts(), repName, getString),
        );
        break;
      default:
        break;
    }
  };

  const openByTerritory = () => {
    setDialog("by-territory");
    if (!drafts) void refreshDrafts();
  };
  const openCompare = () => {
    setDialog("compare");
    if (!drafts) void refreshDrafts();
  };

  // ---------------------------------------------------------------- render

  const rows = React.useMemo<CardRow[]>(
    () => (plan ? territoryRows(plan).map((r) => ({ ...r, repName: r.repId ? repName(r.repId) : getString("Territories_NoRep") })) : []),
    [plan, repName, getString],
  );
  const revenueMeasure = measures.find((m) => /revenue/i.test(m)) ?? null;
  const workloadMeasure = measures.find((m) => /workload/i.test(m)) ?? null;
  const source = plan?.source ?? null;
  const planTitle = !source
    ? getString("Plan_Live")
    : source.draftId
      ? formatTemplate(getString(source.status === "published" ? "Plan_Published" : "Plan_Draft"), source.name, source.version)
      : formatTemplate(getString("Plan_Unsaved"), source.name);
  const defaultName = formatTemplate(getString("Draft_DefaultName"), new Date().toISOString().slice(0, 10));
  const newName = source ? formatTemplate(getString("Draft_NewVersionName"), source.name, source.version + 1) : defaultName;

  return (
    <section className={styles.card} aria-label={getString("Card_Title")} data-testid="territory-card">
      <h2 className={styles.heading}>
        {getString("Card_Title")}
        {dirty && (
          <Badge appearance="filled" color="warning" data-testid="unsaved-badge">
            {getString("Plan_UnsavedBadge")}
          </Badge>
        )}
      </h2>
      <div
        className={styles.planName}
        title={planTitle}
        data-testid="plan-status"
        data-ready={plan ? "true" : "false"}
        data-dirty={dirty ? "true" : "false"}
        data-source-id={source?.draftId ?? ""}
        data-source-status={source?.status ?? ""}
        data-parent-id={source?.parentId ?? ""}
        data-revision={plan?.revision ?? -1}
        data-map-revision={mapRevision}
        data-busy={busy ? "true" : "false"}
      >
        {planTitle}
      </div>
      <div className={styles.toolbar} role="toolbar" aria-label={getString("Card_ToolbarLabel")}>
        <ActionsMenu
          onAction={onAction}
          publishBlockedReason={publishBlockedReason}
          hasSelection={!!selected}
          busy={busy || !plan}
          getString={getString}
        />
        <Button onClick={() => openByTerritory()} disabled={busy || !plan} data-testid="open-by-territory">
          {getString("ByTerritory_Button")}
        </Button>
        <Button onClick={() => setDialog("move")} disabled={busy || !plan} data-testid="open-move">
          {getString("Move_Button")}
        </Button>
        <Button onClick={openCompare} disabled={busy || !plan} data-testid="open-compare">
          {getString("Compare_Button")}
        </Button>
        {plan && props.tools?.({ plan, selectedKey, busy, apply: commit })}
      </div>
      {plan && (
        <DesignTools
          api={{ plan, selectedKey, busy, apply: commit }}
          adapter={props.adapter}
          accounts={props.accounts}
          reps={reps}
          repName={repName}
          onSelectTerritory={setSelectedKey}
          getString={getString}
        />
      )}
      {busy && <Spinner size="tiny" label={getString("Plan_Working")} />}
      {notice && (
        <MessageBar
          intent={notice.intent}
          data-testid={notice.testId}
          {...Object.fromEntries(Object.entries(notice.data ?? {}).map(([k, v]) => [`data-${k.toLowerCase()}`, String(v)]))}
        >
          <MessageBarBody>{notice.text}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" appearance="transparent" onClick={() => setNotice(null)}>
              {getString("Common_Dismiss")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {saveFailure && (
        <MessageBar intent="error" data-testid="save-failed" data-stage={saveFailure.error.stage}>
          <MessageBarBody>
            <MessageBarTitle>{getString("SaveFailed_Title")}</MessageBarTitle>
            {getString("SaveFailed_Text")}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void retrySave()} disabled={busy} data-testid="save-retry">
              {getString("Error_Retry")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {!plan && <Spinner size="small" label={getString("Plan_Loading")} />}
      {plan && (
        <TerritoryTable
          rows={rows}
          measures={plan.table.measures}
          revenueMeasure={revenueMeasure}
          workloadMeasure={workloadMeasure}
          selectedKey={selectedKey}
          onSelect={setSelectedKey}
          unassigned={plan.totals.unassignedAccounts}
          getString={getString}
        />
      )}

      <NameDialog
        open={dialog === "save-name"}
        title={getString("Actions_SaveAsDraft")}
        label={getString("Name_DraftLabel")}
        initial={source?.name || defaultName}
        confirm={getString("Save_Confirm")}
        getString={getString}
        onConfirm={(n) => void save("create", n)}
        onCancel={() => setDialog(null)}
        testId="save-name-dialog"
      />
      <NameDialog
        open={dialog === "save-new-name"}
        title={getString("Actions_SaveAsNewDraft")}
        label={getString("Name_DraftLabel")}
        initial={newName}
        confirm={getString("Save_Confirm")}
        getString={getString}
        onConfirm={(n) => {
          setConflict(null);
          void save("new", n);
        }}
        onCancel={() => setDialog(null)}
        testId="save-new-dialog"
      />
      <ConfirmDialog
        open={dialog === "overwrite"}
        title={getString("Overwrite_Title")}
        message={formatTemplate(getString("Overwrite_Text"), source?.name ?? "", source?.version ?? 0)}
        buttons={[
          { label: getString("Common_Cancel"), onClick: () => setDialog(null) },
          { label: getString("Actions_SaveAsNewDraft"), onClick: () => setDialog("save-new-name"), testId: "overwrite-save-new" },
          { label: getString("Overwrite_Confirm"), onClick: () => void save("overwrite"), primary: true, testId: "overwrite-confirm" },
        ]}
        onCancel={() => setDialog(null)}
        testId="overwrite-dialog"
      />
      <ConfirmDialog
        open={dialog === "conflict"}
        role="alertdialog"
        title={getString("Conflict_Title")}
        message={
          conflict
            ? formatTemplate(
                getString("Conflict_Text"),
                conflict.current?.ownerName ?? getString("Conflict_SomeoneElse"),
                conflict.current?.modifiedOn ?? "",
              )
            : ""
        }
        buttons={[
          { label: getString("Common_Cancel"), onClick: () => setDialog(null) },
          {
            label: getString("Conflict_Reload"),
            onClick: () => {
              const id = conflict?.planId;
              setConflict(null);
              if (id) void replot([{ draftId: id }]);
            },
            testId: "conflict-reload",
          },
          {
            label: getString("Actions_SaveAsNewDraft"),
            onClick: () => setDialog("save-new-name"),
            primary: true,
            testId: "conflict-save-new",
          },
        ]}
        onCancel={() => setDialog(null)}
        testId="conflict-dialog"
      />
      <ConfirmDialog
        open={dialog === "discard"}
        title={getString("Discard_Title")}
        message={getString("Discard_Text")}
        buttons={[
          {
            label: getString("Common_Cancel"),
            onClick: () => {
              afterDiscard.current = null;
              setDialog(null);
            },
          },
          {
            label: getString("Discard_Confirm"),
            onClick: () => {
              const f = afterDiscard.current;
              afterDiscard.current = null;
              setDialog(null);
              f?.();
            },
            primary: true,
            testId: "discard-confirm",
          },
        ]}
        onCancel={() => {
          afterDiscard.current = null;
          setDialog(null);
        }}
        testId="discard-dialog"
      />
      {plan && selected && (
        <>
          <NameDialog
            open={dialog === "rename"}
            title={getString("Actions_Rename")}
            label={getString("Name_TerritoryLabel")}
            initial={selected.name}
            confirm={getString("Actions_Rename")}
            getString={getString}
            onConfirm={(n) => {
              setDialog(null);
              void commit(renameTerritory(plan, selected.key, n), "none");
            }}
            onCancel={() => setDialog(null)}
            testId="rename-dialog"
          />
          <AssignRepDialog
            open={dialog === "assign-rep"}
            territoryName={selected.name}
            current={selected.repId}
            reps={reps}
            getString={getString}
            onConfirm={(repId) => {
              setDialog(null);
              void commit(assignRep(plan, selected.key, repId), "none");
            }}
            onCancel={() => setDialog(null)}
          />
          <ConfirmDialog
            open={dialog === "delete"}
            title={getString("Delete_Title")}
            message={formatTemplate(getString("Delete_Text"), selected.name, plan.totals.accounts[plan.territories.indexOf(selected)] ?? 0)}
            buttons={[
              { label: getString("Common_Cancel"), onClick: () => setDialog(null) },
              {
                label: getString("Actions_Delete"),
                primary: true,
                testId: "delete-confirm",
                onClick: () => {
                  setDialog(null);
                  const r = deleteTerritory(plan, selected.key);
                  setSelectedKey(null);
                  void commit(r.plan, null);
                  setNotice({
                    intent: "info",
                    text: formatTemplate(getString("Delete_Done"), selected.name, r.unassigned),
                    testId: "delete-info",
                    data: { unassigned: r.unassigned },
                  });
                },
              },
            ]}
            onCancel={() => setDialog(null)}
            testId="delete-dialog"
          />
        </>
      )}
      {plan && (
        <MoveAccountsDialog
          open={dialog === "move"}
          plan={plan}
          initialFrom={selectedKey}
          getString={getString}
          onCancel={() => setDialog(null)}
          onMove={(ids, toKey) => {
            setDialog(null);
            try {
              const r = moveAccounts(plan, ids, toKey);
              void commit(r.plan, r.changed);
              const toName =
                toKey === null ? getString("Territories_Unassigned") : (plan.territories.find((t) => t.key === toKey)?.name ?? toKey);
              setNotice({
                intent: "success",
                text: formatTemplate(getString("Move_Done"), r.changed.length, toName),
                testId: "move-info",
                data: { moved: r.changed.length },
              });
            } catch (e) {
              setNotice({ intent: "error", text: describeCause(e), testId: "move-error" });
            }
          }}
        />
      )}
      <ByTerritoryDialog
        open={dialog === "by-territory"}
        drafts={drafts}
        loading={draftsLoading}
        error={draftsError}
        busy={busy}
        getString={getString}
        onReplot={(requests) => guardUnsaved(() => void replot(requests))}
        onResume={(id) => void resume(id)}
        onRefresh={() => void refreshDrafts()}
        onClose={() => setDialog(null)}
      />
      {props.publishing && publishTarget && publisher && (
        <PublishDialog
          open
          planId={publishTarget.id}
          planName={publishTarget.name}
          publisher={publisher}
          disabledReason={props.publishing.disabledReason ?? null}
          getString={getString}
          accountName={accountName}
          territoryName={publishTerritoryName}
          onOpenChange={(open) => {
            if (!open) setPublishTarget(null);
          }}
          onPublished={onPublished}
        />
      )}
      <CompareDialog
        open={dialog === "compare"}
        drafts={drafts ?? []}
        initialA={source?.parentId ?? null}
        initialB={source?.draftId ?? CURRENT_PLAN}
        getString={getString}
        accountName={accountName}
        repName={repName}
        measure={balanceMeasure(revenueMeasure, workloadMeasure) === ACCOUNTS ? ACCOUNTS : balanceMeasure(revenueMeasure, workloadMeasure)}
        run={runCompare}
        onHighlight={(ids) => props.adapter()?.setHighlight(ids) ?? 0}
        onClose={() => setDialog(null)}
      />
    </section>
  );
};
