/** Standalone HTTP server around the Dataverse stand-in (tests, scripts). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDataverseService } from "./service";
import type { DataverseService, DataverseServiceOptions } from "./service";
import { errorResponse } from "./service";
import { ErrorCodes, segmentNotFound } from "./errors";

/**
 * Header limit of the stand-in's HTTP servers. Dataverse accepts request URLs up to 32 KB and answers longer ones
 * with 414; Node's default limit (16 KB) would cut them off first with an empty 431.
 */
export const DATAVERSE_MAX_HEADER_SIZE = 80 * 1024;

/** Options for `createServer` so that URLs up to Dataverse's limit reach the service. */
export const dataverseServerOptions = { maxHeaderSize: DATAVERSE_MAX_HEADER_SIZE } as const;

/**
 * Answers requests Node rejects before any handler runs (headers beyond the limit) the way Dataverse does: 414 with
 * a Dataverse error body instead of an empty 431; other parse errors 400.
 */
export function answerClientErrors(server: Server): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLong = err.code === "HPE_HEADER_OVERFLOW";
    const status = tooLong ? "414 URI Too Long" : "400 Bad Request";
    const message = tooLong
      ? "The request URL is too long; the maximum is 32768 characters. Send long queries inside a $batch request."
      : "The request could not be parsed.";
    const body = JSON.stringify({ error: { code: ErrorCodes.badRequest, message } });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

export interface DataverseServerOptions extends DataverseServiceOptions {
  /** 0 = random free port. */
  port?: number;
  host?: string;
}

export interface DataverseServer {
  /** Service root, e.g. http://127.0.0.1:PORT/api/data/v9.2/ */
  url: string;
  /** Origin, e.g. http://127.0.0.1:PORT (admin endpoints live at `${origin}/_local/...`). */
  origin: string;
  port: number;
  service: DataverseService;
  close(): Promise<void>;
}

export async function startDataverseServer(options: DataverseServerOptions): Promise<DataverseServer> {
  const service = createDataverseService(options);
  const server = createServer(dataverseServerOptions, (req, res) => {
    service
      .handle(req, res)
      .then((handled) => {
        if (!handled && !res.headersSent) {
          const r = errorResponse(segmentNotFound((req.url ?? "/").split("?")[0]));
          res.writeHead(404, r.headers);
          res.end(r.body);
        }
      })
      .catch((e: unknown) => {
        if (!res.headersSent) {
          const r = errorResponse(e);
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        }
      });
  });
  answerClientErrors(server);
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  let closed = false;
  return {
    url: `${origin}${service.basePath}/`,
    origin,
    port,
    service,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeHttpServer(server);
      service.close();
    },
  };
}

/** Stops accepting connections, drops keep-alive ones and resolves once the server is closed. */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
