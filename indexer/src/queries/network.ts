// The network home: GPUs by model, suppliers, supply, and the market price per GPU-hour by model.

import { DeviceStatus } from "@hourglass/client";
import type { IndexerDb } from "../db/open.ts";
import { chainTime, thirtyDayWindow } from "./chain-time.ts";
import { gpuModelName } from "./gpu-models.ts";
import { dataVersion, stmt } from "./statements.ts";
import { SUPPLIER_WINDOW_COLUMNS, VERIFIED_HOURS } from "./verified.ts";

const DAY = 86_400;

type NetworkStats = ReturnType<typeof computeNetworkStats>;
const CACHE = new WeakMap<IndexerDb, { version: string; stats: NetworkStats }>();

/** The home page's aggregates, recomputed only when the database changed since the last call. */
export function networkStats(db: IndexerDb): NetworkStats {
  const version = dataVersion(db);
  const hit = CACHE.get(db);
  if (hit && hit.version === version) return hit.stats;
  const stats = computeNetworkStats(db);
  CACHE.set(db, { version, stats });
  return stats;
}

function computeNetworkStats(db: IndexerDb) {
  const now = chainTime(db);
  const gpus = stmt(
    db,
    `SELECT gpu_model AS model, count(*) AS devices, sum(gpu_count) AS gpus, sum(CASE WHEN status = ${DeviceStatus.Leased} THEN gpu_count ELSE 0 END) AS leased
      FROM devices WHERE deregistered = 0 GROUP BY gpu_model ORDER BY gpu_model`,
  ).all() as { model: number; devices: number; gpus: number; leased: number }[];
  // Verified: see verified.ts.
  const suppliers = stmt(
    db,
    `SELECT count(*) AS total, sum(active) AS active, sum(recentHours >= ${VERIFIED_HOURS} AND recentFault = 0) AS verified FROM (
        SELECT owner, max(deregistered = 0 AND stake >= minimum_stake) AS active, ${SUPPLIER_WINDOW_COLUMNS} FROM devices d GROUP BY owner)`,
  ).get(thirtyDayWindow(now)) as { total: number; active: number | null; verified: number | null };
  const supply = stmt(
    db,
    `SELECT CAST((SELECT coalesce(sum(stake), 0) FROM devices) AS TEXT) AS staked,
        CAST((SELECT coalesce(sum(co_stake), 0) FROM devices) AS TEXT) AS coStaked,
        CAST((SELECT coalesce(sum(amount), 0) FROM reward_hours) AS TEXT) AS emitted,
        CAST(coalesce((SELECT total_burned FROM fee_burns ORDER BY id DESC LIMIT 1), 0) AS TEXT) AS burned,
        CAST((SELECT coalesce(sum(unbonding) + sum(co_unbonding), 0) FROM devices) AS TEXT) AS unbonding,
        CAST((SELECT coalesce(sum(rewards), 0) FROM devices) AS TEXT) AS rewardsClaimed,
        CAST((SELECT coalesce(sum(deposited - earned - refunded), 0) FROM leases WHERE status IN ('open', 'paused')) AS TEXT) AS escrow`,
  ).get() as Record<"staked" | "coStaked" | "emitted" | "burned" | "unbonding" | "rewardsClaimed" | "escrow", string>;
  const burns = stmt(db, "SELECT count(*) AS count, max(block_time) AS lastAt FROM fee_burns").get() as { count: number; lastAt: number | null };
  const leaseCounts = stmt(db, "SELECT count(*) AS total, coalesce(sum(status IN ('open', 'paused')), 0) AS active FROM leases").get() as {
    total: number;
    active: number;
  };
  // Market price: the median price per GPU-hour of the leases opened in the last 24 h, by model.
  const recent =
    now === null
      ? []
      : (stmt(
          db,
          "SELECT gpu_model AS model, CAST(price_per_gpu_hour AS TEXT) AS price FROM leases WHERE created_at >= ? ORDER BY gpu_model, price_per_gpu_hour",
        ).all(now - DAY) as { model: number; price: string }[]);
  const byModel = new Map<number, bigint[]>();
  for (const r of recent) byModel.set(r.model, [...(byModel.get(r.model) ?? []), BigInt(r.price)]);
  const prices = [...byModel].map(([model, ps]) => ({ model, name: gpuModelName(model), leases: ps.length, medianPerGpuHour: median(ps).toString() }));
  return {
    asOf: now,
    gpusByModel: gpus.map((g) => ({ model: g.model, name: gpuModelName(g.model), devices: g.devices, gpus: g.gpus, leasedGpus: g.leased })),
    suppliers: { total: suppliers.total, active: suppliers.active ?? 0, verified: suppliers.verified ?? 0 },
    supply,
    burns,
    leases: leaseCounts,
    marketPrices: prices,
  };
}

/** Median of sorted values (the lower middle's and upper middle's mean, rounded down). */
function median(sorted: bigint[]): bigint {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2n;
}
