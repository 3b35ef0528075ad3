// A Solana JSON-RPC endpoint over an in-process Engine, answering in the shapes a validator uses, so
// the CLI, @solana/web3.js `Connection` and Anchor providers work against the embedded local network
// exactly as against a real cluster. It implements the methods those clients call; every other method
// gets JSON-RPC's "method not found", malformed requests get "parse error" / "invalid params".

import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PublicKey, Transaction, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";
import type { Engine, TxResult } from "./engine.ts";
import type { ObservedEngine } from "./observe.ts";

interface Processed {
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

type Commitment = "processed" | "confirmed" | "finalized";

function wireBytes(e: Processed): Buffer {
  e.raw ??= Buffer.from(e.result.transaction!.serialize({ requireAllSignatures: false, verifySignatures: false } as never));
  return e.raw;
}
const COMMITMENT_RANK: Record<Commitment, number> = { processed: 0, confirmed: 1, finalized: 2 };

/** A transaction's account keys in message order, base58 (what the history indexes are keyed by). */
function accountKeysOf(tx: Transaction | VersionedTransaction): string[] {
  const keys = tx instanceof VersionedTransaction ? tx.message.staticAccountKeys : tx.compileMessage().accountKeys;
  return keys.map((k) => k.toBase58());
}

/** The transaction in getTransaction's `json` encoding: message with account keys and compiled instructions. */
function jsonTransaction(tx: Transaction | VersionedTransaction): { version: "legacy" | 0; transaction: unknown } {
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

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
/** What a validator answers when preflight simulation of `sendTransaction` fails. */
const PREFLIGHT_FAILURE = -32002;
/** What a validator answers for a slot with no block. */
const SLOT_SKIPPED = -32007;

function pubkeyParam(v: unknown, what = "pubkey"): PublicKey {
  if (typeof v !== "string") throw new RpcError(INVALID_PARAMS, `Invalid param: ${what} must be a base58 string`);
  try {
    return new PublicKey(v);
  } catch {
    throw new RpcError(INVALID_PARAMS, `Invalid param: ${what} is not a valid public key`);
  }
}

export interface RpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Fault injection for indexer tests: forgets a transaction that is not finalized yet, as when the fork
   *  that held it is abandoned. Returns whether it was dropped. */
  abandon(signature: string): boolean;
}

export interface RpcServerOptions {
  airdrop?: boolean;
  /** Slots a transaction stays "confirmed" before it is "finalized" (a validator's is 32). Default 0: the
   *  embedded network has one node, so everything it executed is final at once. */
  finalityDepth?: number;
}

/** Serves `engine` over HTTP JSON-RPC on 127.0.0.1:`port` (0 = any free port). When `engine` is observed
 *  (`observe()`), transactions sent to it directly are recorded too, so history methods see them. */
export async function startRpcServer(engine: Engine, port = 0, opts: RpcServerOptions = {}): Promise<RpcServer> {
  const processed = new Map<string, Processed>();
  /** Signatures by account address, oldest first. */
  const byAddress = new Map<string, string[]>();
  /** Signatures by slot, in execution order. */
  const bySlot = new Map<number, string[]>();
  const finalityDepth = opts.finalityDepth ?? 0;
  let currentSlot = 0;

  async function record(result: TxResult, raw?: Buffer): Promise<Processed | undefined> {
    const known = processed.get(result.signature);
    if (known) return known;
    if (!result.transaction) return undefined;
    const slot = Number(await engine.slot());
    currentSlot = Math.max(currentSlot, slot);
    // Only the keys here: the JSON form (base58 of every signature and instruction) is built when asked.
    const accountKeys = accountKeysOf(result.transaction);
    const inSlot = bySlot.get(slot) ?? [];
    bySlot.set(slot, inSlot);
    const entry: Processed = {
      slot,
      blockIndex: inSlot.length,
      blockTime: Number(await engine.unixTime()),
      result,
      raw,
      accountKeys,
    };
    inSlot.push(result.signature);
    processed.set(result.signature, entry);
    for (const key of new Set(accountKeys)) {
      const list = byAddress.get(key) ?? [];
      list.push(result.signature);
      byAddress.set(key, list);
    }
    return entry;
  }
  const observed = engine as Partial<ObservedEngine>;
  // Subscribed before this function first awaits, so nothing the engine executes from now on is missed;
  // the engine awaits the listener, so records keep execution order.
  const unsubscribe = typeof observed.subscribe === "function" ? observed.subscribe((r) => record(r).then(() => undefined)) : undefined;

  const commitmentOf = (e: Processed): Commitment => (currentSlot - e.slot >= finalityDepth ? "finalized" : "confirmed");
  const commitmentParam = (config: unknown): Commitment => {
    const c = (config as { commitment?: unknown } | undefined)?.commitment ?? "finalized";
    if (c !== "processed" && c !== "confirmed" && c !== "finalized") throw new RpcError(INVALID_PARAMS, `Invalid param: unknown commitment ${String(c)}`);
    return c;
  };
  const visible = (e: Processed, c: Commitment) => COMMITMENT_RANK[commitmentOf(e)] >= COMMITMENT_RANK[c];
  const txErr = (e: Processed) =>
    e.result.ok ? null : e.result.errorCode === null ? e.result.error : { InstructionError: [0, { Custom: e.result.errorCode }] };
  const jsonMeta = (e: Processed) => {
    const err = txErr(e);
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
  };
  // Requests are handled one at a time so the SVM sees transactions in arrival order.
  let queue: Promise<unknown> = Promise.resolve();
  const context = async () => ({ slot: Number(await engine.slot()) });

  const accountJson = (acc: Awaited<ReturnType<Engine["getAccount"]>>, encoding: string) => {
    if (!acc) return null;
    if (encoding !== "base64" && encoding !== "base58") {
      throw new RpcError(INVALID_PARAMS, `Invalid param: encoding ${encoding} is not supported (use base64)`);
    }
    return {
      data: [encoding === "base64" ? acc.data.toString("base64") : bs58.encode(acc.data), encoding],
      executable: acc.executable,
      lamports: acc.lamports,
      owner: acc.owner.toBase58(),
      rentEpoch: 0,
      space: acc.data.length,
    };
  };

  async function execute(raw: Buffer): Promise<Processed> {
    let tx: Transaction | VersionedTransaction;
    try {
      tx = VersionedTransaction.deserialize(raw);
    } catch {
      try {
        tx = Transaction.from(raw);
      } catch {
        throw new RpcError(INVALID_PARAMS, "Invalid param: failed to deserialize the transaction");
      }
    }
    const result = await engine.sendSigned(tx);
    const entry = (await record(result, raw))!;
    // A validator moves to a new blockhash every slot; without that, a client resending the same
    // instruction would build a byte-identical transaction and be refused as already processed.
    await engine.advanceBlockhash();
    return entry;
  }

  const methods: Record<string, (params: unknown[]) => Promise<unknown>> = {
    getHealth: async () => "ok",
    getVersion: async () => ({ "solana-core": "hourglass-embedded", "feature-set": 0 }),
    getSlot: async () => Number(await engine.slot()),
    getBlockHeight: async () => Number(await engine.slot()),
    getLatestBlockhash: async () => ({
      context: await context(),
      value: { blockhash: await engine.latestBlockhash(), lastValidBlockHeight: Number(await engine.slot()) + 150 },
    }),
    getMinimumBalanceForRentExemption: async ([size]) => {
      if (!Number.isInteger(size) || (size as number) < 0) throw new RpcError(INVALID_PARAMS, "Invalid param: size must be a non-negative integer");
      return Number(await engine.rentExempt(size as number));
    },
    getBalance: async ([key]) => ({ context: await context(), value: (await engine.getAccount(pubkeyParam(key)))?.lamports ?? 0 }),
    getAccountInfo: async ([key, config]) => {
      const encoding = (config as { encoding?: string } | undefined)?.encoding ?? "base58";
      return { context: await context(), value: accountJson(await engine.getAccount(pubkeyParam(key)), encoding) };
    },
    getMultipleAccounts: async ([keys, config]) => {
      if (!Array.isArray(keys) || keys.length > 100) throw new RpcError(INVALID_PARAMS, "Invalid param: expected at most 100 pubkeys");
      const encoding = (config as { encoding?: string } | undefined)?.encoding ?? "base64";
      const value = [];
      for (const k of keys) value.push(accountJson(await engine.getAccount(pubkeyParam(k)), encoding));
      return { context: await context(), value };
    },
    sendTransaction: async ([encoded, config]) => {
      if (typeof encoded !== "string") throw new RpcError(INVALID_PARAMS, "Invalid param: transaction must be an encoded string");
      const encoding = (config as { encoding?: string } | undefined)?.encoding ?? "base58";
      let raw: Buffer;
      try {
        raw = encoding === "base64" ? Buffer.from(encoded, "base64") : Buffer.from(bs58.decode(encoded));
      } catch {
        throw new RpcError(INVALID_PARAMS, `Invalid param: transaction is not ${encoding}`);
      }
      const entry = await execute(raw);
      if (!entry.result.ok) {
        // The embedded network executes at once, so a failure is reported the way preflight reports it.
        throw new RpcError(PREFLIGHT_FAILURE, `Transaction simulation failed: ${entry.result.error}`, {
          err: entry.result.errorCode === null ? entry.result.error : { InstructionError: [0, { Custom: entry.result.errorCode }] },
          logs: entry.result.logs,
          unitsConsumed: entry.result.computeUnits,
        });
      }
      return entry.result.signature;
    },
    getSignatureStatuses: async ([sigs]) => {
      if (!Array.isArray(sigs) || sigs.length > 256) throw new RpcError(INVALID_PARAMS, "Invalid param: expected at most 256 signatures");
      return {
        context: await context(),
        value: sigs.map((s) => {
          const e = processed.get(String(s));
          if (!e) return null;
          const err = txErr(e);
          const status = commitmentOf(e);
          return {
            slot: e.slot,
            confirmations: status === "finalized" ? null : currentSlot - e.slot,
            err,
            status: err ? { Err: err } : { Ok: null },
            confirmationStatus: status,
          };
        }),
      };
    },
    getTransaction: async ([sig, config]) => {
      if (typeof sig !== "string") throw new RpcError(INVALID_PARAMS, "Invalid param: signature must be a base58 string");
      const e = processed.get(sig);
      // Airdrops are recorded for their status only: there is no transaction to show.
      if (!e?.result.transaction || !visible(e, commitmentParam(config))) return null;
      const encoding = (config as { encoding?: string } | undefined)?.encoding ?? "json";
      if (encoding !== "base64" && encoding !== "json")
        throw new RpcError(INVALID_PARAMS, `Invalid param: encoding ${encoding} is not served (use json or base64)`);
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
        if (c[k] !== undefined && typeof c[k] !== "string") throw new RpcError(INVALID_PARAMS, `Invalid param: ${k} must be a signature string`);
      }
      const limit = c.limit ?? 1000;
      if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 1000)
        throw new RpcError(INVALID_PARAMS, "Invalid param: limit must be between 1 and 1000");
      const commitment = commitmentParam(config);
      if (commitment === "processed") throw new RpcError(INVALID_PARAMS, "Method does not support commitment below `confirmed`");
      const list = byAddress.get(key) ?? [];
      // Newest first, as a validator answers; `before` and `until` are exclusive bounds.
      let i = list.length - 1;
      if (c.before !== undefined) {
        const at = list.lastIndexOf(String(c.before));
        if (at < 0) return [];
        i = at - 1;
      }
      const out = [];
      for (; i >= 0 && out.length < (limit as number); i--) {
        if (c.until !== undefined && list[i] === c.until) break;
        const e = processed.get(list[i])!;
        if (!visible(e, commitment)) continue;
        out.push({ signature: list[i], slot: e.slot, err: txErr(e), memo: null, blockTime: e.blockTime, confirmationStatus: commitmentOf(e) });
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
      const limit = c.limit ?? 100;
      if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 1000)
        throw new RpcError(INVALID_PARAMS, "Invalid param: limit must be between 1 and 1000");
      const commitment = commitmentParam(config);
      const details = c.transactionDetails ?? "signatures";
      if (details !== "full" && details !== "signatures")
        throw new RpcError(INVALID_PARAMS, `Invalid param: transactionDetails ${String(details)} is not served`);
      const order = c.sortOrder ?? "desc";
      if (order !== "asc" && order !== "desc") throw new RpcError(INVALID_PARAMS, `Invalid param: sortOrder must be asc or desc`);
      const slotFilter = c.filters?.slot ?? {};
      for (const [k, v] of Object.entries(slotFilter)) {
        if (!["gte", "gt", "lt", "lte"].includes(k) || !Number.isSafeInteger(v))
          throw new RpcError(INVALID_PARAMS, `Invalid param: filters.slot.${k} must be an integer bound (gte, gt, lt, lte)`);
      }
      const full = details === "full";
      const asc = order === "asc";
      const list = (byAddress.get(key) ?? []).filter((sig) => {
        const e = processed.get(sig)!;
        return (
          visible(e, commitment) &&
          (slotFilter.gte === undefined || e.slot >= slotFilter.gte) &&
          (slotFilter.gt === undefined || e.slot > slotFilter.gt) &&
          (slotFilter.lt === undefined || e.slot < slotFilter.lt) &&
          (slotFilter.lte === undefined || e.slot <= slotFilter.lte)
        );
      });
      if (!asc) list.reverse();
      let start = 0;
      if (c.paginationToken !== undefined && c.paginationToken !== null) {
        const at = list.indexOf(String(c.paginationToken));
        if (at < 0) throw new RpcError(INVALID_PARAMS, "Invalid param: unknown paginationToken");
        start = at + 1;
      }
      const page = list.slice(start, start + (limit as number));
      const data = page.map((sig) => {
        const e = processed.get(sig)!;
        if (!full)
          return {
            signature: sig,
            slot: e.slot,
            transactionIndex: e.blockIndex,
            err: txErr(e),
            memo: null,
            blockTime: e.blockTime,
            confirmationStatus: commitmentOf(e),
          };
        const j = jsonTransaction(e.result.transaction!);
        return { slot: e.slot, transactionIndex: e.blockIndex, blockTime: e.blockTime, transaction: j.transaction, meta: jsonMeta(e), version: j.version };
      });
      return { data, paginationToken: start + page.length < list.length ? page[page.length - 1] : null };
    },
    getBlock: async ([slot, config]) => {
      if (!Number.isSafeInteger(slot) || (slot as number) < 0) throw new RpcError(INVALID_PARAMS, "Invalid param: slot must be a non-negative integer");
      const c = (config ?? {}) as { transactionDetails?: string; encoding?: string };
      const details = c.transactionDetails ?? "full";
      if (details !== "full" && details !== "signatures" && details !== "none")
        throw new RpcError(INVALID_PARAMS, `Invalid param: transactionDetails ${details} is not served`);
      const commitment = commitmentParam(config);
      const sigs = (bySlot.get(slot as number) ?? []).filter((s) => visible(processed.get(s)!, commitment));
      if (sigs.length === 0) throw new RpcError(SLOT_SKIPPED, `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
      const first = processed.get(sigs[0])!;
      const block = {
        blockhash: bs58.encode(Buffer.from(String(slot).padStart(32, "0"))),
        previousBlockhash: bs58.encode(Buffer.from(String((slot as number) - 1).padStart(32, "0"))),
        parentSlot: Math.max(0, (slot as number) - 1),
        blockHeight: slot,
        blockTime: first.blockTime,
      };
      if (details === "none") return block;
      if (details === "signatures") return { ...block, signatures: sigs };
      return {
        ...block,
        transactions: sigs.map((s) => {
          const e = processed.get(s)!;
          const j = jsonTransaction(e.result.transaction!);
          return { transaction: j.transaction, meta: jsonMeta(e), version: j.version };
        }),
      };
    },
    requestAirdrop: async ([key, lamports]) => {
      if (!opts.airdrop) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
      if (!Number.isSafeInteger(lamports) || (lamports as number) <= 0)
        throw new RpcError(INVALID_PARAMS, "Invalid param: lamports must be a positive integer");
      const to = pubkeyParam(key);
      await engine.airdrop(to, BigInt(lamports as number));
      // The engine credits the account directly; record it under a fresh signature so status queries work.
      const signature = bs58.encode(randomBytes(64));
      processed.set(signature, {
        slot: Number(await engine.slot()),
        blockIndex: -1,
        blockTime: Number(await engine.unixTime()),
        result: { ok: true, signature, logs: [], errorCode: null, error: null, computeUnits: 0 },
        accountKeys: [],
      });
      return signature;
    },
  };

  async function handleOne(req: unknown): Promise<unknown> {
    const id = (req as { id?: unknown })?.id ?? null;
    try {
      if (
        typeof req !== "object" ||
        req === null ||
        (req as { jsonrpc?: unknown }).jsonrpc !== "2.0" ||
        typeof (req as { method?: unknown }).method !== "string"
      ) {
        throw new RpcError(INVALID_REQUEST, "Invalid request");
      }
      const { method, params = [] } = req as { method: string; params?: unknown };
      if (!Array.isArray(params)) throw new RpcError(INVALID_PARAMS, "Invalid params: expected an array");
      const fn = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!fn) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
      const run = async () => {
        currentSlot = Math.max(currentSlot, Number(await engine.slot()));
        return fn(params);
      };
      queue = queue.then(run, run);
      const result = await queue;
      return { jsonrpc: "2.0", id, result };
    } catch (e) {
      const err = e instanceof RpcError ? e : new RpcError(-32603, `Internal error: ${(e as Error).message}`);
      return { jsonrpc: "2.0", id, error: { code: err.code, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) } };
    }
  }

  const server = http.createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405, { "content-type": "text/plain" }).end("JSON-RPC over POST only\n");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "Parse error" } }));
        return;
      }
      const out = Array.isArray(body) ? await Promise.all(body.map(handleOne)) : await handleOne(body);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe?.();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
    abandon(signature) {
      const e = processed.get(signature);
      if (!e || commitmentOf(e) === "finalized") return false;
      processed.delete(signature);
      bySlot.set(
        e.slot,
        (bySlot.get(e.slot) ?? []).filter((s) => s !== signature),
      );
      for (const key of new Set(e.accountKeys))
        byAddress.set(
          key,
          (byAddress.get(key) ?? []).filter((s) => s !== signature),
        );
      return true;
    },
  };
}
