// The one ingestion pipeline every source feeds. A batch of transactions is decoded, its new events are
// stored idempotently (a delivery seen before changes nothing), the views are advanced, and the source's
// checkpoint is written, all in one synchronous SQLite transaction: a crash leaves either the whole batch
// or none of it. Events that arrive behind the views' high-water mark (a late or out-of-order delivery)
// and rolled-back transactions make the views be replayed from the event log, inside the same transaction.
import type { IndexerDb } from "../db/open.ts";
import { type ChainEvent, type ChainTx, COMMITMENT_RANK, type Commitment, chainOrder, decodeTx } from "./chain-tx.ts";
import { VIEWS_VERSION, ViewWriter } from "./views.ts";

export interface Checkpoint {
  source: string;
  cursor: string;
  slot: number;
}

export interface IngestResult {
  transactions: number;
  events: number;
  /** Whether the views were replayed because history changed behind them. */
  replayed: boolean;
}

export type EventListener = (events: (ChainEvent & { id: number })[]) => void;

const REPLAY_PAGE = 10_000;

interface StoredEvent {
  signature: string;
  instruction: number;
  ordinal: number;
  slot: number;
  block_index: number;
  block_time: number | null;
  program: string;
  name: string;
  data: string;
}

interface Mark {
  slot: number;
  blockIndex: number;
}

/** An event's row in the events table, in the insert statement's column order (its data as JSON). */
export function eventRow(e: ChainEvent, commitment: Commitment, source: string) {
  return [e.signature, e.instruction, e.ordinal, e.slot, e.blockIndex, e.blockTime, e.program, e.name, JSON.stringify(e.data), commitment, source];
}

export class Pipeline {
  private readonly sqlite;
  private readonly views: ViewWriter;
  private readonly listeners = new Set<EventListener>();
  private readonly s;
  private mark: Mark;

