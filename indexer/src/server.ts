// Serves an app over HTTP on the given host and port (0 = any free port).

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./api/app.ts";
import type { Deps } from "./api/deps.ts";

export interface IndexerServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(deps: Deps, port = 0, host = "127.0.0.1"): Promise<IndexerServer> {
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server));
    (s as Server).once("error", reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
