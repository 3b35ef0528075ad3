// Rewards program: PDAs, builders, decoders, uptime attestations, and the schedule in TypeScript.
import type { Program } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { type Keypair, PublicKey, SYSVAR_INSTRUCTIONS_PUBKEY, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import {
  CO_REWARD_SEED,
  type CoStakeRewardAccount,
  DEVICE_REWARD_SEED,
  type DeviceRewardAccount,
  MAX_UPTIME_ATTESTATIONS,
  POOL_SEED,
  type PoolAccount,
  REWARD_VAULT_SEED,
  UPTIME_MESSAGE_LEN,
  UPTIME_MESSAGES_OFFSET,
} from "../generated/rewards.ts";
import { REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID } from "../idl.ts";
import { type Attestation, ed25519Instruction, signAttestation, statusDigest } from "../leases/attestation.ts";
import { rewardsProgram, toBigInt } from "../program.ts";
import { DeviceStatus, minimumStake } from "../staking/index.ts";
import { configPda, coStakePda } from "../staking/pdas.ts";

// Constants (uptime message length, attestations per transaction, the default work factor, ...),
// errors, account and event types: generated from the IDL.
export * from "../generated/rewards.ts";
export * from "./model.ts";
export * from "./schedule.ts";

/**
 * Whether a staking Device may draw block rewards (the rewards program's rule): supplier + co-stake at
 * least its minimum, not paused, and (when `owner`, the reward record's owner, is given) still that
 * supplier's. A deregistered device (no account) is not eligible.
 */
export function deviceEligible(
  device: { owner: PublicKey; stake: BN; coStake: BN; status: number; multiplierBps: number; gpuCount: number } | null | undefined,
  mintDecimals: number,
  owner?: PublicKey,
): boolean {
  if (!device) return false;
  if (owner && !device.owner.equals(owner)) return false;
  const total = toBigInt(device.stake) + toBigInt(device.coStake);
  return device.status !== DeviceStatus.Paused && total >= minimumStake(mintDecimals, device.multiplierBps, device.gpuCount);
}

/** The lease an uptime attestation names (its context), or null for idle uptime. */
export function uptimeContext(a: Attestation): PublicKey | null {
  const context = new PublicKey(a.message.subarray(8, 40));
  return context.equals(PublicKey.default) ? null : context;
}

export function poolPda(programId = REWARDS_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([POOL_SEED], programId);
}

export function rewardVaultPda(programId = REWARDS_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([REWARD_VAULT_SEED], programId);
}

export function deviceRewardPda(device: PublicKey, programId = REWARDS_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([DEVICE_REWARD_SEED, device.toBuffer()], programId);
}

export function coRewardPda(device: PublicKey, staker: PublicKey, programId = REWARDS_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([CO_REWARD_SEED, device.toBuffer(), staker.toBuffer()], programId);
}

/** A device's signed uptime for pool hours [first, first + count); `context` is its lease or zeros. */
export function signUptime(device: Keypair, firstHour: number, hourCount: number, context = PublicKey.default, status = "idle"): Attestation {
  return signAttestation(device, 0, context, firstHour, hourCount, statusDigest(`${status} ${firstHour}+${hourCount}`), REWARDS_PROGRAM_ID);
}

export class RewardsClient {
  constructor(readonly program: Program = rewardsProgram()) {}

  get programId(): PublicKey {
    return this.program.programId;
  }

  /** The pool, its reward mint and vault, and the token program: the accounts initializePool and crank share. */
  private vaultAccounts(rewardMint: PublicKey) {
    return {
      pool: poolPda(this.programId)[0],
      rewardMint,
      rewardVault: rewardVaultPda(this.programId)[0],
      tokenProgram: TOKEN_PROGRAM_ID,
    };
  }

  /** `workFactorBps`: a working hour's weight over an idle one (0 or omitted: 20,000, i.e. 2x). */
  initializePool(p: {
    authority: PublicKey;
    rewardMint: PublicKey;
    hourLengthSeconds: number;
    graceHours: number;
    breakerWindowHours: number;
    breakerCap: bigint | number;
    workFactorBps?: number;
  }): Promise<TransactionInstruction> {
    return this.program.methods
      .initializePool(new BN(p.hourLengthSeconds), p.graceHours, p.breakerWindowHours, new BN(p.breakerCap.toString()), p.workFactorBps ?? 0)
      .accountsStrict({
        authority: p.authority,
        ...this.vaultAccounts(p.rewardMint),
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  crank(p: { caller: PublicKey; rewardMint: PublicKey; maxHours?: number }): Promise<TransactionInstruction> {
    return this.program.methods
      .crank(p.maxHours ?? 96)
      .accountsStrict({
        caller: p.caller,
        ...this.vaultAccounts(p.rewardMint),
      })
      .instruction();
  }

  setPaused(p: { authority: PublicKey; paused: boolean }): Promise<TransactionInstruction> {
    return this.program.methods
      .setPaused(p.paused)
      .accountsStrict({ authority: p.authority, pool: poolPda(this.programId)[0] })
      .instruction();
  }

  registerReward(p: { payer: PublicKey; device: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .registerReward()
      .accountsStrict({
        payer: p.payer,
        pool: poolPda(this.programId)[0],
        device: p.device,
        deviceReward: deviceRewardPda(p.device, this.programId)[0],
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  /**
   * The Ed25519 verification and record_uptime instructions (the first at `ed25519Index`). Each
   * attestation takes its DeviceReward, its staking Device and the Device's current lease: `leases[i]`
   * when given (null: none), else the lease the attestation names as its context, else none (the
   * system program). The program refuses a lease that is not the Device's current one.
   */
  async recordUptime(p: {
    attester: PublicKey;
    attestations: Attestation[];
    leases?: (PublicKey | null)[];
    ed25519Index?: number;
  }): Promise<TransactionInstruction[]> {
    if (p.attestations.length === 0 || p.attestations.length > MAX_UPTIME_ATTESTATIONS)
      throw new Error(`record_uptime takes 1 to ${MAX_UPTIME_ATTESTATIONS} attestations`);
    const ix = await this.program.methods
      .recordUptime(Buffer.concat(p.attestations.map((a) => Buffer.from(a.message))))
      .accountsStrict({
        attester: p.attester,
        stakingConfig: configPda(STAKING_PROGRAM_ID)[0],
        pool: poolPda(this.programId)[0],
        instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
      })
      .remainingAccounts(
        p.attestations.flatMap((a, i) => {
          const lease = p.leases && i < p.leases.length ? p.leases[i] : uptimeContext(a);
          return [
            { pubkey: deviceRewardPda(a.deviceKey, this.programId)[0], isSigner: false, isWritable: true },
            { pubkey: a.deviceKey, isSigner: false, isWritable: false },
            { pubkey: lease ?? SystemProgram.programId, isSigner: false, isWritable: false },
          ];
        }),
      )
      .instruction();
    const index = p.ed25519Index ?? 0;
    return [ed25519Instruction(p.attestations, index, { first: UPTIME_MESSAGES_OFFSET, stride: UPTIME_MESSAGE_LEN }), ix];
  }

  /** Removes a nominated device that fell behind or is no longer eligible (anyone may send it). */
  denominate(p: { caller: PublicKey; device: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .denominate()
      .accountsStrict({
        caller: p.caller,
        pool: poolPda(this.programId)[0],
        deviceReward: deviceRewardPda(p.device, this.programId)[0],
        stakingConfig: configPda(STAKING_PROGRAM_ID)[0],
        device: p.device,
      })
      .instruction();
  }

  claim(p: { owner: PublicKey; device: PublicKey; destination: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .claim()
      .accountsStrict({
        owner: p.owner,
        pool: poolPda(this.programId)[0],
        deviceReward: deviceRewardPda(p.device, this.programId)[0],
        device: p.device,
        rewardVault: rewardVaultPda(this.programId)[0],
        destination: p.destination,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  /** Records a co-staker's current co-stake; `staker` is whose CoStake it is. */
  syncCoStake(p: { payer: PublicKey; device: PublicKey; staker: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .syncCoStake()
      .accountsStrict({
        payer: p.payer,
        pool: poolPda(this.programId)[0],
        device: p.device,
        coStake: coStakePda(p.device, p.staker, STAKING_PROGRAM_ID)[0],
        deviceReward: deviceRewardPda(p.device, this.programId)[0],
        coReward: coRewardPda(p.device, p.staker, this.programId)[0],
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  claimCoStake(p: { staker: PublicKey; device: PublicKey; destination: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods
      .claimCoStake()
      .accountsStrict({
        staker: p.staker,
        pool: poolPda(this.programId)[0],
        deviceReward: deviceRewardPda(p.device, this.programId)[0],
        device: p.device,
        coStake: coStakePda(p.device, p.staker, STAKING_PROGRAM_ID)[0],
        coReward: coRewardPda(p.device, p.staker, this.programId)[0],
        rewardVault: rewardVaultPda(this.programId)[0],
        destination: p.destination,
        tokenProgram: TOKEN_PROGRAM_ID,
      })
      .instruction();
  }

  decodePool(data: Buffer | Uint8Array): PoolAccount {
    return this.program.coder.accounts.decode("pool", Buffer.from(data));
  }

  decodeDeviceReward(data: Buffer | Uint8Array): DeviceRewardAccount {
    return this.program.coder.accounts.decode("deviceReward", Buffer.from(data));
  }

  decodeCoStakeReward(data: Buffer | Uint8Array): CoStakeRewardAccount {
    return this.program.coder.accounts.decode("coStakeReward", Buffer.from(data));
  }
}
