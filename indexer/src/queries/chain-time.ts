// The chain's clock as the indexer knows it: the block time of the newest stored event. Windows such
// as "the last 24 hours" and "the last 30 days" end there, not at the wall clock.
import type { IndexerDb } from "../db/open.ts";
import { stmt } from "./statements.ts";

export const HOUR = 3600;
/** The device page's uptime chart and the verified-supplier rule look back this many hours. */
export const WINDOW_HOURS = 30 * 24;

export function chainTime(db: IndexerDb): number | null {
  return (stmt(db, "SELECT block_time FROM events ORDER BY slot DESC, block_index DESC LIMIT 1").pluck().get() as number | null | undefined) ?? null;
}

/** The last 30 days of hours up to chain time `now`: [start, end), end being the end of now's hour. */
export function thirtyDayWindow(now: number | null): { start: number; end: number } {
  const end = Math.floor((now ?? 0) / HOUR) * HOUR + HOUR;
  return { start: end - WINDOW_HOURS * HOUR, end };
}
