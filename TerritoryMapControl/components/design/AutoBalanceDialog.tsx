/** The auto-balance dialog: the form, the run in the balancer with progress and Cancel, the preview, Apply. */
import * as React from "react";
import { Button, Field, Input, Radio, RadioGroup } from "@fluentui/react-components";
import type { RunOptions } from "../../app/design/balanceRuns";
import { balanceSetup, chosenMeasures, chosenRepTargets, type BalanceFormProblem } from "../../domain/design/balanceForm";
import type { AutoBalanceApplyResult, BalanceRep, BalanceSetup } from "../../domain/design/balanceInput";
import { AutoBalancePreview, type AutoBalanceRun } from "./AutoBalancePreview";
import { BalanceDialogFrame } from "./BalanceDialogFrame";
import { BalanceMeasuresForm, defaultBalanceSettings, type BalanceSettings } from "./BalanceMeasuresForm";
import { BalanceRepChooser } from "./BalanceRepChooser";
import { FormError } from "./FormError";
import { useBalancerRun } from "./useBalancerRun";
import { useMapPick, type PickPoint } from "./useMapPick";
import { useRepHomes } from "./useRepHomes";

export interface AutoBalanceDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Display names of the plan's measures. */
  measureLabels: readonly string[];
  /** Plan territories in index order. */
  territories: readonly { id: string; name: string }[];
  reps: readonly BalanceRep[];
  /** Runs the balance on the working plan (the planning layer's DesignSession.autoBalance). */
  run: (setup: BalanceSetup, options: RunOptions) => Promise<AutoBalanceRun>;
  onApply: (result: AutoBalanceApplyResult) => void;
  /** Lets the manager pick a rep's home base on the map (the dialog steps aside meanwhile); absent = no map. */
  pickPoint?: PickPoint;
  getString: (key: string) => string;
  /** Where the run works (the whole plan or one region), shown above the form. */
  scopeField?: React.ReactNode;
}

const PROBLEM_KEYS: Record<BalanceFormProblem, string> = {
  "no-measure": "Balance_ErrorNoMeasure",
  tolerance: "Balance_ErrorTolerance",
  capacity: "Balance_ErrorCapacity",
  "no-reps": "Balance_ErrorNoReps",
  count: "Balance_ErrorCount",
};

/**
 * Auto-balance: number of territories or chosen reps (home bases), measures, tolerance, capacity per rep, locks,
 * disruption. Runs in the balancer worker with progress and Cancel, then previews per-territory totals, max
 * deviation, accounts moved and the gap to the engine's proven lower bound before anything is applied.
 */
export const AutoBalanceDialog: React.FC<AutoBalanceDialogProps> = (props) => {
  const { open, onOpenChange, measureLabels, territories, reps, run: runBalance, onApply, pickPoint, getString } = props;
  const [mode, setMode] = React.useState<"count" | "reps">(reps.some((r) => r.home) ? "reps" : "count");
  const [count, setCount] = React.useState(String(Math.max(1, territories.length)));
  const homes = useRepHomes(reps);
  const [settings, setSettings] = React.useState<BalanceSettings>(defaultBalanceSettings);
  const [formError, setFormError] = React.useState<string | null>(null);
  const run = useBalancerRun<AutoBalanceRun>();
  const pick = useMapPick(pickPoint);

  React.useEffect(() => {
    if (!open) run.reset();
  }, [open, run.reset]);

  const start = () => {
    const checked = balanceSetup({
      mode,
      count,
      tolerance: settings.tolerance,
      capacity: settings.capacity,
      measures: chosenMeasures(settings.measures, measureLabels.length),
      reps: mode === "reps" ? chosenRepTargets(reps, homes.chosen, homes.homes) : [],
      respectLocks: settings.respectLocks,
      moveCostFactor: settings.moveCostFactor,
    });
    if (!checked.ok) return setFormError(getString(PROBLEM_KEYS[checked.problem]));
    setFormError(null);
    const setup = checked.setup;
    run.start((signal, onProgress) => runBalance(setup, { signal, onProgress }));
  };

  const done = run.state.kind === "done" ? run.state.value : null;
  return (
    <BalanceDialogFrame
      open={open}
      onOpenChange={onOpenChange}
      testId="balance-dialog"
      progressTestId="balance-progress"
      title={getString("Balance_Title")}
      pick={pick}
      run={run}
      startLabel={getString("Balance_Run")}
      onStart={start}
      getString={getString}
      resultActions={
        done && (
          <>
            <Button onClick={run.reset}>{getString("Common_Back")}</Button>
            <Button
              appearance="primary"
              onClick={() => {
                onApply({
                  assignment: done.assignment,
                  newTerritories: done.input.newTerritories.map((n) => ({ planTerritory: n.planTerritory, repId: n.repId })),
                  preview: done.preview,
                  setup: done.setup,
                });
                onOpenChange(false);
              }}
            >
              {getString("Balance_Apply")}
            </Button>
            <Button onClick={() => onOpenChange(false)}>{getString("Balance_Discard")}</Button>
          </>
        )
      }
      result={
        done && (
          <AutoBalancePreview
            done={done}
            territories={territories}
            reps={reps}
            measureLabels={measureLabels}
            getString={getString}
            onRetry={(tolerance) => {
              setSettings((s) => ({ ...s, tolerance: String(Math.round(tolerance * 100)) }));
              const setup = { ...done.setup, tolerance };
              run.start((signal, onProgress) => runBalance(setup, { signal, onProgress }));
            }}
          />
        )
      }
    >
      {props.scopeField}
      <RadioGroup
        value={mode}
        onChange={(_, d) => setMode(d.value as "count" | "reps")}
        aria-label={getString("Balance_ModeLabel")}
        layout="horizontal"
      >
        <Radio value="count" label={getString("Balance_ModeCount")} />
        <Radio value="reps" label={getString("Balance_ModeReps")} />
      </RadioGroup>
      {mode === "count" ? (
        <Field label={getString("Balance_TerritoryCount")}>
          <Input type="number" min={1} value={count} onChange={(_, d) => setCount(d.value)} data-testid="balance-count" />
        </Field>
      ) : (
        <BalanceRepChooser reps={reps} homes={homes} canPick={Boolean(pickPoint)} pick={pick} getString={getString} />
      )}
      <BalanceMeasuresForm
        measureLabels={measureLabels}
        value={settings}
        onChange={(change) => setSettings((s) => ({ ...s, ...change }))}
        showCapacity={mode === "reps"}
        getString={getString}
      />
      <FormError message={formError} />
    </BalanceDialogFrame>
  );
};
