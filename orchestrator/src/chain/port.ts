// The one interface the orchestrator reaches the chain through: send instructions with signers, read
// accounts (one or many), read the chain's clock, and follow the programs' events. It says nothing of
// the transport. Two adapters implement it: `engine.ts` over the in-process engines (@hourglass/localchain),
// and `rpc.ts` over Solana JSON-RPC on HTTP (the embedded network's endpoint, solana-test-validator or a
// cluster; confirmation and events by polling). tests/chain-rpc.test.ts holds both to the same contract.

import type { Idl } from "@coral-xyz/anchor";
import { type HourglassEvent, leasesIdl, parseEvents, rewardsIdl, stakingIdl } from "@hourglass/client";
import type { AccountInfo, Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";

/** What became of a sent transaction. */
export interface SendOutcome {
  ok: boolean;
  signature: string;
  /** The failure's text (null when it went through). */
  error: string | null;
  /** The failed instruction's program error code, if it was one. */
  errorCode: number | null;
}

/** One event of the Hourglass programs (narrow it on `name`), in the order its transaction emitted it. */
export type ChainEvent = HourglassEvent;

export interface Chain {
  /**
   * Signs with `signers` (the first pays fees) and sends. A transaction the chain refuses resolves with
   * `ok: false`; a transport failure (the node unreachable, overloaded) throws.
   */
  send(instructions: TransactionInstruction[], signers: Keypair[]): Promise<SendOutcome>;
  /** An account, or null when it does not exist. */
  getAccount(address: PublicKey): Promise<AccountInfo<Buffer> | null>;
  /** Several accounts read at one point of the chain, in the order asked. */
  getMultipleAccounts(addresses: PublicKey[]): Promise<(AccountInfo<Buffer> | null)[]>;
  /** The chain clock: unix seconds as the programs see them. */
  unixTime(): Promise<number>;
  /**
   * Calls `listener` with the events of every successful transaction of the Hourglass programs (the
   * staking events of the lease program's CPIs included), one call a transaction. Returns the unsubscribe.
   */
  subscribe(listener: (events: ChainEvent[], signature: string) => void): () => void;
}

const IDLS = [stakingIdl, leasesIdl, rewardsIdl] as Idl[];

/** The Hourglass programs' events in a transaction's logs (what every adapter delivers to `subscribe`). */
export function chainEvents(logs: string[]): ChainEvent[] {
  return parseEvents(IDLS, logs);
}
