// What the programs' folds share: the database, the statements more than one program writes through
// (meta, uptime, wallet activity), and the market and pool parameters cached from `meta` (needed to place
// hours on the clock). Statements are prepared once; every amount is bound as a BigInt (SQLite INTEGER is
// 64-bit).
import type Database from "better-sqlite3";
import type { ChainEvent } from "../chain-tx.ts";

/** The views' tables: `reset` empties them (the event log and checkpoints stay). */
const VIEW_TABLES = ["devices", "uptime", "leases", "lease_devices", "reward_hours", "wallet_activity", "slash_proposals", "fee_burns"];

export class FoldContext {
  /** The market's hour length (MarketInitialized). */
  marketHourLength: number | null = null;
  /** The rewards pool's start time and hour length (PoolInitialized). */
  poolStart: number | null = null;
  poolHourLength: number | null = null;
  private readonly s;

  constructor(readonly sqlite: Database.Database) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      setMeta: p("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      getMeta: p("SELECT value FROM meta WHERE key = ?").pluck(),
      uptime: p("INSERT OR IGNORE INTO uptime (device, hour_start) VALUES (?, ?)"),
      activity: p(`INSERT INTO wallet_activity (wallet, kind, amount, device, lease, signature, slot, block_time)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    };
    this.loadParameters();
  }

  /** A statement of one program's folds. */
  prepare(sql: string): Database.Statement {
    return this.sqlite.prepare(sql);
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  /** The device was up in the hour starting at `hourStart` (idempotent). */
  uptime(device: string, hourStart: number): void {
    this.s.uptime.run(device, hourStart);
  }

  /** A money movement on `wallet`'s page (none for an unknown wallet or a zero amount). */
  activity(e: ChainEvent, wallet: string | undefined, kind: string, amount: bigint, device: string | null, lease: string | null): void {
    if (wallet && amount !== 0n) this.s.activity.run(wallet, kind, amount, device, lease, e.signature, e.slot, e.blockTime);
  }

  /** Start of a rewards hour, once the pool's clock is known. */
  rewardHourStart(hour: number): number | null {
    return this.poolStart === null || this.poolHourLength === null ? null : this.poolStart + hour * this.poolHourLength;
  }

  private loadParameters() {
    const num = (k: string) => {
      const v = this.s.getMeta.get(k) as string | undefined;
      return v === undefined ? null : Number(v);
    };
    this.marketHourLength = num("market.hour_length");
    this.poolStart = num("pool.start_time");
    this.poolHourLength = num("pool.hour_length");
  }

  /** Empties every view (the event log and checkpoints stay). */
  reset(): void {
    for (const t of VIEW_TABLES) this.sqlite.exec(`DELETE FROM ${t}`);
    this.sqlite.exec("DELETE FROM meta WHERE key LIKE 'market.%' OR key LIKE 'pool.%'");
    this.loadParameters();
  }
}
