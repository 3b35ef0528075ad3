// The Chain port over Solana JSON-RPC on HTTP, with standard methods and shapes only, so the same
// orchestrator runs against the embedded network's endpoint (@hourglass/localchain startRpcServer),
// solana-test-validator or a cluster. Sends build a legacy transaction on the latest blockhash and wait
// for `confirmed` by polling getSignatureStatuses; the clock is the Clock sysvar's unix_timestamp (what
// the programs read); events come from polling (rpc-events.ts). No websockets.
// A refused transaction (preflight failure, or confirmed with an error) resolves `ok: false`; anything
// else that goes wrong (the node unreachable, HTTP errors, timeouts, other JSON-RPC errors) throws.

import { setTimeout as sleep } from "node:timers/promises";
import { customErrorCode, JsonRpcClient, JsonRpcError, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import { type AccountInfo, type Keypair, PublicKey, SYSVAR_CLOCK_PUBKEY, Transaction, type TransactionInstruction } from "@solana/web3.js";
import bs58 from "bs58";
import type { Chain, SendOutcome } from "./port.ts";
import { followPrograms } from "./rpc-events.ts";

export interface RpcChainOptions {
  /** How often `subscribe` polls for new transactions, in ms (default 500). */
  pollMs?: number;
  /** Where `subscribe` starts: "now" (default), after the programs' newest transactions when it is
   *  called; "genesis", every transaction the node still keeps. */
  from?: "now" | "genesis";
  /** Told of a polling round that failed (the subscription keeps polling); default console.warn. */
  onPollError?: (e: Error) => void;
  /** How often `send` asks for its transaction's status, in ms (default 250). */
  confirmPollMs?: number;
  /** How long `send` waits for `confirmed` before it throws, in ms (default 60,000). */
  confirmTimeoutMs?: number;
  /** Each HTTP request's timeout, in ms (default 30,000). */
  requestTimeoutMs?: number;
}

/** JSON-RPC errors that mean the node refused the transaction itself: preflight simulation failed,
 *  signatures failed to verify. */
const REFUSALS = new Set([-32002, -32003]);
const CONFIRMED = { commitment: "confirmed" } as const;
/** Signatures remembered to spot a resend of an identical transaction (which a node drops as a duplicate). */
const RECENT = 1_024;

interface AccountJson {
  data: [string, string];
  executable: boolean;
  lamports: number;
  owner: string;
  rentEpoch?: number;
}

interface SignatureStatus {
  err: unknown;
  confirmationStatus?: "processed" | "confirmed" | "finalized" | null;
}

function accountInfo(a: AccountJson | null): AccountInfo<Buffer> | null {
  if (!a) return null;
  return { data: Buffer.from(a.data[0], "base64"), executable: a.executable, lamports: a.lamports, owner: new PublicKey(a.owner), rentEpoch: a.rentEpoch };
}

/** The failed instruction's custom program error: the status's `{ InstructionError: [i, { Custom: n }] }`,
 *  else the logs' `custom program error` line (what the in-process engines report). */
function failedCode(err: unknown, logs: string[]): number | null {
  const ie = (err as { InstructionError?: [number, unknown] } | null)?.InstructionError;
  const custom = (ie?.[1] as { Custom?: unknown } | undefined)?.Custom;
  return typeof custom === "number" ? custom : customErrorCode(logs);
}

/** What a refused transaction resolves with: `summary` and the logs' first failing line (the program that failed first). */
function refusal(signature: string, summary: string, err: unknown, logs: string[]): SendOutcome {
  const failing = logs.find((l) => / failed: /.test(l));
  return { ok: false, signature, error: failing ? `${summary} (${failing})` : summary, errorCode: failedCode(err, logs) };
}

export function rpcChain(url: string, opts: RpcChainOptions = {}): Chain {
  const rpc = new JsonRpcClient(url, opts.requestTimeoutMs ?? 30_000);
  const confirmPollMs = opts.confirmPollMs ?? 250;
  const confirmTimeoutMs = opts.confirmTimeoutMs ?? 60_000;
  const recent = new Set<string>();

  const latestBlockhash = () =>
    rpc.call<{ value: { blockhash: string; lastValidBlockHeight: number } }>("getLatestBlockhash", [CONFIRMED]).then((r) => r.value);

  /** The transaction signed on the latest blockhash; on a newer one when the same bytes went out recently. */
  async function build(instructions: TransactionInstruction[], signers: Keypair[]) {
    const deadline = Date.now() + confirmTimeoutMs;
    let previous: string | undefined;
    for (;;) {
      const { blockhash, lastValidBlockHeight } = await latestBlockhash();
      if (blockhash !== previous) {
        const tx = new Transaction({ feePayer: signers[0].publicKey, blockhash, lastValidBlockHeight }).add(...instructions);
        tx.sign(...signers);
        const signature = bs58.encode(tx.signature!);
        if (!recent.has(signature)) return { tx, signature, lastValidBlockHeight };
        previous = blockhash;
      }
      if (Date.now() > deadline) throw new Error(`${url}: no new blockhash to resend an identical transaction on`);
      await sleep(confirmPollMs);
    }
  }

  /** Waits until `signature` is confirmed: ok, or refused with its error and logs. */
  async function confirm(signature: string, lastValidBlockHeight: number): Promise<SendOutcome> {
    const deadline = Date.now() + confirmTimeoutMs;
    for (;;) {
      const [statuses, height] = await rpc.batch<unknown>([
        { method: "getSignatureStatuses", params: [[signature]] },
        { method: "getBlockHeight", params: [CONFIRMED] },
      ]);
      if (statuses instanceof Error) throw statuses;
      if (height instanceof Error) throw height;
      const status = (statuses as { value: (SignatureStatus | null)[] }).value[0];
      if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized") {
        if (status.err === null) return { ok: true, signature, error: null, errorCode: null };
        const tx = await rpc.call<{ meta: { logMessages?: string[] | null } | null } | null>("getTransaction", [
          signature,
          { encoding: "json", maxSupportedTransactionVersion: 0, ...CONFIRMED },
        ]);
        return refusal(signature, `Transaction failed: ${JSON.stringify(status.err)}`, status.err, tx?.meta?.logMessages ?? []);
      }
      if (!status && (height as number) > lastValidBlockHeight) throw new Error(`${url}: ${signature} was not confirmed before its blockhash expired`);
      if (Date.now() > deadline) throw new Error(`${url}: ${signature} not confirmed within ${confirmTimeoutMs} ms`);
      await sleep(confirmPollMs);
    }
  }

  const getMultipleAccounts = async (addresses: PublicKey[]) => {
    const calls = [];
    for (let i = 0; i < addresses.length; i += 100) {
      const keys = addresses.slice(i, i + 100).map((a) => a.toBase58());
      calls.push({ method: "getMultipleAccounts", params: [keys, { encoding: "base64", ...CONFIRMED }] });
    }
    const out: (AccountInfo<Buffer> | null)[] = [];
    for (const r of await rpc.batch<{ value: (AccountJson | null)[] }>(calls)) {
      if (r instanceof Error) throw r;
      out.push(...r.value.map(accountInfo));
    }
    return out;
  };
  const getAccount = async (address: PublicKey) => {
    const r = await rpc.call<{ value: AccountJson | null }>("getAccountInfo", [address.toBase58(), { encoding: "base64", ...CONFIRMED }]);
    return accountInfo(r.value);
  };

  return {
    send: async (instructions, signers) => {
      const { tx, signature, lastValidBlockHeight } = await build(instructions, signers);
      try {
        await rpc.call<string>("sendTransaction", [tx.serialize().toString("base64"), { encoding: "base64", preflightCommitment: "confirmed" }]);
      } catch (e) {
        if (!(e instanceof JsonRpcError && REFUSALS.has(e.code))) throw e;
        const data = (e.data ?? {}) as { err?: unknown; logs?: string[] | null };
        // Bytes that went out before (the answer to that send was lost): the first one's outcome stands.
        if (data.err !== "AlreadyProcessed") return refusal(signature, e.message, data.err ?? null, data.logs ?? []);
      }
      // Accepted: the same bytes again would be dropped as a duplicate (refused or unsent ones may go again).
      recent.add(signature);
      if (recent.size > RECENT) recent.delete(recent.values().next().value!);
      return confirm(signature, lastValidBlockHeight);
    },
    getAccount,
    getMultipleAccounts,
    unixTime: async () => {
      const clock = await getAccount(SYSVAR_CLOCK_PUBKEY);
      if (!clock || clock.data.length < 40) throw new Error(`${url}: no Clock sysvar account`);
      // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch (8 bytes each), then unix_timestamp (i64).
      return Number(clock.data.readBigInt64LE(32));
    },
    subscribe: (listener) =>
      followPrograms(
        rpc,
        [STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID],
        {
          pollMs: opts.pollMs ?? 500,
          from: opts.from ?? "now",
          onError: opts.onPollError ?? ((e) => console.warn(`rpcChain ${url}: polling for events failed: ${e.message}`)),
        },
        listener,
      ),
  };
}
