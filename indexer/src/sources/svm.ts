// Source (a): the in-process SVM. Every transaction the observed engine executes is handed to the
// pipeline with its slot, its position in the slot and the clock's time; the embedded network has one
// node, so what it executed is final. Transactions are batched for up to `flushMs`. The checkpoint's
// cursor is `<index in slot>:<signature>` of the last transaction written, so a source started again
// on the same chain carries on numbering within that slot (a later transaction of the slot is not
// taken for a late one, which would make the pipeline replay the views).
import type { ObservedEngine, TxResult } from "@hourglass/localchain";
import type { ChainTx } from "../ingest/chain-tx.ts";
import type { Source, SourceSink } from "./source.ts";

/** Where the source writes (the Pipeline; a test may capture instead). */
export type SvmSink = SourceSink;

export const SVM_SOURCE = "svm";

export class SvmSource implements Source {
  readonly name = SVM_SOURCE;
  private pending: ChainTx[] = [];
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private lastSlot = -1;
  private indexInSlot = 0;

  constructor(
    private readonly engine: ObservedEngine,
    private readonly pipeline: SvmSink,
    private readonly flushMs = 50,
  ) {}

  start(): void {
    const cp = this.pipeline.checkpoint(SVM_SOURCE);
    const index = cp ? Number(cp.cursor.split(":")[0]) : NaN;
    if (cp && Number.isInteger(index)) {
      this.lastSlot = cp.slot;
      this.indexInSlot = index + 1;
    }
    this.unsubscribe = this.engine.subscribe((r) => this.onTx(r));
  }

  private async onTx(r: TxResult): Promise<void> {
    const slot = Number(await this.engine.slot());
    if (slot !== this.lastSlot) {
      this.lastSlot = slot;
      this.indexInSlot = 0;
    }
    this.pending.push({
      signature: r.signature,
      slot,
      blockIndex: this.indexInSlot++,
      blockTime: Number(await this.engine.unixTime()),
      logs: r.logs,
      failed: !r.ok,
      commitment: "finalized",
    });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Writes what is buffered now (also called on stop). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const last = batch[batch.length - 1];
    this.pipeline.ingest(SVM_SOURCE, batch, { cursor: `${last.blockIndex}:${last.signature}`, slot: last.slot });
  }

  stop(): void {
    this.unsubscribe?.();
    this.flush();
  }
}
