// Answers the API routes from the views: one handler per route, registered with `app.openapi(route,
// handler)` so that each is typed from its route (validated input in, the route's declared responses out).
// Handlers get the app's dependencies.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { toCsv } from "../queries/csv.ts";
import { deviceDetail, listDevices, listSuppliers } from "../queries/devices.ts";
import { listEvents } from "../queries/events.ts";
import { leaseDetail, listLeases } from "../queries/leases.ts";
import { networkStats } from "../queries/network.ts";
import { listRewardHours } from "../queries/rewards.ts";
import { walletActivity, walletSummary } from "../queries/wallets.ts";
import { WEBHOOK_NOT_ENABLED, WebhookRejected } from "../sources/helius.ts";
import type { Deps } from "./deps.ts";
import * as R from "./routes.ts";

const notFound = (what: string) => ({ error: `${what} not found` });

export function mountApi(app: OpenAPIHono, deps: Deps): void {
  app.openapi(R.networkRoute, (c) => c.json(networkStats(deps.db), 200));
  app.openapi(R.devicesRoute, (c) => c.json(listDevices(deps.db, c.req.valid("query")), 200));
  app.openapi(R.deviceRoute, (c) => {
    const d = deviceDetail(deps.db, c.req.valid("param").address);
    return d ? c.json(d, 200) : c.json(notFound("device"), 404);
  });
  app.openapi(R.suppliersRoute, (c) => c.json(listSuppliers(deps.db, c.req.valid("query")), 200));
  app.openapi(R.leasesRoute, (c) => c.json(listLeases(deps.db, c.req.valid("query")), 200));
  app.openapi(R.leaseRoute, (c) => {
    const l = leaseDetail(deps.db, c.req.valid("param").address);
    return l ? c.json(l, 200) : c.json(notFound("lease"), 404);
  });
  app.openapi(R.rewardsRoute, (c) => {
    const q = c.req.valid("query");
    const p = listRewardHours(deps.db, q);
    if (q.format === "json") return c.json(p, 200);
    return csvResponse(
      c,
      "block-rewards.csv",
      p.nextCursor,
      toCsv(
        ["hour", "hour_start", "amount", "total_weight", "nominated", "succeeded", "failed"],
        p.items.map((r) => [r.hour, r.hourStart, r.amount, r.totalWeight, r.nominated, r.succeeded, r.failed]),
      ),
    );
  });
  app.openapi(R.walletRoute, (c) => c.json(walletSummary(deps.db, c.req.valid("param").address), 200));
  app.openapi(R.activityRoute, (c) => {
    const { address } = c.req.valid("param");
    const q = c.req.valid("query");
    const p = walletActivity(deps.db, address, q);
    if (q.format === "json") return c.json(p, 200);
    return csvResponse(
      c,
      `wallet-${address}.csv`,
      p.nextCursor,
      toCsv(
        ["id", "kind", "amount", "device", "lease", "signature", "slot", "block_time"],
        p.items.map((r) => [r.id, r.kind, r.amount, r.device, r.lease, r.signature, r.slot, r.blockTime]),
      ),
    );
  });
  app.openapi(R.eventsRoute, (c) => c.json(listEvents(deps.db, c.req.valid("query")), 200));
  app.openapi(R.streamRoute, (c) => {
    const pipeline = deps.pipeline;
    if (!pipeline) return c.json({ error: "this indexer does not ingest: no live feed" }, 404);
    return streamSSE(c, async (stream) => {
      const queue: { id: number; name: string; data: string }[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = pipeline.subscribe((events) => {
        for (const e of events)
          queue.push({
            id: e.id,
            name: e.name,
            data: JSON.stringify({ id: e.id, signature: e.signature, slot: e.slot, blockTime: e.blockTime, program: e.program, name: e.name, data: e.data }),
          });
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      try {
        await stream.writeSSE({ event: "ready", data: "{}" });
        while (open) {
          while (queue.length > 0) {
            const e = queue.shift()!;
            await stream.writeSSE({ id: String(e.id), event: e.name, data: e.data });
          }
          let keepAlive: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            keepAlive = setTimeout(resolve, 15_000);
          });
          clearTimeout(keepAlive);
          wake = undefined;
          if (open && queue.length === 0) await stream.write(": keep-alive\n\n");
        }
      } finally {
        unsubscribe();
      }
    });
  });
  app.openapi(R.webhookRoute, async (c) => {
    try {
      if (!deps.webhook) throw new WebhookRejected(404, WEBHOOK_NOT_ENABLED);
      return c.json(await deps.webhook.receive(c.req.header("authorization"), () => c.req.text()), 200);
    } catch (e) {
      if (e instanceof WebhookRejected) return c.json({ error: e.message }, e.status);
      throw e;
    }
  });
}

function csvResponse(c: Context, filename: string, nextCursor: string | null, body: string) {
  c.header("content-type", "text/csv; charset=utf-8");
  c.header("content-disposition", `attachment; filename="${filename}"`);
  if (nextCursor) c.header("x-next-cursor", nextCursor);
  return c.body(body, 200);
}
