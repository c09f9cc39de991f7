/**
 * The planning layer: everything a manager can do with Territory Map, in plain TypeScript. Views render its state
 * and call its commands; it reaches the outside only through ports (`app/ports`). One session per control.
 *
 * - `loader`   opening the plan: accounts page by page, territories, reps, the map key (app/loading)
 * - `plan`     the working plan and the card's edits: select, move, rename, assign rep, delete (app/plan)
 * - `drafts`   save as draft, overwrite, save as new draft, retry, conflicts, By Territory replot (app/drafts)
 * - `compare`  two drafts side by side (app/compare)
 * - `publish`  publish a saved draft to Dynamics (app/publish)
 * - `exports`  CSV, GeoJSON and KML files (app/export)
 * - `design`   map tools, auto-balance, runtime changes, postal codes (app/design)
 * - `form`     on a Plan form: the plan to open and the bound column to write (app/form)
 */
import { TerritoryColors } from "../domain/palette";
import { CompareCommands } from "./compare/CompareCommands";
import { DesignSession } from "./design/DesignSession";
import { DraftCommands } from "./drafts/DraftCommands";
import { ExportCommands } from "./export/ExportCommands";
import { PlanFormBinding } from "./form/PlanFormBinding";
import { PlanLoader, type LoadSettings } from "./loading/PlanLoader";
import { PlanSession } from "./plan/PlanSession";
import type { AccountRepository, BalancerClient, DraftRepository, FileSink, NavigationPort, PublishingPort, Translate } from "./ports";
import { formatTemplate } from "../domain/text";
import { PublishCommands } from "./publish/PublishCommands";
import type { MeasureRoles } from "./settings";

/** The outside systems, as the composition root (index.ts) or a test wires them. */
export interface PlanningPorts {
  accounts: AccountRepository;
  drafts: DraftRepository;
  /** Absent where the organisation's Web API cannot be reached for publishing (Publish stays disabled). */
  publishing?: PublishingPort;
  /** Starts the balancing engine (a Web Worker in the product); called when a dialog first needs it. */
  createBalancer: () => BalancerClient;
  files: FileSink;
  /** Opens Dynamics records (an account's form from its map popup). */
  navigation: NavigationPort;
}

export interface PlanningSettings extends LoadSettings {
  measureRoles: MeasureRoles;
}

export class TerritoryMapSession {
  /** Territory colours shared by the map and the card. */
  public readonly colors = new TerritoryColors();
  public readonly loader: PlanLoader;
  public readonly plan: PlanSession;
  public readonly drafts: DraftCommands;
  public readonly compare: CompareCommands;
  public readonly publish: PublishCommands;
  public readonly exports: ExportCommands;
  public readonly design: DesignSession;
  public readonly form: PlanFormBinding;
  private started = false;
  private readonly navigation: NavigationPort;

  public constructor(
    ports: PlanningPorts,
    settings: PlanningSettings,
    public readonly t: Translate,
    /** Called when the control has a new value for the form's bound column (PCF notifyOutputChanged). */
    onOutput?: () => void,
  ) {
    this.loader = new PlanLoader(ports.accounts, settings, this.colors);
    this.plan = new PlanSession(this.loader, this.colors, settings.measureRoles, t);
    this.drafts = new DraftCommands(this.plan, ports.drafts);
    this.compare = new CompareCommands(this.plan, this.loader, ports.drafts);
    this.publish = new PublishCommands(this.plan, this.loader, this.drafts, ports.publishing);
    this.exports = new ExportCommands(this.plan, ports.files);
    this.design = new DesignSession(this.plan, this.loader, ports.createBalancer);
    this.form = new PlanFormBinding(this.loader, this.plan, this.drafts, onOutput);
    this.navigation = ports.navigation;
  }

  /** Opens the account's form in Dynamics (from its map popup); a refusal becomes a notice on the card. */
  public readonly openAccount = (accountId: string): void => {
    this.navigation.openForm({ entityName: "account", entityId: accountId }).catch((e: unknown) => {
      const reason = e instanceof Error ? e.message : typeof e === "object" && e && "message" in e ? String(e.message) : String(e);
      this.plan.notify({
        intent: "error",
        text: formatTemplate(this.t("Popup_OpenFailed"), this.plan.accountName(accountId), reason),
        testId: "open-record-error",
        data: { account: accountId, reason },
      });
    });
  };

  /** Starts loading (once). */
  public start(): void {
    if (this.started) return;
    this.started = true;
    this.loader.start();
    this.publish.start();
  }

  /** New settings from the host (e.g. the form's properties changed): reloads what they change. */
  public updateSettings(settings: PlanningSettings): void {
    this.loader.updateSettings(settings);
  }

  public dispose(): void {
    this.form.dispose();
    this.design.dispose();
    this.plan.dispose();
    this.loader.dispose();
  }
}
