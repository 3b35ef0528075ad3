// Source (b): JSON-RPC. Backfill walks getSignaturesForAddress pages (newest first, back to the last
// checkpoint) for each program, orders the new transactions by slot and by their index in the block
// (getBlock with transactionDetails "signatures"), fetches them with getTransaction in batches and feeds
// them to the pipeline oldest first, checkpointing each program's newest signature. Tailing repeats that
// every `pollMs`. Transactions read below "finalized" are re-checked with getSignatureStatuses: promoted
// when they finalize, rolled back with their effects when they disappear (their fork was abandoned).

import { JsonRpcClient, JsonRpcError } from "@hourglass/client";
import type { ChainTx, Commitment } from "../ingest/chain-tx.ts";
import type { Pipeline } from "../ingest/pipeline.ts";
import type { Source } from "./source.ts";
import { chainTxFromJson } from "./transaction-json.ts";

export interface RpcSourceOptions {
  url: string;
  programs: string[];
  commitment?: Exclude<Commitment, "processed">;
  pollMs?: number;
  /** Signatures per getSignaturesForAddress page (max 1,000). */
  pageSize?: number;
  /** Transactions per batch request and per pipeline transaction. */
  batchSize?: number;
}

interface SignatureInfo {
  signature: string;
  slot: number;
  err: unknown;
  confirmationStatus?: Commitment | null;
}

export const RPC_SOURCE = "rpc";
/** The checkpoint of one program's signatures (`rpc:tx` is the batches' own). */
export const rpcSourceName = (program: string) => `${RPC_SOURCE}:${program}`;

