import * as React from "react";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Radio,
  RadioGroup,
} from "@fluentui/react-components";
import type { BalancerClient } from "../../adapters/worker/BalancerClient";
import type { AccountTable } from "../../domain/design/accountTable";
import {
  applyBalance,
  balancePreview,
  buildBalanceInput,
  type BalanceInput,
  type BalanceMeasure,
  type BalancePreview,
  type BalanceSetup,
} from "../../domain/design/balanceInput";
import { formatTemplate } from "../text";
import { useDesignStyles } from "./design.styles";
import { formatMeasure, formatPercent } from "./format";
import { useBalancerRun } from "./useBalancerRun";

export interface BalanceRep {
  id: string;
  name: string;
  /** Home base [longitude, latitude] from the rep's address, or null. */
  home: [number, number] | null;
  /** The plan territory (index) this rep owns today, or null. */
  territoryIndex: number | null;
}

export interface AutoBalanceApplyResult {
  /** The new territory of every account (plan territory index, -1 = unassigned). */
  assignment: Int32Array;
  /** Plan territories that do not exist yet (reps without a territory today), to be created by the caller. */
  newTerritories: { planTerritory: number; repId: string }[];
  preview: BalancePreview;
  setup: BalanceSetup;
}

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
  /** Lets the manager pick a rep's home base on the map (resolves null when cancelled). */
  onPickHome?: (repId: string) => Promise<[number, number] | null>;
  /** Engine time limit in ms (default automatic). */
  timeLimitMs?: number | null;
  getString: (key: string) => string;
}

