/**
 * Publishing a plan to Dynamics — the single entry for the control and for Node (plugins/, scripts/):
 *
 *   import { publishPlan } from "dataverse/publish";
 *   const client = new DataverseHttpClient({ baseUrl: "https://<org>.crm.dynamics.com/api/data/v9.2/", getToken });
 *   const r = await publishPlan({ client, planId, userId, impersonate: true, signal, onProgress, conflictPolicy: "overwrite" });
 *
 * The control passes a client for the organisation it runs in (its `createOrgClient`: same-origin fetch).
 */
export * from "./publishPlan";
