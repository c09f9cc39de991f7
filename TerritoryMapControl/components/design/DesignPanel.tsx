/**
 * The map tools inside the territory card: the design toolbar (draw, lasso, box, edit, erase, heat map, clusters),
 * what a drawn shape does, outlines and legend toggles, the buttons that open auto-balance, runtime change and
 * postal codes, the selection panel and the legend. What each control does is the planning layer's
 * (`session.design`).
 *
 * Keyboard path (no mouse): select a territory in the card's list → "Select its accounts" → the selection panel's
 * Move to / Lock; "Auto-balance…", "Runtime change…" and "Postal codes…" are buttons with accessible names.
 */
import * as React from "react";
import { Button, Dropdown, Field, Option, Text, ToggleButton } from "@fluentui/react-components";
import type { TerritoryMapSession } from "../../app/TerritoryMapSession";
import type { ShapeMode } from "../../app/design/designEdits";
import { formatTemplate } from "../../domain/text";
import { treeOf } from "../../domain/workspace";
import { NoticeBar } from "../NoticeBar";
import { useStore } from "../useStore";
import { DesignDialogs, type DesignDialog } from "./DesignDialogs";
import { DesignLegend } from "./DesignLegend";
import { DesignToolbar } from "./DesignToolbar";
import { NewTerritoryForm } from "./NewTerritoryForm";
import { SelectionPanel } from "./SelectionPanel";

export interface DesignPanelProps {
  session: TerritoryMapSession;
  getString: (key: string) => string;
}

const SHAPE_MODE_KEYS: Record<ShapeMode, string> = {
  create: "Design_ShapeCreate",
  add: "Design_ShapeAdd",
  remove: "Design_ShapeRemove",
};

