// Program-derived addresses of the staking program (seeds from programs/staking/interface/src/seeds.rs,
// through the IDL's constants).
import { PublicKey } from "@solana/web3.js";
import { CO_STAKE_SEED, CONFIG_SEED, GPU_TIER_SEED, SLASH_PROPOSAL_SEED, STAKE_VAULT_SEED } from "../generated/staking.ts";
import { STAKING_PROGRAM_ID } from "../idl.ts";

export function configPda(programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([CONFIG_SEED], programId);
}

export function stakeVaultPda(programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([STAKE_VAULT_SEED], programId);
}

export function gpuTierPda(modelCode: number, programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  const code = Buffer.alloc(2);
  code.writeUInt16LE(modelCode);
  return PublicKey.findProgramAddressSync([GPU_TIER_SEED, code], programId);
}

/** A Device account lives at its device key's own address (no derivation). */
export function deviceAddress(deviceKey: PublicKey): PublicKey {
  return deviceKey;
}

export function coStakePda(device: PublicKey, staker: PublicKey, programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([CO_STAKE_SEED, device.toBuffer(), staker.toBuffer()], programId);
}

/** The open discretionary slash proposal of a device (one at a time). */
export function slashProposalPda(device: PublicKey, programId = STAKING_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([SLASH_PROPOSAL_SEED, device.toBuffer()], programId);
}
