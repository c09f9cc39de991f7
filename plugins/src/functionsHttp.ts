/**
 * The webhook's HTTP function for Azure Functions, without the Functions runtime (functions.ts registers it; tests
 * call it with a request object): the key is checked from the headers before the body is read, a body over the limit
 * (declared or read) is answered 413 with a JSON error.
 */
import type { HttpResponseInit } from "@azure/functions";
import type { HandlerApp } from "./app";
import { authenticate, unauthorizedMessage } from "./webhook/auth";
import { BodyTooLargeError, declaredTooLarge, readLimited, tooLargeBody } from "./webhook/body";

/** The parts of an Azure Functions HttpRequest the webhook uses. */
export interface FunctionsRequest {
  method: string;
  url: string;
  headers: { forEach(fn: (value: string, key: string) => void): void };
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null;
}

/** The HTTP function: key (headers) → declared size → body read up to the limit → the handler app. */
export async function handleFunctionsRequest(
  request: FunctionsRequest,
  handler: Pick<HandlerApp, "handle">,
  config: {
    webhookKeys: string[];
    webhookHeader: string;
  },
): Promise<HttpResponseInit> {
  const url = new URL(request.url);
  const query = url.search.replace(/^\?/, "");
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  if (!authenticate({ headers }, config.webhookKeys, config.webhookHeader))
    return { status: 401, jsonBody: { error: { code: "Unauthorized", message: unauthorizedMessage(query, config.webhookHeader) } } };
  if (declaredTooLarge(headers["content-length"])) return { status: 413, jsonBody: tooLargeBody() };
  let body = "";
  try {
    if (request.body) body = await readLimited(request.body as AsyncIterable<Uint8Array>);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return { status: 413, jsonBody: tooLargeBody() };
    throw e;
  }
  const result = await handler.handle({ method: request.method, query, headers, body });
  return { status: result.status, jsonBody: result.body };
}
