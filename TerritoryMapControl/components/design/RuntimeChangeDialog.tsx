/** The runtime-change dialog: one tab per change, the run in the balancer with progress and Cancel, the proposal. */
import * as React from "react";
import { Button, Field, Input, Tab, TabList } from "@fluentui/react-components";
import type { RunOptions } from "../../app/design/balanceRuns";
import { RUNTIME_TOLERANCE_PERCENT } from "../../domain/defaults";
import type { AccountTable } from "../../domain/accountTable";
import type { BalanceRep } from "../../domain/design/balanceInput";
import { runtimeChange, type RuntimeChange, type RuntimeFormProblem } from "../../domain/design/runtimeForm";
import type { RuntimeChangeKind, RuntimeChangeResult } from "../../domain/design/runtimeInput";
import { formatTemplate } from "../../domain/text";
import { BalanceDialogFrame } from "./BalanceDialogFrame";
import { FormError } from "./FormError";
import { RuntimeCapacityTab } from "./RuntimeCapacityTab";
import { RuntimeNewRepTab, type TypedHome } from "./RuntimeNewRepTab";
import { RuntimeProposalView, type RuntimeProposal } from "./RuntimeProposalView";
import { RuntimeRepLeavesTab } from "./RuntimeRepLeavesTab";
import { useBalancerRun } from "./useBalancerRun";
import { useMapPick, type PickPoint } from "./useMapPick";

export interface RuntimeChangeDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The accounts (the proposal lists moved accounts by name). */
  table: AccountTable;
  /** Plan territories in index order, with their rep. */
  territories: readonly { id: string; name: string; repId: string | null }[];
  reps: readonly BalanceRep[];
  /** Runs the change on the working plan (the planning layer's DesignSession.proposeRuntimeChange). */
  propose: (change: RuntimeChange, tolerance: number, options: RunOptions) => Promise<RuntimeProposal>;
  onAccept: (result: RuntimeChangeResult) => void;
  /** Lets the manager pick the new rep's home base on the map (the dialog steps aside meanwhile); absent = no map. */
  pickPoint?: PickPoint;
  /** Initial tab. */
  initialKind?: RuntimeChangeKind;
  /** Moves listed at most (default PROPOSAL_LIST_LIMIT); the rest are counted. */
  listLimit?: number;
  getString: (key: string) => string;
  /** Where the run works (the whole plan or one region), shown above the form. */
  scopeField?: React.ReactNode;
}

/** Moves listed in the proposal (the rest are counted). */
export const PROPOSAL_LIST_LIMIT = 200;

const PROBLEM_KEYS: Record<RuntimeFormProblem, string> = {
  tolerance: "Balance_ErrorTolerance",
  "pick-territory": "Runtime_ErrorPickTerritory",
  "pick-rep": "Runtime_ErrorPickRep",
  home: "Runtime_ErrorHome",
  capacity: "Runtime_ErrorCapacity",
};

/**
 * Runtime changes as proposals: a rep leaves (their accounts redistributed with the fewest moves), a new rep
 * starts (a territory carved around the home base), a territory's capacity changes. Each runs in the balancer
 * worker with progress and Cancel and ends in a list of moves the manager accepts or discards.
 */
