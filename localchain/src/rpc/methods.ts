// The JSON-RPC methods the embedded endpoint serves, by name, each validating its params (a bad one is
// refused with -32602 and a message naming it); any other name is "method not found" (-32601).

import { randomBytes } from "node:crypto";
import { PublicKey, Transaction, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";
import type { Engine } from "../engine.ts";
import { accountJson, blockHeader, jsonMeta, jsonTransaction, jsonTransactionWithMeta, txErr, wireBytes } from "./encoders.ts";
import { invalidParams, METHOD_NOT_FOUND, PREFLIGHT_FAILURE, RpcError, SLOT_SKIPPED } from "./errors.ts";
import type { Commitment, Ledger, Processed } from "./ledger.ts";

export type RpcMethod = (params: unknown[]) => Promise<unknown>;

export interface MethodOptions {
  /** Serve `requestAirdrop` (else it is "method not found"). */
  airdrop?: boolean;
}

function pubkeyParam(v: unknown, what = "pubkey"): PublicKey {
  if (typeof v !== "string") throw invalidParams(`Invalid param: ${what} must be a base58 string`);
  try {
    return new PublicKey(v);
  } catch {
    throw invalidParams(`Invalid param: ${what} is not a valid public key`);
  }
}

function commitmentParam(config: unknown): Commitment {
  const c = (config as { commitment?: unknown } | undefined)?.commitment ?? "finalized";
  if (c !== "processed" && c !== "confirmed" && c !== "finalized") throw invalidParams(`Invalid param: unknown commitment ${String(c)}`);
  return c;
}

function encodingParam(config: unknown, dflt: string): string {
  return (config as { encoding?: string } | undefined)?.encoding ?? dflt;
}

/** A page size from 1 to 1000 (`dflt` when absent). */
function limitParam(limit: unknown, dflt: number): number {
  const v = limit ?? dflt;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 1000) throw invalidParams("Invalid param: limit must be between 1 and 1000");
  return v as number;
}

function deserialize(raw: Buffer): Transaction | VersionedTransaction {
  try {
    return VersionedTransaction.deserialize(raw);
  } catch {
    try {
      return Transaction.from(raw);
    } catch {
      throw invalidParams("Invalid param: failed to deserialize the transaction");
    }
  }
}

