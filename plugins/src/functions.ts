/**
 * Azure Functions v4 (Node programming model) entry: the webhook as an HTTP function on the same route as the
 * local server (/api/dataverse-webhook) and the scheduled drift check as a timer function.
 * authLevel "anonymous": the key check is ours (constant time, `?code=` or header), so it also covers header
 * auth; with authLevel "function" the Functions host would check `?code=` against its own function keys first.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from "@azure/functions";
import { createHandlerApp, type HandlerApp } from "./app";
import { loadConfig } from "./config";
import { createDataverseClient } from "./dataverse/client";

let handlerApp: HandlerApp | undefined;
function instance(context: InvocationContext): HandlerApp {
  if (!handlerApp) {
    const config = loadConfig(process.env);
    handlerApp = createHandlerApp({
      config,
      client: createDataverseClient(config),
      log: (level, message, data) => context[level === "info" ? "log" : level](message, data ?? {}),
    });
  }
  return handlerApp;
}

app.http("dataverseWebhook", {
  route: "dataverse-webhook",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const result = await instance(context).handle({
      method: request.method,
      query: url.search.replace(/^\?/, ""),
      headers,
      body: await request.text(),
    });
    return { status: result.status, jsonBody: result.body };
  },
});

app.timer("driftSchedule", {
  schedule: process.env.TMAP_DRIFT_SCHEDULE || "0 */30 * * * *",
  handler: async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const result = await instance(context).runDrift();
    context.log("drift check", result);
  },
});
