// Lease program: PDAs, instruction builders (Anchor's methods builder over our IDL), decoders of the
// Lease header and its device slots, and the batched prove_time builder.
import type { Program } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, SYSVAR_INSTRUCTIONS_PUBKEY, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import {
  LEASE_AUTHORITY_SEED,
  type LeaseAccount,
  MARKET_SEED,
  MAX_ATTESTATIONS,
  type MarketAccount,
  NETWORK_TREASURY_SEED,
  type SlotAccount,
  SlotLayout,
} from "../generated/leases.ts";
import { LEASES_PROGRAM_ID, STAKING_PROGRAM_ID } from "../idl.ts";
import { leasesProgram } from "../program.ts";
import { configPda, stakeVaultPda } from "../staking/pdas.ts";
import { type Attestation, attestationBytes, ed25519Instruction } from "./attestation.ts";

// Constants, status codes, errors, account and event types and the Slot layout: generated from the IDL.
export * from "../generated/leases.ts";
export * from "./attestation.ts";

/** Bytes of one device slot after the Lease header (the IDL's Slot type). */
export const SLOT_SIZE = SlotLayout.size;

export function marketPda(programId = LEASES_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([MARKET_SEED], programId);
}

export function leaseAuthorityPda(programId = LEASES_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([LEASE_AUTHORITY_SEED], programId);
}

/** The network fee vault: network-token fees collect here (token authority: the Market) and `burn_fees` burns them. */
export function networkTreasuryPda(programId = LEASES_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([NETWORK_TREASURY_SEED], programId);
}

const bn = (v: bigint | number | BN) => (BN.isBN(v) ? v : new BN(v.toString()));

export class LeasesClient {
  constructor(readonly program: Program = leasesProgram()) {}

  get programId(): PublicKey {
    return this.program.programId;
  }