export const RuntimeChangeDialog: React.FC<RuntimeChangeDialogProps> = (props) => {
  const {
    open,
    onOpenChange,
    table,
    territories,
    reps,
    propose: proposeChange,
    onAccept,
    pickPoint,
    initialKind,
    listLimit,
    getString,
  } = props;
  const [kind, setKind] = React.useState<RuntimeChangeKind>(initialKind ?? "rep-leaves");
  const [leaving, setLeaving] = React.useState<number | null>(null);
  const [newRepId, setNewRepId] = React.useState<string | null>(null);
  const [home, setHome] = React.useState<TypedHome>({ lon: "", lat: "" });
  const [capTerritory, setCapTerritory] = React.useState<number | null>(null);
  const [capValue, setCapValue] = React.useState("");
  const [tolerance, setTolerance] = React.useState(String(RUNTIME_TOLERANCE_PERCENT));
  const [formError, setFormError] = React.useState<string | null>(null);
  const run = useBalancerRun<RuntimeProposal>();
  const pick = useMapPick(pickPoint);

  React.useEffect(() => {
    if (!open) run.reset();
  }, [open, run.reset]);

  const nameOfTerritory = (t: number) =>
    t < 0
      ? getString("Territories_Unassigned")
      : (territories[t]?.name ?? formatTemplate(getString("Balance_NewTerritoryFor"), reps.find((r) => r.id === newRepId)?.name ?? ""));
  const repName = (id: string | null) => reps.find((r) => r.id === id)?.name ?? getString("Territories_NoRep");

  const propose = () => {
    const checked = runtimeChange({ kind, tolerance, leaving, newRepId, home, capTerritory, capacity: capValue });
    if (!checked.ok) return setFormError(getString(PROBLEM_KEYS[checked.problem]));
    setFormError(null);
    const { change } = checked;
    run.start((signal, onProgress) => proposeChange(change, checked.tolerance, { signal, onProgress }));
  };

  const done = run.state.kind === "done" ? run.state.value : null;
  return (
    <BalanceDialogFrame
      open={open}
      onOpenChange={onOpenChange}
      testId="runtime-dialog"
      progressTestId="runtime-progress"
      title={getString("Runtime_Title")}
      pick={pick}
      run={run}
      startLabel={getString("Runtime_Propose")}
      onStart={propose}
      getString={getString}
      resultActions={
        done && (
          <>
            <Button
              appearance="primary"
              onClick={() => {
                onAccept(done.result);
                onOpenChange(false);
              }}
            >
              {getString("Runtime_Accept")}
            </Button>
            <Button onClick={run.reset}>{getString("Runtime_Discard")}</Button>
          </>
        )
      }
      result={
        done && (
          <RuntimeProposalView
            done={done}
            table={table}
            territoryCount={territories.length}
            nameOfTerritory={nameOfTerritory}
            limit={listLimit ?? PROPOSAL_LIST_LIMIT}
            getString={getString}
          />
        )
      }
    >
      {props.scopeField}
      <TabList
        selectedValue={kind}
        onTabSelect={(_, d) => setKind(d.value as RuntimeChangeKind)}
        aria-label={getString("Runtime_KindLabel")}
      >
        <Tab value="rep-leaves">{getString("Runtime_RepLeaves")}</Tab>
        <Tab value="new-rep">{getString("Runtime_NewRep")}</Tab>
        <Tab value="capacity">{getString("Runtime_Capacity")}</Tab>
      </TabList>
      {kind === "rep-leaves" && (
        <RuntimeRepLeavesTab
          territories={territories}
          leaving={leaving}
          onLeavingChange={setLeaving}
          repName={repName}
          getString={getString}
        />
      )}
      {kind === "new-rep" && (
        <RuntimeNewRepTab
          reps={reps}
          newRepId={newRepId}
          onNewRepChange={setNewRepId}
          home={home}
          onHomeChange={setHome}
          canPick={Boolean(pickPoint)}
          pick={pick}
          repName={repName}
          getString={getString}
        />
      )}
      {kind === "capacity" && (
        <RuntimeCapacityTab
          territories={territories}
          territory={capTerritory}
          onTerritoryChange={setCapTerritory}
          capacity={capValue}
          onCapacityChange={setCapValue}
          repName={repName}
          getString={getString}
        />
      )}
      <Field label={getString("Balance_Tolerance")} hint={getString("Runtime_ToleranceHint")}>
        <Input type="number" min={0} max={100} value={tolerance} onChange={(_, d) => setTolerance(d.value)} />
      </Field>
      <FormError message={formError} />
    </BalanceDialogFrame>
  );
};
