/**
 * Azure Functions v4 (Node programming model) entry: the webhook as an HTTP function on the same route as the
 * local server (/api/dataverse-webhook) and the scheduled drift check as a timer function.
 * authLevel "anonymous": the key check is ours (constant time, the key header of an HttpHeader service endpoint;
 * no key in the URL). It runs on the headers before the body is read; a declared or actual body over 8 MB is
 * answered 413 with a JSON error. With `enableHttpStream` the worker reads the body as a stream and stops buffering
 * at the limit.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from "@azure/functions";
import { createHandlerApp, type HandlerApp } from "./app";
import { handleFunctionsRequest } from "./functionsHttp";
import { loadConfig, type HandlerConfig } from "./config";
import { createDataverseClient } from "./dataverse/client";

let handlerApp: HandlerApp | undefined;
let handlerConfig: HandlerConfig | undefined;
function instance(context: InvocationContext): HandlerApp {
  if (!handlerApp) {
    const config = loadConfig(process.env);
    handlerConfig = config;
    handlerApp = createHandlerApp({
      config,
      client: createDataverseClient(config),
      log: (level, message, data) => context[level === "info" ? "log" : level](message, data ?? {}),
    });
  }
  return handlerApp;
}

app.setup({ enableHttpStream: true });

app.http("dataverseWebhook", {
  route: "dataverse-webhook",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const handler = instance(context);
    return handleFunctionsRequest(request, handler, handlerConfig as HandlerConfig);
  },
});

app.timer("driftSchedule", {
  schedule: process.env.TMAP_DRIFT_SCHEDULE || "0 */30 * * * *",
  handler: async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const result = await instance(context).runDrift();
    context.log("drift check", result);
  },
});
