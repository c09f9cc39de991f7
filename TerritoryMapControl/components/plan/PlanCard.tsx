import * as React from "react";
import {
  Badge,
  Button,
  mergeClasses,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from "@fluentui/react-components";
import { NoticeBar } from "../NoticeBar";
import type { TerritoryMapSession } from "../../app/TerritoryMapSession";
import { territoryRows } from "../../domain/workspace";
import { formatTemplate } from "../../domain/text";
import { DesignPanel } from "../design/DesignPanel";
import { useStore } from "../useStore";
import { ActionsMenu, type PlanAction } from "./ActionsMenu";
import { PlanDialogs, type PlanDialog } from "./PlanDialogs";
import { TerritoryTable, type CardRow } from "./TerritoryCard";
import { usePlanStyles } from "./plan.styles";

export interface PlanCardProps {
  session: TerritoryMapSession;
  getString: (key: string) => string;
  /** The card sits under the map (narrow forms) instead of beside it. */
  stacked?: boolean;
}

/** Asks the browser to confirm leaving the page while the plan has unsaved changes. */
function useLeaveGuard(dirty: boolean, text: string): void {
  React.useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = text;
      return text;
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty, text]);
}

/**
 * The Territory Management card: the plan's name and state, the Actions menu, By Territory, Move, Compare, the map
 * tools, notices, and the territory list. What each button does is the planning layer's (`session`).
 */
export const PlanCard: React.FC<PlanCardProps> = ({ session, getString, stacked }) => {
  const styles = usePlanStyles();
  const { plan, selectedKey, busy, notice, mapRevision } = useStore(session.plan);
  const drafts = useStore(session.drafts);
  const form = useStore(session.form);
  useStore(session.publish); // why Publish is disabled depends on it
  const { reps } = useStore(session.loader);
  const [dialog, setDialog] = React.useState<PlanDialog | null>(null);
  const dirty = !!plan?.dirty;
  useLeaveGuard(dirty, getString("Plan_LeaveWarning"));

  const rows = React.useMemo<CardRow[]>(
    () =>
      plan
        ? territoryRows(plan).map((r) => ({
            ...r,
            repName: r.repId ? session.plan.repName(r.repId) : getString("Territories_NoRep"),
          }))
        : [],
    [plan, reps, session, getString],
  );

  const selected = plan && selectedKey ? (plan.territories.find((t) => t.key === selectedKey) ?? null) : null;
  const onAction = (action: PlanAction) => {
    if (!plan) return;
    switch (action) {
      case "save": {
        const q = session.drafts.saveQuestion();
        setDialog(q === "name" ? "save-name" : q === "overwrite" ? "overwrite" : "save-new-name");
        break;
      }
      case "save-new":
        setDialog("save-new-name");
        break;
      case "publish":
        session.publish.open();
        break;
      case "rename":
      case "assign-rep":
      case "delete":
        if (selected) setDialog(action);
        break;
      case "export-csv":
        session.exports.export("csv");
        break;
      case "export-geojson":
        session.exports.export("geojson");
        break;
      case "export-kml":
        session.exports.export("kml");
        break;
    }
  };
  const openListDialog = (kind: "by-territory" | "compare") => {
    setDialog(kind);
    session.drafts.ensureList();
  };

  const source = plan?.source ?? null;
  const parent = source?.from ?? (source?.parentId ? (drafts.list?.find((d) => d.id === source.parentId) ?? null) : null);
  const fromText = parent && source?.draftId ? ` · ${formatTemplate(getString("Plan_From"), parent.name, parent.version)}` : "";
  const planTitle = !source
    ? getString("Plan_Live")
    : source.draftId
      ? formatTemplate(getString(source.status === "published" ? "Plan_Published" : "Plan_Draft"), source.name, source.version) + fromText
      : formatTemplate(getString("Plan_Unsaved"), source.name);

  return (
    <section
      className={mergeClasses(styles.card, stacked && styles.cardStacked)}
      aria-label={getString("Card_Title")}
      data-testid="territory-card"
    >
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
          publishBlockedReason={session.publish.blockedReason()}
          hasSelection={!!selected}
          busy={busy || !plan}
          getString={getString}
        />
        <Button onClick={() => openListDialog("by-territory")} disabled={busy || !plan} data-testid="open-by-territory">
          {getString("ByTerritory_Button")}
        </Button>
        <Button onClick={() => setDialog("move")} disabled={busy || !plan} data-testid="open-move">
          {getString("Move_Button")}
        </Button>
        <Button onClick={() => openListDialog("compare")} disabled={busy || !plan} data-testid="open-compare">
          {getString("Compare_Button")}
        </Button>
      </div>
      {plan && <DesignPanel session={session} getString={getString} />}
      {busy && <Spinner size="tiny" label={getString("Plan_Working")} />}
      {notice && <NoticeBar notice={notice} onDismiss={() => session.plan.notify(null)} dismissLabel={getString("Common_Dismiss")} />}
      {drafts.failure && (
        <MessageBar layout="multiline" intent="error" data-testid="save-failed" data-stage={drafts.failure.error.stage}>
          <MessageBarBody>
            <MessageBarTitle>{getString("SaveFailed_Title")}</MessageBarTitle>
            {getString("SaveFailed_Text")}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void session.drafts.retry()} disabled={busy} data-testid="save-retry">
              {getString("Error_Retry")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {(form.status === "missing" || form.status === "invalid") && (
        <MessageBar intent="warning" layout="multiline" data-testid="form-plan-problem" data-status={form.status}>
          <MessageBarBody>
            {form.status === "invalid"
              ? formatTemplate(getString("Form_PlanInvalid"), form.problem ?? "")
              : formatTemplate(getString("Form_PlanMissing"), form.problem ?? "")}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => openListDialog("by-territory")} disabled={busy || !plan} data-testid="form-choose-plan">
              {getString("Form_ChoosePlan")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {!plan && <Spinner size="small" label={getString("Plan_Loading")} />}
      {plan && (
        <TerritoryTable
          rows={rows}
          measures={plan.table.measures}
          revenueMeasure={session.plan.measureColumn("revenue")}
          workloadMeasure={session.plan.measureColumn("workload")}
          selectedKey={selectedKey}
          onSelect={(key) => session.plan.focus(key)}
          unassigned={plan.totals.unassignedAccounts}
          getString={getString}
        />
      )}
      <PlanDialogs session={session} dialog={dialog} setDialog={setDialog} getString={getString} />
    </section>
  );
};
