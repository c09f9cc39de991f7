/** Standalone HTTP server around the Dataverse stand-in (tests, scripts). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDataverseService } from "./service";
import type { DataverseService, DataverseServiceOptions } from "./service";
import { errorResponse } from "./service";
import { segmentNotFound } from "./errors";

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
  // Dataverse accepts URLs up to 32 KB; Node's default header limit (16 KB) would cut them off first.
  const server = createServer({ maxHeaderSize: 80 * 1024 }, (req, res) => {
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
