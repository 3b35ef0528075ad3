// A lease world on one engine: the staking world plus a Market (network and stable mint), the lease
// authority wired into staking, a registered attester, renters, staked devices, and helpers to open
// leases, prove hours and check the escrow and the conservation of tokens.

import { type Attestation, LEASES_PROGRAM_ID, LeasesClient, marketPda, signAttestation, statusDigest, toBigInt } from "@hourglass/client";
import { createTokenAccount, type EngineName, mintTo, type ObservedEngine, programComputeUnits, type TxResult } from "@hourglass/localchain";
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, type DeviceHandle, landed, NETWORK, RTX4070, type Supplier, World } from "./world.ts";

export const HOUR = NETWORK.hourLengthSeconds;
/** The tests' default grace (the local network's is 25 hours). */
export const GRACE = 1_800;
/** The Market's fees in basis points, as network/localnet.json sets them. */
export const FEES = {
  renter: NETWORK.market.renterFeeBps,
  supplier: NETWORK.market.supplierFeeBps,
  stable: NETWORK.market.stableSurchargeBps,
  faultSlash: NETWORK.market.faultSlashBps,
};
export const TOKENS = 10n ** BigInt(DECIMALS);

export interface Renter {
  wallet: Keypair;
  network: PublicKey;
  stable: PublicKey;
}

export interface OpenLease {
  lease: Keypair;
  escrow: Keypair;
  renter: Renter;
  mint: PublicKey;
  renterTokens: PublicKey;
  treasury: PublicKey;
  devices: DeviceHandle[];
}

export interface OpenParams {
  gpus: number;
  hours: number;
  price: bigint;
  maxDevices?: number;
  stable?: boolean;
  gpuModel?: number;
  /** The Lease's keypair when the caller needs its address first. */
  lease?: Keypair;
}

export class LeaseWorld {
  readonly leases = new LeasesClient();
  stableMint!: PublicKey;
  networkTreasury!: PublicKey;
  stableTreasury!: PublicKey;
  readonly cu = new Map<string, number>();
  /** Every token account that holds lease money: conservation is checked over these. */
  readonly holders: PublicKey[] = [];

  private constructor(
    readonly w: World,
    /** Seconds after an hour ends during which it may be proven (the market's grace period). */
    readonly grace: number,
    /** Enabled in the staking Config; signs assignments and proofs. */
    readonly attester: Keypair,
  ) {}

  /** A 24-hour attestation needs a grace of at least a day: every hour it covers must still be in time. */
  static async create(engine: EngineName, grace = GRACE, onEngine?: (engine: ObservedEngine) => void): Promise<LeaseWorld> {
    const attester = Keypair.generate();
    const w = await World.create(engine, {
      onEngine,
      network: { parts: { market: true }, attesters: [attester.publicKey], params: { market: { gracePeriodSeconds: grace } } },
    });
    const lw = new LeaseWorld(w, grace, attester);
    await w.engine.airdrop(attester.publicKey, 10_000_000_000n);
    const net = w.network;
    lw.stableMint = net.stableMint!;
    // The network fee vault is created by initialize_market (a PDA the Market holds; burn_fees burns it).
    lw.networkTreasury = net.networkTreasury!;
    lw.stableTreasury = net.stableTreasury!;
    lw.holders.push(lw.networkTreasury, lw.stableTreasury, w.treasury, w.vault);
    lw.cu.set("initialize_market", programComputeUnits(net.results.get("initialize_market")!.logs, LEASES_PROGRAM_ID));
    return lw;
  }

  get engine() {
    return this.w.engine;
  }

  async send(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    // Our program's units only (a system create_account before create_lease is not ours).
    return this.w.sendFor(LEASES_PROGRAM_ID, this.cu, name, ixs, signers);
  }

  async ok(name: string, ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[]): Promise<TxResult> {
    return landed(name, await this.send(name, ixs, signers));
  }

