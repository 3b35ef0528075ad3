// Devices: the filtered list, one device with its 30-day hourly uptime, and suppliers (devices by owner).

import { DEVICE_STATUS_NAMES, slashReasonName } from "@hourglass/client";
import type { IndexerDb } from "../db/open.ts";
import { chainTime, HOUR, thirtyDayWindow, WINDOW_HOURS } from "./chain-time.ts";
import { decodeCursor, page } from "./cursor.ts";
import { gpuModelName } from "./gpu-models.ts";
import type { ClusterRow, DeviceRow, ProposalRow } from "./rows.ts";
import { stmt } from "./statements.ts";
import { isVerified, SUPPLIER_WINDOW_COLUMNS } from "./verified.ts";

const DEVICE_COLUMNS = `address, owner, device_key AS deviceKey, gpu_model AS gpuModel, gpu_count AS gpuCount, vram_gb AS vramGb, region,
  bandwidth_tier AS bandwidthTier, multiplier_bps AS multiplierBps, CAST(minimum_stake AS TEXT) AS minimumStake, CAST(stake AS TEXT) AS stake,
  CAST(co_stake AS TEXT) AS coStake, CAST(unbonding AS TEXT) AS unbonding, CAST(co_unbonding AS TEXT) AS coUnbonding, status, lease, proven_hours AS provenHours, faults, CAST(slashed AS TEXT) AS slashed,
  CAST(earned AS TEXT) AS earned, CAST(rewards AS TEXT) AS rewards, nominated, deregistered, registered_at AS registeredAt`;

/** The staking program's device status names, by code (from its IDL). */
const STATUS: string[] = [];
for (const [code, name] of Object.entries(DEVICE_STATUS_NAMES)) STATUS[Number(code)] = name;

export interface DeviceFilter {
  model?: number;
  region?: number;
  owner?: string;
  status?: "active" | "paused" | "leased";
  limit: number;
  cursor?: string;
}

function shape(r: DeviceRow) {
  return {
    ...r,
    gpuModelName: gpuModelName(r.gpuModel),
    status: STATUS[r.status] ?? `status ${r.status}`,
    nominated: r.nominated === 1,
    deregistered: r.deregistered === 1,
  };
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
  const rows = stmt(db, `SELECT ${DEVICE_COLUMNS} FROM devices ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY address LIMIT ?`).all(
    ...args,
    f.limit + 1,
  ) as DeviceRow[];
  const p = page(rows, f.limit, (r) => [r.address]);
  return { items: p.items.map(shape), nextCursor: p.nextCursor };
}

export function deviceDetail(db: IndexerDb, address: string) {
  const row = stmt(db, `SELECT ${DEVICE_COLUMNS} FROM devices WHERE address = ?`).get(address) as DeviceRow | undefined;
  if (!row) return undefined;
  // The 30 days up to the newest block time the indexer has seen (the chain's clock, not the wall's).
  const now = chainTime(db);
  const { start, end } = thirtyDayWindow(now);
  const hours: number[] = new Array(WINDOW_HOURS).fill(0);
  // Each recorded hour lands in the wall-clock hour it started in.
  const all = stmt(db, "SELECT hour_start FROM uptime WHERE device = ? AND hour_start >= ? AND hour_start < ?").pluck().all(address, start, end) as number[];
  for (const t of all) hours[Math.floor((t - start) / HOUR)] = 1;
  const leases = stmt(
    db,
    `SELECT lease, slot, gpus, first_hour AS firstHour, proven_hours AS provenHours, CAST(earned AS TEXT) AS earned, faults, released
      FROM lease_devices WHERE device = ? ORDER BY rowid DESC LIMIT 50`,
  ).all(address) as ClusterRow<"lease">[];
  // Slash proposals, newest first; a pending one is executable once chain time reaches executableAt.
  const proposals = stmt(
    db,
    `SELECT proposal, authority, status, bps, reason, proposed_at AS proposedAt, executable_at AS executableAt, resolved_at AS resolvedAt,
        CAST(amount AS TEXT) AS amount, signature FROM slash_proposals WHERE device = ? ORDER BY id DESC LIMIT 50`,
  ).all(address) as ProposalRow[];
  const slashProposals = proposals.map((p) => ({
    ...p,
    reasonName: slashReasonName(p.reason),
    executable: p.status === "pending" && now !== null && now >= p.executableAt,
  }));
  return {
    device: shape(row),
    uptime: { from: start, hourSeconds: HOUR, hours, upHours: hours.reduce((a, b) => a + b, 0) },
    leases,
    slashProposals,
    asOf: now,
  };
}

/** A device's proven hours and faults over every lease (the orchestrator's reliability history). */
export function deviceHistory(db: IndexerDb, address: string): { provenHours: number; faults: number } | undefined {
  return stmt(db, "SELECT proven_hours AS provenHours, faults FROM devices WHERE address = ?").get(address) as
    | Pick<DeviceRow, "provenHours" | "faults">
    | undefined;
}

export function listSuppliers(db: IndexerDb, f: { limit: number; cursor?: string }) {
  const after = decodeCursor(f.cursor, ["string"]);
  const rows = stmt(
    db,
    `SELECT owner AS address, count(*) AS devices, sum(gpu_count) AS gpus, CAST(sum(stake) + sum(co_stake) AS TEXT) AS stake,
        sum(proven_hours) AS provenHours, CAST(sum(earned) AS TEXT) AS earned, CAST(sum(rewards) AS TEXT) AS rewards,
        max(deregistered = 0 AND stake >= minimum_stake) AS active, ${SUPPLIER_WINDOW_COLUMNS}
      FROM devices d ${after ? "WHERE owner > @after" : ""} GROUP BY owner ORDER BY owner LIMIT @limit`,
  ).all({ ...thirtyDayWindow(chainTime(db)), limit: f.limit + 1, ...(after ? { after: after[0] } : {}) }) as {
    address: string;
    devices: number;
    gpus: number;
    stake: string;
    provenHours: number;
    earned: string;
    rewards: string;
    active: number;
    recentHours: number;
    recentFault: number;
  }[];
  const p = page(rows, f.limit, (r) => [r.address]);
  return {
    items: p.items.map((r) => ({ ...r, active: r.active === 1, recentFault: r.recentFault === 1, verified: isVerified(r.recentHours, r.recentFault) })),
    nextCursor: p.nextCursor,
  };
}
