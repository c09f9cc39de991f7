import * as React from "react";
import { Button, Dropdown, Field, Input, Option, Tab, TabList } from "@fluentui/react-components";
import type { BalancerClient, RuntimeOutcome } from "../../app/ports/balancer";
import { RUNTIME_TOLERANCE_PERCENT } from "../../domain/defaults";
import type { AccountTable } from "../../domain/accountTable";
import type { BalanceRep } from "../../domain/design/balanceInput";
import { buildRuntimeInput, type RuntimeChangeKind, type RuntimeChangeResult } from "../../domain/design/runtimeInput";
import {
  applyProposal,
  mappingAfterNewRep,
  mappingAfterRepLeaves,
  proposalMoves,
  type ProposalMapping,
} from "../../domain/design/proposal";
import { parseTypedPoint } from "../../domain/design/typedNumbers";
import { formatTemplate } from "../../domain/text";
import { BalanceDialogFrame } from "./BalanceDialogFrame";
import { BalancePreviewView } from "./BalancePreview";
import { useDesignStyles } from "./design.styles";
import { FormError } from "./FormError";
import { PickOnMapButton } from "./PickOnMapButton";
import { useBalancerRun } from "./useBalancerRun";
import { useMapPick, type PickPoint } from "./useMapPick";

export interface RuntimeChangeDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  table: AccountTable;
  /** Plan territories in index order, with their rep. */
  territories: readonly { id: string; name: string; repId: string | null }[];
  reps: readonly BalanceRep[];
  assignment: Int32Array;
  locked: Uint8Array | null;
  client: BalancerClient;
  onAccept: (result: RuntimeChangeResult) => void;
  /** Lets the manager pick the new rep's home base on the map (the dialog steps aside meanwhile); absent = no map. */
  pickPoint?: PickPoint;
  /** Initial tab. */
  initialKind?: RuntimeChangeKind;
  timeLimitMs?: number | null;
  /** Moves listed at most (default PROPOSAL_LIST_LIMIT); the rest are counted. */
  listLimit?: number;
  getString: (key: string) => string;
}

