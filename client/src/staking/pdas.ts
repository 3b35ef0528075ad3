// Program-derived addresses of the staking program (seeds in programs/staking/interface/src/seeds.rs).
import { PublicKey } from "@solana/web3.js";
import { STAKING_PROGRAM_ID } from "../idl.ts";

export function configPda(programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([Buffer.from("config")], programId);
}

export function stakeVaultPda(programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([Buffer.from("stake_vault")], programId);
}

export function gpuTierPda(modelCode: number, programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  const code = Buffer.alloc(2);
  code.writeUInt16LE(modelCode);
  return PublicKey.findProgramAddressSync([Buffer.from("gpu_tier"), code], programId);
}

/** A Device account lives at its device key's own address (no derivation). */
export function deviceAddress(deviceKey: PublicKey): PublicKey {
  return deviceKey;
}

export function coStakePda(device: PublicKey, staker: PublicKey, programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([Buffer.from("co_stake"), device.toBuffer(), staker.toBuffer()], programId);
}

/** The open discretionary slash proposal of a device (one at a time). */
export function slashProposalPda(device: PublicKey, programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([Buffer.from("slash_proposal"), device.toBuffer()], programId);
}
