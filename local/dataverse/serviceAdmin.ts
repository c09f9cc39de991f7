/**
 * The local Dataverse stand-in's own admin endpoints under /_local/ (they do not exist on a real environment):
 * fault injection (/_local/faults), request counters (/_local/stats), reset of the data (/_local/reset), the
 * WhoAmI user (/_local/whoami) and per-user security roles (/_local/privileges).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCodes, badRequest } from "./errors";
import type { FaultConfig } from "./faults";
import {
  errorResponse,
  json,
  noContent,
  parseJsonBody,
  readBody,
  resetStats,
  send,
  snapshotStats,
  type ServiceContext,
} from "./serviceContext";

export const ADMIN_PATHS = new Set([
  "/_local/faults",
  "/_local/stats",
  "/_local/stats/reset",
  "/_local/reset",
  "/_local/whoami",
  "/_local/privileges",
]);

export async function handleAdmin(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? "GET";
  const body = await readBody(req);
  const parse = (): Record<string, unknown> => (body.trim() ? parseJsonBody(body) : {});
  try {
    if (path === "/_local/faults") {
      if (method === "GET") return send(res, json(200, ctx.faults.get()));
      if (method === "POST" || method === "PUT") {
        ctx.faults.set(parse() as FaultConfig);
        return send(res, json(200, ctx.faults.get()));
      }
      if (method === "PATCH") {
        ctx.faults.update(parse());
        return send(res, json(200, ctx.faults.get()));
      }
      if (method === "DELETE") {
        ctx.faults.clear();
        return send(res, noContent());
      }
    } else if (path === "/_local/stats") {
      if (method === "GET") return send(res, json(200, snapshotStats(ctx)));
      if (method === "DELETE") {
        resetStats(ctx);
        return send(res, noContent());
      }
    } else if (path === "/_local/stats/reset" && method === "POST") {
      resetStats(ctx);
      return send(res, noContent());
    } else if (path === "/_local/reset" && method === "POST") {
      const b = parse();
      const list = Array.isArray(b.tables) ? (b.tables as string[]) : undefined;
      if (list) for (const n of list) if (!ctx.store.hasTable(n)) throw badRequest(`Unknown table '${n}'.`);
      ctx.store.reset(list);
      ctx.faults.clear();
      return send(res, noContent());
    } else if (path === "/_local/privileges") {
      const r = ctx.privileges.admin(method, method === "POST" || method === "PUT" ? parse() : {});
      return send(res, r.status === 204 ? noContent() : json(r.status, r.body));
    } else if (path === "/_local/whoami" && method === "POST") {
      const b = parse();
      ctx.configuredUserId = typeof b.userId === "string" ? b.userId : undefined;
      return send(res, json(200, { UserId: ctx.currentUserId() }));
    }
    send(res, json(405, { error: { code: ErrorCodes.badRequest, message: `The method ${method} is not supported for ${path}.` } }));
  } catch (e) {
    send(res, errorResponse(e));
  }
}
