// A wallet's page: what it staked, earned from leases, was paid in block rewards, and spent renting.

import type { IndexerDb } from "../db/open.ts";
import { decodeCursor, page } from "./cursor.ts";
import type { ActivityRow } from "./rows.ts";
import { stmt } from "./statements.ts";

export const ACTIVITY_KINDS = ["reward", "payout", "stake", "withdraw", "slash", "lease", "refund"] as const;

export function walletSummary(db: IndexerDb, address: string) {
  const totals = Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, "0"])) as Record<(typeof ACTIVITY_KINDS)[number], string>;
  for (const r of stmt(db, "SELECT kind, CAST(sum(amount) AS TEXT) AS total FROM wallet_activity WHERE wallet = ? GROUP BY kind").all(address) as {
    kind: keyof typeof totals;
    total: string;
  }[]) {
    totals[r.kind] = r.total;
  }
  const devices = stmt(db, "SELECT count(*) AS devices, coalesce(sum(gpu_count), 0) AS gpus FROM devices WHERE owner = ?").get(address) as {
    devices: number;
    gpus: number;
  };
  const leases = stmt(db, "SELECT count(*) FROM leases WHERE renter = ?").pluck().get(address) as number;
  return { address, totals, devices: devices.devices, gpus: devices.gpus, leases };
}

export function walletActivity(db: IndexerDb, address: string, f: { limit: number; cursor?: string; kind?: (typeof ACTIVITY_KINDS)[number] }) {
  const after = decodeCursor(f.cursor, ["number"]);
  const rows = stmt(
    db,
    `SELECT id, kind, CAST(amount AS TEXT) AS amount, device, lease, signature, slot, block_time AS blockTime FROM wallet_activity
      WHERE wallet = ? ${f.kind ? "AND kind = ?" : ""} ${after ? "AND id < ?" : ""} ORDER BY id DESC LIMIT ?`,
  ).all(address, ...(f.kind ? [f.kind] : []), ...(after ? [after[0]] : []), f.limit + 1) as ActivityRow[];
  return page(rows, f.limit, (r) => [r.id]);
}
