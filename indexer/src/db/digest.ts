// A digest of every view table's content (row ids that depend on insertion order left out), to compare
// two databases folded from the same chain by different routes (sources, crashes, replays).
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

const VIEWS: Record<string, string> = {
  devices: "SELECT * FROM devices ORDER BY address",
  uptime: "SELECT * FROM uptime ORDER BY device, hour_start",
  leases: "SELECT * FROM leases ORDER BY address",
  lease_devices: "SELECT * FROM lease_devices ORDER BY lease, slot",
  reward_hours: "SELECT * FROM reward_hours ORDER BY hour",
  slash_proposals:
    "SELECT device, proposal, authority, bps, reason, status, proposed_at, proposed_slot, executable_at, resolved_at, amount, signature FROM slash_proposals ORDER BY device, proposed_slot, signature",
  fee_burns: "SELECT mint, amount, total_burned, signature, slot, block_time FROM fee_burns ORDER BY slot, signature, total_burned",
  wallet_activity:
    "SELECT wallet, kind, amount, device, lease, signature, slot, block_time FROM wallet_activity ORDER BY signature, wallet, kind, amount, device, lease",
};

export function viewsDigest(sqlite: Database.Database): { digest: string; rows: Record<string, number> } {
  const h = createHash("sha256");
  const rows: Record<string, number> = {};
  for (const [table, sql] of Object.entries(VIEWS)) {
    const all = sqlite.prepare(sql).raw().all();
    rows[table] = all.length;
    h.update(table);
    for (const r of all) h.update(JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  }
  return { digest: h.digest("hex"), rows };
}
