// A rewards world: the staking world plus a reward mint whose mint authority is the pool, an
// initialised pool, a registered attester, and helpers to register devices, record uptime, crank and
// claim, a ledger of where every token in the reward vault stands, and the exact TypeScript model of
// the accounting (client/src/rewards/model.ts) to compare payouts against.

import {
  coRewardPda,
  deviceRewardPda,
  poolBehind,
  poolPda,
  REWARDS_PROGRAM_ID,
  RewardsClient,
  type RewardsLedger,
  type RewardsModel,
  rewardsLedger,
  rewardVaultPda,
  scheduleAmounts,
  signUptime,
  toBigInt,
} from "@hourglass/client";
import { createTokenAccount, type EngineName, type Network, type NetworkOverrides, programComputeUnits, type TxResult } from "@hourglass/localchain";
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, type DeviceHandle, landed, NETWORK, RTX4070, World } from "./world.ts";

export const HOUR = NETWORK.hourLengthSeconds;

export interface PoolOptions {
  graceHours?: number;
  breakerWindowHours?: number;
  breakerCap?: bigint;
  workFactorBps?: number;
}

/** The Pool as the tests have it: the file's but for a breaker that never trips (unless asked for). */
function poolParams(opts: PoolOptions): NetworkOverrides["pool"] {
  return { ...opts, breakerCap: opts.breakerCap ?? 2n ** 63n };
}

export class RewardsWorld {
  readonly rewards = new RewardsClient();
  rewardMint!: PublicKey;
  readonly cu = new Map<string, number>();
  /** Reward token accounts of each device's supplier. */
  readonly payout = new Map<string, PublicKey>();
  /** Every DeviceReward and CoStakeReward this world made (for the ledger check). */
  readonly records = new Set<string>();
  readonly positions = new Set<string>();

  private constructor(
    readonly w: World,
    /** Enabled in the staking Config; records uptime and cranks. */
    readonly attester: Keypair,
  ) {}

  static async create(engine: EngineName, opts: PoolOptions = {}): Promise<RewardsWorld> {
    const attester = Keypair.generate();
    const w = await World.create(engine, { network: { parts: { pool: true }, attesters: [attester.publicKey], params: { pool: poolParams(opts) } } });
    return RewardsWorld.ready(w, attester, w.network);
  }

  /** The rewards pool on an existing world (so one chain can carry leases and rewards together). */
  static async attach(w: World, opts: PoolOptions = {}): Promise<RewardsWorld> {
    const attester = Keypair.generate();
    const net = await w.bootstrap({ pool: poolParams(opts) }, { parts: { config: false, market: false, pool: true }, attesters: [attester.publicKey] });
    return RewardsWorld.ready(w, attester, net);
  }

  private static async ready(w: World, attester: Keypair, net: Network): Promise<RewardsWorld> {
    const rw = new RewardsWorld(w, attester);
    await w.engine.airdrop(attester.publicKey, 10_000_000_000n);
    rw.rewardMint = net.rewardMint!;
    rw.cu.set("initialize_pool", programComputeUnits(net.results.get("initialize_pool")!.logs, REWARDS_PROGRAM_ID));
    rw.sent++; // initialize_pool is one of this world's rewards transactions

    return rw;
  }

  get engine() {
    return this.w.engine;
  }

  /** Rewards transactions that succeeded (each settles at most four devices: a bound on rounding dust). */
  sent = 0;

  async send(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    const res = await this.w.sendFor(REWARDS_PROGRAM_ID, this.cu, name, ixs, signers);
    if (res.ok) this.sent++;
    return res;
  }

  async ok(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    return landed(name, await this.send(name, ixs, signers));
  }

  async rejects(ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[], code: number, watched: PublicKey[] = []): Promise<TxResult> {
    return this.w.refused(ixs, signers, code, [poolPda()[0], rewardVaultPda()[0], ...watched]);
  }

  /** Registered, staked devices with reward records; bandwidth tier 3 (factor 1.2). */
  async devices(n: number, gpus = 1): Promise<DeviceHandle[]> {
    const out: DeviceHandle[] = [];
    for (let i = 0; i < n; i++) {
      const s = await this.w.newSupplier(100_000n * 10n ** BigInt(DECIMALS));
      const d = await this.w.registerDevice(s, RTX4070, gpus);
      await this.w.ok("stake", await this.w.stakeIx(d, this.w.minimum(d)), [s.wallet]);
      await this.ok("register_reward", await this.rewards.registerReward({ payer: s.wallet.publicKey, device: d.address }), [s.wallet]);
      this.records.add(deviceRewardPda(d.address)[0].toBase58());
      this.payout.set(d.address.toBase58(), await createTokenAccount(this.engine, s.wallet, this.rewardMint, s.wallet.publicKey));
      out.push(d);
    }
    return out;
  }

