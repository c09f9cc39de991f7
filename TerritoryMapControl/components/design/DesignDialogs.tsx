import * as React from "react";
import type { TerritoryMapSession } from "../../app/TerritoryMapSession";
import { useStore } from "../useStore";
import { AutoBalanceDialog } from "./AutoBalanceDialog";
import { BalanceScopeField } from "./BalanceScopeField";
import { PostalCodeImportDialog } from "./PostalCodeImportDialog";
import { RuntimeChangeDialog } from "./RuntimeChangeDialog";

export type DesignDialog = "balance" | "runtime" | "postal";

export interface DesignDialogsProps {
  session: TerritoryMapSession;
  dialog: DesignDialog | null;
  setDialog: (dialog: DesignDialog | null) => void;
  getString: (key: string) => string;
}

/** Auto-balance, runtime change and postal-code import, over the planning layer's design session. */
export const DesignDialogs: React.FC<DesignDialogsProps> = ({ session, dialog, setDialog, getString }) => {
  const design = session.design;
  const { mapParts } = useStore(design);
  const { plan } = useStore(session.plan);
  const context = design.balanceContext();
  if (!plan || !context) return null;
  const pickPoint = mapParts ? (options: { signal: AbortSignal; prompt: string }) => design.pickPoint(options) : undefined;
  const openChange = (kind: DesignDialog) => (open: boolean) => setDialog(open ? kind : null);
  const scopeKey = context.scope?.key ?? null;
  const scopeField = (
    <BalanceScopeField
      scopes={context.scopes}
      value={scopeKey}
      onChange={(key) => design.setBalanceScope(key)}
      heldByParents={context.heldByParents}
      getString={getString}
    />
  );
  return (
    <>
      {dialog === "balance" && (
        <AutoBalanceDialog
          key={scopeKey ?? ""}
          scopeField={scopeField}
          open
          onOpenChange={openChange("balance")}
          measureLabels={plan.table.measures}
          territories={context.territories}
          reps={context.reps}
          run={design.autoBalance}
          onApply={(result) => design.applyBalance(result)}
          pickPoint={pickPoint}
          getString={getString}
        />
      )}
      {dialog === "runtime" && (
        <RuntimeChangeDialog
          key={scopeKey ?? ""}
          scopeField={scopeField}
          open
          onOpenChange={openChange("runtime")}
          table={context.table}
          territories={context.territories}
          reps={context.reps}
          propose={design.proposeRuntimeChange}
          onAccept={(result) => design.acceptRuntimeChange(result)}
          pickPoint={pickPoint}
          getString={getString}
        />
      )}
      <PostalCodeImportDialog
        open={dialog === "postal"}
        onOpenChange={openChange("postal")}
        territories={context.territories}
        measureLabels={plan.table.measures}
        codeTotals={design.postalCodeTotals}
        onApply={(result) => design.applyPostalCodes(result)}
        getString={getString}
      />
    </>
  );
};
