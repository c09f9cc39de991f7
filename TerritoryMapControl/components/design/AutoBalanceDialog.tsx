import * as React from "react";
import { Button, Checkbox, Field, Input, Radio, RadioGroup } from "@fluentui/react-components";
import type { BalancerClient } from "../../app/ports/balancer";
import type { AccountTable } from "../../domain/accountTable";
import {
  applyBalance,
  balancePreview,
  buildBalanceInput,
  relabelByOverlap,
  type AutoBalanceApplyResult,
  type BalanceInput,
  type BalanceMeasure,
  type BalanceRep,
  type BalancePreview,
  type BalanceSetup,
} from "../../domain/design/balanceInput";
import { BALANCE_TOLERANCE_PERCENT, DEFAULT_KEEP_OWNERS_FACTOR, KEEP_OWNERS_LEVELS } from "../../domain/defaults";
import { formatTemplate } from "../../domain/text";
import { BalanceDialogFrame } from "./BalanceDialogFrame";
import { BalancePreviewView } from "./BalancePreview";
import { useDesignStyles } from "./design.styles";
import { FormError } from "./FormError";
import { PickOnMapButton } from "./PickOnMapButton";
import { formatPercent, parseTypedPoint } from "./format";
import { useBalancerRun } from "./useBalancerRun";
import { useMapPick, type PickPoint } from "./useMapPick";

export interface AutoBalanceDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The accounts (measures named by `table.measureNames`, labelled by `measureLabels`). */
  table: AccountTable;
  measureLabels: readonly string[];
  /** Plan territories in index order. */
  territories: readonly { id: string; name: string }[];
  reps: readonly BalanceRep[];
  assignment: Int32Array;
  locked: Uint8Array | null;
  client: BalancerClient;
  onApply: (result: AutoBalanceApplyResult) => void;
  /** Lets the manager pick a rep's home base on the map (the dialog steps aside meanwhile); absent = no map. */
  pickPoint?: PickPoint;
  /** Engine time limit in ms (default automatic). */
  timeLimitMs?: number | null;
  getString: (key: string) => string;
}

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}

/**
 * Auto-balance: number of territories or chosen reps (home bases), measures, tolerance, capacity per rep, locks,
 * disruption. Runs in the balancer worker with progress and Cancel, then previews per-territory totals, max
 * deviation, accounts moved and the gap to the engine's proven lower bound before anything is applied.
 */