/** The methods over `engine`, recording what they execute in `ledger`. */
export function rpcMethods(engine: Engine, ledger: Ledger, opts: MethodOptions = {}): Record<string, RpcMethod> {
  const context = async () => ({ slot: Number(await engine.slot()) });
  /** A history row of getSignaturesForAddress (and Helius's `signatures` details, with its position). */
  const signatureInfo = (sig: string, e: Processed) => ({
    signature: sig,
    slot: e.slot,
    err: txErr(e.result),
    memo: null,
    blockTime: e.blockTime,
    confirmationStatus: ledger.commitmentOf(e),
  });

  async function execute(raw: Buffer): Promise<Processed> {
    const result = await engine.sendSigned(deserialize(raw));
    const entry = (await ledger.record(result, raw))!;
    // A validator moves to a new blockhash every slot; without that, a client resending the same
    // instruction would build a byte-identical transaction and be refused as already processed.
    await engine.advanceBlockhash();
    return entry;
  }

  return {
    getHealth: async () => "ok",
    getVersion: async () => ({ "solana-core": "hourglass-embedded", "feature-set": 0 }),
    getSlot: async () => Number(await engine.slot()),
    getBlockHeight: async () => Number(await engine.slot()),
    getLatestBlockhash: async () => ({
      context: await context(),
      value: { blockhash: await engine.latestBlockhash(), lastValidBlockHeight: Number(await engine.slot()) + 150 },
    }),
    getMinimumBalanceForRentExemption: async ([size]) => {
      if (!Number.isInteger(size) || (size as number) < 0) throw invalidParams("Invalid param: size must be a non-negative integer");
      return Number(await engine.rentExempt(size as number));
    },
    getBalance: async ([key]) => ({ context: await context(), value: (await engine.getAccount(pubkeyParam(key)))?.lamports ?? 0 }),
    getAccountInfo: async ([key, config]) => {
      const encoding = encodingParam(config, "base58");
      return { context: await context(), value: accountJson(await engine.getAccount(pubkeyParam(key)), encoding) };
    },
    getMultipleAccounts: async ([keys, config]) => {
      if (!Array.isArray(keys) || keys.length > 100) throw invalidParams("Invalid param: expected at most 100 pubkeys");
      const encoding = encodingParam(config, "base64");
      const value = [];
      for (const k of keys) value.push(accountJson(await engine.getAccount(pubkeyParam(k)), encoding));
      return { context: await context(), value };
    },
    sendTransaction: async ([encoded, config]) => {
      if (typeof encoded !== "string") throw invalidParams("Invalid param: transaction must be an encoded string");
      const encoding = encodingParam(config, "base58");
      let raw: Buffer;
      try {
        raw = encoding === "base64" ? Buffer.from(encoded, "base64") : Buffer.from(bs58.decode(encoded));
      } catch {
        throw invalidParams(`Invalid param: transaction is not ${encoding}`);
      }
      const entry = await execute(raw);
      if (!entry.result.ok) {
        // The embedded network executes at once, so a failure is reported the way preflight reports it.
        throw new RpcError(PREFLIGHT_FAILURE, `Transaction simulation failed: ${entry.result.error}`, {
          err: txErr(entry.result),
          logs: entry.result.logs,
          unitsConsumed: entry.result.computeUnits,
        });
      }
      return entry.result.signature;
    },
    getSignatureStatuses: async ([sigs]) => {
      if (!Array.isArray(sigs) || sigs.length > 256) throw invalidParams("Invalid param: expected at most 256 signatures");
      return {
        context: await context(),
        value: sigs.map((s) => {
          const e = ledger.get(String(s));
          if (!e) return null;
          const err = txErr(e.result);
          const status = ledger.commitmentOf(e);
          return {
            slot: e.slot,
            confirmations: status === "finalized" ? null : ledger.slot - e.slot,
            err,
            status: err ? { Err: err } : { Ok: null },
            confirmationStatus: status,
          };
        }),
      };
    },
    getTransaction: async ([sig, config]) => {
      if (typeof sig !== "string") throw invalidParams("Invalid param: signature must be a base58 string");
      const e = ledger.get(sig);
      // Airdrops are recorded for their status only: there is no transaction to show.
      if (!e?.result.transaction || !ledger.visible(e, commitmentParam(config))) return null;
      const encoding = encodingParam(config, "json");
      if (encoding !== "base64" && encoding !== "json") throw invalidParams(`Invalid param: encoding ${encoding} is not served (use json or base64)`);
      const json = jsonTransaction(e.result.transaction!);
      return {
        slot: e.slot,
        blockTime: e.blockTime,
        version: json.version,
        transaction: encoding === "base64" ? [wireBytes(e).toString("base64"), "base64"] : json.transaction,
        meta: jsonMeta(e),
      };
    },
    getSignaturesForAddress: async ([address, config]) => {
      const key = pubkeyParam(address, "address").toBase58();
      const c = (config ?? {}) as { limit?: unknown; before?: unknown; until?: unknown };
      for (const k of ["before", "until"] as const) {
        if (c[k] !== undefined && typeof c[k] !== "string") throw invalidParams(`Invalid param: ${k} must be a signature string`);
      }
      const limit = limitParam(c.limit, 1000);
      const commitment = commitmentParam(config);
      if (commitment === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
      const list = ledger.signaturesOf(key);
      // Newest first, as a validator answers; `before` and `until` are exclusive bounds.
      let i = list.length - 1;
      if (c.before !== undefined) {
        const at = list.lastIndexOf(String(c.before));
        if (at < 0) return [];
        i = at - 1;
      }
      const out = [];
      for (; i >= 0 && out.length < limit; i--) {
        if (c.until !== undefined && list[i] === c.until) break;
        const e = ledger.get(list[i])!;
        if (!ledger.visible(e, commitment)) continue;
        out.push(signatureInfo(list[i], e));
      }
      return out;
    },
    // Helius's history method (as helius-sdk calls it), so the indexer's Helius backfill runs against the
    // embedded network too: full transactions for an address, oldest or newest first, paginated.
    getTransactionsForAddress: async ([address, config]) => {
      const key = pubkeyParam(address, "address").toBase58();
      const c = (config ?? {}) as {
        transactionDetails?: string;
        sortOrder?: string;
        limit?: unknown;
        paginationToken?: unknown;
        filters?: { slot?: { gte?: number; gt?: number; lt?: number; lte?: number } };
      };
      const limit = limitParam(c.limit, 100);
      const commitment = commitmentParam(config);
      const details = c.transactionDetails ?? "signatures";
      if (details !== "full" && details !== "signatures") throw invalidParams(`Invalid param: transactionDetails ${String(details)} is not served`);
      const order = c.sortOrder ?? "desc";
      if (order !== "asc" && order !== "desc") throw invalidParams(`Invalid param: sortOrder must be asc or desc`);
      const slotFilter = c.filters?.slot ?? {};
      for (const [k, v] of Object.entries(slotFilter)) {
        if (!["gte", "gt", "lt", "lte"].includes(k) || !Number.isSafeInteger(v))
          throw invalidParams(`Invalid param: filters.slot.${k} must be an integer bound (gte, gt, lt, lte)`);
      }
      const list = ledger.signaturesOf(key).filter((sig) => {
        const e = ledger.get(sig)!;
        return (
          ledger.visible(e, commitment) &&
          (slotFilter.gte === undefined || e.slot >= slotFilter.gte) &&
          (slotFilter.gt === undefined || e.slot > slotFilter.gt) &&
          (slotFilter.lt === undefined || e.slot < slotFilter.lt) &&
          (slotFilter.lte === undefined || e.slot <= slotFilter.lte)
        );
      });
      if (order === "desc") list.reverse();
      let start = 0;
      if (c.paginationToken !== undefined && c.paginationToken !== null) {
        const at = list.indexOf(String(c.paginationToken));
        if (at < 0) throw invalidParams("Invalid param: unknown paginationToken");
        start = at + 1;
      }
      const page = list.slice(start, start + limit);
      const data = page.map((sig) => {
        const e = ledger.get(sig)!;
        if (details === "full") return { slot: e.slot, transactionIndex: e.blockIndex, blockTime: e.blockTime, ...jsonTransactionWithMeta(e) };
        const { signature, slot, ...rest } = signatureInfo(sig, e);
        return { signature, slot, transactionIndex: e.blockIndex, ...rest };
      });
      return { data, paginationToken: start + page.length < list.length ? page[page.length - 1] : null };
    },
    getBlock: async ([slot, config]) => {
      if (!Number.isSafeInteger(slot) || (slot as number) < 0) throw invalidParams("Invalid param: slot must be a non-negative integer");
      const c = (config ?? {}) as { transactionDetails?: string; encoding?: string };
      const details = c.transactionDetails ?? "full";
      if (details !== "full" && details !== "signatures" && details !== "none")
        throw invalidParams(`Invalid param: transactionDetails ${details} is not served`);
      const commitment = commitmentParam(config);
      const sigs = ledger.signaturesIn(slot as number).filter((s) => ledger.visible(ledger.get(s)!, commitment));
      if (sigs.length === 0) throw new RpcError(SLOT_SKIPPED, `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
      const block = blockHeader(slot as number, ledger.get(sigs[0])!.blockTime);
      if (details === "none") return block;
      if (details === "signatures") return { ...block, signatures: sigs };
      return { ...block, transactions: sigs.map((s) => jsonTransactionWithMeta(ledger.get(s)!)) };
    },
    requestAirdrop: async ([key, lamports]) => {
      if (!opts.airdrop) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
      if (!Number.isSafeInteger(lamports) || (lamports as number) <= 0) throw invalidParams("Invalid param: lamports must be a positive integer");
      const to = pubkeyParam(key);
      await engine.airdrop(to, BigInt(lamports as number));
      // The engine credits the account directly; record it under a fresh signature so status queries work.
      const signature = bs58.encode(randomBytes(64));
      await ledger.recordAirdrop(signature);
      return signature;
    },
  };
}

/** The call of `method` with `params`, to run when its turn comes: -32601 for a name not in `methods`, -32602 when params is not an array. */
export function dispatch(methods: Record<string, RpcMethod>, method: string, params: unknown): () => Promise<unknown> {
  if (!Array.isArray(params)) throw invalidParams("Invalid params: expected an array");
  const fn = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!fn) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
  return () => fn(params);
}
