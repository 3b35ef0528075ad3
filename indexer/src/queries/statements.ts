// Prepared statements, compiled once per database connection and SQL text (the queries' SQL comes
// from a small fixed set of shapes, so the cache stays small).
import type Database from "better-sqlite3";
import type { IndexerDb } from "../db/open.ts";

const CACHE = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(db: IndexerDb, sql: string): Database.Statement {
  let m = CACHE.get(db.$client);
  if (!m) {
    m = new Map();
    CACHE.set(db.$client, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.$client.prepare(sql);
    m.set(sql, s);
  }
  return s;
}

/** Changes whenever any connection commits to the database: a cache key for derived answers. */
export function dataVersion(db: IndexerDb): string {
  return `${stmt(db, "PRAGMA data_version").pluck().get()}:${stmt(db, "SELECT total_changes()").pluck().get()}`;
}
