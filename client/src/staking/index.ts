// Staking program: instruction builders (via Anchor's methods builder over our IDL) and decoders.
import type { Program } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import {
  BPS,
  CO_FACTOR_ONE,
  type ConfigAccount,
  type CoStakeAccount,
  type DeviceAccount,
  type GpuTierAccount,
  SLASH_REASON_NAMES,
  type SlashProposalAccount,
  STAKE_PER_GPU_TOKENS,
} from "../generated/staking.ts";
import { stakingProgram, toBigInt } from "../program.ts";
import { configPda, coStakePda, deviceAddress, gpuTierPda, slashProposalPda, stakeVaultPda } from "./pdas.ts";

// Constants, status and reason codes, errors, account and event types: generated from the IDL.
export * from "../generated/staking.ts";
export * from "./pdas.ts";

/** A slash reason's name ("reason N" for a code the program does not know). */
export function slashReasonName(code: number): string {
  return SLASH_REASON_NAMES[code] ?? `reason ${code}`;
}

/** A co-stake's active and unbonding amounts at its device's current scale (what the program pays). */
export function effectiveCoStake(position: CoStakeAccount, device: DeviceAccount): { amount: bigint; unbonding: bigint } {
  const at = toBigInt(position.factor) || CO_FACTOR_ONE;
  const now = toBigInt(device.coFactor) || CO_FACTOR_ONE;
  const scale = (v: BN) => (toBigInt(v) * now) / at;
  return { amount: scale(position.amount), unbonding: scale(position.unbondingAmount) };
}

const bn = (v: bigint | number | BN) => (BN.isBN(v) ? v : new BN(v.toString()));

export class StakingClient {
  constructor(readonly program: Program = stakingProgram()) {}

  get programId(): PublicKey {
    return this.program.programId;
  }

