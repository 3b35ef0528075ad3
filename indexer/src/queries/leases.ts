// Leases and their clusters.

import type { IndexerDb } from "../db/open.ts";
import { decodeCursor, page } from "./cursor.ts";
import { gpuModelName } from "./gpu-models.ts";
import type { ClusterRow, LeaseRow } from "./rows.ts";
import { stmt } from "./statements.ts";

const LEASE_COLUMNS = `address, renter, payment_mint AS paymentMint, gpu_model AS gpuModel, gpu_count AS gpuCount, hours, hours_booked AS hoursBooked,
  CAST(price_per_gpu_hour AS TEXT) AS pricePerGpuHour, CAST(deposited AS TEXT) AS deposited, CAST(fees AS TEXT) AS fees, origin, status,
  devices, proven_hours AS provenHours, CAST(earned AS TEXT) AS earned, CAST(refunded AS TEXT) AS refunded, created_at AS createdAt, created_slot AS createdSlot`;

export const LEASE_STATUSES = ["open", "paused", "terminated", "settled", "closed"] as const;

export interface LeaseFilter {
  renter?: string;
  status?: (typeof LEASE_STATUSES)[number];
  model?: number;
  limit: number;
  cursor?: string;
}

export function listLeases(db: IndexerDb, f: LeaseFilter) {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.renter !== undefined) where.push("renter = ?") && args.push(f.renter);
  if (f.status !== undefined) where.push("status = ?") && args.push(f.status);
  if (f.model !== undefined) where.push("gpu_model = ?") && args.push(f.model);
  const after = decodeCursor(f.cursor, ["number", "string"]);
  if (after) where.push("(created_slot, address) < (?, ?)") && args.push(after[0], after[1]);
  const rows = stmt(
    db,
    `SELECT ${LEASE_COLUMNS} FROM leases ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_slot DESC, address DESC LIMIT ?`,
  ).all(...args, f.limit + 1) as LeaseRow[];
  const p = page(rows, f.limit, (r) => [r.createdSlot, r.address]);
  return { items: p.items.map((r) => ({ ...r, gpuModelName: gpuModelName(r.gpuModel) })), nextCursor: p.nextCursor };
}

export function leaseDetail(db: IndexerDb, address: string) {
  const row = stmt(db, `SELECT ${LEASE_COLUMNS} FROM leases WHERE address = ?`).get(address) as LeaseRow | undefined;
  if (!row) return undefined;
  const cluster = stmt(
    db,
    `SELECT slot, device, gpus, first_hour AS firstHour, proven_hours AS provenHours, CAST(earned AS TEXT) AS earned, faults, released
      FROM lease_devices WHERE lease = ? ORDER BY slot`,
  ).all(address) as ClusterRow<"device">[];
  return { lease: { ...row, gpuModelName: gpuModelName(row.gpuModel) }, cluster: cluster.map((c) => ({ ...c, released: c.released === 1 })) };
}
