/**
 * Server-side publish for large orgs: a tmap_plan a user sets to Publishing is published by the publish engine
 * (`publishPlan`, dataverse/publish) under that user's privileges (impersonation).
 *
 * The delivery is a hint, never the truth. For each one the handler:
 *  1. re-reads the plan (status, row version, modifiedby) and acts only if it is Publishing in Dataverse;
 *  2. trusts the delivery's user only when it is the plan's `modifiedby` (the user who set it to Publishing);
 *     otherwise the delivery is refused (403) and the plan is left as it is;
 *  3. skips the delivery while another publish of the plan is running (a Running log touched within `staleMs`: the
 *     control publishing, or another instance), else claims the plan's row version durably in Dataverse: a publish log with an id derived from plan id + row
 *     version, created with `If-None-Match: *`. A second delivery for the same version (a replay, a retry, another
 *     instance) gets 412 and is refused (409) — unless the claim is a Running log untouched for `staleMs` (a crashed
 *     run: a live run touches it every `heartbeatMs`), which is taken over with its etag and resumed;
 *  4. runs publishPlan as that user (impersonated): privileges are checked with their depth before anything is written;
 *  5. when the publish is refused (privileges, conflicts, an invalid or damaged plan) or fails, sets the plan back to
 *     Draft (Partially published when records were written) with the reason on the publish log (`tmap_message`),
 *     logs one warning or error, and answers with what happened (403 / 409 / 422 / 500), never 200 "published".
 * The engine leaves an already-Publishing plan's row alone while it runs, so the row version stays the claimed one.
 * The webhook answers within `answerWithinMs` (Dataverse waits 60 s): a longer publish continues in the background
 * and does the same bookkeeping when it ends.
 */
import { DataverseError, type DataverseHttpClient, type EntityRecord } from "../../../dataverse/client/DataverseHttpClient";
import { PlanStatusValue } from "../../../dataverse/drafts/DraftRepository";
import { publishPlan, PublishError, PublishLogStatus, type ConflictPolicy, type PublishResult } from "../../../dataverse/publish";
import { uuidv5 } from "../../../TerritoryMapControl/domain/publish/uuid";

/** Namespace of the ids of the publish logs that claim a plan version. */
export const CLAIM_NAMESPACE = "0b6a9e51-3c2f-5d4e-8a17-6f9d2c4b7e03";

/** The publish log id that claims version `rowVersion` of plan `planId` (the same on every instance). */
export function claimLogId(planId: string, rowVersion: string): string {
  return uuidv5(`tmap-publish-claim:${planId.toLowerCase()}:${rowVersion}`, CLAIM_NAMESPACE);
}

export type RefusalReason = "delivery-user-mismatch" | "forbidden" | "conflicts" | "invalid" | "not-publishable" | "failed";

export type ServerPublishResult =
  | {
      status: "published" | "partial";
      planId: string;
      logId: string;
      result: Pick<PublishResult, "status" | "logId" | "written" | "message" | "durationMs" | "requests">;
    }
  | { status: "publishing"; planId: string; logId: string; reason: string }
  | { status: "skipped"; planId: string; reason: string; planStatus?: number }
  | { status: "duplicate"; planId: string; reason: string; logId: string }
  | {
      status: "refused";
      planId: string;
      reason: RefusalReason;
      message: string;
      /** The plan's status after the refusal (Draft, Partially published, or unchanged for a foreign delivery). */
      planStatus: number | null;
      logId: string | null;
    };

/** The HTTP status a server-side publish answers with. */
export function publishHttpStatus(r: ServerPublishResult): number {
  switch (r.status) {
    case "published":
    case "partial":
    case "skipped":
      return 200;
    case "publishing":
      return 202;
    case "duplicate":
      return 409;
    case "refused":
      return r.reason === "delivery-user-mismatch" || r.reason === "forbidden"
        ? 403
        : r.reason === "conflicts"
          ? 409
          : r.reason === "failed"
            ? 500
            : 422;
  }
}

export interface PublishDelivery {
  planId: string;
  /** The context's UserId: whom the delivery says made the change. Trusted only if it is the plan's modifiedby. */
  userId: string;
}

export type PublishLog = (level: "info" | "warn" | "error", message: string, data?: Record<string, unknown>) => void;

export class ServerPublisher {
  private readonly running = new Map<string, Promise<ServerPublishResult>>();

  public constructor(
    private readonly options: {
      conflictPolicy?: ConflictPolicy;
      staleMs?: number;
      /** How often a running publish touches its claim so no other instance takes it over (default staleMs / 4). */
      heartbeatMs?: number;
      answerWithinMs?: number;
      now?: () => number;
      log?: PublishLog;
      onDone?: (planId: string, result: ServerPublishResult) => void;
    } = {},
  ) {}