  initializeConfig(p: {
    authority: PublicKey;
    stakeMint: PublicKey;
    treasury: PublicKey;
    /** 0 = 14 days; otherwise one hour to 365 days. */
    unbondingPeriodSeconds: number | bigint;
    maxSlashBps: number;
    /** propose_slash -> execute_slash; 0 (default) = 48 hours; shorter than the unbonding period. */
    slashDelaySeconds?: number | bigint;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .initializeConfig(bn(p.unbondingPeriodSeconds), p.maxSlashBps, bn(p.slashDelaySeconds ?? 0))
      .accountsStrict({
        authority: p.authority,
        config: configPda(this.programId)[0],
        stakeMint: p.stakeMint,
        stakeVault: stakeVaultPda(this.programId)[0],
        treasury: p.treasury,
        systemProgram: SystemProgram.programId,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  setGpuTier(p: { authority: PublicKey; modelCode: number; multiplierBps: number }): Promise<TransactionInstruction> {
    return this.program.methods
      .setGpuTier(p.modelCode, p.multiplierBps)
      .accountsStrict({
        authority: p.authority,
        config: configPda(this.programId)[0],
        gpuTier: gpuTierPda(p.modelCode, this.programId)[0],
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  registerDevice(p: {
    supplier: PublicKey;
    deviceKey: PublicKey;
    gpuModel: number;
    gpuCount: number;
    vramGb: number;
    region: number;
    bandwidthTier: number;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .registerDevice(p.gpuModel, p.gpuCount, p.vramGb, p.region, p.bandwidthTier)
      .accountsStrict({
        supplier: p.supplier,
        device: deviceAddress(p.deviceKey),
        config: configPda(this.programId)[0],
        gpuTier: gpuTierPda(p.gpuModel, this.programId)[0],
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  stake(p: { supplier: PublicKey; deviceKey: PublicKey; supplierTokens: PublicKey; amount: bigint | number | BN }): Promise<TransactionInstruction> {
    return this.program.methods
      .stake(bn(p.amount))
      .accountsStrict({
        supplier: p.supplier,
        config: configPda(this.programId)[0],
        device: deviceAddress(p.deviceKey),
        supplierTokens: p.supplierTokens,
        stakeVault: stakeVaultPda(this.programId)[0],
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  requestUnstake(p: { supplier: PublicKey; deviceKey: PublicKey; amount: bigint | number | BN }): Promise<TransactionInstruction> {
    return this.program.methods
      .requestUnstake(bn(p.amount))
      .accountsStrict({
        supplier: p.supplier,
        config: configPda(this.programId)[0],
        device: deviceAddress(p.deviceKey),
      })
      .instruction();
  }

  withdraw(p: { supplier: PublicKey; deviceKey: PublicKey; destination: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .withdraw()
      .accountsStrict({
        supplier: p.supplier,
        config: configPda(this.programId)[0],
        device: deviceAddress(p.deviceKey),
        stakeVault: stakeVaultPda(this.programId)[0],
        destination: p.destination,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  updateConfig(p: {
    authority: PublicKey;
    treasury: PublicKey;
    unbondingPeriodSeconds: number | bigint;
    maxSlashBps: number;
    leaseAuthority: PublicKey;
    slashDelaySeconds?: number | bigint;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .updateConfig(bn(p.unbondingPeriodSeconds), p.maxSlashBps, p.leaseAuthority, bn(p.slashDelaySeconds ?? 0))
      .accountsStrict({ authority: p.authority, config: configPda(this.programId)[0], treasury: p.treasury })
      .instruction();
  }

  setAuthority(p: { authority: PublicKey; newAuthority: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .setAuthority()
      .accountsStrict({ authority: p.authority, newAuthority: p.newAuthority, config: configPda(this.programId)[0] })
      .instruction();
  }

  setAttester(p: { authority: PublicKey; attester: PublicKey; enabled: boolean }): Promise<TransactionInstruction> {
    return this.program.methods
      .setAttester(p.attester, p.enabled)
      .accountsStrict({ authority: p.authority, config: configPda(this.programId)[0] })
      .instruction();
  }

  setDevicePaused(p: { supplier: PublicKey; deviceKey: PublicKey; paused: boolean }): Promise<TransactionInstruction> {
    return this.program.methods
      .setDevicePaused(p.paused)
      .accountsStrict({ supplier: p.supplier, device: deviceAddress(p.deviceKey) })
      .instruction();
  }

  coStake(p: { staker: PublicKey; deviceKey: PublicKey; stakerTokens: PublicKey; amount: bigint | number | BN }): Promise<TransactionInstruction> {
    const device = deviceAddress(p.deviceKey);
    return this.program.methods
      .coStake(bn(p.amount))
      .accountsStrict({
        staker: p.staker,
        config: configPda(this.programId)[0],
        device,
        coStake: coStakePda(device, p.staker, this.programId)[0],
        stakerTokens: p.stakerTokens,
        stakeVault: stakeVaultPda(this.programId)[0],
        tokenProgram: TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  coUnstake(p: { staker: PublicKey; deviceKey: PublicKey; amount: bigint | number | BN }): Promise<TransactionInstruction> {
    const device = deviceAddress(p.deviceKey);
    return this.program.methods
      .coUnstake(bn(p.amount))
      .accountsStrict({
        staker: p.staker,
        config: configPda(this.programId)[0],
        device,
        coStake: coStakePda(device, p.staker, this.programId)[0],
      })
      .instruction();
  }

  coWithdraw(p: { staker: PublicKey; deviceKey: PublicKey; destination: PublicKey }): Promise<TransactionInstruction> {
    const device = deviceAddress(p.deviceKey);
    return this.program.methods
      .coWithdraw()
      .accountsStrict({
        staker: p.staker,
        config: configPda(this.programId)[0],
        device,
        coStake: coStakePda(device, p.staker, this.programId)[0],
        stakeVault: stakeVaultPda(this.programId)[0],
        destination: p.destination,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  slash(p: { authority: PublicKey; deviceKey: PublicKey; treasury: PublicKey; bps: number; reason: number }): Promise<TransactionInstruction> {
    return this.program.methods
      .slash(p.bps, p.reason)
      .accountsStrict({
        authority: p.authority,
        config: configPda(this.programId)[0],
        device: deviceAddress(p.deviceKey),
        stakeVault: stakeVaultPda(this.programId)[0],
        treasury: p.treasury,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  /** The config authority proposes a slash; executable after the Config's slash delay. */
  proposeSlash(p: { authority: PublicKey; deviceKey: PublicKey; bps: number; reason: number }): Promise<TransactionInstruction> {
    const device = deviceAddress(p.deviceKey);
    return this.program.methods
      .proposeSlash(p.bps, p.reason)
      .accountsStrict({
        authority: p.authority,
        config: configPda(this.programId)[0],
        device,
        proposal: slashProposalPda(device, this.programId)[0],
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  cancelSlash(p: { authority: PublicKey; deviceKey: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .cancelSlash()
      .accountsStrict({
        authority: p.authority,
        config: configPda(this.programId)[0],
        proposal: slashProposalPda(deviceAddress(p.deviceKey), this.programId)[0],
      })
      .instruction();
  }

  executeSlash(p: { authority: PublicKey; deviceKey: PublicKey; treasury: PublicKey; proposal?: PublicKey }): Promise<TransactionInstruction> {
    const device = deviceAddress(p.deviceKey);
    return this.program.methods
      .executeSlash()
      .accountsStrict({
        authority: p.authority,
        config: configPda(this.programId)[0],
        device,
        proposal: p.proposal ?? slashProposalPda(device, this.programId)[0],
        stakeVault: stakeVaultPda(this.programId)[0],
        treasury: p.treasury,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  assignLease(p: { leaseAuthority: PublicKey; deviceKey: PublicKey; lease: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .assignLease(p.lease)
      .accountsStrict({ leaseAuthority: p.leaseAuthority, config: configPda(this.programId)[0], device: deviceAddress(p.deviceKey) })
      .instruction();
  }

  releaseLease(p: { leaseAuthority: PublicKey; deviceKey: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .releaseLease()
      .accountsStrict({ leaseAuthority: p.leaseAuthority, config: configPda(this.programId)[0], device: deviceAddress(p.deviceKey) })
      .instruction();
  }

  deregister(p: { supplier: PublicKey; deviceKey: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .deregister()
      .accountsStrict({ supplier: p.supplier, device: deviceAddress(p.deviceKey) })
      .instruction();
  }

  decodeCoStake(data: Buffer | Uint8Array): CoStakeAccount {
    return this.program.coder.accounts.decode("coStake", Buffer.from(data));
  }

  decodeConfig(data: Buffer | Uint8Array): ConfigAccount {
    return this.program.coder.accounts.decode("config", Buffer.from(data));
  }

  decodeDevice(data: Buffer | Uint8Array): DeviceAccount {
    return this.program.coder.accounts.decode("device", Buffer.from(data));
  }

  decodeSlashProposal(data: Buffer | Uint8Array): SlashProposalAccount {
    return this.program.coder.accounts.decode("slashProposal", Buffer.from(data));
  }

  decodeGpuTier(data: Buffer | Uint8Array): GpuTierAccount {
    return this.program.coder.accounts.decode("gpuTier", Buffer.from(data));
  }

  /** Account data size of a type, as the IDL describes it (discriminator included). */
  accountSize(name: "config" | "gpuTier" | "device" | "coStake" | "slashProposal"): number {
    return this.program.coder.accounts.size(name);
  }
}

/** io.net's minimum stake: 200 tokens x max(1, multiplier) x GPUs, in base units (rounded up). */
export function minimumStake(mintDecimals: number, multiplierBps: number, gpuCount: number): bigint {
  const perGpu = STAKE_PER_GPU_TOKENS * 10n ** BigInt(mintDecimals);
  const multiplier = BigInt(Math.max(multiplierBps, Number(BPS)));
  const scaled = (perGpu * multiplier + BPS - 1n) / BPS;
  return scaled * BigInt(gpuCount);
}