export class RpcSource implements Source {
  readonly name = RPC_SOURCE;
  readonly rpc: JsonRpcClient;
  private readonly commitment: Exclude<Commitment, "processed">;
  private timer?: NodeJS.Timeout;
  private running = false;
  private inflight?: Promise<unknown>;
  /** Last error of a poll (the source keeps polling). */
  lastError?: Error;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly opts: RpcSourceOptions,
  ) {
    this.rpc = new JsonRpcClient(opts.url);
    this.commitment = opts.commitment ?? "confirmed";
  }

  /** Reads everything new since the checkpoints; returns the transactions ingested. */
  async sync(): Promise<number> {
    const pageSize = this.opts.pageSize ?? 1000;
    const batchSize = this.opts.batchSize ?? 100;
    // 1. New signatures per program, back to its checkpoint.
    const newest = new Map<string, string>();
    const infos = new Map<string, SignatureInfo & { programs: Set<string> }>();
    for (const program of this.opts.programs) {
      const until = this.pipeline.checkpoint(rpcSourceName(program))?.cursor;
      let before: string | undefined;
      for (;;) {
        const page = await this.rpc.call<SignatureInfo[]>("getSignaturesForAddress", [
          program,
          { limit: pageSize, commitment: this.commitment, ...(before ? { before } : {}), ...(until ? { until } : {}) },
        ]);
        if (page.length > 0 && !newest.has(program)) newest.set(program, page[0].signature);
        for (const info of page) {
          const known = infos.get(info.signature);
          if (known) known.programs.add(program);
          else infos.set(info.signature, { ...info, programs: new Set([program]) });
        }
        if (page.length < pageSize) break;
        before = page[page.length - 1].signature;
      }
    }
    if (infos.size === 0) {
      await this.recheck();
      return 0;
    }
    // 2. Exact order inside each slot from the block.
    const slots = [...new Set([...infos.values()].map((i) => i.slot))].sort((a, b) => a - b);
    const position = new Map<string, number>();
    for (let i = 0; i < slots.length; i += batchSize) {
      const chunk = slots.slice(i, i + batchSize);
      const blocks = await this.rpc.batch<{ signatures: string[] }>(
        chunk.map((slot) => ({
          method: "getBlock",
          params: [slot, { transactionDetails: "signatures", rewards: false, commitment: this.commitment, maxSupportedTransactionVersion: 0 }],
        })),
      );
      blocks.forEach((b, k) => {
        if (b instanceof JsonRpcError) throw new JsonRpcError(b.code, `getBlock ${chunk[k]}: ${b.message}`);
        if (b === null || !Array.isArray(b.signatures)) throw new Error(`getBlock ${chunk[k]} answered without the block's signatures`);
        b.signatures.forEach((s, idx) => {
          if (infos.has(s)) position.set(s, idx);
        });
      });
    }
    const ordered = [...infos.values()].sort((a, b) => a.slot - b.slot || (position.get(a.signature) ?? 0) - (position.get(b.signature) ?? 0));
    // 3. Fetch and ingest oldest first; after each batch, checkpoint the programs whose newest
    //    signature has been written (a crash re-reads at most one batch, which is harmless).
    const rank = new Map(ordered.map((info, k) => [info.signature, k]));
    /** Rank of the first transaction not readable yet: no checkpoint may move past it. */
    let firstSkipped = Infinity;
    let done = 0;
    for (let i = 0; i < ordered.length; i += batchSize) {
      const chunk = ordered.slice(i, i + batchSize);
      const fetched = await this.rpc.batch<unknown>(
        chunk.map((info) => ({
          method: "getTransaction",
          params: [info.signature, { encoding: "json", commitment: this.commitment, maxSupportedTransactionVersion: 0 }],
        })),
      );
      const txs: ChainTx[] = [];
      fetched.forEach((raw, k) => {
        if (raw instanceof JsonRpcError) throw raw;
        if (raw === null) {
          // Not visible at this commitment any more: the checkpoints stay before it, so the next poll
          // asks for it again.
          firstSkipped = Math.min(firstSkipped, i + k);
          return;
        }
        const info = chunk[k];
        txs.push(chainTxFromJson(raw, info.confirmationStatus ?? this.commitment, position.get(info.signature) ?? 0));
      });
      const last = chunk[chunk.length - 1];
      this.pipeline.ingest(rpcSourceName("tx"), txs, { cursor: last.signature, slot: last.slot });
      done += txs.length;
      // Each program's checkpoint may move once its newest signature is in.
      for (const [program, sig] of newest) {
        if (rank.get(sig)! < Math.min(i + chunk.length, firstSkipped)) {
          this.pipeline.setCheckpoint(rpcSourceName(program), { cursor: sig, slot: infos.get(sig)!.slot });
          newest.delete(program);
        }
      }
    }
    await this.recheck();
    return done;
  }

  /** Promotes stored transactions that finalized; rolls back those the cluster no longer knows. */
  async recheck(): Promise<{ promoted: number; rolledBack: number }> {
    const pending = this.pipeline.unfinalized();
    if (pending.length === 0) return { promoted: 0, rolledBack: 0 };
    const statuses = await this.rpc.call<{ value: ({ confirmationStatus: Commitment } | null)[] }>("getSignatureStatuses", [
      pending.map((p) => p.signature),
      { searchTransactionHistory: true },
    ]);
    const finalized: string[] = [];
    const gone: string[] = [];
    statuses.value.forEach((s, i) => {
      if (s === null) gone.push(pending[i].signature);
      else if (s.confirmationStatus === "finalized") finalized.push(pending[i].signature);
    });
    if (finalized.length > 0) this.pipeline.promote(finalized, "finalized");
    if (gone.length > 0) this.pipeline.rollback(gone);
    return { promoted: finalized.length, rolledBack: gone.length };
  }

  /** Backfills, then tails every `pollMs` until stopped. */
  async start(): Promise<void> {
    this.running = true;
    await this.sync();
    const loop = () => {
      if (!this.running) return;
      this.timer = setTimeout(async () => {
        this.inflight = this.sync().catch((e: Error) => (this.lastError = e));
        await this.inflight;
        loop();
      }, this.opts.pollMs ?? 1000);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inflight;
  }
}