  /** Creates the Market and its network fee vault (`networkTreasuryPda`); the stable treasury is the authority's own account. */
  initializeMarket(p: {
    authority: PublicKey;
    networkMint: PublicKey;
    stableMint: PublicKey;
    stableTreasury: PublicKey;
    gracePeriodSeconds: number;
    hourLengthSeconds: number;
    renterFeeBps: number;
    supplierFeeBps: number;
    stableSurchargeBps: number;
    faultSlashBps: number;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .initializeMarket(bn(p.gracePeriodSeconds), bn(p.hourLengthSeconds), p.renterFeeBps, p.supplierFeeBps, p.stableSurchargeBps, p.faultSlashBps)
      .accountsStrict({
        authority: p.authority,
        market: marketPda(this.programId)[0],
        networkMint: p.networkMint,
        stableMint: p.stableMint,
        networkTreasury: networkTreasuryPda(this.programId)[0],
        stableTreasury: p.stableTreasury,
        leaseAuthority: leaseAuthorityPda(this.programId)[0],
        systemProgram: SystemProgram.programId,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  /** Bytes of a Lease with room for `maxDevices` devices. */
  leaseSize(maxDevices: number): number {
    return this.program.coder.accounts.size("lease") + maxDevices * SLOT_SIZE;
  }

  /**
   * The two instructions that open a lease: create the Lease account (owned by the lease program) and
   * `create_lease`. `lease` and `escrow` are fresh keypairs' public keys; the renter and both keypairs
   * sign. `leaseRentLamports` is the rent-exempt minimum for `leaseSize(maxDevices)` bytes.
   */
  async openLease(p: Parameters<LeasesClient["createLease"]>[0] & { leaseRentLamports: number | bigint }): Promise<TransactionInstruction[]> {
    const space = this.leaseSize(p.maxDevices);
    return [
      SystemProgram.createAccount({ fromPubkey: p.renter, newAccountPubkey: p.lease, lamports: Number(p.leaseRentLamports), space, programId: this.programId }),
      await this.createLease(p),
    ];
  }

  createLease(p: {
    renter: PublicKey;
    lease: PublicKey;
    escrow: PublicKey;
    paymentMint: PublicKey;
    renterTokens: PublicKey;
    treasury: PublicKey;
    gpuModel: number;
    gpuCount: number;
    hours: number;
    pricePerGpuHour: bigint | number | BN;
    maxDevices: number;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .createLease(p.gpuModel, p.gpuCount, p.hours, bn(p.pricePerGpuHour), p.maxDevices)
      .accountsStrict({
        renter: p.renter,
        lease: p.lease,
        escrow: p.escrow,
        market: marketPda(this.programId)[0],
        paymentMint: p.paymentMint,
        renterTokens: p.renterTokens,
        treasury: p.treasury,
        leaseAuthority: leaseAuthorityPda(this.programId)[0],
        tokenProgram: TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  /** The accounts of a call into the staking program on a device's behalf (assign, release, fault): the Lease authority signs. */
  private stakingCpiAccounts(device: PublicKey) {
    return {
      leaseAuthority: leaseAuthorityPda(this.programId)[0],
      stakingProgram: STAKING_PROGRAM_ID,
      stakingConfig: configPda(STAKING_PROGRAM_ID)[0],
      device,
    };
  }

  assignDevice(p: { attester: PublicKey; lease: PublicKey; device: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .assignDevice()
      .accountsStrict({
        attester: p.attester,
        lease: p.lease,
        ...this.stakingCpiAccounts(p.device),
      })
      .instruction();
  }

  /**
   * The Ed25519 verification and prove_time instructions for up to five attestations, in that order.
   * `ed25519Index` is where the first lands in the transaction (after any compute-budget instructions).
   */
  async proveTime(p: { attester: PublicKey; lease: PublicKey; attestations: Attestation[]; ed25519Index?: number }): Promise<TransactionInstruction[]> {
    if (p.attestations.length === 0 || p.attestations.length > MAX_ATTESTATIONS) {
      throw new Error(`prove_time takes 1 to ${MAX_ATTESTATIONS} attestations`);
    }
    const index = p.ed25519Index ?? 0;
    const prove = await this.program.methods
      .proveTime(attestationBytes(p.attestations))
      .accountsStrict({ attester: p.attester, stakingConfig: configPda(STAKING_PROGRAM_ID)[0], lease: p.lease, instructions: SYSVAR_INSTRUCTIONS_PUBKEY })
      .instruction();
    return [ed25519Instruction(p.attestations, index), prove];
  }

  extend(p: {
    renter: PublicKey;
    lease: PublicKey;
    escrow: PublicKey;
    renterTokens: PublicKey;
    treasury: PublicKey;
    hours: number;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .extend(p.hours)
      .accountsStrict({
        renter: p.renter,
        lease: p.lease,
        escrow: p.escrow,
        renterTokens: p.renterTokens,
        treasury: p.treasury,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  pause(p: { caller: PublicKey; lease: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods.pause().accountsStrict({ caller: p.caller, lease: p.lease }).instruction();
  }

  /** The accounts terminate and complete share: the lease, its escrow, the renter's refund account and the authority that signs for the escrow. */
  private refundAccounts(p: { lease: PublicKey; escrow: PublicKey; renterTokens: PublicKey }) {
    return {
      lease: p.lease,
      escrow: p.escrow,
      renterTokens: p.renterTokens,
      leaseAuthority: leaseAuthorityPda(this.programId)[0],
      tokenProgram: TOKEN_PROGRAM_ID,
    };
  }

  terminate(p: { renter: PublicKey; lease: PublicKey; escrow: PublicKey; renterTokens: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .terminate()
      .accountsStrict({
        renter: p.renter,
        ...this.refundAccounts(p),
      })
      .instruction();
  }

  complete(p: { caller: PublicKey; lease: PublicKey; escrow: PublicKey; renterTokens: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .complete()
      .accountsStrict({
        caller: p.caller,
        ...this.refundAccounts(p),
      })
      .instruction();
  }

  reportFault(p: { caller: PublicKey; lease: PublicKey; slot: number; device: PublicKey; stakingTreasury: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .reportFault(p.slot)
      .accountsStrict({
        caller: p.caller,
        lease: p.lease,
        ...this.stakingCpiAccounts(p.device),
        stakeVault: stakeVaultPda(STAKING_PROGRAM_ID)[0],
        stakingTreasury: p.stakingTreasury,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  claim(p: {
    caller: PublicKey;
    lease: PublicKey;
    escrow: PublicKey;
    slot: number;
    supplierTokens: PublicKey;
    treasury: PublicKey;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .claim(p.slot)
      .accountsStrict({
        caller: p.caller,
        lease: p.lease,
        escrow: p.escrow,
        supplierTokens: p.supplierTokens,
        treasury: p.treasury,
        leaseAuthority: leaseAuthorityPda(this.programId)[0],
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  releaseDevice(p: { caller: PublicKey; lease: PublicKey; slot: number; device: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .releaseDevice(p.slot)
      .accountsStrict({
        caller: p.caller,
        lease: p.lease,
        ...this.stakingCpiAccounts(p.device),
      })
      .instruction();
  }

  closeLease(p: { renter: PublicKey; lease: PublicKey; escrow: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .closeLease()
      .accountsStrict({
        renter: p.renter,
        lease: p.lease,
        escrow: p.escrow,
        leaseAuthority: leaseAuthorityPda(this.programId)[0],
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  /** Anyone burns every network-token fee in the fee vault. `networkMint` is the Market's. */
  burnFees(p: { caller: PublicKey; networkMint: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .burnFees()
      .accountsStrict({
        caller: p.caller,
        market: marketPda(this.programId)[0],
        networkTreasury: networkTreasuryPda(this.programId)[0],
        networkMint: p.networkMint,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  decodeMarket(data: Buffer | Uint8Array): MarketAccount {
    return this.program.coder.accounts.decode("market", Buffer.from(data)) as MarketAccount;
  }

  decodeLease(data: Buffer | Uint8Array): { lease: LeaseAccount; slots: SlotAccount[] } {
    const buf = Buffer.from(data);
    const raw = this.program.coder.accounts.decode("lease", buf);
    // The coder decodes `stable` (IDL bool) as a boolean already.
    const lease = raw as LeaseAccount;
    const header = this.program.coder.accounts.size("lease");
    const slots: SlotAccount[] = [];
    const at = SlotLayout.offsets;
    for (let i = 0; i < lease.deviceCount; i++) {
      const o = header + i * SLOT_SIZE;
      slots.push({
        device: new PublicKey(buf.subarray(o + at.device, o + at.owner)),
        owner: new PublicKey(buf.subarray(o + at.owner, o + at.gpus)),
        gpus: buf.readUInt16LE(o + at.gpus),
        status: buf[o + at.status],
        released: buf[o + at.released] !== 0,
        nextHour: buf.readUInt32LE(o + at.nextHour),
        provenHours: buf.readUInt32LE(o + at.provenHours),
        claimedHours: buf.readUInt32LE(o + at.claimedHours),
      });
    }
    return { lease, slots };
  }
}
