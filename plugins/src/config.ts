/**
 * Handler configuration from environment variables (Azure Functions application settings in Azure,
 * the shell locally). Secrets are read here once and never logged.
 *
 * | Variable | Meaning |
 * |---|---|
 * | TMAP_DATAVERSE_URL | Org URL (https://org.crm.dynamics.com) or Web API root; locally http://localhost:8080/api/data/v9.2/ |
 * | TMAP_TENANT_ID, TMAP_CLIENT_ID, TMAP_CLIENT_SECRET | App registration for OAuth client credentials (required unless the URL is localhost) |
 * | TMAP_WEBHOOK_KEY | Webhook key(s), comma-separated for rotation: `?code=<key>` or the header below |
 * | TMAP_WEBHOOK_HEADER | Header carrying the key for HttpHeader endpoints (default x-tmap-webhook-key) |
 * | TMAP_HANDLER_USER_ID | The handlers' own systemuser (default: WhoAmI); its changes never retrigger them |
 * | TMAP_LOCAL_CALLER_ID | Local stand-in only: sent as MSCRMCallerID so the stand-in attributes the handlers' writes to TMAP_HANDLER_USER_ID |
 * | TMAP_PLAN_CHECK_MS | How long a published-plan check is trusted (default 1000 ms; 0 = a probe per call); the probe runs off the request path |
 * | TMAP_DRIFT_DEBOUNCE_MS | Drift check after assignments, at most once per this many ms (default 30000) |
 * | TMAP_DRIFT_SCHEDULE | NCRONTAB of the scheduled drift check in Azure Functions (default every 30 minutes) |
 * | TMAP_DRIFT_THRESHOLD | Default relative threshold when the plan sets none (default 0.15) |
 * | TMAP_DRIFT_MEASURES | Measures compared (default accounts,revenue,tmap_workloadhours) |
 * | TMAP_PUBLISH_CONFLICTS | Server-side publish: stop (default: undecided conflicts stop the publish, nothing written), overwrite or keep |
 * | TMAP_REPLEAVES_TIME_LIMIT_MS | Balancing time budget for a rep-leaves proposal (default 20000; the webhook call has 60 s) |
 * | PORT | Local handler server port (default 7071) |
 */

export interface HandlerConfig {
  /** Web API root ending in /api/data/v9.2/. */
  apiUrl: string;
  /** Org origin (scope = `${orgUrl}/.default`). */
  orgUrl: string;
  /** True for http://localhost / 127.0.0.1: no token is requested. */
  local: boolean;
  tenantId: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  webhookKeys: string[];
  webhookHeader: string;
  handlerUserId: string | undefined;
  localCallerId: string | undefined;
  planCheckMs: number;
  driftDebounceMs: number;
  driftSchedule: string;
  driftThreshold: number;
  driftMeasures: string[];
  repLeavesTimeLimitMs: number;
  publishConflictPolicy: "overwrite" | "keep" | undefined;
  port: number;
}

export class ConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "ConfigError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name} must be a number ≥ ${min} (got "${raw}").`);
  return n;
}

/** Web API root and org origin from TMAP_DATAVERSE_URL (org URL or API root). */
export function parseDataverseUrl(raw: string): { apiUrl: string; orgUrl: string; local: boolean } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`TMAP_DATAVERSE_URL is not a URL: "${raw}".`);
  }
  const local = u.hostname === "localhost" || u.hostname === "127.0.0.1" || u.hostname === "::1" || u.hostname === "[::1]";
  if (u.protocol !== "https:" && !(local && u.protocol === "http:"))
    throw new ConfigError("TMAP_DATAVERSE_URL must use https (http only for localhost).");
  const path = u.pathname.replace(/\/+$/, "");
  const apiPath = /\/api\/data\/v\d+\.\d+$/.test(path) ? path : `${path}/api/data/v9.2`;
  return { apiUrl: `${u.origin}${apiPath}/`, orgUrl: u.origin, local };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HandlerConfig {
  const url = env.TMAP_DATAVERSE_URL;
  if (!url)
    throw new ConfigError(
      "TMAP_DATAVERSE_URL is not set (e.g. https://contoso.crm.dynamics.com, or http://localhost:8080/api/data/v9.2/ locally).",
    );
  const { apiUrl, orgUrl, local } = parseDataverseUrl(url);
  const keys = (env.TMAP_WEBHOOK_KEY ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  if (keys.length === 0) throw new ConfigError("TMAP_WEBHOOK_KEY is not set: the handlers refuse to run without a webhook key.");
  if (keys.some((k) => k.length < 16)) throw new ConfigError("TMAP_WEBHOOK_KEY: every key needs at least 16 characters.");
  const tenantId = env.TMAP_TENANT_ID || undefined;
  const clientId = env.TMAP_CLIENT_ID || undefined;
  const clientSecret = env.TMAP_CLIENT_SECRET || undefined;
  if (!local && (!tenantId || !clientId || !clientSecret)) {
    throw new ConfigError(
      "TMAP_TENANT_ID, TMAP_CLIENT_ID and TMAP_CLIENT_SECRET are required for a Dataverse environment (OAuth client credentials).",
    );
  }
  const handlerUserId = env.TMAP_HANDLER_USER_ID || undefined;
  if (handlerUserId && !GUID.test(handlerUserId)) throw new ConfigError("TMAP_HANDLER_USER_ID must be a GUID.");
  const localCallerId = env.TMAP_LOCAL_CALLER_ID || undefined;
  if (localCallerId && !GUID.test(localCallerId)) throw new ConfigError("TMAP_LOCAL_CALLER_ID must be a GUID.");
  const header = (env.TMAP_WEBHOOK_HEADER || "x-tmap-webhook-key").toLowerCase();
  if (!/^[a-z0-9-]+$/.test(header)) throw new ConfigError("TMAP_WEBHOOK_HEADER must be a header name.");
  const threshold = num(env, "TMAP_DRIFT_THRESHOLD", 0.15);
  const conflicts = (env.TMAP_PUBLISH_CONFLICTS || "stop").toLowerCase();
  if (!["stop", "overwrite", "keep"].includes(conflicts)) throw new ConfigError("TMAP_PUBLISH_CONFLICTS must be stop, overwrite or keep.");
  return {
    apiUrl,
    orgUrl,
    local,
    tenantId,
    clientId,
    clientSecret,
    webhookKeys: keys,
    webhookHeader: header,
    handlerUserId: handlerUserId?.toLowerCase(),
    localCallerId: localCallerId?.toLowerCase(),
    planCheckMs: num(env, "TMAP_PLAN_CHECK_MS", 1000),
    driftDebounceMs: num(env, "TMAP_DRIFT_DEBOUNCE_MS", 30_000),
    driftSchedule: env.TMAP_DRIFT_SCHEDULE || "0 */30 * * * *",
    driftThreshold: threshold,
    driftMeasures: (env.TMAP_DRIFT_MEASURES || "accounts,revenue,tmap_workloadhours")
      .split(",")
      .map((m) => m.trim())
      .filter((m) => /^[a-z_][a-z0-9_]*$/.test(m)),
    repLeavesTimeLimitMs: num(env, "TMAP_REPLEAVES_TIME_LIMIT_MS", 20_000, 100),
    publishConflictPolicy: conflicts === "stop" ? undefined : (conflicts as "overwrite" | "keep"),
    port: num(env, "PORT", 7071),
  };
}
