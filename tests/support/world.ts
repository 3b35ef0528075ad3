// A staking world on one engine: programs deployed, a stake mint, a treasury, an initialised Config and
// GPU tiers (bootstrapNetwork with network/localnet.json; the lease and rewards worlds ask it for the
// Market and Pool too); helpers to register and stake devices, snapshot accounts and check the vault
// invariant.

import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  configPda,
  coStakePda,
  type DeviceAccount,
  deviceAddress,
  effectiveCoStake,
  GpuModels,
  LEASES_PROGRAM_ID,
  minimumStake,
  REWARDS_PROGRAM_ID,
  STAKING_PROGRAM_ID,
  StakingClient,
  stakeVaultPda,
  stakingIdl,
  toBigInt,
} from "@hourglass/client";
import {
  type BootstrapOptions,
  bootstrapNetwork,
  createMint,
  createTokenAccount,
  type EngineName,
  loadNetworkParams,
  mintTo,
  type Network,
  type NetworkOverrides,
  type ObservedEngine,
  observe,
  programComputeUnits,
  startEngine,
  type TxResult,
  tokenBalance,
} from "@hourglass/localchain";
import { Keypair, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PROGRAMS_DIR = path.join(ROOT, "target/deploy");
export const ENGINES: EngineName[] = ["litesvm", "bankrun"];

/** Every program, deployed into every engine. */
export const PROGRAMS = [
  { name: "hourglass_staking", programId: STAKING_PROGRAM_ID },
  { name: "hourglass_leases", programId: LEASES_PROGRAM_ID },
  { name: "hourglass_rewards", programId: REWARDS_PROGRAM_ID },
];

/** The network's parameters as the local network has them (network/localnet.json); worlds override a few. */
export const NETWORK = loadNetworkParams();
export const DECIMALS = NETWORK.decimals;
export const UNBONDING_SECONDS = NETWORK.staking.unbondingPeriodSeconds;
export const MAX_SLASH_BPS = NETWORK.staking.maxSlashBps;
/** GPU models used in tests: the catalogue's codes and io.net multipliers (GPU_MODELS, from the staking IDL). */
export const H100 = { code: GpuModels.H100.code, multiplierBps: GpuModels.H100.multiplierBps };
export const RTX4070 = { code: GpuModels.RTX_4070.code, multiplierBps: GpuModels.RTX_4070.multiplierBps };
/** A model the tests make ineligible (tier multiplier 0): the RTX 4090's code. */
export const INELIGIBLE = { code: GpuModels.RTX_4090.code, multiplierBps: 0 };

/** What a world asks the bootstrap for beyond the Config and tiers. */
export interface WorldNetwork {
  /** Initialise the lease Market (with the lease authority in the Config) and the rewards Pool. */
  parts?: { market?: boolean; pool?: boolean };
  attesters?: PublicKey[];
  /** The parameters this world changes from the file's. */
  params?: NetworkOverrides;
}

export interface Supplier {
  wallet: Keypair;
  tokens: PublicKey;
}

export interface DeviceHandle {
  key: Keypair;
  address: PublicKey;
  supplier: Supplier;
  gpuCount: number;
  multiplierBps: number;
}

/** Asserts that `res`, the transaction `name`, landed (its error and logs in the message when not). */
export function landed(name: string, res: TxResult): TxResult {
  expect(res.ok, `${name} failed: ${res.error}\n${res.logs.join("\n")}`).to.equal(true);
  return res;
}

export class World {
  readonly staking = new StakingClient();
  readonly authority = Keypair.generate();
  readonly mintAuthority = Keypair.generate();
  mint!: PublicKey;
  treasury!: PublicKey;
  /** What the bootstrap made (the mint and treasury only when the Config is left to the test). */
  network!: Network;
  readonly devices: DeviceHandle[] = [];
  /** Compute units of our program per instruction name, as last measured. */
  readonly cu = new Map<string, number>();

  private constructor(readonly engine: ObservedEngine) {}

  /** `onEngine` sees the engine before any transaction (to attach an indexer from genesis);
   *  `initialize: false` leaves the Config to the test (only the mint and treasury are made). */
  static async create(
    engineName: EngineName,
    opts: { initialize?: boolean; onEngine?: (engine: ObservedEngine) => void; network?: WorldNetwork } = {},
  ): Promise<World> {
    const engine = observe(await startEngine(engineName, PROGRAMS, PROGRAMS_DIR));
    opts.onEngine?.(engine);
    const w = new World(engine);
    await engine.airdrop(w.authority.publicKey, 100_000_000_000n);
    if (opts.initialize === false) {
      w.mint = await createMint(engine, w.authority, w.mintAuthority.publicKey, DECIMALS);
      w.treasury = await createTokenAccount(engine, w.authority, w.mint, w.authority.publicKey);
      return w;
    }
    const tiers = [H100, RTX4070, INELIGIBLE].map((t) => ({ modelCode: t.code, multiplierBps: t.multiplierBps }));
    const { parts, attesters, params = {} } = opts.network ?? {};
    await w.bootstrap({ ...params, staking: { gpuTiers: tiers, ...params.staking } }, { parts: { market: false, pool: false, ...parts }, attesters });
    return w;
  }

  /** bootstrapNetwork on this world's chain and keys, its staking instructions' compute units recorded. */
  async bootstrap(params: NetworkOverrides, opts: Pick<BootstrapOptions, "parts" | "attesters">): Promise<Network> {
    const net = await bootstrapNetwork(this.engine, loadNetworkParams(undefined, params), {
      ...opts,
      authority: this.authority,
      mintAuthority: this.mintAuthority.publicKey,
      existing: this.network ? { stakeMint: this.mint, treasury: this.treasury } : undefined,
    });
    for (const name of ["initialize_config", "set_gpu_tier", "update_config", "set_attester"]) {
      const res = net.results.get(name);
      if (res) this.cu.set(name, programComputeUnits(res.logs, STAKING_PROGRAM_ID));
    }
    this.network ??= net;
    this.mint = net.stakeMint ?? this.mint;
    this.treasury = net.treasury ?? this.treasury;
    return net;
  }

  initializeConfigIx(overrides: Partial<Parameters<StakingClient["initializeConfig"]>[0]> = {}) {
    return this.staking.initializeConfig({
      authority: this.authority.publicKey,
      stakeMint: this.mint,
      treasury: this.treasury,
      unbondingPeriodSeconds: UNBONDING_SECONDS,
      maxSlashBps: MAX_SLASH_BPS,
      ...overrides,
    });
  }

  /** update_config from the authority: this world's treasury, the default unbonding period and slash cap, `leaseAuthority`; `overrides` replace any of them. */
  updateConfigIx(leaseAuthority: PublicKey, overrides: Partial<Parameters<StakingClient["updateConfig"]>[0]> = {}) {
    return this.staking.updateConfig({
      authority: this.authority.publicKey,
      treasury: this.treasury,
      unbondingPeriodSeconds: UNBONDING_SECONDS,
      maxSlashBps: MAX_SLASH_BPS,
      leaseAuthority,
      ...overrides,
    });
  }

  get vault(): PublicKey {
    return stakeVaultPda()[0];
  }

  get config(): PublicKey {
    return configPda()[0];
  }

  /** Sends and records our program's compute units under `name`. */
  async send(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    return this.sendFor(STAKING_PROGRAM_ID, this.cu, name, ixs, signers);
  }

  /** Sends on this world's chain; when it lands, `program`'s compute units are recorded under `name` in `cu` (each world keeps its own). */
  async sendFor(
    program: PublicKey,
    cu: Map<string, number>,
    name: string,
    ixs: TransactionInstruction | TransactionInstruction[],
    signers: Keypair[],
  ): Promise<TxResult> {
    const res = await this.engine.send(Array.isArray(ixs) ? ixs : [ixs], signers);
    if (res.ok) cu.set(name, programComputeUnits(res.logs, program));
    return res;
  }

  async ok(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    return landed(name, await this.send(name, ixs, signers));
  }

  /** Sends a transaction that must fail with `code`, and checks that none of `watched` changed. */
  async rejects(ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[], code: number, watched: PublicKey[] = []): Promise<TxResult> {
    const all = [
      ...watched,
      this.vault,
      this.config,
      this.treasury,
      ...this.devices.map((d) => d.address),
      ...this.coStakers.map((c) => coStakePda(c.device.address, c.staker.wallet.publicKey)[0]),
    ];
    return this.refused(ixs, signers, code, all, "expected error");
  }

  /** Sends a transaction that must fail with `code` and leave every account in `watched` as it was; `expected` begins the message when the code is wrong. */
  async refused(
    ixs: TransactionInstruction | TransactionInstruction[],
    signers: Keypair[],
    code: number,
    watched: PublicKey[],
    expected = "expected",
  ): Promise<TxResult> {
    const before = await this.snapshot(watched);
    const res = await this.engine.send(Array.isArray(ixs) ? ixs : [ixs], signers);
    expect(res.ok, "transaction should have failed").to.equal(false);
    expect(res.errorCode, `${expected} ${code}, got ${res.errorCode}: ${res.error}\n${res.logs.join("\n")}`).to.equal(code);
    expect(await this.snapshot(watched)).to.deep.equal(before);
    return res;
  }

  async snapshot(addresses: PublicKey[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const a of addresses) {
      const acc = await this.engine.getAccount(a);
      out[a.toBase58()] = acc ? `${acc.lamports}:${acc.owner.toBase58()}:${acc.data.toString("hex")}` : "none";
    }
    return out;
  }

  async newSupplier(tokens: bigint): Promise<Supplier> {
    const wallet = Keypair.generate();
    await this.engine.airdrop(wallet.publicKey, 10_000_000_000n);
    const account = await createTokenAccount(this.engine, wallet, this.mint, wallet.publicKey);
    if (tokens > 0n) await mintTo(this.engine, wallet, this.mint, account, this.mintAuthority, tokens);
    return { wallet, tokens: account };
  }

  /** The register_device instruction of a new device key (signed by the supplier and the key), not sent. */
  async registerDeviceIx(
    supplier: Supplier,
    gpu: { code: number; multiplierBps: number } = RTX4070,
    gpuCount = 1,
  ): Promise<{ ix: TransactionInstruction; device: DeviceHandle }> {
    const key = Keypair.generate();
    const ix = await this.staking.registerDevice({
      supplier: supplier.wallet.publicKey,
      deviceKey: key.publicKey,
      gpuModel: gpu.code,
      gpuCount,
      vramGb: 24,
      region: 276,
      bandwidthTier: 3,
    });
    return { ix, device: { key, address: deviceAddress(key.publicKey), supplier, gpuCount, multiplierBps: gpu.multiplierBps } };
  }

  async registerDevice(supplier: Supplier, gpu: { code: number; multiplierBps: number } = RTX4070, gpuCount = 1): Promise<DeviceHandle> {
    const { ix, device } = await this.registerDeviceIx(supplier, gpu, gpuCount);
    await this.ok("register_device", ix, [supplier.wallet, device.key]);
    this.devices.push(device);
    return device;
  }

  minimum(d: DeviceHandle): bigint {
    return minimumStake(DECIMALS, d.multiplierBps, d.gpuCount);
  }

  stakeIx(d: DeviceHandle, amount: bigint) {
    return this.staking.stake({
      supplier: d.supplier.wallet.publicKey,
      deviceKey: d.key.publicKey,
      supplierTokens: d.supplier.tokens,
      amount,
    });
  }

  /** The device's supplier withdraws its (unbonded) stake to its own token account and deregisters the device. */
  async withdrawAndDeregister(d: DeviceHandle): Promise<void> {
    const supplier = d.supplier.wallet;
    await this.ok("withdraw", await this.staking.withdraw({ supplier: supplier.publicKey, deviceKey: d.key.publicKey, destination: d.supplier.tokens }), [
      supplier,
    ]);
    await this.ok("deregister", await this.staking.deregister({ supplier: supplier.publicKey, deviceKey: d.key.publicKey }), [supplier]);
  }

  coStakeIx(d: DeviceHandle, staker: Supplier, amount: bigint) {
    return this.staking.coStake({ staker: staker.wallet.publicKey, deviceKey: d.key.publicKey, stakerTokens: staker.tokens, amount });
  }

  /** Co-stakers whose CoStake accounts the vault invariant must count. */
  readonly coStakers: { device: DeviceHandle; staker: Supplier }[] = [];

  async coStake(d: DeviceHandle, staker: Supplier) {
    const acc = await this.engine.getAccount(coStakePda(d.address, staker.wallet.publicKey)[0]);
    return acc ? this.staking.decodeCoStake(acc.data) : null;
  }

  async device(d: Pick<DeviceHandle, "address">) {
    const acc = await this.engine.getAccount(d.address);
    expect(acc, "device account").to.not.equal(null);
    return this.staking.decodeDevice(acc!.data);
  }

  balance(account: PublicKey): Promise<bigint> {
    return tokenBalance(this.engine, account);
  }

  /**
   * The vault holds exactly the sum of every device's stake and unbonding amounts (the supplier's and
   * the co-stakers' totals), and each device's co-stake totals cover what its co-stakers can withdraw
   * at the device's current scale.
   */
  async checkVaultInvariant(): Promise<void> {
    if (!(await this.engine.getAccount(this.vault))) return;
    let owed = 0n;
    const devices = new Map<string, DeviceAccount>();
    for (const d of this.devices) {
      const acc = await this.engine.getAccount(d.address);
      if (!acc) continue; // deregistered
      const dev = this.staking.decodeDevice(acc.data);
      devices.set(d.address.toBase58(), dev);
      owed += toBigInt(dev.stake) + toBigInt(dev.unbondingAmount) + toBigInt(dev.coStake) + toBigInt(dev.coUnbonding);
    }
    const seen = new Set<string>();
    const positions = new Map<string, { amount: bigint; unbonding: bigint }>();
    for (const { device, staker } of this.coStakers) {
      const key = `${device.address.toBase58()}:${staker.wallet.publicKey.toBase58()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = await this.coStake(device, staker);
      const dev = devices.get(device.address.toBase58());
      if (!c || !dev) continue;
      const e = effectiveCoStake(c, dev);
      const sum = positions.get(device.address.toBase58()) ?? { amount: 0n, unbonding: 0n };
      positions.set(device.address.toBase58(), { amount: sum.amount + e.amount, unbonding: sum.unbonding + e.unbonding });
    }
    for (const [address, sum] of positions) {
      const dev = devices.get(address)!;
      expect(sum.amount <= toBigInt(dev.coStake), `co-stake positions of ${address} within the device's total`).to.equal(true);
      expect(sum.unbonding <= toBigInt(dev.coUnbonding), `co-unbonding positions of ${address} within the device's total`).to.equal(true);
      // Rounding leaves at most one base unit per position and slash in the totals.
      expect(toBigInt(dev.coStake) + toBigInt(dev.coUnbonding) - sum.amount - sum.unbonding <= 1_000n).to.equal(true);
    }
    expect(await this.balance(this.vault)).to.equal(owed);
  }
}

export { stakingIdl };
