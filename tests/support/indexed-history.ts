// A network history indexed from genesis by the in-process source into a fresh SQLite file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDb, Pipeline, SvmSource, type ChainTx, type IndexerDb } from "../../indexer/src/index.ts";
import { NetworkHistory } from "./network-history.ts";

export interface IndexedHistory {
  h: NetworkHistory;
  run: Awaited<ReturnType<NetworkHistory["run"]>>;
  db: IndexerDb;
  pipeline: Pipeline;
  source: SvmSource;
  /** Every transaction of the history as the in-process source handed it over. */
  txs: ChainTx[];
  close(): void;
}

export async function indexedHistory(): Promise<IndexedHistory> {
  const dir = mkdtempSync(path.join(tmpdir(), "hourglass-indexed-"));
  const db = openDb(path.join(dir, "indexer.sqlite"));
  const pipeline = new Pipeline(db);
  let source!: SvmSource;
  const txs: ChainTx[] = [];
  let capture!: SvmSource;
  const h = await NetworkHistory.create("litesvm", (engine) => {
    source = new SvmSource(engine, pipeline, 5);
    source.start();
    capture = new SvmSource(engine, { ingest: (_s, batch) => txs.push(...batch), checkpoint: () => undefined }, 0);
    capture.start();
  });
  const run = await h.run();
  source.flush();
  capture.stop();
  return {
    h,
    run,
    db,
    pipeline,
    source,
    txs,
    close() {
      source.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
