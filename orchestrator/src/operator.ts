// What every part of the orchestrator shares: the chain, the operator key (the attester registered in
// the staking Config; it signs and pays for every transaction), the program clients, and the log.

import { type LeaseAccount, LeasesClient, RewardsClient, type SlotAccount, StakingClient } from "@hourglass/client";
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { Chain, SendOutcome } from "./chain/port.ts";

export class Operator {
  readonly staking = new StakingClient();
  readonly leases = new LeasesClient();
  readonly rewards = new RewardsClient();

  constructor(
    readonly chain: Chain,
    readonly key: Keypair,
    private readonly sink?: (msg: string) => void,
  ) {}

  get publicKey(): PublicKey {
    return this.key.publicKey;
  }

  log(msg: string): void {
    this.sink?.(msg);
  }

  /** Sends a transaction signed by the operator (and `extra`); a transport error counts as a failed send (the next tick tries again). */
  async send(name: string, ixs: TransactionInstruction[], extra: Keypair[] = []): Promise<SendOutcome> {
    let r: SendOutcome;
    try {
      r = await this.chain.send(ixs, [this.key, ...extra]);
    } catch (e) {
      r = { ok: false, signature: "", error: `RPC error: ${e instanceof Error ? e.message : String(e)}`, errorCode: null };
    }
    if (!r.ok) this.log(`${name} failed: ${r.error}`);
    return r;
  }

  async readLease(address: PublicKey): Promise<{ lease: LeaseAccount; slots: SlotAccount[] }> {
    const acc = await this.chain.getAccount(address);
    if (!acc) throw new Error(`no lease ${address.toBase58()}`);
    return this.leases.decodeLease(acc.data);
  }
}
