import * as React from "react";
import type { TerritoryMapSession } from "../../app/TerritoryMapSession";
import type { ReplotRequest } from "../../app/drafts/DraftCommands";
import { ACCOUNTS } from "../../domain/workspace";
import { formatTemplate } from "../../domain/text";
import { PublishDialog } from "../publish/PublishDialog";
import { useStore } from "../useStore";
import { ByTerritoryDialog } from "./ByTerritoryDialog";
import { CompareDialog } from "./CompareDialog";
import { AssignRepDialog, ConfirmDialog, NameDialog } from "./dialogs";
import { MoveAccountsDialog } from "./MoveAccountsDialog";
import { balanceMeasure } from "./TerritoryCard";

export type PlanDialog =
  "save-name" | "save-new-name" | "overwrite" | "rename" | "assign-rep" | "delete" | "move" | "by-territory" | "compare" | "discard";

export interface PlanDialogsProps {
  session: TerritoryMapSession;
  dialog: PlanDialog | null;
  setDialog: (dialog: PlanDialog | null) => void;
  getString: (key: string) => string;
}

/** The card's dialogs: naming and overwriting drafts, conflicts, unsaved changes, territory edits, lists, publish. */
export const PlanDialogs: React.FC<PlanDialogsProps> = ({ session, dialog, setDialog, getString }) => {
  const { plan, selectedKey, busy } = useStore(session.plan);
  const drafts = useStore(session.drafts);
  const publish = useStore(session.publish);
  const afterDiscard = React.useRef<(() => void) | null>(null);
  const close = () => setDialog(null);
  const source = plan?.source ?? null;
  const selected = plan && selectedKey ? (plan.territories.find((t) => t.key === selectedKey) ?? null) : null;

  /** Runs `action` now, or after the manager agreed to discard unsaved changes. */
  const guardUnsaved = (action: () => void) => {
    if (session.plan.plan?.dirty) {
      afterDiscard.current = action;
      setDialog("discard");
    } else action();
  };
  const discard = (go: boolean) => {
    const f = afterDiscard.current;
    afterDiscard.current = null;
    close();
    if (go) f?.();
  };
  const replot = (requests: ReplotRequest[]) =>
    guardUnsaved(() => {
      close();
      void session.drafts.replot(requests);
    });
  const conflict = drafts.conflict;
  const compareDefaults = session.compare.defaults();
  const revenue = session.plan.measureColumn("revenue");
  const workload = session.plan.measureColumn("workload");

  return (
    <>
      <NameDialog
        open={dialog === "save-name"}
        title={getString("Actions_SaveAsDraft")}
        label={getString("Name_DraftLabel")}
        initial={source?.name || session.drafts.defaultName()}
        confirm={getString("Save_Confirm")}
        getString={getString}
        onConfirm={(n) => {
          close();
          void session.drafts.saveAsDraft(n);
        }}
        onCancel={close}
        testId="save-name-dialog"
      />
      <NameDialog
        open={dialog === "save-new-name"}
        title={getString("Actions_SaveAsNewDraft")}
        label={getString("Name_DraftLabel")}
        initial={session.drafts.newName()}
        confirm={getString("Save_Confirm")}
        getString={getString}
        onConfirm={(n) => {
          close();
          void session.drafts.saveAsNewDraft(n);
        }}
        onCancel={close}
        testId="save-new-dialog"
      />
      <ConfirmDialog
        open={dialog === "overwrite"}
        title={getString("Overwrite_Title")}
        message={formatTemplate(getString("Overwrite_Text"), source?.name ?? "", source?.version ?? 0)}
        buttons={[
          { label: getString("Common_Cancel"), onClick: close },
          { label: getString("Actions_SaveAsNewDraft"), onClick: () => setDialog("save-new-name"), testId: "overwrite-save-new" },
          {
            label: getString("Overwrite_Confirm"),
            onClick: () => {
              close();
              void session.drafts.overwrite();
            },
            primary: true,
            testId: "overwrite-confirm",
          },
        ]}
        onCancel={close}
        testId="overwrite-dialog"
      />
      <ConfirmDialog
        open={!!conflict && dialog !== "save-new-name"}
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
          { label: getString("Common_Cancel"), onClick: () => session.drafts.dismissConflict() },
          { label: getString("Conflict_Reload"), onClick: () => void session.drafts.reloadConflicted(), testId: "conflict-reload" },
          {
            label: getString("Actions_SaveAsNewDraft"),
            onClick: () => setDialog("save-new-name"),
            primary: true,
            testId: "conflict-save-new",
          },
        ]}
        onCancel={() => session.drafts.dismissConflict()}
        testId="conflict-dialog"
      />
      <ConfirmDialog
        open={dialog === "discard"}
        title={getString("Discard_Title")}
        message={getString("Discard_Text")}
        buttons={[
          { label: getString("Common_Cancel"), onClick: () => discard(false) },
          { label: getString("Discard_Confirm"), onClick: () => discard(true), primary: true, testId: "discard-confirm" },
        ]}
        onCancel={() => discard(false)}
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
              close();
              session.plan.rename(selected.key, n);
            }}
            onCancel={close}
            testId="rename-dialog"
          />
          <AssignRepDialog
            open={dialog === "assign-rep"}
            territoryName={selected.name}
            current={selected.repId}
            reps={session.plan.reps}
            getString={getString}
            onConfirm={(repId) => {
              close();
              session.plan.assignRep(selected.key, repId);
            }}
            onCancel={close}
          />
          <ConfirmDialog
            open={dialog === "delete"}
            title={getString("Delete_Title")}
            message={formatTemplate(getString("Delete_Text"), selected.name, plan.totals.accounts[plan.territories.indexOf(selected)] ?? 0)}
            buttons={[
              { label: getString("Common_Cancel"), onClick: close },
              {
                label: getString("Actions_Delete"),
                primary: true,
                testId: "delete-confirm",
                onClick: () => {
                  close();
                  session.plan.deleteTerritory(selected.key);
                },
              },
            ]}
            onCancel={close}
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
          onCancel={close}
          onMove={(ids, toKey) => {
            close();
            session.plan.move(ids, toKey);
          }}
        />
      )}
      <ByTerritoryDialog
        open={dialog === "by-territory"}
        drafts={drafts.list}
        loading={drafts.listLoading}
        error={drafts.listError}
        busy={busy}
        getString={getString}
        onReplot={replot}
        onResume={(id) => void session.drafts.resume(id)}
        onRefresh={() => void session.drafts.refreshList()}
        onClose={close}
      />
      {publish.target && (
        <PublishDialog
          open
          planId={publish.target.id}
          planName={publish.target.name}
          publisher={publish.target.publisher}
          disabledReason={publish.disabledReason ?? null}
          getString={getString}
          accountName={session.plan.accountName}
          territoryName={session.publish.territoryName}
          onOpenChange={(open) => {
            if (!open) session.publish.close();
          }}
          onPublished={(result) => session.publish.published(result)}
        />
      )}
      <CompareDialog
        open={dialog === "compare"}
        drafts={drafts.list ?? []}
        initialA={compareDefaults.a}
        initialB={compareDefaults.b}
        getString={getString}
        accountName={session.plan.accountName}
        repName={session.plan.repName}
        measure={balanceMeasure(revenue, workload) === ACCOUNTS ? ACCOUNTS : balanceMeasure(revenue, workload)}
        run={(a, b) => session.compare.run(a, b)}
        onHighlight={(ids) => session.compare.highlight(ids)}
        onClose={close}
      />
    </>
  );
};
