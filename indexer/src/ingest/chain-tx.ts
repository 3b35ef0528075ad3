// What every source hands the pipeline: one transaction with its position in the chain and its logs.
import { leasesIdl, rewardsIdl, stakingIdl } from "@hourglass/client";
import { EventDecoder } from "./event-decoder.ts";

export type Commitment = "processed" | "confirmed" | "finalized";
export const COMMITMENT_RANK: Record<Commitment, number> = { processed: 0, confirmed: 1, finalized: 2 };

export interface ChainTx {
  signature: string;
  slot: number;
  /** Position within the slot; transactions of one slot are folded in this order. */
  blockIndex: number;
  blockTime: number | null;
  logs: string[];
  /** A failed transaction's events were rolled back with it: it yields none. */
  failed: boolean;
  commitment: Commitment;
}

/** One event as stored: fields with keys in base58 and 64-bit integers as decimal strings. */
export interface ChainEvent {
  signature: string;
  instruction: number;
  ordinal: number;
  slot: number;
  blockIndex: number;
  blockTime: number | null;
  program: string;
  name: string;
  data: EventData;
}

export type EventData = Record<string, string | number | boolean>;

const DECODER = new EventDecoder([stakingIdl, leasesIdl, rewardsIdl]);

/** The Hourglass events in a transaction's logs, CPIs included. */
export function decodeTx(tx: ChainTx): ChainEvent[] {
  if (tx.failed) return [];
  return DECODER.decode(tx.logs, (e) => ({
    signature: tx.signature,
    instruction: e.instruction,
    ordinal: e.ordinal,
    slot: tx.slot,
    blockIndex: tx.blockIndex,
    blockTime: tx.blockTime,
    program: e.program,
    name: e.name,
    data: e.data,
  }));
}

/** Orders transactions as the chain executed them. */
export function chainOrder(a: { slot: number; blockIndex: number }, b: { slot: number; blockIndex: number }): number {
  return a.slot - b.slot || a.blockIndex - b.blockIndex;
}
