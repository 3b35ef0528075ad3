// Staking program: instruction builders (via Anchor's methods builder over our IDL) and decoders.
import type { Program } from "@coral-xyz/anchor";
import BN from "bn.js";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { stakingProgram } from "../program.ts";
import { configPda, deviceAddress, gpuTierPda, stakeVaultPda } from "./pdas.ts";

export * from "./pdas.ts";

/** `Device.status` values. */
export const DeviceStatus = { Active: 0, Paused: 1, Leased: 2, Deregistering: 3 } as const;

export interface ConfigAccount {
  authority: PublicKey;
  stakeMint: PublicKey;
  stakeVault: PublicKey;
  treasury: PublicKey;
  unbondingPeriod: BN;
  maxSlashBps: number;
  mintDecimals: number;
  bump: number;
  vaultBump: number;
}

export interface DeviceAccount {
  owner: PublicKey;
  deviceKey: PublicKey;
  currentLease: PublicKey;
  gpuModel: number;
  gpuCount: number;
  vramGb: number;
  region: number;
  bandwidthTier: number;
  status: number;
  bump: number;
  multiplierBps: number;
  stake: BN;
  unbondingAmount: BN;
  unbondingUnlockAt: BN;
  provenHours: BN;
  registeredAt: BN;
}

export interface GpuTierAccount {
  modelCode: number;
  multiplierBps: number;
  bump: number;
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
    unbondingPeriodSeconds: number | bigint;
    maxSlashBps: number;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .initializeConfig(bn(p.unbondingPeriodSeconds), p.maxSlashBps)
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

  stake(p: {
    supplier: PublicKey;
    deviceKey: PublicKey;
    supplierTokens: PublicKey;
    amount: bigint | number | BN;
  }): Promise<TransactionInstruction> {
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

  decodeConfig(data: Buffer | Uint8Array): ConfigAccount {
    return this.program.coder.accounts.decode("config", Buffer.from(data));
  }

  decodeDevice(data: Buffer | Uint8Array): DeviceAccount {
    return this.program.coder.accounts.decode("device", Buffer.from(data));
  }

  decodeGpuTier(data: Buffer | Uint8Array): GpuTierAccount {
    return this.program.coder.accounts.decode("gpuTier", Buffer.from(data));
  }

  /** Account data size of a type, as the IDL describes it (discriminator included). */
  accountSize(name: "config" | "gpuTier" | "device"): number {
    return this.program.coder.accounts.size(name);
  }
}

/** io.net's minimum stake: 200 tokens x max(1, multiplier) x GPUs, in base units (rounded up). */
export function minimumStake(mintDecimals: number, multiplierBps: number, gpuCount: number): bigint {
  const perGpu = 200n * 10n ** BigInt(mintDecimals);
  const multiplier = BigInt(Math.max(multiplierBps, 10_000));
  const scaled = (perGpu * multiplier + 9_999n) / 10_000n;
  return scaled * BigInt(gpuCount);
}
