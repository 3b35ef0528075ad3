// What the JSON-RPC endpoint keeps over the engine: every transaction it saw with its slot, position in
// its slot ("block") and time, indexed by signature, by account address and by slot, and the
// commitment each has reached (the engine itself forgets transactions once executed).

import { type Transaction, VersionedTransaction } from "@solana/web3.js";
import type { Engine, TxResult } from "../engine.ts";

export type Commitment = "processed" | "confirmed" | "finalized";
const COMMITMENT_RANK: Record<Commitment, number> = { processed: 0, confirmed: 1, finalized: 2 };

export interface Processed {
  slot: number;
  /** Position within its slot ("block"), in execution order. */
  blockIndex: number;
  blockTime: number;
  result: TxResult;
  /** The wire bytes, when the transaction arrived over RPC (else serialized when asked for). */
  raw?: Buffer;
  /** Account keys of the message, base58, in message order. */
  accountKeys: string[];
}

/** A transaction's account keys in message order, base58 (what the history indexes are keyed by). */
function accountKeysOf(tx: Transaction | VersionedTransaction): string[] {
  const keys = tx instanceof VersionedTransaction ? tx.message.staticAccountKeys : tx.compileMessage().accountKeys;
  return keys.map((k) => k.toBase58());
}

export class Ledger {
  private readonly processed = new Map<string, Processed>();
  /** Signatures by account address, oldest first. */
  private readonly byAddress = new Map<string, string[]>();
  /** Signatures by slot, in execution order. */
  private readonly bySlot = new Map<number, string[]>();
  private currentSlot = 0;

  constructor(
    private readonly engine: Pick<Engine, "slot" | "unixTime">,
    /** Slots a transaction stays "confirmed" before it is "finalized". */
    readonly finalityDepth = 0,
  ) {}

  /** The newest slot seen. */
  get slot(): number {
    return this.currentSlot;
  }

  /** Moves the tip to `slot` (never back). */
  observeSlot(slot: number): void {
    this.currentSlot = Math.max(this.currentSlot, slot);
  }

  /** Records an executed transaction once (the first record of a signature stands). */
  async record(result: TxResult, raw?: Buffer): Promise<Processed | undefined> {
    const known = this.processed.get(result.signature);
    if (known) return known;
    if (!result.transaction) return undefined;
    const slot = Number(await this.engine.slot());
    this.observeSlot(slot);
    // Only the keys here: the JSON form (base58 of every signature and instruction) is built when asked.
    const accountKeys = accountKeysOf(result.transaction);
    const inSlot = this.bySlot.get(slot) ?? [];
    this.bySlot.set(slot, inSlot);
    const entry: Processed = {
      slot,
      blockIndex: inSlot.length,
      blockTime: Number(await this.engine.unixTime()),
      result,
      raw,
      accountKeys,
    };
    inSlot.push(result.signature);
    this.processed.set(result.signature, entry);
    for (const key of new Set(accountKeys)) {
      const list = this.byAddress.get(key) ?? [];
      list.push(result.signature);
      this.byAddress.set(key, list);
    }
    return entry;
  }

  /** An engine-made credit under `signature`, for its status only: in no block and no address history. */
  async recordAirdrop(signature: string): Promise<void> {
    this.processed.set(signature, {
      slot: Number(await this.engine.slot()),
      blockIndex: -1,
      blockTime: Number(await this.engine.unixTime()),
      result: { ok: true, signature, logs: [], errorCode: null, error: null, computeUnits: 0 },
      accountKeys: [],
    });
  }

  get(signature: string): Processed | undefined {
    return this.processed.get(signature);
  }

  /** Signatures that touched `address`, oldest first. */
  signaturesOf(address: string): readonly string[] {
    return this.byAddress.get(address) ?? [];
  }

  /** Signatures executed in `slot`, in order. */
  signaturesIn(slot: number): readonly string[] {
    return this.bySlot.get(slot) ?? [];
  }

  commitmentOf(e: Processed): Commitment {
    return this.currentSlot - e.slot >= this.finalityDepth ? "finalized" : "confirmed";
  }

  /** Whether `e` is seen at commitment `c`. */
  visible(e: Processed, c: Commitment): boolean {
    return COMMITMENT_RANK[this.commitmentOf(e)] >= COMMITMENT_RANK[c];
  }

  /** Forgets a transaction that is not finalized yet, as when the fork that held it is abandoned. */
  abandon(signature: string): boolean {
    const e = this.processed.get(signature);
    if (!e || this.commitmentOf(e) === "finalized") return false;
    this.processed.delete(signature);
    this.bySlot.set(
      e.slot,
      (this.bySlot.get(e.slot) ?? []).filter((s) => s !== signature),
    );
    for (const key of new Set(e.accountKeys))
      this.byAddress.set(
        key,
        (this.byAddress.get(key) ?? []).filter((s) => s !== signature),
      );
    return true;
  }
}
