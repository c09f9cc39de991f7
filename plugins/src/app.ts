/**
 * The webhook application, independent of the host: Azure Functions (functions.ts) and the local Node server
 * (server.ts) both call `handle(request)`.
 *
 * Order of checks: POST only → authenticated (constant-time check of the key header, else 401 and nothing done; the
 * hosts check it before reading the body) → payload valid
 * (else 400) → no loop (Depth > 1, or the handlers' own user initiated the change → skipped) → one effect per
 * delivery (OperationId + step + record) → route by table and message. Transient Dataverse failures answer 503 so
 * Dataverse retries; the retry is safe (idempotent by delivery and by state).
 */
import { DataverseError, type DataverseHttpClient } from "../../dataverse/client/DataverseHttpClient";
import { PlanStatusValue } from "../../dataverse/drafts/DraftRepository";
import type { HandlerConfig } from "./config";
import { assignAccount, RULE_COLUMNS } from "./handlers/assign";
import { DriftMonitor } from "./handlers/drift";
import { publishHttpStatus, ServerPublisher, type ServerPublishResult } from "./handlers/publish";
import { proposeForDepartedRep } from "./handlers/repLeaves";
import { PublishedPlanSource } from "./plan/PublishedPlanSource";
import { authenticate, unauthorizedMessage } from "./webhook/auth";
import { parseRemoteExecutionContext, PayloadError, targetAttributes, type RemoteExecutionContext } from "./webhook/context";
import { DeliveryLedger } from "./webhook/idempotency";

