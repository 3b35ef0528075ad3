// A rewards world: the staking world plus a reward mint whose mint authority is the pool, an
// initialised pool, a registered attester, and helpers to register devices, record uptime, crank and
// claim, with an exact TypeScript model of the accumulator to compare payouts against.
import { expect } from "chai";
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { REWARDS_PROGRAM_ID, RewardsClient, toBigInt } from "../../client/src/index.ts";
import { deviceRewardPda, poolPda, rewardVaultPda, signUptime } from "../../client/src/rewards/index.ts";
import { createMint, createTokenAccount, programComputeUnits, type EngineName, type TxResult } from "../../client/src/svm/index.ts";
import { DECIMALS, RTX4070, World, type DeviceHandle } from "./world.ts";

export const HOUR = 3_600;

export class RewardsWorld {
  readonly rewards = new RewardsClient();
  readonly attester = Keypair.generate();
  rewardMint!: PublicKey;
  readonly cu = new Map<string, number>();
  /** Reward token accounts of each device's supplier. */
  readonly payout = new Map<string, PublicKey>();

  private constructor(readonly w: World) {}

  static async create(engine: EngineName, opts: { graceHours?: number; breakerWindowHours?: number; breakerCap?: bigint } = {}): Promise<RewardsWorld> {
    return RewardsWorld.attach(await World.create(engine), opts);
  }

  /** The rewards pool on an existing world (so one chain can carry leases and rewards together). */
  static async attach(w: World, opts: { graceHours?: number; breakerWindowHours?: number; breakerCap?: bigint } = {}): Promise<RewardsWorld> {
    const rw = new RewardsWorld(w);
    await w.engine.airdrop(rw.attester.publicKey, 10_000_000_000n);
    await w.ok("set_attester", await w.staking.setAttester({ authority: w.authority.publicKey, attester: rw.attester.publicKey, enabled: true }), [w.authority]);
    rw.rewardMint = await createMint(w.engine, w.authority, poolPda()[0], DECIMALS);
    await rw.ok(
      "initialize_pool",
      await rw.rewards.initializePool({
        authority: w.authority.publicKey,
        rewardMint: rw.rewardMint,
        hourLengthSeconds: HOUR,
        graceHours: opts.graceHours ?? 2,
        breakerWindowHours: opts.breakerWindowHours ?? 24,
        breakerCap: opts.breakerCap ?? 2n ** 63n,
      }),
      [w.authority],
    );
    return rw;
  }

  get engine() {
    return this.w.engine;
  }

  async send(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    const res = await this.engine.send(Array.isArray(ixs) ? ixs : [ixs], signers);
    if (res.ok) this.cu.set(name, programComputeUnits(res.logs, REWARDS_PROGRAM_ID));
    return res;
  }

  async ok(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    const res = await this.send(name, ixs, signers);
    expect(res.ok, `${name} failed: ${res.error}\n${res.logs.join("\n")}`).to.equal(true);
    return res;
  }

  async rejects(ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[], code: number, watched: PublicKey[] = []): Promise<TxResult> {
    const all = [poolPda()[0], rewardVaultPda()[0], ...watched];
    const before = await this.w.snapshot(all);
    const res = await this.engine.send(Array.isArray(ixs) ? ixs : [ixs], signers);
    expect(res.ok, "transaction should have failed").to.equal(false);
    expect(res.errorCode, `expected ${code}, got ${res.errorCode}: ${res.error}\n${res.logs.join("\n")}`).to.equal(code);
    expect(await this.w.snapshot(all)).to.deep.equal(before);
    return res;
  }

