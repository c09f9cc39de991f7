/** The runtime-change form (texts as typed, choices made) turned into the change to propose, and the proposal's counts. */
import type { RuntimeChangeKind, RuntimeChangeResult } from "./runtimeInput";
import { parseTypedPoint } from "./typedNumbers";

/** What the runtime-change form asks of the manager, per tab. */
export interface RuntimeForm {
  kind: RuntimeChangeKind;
  /** Tolerance in percent as typed. */
  tolerance: string;
  /** Rep leaves: the plan territory whose rep leaves. */
  leaving: number | null;
  /** New rep: the rep and their home base as typed (or picked on the map). */
  newRepId: string | null;
  home: { lat: string; lon: string };
  /** Capacity: the plan territory and its new capacity in accounts, as typed. */
  capTerritory: number | null;
  capacity: string;
}

/** The change to propose. */
export type RuntimeChange =
  | { kind: "rep-leaves"; territory: number }
  | { kind: "new-rep"; repId: string; home: [number, number] }
  | { kind: "capacity"; territory: number; capacity: number };

/** Why a form cannot run, in the order it is checked. */
export type RuntimeFormProblem = "tolerance" | "pick-territory" | "pick-rep" | "home" | "capacity";

/** Checks the form (the current tab only) and returns the change with the tolerance as a fraction. */
export function runtimeChange(
  form: RuntimeForm,
): { ok: true; change: RuntimeChange; tolerance: number } | { ok: false; problem: RuntimeFormProblem } {
  const fail = (problem: RuntimeFormProblem) => ({ ok: false as const, problem });
  const tol = Number(form.tolerance);
  if (!(tol >= 0 && tol <= 100)) return fail("tolerance");
  const tolerance = tol / 100;
  switch (form.kind) {
    case "rep-leaves":
      if (form.leaving === null) return fail("pick-territory");
      return { ok: true, change: { kind: "rep-leaves", territory: form.leaving }, tolerance };
    case "new-rep": {
      if (form.newRepId === null) return fail("pick-rep");
      const home = parseTypedPoint(form.home.lat, form.home.lon);
      if (!home) return fail("home");
      return { ok: true, change: { kind: "new-rep", repId: form.newRepId, home }, tolerance };
    }
    case "capacity": {
      const capacity = Number(form.capacity);
      if (form.capTerritory === null || form.capacity.trim() === "" || !(capacity >= 0)) return fail("capacity");
      return { ok: true, change: { kind: "capacity", territory: form.capTerritory, capacity }, tolerance };
    }
  }
}

/** Accounts per plan territory after the proposal (the new rep's territory included, a departed rep's left out). */
export function proposalTerritoryCounts(result: RuntimeChangeResult, territoryCount: number): { territory: number; accounts: number }[] {
  const size = Math.max(territoryCount, (result.newTerritory?.planTerritory ?? -1) + 1);
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < result.assignment.length; i++) {
    const t = result.assignment[i];
    if (t >= 0 && t < size) counts[t]++;
  }
  return counts.flatMap((accounts, territory) => (territory === result.removedTerritory ? [] : [{ territory, accounts }]));
}
