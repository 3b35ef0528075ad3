// The chain's clock as the indexer knows it: the block time of the newest stored event. Windows such
// as "the last 24 hours" and "the last 30 days" end there, not at the wall clock.
import type { IndexerDb } from "../db/open.ts";
import { stmt } from "./statements.ts";

export function chainTime(db: IndexerDb): number | null {
  return (stmt(db, "SELECT block_time FROM events ORDER BY slot DESC, block_index DESC LIMIT 1").pluck().get() as number | null | undefined) ?? null;
}
