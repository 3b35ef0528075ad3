// The JSON shapes a validator answers in: accounts (base64 / base58 data), transactions (`json` and
// `base64` encodings), transaction status metadata and errors, blocks.

import { type AccountInfo, type Transaction, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";
import type { TxResult } from "../engine.ts";
import { invalidParams } from "./errors.ts";
import type { Processed } from "./ledger.ts";

/** The wire bytes of a recorded transaction (serialized once, when first asked for). */
export function wireBytes(e: Processed): Buffer {
  e.raw ??= Buffer.from(e.result.transaction!.serialize({ requireAllSignatures: false, verifySignatures: false } as never));
  return e.raw;
}

/** The transaction in getTransaction's `json` encoding: message with account keys and compiled instructions. */
export function jsonTransaction(tx: Transaction | VersionedTransaction): { version: "legacy" | 0; transaction: unknown } {
  if (tx instanceof VersionedTransaction) {
    const m = tx.message;
    const accountKeys = m.staticAccountKeys.map((k) => k.toBase58());
    return {
      version: m.version === "legacy" ? "legacy" : 0,
      transaction: {
        signatures: tx.signatures.map((s) => bs58.encode(s)),
        message: {
          accountKeys,
          header: m.header,
          recentBlockhash: m.recentBlockhash,
          instructions: m.compiledInstructions.map((ix) => ({
            programIdIndex: ix.programIdIndex,
            accounts: ix.accountKeyIndexes,
            data: bs58.encode(ix.data),
            stackHeight: null,
          })),
          ...(m.version === 0
            ? {
                addressTableLookups: m.addressTableLookups.map((l) => ({
                  accountKey: l.accountKey.toBase58(),
                  writableIndexes: l.writableIndexes,
                  readonlyIndexes: l.readonlyIndexes,
                })),
              }
            : {}),
        },
      },
    };
  }
  const m = tx.compileMessage();
  const accountKeys = m.accountKeys.map((k) => k.toBase58());
  return {
    version: "legacy",
    transaction: {
      signatures: tx.signatures.map((s) => (s.signature ? bs58.encode(s.signature) : bs58.encode(Buffer.alloc(64)))),
      message: {
        accountKeys,
        header: m.header,
        recentBlockhash: m.recentBlockhash,
        instructions: m.instructions.map((ix) => ({ programIdIndex: ix.programIdIndex, accounts: ix.accounts, data: ix.data, stackHeight: null })),
      },
    },
  };
}

/** A transaction's error as a validator reports it (`null` when it succeeded). */
export function txErr(result: TxResult): unknown {
  return result.ok ? null : result.errorCode === null ? result.error : { InstructionError: [0, { Custom: result.errorCode }] };
}

/** The status metadata of getTransaction and getBlock. */
export function jsonMeta(e: Processed) {
  const err = txErr(e.result);
  return {
    err,
    status: err ? { Err: err } : { Ok: null },
    fee: 5000 * (e.result.transaction?.signatures.length ?? 1),
    // Lamport balances are not tracked by the embedded engine's transaction record.
    preBalances: [],
    postBalances: [],
    innerInstructions: [],
    logMessages: e.result.logs,
    preTokenBalances: [],
    postTokenBalances: [],
    rewards: [],
    loadedAddresses: { writable: [], readonly: [] },
    computeUnitsConsumed: e.result.computeUnits,
  };
}

/** A full transaction entry (getBlock's `full` details; Helius's `full` history rows add their position). */
export function jsonTransactionWithMeta(e: Processed) {
  const j = jsonTransaction(e.result.transaction!);
  return { transaction: j.transaction, meta: jsonMeta(e), version: j.version };
}

/** An account in `base64` or `base58` encoding (`null` when there is none). */
export function accountJson(acc: AccountInfo<Buffer> | null, encoding: string) {
  if (!acc) return null;
  if (encoding !== "base64" && encoding !== "base58") throw invalidParams(`Invalid param: encoding ${encoding} is not supported (use base64)`);
  return {
    data: [encoding === "base64" ? acc.data.toString("base64") : bs58.encode(acc.data), encoding],
    executable: acc.executable,
    lamports: acc.lamports,
    owner: acc.owner.toBase58(),
    rentEpoch: 0,
    space: acc.data.length,
  };
}

/** The embedded network's stand-in blockhash of a slot (its slot number, padded, in base58). */
export function slotBlockhash(slot: number): string {
  return bs58.encode(Buffer.from(String(slot).padStart(32, "0")));
}

/** A block's header fields for `slot`. */
export function blockHeader(slot: number, blockTime: number) {
  return {
    blockhash: slotBlockhash(slot),
    previousBlockhash: slotBlockhash(slot - 1),
    parentSlot: Math.max(0, slot - 1),
    blockHeight: slot,
    blockTime,
  };
}
