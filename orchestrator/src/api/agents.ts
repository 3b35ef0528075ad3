// The orchestrator's HTTP API (hono): for device agents, signed heartbeats in (answered with the
// device's assignment and the hours to sign) and signed hours back; for operators, a lease's cluster
// and job, and health. A refused request gets its 4xx and a message, and nothing is recorded.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { RequestRefused } from "@hourglass/client";
import { type Context, Hono } from "hono";
import type { AgentRegistry } from "../fleet/registry.ts";
import type { LeaseCluster } from "../orchestrator.ts";

export interface AgentApiDeps {
  registry: AgentRegistry;
  /** A lease's cluster and job (null when this orchestrator does not run it). */
  lease?: (address: string) => LeaseCluster | null;
  /** Leases tracked, for health. */
  leases?: () => number;
}

async function body(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await c.req.json() };
  } catch {
    return { ok: false };
  }
}

function refused(c: Context, e: unknown) {
  if (e instanceof RequestRefused) return c.json({ error: e.message }, e.status);
  throw e;
}

export function createAgentApi(deps: AgentApiDeps): Hono {
  const app = new Hono();
  app.get("/health", (c) => {
    const devices = deps.registry.devices();
    return c.json({ ok: true, devices: devices.length, alive: devices.filter((d) => deps.registry.alive(d)).length, leases: deps.leases?.() ?? 0 });
  });
  app.post("/agents/heartbeat", async (c) => {
    const b = await body(c);
    if (!b.ok) return c.json({ error: "malformed JSON" }, 400);
    try {
      return c.json(await deps.registry.heartbeat(b.value));
    } catch (e) {
      return refused(c, e);
    }
  });
  app.post("/agents/attestations", async (c) => {
    const b = await body(c);
    if (!b.ok) return c.json({ error: "malformed JSON" }, 400);
    try {
      return c.json(deps.registry.attestations(b.value));
    } catch (e) {
      return refused(c, e);
    }
  });
  app.get("/leases/:address", (c) => {
    const view = deps.lease?.(c.req.param("address")) ?? null;
    return view ? c.json(view) : c.json({ error: `this orchestrator does not run lease ${c.req.param("address")}` }, 404);
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
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
