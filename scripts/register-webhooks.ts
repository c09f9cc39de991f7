/**
 * Registers the Territory Map webhook with a Dataverse environment through the Web API, idempotently:
 * the service endpoint (solution/src/ServiceEndpoints/territory-map-webhook.json: same id, name and auth type;
 * the URL and key come from the command line / environment, never from the solution) and one
 * sdkmessageprocessingstep per event (post-operation, asynchronous, filtering attributes for Update).
 * Prints one line per object: created / unchanged / updated (fields) / key set.
 *
 *   TMAP_DATAVERSE_URL=https://org.crm.dynamics.com TMAP_TENANT_ID=… TMAP_CLIENT_ID=… TMAP_CLIENT_SECRET=… \
 *   TMAP_WEBHOOK_KEY=… npx tsx scripts/register-webhooks.ts --url https://<app>.azurewebsites.net/api/dataverse-webhook
 * Locally: TMAP_DATAVERSE_URL=http://localhost:8080/api/data/v9.2/ TMAP_WEBHOOK_KEY=… … --url http://127.0.0.1:7071/api/dataverse-webhook
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataverseHttpClient } from "../dataverse/client/DataverseHttpClient";
import { RULE_COLUMNS } from "../plugins/src/handlers/assign";
import { parseDataverseUrl } from "../plugins/src/config";
import { clientCredentialsTokenSource } from "../plugins/src/dataverse/client";

export interface EndpointDefinition {
  id: string;
  name: string;
  description: string;
  url: string;
  authType: number;
}

export interface StepDefinition {
  name: string;
  message: "Create" | "Update";
  table: string;
  filteringAttributes: string | null;
}

export const STEPS: StepDefinition[] = [
  { name: "Territory Map: assign new account", message: "Create", table: "account", filteringAttributes: null },
  { name: "Territory Map: reassign moved account", message: "Update", table: "account", filteringAttributes: RULE_COLUMNS.join(",") },
  { name: "Territory Map: rep leaves", message: "Update", table: "systemuser", filteringAttributes: "isdisabled" },
  { name: "Territory Map: plan created", message: "Create", table: "tmap_plan", filteringAttributes: null },
  { name: "Territory Map: plan status changed", message: "Update", table: "tmap_plan", filteringAttributes: "tmap_status,tmap_savetoken" },
  { name: "Territory Map: assignment rule created", message: "Create", table: "tmap_assignmentrule", filteringAttributes: null },
  {
    name: "Territory Map: assignment rule changed",
    message: "Update",
    table: "tmap_assignmentrule",
    filteringAttributes: "tmap_kind,tmap_precedence,tmap_definition,tmap_territorykey,statecode",
  },
];

export function solutionEndpoint(root = join(__dirname, "..")): Omit<EndpointDefinition, "url"> & { placeholderUrl: string } {
  const j = JSON.parse(readFileSync(join(root, "solution/src/ServiceEndpoints/territory-map-webhook.json"), "utf8")) as {
    id: string;
    name: string;
    description: string;
    url: string;
    authType: number;
  };
  return { id: j.id, name: j.name, description: j.description, authType: j.authType, placeholderUrl: j.url };
}

export type Outcome = "created" | "unchanged" | `updated (${string})` | "key set";

/** Sets authvalue for the auth type: 4 → the key; 5 → header settings XML; 6 → query settings XML. */
export function authValue(authType: number, key: string, headerName = "x-tmap-webhook-key"): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  if (authType === 5) return `<settings><setting name="${esc(headerName)}" value="${esc(key)}" /></settings>`;
  if (authType === 6) return `<settings><setting name="code" value="${esc(key)}" /></settings>`;
  return key;
}