  /** Registered, staked devices with reward records; bandwidth tier 3 (factor 1.2). */
  async devices(n: number, gpus = 1): Promise<DeviceHandle[]> {
    const out: DeviceHandle[] = [];
    for (let i = 0; i < n; i++) {
      const s = await this.w.newSupplier(100_000n * 10n ** BigInt(DECIMALS));
      const d = await this.w.registerDevice(s, RTX4070, gpus);
      await this.w.ok("stake", await this.w.stakeIx(d, this.w.minimum(d)), [s.wallet]);
      await this.ok("register_reward", await this.rewards.registerReward({ payer: s.wallet.publicKey, device: d.address }), [s.wallet]);
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
    for (;;) {
      const p = await this.pool();
      const now = await this.engine.unixTime();
      const clock = Math.floor(Number(now - toBigInt(p.startTime)) / HOUR);
      if (p.nextHour >= clock) return;
      await this.crank();
    }
  }

  uptimeIxs(list: { device: DeviceHandle; first: number; count: number; signer?: Keypair }[]) {
    return this.rewards.recordUptime({
      attester: this.attester.publicKey,
      attestations: list.map((u) => signUptime(u.signer ?? u.device.key, u.first, u.count)),
    });
  }

  async pool() {
    return this.rewards.decodePool((await this.engine.getAccount(poolPda()[0]))!.data);
  }

  async record(d: DeviceHandle) {
    return this.rewards.decodeDeviceReward((await this.engine.getAccount(deviceRewardPda(d.address)[0]))!.data);
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
}

/**
 * The two accumulators replayed exactly: per hour the pool's acc += (amount << 64) / totalWeight; a
 * weight change made during the hour in progress counts from the next hour; a device's earnings
 * weight x dAcc >> 64 go into its per-stake accumulator (earned << 64) / basis; a staker is paid
 * stake x dAccStake >> 64.
 */
export class AccumulatorModel {
  acc = 0n;
  private pending: { id: string; weight: bigint }[] = [];
  private readonly devices = new Map<string, { weight: bigint; active: bigint; debt: bigint; accStake: bigint; basis: bigint }>();
  private readonly stakers = new Map<string, { device: string; snapshot: bigint; debt: bigint; accrued: bigint }>();

  private total(): bigint {
    let t = 0n;
    for (const d of this.devices.values()) t += d.active;
    return t;
  }

  /** Emits one hour, then applies the weight changes made while it was in progress. */
  emit(amount: bigint) {
    const t = this.total();
    if (t > 0n) this.acc += (amount << 64n) / t;
    for (const p of this.pending) this.devices.get(p.id)!.active = p.weight;
    this.pending = [];
  }

  private accAfter(nextAmount: bigint): bigint {
    const t = this.total();
    return t > 0n ? this.acc + (nextAmount << 64n) / t : this.acc;
  }

  private settleDevice(id: string, acc = this.acc) {
    const d = this.devices.get(id)!;
    if (acc <= d.debt) return;
    const earned = ((acc - d.debt) * d.weight) >> 64n;
    d.debt = acc;
    if (earned > 0n && d.basis > 0n) d.accStake += (earned << 64n) / d.basis;
  }

  /** A device joins with its supplier (`${id}:supplier`) holding `stake`. */
  register(id: string, stake: bigint) {
    this.devices.set(id, { weight: 0n, active: 0n, debt: this.acc, accStake: 0n, basis: stake });
    this.stakers.set(`${id}:supplier`, { device: id, snapshot: stake, debt: 0n, accrued: 0n });
  }

  /** Nominated during the hour in progress, which will emit `nextAmount`. */
  nominate(id: string, w: bigint, nextAmount: bigint) {
    const d = this.devices.get(id)!;
    d.debt = this.accAfter(nextAmount);
    d.weight = w;
    this.pending.push({ id, weight: w });
  }

  denominate(id: string, nextAmount: bigint) {
    this.settleDevice(id, this.accAfter(nextAmount));
    this.devices.get(id)!.weight = 0n;
    this.pending.push({ id, weight: 0n });
  }

  /** A staker's checkpoint with its current stake `live` (creating the position at first sync). */
  checkpoint(staker: string, device: string, live: bigint) {
    this.settleDevice(device);
    const d = this.devices.get(device)!;
    let s = this.stakers.get(staker);
    if (!s) {
      s = { device, snapshot: 0n, debt: d.accStake, accrued: 0n };
      this.stakers.set(staker, s);
    }
    const credit = s.snapshot < live ? s.snapshot : live;
    s.accrued += (credit * (d.accStake - s.debt)) >> 64n;
    s.debt = d.accStake;
    d.basis = d.basis - s.snapshot + live;
    s.snapshot = live;
  }

  /** What a claim pays `staker` given its current stake. */
  claim(staker: string, live: bigint): bigint {
    const s = this.stakers.get(staker)!;
    this.checkpoint(staker, s.device, live);
    const a = s.accrued;
    s.accrued = 0n;
    return a;
  }
}
