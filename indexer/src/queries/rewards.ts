// Hourly block rewards: amount emitted and how the nominated devices fared.

import type { IndexerDb } from "../db/open.ts";
import { decodeCursor, page } from "./cursor.ts";
import type { RewardHourRow } from "./rows.ts";
import { stmt } from "./statements.ts";

/** An emitted hour: its row, with the nominated devices that did not succeed. */
export type RewardHour = RewardHourRow & { failed: number };

export function listRewardHours(db: IndexerDb, f: { limit: number; cursor?: string }) {
  const after = decodeCursor(f.cursor, ["number"]);
  const rows = stmt(
    db,
    `SELECT hour, hour_start AS hourStart, CAST(amount AS TEXT) AS amount, CAST(total_weight AS TEXT) AS totalWeight, nominated,
        min(succeeded, nominated) AS succeeded FROM reward_hours WHERE emitted = 1 ${after ? "AND hour < ?" : ""} ORDER BY hour DESC LIMIT ?`,
  ).all(...(after ? [after[0]] : []), f.limit + 1) as RewardHourRow[];
  const p = page(rows, f.limit, (r) => [r.hour]);
  return { items: p.items.map((r): RewardHour => ({ ...r, failed: r.nominated - r.succeeded })), nextCursor: p.nextCursor };
}
