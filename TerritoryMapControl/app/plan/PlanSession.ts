/**
 * The working plan a manager edits, and the edits made from the territory card: select a territory, move
 * accounts, rename, assign a rep, delete. Every change goes through `commit`, which makes the new plan current
 * and redraws the map (only the accounts that changed territory, where it can).
 *
 * The live plan (Dynamics' territories as loaded) is built once every page is loaded and drawn, and again when the
 * territory names arrive, as long as nobody has touched it; an edited plan is carried over a reload instead.
 */
import { formatMeasure, pinDetails } from "./pinDetails";
import type { Rep, Territory } from "../../domain/accounts";
import type { TerritoryColors } from "../../domain/palette";
import {
  assignRep,
  baselineOf,
  buildAccountTable,
  deleteTerritory,
  fromDraft,
  moveAccounts,
  planFromLiveState,
  renameTerritory,
  setParent,
  territoryBounds,
  toDraft,
  treeFindings,
  type TreeFinding,
  type AccountTable,
  type LiveTerritories,
  type WorkingPlan,
} from "../../domain/workspace";
import type { AccountBaseline } from "../../domain/drafts/model";
import { formatTemplate } from "../../domain/text";
import type { PlanLoader } from "../loading/PlanLoader";
import type { MeasureRole, MeasureRoles } from "../settings";
import type { MapPort, PinDetails, PlanColoring } from "../ports/map";
import type { Translate } from "../ports";
import { Store } from "../store";

/** A message under the card (what the last command did, or why it could not). */
export interface Notice {
  intent: "success" | "info" | "warning" | "error";
  text: string;
  /** Stable hook for tests and the benchmarks. */
  testId: string;
  /** Figures the message is about (rendered as data-* attributes). */
  data?: Record<string, string | number>;
}

export interface PlanState {
  /** null until every page is loaded and drawn. */
  plan: WorkingPlan | null;
  /** The territory selected in the card (key), or null. */
  selectedKey: string | null;
  /** A command is running (saving, replotting…): commands that change the plan wait. */
  busy: boolean;
  notice: Notice | null;
  /** Revision of the plan the map shows (-1 before the first). */
  mapRevision: number;
}

export class PlanSession extends Store<PlanState> {
  private table: AccountTable | null = null;
  private builtFor: string | null = null;
  /** The map told how to describe pins (setPinDescriber), once per map. */
  private describedMap: MapPort | null = null;
  private liveBuiltFrom: { table: AccountTable; territories: readonly Territory[] } | null = null;
  /** Each account's Dynamics territory as loaded (updated after a publish): the baseline every saved draft records. */
  private live: { table: AccountTable; live: LiveTerritories } | null = null;
  /** Each account's Dynamics territory as loaded (the live plan is built from these). */
  private loadedTerritoryIds: readonly (string | null)[] = [];
  private repNames = new Map<string, string>();
  private repsFrom: readonly Rep[] | null = null;
  private readonly unsubscribe: () => void;

  public constructor(
    private readonly loader: PlanLoader,
    private readonly colors: TerritoryColors,
    private readonly roles: MeasureRoles,
    public readonly t: Translate,
  ) {
    super({ plan: null, selectedKey: null, busy: false, notice: null, mapRevision: -1 });
    this.unsubscribe = loader.subscribe(() => this.onLoaderChange());
    this.onLoaderChange();
  }

  public dispose(): void {
    this.unsubscribe();
  }

  // ---------------------------------------------------------------- reading

  public get plan(): WorkingPlan | null {
    return this.get().plan;
  }

  public get reps(): readonly Rep[] {
    return this.loader.get().reps;
  }

  public get territories(): readonly Territory[] {
    return this.loader.get().territories;
  }

  /** The measure column that plays `role` (from the control's settings), or null when none does. */
  public measureColumn(role: MeasureRole): string | null {
    const column = this.roles[role];
    return column && this.loader.measureColumns().includes(column) ? column : null;
  }

  /** Position of the measure that plays `role` among the loaded measures, or null. */
  public measureIndex(role: MeasureRole): number | null {
    const column = this.measureColumn(role);
    return column === null ? null : this.loader.measureColumns().indexOf(column);
  }

  /** A rep's full name (their id when unknown). */
  public readonly repName = (id: string): string => {
    const reps = this.loader.get().reps;
    if (reps !== this.repsFrom) {
      this.repsFrom = reps;
      this.repNames = new Map(reps.map((r) => [r.id.toLowerCase(), r.fullName]));
    }
    return this.repNames.get(id.toLowerCase()) ?? id;
  };