  async crank(maxHours = 96): Promise<TxResult> {
    return this.ok("crank", await this.rewards.crank({ caller: this.attester.publicKey, rewardMint: this.rewardMint, maxHours }), [this.attester]);
  }

  /** Cranks until the pool has emitted every ended hour. */
  async catchUp(): Promise<void> {
    while (poolBehind(await this.pool(), Number(await this.engine.unixTime()))) await this.crank();
  }

  /** `hours` hours pass: the pool is cranked through them and `model` emits them on the schedule. */
  async pass(model: RewardsModel, hours: number): Promise<void> {
    await this.engine.warp(hours * HOUR);
    await this.catchUp();
    for (const amount of scheduleAmounts(DECIMALS, model.hour, hours)) model.emit(amount);
  }

  /** record_uptime for these ranges; each device's current lease is read from its staking account. */
  async uptimeIxs(list: { device: DeviceHandle; first: number; count: number; signer?: Keypair }[]) {
    const leases: (PublicKey | null)[] = [];
    for (const u of list) {
      const acc = await this.engine.getAccount(u.device.address);
      const lease = acc && acc.data.length > 0 ? this.w.staking.decodeDevice(acc.data).currentLease : PublicKey.default;
      leases.push(lease.equals(PublicKey.default) ? null : lease);
    }
    return this.rewards.recordUptime({
      attester: this.attester.publicKey,
      attestations: list.map((u, i) => signUptime(u.signer ?? u.device.key, u.first, u.count, leases[i] ?? PublicKey.default)),
      leases,
    });
  }

  /** sync_co_stake for `staker` on `device` (and remembers the position for the ledger). */
  async syncIx(device: DeviceHandle, staker: PublicKey, payer = staker) {
    this.positions.add(coRewardPda(device.address, staker)[0].toBase58());
    return this.rewards.syncCoStake({ payer, device: device.address, staker });
  }

  async pool() {
    return this.rewards.decodePool((await this.engine.getAccount(poolPda()[0]))!.data);
  }

  async record(d: DeviceHandle) {
    return this.rewards.decodeDeviceReward((await this.engine.getAccount(deviceRewardPda(d.address)[0]))!.data);
  }

  /** record_uptime for `list`, sent by the attester. */
  async recordUptime(list: Parameters<RewardsWorld["uptimeIxs"]>[0]): Promise<TxResult> {
    return this.ok("record_uptime", await this.uptimeIxs(list), [this.attester]);
  }

  claimIx(d: DeviceHandle) {
    return this.rewards.claim({ owner: d.supplier.wallet.publicKey, device: d.address, destination: this.payout.get(d.address.toBase58())! });
  }

  /** Emitted = claimed + what the vault holds; the vault never holds more. */
  async checkPool(): Promise<void> {
    const p = await this.pool();
    const vault = await this.w.balance(rewardVaultPda()[0]);
    expect(toBigInt(p.totalClaimed) + vault).to.equal(toBigInt(p.totalEmitted));
  }

  /** Where the vault's tokens stand, from every reward record and co-stake position. */
  async ledger(): Promise<RewardsLedger & { vault: bigint; dust: bigint }> {
    const p = await this.pool();
    const records = [];
    for (const k of this.records) {
      const a = await this.engine.getAccount(new PublicKey(k));
      if (a) records.push(this.rewards.decodeDeviceReward(a.data));
    }
    const positions = [];
    for (const k of this.positions) {
      const a = await this.engine.getAccount(new PublicKey(k));
      if (a && a.data.length > 0) positions.push(this.rewards.decodeCoStakeReward(a.data));
    }
    const l = rewardsLedger(p, records, positions);
    const vault = await this.w.balance(rewardVaultPda()[0]);
    return { ...l, vault, dust: vault - l.named };
  }

  /**
   * Nothing stranded: every base unit in the vault is claimable by a named supplier or co-staker, or
   * unallocated (carried into the next hour with weight), except floor-rounding dust of the pool's
   * accumulator: less than one base unit per device settlement, so at most `maxDust`. The vault never
   * holds less than is named.
   */
  async checkNothingStranded(maxDust: bigint): Promise<RewardsLedger & { vault: bigint; dust: bigint }> {
    await this.checkPool();
    const l = await this.ledger();
    expect(l.dust >= 0n, `vault ${l.vault} holds less than is named ${l.named}`).to.equal(true);
    expect(l.dust <= maxDust, `dust ${l.dust} over its bound ${maxDust}`).to.equal(true);
    return l;
  }
}

/** The exact model of the program's accounting (client/src/rewards/model.ts). */
export { RewardsModel } from "@hourglass/client";