export const DesignPanel: React.FC<DesignPanelProps> = React.memo(({ session, getString }) => {
  const design = session.design;
  const state = useStore(design);
  const { plan, selectedKey, busy } = useStore(session.plan);
  const [dialog, setDialog] = React.useState<DesignDialog | null>(null);
  React.useEffect(() => design.flushMarks());
  if (!plan) return null;

  const { mapParts, tool, shapeMode, selection, notice, overlapReport } = state;
  const measureLabels = plan.table.measures;
  const heatOptions = measureLabels.map((m, i) => ({ key: `m${i}`, label: m }));
  const unassigned = design.unassigned();
  const summary = selection ? design.selectionSummary() : null;
  const selectedName = selectedKey ? session.plan.territoryName(selectedKey) : null;
  const tree = treeOf(plan);
  // accounts go into rep territories only: regions and districts are not offered as a destination
  const territories = plan.territories.flatMap((t, i) => (tree.leaf[i] ? [{ id: t.key, name: t.name, repId: t.repId }] : []));
  const pending = state.newTerritory;
  const pendingName = pending ? plan.territories.find((t) => t.key === pending.key)?.name : undefined;

  return (
    <section
      aria-label={getString("Design_Title")}
      data-testid="design-tools"
      style={{ display: "flex", flexDirection: "column", rowGap: 8 }}
    >
      {mapParts && (
        <DesignToolbar
          tool={tool}
          onToolChange={(t) => design.chooseTool(t)}
          heatMap={state.heatOn}
          onHeatMapChange={(on) => design.setHeatMap(on)}
          heatWeight={state.heatWeight}
          heatWeightOptions={heatOptions}
          onHeatWeightChange={(w) => design.setHeatWeight(w)}
          clusters={state.clustersOn}
          onClustersChange={(on) => design.setClusters(on)}
          disabled={busy}
          getString={getString}
        />
      )}
      {mapParts && (
        <div style={{ display: "flex", flexWrap: "wrap", columnGap: 8, rowGap: 4, alignItems: "end" }}>
          <Field label={getString("Design_ShapeAction")}>
            <Dropdown
              size="small"
              aria-label={getString("Design_ShapeAction")}
              value={getString(SHAPE_MODE_KEYS[shapeMode])}
              selectedOptions={[shapeMode]}
              onOptionSelect={(_, d) => d.optionValue && design.setShapeMode(d.optionValue as ShapeMode)}
              data-testid="shape-mode"
            >
              {(Object.keys(SHAPE_MODE_KEYS) as ShapeMode[]).map((m) => (
                <Option key={m} value={m}>
                  {getString(SHAPE_MODE_KEYS[m])}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <ToggleButton
            size="small"
            checked={state.outlinesOn}
            onClick={() => design.setOutlines(!state.outlinesOn)}
            data-testid="toggle-outlines"
          >
            {getString("Design_Outlines")}
          </ToggleButton>
          <ToggleButton size="small" checked={state.legendOn} onClick={() => design.setLegend(!state.legendOn)} data-testid="toggle-legend">
            {getString("Design_Legend")}
          </ToggleButton>
        </div>
      )}
      <div style={{ display: "flex", flexWrap: "wrap", columnGap: 8, rowGap: 4 }}>
        <Button
          size="small"
          disabled={busy || !selectedKey}
          onClick={() => design.selectTerritoryAccounts()}
          data-testid="select-territory-accounts"
          aria-label={
            selectedName ? formatTemplate(getString("Design_SelectAccountsOf"), selectedName) : getString("Design_SelectAccounts")
          }
        >
          {getString("Design_SelectAccounts")}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setDialog("balance")} data-testid="open-balance">
          {getString("Design_AutoBalance")}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setDialog("runtime")} data-testid="open-runtime">
          {getString("Design_RuntimeChange")}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setDialog("postal")} data-testid="open-postal">
          {getString("Design_PostalCodes")}
        </Button>
      </div>
      <div
        role="status"
        aria-live="polite"
        data-testid="design-status"
        data-unassigned={unassigned.total}
        data-unassigned-placed={unassigned.placed}
        data-overlap-pairs={overlapReport?.pairs.length ?? 0}
        data-overlap-accounts={overlapReport?.accountsInOverlaps ?? 0}
        data-selection={selection?.length ?? 0}
        data-tool={tool}
        data-map-ready={mapParts ? "true" : "false"}
      >
        <Text size={200}>
          {formatTemplate(
            getString("Design_Status"),
            unassigned.total,
            unassigned.unplaced,
            overlapReport?.pairs.length ?? 0,
            overlapReport?.accountsInOverlaps ?? 0,
          )}
        </Text>
      </div>
      {notice && (
        <NoticeBar
          notice={{ ...notice, testId: "design-info" }}
          onDismiss={() => design.dismissNotice()}
          dismissLabel={getString("Common_Dismiss")}
        />
      )}
      {pending && pendingName !== undefined && (
        <NewTerritoryForm
          key={pending.key}
          name={pendingName}
          parents={tree.order
            .filter((i) => !tree.leaf[i])
            .map((i) => ({ key: plan.territories[i].key, name: plan.territories[i].name, depth: tree.depth[i] }))}
          suggestedParent={pending.suggestedParent}
          reps={session.loader.get().reps.map((r) => ({ id: r.id.toLowerCase(), name: r.fullName }))}
          onDone={(change) => design.describeNewTerritory(change)}
          onKeep={() => design.dismissNewTerritory()}
          getString={getString}
        />
      )}
      {selection && summary && (
        <SelectionPanel
          count={selection.length}
          totals={summary.totals.values}
          measureLabels={measureLabels}
          rows={summary.rows}
          lockedCount={summary.locked}
          territories={territories}
          onMove={(key) => design.moveSelection(key)}
          onLock={(locked) => design.lockSelection(locked)}
          onClear={() => design.clearSelection()}
          disabled={busy}
          getString={getString}
        />
      )}
      {state.legendOn && (
        <DesignLegend plan={plan} heatGradient={state.heatOn ? (mapParts?.heatGradient ?? null) : null} getString={getString} />
      )}
      <DesignDialogs session={session} dialog={dialog} setDialog={setDialog} getString={getString} />
    </section>
  );
});
DesignPanel.displayName = "DesignPanel";