  /** An account's name (its id when unknown). */
  public readonly accountName = (id: string): string => {
    const table = this.get().plan?.table;
    const i = table?.index.get(id);
    return i === undefined || !table ? id : table.names[i] || id;
  };

  /** Name of a territory key of the current plan (null = unassigned). */
  public territoryName(key: string | null): string {
    if (key === null) return this.t("Territories_Unassigned");
    return this.get().plan?.territories.find((x) => x.key === key)?.name ?? key;
  }

  /** The draft baseline: each account's Dynamics territory when the plan was loaded (or last published). */
  public baselineFor(plan: WorkingPlan): AccountBaseline | null {
    return this.live && this.live.table === plan.table ? baselineOf(plan, this.live.live) : null;
  }

  /** The live territories the baseline comes from (publishing replaces them with what it wrote). */
  public liveTerritories(plan: WorkingPlan): LiveTerritories | null {
    return this.live && this.live.table === plan.table ? this.live.live : null;
  }

  public setLiveTerritories(plan: WorkingPlan, live: LiveTerritories): void {
    this.live = { table: plan.table, live };
  }

  // ---------------------------------------------------------------- changing

  /**
   * Makes `next` the current plan and redraws the map for it: `changed` = the account positions whose territory
   * changed (only their map sources are rewritten), null = every account, "none" = nothing on the map changes.
   */
  public commit(next: WorkingPlan, changed: Int32Array | null | "none"): Promise<void> {
    this.set({ plan: next });
    if (changed === "none") return Promise.resolve();
    return this.syncMap(next, changed);
  }

  public select(key: string | null): void {
    this.set({ selectedKey: key });
  }

  /** Selects a territory from the list and shows where it lies on the map (a region: all of its territories). */
  public focus(key: string): void {
    this.select(key);
    const plan = this.get().plan;
    const map = this.loader.get().map;
    if (!plan || !map) return;
    const bounds = territoryBounds(plan, key);
    if (bounds) map.zoomTo(bounds);
  }

  public notify(notice: Notice | null): void {
    this.set({ notice });
  }

  public setBusy(busy: boolean): void {
    this.set({ busy });
  }

  /** Moves accounts (by id) to a territory (null = unassigned). */
  public move(accountIds: readonly string[], toKey: string | null): void {
    const plan = this.get().plan;
    if (!plan) return;
    try {
      const r = moveAccounts(plan, accountIds, toKey);
      void this.commit(r.plan, r.changed);
      this.notify({
        intent: "success",
        text: formatTemplate(this.t("Move_Done"), r.changed.length, this.territoryName(toKey)),
        testId: "move-info",
        data: { moved: r.changed.length },
      });
    } catch (e) {
      this.notify({ intent: "error", text: e instanceof Error ? e.message : String(e), testId: "move-error" });
    }
  }

  public rename(key: string, name: string): void {
    const plan = this.get().plan;
    if (plan) void this.commit(renameTerritory(plan, key, name), "none");
  }

  public assignRep(key: string, repId: string | null): void {
    const plan = this.get().plan;
    if (plan) void this.commit(assignRep(plan, key, repId), "none");
  }

  /** Names a territory, puts it under a region (null = top level) and gives it a rep, as one change. */
  public describe(key: string, change: { name: string; parentKey: string | null; repId: string | null }): void {
    const plan = this.get().plan;
    if (!plan) return;
    try {
      const next = assignRep(setParent(renameTerritory(plan, key, change.name), key, change.parentKey), key, change.repId);
      void this.commit(next, "none");
    } catch (e) {
      this.notify({ intent: "error", text: e instanceof Error ? e.message : String(e), testId: "describe-error" });
    }
  }

  /** Deletes a territory; its accounts become unassigned. */
  public deleteTerritory(key: string): void {
    const plan = this.get().plan;
    const territory = plan?.territories.find((x) => x.key === key);
    if (!plan || !territory) return;
    const r = deleteTerritory(plan, key);
    this.set({ selectedKey: null });
    void this.commit(r.plan, null);
    this.notify({
      intent: "info",
      text: formatTemplate(this.t("Delete_Done"), territory.name, r.unassigned),
      testId: "delete-info",
      data: { unassigned: r.unassigned },
    });
  }

  // ---------------------------------------------------------------- the account table and the live plan

