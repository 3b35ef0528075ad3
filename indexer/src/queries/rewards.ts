// Hourly block rewards: amount emitted and how the nominated devices fared.

import type { IndexerDb } from "../db/open.ts";
import { decodeCursor, page } from "./cursor.ts";
import { stmt } from "./statements.ts";

export interface RewardHour {
  hour: number;
  hourStart: number | null;
  amount: string;
  totalWeight: string;
  nominated: number;
  succeeded: number;
  failed: number;
}

export function listRewardHours(db: IndexerDb, f: { limit: number; cursor?: string }) {
  const after = decodeCursor(f.cursor, ["number"]);
  const rows = stmt(
    db,
    `SELECT hour, hour_start AS hourStart, CAST(amount AS TEXT) AS amount, CAST(total_weight AS TEXT) AS totalWeight, nominated,
        min(succeeded, nominated) AS succeeded FROM reward_hours WHERE emitted = 1 ${after ? "AND hour < ?" : ""} ORDER BY hour DESC LIMIT ?`,
  ).all(...(after ? [after[0]] : []), f.limit + 1) as Omit<RewardHour, "failed">[];
  const p = page(rows, f.limit, (r) => [r.hour]);
  return { items: p.items.map((r): RewardHour => ({ ...r, failed: r.nominated - r.succeeded })), nextCursor: p.nextCursor };
}