export interface WebhookRequest {
  method: string;
  /** Query string without "?". */
  query: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Header Dataverse sets when the context exceeded 256 KB (InputParameters and images are then left out). */
export const SIZE_EXCEEDED_HEADER = "x-ms-dynamics-msg-size-exceeded";

/**
 * Server-side publish, run when a delivery says a plan's status became Publishing (default: ServerPublisher, which
 * re-reads the plan and trusts `userId` only when it is the plan's modifiedby).
 */
export type PublishRunner = (args: { client: DataverseHttpClient; planId: string; userId: string }) => Promise<ServerPublishResult>;

export interface HandlerAppOptions {
  config: HandlerConfig;
  client: DataverseHttpClient;
  publish?: PublishRunner;
  log?: (level: "info" | "warn" | "error", message: string, data?: Record<string, unknown>) => void;
}

export interface HandlerApp {
  handle(request: WebhookRequest): Promise<WebhookResponse>;
  /** The scheduled drift check. */
  runDrift(): ReturnType<DriftMonitor["run"]>;
  readonly plans: PublishedPlanSource;
  readonly drift: DriftMonitor;
  readonly publisher: ServerPublisher;
  close(): void;
}

function error(status: number, code: string, message: string): WebhookResponse {
  return { status, body: { error: { code, message } } };
}

function transient(e: unknown): boolean {
  return e instanceof DataverseError && (e.status === 0 || e.status === 429 || e.status >= 500);
}

export function createHandlerApp(options: HandlerAppOptions): HandlerApp {
  const { config, client } = options;
  const log = options.log ?? (() => undefined);
  const plans = new PublishedPlanSource(client, config.planCheckMs);
  const drift = new DriftMonitor(client, plans, {
    defaultThreshold: config.driftThreshold,
    defaultMeasures: config.driftMeasures,
    debounceMs: config.driftDebounceMs,
    onError: (e) => log("error", "drift check failed", { error: e instanceof Error ? e.message : String(e) }),
  });
  const ledger = new DeliveryLedger<WebhookResponse>();
  const publisher = new ServerPublisher({
    conflictPolicy: config.publishConflictPolicy,
    log,
    onDone: () => {
      plans.invalidate();
      drift.schedule();
    },
  });
  const publish: PublishRunner = options.publish ?? (({ client: c, planId, userId }) => publisher.publish(c, { planId, userId }));
  let ownUser: Promise<string> | null = config.handlerUserId ? Promise.resolve(config.handlerUserId) : null;
  const ownUserId = (): Promise<string> => {
    if (!ownUser) {
      ownUser = client.whoAmI().then((w) => w.UserId.toLowerCase());
      ownUser.catch(() => {
        ownUser = null;
      });
    }
    return ownUser;
  };

  const route = async (ctx: RemoteExecutionContext, sizeExceeded: boolean): Promise<WebhookResponse> => {
    const message = ctx.MessageName;
    const attrs = targetAttributes(ctx);
    switch (ctx.PrimaryEntityName) {
      case "account": {
        if (message !== "Create" && message !== "Update") return { status: 200, body: { status: "ignored", reason: `account ${message}` } };
        if (message === "Update" && !sizeExceeded && ctx.target && !RULE_COLUMNS.some((c) => attrs.has(c))) {
          return { status: 200, body: { status: "skipped", reason: "no-rule-column-changed" } };
        }
        const result = await assignAccount(client, plans, ctx.PrimaryEntityId);
        if ((result.status === "assigned" || result.status === "unassigned") && result.changed) drift.schedule();
        if (result.status === "unassigned") log("info", "account unassigned", { accountId: result.accountId, reason: result.reason });
        return { status: 200, body: result };
      }
      case "systemuser": {
        if (message !== "Update") return { status: 200, body: { status: "ignored", reason: `systemuser ${message}` } };
        // With the context trimmed (size exceeded) or no isdisabled in Target, the handler reads the user itself.
        if (!sizeExceeded && ctx.target && attrs.has("isdisabled") && attrs.get("isdisabled") !== true) {
          return { status: 200, body: { status: "skipped", reason: "user-not-disabled" } };
        }
        if (!sizeExceeded && ctx.target && !attrs.has("isdisabled"))
          return { status: 200, body: { status: "skipped", reason: "isdisabled-not-changed" } };
        const result = await proposeForDepartedRep(client, plans, ctx.PrimaryEntityId, { timeLimitMs: config.repLeavesTimeLimitMs });
        return { status: 200, body: result };
      }
      case "tmap_plan":
      case "tmap_assignmentrule": {
        // Drop the cache when the change can touch the published plan: the cached plan itself, a plan becoming
        // Published / Archived, or a rule of the cached plan (a rule whose plan is not in the context counts).
        // Draft saves of other plans leave it (a newly published plan is found by the next probe anyway).
        const cachedId = plans.cachedPlanId();
        const status = Number(attrs.get("tmap_status"));
        const rulePlan = attrs.get("tmap_planid");
        const touches =
          ctx.PrimaryEntityName === "tmap_plan"
            ? sizeExceeded ||
              ctx.PrimaryEntityId === cachedId ||
              status === PlanStatusValue.Published ||
              status === PlanStatusValue.Archived
            : sizeExceeded || typeof rulePlan !== "string" || rulePlan === cachedId;
        if (touches) plans.invalidate();
        if (ctx.PrimaryEntityName === "tmap_plan" && (message === "Create" || message === "Update")) {
          // The payload's status only decides whether to look: the publisher re-reads the plan and acts on what is
          // stored (a forged or stale "Publishing" finds a Draft and does nothing).
          const status = attrs.get("tmap_status");
          const mayBePublishing =
            sizeExceeded || (message === "Update" && !attrs.has("tmap_status")) || Number(status) === PlanStatusValue.Publishing;
          if (mayBePublishing) {
            const published = await publish({ client, planId: ctx.PrimaryEntityId, userId: ctx.UserId });
            return { status: publishHttpStatus(published), body: published };
          }
          if (Number(status) === PlanStatusValue.Published) drift.schedule();
        }
        return { status: 200, body: { status: touches ? "plan-cache-invalidated" : "plan-cache-kept" } };
      }
      default:
        return { status: 200, body: { status: "ignored", reason: `no handler for ${ctx.PrimaryEntityName} ${message}` } };
    }
  };

  const handle = async (request: WebhookRequest): Promise<WebhookResponse> => {
    if (request.method.toUpperCase() !== "POST") return error(405, "MethodNotAllowed", "Dataverse webhooks POST a RemoteExecutionContext.");
    if (!authenticate({ headers: request.headers }, config.webhookKeys, config.webhookHeader)) {
      return error(401, "Unauthorized", unauthorizedMessage(request.query, config.webhookHeader));
    }
    let ctx: RemoteExecutionContext;
    try {
      ctx = parseRemoteExecutionContext(request.body);
    } catch (e) {
      if (e instanceof PayloadError) return error(400, "InvalidPayload", e.message);
      throw e;
    }
    const sizeExceeded = request.headers[SIZE_EXCEEDED_HEADER] !== undefined;
    if (ctx.Depth > 1) return { status: 200, body: { status: "skipped", reason: "depth", depth: ctx.Depth } };
    try {
      const own = await ownUserId();
      if (ctx.InitiatingUserId === own || ctx.UserId === own) return { status: 200, body: { status: "skipped", reason: "own-change" } };
    } catch (e) {
      return error(503, "DataverseUnavailable", `Could not identify the handlers' own user: ${e instanceof Error ? e.message : String(e)}`);
    }
    const key = `${ctx.OperationId ?? ctx.CorrelationId}|${ctx.OwningExtensionId ?? ""}|${ctx.PrimaryEntityName}|${ctx.PrimaryEntityId}|${ctx.MessageName}`;
    try {
      const { result, duplicate } = await ledger.run(key, () => route(ctx, sizeExceeded));
      return duplicate ? { status: result.status, body: { ...result.body, duplicate: true } } : result;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log("error", "webhook failed", { entity: ctx.PrimaryEntityName, message: ctx.MessageName, id: ctx.PrimaryEntityId, error: message });
      if (transient(e)) return error(503, "DataverseUnavailable", message);
      return error(500, "HandlerFailed", message);
    }
  };

  return { handle, runDrift: () => drift.run(), plans, drift, publisher, close: () => drift.cancel() };
}
