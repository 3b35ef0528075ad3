// Source (a): the in-process SVM. Every transaction the observed engine executes is handed to the
// pipeline with its slot, its position in the slot and the clock's time; the embedded network has one
// node, so what it executed is final. Transactions are batched for up to `flushMs`.
import type { ObservedEngine, TxResult } from "@hourglass/client/src/svm/index.ts";
import type { ChainTx } from "../ingest/chain-tx.ts";
import type { Pipeline } from "../ingest/pipeline.ts";

export const SVM_SOURCE = "svm";

export class SvmSource {
  private pending: ChainTx[] = [];
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private lastSlot = -1;
  private indexInSlot = 0;

  constructor(
    private readonly engine: ObservedEngine,
    private readonly pipeline: Pipeline,
    private readonly flushMs = 50,
  ) {}

  start(): void {
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
    this.pipeline.ingest(SVM_SOURCE, batch, { cursor: last.signature, slot: last.slot });
  }

  stop(): void {
    this.unsubscribe?.();
    this.flush();
  }
}
