// The orchestrator's API for device agents: signed heartbeats in, health out. A refused heartbeat gets
// its 4xx and a message, and nothing is recorded.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type HeartbeatBook, HeartbeatRejected } from "@hourglass/client";
import { Hono } from "hono";

export interface AgentApiDeps {
  heartbeats: HeartbeatBook;
  /** The orchestrator's clock, unix seconds. */
  now: () => number;
}

export function createAgentApi(deps: AgentApiDeps): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ ok: true }));
  app.post("/agents/heartbeat", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: "malformed JSON" }, 400);
    }
    try {
      const h = deps.heartbeats.accept(body, deps.now());
      return c.json({ accepted: true, device: h.device.toBase58(), sequence: h.sequence.toString() });
    } catch (e) {
      if (e instanceof HeartbeatRejected) return c.json({ error: e.message }, e.status);
      throw e;
    }
  });
  return app;
}

export interface AgentApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startAgentApi(deps: AgentApiDeps, port = 0, host = "127.0.0.1"): Promise<AgentApiServer> {
  const app = createAgentApi(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server));
    (s as Server).once("error", reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