const DISRUPTION: { value: number; key: string }[] = [
  { value: 0, key: "Balance_DisruptionNone" },
  { value: 0.5, key: "Balance_DisruptionLow" },
  { value: 1, key: "Balance_DisruptionMedium" },
  { value: 2, key: "Balance_DisruptionHigh" },
];

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
  const { open, onOpenChange, table, measureLabels, territories, reps, assignment, locked, client, onApply, onPickHome, timeLimitMs, getString } = props;
  const styles = useDesignStyles();
  const [mode, setMode] = React.useState<"count" | "reps">(reps.some((r) => r.home) ? "reps" : "count");
  const [count, setCount] = React.useState(String(Math.max(1, territories.length)));
  const [chosen, setChosen] = React.useState<Set<string>>(() => new Set(reps.filter((r) => r.home).map((r) => r.id)));
  const [homes, setHomes] = React.useState<Map<string, [number, number]>>(new Map());
  const [measures, setMeasures] = React.useState<Set<string>>(new Set(["count"]));
  const [tolerance, setTolerance] = React.useState("5");
  const [capacity, setCapacity] = React.useState("");
  const [respectLocks, setRespectLocks] = React.useState(true);
  const [disruption, setDisruption] = React.useState(1);
  const [formError, setFormError] = React.useState<string | null>(null);
  const run = useBalancerRun<{ input: BalanceInput; preview: BalancePreview; assignment: Int32Array; setup: BalanceSetup }>();

  React.useEffect(() => {
    if (!open) run.reset();
  }, [open, run.reset]);

  const homeOf = (r: BalanceRep) => homes.get(r.id) ?? r.home;
  const measureList: BalanceMeasure[] = [
    ...(measures.has("count") ? [{ kind: "count" } as BalanceMeasure] : []),
    ...measureLabels.map((_, m) => ({ kind: "column", column: m }) as BalanceMeasure).filter((m) => m.kind === "column" && measures.has(`m${m.column}`)),
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
      disruption,
    };
    run.start(async (signal, onProgress) => {
      const input = buildBalanceInput(table, assignment, locked, territories.length, setup);
      const result = await client.solve(input.problem, { signal, onProgress, timeLimitMs: timeLimitMs ?? null });
      return { input, setup, preview: balancePreview(input, result, assignment), assignment: applyBalance(input, result, assignment) };
    });
  };

  const territoryName = (planTerritory: number, t: number) => {
    if (planTerritory < territories.length) return territories[planTerritory]?.name ?? "";
    const rep = reps.find((r) => r.id === (run.state.kind === "done" ? run.state.value.input.newTerritories.find((n) => n.problemTerritory === t)?.repId : null));
    return formatTemplate(getString("Balance_NewTerritoryFor"), rep?.name ?? "");
  };

  const state = run.state;
  const running = state.kind === "running";
  return (
    <Dialog open={open} onOpenChange={(_, d) => !running && onOpenChange(d.open)} modalType={running ? "alert" : "modal"}>
      <DialogSurface data-testid="balance-dialog">
        <DialogBody>
          <DialogTitle>{getString("Balance_Title")}</DialogTitle>
          <DialogContent className={styles.form}>
            {state.kind !== "done" && (
              <fieldset disabled={running} style={{ border: 0, padding: 0, margin: 0 }} className={styles.form}>
                <RadioGroup value={mode} onChange={(_, d) => setMode(d.value as "count" | "reps")} aria-label={getString("Balance_ModeLabel")} layout="horizontal">
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
                        <div key={r.id} className={styles.inline}>
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
                          {onPickHome && (
                            <Button
                              size="small"
                              appearance="subtle"
                              aria-label={formatTemplate(getString("Balance_PickHomeFor"), r.name)}
                              onClick={() =>
                                void onPickHome(r.id).then((p) => {
                                  if (!p) return;
                                  setHomes((h) => new Map(h).set(r.id, p));
                                  setChosen((c) => new Set(c).add(r.id));
                                })
                              }
                            >
                              {getString("Balance_PickHome")}
                            </Button>
                          )}
                        </div>
                      );
                    })}
                  </fieldset>
                )}
                <fieldset style={{ border: 0, padding: 0 }}>
                  <legend>{getString("Balance_MeasuresLabel")}</legend>
                  <div className={styles.inline}>
                    {[{ key: "count", label: getString("Balance_MeasureCount") }, ...measureLabels.map((l, m) => ({ key: `m${m}`, label: l }))].map((o) => (
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
                    ))}
                  </div>
                </fieldset>
                <div className={styles.inline}>
                  <Field label={getString("Balance_Tolerance")} hint={getString("Balance_ToleranceHint")}>
                    <Input type="number" min={0} max={100} step={0.5} value={tolerance} onChange={(_, d) => setTolerance(d.value)} data-testid="balance-tolerance" />
                  </Field>
                  {mode === "reps" && (
                    <Field label={formatTemplate(getString("Balance_Capacity"), measureList[0] ? measureName(measureList[0]) : "")} hint={getString("Balance_CapacityHint")}>
                      <Input type="number" min={0} value={capacity} onChange={(_, d) => setCapacity(d.value)} data-testid="balance-capacity" />
                    </Field>
                  )}
                </div>
                <Checkbox label={getString("Balance_RespectLocks")} checked={respectLocks} onChange={(_, d) => setRespectLocks(Boolean(d.checked))} />
                <RadioGroup
                  value={String(disruption)}
                  onChange={(_, d) => setDisruption(Number(d.value))}
                  aria-label={getString("Balance_Disruption")}
                  layout="horizontal"
                >
                  {DISRUPTION.map((o) => (
                    <Radio key={o.key} value={String(o.value)} label={getString(o.key)} />
                  ))}
                </RadioGroup>
                {formError && (
                  <MessageBar intent="error" role="alert">
                    <MessageBarBody>{formError}</MessageBarBody>
                  </MessageBar>
                )}
              </fieldset>
            )}
            {running && (
              <Field label={getString("Balance_Running")} validationState="none" validationMessage={state.progress ? formatTemplate(getString("Balance_Phase"), state.progress.phase) : undefined}>
                <ProgressBar value={state.progress ? state.progress.fraction : undefined} max={1} aria-label={getString("Balance_Running")} data-testid="balance-progress" />
              </Field>
            )}
            {state.kind === "cancelled" && <div role="status">{getString("Balance_Cancelled")}</div>}
            {state.kind === "failed" && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>{formatTemplate(getString("Balance_Failed"), state.message)}</MessageBarBody>
              </MessageBar>
            )}
            {state.kind === "done" && (
              <div data-testid="balance-preview" className={styles.form}>
                <div aria-live="polite" data-testid="balance-summary">
                  {formatTemplate(
                    getString("Balance_PreviewSummary"),
                    state.value.preview.moved,
                    state.value.setup.measures.map((m, i) => `${measureName(m)} ${formatPercent(state.value.preview.maxDeviation[i] ?? 0)}`).join(", "),
                    state.value.preview.gapToBound === null ? getString("Balance_NoBound") : formatPercent(state.value.preview.gapToBound),
                  )}
                  {state.value.input.excluded > 0 && ` · ${formatTemplate(getString("Balance_Excluded"), state.value.input.excluded)}`}
                </div>
                {!state.value.preview.feasible && (
                  <MessageBar intent="warning">
                    <MessageBarBody>
                      {getString("Balance_NotFeasible")} {state.value.preview.infeasibility.join(" ")}
                    </MessageBarBody>
                  </MessageBar>
                )}
                <div className={styles.scroll}>
                  <table className={styles.table} aria-label={getString("Balance_PreviewLabel")}>
                    <thead>
                      <tr>
                        <th scope="col">{getString("Postal_ColTerritory")}</th>
                        <th scope="col" className={styles.numberCell}>
                          {getString("Postal_ColAccounts")}
                        </th>
                        {state.value.setup.measures.map((m, i) => (m.kind === "count" ? null : <th key={i} scope="col" className={styles.numberCell}>{measureName(m)}</th>))}
                      </tr>
                    </thead>
                    <tbody>
                      {state.value.preview.territories.map((t, i) => (
                        <tr key={i} data-testid="balance-row">
                          <td>{territoryName(t.planTerritory, i)}</td>
                          <td className={styles.numberCell}>{formatMeasure(t.accounts)}</td>
                          {state.value.setup.measures.map((m, j) => (m.kind === "count" ? null : <td key={j} className={styles.numberCell}>{formatMeasure(t.totals[j] ?? 0)}</td>))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            )}
          </DialogContent>
          <DialogActions>
            {state.kind === "done" ? (
              <>
                <Button onClick={run.reset}>{getString("Common_Back")}</Button>
                <Button
                  appearance="primary"
                  onClick={() => {
                    const v = state.value;
                    onApply({
                      assignment: v.assignment,
                      newTerritories: v.input.newTerritories.map((n) => ({ planTerritory: n.planTerritory, repId: n.repId })),
                      preview: v.preview,
                      setup: v.setup,
                    });
                    onOpenChange(false);
                  }}
                >
                  {getString("Balance_Apply")}
                </Button>
                <Button onClick={() => onOpenChange(false)}>{getString("Balance_Discard")}</Button>
              </>
            ) : running ? (
              <Button onClick={run.cancel}>{getString("Common_Cancel")}</Button>
            ) : (
              <>
                <Button appearance="primary" onClick={start}>
                  {getString("Balance_Run")}
                </Button>
                <Button onClick={() => onOpenChange(false)}>{getString("Common_Close")}</Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
};
