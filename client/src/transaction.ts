// Unsigned transactions for wallets: compute-budget and priority-fee options, legacy or versioned.
import { ComputeBudgetProgram, type PublicKey, Transaction, type TransactionInstruction, TransactionMessage, VersionedTransaction } from "@solana/web3.js";

export interface TxOptions {
  /** Compute-unit limit for the whole transaction. */
  computeUnitLimit?: number;
  /** Priority fee in micro-lamports per compute unit. */
  priorityFeeMicroLamports?: number;
}

export function budgetInstructions(opts: TxOptions = {}): TransactionInstruction[] {
  const ixs: TransactionInstruction[] = [];
  if (opts.computeUnitLimit !== undefined) {
    ixs.push(ComputeBudgetProgram.setComputeUnitLimit({ units: opts.computeUnitLimit }));
  }
  if (opts.priorityFeeMicroLamports !== undefined) {
    ixs.push(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: opts.priorityFeeMicroLamports }));
  }
  return ixs;
}

/** An unsigned legacy transaction (sign with a keypair or wallet-adapter `signTransaction`). */
export function unsignedTransaction(instructions: TransactionInstruction[], feePayer: PublicKey, recentBlockhash: string, opts: TxOptions = {}): Transaction {
  const tx = new Transaction({ feePayer, recentBlockhash });
  tx.add(...budgetInstructions(opts), ...instructions);
  return tx;
}

/** An unsigned v0 transaction. */
export function unsignedVersionedTransaction(
  instructions: TransactionInstruction[],
  feePayer: PublicKey,
  recentBlockhash: string,
  opts: TxOptions = {},
): VersionedTransaction {
  const message = new TransactionMessage({
    payerKey: feePayer,
    recentBlockhash,
    instructions: [...budgetInstructions(opts), ...instructions],
  }).compileToV0Message();
  return new VersionedTransaction(message);
}