  /** Must fail with `code` and leave the lease, its escrow and every holder unchanged. */
  async rejects(ixs: TransactionInstruction | TransactionInstruction[], signers: Keypair[], code: number, open?: OpenLease): Promise<TxResult> {
    const watched = [...this.holders, ...(open ? [open.lease.publicKey, open.escrow.publicKey, ...open.devices.map((d) => d.address)] : [])];
    return this.w.refused(ixs, signers, code, watched);
  }

  async newRenter(tokens = 1_000_000n * TOKENS): Promise<Renter> {
    const wallet = Keypair.generate();
    await this.engine.airdrop(wallet.publicKey, 100_000_000_000n);
    const network = await createTokenAccount(this.engine, wallet, this.w.mint, wallet.publicKey);
    const stable = await createTokenAccount(this.engine, wallet, this.stableMint, wallet.publicKey);
    await mintTo(this.engine, wallet, this.w.mint, network, this.w.mintAuthority, tokens);
    await mintTo(this.engine, wallet, this.stableMint, stable, this.w.mintAuthority, tokens);
    this.holders.push(network, stable);
    return { wallet, network, stable };
  }

  /** Registered and staked devices, each of its own supplier (who gets token accounts of both mints). */
  async stakedDevices(n: number, gpu = RTX4070, gpus = 1): Promise<DeviceHandle[]> {
    const out: DeviceHandle[] = [];
    for (let i = 0; i < n; i++) {
      const s: Supplier = await this.w.newSupplier(100_000n * TOKENS);
      const d = await this.w.registerDevice(s, gpu, gpus);
      await this.w.ok("stake", await this.w.stakeIx(d, this.w.minimum(d)), [s.wallet]);
      const stableTokens = await createTokenAccount(this.engine, s.wallet, this.stableMint, s.wallet.publicKey);
      (d as DeviceHandle & { stableTokens: PublicKey }).stableTokens = stableTokens;
      this.holders.push(s.tokens, stableTokens);
      out.push(d);
    }
    return out;
  }

  supplierTokens(d: DeviceHandle, open: OpenLease): PublicKey {
    return open.mint.equals(this.stableMint) ? (d as DeviceHandle & { stableTokens: PublicKey }).stableTokens : d.supplier.tokens;
  }

  /** The create_lease transaction's instructions (and its new keypairs), not sent. */
  async openIxs(renter: Renter, p: OpenParams): Promise<{ ixs: TransactionInstruction[]; signers: Keypair[] } & Omit<OpenLease, "devices">> {
    const lease = p.lease ?? Keypair.generate();
    const escrow = Keypair.generate();
    const stable = p.stable ?? false;
    const mint = stable ? this.stableMint : this.w.mint;
    const renterTokens = stable ? renter.stable : renter.network;
    const treasury = stable ? this.stableTreasury : this.networkTreasury;
    const maxDevices = p.maxDevices ?? p.gpus;
    const ixs = await this.leases.openLease({
      leaseRentLamports: await this.engine.rentExempt(this.leases.leaseSize(maxDevices)),
      renter: renter.wallet.publicKey,
      lease: lease.publicKey,
      escrow: escrow.publicKey,
      paymentMint: mint,
      renterTokens,
      treasury,
      gpuModel: p.gpuModel ?? RTX4070.code,
      gpuCount: p.gpus,
      hours: p.hours,
      pricePerGpuHour: p.price,
      maxDevices,
    });
    return { ixs, signers: [renter.wallet, lease, escrow], lease, escrow, renter, mint, renterTokens, treasury };
  }

  async open(renter: Renter, p: OpenParams): Promise<OpenLease> {
    const { ixs, signers, ...o } = await this.openIxs(renter, p);
    await this.ok("create_lease", ixs, signers);
    this.holders.push(o.escrow.publicKey);
    return { ...o, devices: [] };
  }

  async assign(open: OpenLease, d: DeviceHandle): Promise<void> {
    await this.ok("assign_device", await this.leases.assignDevice({ attester: this.attester.publicKey, lease: open.lease.publicKey, device: d.address }), [
      this.attester,
    ]);
    open.devices.push(d);
  }

  attest(open: OpenLease, slot: number, firstHour: number, hours: number, signer?: Keypair): Attestation {
    const d = open.devices[slot];
    return signAttestation(signer ?? d.key, slot, open.lease.publicKey, firstHour, hours, statusDigest(`job ok ${firstHour}+${hours}`));
  }

