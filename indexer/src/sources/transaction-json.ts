// Reads a transaction in getTransaction's JSON shape (as JSON-RPC, Helius webhooks and Helius's
// getTransactionsForAddress deliver it) into the pipeline's ChainTx, rejecting anything malformed.
import type { ChainTx, Commitment } from "../ingest/chain-tx.ts";

export class MalformedTransaction extends Error {}

function field<T>(o: Record<string, unknown>, k: string, ok: (v: unknown) => boolean, what: string): T {
  if (!ok(o[k])) throw new MalformedTransaction(`${what}: ${k} is missing or malformed`);
  return o[k] as T;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isSlot = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** `blockIndex`: the transaction's index in its block when the source knows it (Helius does). */
export function chainTxFromJson(raw: unknown, commitment: Commitment, blockIndex?: number): ChainTx {
  if (!isObj(raw)) throw new MalformedTransaction("transaction: expected an object");
  const slot = field<number>(raw, "slot", isSlot, "transaction");
  const meta = field<Record<string, unknown>>(raw, "meta", isObj, "transaction");
  const tx = field<Record<string, unknown>>(raw, "transaction", isObj, "transaction");
  const signatures = field<unknown[]>(tx, "signatures", (v) => Array.isArray(v) && v.length > 0 && typeof v[0] === "string", "transaction");
  const logs = meta.logMessages ?? [];
  if (!Array.isArray(logs) || !logs.every((l) => typeof l === "string"))
    throw new MalformedTransaction("transaction: meta.logMessages must be an array of strings");
  const index = blockIndex ?? raw.indexWithinBlock ?? raw.transactionIndex ?? 0;
  if (!isSlot(index)) throw new MalformedTransaction("transaction: indexWithinBlock must be a non-negative integer");
  const blockTime = raw.blockTime ?? null;
  if (blockTime !== null && !Number.isSafeInteger(blockTime)) throw new MalformedTransaction("transaction: blockTime must be an integer or null");
  return {
    signature: signatures[0] as string,
    slot,
    blockIndex: index as number,
    blockTime: blockTime as number | null,
    logs: logs as string[],
    failed: meta.err !== null && meta.err !== undefined,
    commitment,
  };
}
