/**
 * The control on a Plan form: the plan it opens and the bound column it writes.
 *
 * - Which plan: the bound column (`tmap_planstate`) holds `{"planId": "<guid>", "version": n}` (a bare GUID is read
 *   too); when it is empty, the record the form shows when that record is a plan (`tmap_plan`). Elsewhere (a
 *   dashboard, another table's form) the control opens the live territories as before.
 * - When: once the accounts are loaded, the plan is replotted By Territory (saving overwrites it, as from the list).
 * - Writing: after every successful save the column gets the saved plan and version, so the form turns dirty and
 *   the form's own Save stores it, as Dynamics users expect of a field; a value the control wrote itself is not
 *   opened again when it comes back.
 * - Bad input: text that is not a plan reference, or a plan that cannot be read (deleted, no access), gives a
 *   message naming it and the list of plans to choose from; the rest of the control works.
 */
import { normaliseId } from "../../domain/workspace";
import type { DraftCommands } from "../drafts/DraftCommands";
import type { PlanLoader } from "../loading/PlanLoader";
import type { PlanSession } from "../plan/PlanSession";
import { Store } from "../store";

/** What the hosting form tells the control. */
export interface FormContext {
  /** The bound column's value (null = empty, or not on a form). */
  boundValue: string | null;
  /** The record the form shows and its table, when known. */
  recordId: string | null;
  recordTable: string | null;
}

export type FormPlanStatus = "none" | "waiting" | "opening" | "opened" | "missing" | "invalid";

export interface PlanFormState {
  /** The plan the form asks for (lower-case GUID), or null. */
  planId: string | null;
  status: FormPlanStatus;
  /** The bound value that could not be read, or why the plan could not be opened. */
  problem: string | null;
  /** What the control writes to the bound column (JSON), or null when it has nothing to write. */
  output: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The plan a bound value refers to: `{ planId }` JSON or a bare GUID (braces allowed); undefined = not a reference.
 *
 * @example
 * planIdOf('{"planId":"6D2C1F40-0A5E-4B7D-8C3E-5A17C0DE2026","version":2}') // "6d2c1f40-…-5a17c0de2026"
 */
export function planIdOf(value: string | null): string | null | undefined {
  const text = (value ?? "").trim();
  if (!text) return null;
  const bare = text.replace(/^\{(.*)\}$/, "$1");
  if (GUID.test(bare)) return normaliseId(bare);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const id = (parsed as { planId?: unknown }).planId;
      if (typeof id === "string" && GUID.test(id)) return normaliseId(id);
      if (id === undefined || id === null) return null;
    }
  } catch {
    // not JSON: reported below
  }
  return undefined;
}

/** The bound value for a saved plan. */
export function boundValueOf(saved: { id: string; version: number }): string {
  return JSON.stringify({ planId: normaliseId(saved.id), version: saved.version });
}

export class PlanFormBinding extends Store<PlanFormState> {
  private written: string | null = null;
  private lastBound: string | null | undefined = undefined;
  private readonly unsubscribe: (() => void)[] = [];

  public constructor(
    private readonly loader: PlanLoader,
    private readonly plan: PlanSession,
    private readonly drafts: DraftCommands,
    private readonly onOutput: () => void = () => undefined,
  ) {
    super({ planId: null, status: "none", problem: null, output: null });
    this.unsubscribe.push(
      loader.subscribe(() => this.tryOpen()),
      plan.subscribe(() => this.tryOpen()),
      drafts.subscribe(() => this.onDrafts()),
    );
  }

  /** The form's bound value or record changed (every updateView). */
  public update(context: FormContext): void {
    const bound = context.boundValue;
    if (bound === this.lastBound) return;
    this.lastBound = bound;
    // The value the control wrote itself comes back from the form: it is the plan on screen already.
    if (bound !== null && bound === this.written) return;
    const fromBound = planIdOf(bound);
    if (fromBound === undefined) {
      this.set({ planId: null, status: "invalid", problem: bound });
      return;
    }
    const fromRecord =
      context.recordTable === "tmap_plan" && context.recordId && GUID.test(context.recordId.replace(/[{}]/g, ""))
        ? normaliseId(context.recordId.replace(/[{}]/g, ""))
        : null;
    const planId = fromBound ?? fromRecord;
    if (planId === this.get().planId && this.get().status !== "none") return;
    this.set({ planId, status: planId ? "waiting" : "none", problem: null });
    this.tryOpen();
  }

  /** The value to write to the bound column (getOutputs). */
  public output(): string | null {
    return this.get().output;
  }

  public dispose(): void {
    for (const u of this.unsubscribe) u();
  }

  private tryOpen(): void {
    const { status, planId } = this.get();
    if (status !== "waiting" || !planId) return;
    if (this.loader.get().load.status !== "done" || !this.plan.get().plan || this.plan.get().busy) return;
    this.set({ status: "opening" });
    void this.drafts.replot([{ draftId: planId }]).then(() => {
      const source = this.plan.get().plan?.source;
      const opened = !!source?.draftId && normaliseId(source.draftId) === planId;
      const notice = this.plan.get().notice;
      // the form's message says it (with the way out): not twice
      if (!opened) this.plan.notify(null);
      this.set({ status: opened ? "opened" : "missing", problem: opened ? null : (notice?.text ?? null) });
    });
  }

  private onDrafts(): void {
    const saved = this.drafts.get().lastSaved;
    if (!saved) return;
    const value = boundValueOf(saved);
    if (value === this.written) return;
    this.written = value;
    this.set({ output: value, planId: normaliseId(saved.id), status: "opened", problem: null });
    this.onOutput();
  }
}
