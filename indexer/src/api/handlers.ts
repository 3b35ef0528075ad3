// Answers the API routes from the views. Handlers get validated input and the app's dependencies.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { IndexerDb } from "../db/open.ts";
import type { Pipeline } from "../ingest/pipeline.ts";
import { toCsv } from "../queries/csv.ts";
import { deviceDetail, listDevices, listSuppliers } from "../queries/devices.ts";
import { listEvents } from "../queries/events.ts";
import { leaseDetail, listLeases } from "../queries/leases.ts";
import { networkStats } from "../queries/network.ts";
import { listRewardHours } from "../queries/rewards.ts";
import { walletActivity, walletSummary } from "../queries/wallets.ts";
import { checkWebhookAuth, ingestWebhook, WebhookRejected } from "../sources/helius.ts";

export interface Deps {
  db: IndexerDb;
  /** Present when this process ingests (the live feed and the webhook need it). */
  pipeline?: Pipeline;
  /** The Authorization header Helius webhook deliveries must carry; the endpoint is off without it. */
  webhookAuth?: string;
  /** Decimals of the network's mints, for the pages' token amounts (default 6). */
  decimals?: number;
}

type Q<T> = { limit: number; cursor?: string } & T;

export const handlers = (deps: Deps) => ({
  network: () => networkStats(deps.db),
  devices: (q: Q<{ model?: number; region?: number; owner?: string; status?: "active" | "paused" | "leased" }>) => listDevices(deps.db, q),
  device: (address: string) => deviceDetail(deps.db, address),
  suppliers: (q: Q<object>) => listSuppliers(deps.db, q),
  leases: (q: Q<{ renter?: string; model?: number; status?: "open" | "paused" | "terminated" | "settled" | "closed" }>) => listLeases(deps.db, q),
  lease: (address: string) => leaseDetail(deps.db, address),
  rewards(c: Context, q: Q<{ format: "json" | "csv" }>) {
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
  },
  wallet: (address: string) => walletSummary(deps.db, address),
  activity(c: Context, address: string, q: Q<{ format: "json" | "csv"; kind?: "reward" | "payout" | "stake" | "withdraw" | "slash" | "lease" | "refund" }>) {
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
  },
  events: (q: Q<object>) => listEvents(deps.db, q),
  stream(c: Context) {
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
  },
  async webhook(c: Context) {
    if (!deps.pipeline || !deps.webhookAuth) return c.json({ error: "the Helius webhook is not enabled on this indexer" }, 404);
    try {
      checkWebhookAuth(deps.webhookAuth, c.req.header("authorization"));
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        throw new WebhookRejected(400, "webhook body is not valid JSON");
      }
      return c.json(ingestWebhook(deps.pipeline, body), 200);
    } catch (e) {
      if (e instanceof WebhookRejected) return c.json({ error: e.message }, e.status);
      throw e;
    }
  },
});

function csvResponse(c: Context, filename: string, nextCursor: string | null, body: string) {
  c.header("content-type", "text/csv; charset=utf-8");
  c.header("content-disposition", `attachment; filename="${filename}"`);
  if (nextCursor) c.header("x-next-cursor", nextCursor);
  return c.body(body, 200);
}