  async proveIxs(open: OpenLease, atts: Attestation[]) {
    return this.leases.proveTime({ attester: this.attester.publicKey, lease: open.lease.publicKey, attestations: atts });
  }

  /** prove_time, sent by the attester. */
  async prove(open: OpenLease, atts: Attestation[]): Promise<TxResult> {
    return this.ok("prove_time", await this.proveIxs(open, atts), [this.attester]);
  }

  /** A claim of slot `slot`'s proven hours into `supplierTokens` (the attester calls unless told). */
  claimIx(open: OpenLease, slot: number, supplierTokens: PublicKey, caller = this.attester.publicKey): Promise<TransactionInstruction> {
    return this.leases.claim({ caller, lease: open.lease.publicKey, escrow: open.escrow.publicKey, slot, supplierTokens, treasury: open.treasury });
  }

  async claim(open: OpenLease, slot: number, supplierTokens: PublicKey, caller = this.attester): Promise<TxResult> {
    return this.ok("claim", await this.claimIx(open, slot, supplierTokens, caller.publicKey), [caller]);
  }

  /** The lease's renter books `hours` more, paid from the account it opened with. */
  /** The lease's renter books `hours` more, paid from the account it paid from. */
  extendIx(open: OpenLease, hours: number): Promise<TransactionInstruction> {
    return this.leases.extend({
      renter: open.renter.wallet.publicKey,
      lease: open.lease.publicKey,
      escrow: open.escrow.publicKey,
      renterTokens: open.renterTokens,
      treasury: open.treasury,
      hours,
    });
  }

  async extend(open: OpenLease, hours: number): Promise<TxResult> {
    return this.ok("extend", await this.extendIx(open, hours), [open.renter.wallet]);
  }

  /** The lease's renter terminates it, refunded to the account it paid from. */
  terminateIx(open: OpenLease): Promise<TransactionInstruction> {
    return this.leases.terminate({
      renter: open.renter.wallet.publicKey,
      lease: open.lease.publicKey,
      escrow: open.escrow.publicKey,
      renterTokens: open.renterTokens,
    });
  }

  async terminate(open: OpenLease): Promise<TxResult> {
    return this.ok("terminate", await this.terminateIx(open), [open.renter.wallet]);
  }

  async state(open: OpenLease) {
    const acc = await this.engine.getAccount(open.lease.publicKey);
    expect(acc, "lease account").to.not.equal(null);
    return this.leases.decodeLease(acc!.data);
  }

  /** The escrow holds exactly what the lease still owes: principal less refunds and payouts. */
  async checkEscrow(open: OpenLease): Promise<void> {
    const acc = await this.engine.getAccount(open.lease.publicKey);
    if (!acc) return; // closed
    const { lease } = this.leases.decodeLease(acc.data);
    const owed = toBigInt(lease.principal) - toBigInt(lease.refunded) - toBigInt(lease.claimedTotal);
    expect(await this.w.balance(open.escrow.publicKey)).to.equal(owed);
  }

  /** The Market as stored. */
  async market() {
    const acc = await this.engine.getAccount(marketPda()[0]);
    expect(acc, "market account").to.not.equal(null);
    return this.leases.decodeMarket(acc!.data);
  }

  /** The mint's supply as the token program records it. */
  async mintSupply(mint: PublicKey): Promise<bigint> {
    const acc = await this.engine.getAccount(mint);
    expect(acc, "mint account").to.not.equal(null);
    return acc!.data.readBigUInt64LE(36);
  }

  /** The sum over every holder of `mint` (renters, suppliers, treasuries, escrows). */
  async supply(mint: PublicKey): Promise<bigint> {
    let total = 0n;
    for (const h of this.holders) {
      const acc = await this.engine.getAccount(h);
      if (!acc) continue;
      if (new PublicKey(acc.data.subarray(0, 32)).equals(mint)) total += BigInt(acc.data.readBigUInt64LE(64));
    }
    return total;
  }
}
