// Opens the indexer database: a SQLite file in WAL mode with the committed migrations applied.

import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../migrations", import.meta.url));

export type IndexerDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Opens (creating if needed) the database at `file` (":memory:" for a throwaway one) and migrates it. */
export function openDb(file: string): IndexerDb {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -65536"); // 64 MiB of page cache: the event log's indexes stay in memory
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db as IndexerDb;
}
