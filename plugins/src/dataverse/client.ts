/**
 * The server-side Dataverse client: DataverseHttpClient (paging, $batch, 429 + Retry-After) fed with OAuth
 * tokens from client credentials (@azure/msal-node, scope `<org>/.default`). Against the local stand-in no token.
 */
import { ConfidentialClientApplication } from "@azure/msal-node";
import { DataverseHttpClient, type RequestEvent } from "../../../dataverse/client/DataverseHttpClient";
import type { HandlerConfig } from "../config";

/** Token source for `<orgUrl>/.default` (MSAL caches and refreshes the token). */
export function clientCredentialsTokenSource(
  config: Pick<HandlerConfig, "tenantId" | "clientId" | "clientSecret" | "orgUrl">,
): () => Promise<string> {
  if (!config.tenantId || !config.clientId || !config.clientSecret)
    throw new Error("client credentials: tenant, client id and secret are required");
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      authority: `https://login.microsoftonline.com/${config.tenantId}`,
      clientSecret: config.clientSecret,
    },
  });
  const scopes = [`${config.orgUrl}/.default`];
  return async () => {
    const result = await msal.acquireTokenByClientCredential({ scopes });
    if (!result?.accessToken) throw new Error("Microsoft Entra ID returned no access token for Dataverse.");
    return result.accessToken;
  };
}

export function createDataverseClient(
  config: HandlerConfig,
  options: { fetch?: typeof fetch; onRequest?: (e: RequestEvent) => void; maxRetries?: number } = {},
): DataverseHttpClient {
  const headers: Record<string, string> = {};
  if (config.local && config.localCallerId) headers.MSCRMCallerID = config.localCallerId;
  return new DataverseHttpClient({
    baseUrl: config.apiUrl,
    getToken: config.local ? undefined : clientCredentialsTokenSource(config),
    fetch: options.fetch,
    onRequest: options.onRequest,
    maxRetries: options.maxRetries,
    headers,
  });
}
