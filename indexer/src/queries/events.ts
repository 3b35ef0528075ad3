// The raw event feed, newest first.

import type { IndexerDb } from "../db/open.ts";
import { decodeCursor, page } from "./cursor.ts";
import type { EventFeedRow } from "./rows.ts";
import { stmt } from "./statements.ts";

/** An event of the feed: its row with the data parsed. */
export type EventItem = Omit<EventFeedRow, "data"> & { data: Record<string, unknown> };

export function listEvents(db: IndexerDb, f: { limit: number; cursor?: string }) {
  const after = decodeCursor(f.cursor, ["number"]);
  const rows = stmt(
    db,
    `SELECT id, signature, instruction, ordinal, slot, block_time AS blockTime, program, name, commitment, data FROM events
      ${after ? "WHERE id < ?" : ""} ORDER BY id DESC LIMIT ?`,
  ).all(...(after ? [after[0]] : []), f.limit + 1) as EventFeedRow[];
  const p = page(rows, f.limit, (r) => [r.id]);
  return { items: p.items.map((r): EventItem => ({ ...r, data: JSON.parse(r.data) })), nextCursor: p.nextCursor };
}