export const AutoBalanceDialog: React.FC<AutoBalanceDialogProps> = (props) => {
  const {
    open,
    onOpenChange,
    table,
    measureLabels,
    territories,
    reps,
    assignment,
    locked,
    client,
    onApply,
    pickPoint,
    timeLimitMs,
    getString,
  } = props;
  const styles = useDesignStyles();
  const [mode, setMode] = React.useState<"count" | "reps">(reps.some((r) => r.home) ? "reps" : "count");
  const [count, setCount] = React.useState(String(Math.max(1, territories.length)));
  const [chosen, setChosen] = React.useState<Set<string>>(() => new Set(reps.filter((r) => r.home).map((r) => r.id)));
  const [homes, setHomes] = React.useState<Map<string, [number, number]>>(new Map());
  // Typed home-base coordinates (the keyboard path beside Pick on map): text as typed, per rep
  const [typed, setTyped] = React.useState<Map<string, { lat: string; lon: string }>>(new Map());
  const typeHome = (r: BalanceRep, field: "lat" | "lon", text: string) => {
    const home = homes.get(r.id) ?? r.home;
    const prev = typed.get(r.id) ?? { lat: home ? home[1].toFixed(5) : "", lon: home ? home[0].toFixed(5) : "" };
    const next = { ...prev, [field]: text };
    setTyped((t) => new Map(t).set(r.id, next));
    const point = parseTypedPoint(next.lat, next.lon);
    if (point) {
      setHomes((h) => new Map(h).set(r.id, point));
      setChosen((c) => new Set(c).add(r.id));
    }
  };
  const typedInvalid = (r: BalanceRep): boolean => {
    const t = typed.get(r.id);
    return t !== undefined && parseTypedPoint(t.lat, t.lon) === null;
  };
  const [measures, setMeasures] = React.useState<Set<string>>(new Set(["count"]));
  const [tolerance, setTolerance] = React.useState(String(BALANCE_TOLERANCE_PERCENT));
  const [capacity, setCapacity] = React.useState("");
  const [respectLocks, setRespectLocks] = React.useState(true);
  const [moveCostFactor, setMoveCostFactor] = React.useState(DEFAULT_KEEP_OWNERS_FACTOR);
  const [formError, setFormError] = React.useState<string | null>(null);
  const run = useBalancerRun<{ input: BalanceInput; preview: BalancePreview; assignment: Int32Array; setup: BalanceSetup }>();
  const pick = useMapPick(pickPoint);

  React.useEffect(() => {
    if (!open) run.reset();
  }, [open, run.reset]);

  const homeOf = (r: BalanceRep) => homes.get(r.id) ?? r.home;
  const measureList: BalanceMeasure[] = [
    ...(measures.has("count") ? [{ kind: "count" } as BalanceMeasure] : []),
    ...measureLabels
      .map((_, m) => ({ kind: "column", column: m }) as BalanceMeasure)
      .filter((m) => m.kind === "column" && measures.has(`m${m.column}`)),
  ];
  const measureName = (m: BalanceMeasure) => (m.kind === "count" ? getString("Balance_MeasureCount") : (measureLabels[m.column] ?? ""));

  const start = () => {
    const tol = parseNumber(tolerance);
    const k = parseNumber(count);
    const cap = parseNumber(capacity);
    if (measureList.length === 0) return setFormError(getString("Balance_ErrorNoMeasure"));
    if (tol === null || !(tol >= 0 && tol <= 100)) return setFormError(getString("Balance_ErrorTolerance"));
    if (cap !== null && !(cap > 0)) return setFormError(getString("Balance_ErrorCapacity"));
    const repTargets =
      mode === "reps"
        ? reps
            .filter((r) => chosen.has(r.id) && homeOf(r))
            .map((r) => ({ repId: r.id, home: homeOf(r) as [number, number], territory: r.territoryIndex }))
        : null;
    if (mode === "reps" && (!repTargets || repTargets.length === 0)) return setFormError(getString("Balance_ErrorNoReps"));
    if (mode === "count" && (k === null || !Number.isInteger(k) || k < 1 || k > 1000)) return setFormError(getString("Balance_ErrorCount"));
    setFormError(null);
    const setup: BalanceSetup = {
      territories: mode === "count" ? (k as number) : (repTargets?.length ?? 0),
      reps: repTargets,
      measures: measureList,
      tolerance: (tol as number) / 100,
      capacity: cap === null ? undefined : measureList.map((_, i) => (i === 0 ? cap : null)),
      respectLocks,
      moveCostFactor,
    };
    run.start(async (signal, onProgress) => {
      const built = buildBalanceInput(table, assignment, locked, territories.length, setup);
      const result = await client.solve(built.problem, { signal, onProgress, timeLimitMs: timeLimitMs ?? null });
      // Count mode: the new territories take the names and reps of the current ones they overlap most.
      const input = relabelByOverlap(built, result, assignment);
      return { input, setup, preview: balancePreview(input, result, assignment), assignment: applyBalance(input, result, assignment) };
    });
  };

  const territoryName = (planTerritory: number, t: number) => {
    if (planTerritory < territories.length) return territories[planTerritory]?.name ?? "";
    if (run.state.kind === "done" && !run.state.value.setup.reps)
      return formatTemplate(getString("Design_NewTerritoryName"), planTerritory + 1);
    const rep = reps.find(
      (r) =>
        r.id === (run.state.kind === "done" ? run.state.value.input.newTerritories.find((n) => n.problemTerritory === t)?.repId : null),
    );
    return formatTemplate(getString("Balance_NewTerritoryFor"), rep?.name ?? "");
  };

  const state = run.state;
  const done = state.kind === "done" ? state.value : null;
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
          <BalancePreviewView
            testId="balance-preview"
            summaryTestId="balance-summary"
            rowTestId="balance-row"
            tableLabel={getString("Balance_PreviewLabel")}
            getString={getString}
            feasible={done.preview.feasible}
            infeasibility={done.preview.infeasibility}
            measureNames={done.setup.measures.flatMap((m) => (m.kind === "count" ? [] : [measureName(m)]))}
            rows={done.preview.territories.map((t, i) => ({
              name: territoryName(t.planTerritory, i),
              accounts: t.accounts,
              totals: done.setup.measures.flatMap((m, j) => (m.kind === "count" ? [] : [t.totals[j] ?? 0])),
            }))}
            summary={
              <>
                {formatTemplate(
                  getString("Balance_PreviewSummary"),
                  done.preview.moved,
                  done.setup.measures.map((m, i) => `${measureName(m)} ${formatPercent(done.preview.maxDeviation[i] ?? 0)}`).join(", "),
                  done.preview.gapToBound === null ? getString("Balance_NoBound") : formatPercent(done.preview.gapToBound),
                )}
                {done.input.excluded > 0 && ` · ${formatTemplate(getString("Balance_Excluded"), done.input.excluded)}`}
              </>
            }
          />
        )
      }
    >
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
        <fieldset className={styles.scroll} style={{ border: 0, padding: 0 }} aria-label={getString("Balance_RepsLabel")}>
          <legend>{getString("Balance_RepsLabel")}</legend>
          {reps.map((r) => {
            const home = homeOf(r);
            return (
              <div key={r.id} className={styles.inline} data-testid="balance-rep">
                <Checkbox
                  label={home ? r.name : formatTemplate(getString("Balance_RepNoHome"), r.name)}
                  checked={chosen.has(r.id) && home !== null}
                  disabled={home === null}
                  onChange={(_, d) => {
                    const next = new Set(chosen);
                    if (d.checked) next.add(r.id);
                    else next.delete(r.id);
                    setChosen(next);
                  }}
                />
                {home && (
                  <span className={styles.secondary} data-testid="balance-rep-home">
                    {formatTemplate(getString("Balance_HomeAt"), home[1].toFixed(5), home[0].toFixed(5))}
                  </span>
                )}
                <Input
                  size="small"
                  className={styles.coordinate}
                  aria-label={formatTemplate(getString("Balance_HomeLatitudeOf"), r.name)}
                  value={typed.get(r.id)?.lat ?? (home ? home[1].toFixed(5) : "")}
                  onChange={(_, d) => typeHome(r, "lat", d.value)}
                  aria-invalid={typedInvalid(r)}
                  data-testid="balance-rep-lat"
                />
                <Input
                  size="small"
                  className={styles.coordinate}
                  aria-label={formatTemplate(getString("Balance_HomeLongitudeOf"), r.name)}
                  value={typed.get(r.id)?.lon ?? (home ? home[0].toFixed(5) : "")}
                  onChange={(_, d) => typeHome(r, "lon", d.value)}
                  aria-invalid={typedInvalid(r)}
                  data-testid="balance-rep-lon"
                />
                {typedInvalid(r) && (
                  <span role="alert" className={styles.secondary}>
                    {getString("Balance_HomeInvalid")}
                  </span>
                )}
                {pickPoint && (
                  <PickOnMapButton
                    pickKey={`rep:${r.id}`}
                    label={formatTemplate(getString("Balance_PickHomeFor"), r.name)}
                    getString={getString}
                    onClick={() =>
                      pick.pick(`rep:${r.id}`, formatTemplate(getString("Balance_PickPrompt"), r.name), (lat, lon) => {
                        setHomes((h) => new Map(h).set(r.id, [lon, lat]));
                        setTyped((t) => {
                          const next = new Map(t);
                          next.delete(r.id);
                          return next;
                        });
                        setChosen((c) => new Set(c).add(r.id));
                      })
                    }
                  />
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      <fieldset style={{ border: 0, padding: 0 }}>
        <legend>{getString("Balance_MeasuresLabel")}</legend>
        <div className={styles.inline}>
          {[{ key: "count", label: getString("Balance_MeasureCount") }, ...measureLabels.map((l, m) => ({ key: `m${m}`, label: l }))].map(
            (o) => (
              <Checkbox
                key={o.key}
                label={o.label}
                checked={measures.has(o.key)}
                onChange={(_, d) => {
                  const next = new Set(measures);
                  if (d.checked) next.add(o.key);
                  else next.delete(o.key);
                  setMeasures(next);
                }}
              />
            ),
          )}
        </div>
      </fieldset>
      <div className={styles.inline}>
        <Field label={getString("Balance_Tolerance")} hint={getString("Balance_ToleranceHint")}>
          <Input
            type="number"
            min={0}
            max={100}
            step={0.5}
            value={tolerance}
            onChange={(_, d) => setTolerance(d.value)}
            data-testid="balance-tolerance"
          />
        </Field>
        {mode === "reps" && (
          <Field
            label={formatTemplate(getString("Balance_Capacity"), measureList[0] ? measureName(measureList[0]) : "")}
            hint={getString("Balance_CapacityHint")}
          >
            <Input type="number" min={0} value={capacity} onChange={(_, d) => setCapacity(d.value)} data-testid="balance-capacity" />
          </Field>
        )}
      </div>
      <Checkbox label={getString("Balance_RespectLocks")} checked={respectLocks} onChange={(_, d) => setRespectLocks(Boolean(d.checked))} />
      <RadioGroup
        value={String(moveCostFactor)}
        onChange={(_, d) => setMoveCostFactor(Number(d.value))}
        aria-label={getString("Balance_Disruption")}
        layout="horizontal"
      >
        {KEEP_OWNERS_LEVELS.map((o) => (
          <Radio key={o.key} value={String(o.moveCostFactor)} label={getString(o.key)} />
        ))}
      </RadioGroup>
      <FormError message={formError} />
    </BalanceDialogFrame>
  );
};
