/** The auto-balance form (texts as typed, choices made) turned into the setup to balance with, or what is wrong with it. */
import type { BalanceMeasure, BalanceRep, BalanceRepTarget, BalanceSetup } from "./balanceInput";
import { parseNumber } from "./typedNumbers";

/** What the auto-balance form asks of the manager. */
export interface BalanceForm {
  /** A number of territories (centres among the accounts) or the chosen reps' home bases as fixed centres. */
  mode: "count" | "reps";
  /** Number of territories as typed (count mode). */
  count: string;
  /** Tolerance in percent as typed. */
  tolerance: string;
  /** Capacity per rep of the first measure as typed; empty = none. */
  capacity: string;
  measures: BalanceMeasure[];
  /** The chosen reps with a home base (reps mode). */
  reps: BalanceRepTarget[];
  respectLocks: boolean;
  moveCostFactor: number;
}

/** Why a form cannot run, in the order it is checked. */
export type BalanceFormProblem = "no-measure" | "tolerance" | "capacity" | "no-reps" | "count";

/** Territories a "number of territories" run may ask for at most. */
export const MAX_BALANCE_TERRITORIES = 1000;

/** The measures chosen by key: "count" (the account count) and `m<column>` for a measure column, count first. */
export function chosenMeasures(keys: ReadonlySet<string>, columns: number): BalanceMeasure[] {
  const measures: BalanceMeasure[] = keys.has("count") ? [{ kind: "count" }] : [];
  for (let m = 0; m < columns; m++) if (keys.has(`m${m}`)) measures.push({ kind: "column", column: m });
  return measures;
}

/** A rep's home base: the one picked or typed in the form, else the one from the rep's address. */
export function repHome(rep: BalanceRep, homes: ReadonlyMap<string, [number, number]>): [number, number] | null {
  return homes.get(rep.id) ?? rep.home;
}

/**
 * The reps ticked when the form opens: those who own a territory of the run and have a home base (when nobody owns
 * one yet, every rep with a home base). Managers and other users are offered, not ticked.
 */
export function defaultChosenReps(reps: readonly BalanceRep[]): Set<string> {
  const owners = reps.filter((r) => r.home && r.territoryIndex !== null);
  return new Set((owners.length > 0 ? owners : reps.filter((r) => r.home)).map((r) => r.id));
}

/** The chosen reps that have a home base, as fixed centres (in the order of `reps`). */
export function chosenRepTargets(
  reps: readonly BalanceRep[],
  chosen: ReadonlySet<string>,
  homes: ReadonlyMap<string, [number, number]>,
): BalanceRepTarget[] {
  return reps.flatMap((r) => {
    const home = repHome(r, homes);
    return chosen.has(r.id) && home ? [{ repId: r.id, home, territory: r.territoryIndex }] : [];
  });
}

/** Checks the form and builds the setup; the capacity, when typed, bounds the first measure. */
export function balanceSetup(form: BalanceForm): { ok: true; setup: BalanceSetup } | { ok: false; problem: BalanceFormProblem } {
  const tol = parseNumber(form.tolerance);
  const k = parseNumber(form.count);
  const cap = parseNumber(form.capacity);
  const fail = (problem: BalanceFormProblem) => ({ ok: false as const, problem });
  if (form.measures.length === 0) return fail("no-measure");
  if (tol === null || !(tol >= 0 && tol <= 100)) return fail("tolerance");
  if (cap !== null && !(cap > 0)) return fail("capacity");
  if (form.mode === "reps" && form.reps.length === 0) return fail("no-reps");
  if (form.mode === "count" && (k === null || !Number.isInteger(k) || k < 1 || k > MAX_BALANCE_TERRITORIES)) return fail("count");
  return {
    ok: true,
    setup: {
      territories: form.mode === "count" ? (k as number) : form.reps.length,
      reps: form.mode === "reps" ? form.reps : null,
      measures: form.measures,
      tolerance: tol / 100,
      capacity: cap === null ? undefined : form.measures.map((_, i) => (i === 0 ? cap : null)),
      respectLocks: form.respectLocks,
      moveCostFactor: form.moveCostFactor,
    },
  };
}
