// What every source is to the process that runs it: it reads the chain from its checkpoints into the
// pipeline once started, and writes nothing once stopped. Checkpoints live in the pipeline's database
// under the source's name (`svm`) or names it prefixes (`rpc:<program>`, `helius:<program>`), so a source
// started again on the same database carries on where it stopped.
import type { ChainTx } from "../ingest/chain-tx.ts";
import type { Checkpoint } from "../ingest/pipeline.ts";

export interface Source {
  /** The source's kind (svm, rpc, helius): its checkpoint names are this or start with `${name}:`. */
  readonly name: string;
  /** Starts ingesting from the checkpoints; a source that backfills first resolves once the backfill is in. */
  start(): void | Promise<void>;
  /** Stops ingesting: once it returns (resolves), what was buffered is written and nothing more will be. */
  stop(): void | Promise<void>;
}

/** Where a source writes (the Pipeline; a test may capture instead). */
export interface SourceSink {
  ingest(source: string, txs: ChainTx[], checkpoint?: Omit<Checkpoint, "source">): unknown;
  checkpoint(source: string): Checkpoint | undefined;
}
