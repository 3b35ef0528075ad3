// Devices: the filtered list, one device with its 30-day hourly uptime, and suppliers (devices by owner).
import { chainTime } from "./chain-time.ts";
import { stmt } from "./statements.ts";
import type { IndexerDb } from "../db/open.ts";
import { decodeCursor, page } from "./cursor.ts";
import { gpuModelName } from "./gpu-models.ts";

const DEVICE_COLUMNS = `address, owner, device_key AS deviceKey, gpu_model AS gpuModel, gpu_count AS gpuCount, vram_gb AS vramGb, region,
  bandwidth_tier AS bandwidthTier, multiplier_bps AS multiplierBps, CAST(minimum_stake AS TEXT) AS minimumStake, CAST(stake AS TEXT) AS stake,
  CAST(co_stake AS TEXT) AS coStake, status, lease, proven_hours AS provenHours, faults, CAST(slashed AS TEXT) AS slashed,
  CAST(earned AS TEXT) AS earned, CAST(rewards AS TEXT) AS rewards, nominated, deregistered, registered_at AS registeredAt`;

/** The staking program's device status codes. */
const STATUS = ["active", "paused", "leased"];

export interface DeviceFilter {
  model?: number;
  region?: number;
  owner?: string;
  status?: "active" | "paused" | "leased";
  limit: number;
  cursor?: string;
}

interface DeviceRow {
  address: string;
  owner: string;
  deviceKey: string;
  gpuModel: number;
  gpuCount: number;
  vramGb: number;
  region: number;
  bandwidthTier: number;
  multiplierBps: number;
  minimumStake: string;
  stake: string;
  coStake: string;
  status: number;
  lease: string | null;
  provenHours: number;
  faults: number;
  slashed: string;
  earned: string;
  rewards: string;
  nominated: number;
  deregistered: number;
  registeredAt: number | null;
}

function shape(r: DeviceRow) {
  return { ...r, gpuModelName: gpuModelName(r.gpuModel), status: STATUS[r.status] ?? `status ${r.status}`, nominated: r.nominated === 1, deregistered: r.deregistered === 1 };
}

export function listDevices(db: IndexerDb, f: DeviceFilter) {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.model !== undefined) where.push("gpu_model = ?") && args.push(f.model);
  if (f.region !== undefined) where.push("region = ?") && args.push(f.region);
  if (f.owner !== undefined) where.push("owner = ?") && args.push(f.owner);
  if (f.status !== undefined) where.push("status = ?") && args.push(STATUS.indexOf(f.status));
  const after = decodeCursor(f.cursor, ["string"]);
  if (after) where.push("address > ?") && args.push(after[0]);
  const rows = stmt(db, `SELECT ${DEVICE_COLUMNS} FROM devices ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY address LIMIT ?`)
    .all(...args, f.limit + 1) as DeviceRow[];
  const p = page(rows, f.limit, (r) => [r.address]);
  return { items: p.items.map(shape), nextCursor: p.nextCursor };
}

const HOUR = 3600;
const UPTIME_HOURS = 30 * 24;

export function deviceDetail(db: IndexerDb, address: string) {
  const row = stmt(db, `SELECT ${DEVICE_COLUMNS} FROM devices WHERE address = ?`).get(address) as DeviceRow | undefined;
  if (!row) return undefined;
  // The 30 days up to the newest block time the indexer has seen (the chain's clock, not the wall's).
  const now = chainTime(db) ?? 0;
  const end = Math.floor(now / HOUR) * HOUR + HOUR;
  const start = end - UPTIME_HOURS * HOUR;
  const hours: number[] = new Array(UPTIME_HOURS).fill(0);
  // Each recorded hour lands in the wall-clock hour it started in.
  const all = stmt(db, "SELECT hour_start FROM uptime WHERE device = ? AND hour_start >= ? AND hour_start < ?").pluck().all(address, start, end) as number[];
  for (const t of all) hours[Math.floor((t - start) / HOUR)] = 1;
  const leases = stmt(db, `SELECT lease, slot, gpus, first_hour AS firstHour, proven_hours AS provenHours, CAST(earned AS TEXT) AS earned, faults, released
      FROM lease_devices WHERE device = ? ORDER BY rowid DESC LIMIT 50`)
    .all(address) as { lease: string; slot: number; gpus: number; firstHour: number; provenHours: number; earned: string; faults: number; released: number }[];
  return { device: shape(row), uptime: { from: start, hourSeconds: HOUR, hours, upHours: hours.reduce((a, b) => a + b, 0) }, leases };
}

/** A device's proven hours and faults over every lease (the orchestrator's reliability history). */
export function deviceHistory(db: IndexerDb, address: string): { provenHours: number; faults: number } | undefined {
  return stmt(db, "SELECT proven_hours AS provenHours, faults FROM devices WHERE address = ?").get(address) as { provenHours: number; faults: number } | undefined;
}

export function listSuppliers(db: IndexerDb, f: { limit: number; cursor?: string }) {
  const after = decodeCursor(f.cursor, ["string"]);
  const rows = stmt(db, `SELECT owner AS address, count(*) AS devices, sum(gpu_count) AS gpus, CAST(sum(stake) + sum(co_stake) AS TEXT) AS stake,
        sum(proven_hours) AS provenHours, CAST(sum(earned) AS TEXT) AS earned, CAST(sum(rewards) AS TEXT) AS rewards,
        max(deregistered = 0 AND stake >= minimum_stake) AS active, max(proven_hours > 0) AS verified
      FROM devices ${after ? "WHERE owner > ?" : ""} GROUP BY owner ORDER BY owner LIMIT ?`)
    .all(...(after ? [after[0]] : []), f.limit + 1) as { address: string; devices: number; gpus: number; stake: string; provenHours: number; earned: string; rewards: string; active: number; verified: number }[];
  const p = page(rows, f.limit, (r) => [r.address]);
  return { items: p.items.map((r) => ({ ...r, active: r.active === 1, verified: r.verified === 1 })), nextCursor: p.nextCursor };
}
