// The JSON-RPC adapter's event feed, by polling (no websockets): each round lists every program's
// signatures newer than the last one it saw (getSignaturesForAddress with `until`, paged), keeps the
// successful ones not delivered yet (a lease transaction appears under staking too, through its CPI),
// orders them as the chain executed them (slot, then position in the block from getBlock) and hands
// each transaction's events to the listener once (getTransaction's logs). A round that fails part-way
// moves no cursor, so the next one lists the rest again; the last deliveries are remembered, so one
// listed again (by that retry, or late under another program, as from a node behind) is not repeated.

import type { JsonRpcClient } from "@hourglass/client";
import type { PublicKey } from "@solana/web3.js";
import { type ChainEvent, chainEvents } from "./port.ts";

export interface FeedOptions {
  pollMs: number;
  /** "now": only transactions after the feed starts; "genesis": every one the node still keeps. */
  from: "now" | "genesis";
  /** Told of a round that failed (the feed keeps polling). */
  onError: (e: Error) => void;
}

interface SignatureInfo {
  signature: string;
  slot: number;
  err: unknown;
}

/** getSignaturesForAddress's page size (a node's maximum). */
const PAGE = 1_000;
/** Transactions (and blocks) asked for in one batch request. */
const BATCH = 100;
/** Delivered signatures remembered against repeats (the newest; a few MB at most). */
const REMEMBERED = 10_000;
const CONFIRMED = { commitment: "confirmed" } as const;

/** Each answer of a batch, or the first error in it thrown. */
async function batchOrThrow<T>(rpc: JsonRpcClient, method: string, params: unknown[][]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < params.length; i += BATCH) {
    for (const r of await rpc.batch<T>(params.slice(i, i + BATCH).map((p) => ({ method, params: p })))) {
      if (r instanceof Error) throw r;
      out.push(r);
    }
  }
  return out;
}

class ProgramFeed {
  /** Per program (base58), the newest signature listed so far. */
  private readonly cursors = new Map<string, string>();
  /** The last delivered signatures, oldest first. */
  private readonly delivered = new Set<string>();
  private started: boolean;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rpc: JsonRpcClient,
    private readonly programs: string[],
    private readonly opts: FeedOptions,
    private readonly listener: (events: ChainEvent[], signature: string) => void,
  ) {
    this.started = opts.from === "genesis";
  }

  /** Polls from now: the first round (the starting point, for "now") goes out at once. */
  start(): void {
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    try {
      if (this.started) await this.poll();
      else await this.markStart();
    } catch (e) {
      if (!this.stopped) this.opts.onError(e instanceof Error ? e : new Error(String(e)));
    }
    if (this.stopped) return;
    // Unref'd like the in-process adapter's subscription: following the chain alone does not keep a
    // process alive (a service has its server for that).
    this.timer = setTimeout(() => void this.tick(), this.opts.pollMs).unref();
  }

  /** The programs' newest signatures now: the feed delivers only what comes after them. */
  private async markStart(): Promise<void> {
    const newest = await batchOrThrow<SignatureInfo[]>(
      this.rpc,
      "getSignaturesForAddress",
      this.programs.map((p) => [p, { limit: 1, ...CONFIRMED }]),
    );
    newest.forEach((list, i) => {
      if (list.length > 0) this.cursors.set(this.programs[i], list[0].signature);
    });
    this.started = true;
  }

  /** A program's signatures after its cursor, newest first. */
  private async listNew(program: string): Promise<SignatureInfo[]> {
    const until = this.cursors.get(program);
    const out: SignatureInfo[] = [];
    for (;;) {
      const before = out.at(-1)?.signature;
      const page = await this.rpc.call<SignatureInfo[]>("getSignaturesForAddress", [
        program,
        { limit: PAGE, ...CONFIRMED, ...(until ? { until } : {}), ...(before ? { before } : {}) },
      ]);
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }

  /** `infos` in execution order: by slot, then position in the block (asked only of slots holding several). */
  private async executionOrder(infos: SignatureInfo[]): Promise<SignatureInfo[]> {
    const perSlot = new Map<number, number>();
    for (const i of infos) perSlot.set(i.slot, (perSlot.get(i.slot) ?? 0) + 1);
    const shared = [...perSlot].filter(([, n]) => n > 1).map(([slot]) => slot);
    const blocks = await batchOrThrow<{ signatures?: string[] } | null>(
      this.rpc,
      "getBlock",
      shared.map((slot) => [slot, { transactionDetails: "signatures", rewards: false, maxSupportedTransactionVersion: 0, ...CONFIRMED }]),
    );
    const position = new Map<string, number>();
    blocks.forEach((b, k) => {
      if (!Array.isArray(b?.signatures)) throw new Error(`getBlock ${shared[k]} answered without the block's signatures`);
      b.signatures.forEach((s, idx) => {
        position.set(s, idx);
      });
    });
    const at = (i: SignatureInfo) => position.get(i.signature) ?? 0;
    return infos.sort((a, b) => a.slot - b.slot || at(a) - at(b));
  }

  private async poll(): Promise<void> {
    const lists = await Promise.all(this.programs.map((p) => this.listNew(p)));
    const fresh = new Map<string, SignatureInfo>();
    for (const info of lists.flat()) if (info.err === null && !this.delivered.has(info.signature)) fresh.set(info.signature, info);
    const ordered = await this.executionOrder([...fresh.values()]);
    const txs = await batchOrThrow<{ meta: { err: unknown; logMessages?: string[] | null } | null } | null>(
      this.rpc,
      "getTransaction",
      ordered.map((i) => [i.signature, { encoding: "json", maxSupportedTransactionVersion: 0, ...CONFIRMED }]),
    );
    for (let k = 0; k < ordered.length; k++) {
      if (this.stopped) return;
      const tx = txs[k];
      // Listed but not readable yet: stop here, cursors unmoved, and read it (and what follows) next round.
      if (!tx?.meta) return;
      const { signature } = ordered[k];
      this.delivered.add(signature);
      if (this.delivered.size > REMEMBERED) this.delivered.delete(this.delivered.values().next().value!);
      if (tx.meta.err === null) this.listener(chainEvents(tx.meta.logMessages ?? []), signature);
    }
    lists.forEach((list, i) => {
      if (list.length > 0) this.cursors.set(this.programs[i], list[0].signature);
    });
  }
}

/** Follows `programs`' successful transactions, calling `listener` once per transaction, oldest first; returns the stop. */
export function followPrograms(
  rpc: JsonRpcClient,
  programs: PublicKey[],
  opts: FeedOptions,
  listener: (events: ChainEvent[], signature: string) => void,
): () => void {
  const feed = new ProgramFeed(
    rpc,
    programs.map((p) => p.toBase58()),
    opts,
    listener,
  );
  feed.start();
  return () => feed.stop();
}
