/**
 * Compare two drafts (or a draft and the plan on screen) side by side: per-territory totals and deviations, the
 * accounts that change territory, the reps affected; the moved accounts can be highlighted on the map.
 */
import { compareDrafts, type AccountMeasures, type ComparableDraft, type DraftComparison } from "../../domain/drafts";
import { toDraft, type AccountTable } from "../../domain/workspace";
import { formatTemplate } from "../../domain/text";
import type { DraftRepository } from "../../../dataverse/drafts/DraftRepository";
import type { PlanLoader } from "../loading/PlanLoader";
import type { PlanSession } from "../plan/PlanSession";

/** Stands for the plan on screen (saved or not) in a comparison. */
export const CURRENT_PLAN = "__current__";

export interface CompareView {
  comparison: DraftComparison;
  a: ComparableDraft;
  b: ComparableDraft;
  aName: string;
  bName: string;
}

export class CompareCommands {
  private measuresFor: { table: AccountTable; values: AccountMeasures } | null = null;

  public constructor(
    private readonly session: PlanSession,
    private readonly loader: PlanLoader,
    private readonly repository: DraftRepository,
  ) {}

  /** The drafts preselected when Compare opens: the plan's parent and the plan itself. */
  public defaults(): { a: string | null; b: string } {
    const source = this.session.plan?.source;
    return { a: source?.parentId ?? null, b: source?.draftId ?? CURRENT_PLAN };
  }

  /** Compares draft `aId` with draft `bId` (either may be CURRENT_PLAN). */
  public async run(aId: string, bId: string): Promise<CompareView> {
    const t = this.session.t;
    const get = async (id: string): Promise<{ d: ComparableDraft; name: string }> => {
      if (id === CURRENT_PLAN) {
        const p = this.session.plan;
        if (!p) throw new Error(t("Plan_NotReady"));
        return { d: toDraft(p), name: t("Compare_CurrentPlan") };
      }
      const l = await this.repository.loadDraft(id);
      return { d: l.draft, name: `${l.draft.name} · ${formatTemplate(t("ByTerritory_Version"), l.draft.version)}` };
    };
    const [a, b] = await Promise.all([get(aId), get(bId)]);
    return { comparison: compareDrafts(a.d, b.d, this.measureValues()), a: a.d, b: b.d, aName: a.name, bName: b.name };
  }

  /** Highlights accounts on the map (null clears); returns how many are highlighted. */
  public highlight(accountIds: string[] | null): number {
    return this.loader.get().map?.setHighlight(accountIds) ?? 0;
  }

  private measureValues(): AccountMeasures | undefined {
    const table = this.session.plan?.table;
    if (!table) return undefined;
    if (this.measuresFor?.table !== table) {
      const values = new Map<string, number[]>();
      for (let i = 0; i < table.ids.length; i++)
        values.set(
          table.ids[i],
          table.values.map((v) => v[i]),
        );
      this.measuresFor = { table, values: { names: table.measures, values } };
    }
    return this.measuresFor.values;
  }
}