/** Moves listed in the proposal (the rest are counted). */
export const PROPOSAL_LIST_LIMIT = 200;

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
    assignment,
    locked,
    client,
    onAccept,
    pickPoint,
    initialKind,
    timeLimitMs,
    listLimit,
    getString,
  } = props;
  const limit = listLimit ?? PROPOSAL_LIST_LIMIT;
  const styles = useDesignStyles();
  const [kind, setKind] = React.useState<RuntimeChangeKind>(initialKind ?? "rep-leaves");
  const [leaving, setLeaving] = React.useState<number | null>(null);
  const [newRepId, setNewRepId] = React.useState<string | null>(null);
  const [home, setHome] = React.useState<{ lon: string; lat: string }>({ lon: "", lat: "" });
  const [capTerritory, setCapTerritory] = React.useState<number | null>(null);
  const [capValue, setCapValue] = React.useState("");
  const [tolerance, setTolerance] = React.useState(String(RUNTIME_TOLERANCE_PERCENT));
  const [formError, setFormError] = React.useState<string | null>(null);
  const run = useBalancerRun<{ result: RuntimeChangeResult; outcome: RuntimeOutcome }>();
  const pick = useMapPick(pickPoint);

  React.useEffect(() => {
    if (!open) run.reset();
  }, [open, run.reset]);

  const freeReps = reps.filter((r) => r.territoryIndex === null);
  const nameOfTerritory = (t: number) =>
    t < 0
      ? getString("Territories_Unassigned")
      : (territories[t]?.name ?? formatTemplate(getString("Balance_NewTerritoryFor"), reps.find((r) => r.id === newRepId)?.name ?? ""));
  const repName = (id: string | null) => reps.find((r) => r.id === id)?.name ?? getString("Territories_NoRep");

  const selectNewRep = (id: string | null) => {
    setNewRepId(id);
    const r = reps.find((x) => x.id === id);
    if (r?.home) setHome({ lon: String(r.home[0]), lat: String(r.home[1]) });
  };

  const propose = () => {
    const tol = Number(tolerance);
    if (!(tol >= 0 && tol <= 100)) return setFormError(getString("Balance_ErrorTolerance"));
    let homePos: [number, number] | null = null;
    if (kind === "rep-leaves" && leaving === null) return setFormError(getString("Runtime_ErrorPickTerritory"));
    if (kind === "new-rep") {
      if (newRepId === null) return setFormError(getString("Runtime_ErrorPickRep"));
      homePos = parseTypedPoint(home.lat, home.lon);
      if (!homePos) return setFormError(getString("Runtime_ErrorHome"));
    }
    const cap = Number(capValue);
    if (kind === "capacity" && (capTerritory === null || capValue.trim() === "" || !(cap >= 0)))
      return setFormError(getString("Runtime_ErrorCapacity"));
    setFormError(null);
    run.start(async (signal, onProgress) => {
      const built = buildRuntimeInput(table, assignment, locked, territories, reps, tol / 100);
      const { input, problemOf } = built;
      const plan = { assignment: input.problem.current ?? [], centers: null };
      const opts = { signal, onProgress, moveCost: input.problem.rest.moveCost ?? 0, timeLimitMs: timeLimitMs ?? null };
      let mapping: ProposalMapping;
      let outcome: RuntimeOutcome;
      const result: Omit<RuntimeChangeResult, "assignment" | "moves"> = { kind };
      if (kind === "rep-leaves") {
        const p = problemOf[leaving as number];
        if (p < 0) throw new Error(getString("Runtime_ErrorNoCentre"));
        outcome = await client.repLeaves(input.problem, plan, p, opts);
        mapping = mappingAfterRepLeaves(input, p);
        result.removedTerritory = leaving as number;
      } else if (kind === "new-rep") {
        outcome = await client.newRep(
          input.problem,
          plan,
          { x: (homePos as [number, number])[0], y: (homePos as [number, number])[1], id: newRepId as string },
          opts,
        );
        mapping = mappingAfterNewRep(input, territories.length);
        result.newTerritory = { planTerritory: territories.length, repId: newRepId as string, home: homePos as [number, number] };
      } else {
        const p = problemOf[capTerritory as number];
        if (p < 0) throw new Error(getString("Runtime_ErrorNoCentre"));
        const caps = input.planTerritory.map((_, t) => [t === p ? cap : null]);
        outcome = await client.capacityChange(input.problem, plan, caps, opts);
        mapping = { pointToAccount: input.pointToAccount, planTerritory: input.planTerritory };
      }
      const moves = proposalMoves(mapping, outcome.result.assignment, assignment);
      return { outcome, result: { ...result, moves, assignment: applyProposal(assignment, moves) } };
    });
  };

  const state = run.state;
  const done = state.kind === "done" ? state.value : null;
  const territoryOptions = territories.map((t, i) => (
    <Option key={t.id} value={String(i)} text={t.name}>
      {`${t.name} — ${repName(t.repId)}`}
    </Option>
  ));
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
          <BalancePreviewView
            testId="runtime-proposal"
            summaryTestId="runtime-summary"
            rowTestId="runtime-row"
            tableLabel={getString("Runtime_PreviewLabel")}
            getString={getString}
            feasible={done.outcome.result.feasible}
            infeasibility={done.outcome.result.infeasibility.map((r) => r.message)}
            measureNames={[]}
            rows={territoryCounts(done.result, territories.length).map((r) => ({
              name: nameOfTerritory(r.territory),
              accounts: r.accounts,
              totals: [],
            }))}
            summary={formatTemplate(
              getString("Runtime_ProposalSummary"),
              done.result.moves.indexes.length,
              done.outcome.reassigned,
              done.outcome.movedOther,
            )}
          >
            <ul className={styles.list} aria-label={getString("Runtime_MovesLabel")}>
              {Array.from(done.result.moves.indexes.subarray(0, limit)).map((i, k) => (
                <li key={i} className={styles.row} data-testid="runtime-move">
                  <span className={styles.name}>{table.names[i] || table.ids[i]}</span>
                  <span className={styles.secondary}>
                    {formatTemplate(
                      getString("Runtime_MoveFromTo"),
                      nameOfTerritory(done.result.moves.from[k]),
                      nameOfTerritory(done.result.moves.to[k]),
                    )}
                  </span>
                </li>
              ))}
            </ul>
            {done.result.moves.indexes.length > limit && (
              <div>{formatTemplate(getString("Unplaced_More"), done.result.moves.indexes.length - limit)}</div>
            )}
          </BalancePreviewView>
        )
      }
    >
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
        <Field label={getString("Runtime_LeavingTerritory")}>
          <Dropdown
            aria-label={getString("Runtime_LeavingTerritory")}
            value={leaving === null ? "" : (territories[leaving]?.name ?? "")}
            selectedOptions={leaving === null ? [] : [String(leaving)]}
            onOptionSelect={(_, d) => setLeaving(d.optionValue === undefined ? null : Number(d.optionValue))}
            data-testid="runtime-leaving"
          >
            {territoryOptions}
          </Dropdown>
        </Field>
      )}
      {kind === "new-rep" && (
        <>
          <Field label={getString("Runtime_NewRepPick")}>
            <Dropdown
              aria-label={getString("Runtime_NewRepPick")}
              value={newRepId === null ? "" : repName(newRepId)}
              selectedOptions={newRepId === null ? [] : [newRepId]}
              onOptionSelect={(_, d) => selectNewRep(d.optionValue ?? null)}
              data-testid="runtime-new-rep"
            >
              {freeReps.map((r) => (
                <Option key={r.id} value={r.id}>
                  {r.name}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <div className={styles.inline}>
            <Field label={getString("Runtime_HomeLatitude")}>
              <Input
                type="number"
                value={home.lat}
                onChange={(_, d) => setHome((h) => ({ ...h, lat: d.value }))}
                data-testid="runtime-home-lat"
              />
            </Field>
            <Field label={getString("Runtime_HomeLongitude")}>
              <Input
                type="number"
                value={home.lon}
                onChange={(_, d) => setHome((h) => ({ ...h, lon: d.value }))}
                data-testid="runtime-home-lon"
              />
            </Field>
            {pickPoint && (
              <PickOnMapButton
                pickKey="new-rep"
                label={
                  newRepId === null ? getString("Balance_PickHome") : formatTemplate(getString("Balance_PickHomeFor"), repName(newRepId))
                }
                getString={getString}
                onClick={() =>
                  pick.pick(
                    "new-rep",
                    newRepId === null
                      ? getString("Runtime_PickPrompt")
                      : formatTemplate(getString("Balance_PickPrompt"), repName(newRepId)),
                    (lat, lon) => setHome({ lon: lon.toFixed(6), lat: lat.toFixed(6) }),
                  )
                }
              />
            )}
          </div>
        </>
      )}
      {kind === "capacity" && (
        <div className={styles.inline}>
          <Field label={getString("Runtime_CapacityTerritory")}>
            <Dropdown
              aria-label={getString("Runtime_CapacityTerritory")}
              value={capTerritory === null ? "" : (territories[capTerritory]?.name ?? "")}
              selectedOptions={capTerritory === null ? [] : [String(capTerritory)]}
              onOptionSelect={(_, d) => setCapTerritory(d.optionValue === undefined ? null : Number(d.optionValue))}
              data-testid="runtime-cap-territory"
            >
              {territoryOptions}
            </Dropdown>
          </Field>
          <Field label={getString("Runtime_CapacityAccounts")}>
            <Input type="number" min={0} value={capValue} onChange={(_, d) => setCapValue(d.value)} data-testid="runtime-cap-value" />
          </Field>
        </div>
      )}
      <Field label={getString("Balance_Tolerance")} hint={getString("Runtime_ToleranceHint")}>
        <Input type="number" min={0} max={100} value={tolerance} onChange={(_, d) => setTolerance(d.value)} />
      </Field>
      <FormError message={formError} />
    </BalanceDialogFrame>
  );
};

/** Accounts per plan territory after the proposal (the new rep's territory included, a departed rep's left out). */
function territoryCounts(result: RuntimeChangeResult, territoryCount: number): { territory: number; accounts: number }[] {
  const size = Math.max(territoryCount, (result.newTerritory?.planTerritory ?? -1) + 1);
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < result.assignment.length; i++) {
    const t = result.assignment[i];
    if (t >= 0 && t < size) counts[t]++;
  }
  return counts.flatMap((accounts, territory) => (territory === result.removedTerritory ? [] : [{ territory, accounts }]));
}
