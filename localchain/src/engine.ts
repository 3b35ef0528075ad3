// One interface over the two in-process Solana VMs we run the SBF programs in: LiteSVM (primary; it
// verifies Ed25519 precompile instructions) and solana-bankrun (second engine). Tests, the local network
// and the indexer's in-process source all go through it, so every behaviour can be checked on both.

import { customErrorCode } from "@hourglass/client";
import { type AccountInfo, type Keypair, type PublicKey, SystemProgram, Transaction, type TransactionInstruction, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";

export type EngineName = "litesvm" | "bankrun";

/** What one executed transaction produced. */
export interface TxResult {
  ok: boolean;
  signature: string;
  logs: string[];
  /** Custom error code of the failed instruction, if the failure was a program error. */
  errorCode: number | null;
  /** Engine's error text when it failed. */
  error: string | null;
  /** Compute units of the whole transaction. */
  computeUnits: number;
  /** The transaction as executed (absent for engine-made entries such as airdrops). */
  transaction?: Transaction | VersionedTransaction;
}

export interface ProgramToLoad {
  /** File stem in the programs directory, e.g. "hourglass_staking". */
  name: string;
  programId: PublicKey;
}

export interface Engine {
  readonly name: EngineName;
  /** Signs with `signers` (the first pays fees) and executes. Never throws for a failed transaction. */
  send(instructions: TransactionInstruction[], signers: Keypair[]): Promise<TxResult>;
  /** Executes a transaction someone else built and signed (e.g. received over JSON-RPC). */
  sendSigned(tx: Transaction | VersionedTransaction): Promise<TxResult>;
  latestBlockhash(): Promise<string>;
  /** Moves to a new blockhash, as a validator does every slot (so resent transactions differ). */
  advanceBlockhash(): Promise<void>;
  /** Turns signature verification off or on (LiteSVM only; for fuzzers, whose signatures are random). */
  setSigverify?(on: boolean): void;
  /** How many executed transactions LiteSVM remembers (to refuse duplicates); 0 keeps none. */
  setTransactionHistory?(capacity: number): void;
  slot(): Promise<bigint>;
  getAccount(address: PublicKey): Promise<AccountInfo<Buffer> | null>;
  setAccount(address: PublicKey, account: AccountInfo<Buffer>): Promise<void>;
  airdrop(address: PublicKey, lamports: bigint): Promise<void>;
  rentExempt(space: number): Promise<bigint>;
  unixTime(): Promise<bigint>;
  /** Moves the clock forward by `seconds` (and the slot by one). */
  warp(seconds: number): Promise<void>;
}

/** Compute units one program consumed, from its `Program <id> consumed N of M` log line(s). */
export function programComputeUnits(logs: string[], programId: PublicKey): number {
  const prefix = `Program ${programId.toBase58()} consumed `;
  let total = 0;
  let depth = 0;
  for (const line of logs) {
    if (line.startsWith(`Program ${programId.toBase58()} invoke`)) depth++;
    if (line.startsWith(prefix)) {
      depth--;
      // Only top-level invocations: nested ones are included in their caller's count.
      if (depth === 0) total += Number(line.slice(prefix.length).split(" ")[0]);
    }
  }
  return total;
}

function result(partial: Omit<TxResult, "errorCode">): TxResult {
  return { ...partial, errorCode: partial.ok ? null : customErrorCode(partial.logs) };
}

class LiteSvmEngine implements Engine {
  readonly name = "litesvm" as const;
  private readonly seen = new Set<string>();

  constructor(private readonly svm: import("litesvm").LiteSVM) {}

  async send(instructions: TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    const build = () => {
      const tx = new Transaction({ feePayer: signers[0].publicKey, recentBlockhash: this.svm.latestBlockhash() });
      tx.add(...instructions);
      tx.sign(...signers);
      return tx;
    };
    let tx = build();
    // An identical transaction would be rejected as already processed: move to a fresh blockhash.
    if (this.seen.has(tx.signature!.toString("hex"))) {
      this.svm.expireBlockhash();
      tx = build();
    }
    this.seen.add(tx.signature!.toString("hex"));
    return this.execute(tx, bs58.encode(tx.signature!));
  }

  async sendSigned(tx: Transaction | VersionedTransaction): Promise<TxResult> {
    const sig = tx instanceof VersionedTransaction ? tx.signatures[0] : tx.signature!;
    return this.execute(tx, bs58.encode(sig));
  }

  async latestBlockhash(): Promise<string> {
    return this.svm.latestBlockhash();
  }

  async advanceBlockhash(): Promise<void> {
    this.svm.expireBlockhash();
  }

  setSigverify(on: boolean): void {
    this.svm.withSigverify(on);
  }

  setTransactionHistory(capacity: number): void {
    this.svm.withTransactionHistory(BigInt(capacity));
  }

  async slot(): Promise<bigint> {
    return this.svm.getClock().slot;
  }

  private execute(tx: Transaction | VersionedTransaction, signature: string): TxResult {
    const res = this.svm.sendTransaction(tx);
    if ("err" in res && typeof res.err === "function") {
      const meta = res.meta();
      return result({
        ok: false,
        signature,
        logs: meta.logs(),
        error: String(res.toString()),
        computeUnits: Number(meta.computeUnitsConsumed()),
        transaction: tx,
      });
    }
    const meta = res as import("litesvm").TransactionMetadata;
    return result({ ok: true, signature, logs: meta.logs(), error: null, computeUnits: Number(meta.computeUnitsConsumed()), transaction: tx });
  }

  async getAccount(address: PublicKey): Promise<AccountInfo<Buffer> | null> {
    const acc = this.svm.getAccount(address);
    if (!acc || (acc.lamports === 0 && acc.data.length === 0)) return null;
    return { ...acc, data: Buffer.from(acc.data) };
  }

  async setAccount(address: PublicKey, account: AccountInfo<Buffer>): Promise<void> {
    this.svm.setAccount(address, account);
  }

  async airdrop(address: PublicKey, lamports: bigint): Promise<void> {
    const res = this.svm.airdrop(address, lamports);
    if (res && "err" in res && typeof res.err === "function") throw new Error(`airdrop failed: ${res.toString()}`);
  }

  async rentExempt(space: number): Promise<bigint> {
    return this.svm.minimumBalanceForRentExemption(BigInt(space));
  }

  async unixTime(): Promise<bigint> {
    return this.svm.getClock().unixTimestamp;
  }

  async warp(seconds: number): Promise<void> {
    const clock = this.svm.getClock();
    clock.unixTimestamp += BigInt(seconds);
    clock.slot += 1n;
    this.svm.setClock(clock);
    this.svm.expireBlockhash();
  }
}

class BankrunEngine implements Engine {
  readonly name = "bankrun" as const;
  private readonly seen = new Set<string>();
  private blockhash: string;

  constructor(private readonly ctx: import("solana-bankrun").ProgramTestContext) {
    this.blockhash = ctx.lastBlockhash;
  }

  private async freshBlockhash(): Promise<void> {
    const clock = await this.ctx.banksClient.getClock();
    this.ctx.warpToSlot(clock.slot + 1n);
    const latest = await this.ctx.banksClient.getLatestBlockhash();
    if (latest) this.blockhash = latest[0];
  }

  async send(instructions: TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    const build = () => {
      const tx = new Transaction({ feePayer: signers[0].publicKey, recentBlockhash: this.blockhash });
      tx.add(...instructions);
      tx.sign(...signers);
      return tx;
    };
    let tx = build();
    if (this.seen.has(tx.signature!.toString("hex"))) {
      await this.freshBlockhash();
      tx = build();
    }
    this.seen.add(tx.signature!.toString("hex"));
    return this.sendSigned(tx);
  }

  async sendSigned(tx: Transaction | VersionedTransaction): Promise<TxResult> {
    const sig = tx instanceof VersionedTransaction ? tx.signatures[0] : tx.signature!;
    const res = await this.ctx.banksClient.tryProcessTransaction(tx);
    const logs = res.meta?.logMessages ?? [];
    return result({
      ok: res.result === null,
      signature: bs58.encode(sig),
      logs,
      error: res.result,
      computeUnits: Number(res.meta?.computeUnitsConsumed ?? 0n),
      transaction: tx,
    });
  }

  async latestBlockhash(): Promise<string> {
    return this.blockhash;
  }

  async advanceBlockhash(): Promise<void> {
    await this.freshBlockhash();
  }

  async slot(): Promise<bigint> {
    return (await this.ctx.banksClient.getClock()).slot;
  }

  async getAccount(address: PublicKey): Promise<AccountInfo<Buffer> | null> {
    const acc = await this.ctx.banksClient.getAccount(address);
    if (!acc) return null;
    return { ...acc, data: Buffer.from(acc.data) };
  }

  async setAccount(address: PublicKey, account: AccountInfo<Buffer>): Promise<void> {
    this.ctx.setAccount(address, account);
  }

  /** A real transfer from the genesis payer: setting lamports directly would break the bank's
   *  capitalization check, which solana-bankrun runs (and panics on) when the slot advances. */
  async airdrop(address: PublicKey, lamports: bigint): Promise<void> {
    const res = await this.send([SystemProgram.transfer({ fromPubkey: this.ctx.payer.publicKey, toPubkey: address, lamports })], [this.ctx.payer]);
    if (!res.ok) throw new Error(`airdrop failed: ${res.error}`);
  }

  async rentExempt(space: number): Promise<bigint> {
    return (await this.ctx.banksClient.getRent()).minimumBalance(BigInt(space));
  }

  async unixTime(): Promise<bigint> {
    return (await this.ctx.banksClient.getClock()).unixTimestamp;
  }

  async warp(seconds: number): Promise<void> {
    const { Clock } = await import("solana-bankrun");
    const c = await this.ctx.banksClient.getClock();
    this.ctx.setClock(new Clock(c.slot + 1n, c.epochStartTimestamp, c.epoch, c.leaderScheduleEpoch, c.unixTimestamp + BigInt(seconds)));
    await this.freshBlockhash();
  }
}

/**
 * Starts an engine with `programs` deployed from `programsDir` (a directory of `<name>.so` files, by
 * default target/deploy).
 */
export async function startEngine(name: EngineName, programs: ProgramToLoad[], programsDir: string): Promise<Engine> {
  if (name === "litesvm") {
    const { LiteSVM } = await import("litesvm");
    const svm = new LiteSVM();
    for (const p of programs) svm.addProgramFromFile(p.programId, `${programsDir}/${p.name}.so`);
    return new LiteSvmEngine(svm);
  }
  // solana-bankrun logs every instruction at DEBUG level to stderr unless told otherwise.
  process.env.RUST_LOG ??= "error";
  const { start } = await import("solana-bankrun");
  // solana-program-test looks for `<name>.so` in SBF_OUT_DIR / BPF_OUT_DIR.
  process.env.SBF_OUT_DIR = programsDir;
  process.env.BPF_OUT_DIR = programsDir;
  const ctx = await start(
    programs.map((p) => ({ name: p.name, programId: p.programId })),
    [],
  );
  return new BankrunEngine(ctx);
}