export async function registerWebhooks(
  client: DataverseHttpClient,
  args: { url: string; key: string; headerName?: string; print?: (line: string) => void },
): Promise<Record<string, Outcome>> {
  const print = args.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const def = solutionEndpoint();
  const report: Record<string, Outcome> = {};
  const q = (s: string) => s.replace(/'/g, "''");

  // 1. Service endpoint: by the solution's id, else by name.
  const endpointFields = {
    name: def.name,
    description: def.description,
    url: args.url,
    contract: 8,
    messageformat: 2,
    authtype: def.authType,
  };
  const endpoint = (
    await client.retrieveMultiple(
      "serviceendpoints",
      {
        select: ["serviceendpointid", "name", "url", "contract", "messageformat", "authtype", "description"],
        filter: `serviceendpointid eq ${def.id} or name eq '${q(def.name)}'`,
      },
      { includeAnnotations: "" },
    )
  ).value[0];
  let endpointId: string;
  if (!endpoint) {
    endpointId = await client.create("serviceendpoints", {
      serviceendpointid: def.id,
      ...endpointFields,
      authvalue: authValue(def.authType, args.key, args.headerName),
    });
    report[`serviceendpoint ${def.name}`] = "created";
  } else {
    endpointId = String(endpoint.serviceendpointid);
    const diff = Object.entries(endpointFields)
      .filter(([k, v]) => endpoint![k] !== v)
      .map(([k]) => k);
    // authvalue is write-only: it cannot be compared, so it is always (re)written and reported as such.
    await client.update("serviceendpoints", endpointId, {
      ...Object.fromEntries(diff.map((k) => [k, (endpointFields as Record<string, unknown>)[k]])),
      authvalue: authValue(def.authType, args.key, args.headerName),
    });
    report[`serviceendpoint ${def.name}`] = diff.length ? `updated (${diff.join(", ")})` : "key set";
  }

  // 2. Steps.
  const messageIds = new Map<string, string>();
  for (const step of STEPS) {
    let messageId = messageIds.get(step.message);
    if (!messageId) {
      const m = (
        await client.retrieveMultiple(
          "sdkmessages",
          { select: ["sdkmessageid"], filter: `name eq '${step.message}'` },
          { includeAnnotations: "" },
        )
      ).value[0];
      if (!m) throw new Error(`sdkmessage '${step.message}' not found`);
      messageId = String(m.sdkmessageid);
      messageIds.set(step.message, messageId);
    }
    const filter = (
      await client.retrieveMultiple(
        "sdkmessagefilters",
        { select: ["sdkmessagefilterid"], filter: `_sdkmessageid_value eq ${messageId} and primaryobjecttypecode eq '${step.table}'` },
        { includeAnnotations: "" },
      )
    ).value[0];
    if (!filter) throw new Error(`No sdkmessagefilter for ${step.message} of '${step.table}' (is the table installed?)`);
    const filterId = String(filter.sdkmessagefilterid);
    const wanted = {
      stage: 40,
      mode: 1,
      rank: 1,
      supporteddeployment: 0,
      asyncautodelete: true,
      filteringattributes: step.filteringAttributes,
      description: `${step.message} of ${step.table} → Territory Map handlers`,
    };
    const existing = (
      await client.retrieveMultiple("sdkmessageprocessingsteps", { filter: `name eq '${q(step.name)}'` }, { includeAnnotations: "" })
    ).value[0];
    const binds = {
      "sdkmessageid@odata.bind": `/sdkmessages(${messageId})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${filterId})`,
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpointId})`,
    };
    if (!existing) {
      await client.create("sdkmessageprocessingsteps", { name: step.name, ...wanted, ...binds });
      report[`step ${step.name}`] = "created";
      continue;
    }
    const diff = Object.entries(wanted)
      .filter(([k, v]) => (existing[k] ?? null) !== v)
      .map(([k]) => k);
    const handler = existing._eventhandler_value ?? existing._eventhandler_serviceendpoint_value;
    if (String(handler ?? "").toLowerCase() !== endpointId.toLowerCase()) diff.push("eventhandler");
    if (String(existing._sdkmessagefilterid_value ?? "").toLowerCase() !== filterId.toLowerCase()) diff.push("sdkmessagefilterid");
    if (String(existing._sdkmessageid_value ?? "").toLowerCase() !== messageId.toLowerCase()) diff.push("sdkmessageid");
    if (existing.statecode !== 0) diff.push("statecode");
    if (diff.length === 0) {
      report[`step ${step.name}`] = "unchanged";
      continue;
    }
    await client.update("sdkmessageprocessingsteps", String(existing.sdkmessageprocessingstepid), {
      ...wanted,
      ...binds,
      ...(existing.statecode !== 0 ? { statecode: 0, statuscode: 1 } : {}),
    });
    report[`step ${step.name}`] = `updated (${diff.join(", ")})`;
  }
  for (const [what, outcome] of Object.entries(report)) print(`${what}: ${outcome}`);
  return report;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const url = arg("--url") ?? process.env.TMAP_WEBHOOK_URL;
  const key = process.env.TMAP_WEBHOOK_KEY?.split(",")[0]?.trim();
  const dataverse = process.env.TMAP_DATAVERSE_URL;
  if (!url || !key || !dataverse) {
    process.stderr.write(
      "usage: TMAP_DATAVERSE_URL=… TMAP_WEBHOOK_KEY=… [TMAP_TENANT_ID TMAP_CLIENT_ID TMAP_CLIENT_SECRET] tsx scripts/register-webhooks.ts --url <handler URL>\n",
    );
    process.exit(2);
  }
  const target = parseDataverseUrl(dataverse);
  const client = new DataverseHttpClient({
    baseUrl: target.apiUrl,
    getToken: target.local
      ? undefined
      : clientCredentialsTokenSource({
          tenantId: process.env.TMAP_TENANT_ID,
          clientId: process.env.TMAP_CLIENT_ID,
          clientSecret: process.env.TMAP_CLIENT_SECRET,
          orgUrl: target.orgUrl,
        }),
  });
  await registerWebhooks(client, { url, key, headerName: process.env.TMAP_WEBHOOK_HEADER });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`register-webhooks: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