  /** An account's popup details from the current plan (null before there is one). */
  public readonly describePin = (accountId: string, ownerId: string | null): PinDetails | null => {
    const plan = this.get().plan;
    return plan
      ? pinDetails(plan, accountId, ownerId, {
          repName: this.repName,
          knownUserName: (userId) => {
            const name = this.repName(userId);
            return name === userId ? null : name;
          },
          unassigned: this.t("Territories_Unassigned"),
          unassignedColor: "#8a8a8a",
          formatValue: formatMeasure,
        })
      : null;
  };

  private onLoaderChange(): void {
    const { load, loadKey, territories, map } = this.loader.get();
    if (map && map !== this.describedMap) {
      this.describedMap = map;
      map.setPinDescriber(this.describePin);
    }
    if (load.status !== "done") return;
    if (this.builtFor !== loadKey || !this.table) {
      this.builtFor = loadKey;
      this.buildTable();
    }
    const table = this.table;
    if (!table) return;
    const current = this.get().plan;
    const edited = !!current && (current.source !== null || current.dirty);
    if (current && edited) {
      if (current.table === table) return;
      // The accounts were loaded again (Retry, scope): carry the edited plan over instead of dropping it.
      const carried = fromDraft(table, toDraft(current), { saved: !!current.source?.draftId, fromDrafts: current.source?.fromDrafts });
      void this.commit({ ...carried.plan, dirty: current.dirty || carried.plan.dirty }, null);
      return;
    }
    // The live state is (re)built while nobody has touched it, e.g. when territory names arrive after the accounts.
    const last = this.liveBuiltFrom;
    if (current && last && last.table === table && last.territories === territories) return;
    this.liveBuiltFrom = { table, territories };
    const plan = planFromLiveState(
      table,
      territories,
      this.loadedTerritoryIds,
      (id) => this.colors.colorOf(id),
      () => this.t("Territories_Unknown"),
    );
    const findings = territories.length > 0 ? treeFindings(plan) : [];
    this.set({ plan, ...(findings.length > 0 ? { notice: this.treeNotice(findings) } : {}) });
  }

  /** The tree findings of the live plan as one notice (the plan stays usable). */
  private treeNotice(findings: readonly TreeFinding[]): Notice {
    const list = (names: readonly string[]) => (names.length > 5 ? `${names.slice(0, 5).join(", ")}, …` : names.join(", "));
    const text: string[] = [];
    const held: string[] = [];
    for (const f of findings) {
      switch (f.kind) {
        case "cycle":
          text.push(formatTemplate(this.t("Tree_Cycle"), f.territory));
          break;
        case "missing-parent":
          text.push(formatTemplate(this.t("Tree_MissingParent"), f.territory));
          break;
        case "rep-of-several":
          text.push(formatTemplate(this.t("Tree_RepOfSeveral"), this.repName(f.repId), f.territories.length, list(f.territories)));
          break;
        case "no-rep":
          text.push(formatTemplate(this.t("Tree_NoRep"), f.territories.length, list(f.territories)));
          break;
        case "held-by-parent":
          held.push(formatTemplate(this.t("Tree_HeldByParentItem"), f.territory, f.accounts.toLocaleString()));
          break;
      }
    }
    if (held.length > 0) text.push(formatTemplate(this.t("Tree_HeldByParent"), held.length, held.join(", ")));
    const serious = findings.some((f) => f.kind === "cycle" || f.kind === "missing-parent");
    return {
      intent: serious ? "warning" : "info",
      text: text.join(" "),
      testId: "tree-findings",
      data: { findings: findings.length },
    };
  }

  private buildTable(): void {
    const accounts = this.loader.accounts();
    const table = buildAccountTable(accounts, this.loader.measureColumns());
    const byId = new Map<string, string | null>();
    for (const a of accounts) byId.set(a.id.toLowerCase(), a.territoryId);
    this.table = table;
    this.loadedTerritoryIds = table.ids.map((id) => byId.get(id) ?? null);
    this.live = { table, live: { territoryIds: this.loadedTerritoryIds, takenOn: new Date().toISOString() } };
  }

  private async syncMap(next: WorkingPlan, changed: Int32Array | null): Promise<void> {
    const map = this.loader.get().map;
    if (!map) {
      this.set({ mapRevision: next.revision });
      return;
    }
    const coloring: PlanColoring = {
      territoryOf: (id) => {
        const p = this.get().plan ?? next;
        const i = p.table.index.get(id);
        return i === undefined ? -1 : p.assignment[i];
      },
      colors: next.territories.map((x) => x.color),
    };
    const t = next.table;
    await map.applyPlan(coloring, changed ? Array.from(changed, (i) => t.ids[i]) : null);
    this.set({ mapRevision: next.revision });
  }
}
