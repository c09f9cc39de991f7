/**
 * Server-side publish for large orgs: a tmap_plan whose status is set to Publishing is published by the publish
 * engine (`publishPlan`, dataverse/publish) under the requesting user's privileges (impersonation).
 * The engine sets Publishing itself and keeps a publish log; its own status change comes back through the webhook,
 * so a run is skipped while this process runs one for the plan or a Running log was touched recently (another
 * instance). A crashed run leaves the log Running; once it is older than `staleMs` the next delivery resumes it
 * (publishPlan resumes interrupted publishes and writes only what is missing).
 * The webhook answers within `answerWithinMs` (Dataverse waits 60 s): a longer publish continues in the background.
 */
import type { DataverseHttpClient } from "../../../dataverse/client/DataverseHttpClient";
import { publishPlan, PublishLogStatus, type ConflictPolicy, type PublishResult } from "../../../dataverse/publish";

export type ServerPublishResult =
  | {
      status: "published";
      planId: string;
      result: Pick<PublishResult, "status" | "logId" | "written" | "message" | "durationMs" | "requests">;
    }
  | { status: "publishing"; planId: string; reason: string }
  | { status: "skipped"; planId: string; reason: string };

export class ServerPublisher {
  private readonly running = new Map<string, Promise<PublishResult>>();

  public constructor(
    private readonly options: {
      conflictPolicy?: ConflictPolicy;
      staleMs?: number;
      answerWithinMs?: number;
      now?: () => number;
      onDone?: (planId: string, result: PublishResult | Error) => void;
    } = {},
  ) {}

  public async publish(client: DataverseHttpClient, planId: string, requestedBy: string): Promise<ServerPublishResult> {
    if (this.running.has(planId)) return { status: "skipped", planId, reason: "publish-running-here" };
    const now = this.options.now ?? Date.now;
    const logs = await client.retrieveMultiple(
      "tmap_publishlogs",
      {
        select: ["tmap_publishlogid", "modifiedon"],
        filter: `_tmap_planid_value eq ${planId} and tmap_status eq ${PublishLogStatus.Running}`,
        orderby: "modifiedon desc",
        top: 1,
      },
      { includeAnnotations: "" },
    );
    const last = logs.value[0];
    if (last && now() - Date.parse(String(last.modifiedon)) < (this.options.staleMs ?? 120_000)) {
      return { status: "skipped", planId, reason: "publish-running-elsewhere" };
    }
    const run = publishPlan({ client, planId, userId: requestedBy, impersonate: true, conflictPolicy: this.options.conflictPolicy });
    this.running.set(planId, run);
    run
      .then(
        (r) => this.options.onDone?.(planId, r),
        (e: unknown) => this.options.onDone?.(planId, e instanceof Error ? e : new Error(String(e))),
      )
      .finally(() => this.running.delete(planId));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.options.answerWithinMs ?? 45_000);
    });
    try {
      const r = await Promise.race([run, timeout]);
      if (r === "timeout") return { status: "publishing", planId, reason: "continues in the background" };
      return {
        status: "published",
        planId,
        result: {
          status: r.status,
          logId: r.logId,
          written: r.written,
          message: r.message,
          durationMs: r.durationMs,
          requests: r.requests,
        },
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Resolves when every run of this process has finished (tests, shutdown). */
  public async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
