/**
 * The organisation's Web API root for fetch from the control. context.webAPI has no $batch or UpdateMultiple, so
 * publishing calls `<clientUrl>/api/data/v9.2/` directly — same origin as the model-driven app, so the signed-in
 * session authenticates the requests (no token in the control).
 *
 * Client URL, in order: `context.page.getClientUrl()` (model-driven apps hand controls a page object with it),
 * `Xrm.Utility.getGlobalContext().getClientUrl()` (documented Client API: "Returns the base URL that was used to
 * access the application"), else the page's own origin (the dev host serves the local Web API there).
 */
import { DataverseHttpClient, type DataverseHttpClientOptions } from "../../../dataverse/client/DataverseHttpClient";

export const WEB_API_PATH = "api/data/v9.2/";

interface ClientUrlSource {
  page?: { getClientUrl?: () => string };
}
interface XrmLike {
  Utility?: { getGlobalContext?: () => { getClientUrl?: () => string } };
}

/** The client URL (no trailing slash), e.g. "https://org.crm.dynamics.com". */
export function resolveClientUrl(
  context: unknown,
  global: { Xrm?: XrmLike; location?: { origin?: string } } = globalThis as never,
): string {
  const fromPage = (context as ClientUrlSource | null)?.page?.getClientUrl?.();
  const fromXrm = fromPage ? undefined : global.Xrm?.Utility?.getGlobalContext?.()?.getClientUrl?.();
  const url = fromPage || fromXrm || global.location?.origin;
  if (!url) throw new Error("The organisation's URL is not available (no context.page, Xrm or window.location).");
  return url.replace(/\/+$/, "");
}

/** Web API root of the organisation, e.g. "https://org.crm.dynamics.com/api/data/v9.2/". */
export function orgWebApiUrl(context: unknown, global?: { Xrm?: XrmLike; location?: { origin?: string } }): string {
  return `${resolveClientUrl(context, global)}/${WEB_API_PATH}`;
}

/** A DataverseHttpClient for the organisation the control runs in (same-origin fetch, session cookie). */
export function createOrgClient(context: unknown, options: Omit<DataverseHttpClientOptions, "baseUrl"> = {}): DataverseHttpClient {
  return new DataverseHttpClient({ ...options, baseUrl: orgWebApiUrl(context) });
}