  constructor(readonly db: IndexerDb) {
    this.sqlite = db.$client;
    this.views = new ViewWriter(this.sqlite);
    const p = (sql: string) => this.sqlite.prepare(sql);
    this.s = {
      insert: p(`INSERT INTO events (signature, instruction, ordinal, slot, block_index, block_time, program, name, data, commitment, source)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (signature, instruction, ordinal) DO NOTHING`),
      promote: p(`UPDATE events SET commitment = @commitment WHERE signature = @signature AND
        (CASE commitment WHEN 'processed' THEN 0 WHEN 'confirmed' THEN 1 ELSE 2 END) < @rank`),
      removeTx: p("DELETE FROM events WHERE signature = ? AND commitment != 'finalized'"),
      checkpoint: p(`INSERT INTO checkpoints (source, cursor, slot, updated_at) VALUES (@source, @cursor, @slot, @now)
        ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, slot = excluded.slot, updated_at = excluded.updated_at`),
      getCheckpoint: p("SELECT source, cursor, slot FROM checkpoints WHERE source = ?"),
      setMeta: p("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      getMeta: p("SELECT value FROM meta WHERE key = ?").pluck(),
      replayPage: p(`SELECT signature, instruction, ordinal, slot, block_index, block_time, program, name, data FROM events
        WHERE (slot, block_index, instruction, ordinal) > (?, ?, ?, ?) ORDER BY slot, block_index, instruction, ordinal LIMIT ${REPLAY_PAGE}`),
      lastEvent: p("SELECT slot, block_index FROM events ORDER BY slot DESC, block_index DESC LIMIT 1"),
      unfinalized: p("SELECT DISTINCT signature, slot FROM events WHERE commitment != 'finalized' ORDER BY slot LIMIT ?"),
    };
    const m = this.s.getMeta.get("views.mark") as string | undefined;
    this.mark = m ? (JSON.parse(m) as Mark) : { slot: -1, blockIndex: -1 };
    // Views folded by an older version of the fold are rebuilt from the event log.
    if (this.s.getMeta.get("views.version") !== VIEWS_VERSION) {
      this.sqlite.transaction(() => {
        if (this.s.lastEvent.get() !== undefined) this.replayViews();
        this.s.setMeta.run("views.version", VIEWS_VERSION);
      })();
    }
  }

  /** Stores and folds a batch of transactions (any order; duplicates are harmless). */
  ingest(source: string, txs: ChainTx[], checkpoint?: Omit<Checkpoint, "source">): IngestResult {
    const fresh: (ChainEvent & { id: number })[] = [];
    let inserted = 0;
    let replayed = false;
    const run = this.sqlite.transaction(() => {
      let behind = false;
      const sorted = [...txs].sort(chainOrder);
      for (const tx of sorted) {
        const events = decodeTx(tx);
        let seen = false;
        for (const e of events) {
          const r = this.s.insert.run(...eventRow(e, tx.commitment, source));
          if (r.changes === 0) {
            seen = true;
            continue;
          }
          if (this.listeners.size > 0) fresh.push({ ...e, id: Number(r.lastInsertRowid) });
          inserted++;
          if (chainOrder(e, this.mark) < 0) behind = true;
          else if (!behind) this.views.apply(e);
        }
        // A transaction delivered again may come with a higher commitment than it was stored with.
        if (seen && tx.commitment !== "processed") this.promoteOne(tx.signature, tx.commitment);
        if (chainOrder(tx, this.mark) > 0 && events.length > 0) this.mark = { slot: tx.slot, blockIndex: tx.blockIndex };
      }
      if (behind) {
        this.replayViews();
        replayed = true;
      }
      this.s.setMeta.run("views.mark", JSON.stringify(this.mark));
      if (checkpoint) this.s.checkpoint.run({ source, ...checkpoint, now: Date.now() });
    });
    try {
      run();
    } catch (e) {
      // The transaction rolled back: reload the mark it may have moved in memory.
      const m = this.s.getMeta.get("views.mark") as string | undefined;
      this.mark = m ? (JSON.parse(m) as Mark) : { slot: -1, blockIndex: -1 };
      throw e;
    }
    if (fresh.length > 0) for (const l of this.listeners) l(fresh);
    return { transactions: txs.length, events: inserted, replayed };
  }

  private promoteOne(signature: string, commitment: Commitment) {
    this.s.promote.run({ signature, commitment, rank: COMMITMENT_RANK[commitment] });
  }

  /** Raises the commitment of already-stored transactions (never lowers it). */
  promote(signatures: string[], commitment: Commitment): void {
    this.sqlite.transaction(() => {
      for (const s of signatures) this.promoteOne(s, commitment);
    })();
  }

  /** Removes the events of transactions that were rolled back (never finalized ones), with their effects. */
  rollback(signatures: string[]): number {
    let removed = 0;
    this.sqlite.transaction(() => {
      for (const s of signatures) removed += this.s.removeTx.run(s).changes;
      if (removed > 0) this.replayViews();
    })();
    return removed;
  }

  /** Transactions stored below finalized, oldest first (for a source to re-check). */
  unfinalized(limit = 256): { signature: string; slot: number }[] {
    return this.s.unfinalized.all(limit) as { signature: string; slot: number }[];
  }

  setCheckpoint(source: string, checkpoint: Omit<Checkpoint, "source">): void {
    this.s.checkpoint.run({ source, ...checkpoint, now: Date.now() });
  }

  checkpoint(source: string): Checkpoint | undefined {
    return this.s.getCheckpoint.get(source) as Checkpoint | undefined;
  }

  /** Rebuilds every view from the event log. */
  replay(): number {
    let n = 0;
    this.sqlite.transaction(() => {
      n = this.replayViews();
    })();
    return n;
  }

  private replayViews(): number {
    this.views.reset();
    let n = 0;
    let mark: Mark = { slot: -1, blockIndex: -1 };
    // Paged (better-sqlite3 cannot write while a statement is being iterated), in chain order.
    let after: [number, number, number, number] = [-1, -1, -1, -1];
    for (;;) {
      const page = this.s.replayPage.all(...after) as StoredEvent[];
      for (const r of page) {
        this.views.apply({
          signature: r.signature,
          instruction: r.instruction,
          ordinal: r.ordinal,
          slot: r.slot,
          blockIndex: r.block_index,
          blockTime: r.block_time,
          program: r.program,
          name: r.name,
          data: JSON.parse(r.data),
        });
        n++;
      }
      if (page.length < REPLAY_PAGE) break;
      const last = page[page.length - 1];
      after = [last.slot, last.block_index, last.instruction, last.ordinal];
      mark = { slot: last.slot, blockIndex: last.block_index };
    }
    if (n > 0) {
      const last = this.s.lastEvent.get() as { slot: number; block_index: number };
      mark = { slot: last.slot, blockIndex: last.block_index };
    }
    this.mark = mark;
    this.s.setMeta.run("views.mark", JSON.stringify(mark));
    return n;
  }

  /** Calls `listener` with each batch of newly stored events, after its transaction committed. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
