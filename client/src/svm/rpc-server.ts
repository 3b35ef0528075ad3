// A Solana JSON-RPC endpoint over an in-process Engine, answering in the shapes a validator uses, so
// the CLI, @solana/web3.js `Connection` and Anchor providers work against the embedded local network
// exactly as against a real cluster. It implements the methods those clients call; every other method
// gets JSON-RPC's "method not found", malformed requests get "parse error" / "invalid params".
import { PublicKey, Transaction, VersionedTransaction } from "@solana/web3.js";
import { randomBytes } from "node:crypto";
import bs58 from "bs58";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Engine, TxResult } from "./engine.ts";

interface Processed {
  slot: number;
  blockTime: number;
  result: TxResult;
  raw: Buffer;
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
}

/** Serves `engine` over HTTP JSON-RPC on 127.0.0.1:`port` (0 = any free port). */
export async function startRpcServer(engine: Engine, port = 0, opts: { airdrop?: boolean } = {}): Promise<RpcServer> {
  const processed = new Map<string, Processed>();
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
    const entry = { slot: Number(await engine.slot()), blockTime: Number(await engine.unixTime()), result, raw };
    processed.set(result.signature, entry);
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
          const err = e.result.ok ? null : e.result.errorCode === null ? e.result.error : { InstructionError: [0, { Custom: e.result.errorCode }] };
          return { slot: e.slot, confirmations: null, err, status: err ? { Err: err } : { Ok: null }, confirmationStatus: "finalized" };
        }),
      };
    },
    getTransaction: async ([sig, config]) => {
      const e = processed.get(String(sig));
      if (!e) return null;
      const encoding = (config as { encoding?: string } | undefined)?.encoding ?? "json";
      if (encoding !== "base64") throw new RpcError(INVALID_PARAMS, "Invalid param: only base64 encoding is served by the embedded network");
      const err = e.result.ok ? null : e.result.errorCode === null ? e.result.error : { InstructionError: [0, { Custom: e.result.errorCode }] };
      return {
        slot: e.slot,
        blockTime: e.blockTime,
        transaction: [e.raw.toString("base64"), "base64"],
        meta: { err, status: err ? { Err: err } : { Ok: null }, fee: 5000, logMessages: e.result.logs, computeUnitsConsumed: e.result.computeUnits },
      };
    },
    requestAirdrop: async ([key, lamports]) => {
      if (!opts.airdrop) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
      if (!Number.isSafeInteger(lamports) || (lamports as number) <= 0) throw new RpcError(INVALID_PARAMS, "Invalid param: lamports must be a positive integer");
      const to = pubkeyParam(key);
      await engine.airdrop(to, BigInt(lamports as number));
      // The engine credits the account directly; record it under a fresh signature so status queries work.
      const signature = bs58.encode(randomBytes(64));
      processed.set(signature, {
        slot: Number(await engine.slot()),
        blockTime: Number(await engine.unixTime()),
        result: { ok: true, signature, logs: [], errorCode: null, error: null, computeUnits: 0 },
        raw: Buffer.alloc(0),
      });
      return signature;
    },
  };

  async function handleOne(req: unknown): Promise<unknown> {
    const id = (req as { id?: unknown })?.id ?? null;
    try {
      if (typeof req !== "object" || req === null || (req as { jsonrpc?: unknown }).jsonrpc !== "2.0" || typeof (req as { method?: unknown }).method !== "string") {
        throw new RpcError(INVALID_REQUEST, "Invalid request");
      }
      const { method, params = [] } = req as { method: string; params?: unknown };
      if (!Array.isArray(params)) throw new RpcError(INVALID_PARAMS, "Invalid params: expected an array");
      const fn = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!fn) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
      const result = await (queue = queue.then(() => fn(params), () => fn(params)));
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
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "Parse error" } }));
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