  public async publish(client: DataverseHttpClient, delivery: PublishDelivery): Promise<ServerPublishResult> {
    const planId = delivery.planId.toLowerCase();
    if (this.running.has(planId)) return { status: "skipped", planId, reason: "publish-running-here" };
    // 1. The plan as stored.
    let plan: EntityRecord;
    try {
      plan = await client.retrieve(
        "tmap_plans",
        planId,
        { select: ["tmap_name", "tmap_status", "tmap_version", "versionnumber", "_modifiedby_value", "_ownerid_value"] },
        { includeAnnotations: "" },
      );
    } catch (e) {
      if (e instanceof DataverseError && e.status === 404) return { status: "skipped", planId, reason: "plan-deleted" };
      throw e;
    }
    const status = Number(plan.tmap_status);
    if (status !== PlanStatusValue.Publishing) return { status: "skipped", planId, reason: "plan-not-publishing", planStatus: status };
    // 2. Whose request it is: the user who last modified the plan, and the delivery must say the same.
    const requester = lower(plan._modifiedby_value);
    const claimed = delivery.userId.toLowerCase();
    if (!requester || requester !== claimed) {
      const message = `The delivery names user ${claimed}, but the plan was last changed by ${requester ?? "nobody known"}: refused, nothing done.`;
      this.log("warn", "server-side publish refused: the delivery's user did not set the plan to Publishing", {
        planId,
        claimed,
        requester,
      });
      return { status: "refused", planId, reason: "delivery-user-mismatch", message, planStatus: status, logId: null };
    }
    // 3. Claim this version of the plan, durably — unless a publish of it is running elsewhere (the control, which
    //    sets Publishing itself, or another instance on an earlier version): its Running log was touched recently.
    const rowVersion = String(plan.versionnumber ?? "");
    const logId = claimLogId(planId, rowVersion);
    if (await this.runningElsewhere(client, planId, logId)) return { status: "skipped", planId, reason: "publish-running-elsewhere" };
    const claim = await this.claim(client, planId, logId, requester, String(plan.tmap_name ?? ""));
    if (claim !== "claimed") return { status: "duplicate", planId, logId, reason: claim };
    // 4. Publish as the user; 5. bookkeeping of refusals and failures.
    const run = this.run(client, planId, logId, requester);
    this.running.set(planId, run);
    void run.then((r) => this.options.onDone?.(planId, r)).finally(() => this.running.delete(planId));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.options.answerWithinMs ?? 45_000);
    });
    try {
      const r = await Promise.race([run, timeout]);
      if (r === "timeout") return { status: "publishing", planId, logId, reason: "continues in the background" };
      return r;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Resolves when every run of this process has finished (tests, shutdown). */
  public async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private log(level: "info" | "warn" | "error", message: string, data?: Record<string, unknown>): void {
    this.options.log?.(level, message, data);
  }

  /** True when another Running publish log of the plan (not `claimId`) was touched within staleMs. */
  private async runningElsewhere(client: DataverseHttpClient, planId: string, claimId: string): Promise<boolean> {
    const now = this.options.now ?? Date.now;
    const logs = await client.retrieveMultiple(
      "tmap_publishlogs",
      {
        select: ["tmap_publishlogid", "modifiedon"],
        filter: `_tmap_planid_value eq ${planId} and tmap_status eq ${PublishLogStatus.Running} and tmap_publishlogid ne ${claimId}`,
        orderby: "modifiedon desc",
        top: 1,
      },
      { includeAnnotations: "" },
    );
    const last = logs.value[0];
    return !!last && now() - Date.parse(String(last.modifiedon)) < (this.options.staleMs ?? 120_000);
  }

  /** "claimed", or why this delivery's version is already handled. */
  private async claim(client: DataverseHttpClient, planId: string, logId: string, requester: string, planName: string): Promise<string> {
    const now = this.options.now ?? Date.now;
    try {
      await client.send({
        method: "PATCH",
        url: `tmap_publishlogs(${logId})`,
        headers: { "If-None-Match": "*" },
        idempotent: false,
        body: JSON.stringify({
          tmap_name: `${planName.slice(0, 150)} · ${new Date(now()).toISOString().slice(0, 16).replace("T", " ")}`,
          "tmap_planid@odata.bind": `/tmap_plans(${planId})`,
          "tmap_requestedby@odata.bind": `/systemusers(${requester})`,
          // Owned by the requester, so the publish (run as them) may update its own log at User level.
          "ownerid@odata.bind": `/systemusers(${requester})`,
          tmap_startedon: new Date(now()).toISOString(),
          tmap_status: PublishLogStatus.Running,
        }),
      });
      return "claimed";
    } catch (e) {
      if (!(e instanceof DataverseError) || e.status !== 412) throw e;
    }
    // The version was claimed before: a replay, unless that run crashed (Running, untouched for staleMs).
    const log = await client.retrieve("tmap_publishlogs", logId, { select: ["tmap_status", "modifiedon"] }, { includeAnnotations: "" });
    const stale = now() - Date.parse(String(log.modifiedon)) >= (this.options.staleMs ?? 120_000);
    if (Number(log.tmap_status) !== PublishLogStatus.Running || !stale) return "plan-version-already-handled";
    try {
      await client.send({
        method: "PATCH",
        url: `tmap_publishlogs(${logId})`,
        headers: { "If-Match": String(log["@odata.etag"] ?? "*") },
        idempotent: false,
        body: JSON.stringify({ tmap_status: PublishLogStatus.Running }),
      });
      return "claimed";
    } catch (e) {
      if (e instanceof DataverseError && e.status === 412) return "plan-version-already-handled";
      throw e;
    }
  }

  /**
   * Touches a Running claim (with its etag, so a log the engine has just finished is never set back to Running): a
   * long publish keeps its claim fresh and is not taken over as crashed.
   */
  private async heartbeat(client: DataverseHttpClient, logId: string): Promise<void> {
    try {
      const log = await client.retrieve("tmap_publishlogs", logId, { select: ["tmap_status"] }, { includeAnnotations: "" });
      if (Number(log.tmap_status) !== PublishLogStatus.Running) return;
      await client.send({
        method: "PATCH",
        url: `tmap_publishlogs(${logId})`,
        headers: { "If-Match": String(log["@odata.etag"] ?? "") },
        idempotent: false,
        body: JSON.stringify({ tmap_status: PublishLogStatus.Running }),
      });
    } catch {
      // a missed beat only shortens the time before another instance may take the claim over
    }
  }

  private async run(client: DataverseHttpClient, planId: string, logId: string, requester: string): Promise<ServerPublishResult> {
    const every = this.options.heartbeatMs ?? (this.options.staleMs ?? 120_000) / 4;
    const beat = setInterval(() => void this.heartbeat(client, logId), every);
    try {
      return await this.publishAndRecord(client, planId, logId, requester);
    } finally {
      clearInterval(beat);
    }
  }

  private async publishAndRecord(
    client: DataverseHttpClient,
    planId: string,
    logId: string,
    requester: string,
  ): Promise<ServerPublishResult> {
    let r: PublishResult;
    try {
      r = await publishPlan({ client, planId, userId: requester, impersonate: true, conflictPolicy: this.options.conflictPolicy });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const reason: RefusalReason = e instanceof PublishError && e.kind !== "read-failed" ? "not-publishable" : "failed";
      return this.refuse(client, planId, logId, reason, message, false);
    }
    switch (r.status) {
      case "published":
      case "partial":
      case "nothing-to-do": {
        if (r.status === "partial")
          this.log("warn", "server-side publish partially published", { planId, failed: r.failures.length, written: r.written.accounts });
        else this.log("info", "server-side publish finished", { planId, accounts: r.written.accounts });
        const summary = {
          status: r.status,
          logId: r.logId,
          written: r.written,
          message: r.message,
          durationMs: r.durationMs,
          requests: r.requests,
        };
        return { status: r.status === "partial" ? "partial" : "published", planId, logId: r.logId ?? logId, result: summary };
      }
      case "forbidden":
        return this.refuse(client, planId, logId, "forbidden", r.message ?? "The user's privileges do not allow this publish.", false);
      case "conflicts":
        return this.refuse(
          client,
          planId,
          logId,
          "conflicts",
          `${r.message ?? "Undecided conflicts."} Set TMAP_PUBLISH_CONFLICTS to overwrite or keep, or publish from the control.`,
          false,
        );
      case "invalid":
        return this.refuse(client, planId, logId, "invalid", r.message ?? "The plan cannot be published.", false);
      default: {
        const wrote = r.written.accounts + r.written.territoriesCreated + r.written.territoriesUpdated > 0;
        return this.refuse(client, planId, logId, "failed", r.message ?? `The publish ended as ${r.status}.`, wrote);
      }
    }
  }

  /** The plan back to Draft (Partially published when records were written), the reason on the log, one log line. */
  private async refuse(
    client: DataverseHttpClient,
    planId: string,
    logId: string,
    reason: RefusalReason,
    message: string,
    wrote: boolean,
  ): Promise<ServerPublishResult> {
    const planStatus = wrote ? PlanStatusValue.PartiallyPublished : PlanStatusValue.Draft;
    const now = this.options.now ?? Date.now;
    let bookkept = true;
    try {
      await client.send({
        method: "PATCH",
        url: `tmap_publishlogs(${logId})`,
        headers: { "If-Match": "*" },
        idempotent: true,
        body: JSON.stringify({
          tmap_status: PublishLogStatus.Failed,
          tmap_finishedon: new Date(now()).toISOString(),
          tmap_message: message.slice(0, 4000),
        }),
      });
      await client.send({
        method: "PATCH",
        url: `tmap_plans(${planId})`,
        headers: { "If-Match": "*" },
        idempotent: true,
        body: JSON.stringify({ tmap_status: planStatus }),
      });
    } catch (e) {
      bookkept = false;
      this.log("error", "server-side publish refused, and the plan could not be set back", {
        planId,
        reason,
        message,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    if (bookkept) this.log(reason === "failed" ? "error" : "warn", "server-side publish refused", { planId, reason, message });
    return { status: "refused", planId, reason, message, planStatus: bookkept ? planStatus : null, logId };
  }
}

function lower(v: unknown): string | null {
  return v == null || v === "" ? null : String(v).toLowerCase();
}
