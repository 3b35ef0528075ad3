// The events the views fold, typed as the pipeline stores them (ChainEvent): keys base58 and 64-bit
// integers as decimal strings, smaller integers as numbers, bool as boolean. The field lists are the
// IDLs' for the events a fold reads (client/idl); the folds take `StakingEvent`, `LeasesEvent` and
// `RewardsEvent`, so typing them from the client's generated event union instead changes only those
// three lines.
import type { ChainEvent } from "../chain-tx.ts";

/** What the decoder stores an IDL field type as (event-decoder.ts). */
type Stored<T> = T extends "pubkey" | "u64" | "i64" ? string : T extends "bool" ? boolean : number;
type Typed<N extends string, F> = Omit<ChainEvent, "name" | "data"> & { name: N; data: { readonly [K in keyof F]: Stored<F[K]> } };
/** The union of a program's events, each with its name and typed data. */
type EventsOf<M> = { [N in keyof M & string]: Typed<N, M[N]> }[keyof M & string];

export interface StakingFields {
  DeviceRegistered: {
    device: "pubkey";
    owner: "pubkey";
    device_key: "pubkey";
    gpu_model: "u16";
    gpu_count: "u16";
    vram_gb: "u16";
    region: "u16";
    bandwidth_tier: "u8";
    multiplier_bps: "u32";
    minimum_stake: "u64";
  };
  DeviceStatusChanged: { device: "pubkey"; status: "u8"; lease: "pubkey" };
  Staked: { device: "pubkey"; staker: "pubkey"; amount: "u64"; total_stake: "u64" };
  UnstakeRequested: { device: "pubkey"; amount: "u64"; remaining_stake: "u64"; unbonding_amount: "u64"; unlock_at: "i64" };
  Withdrawn: { device: "pubkey"; destination: "pubkey"; amount: "u64" };
  CoStaked: { device: "pubkey"; staker: "pubkey"; amount: "u64"; staker_amount: "u64"; device_co_stake: "u64" };
  CoUnstakeRequested: { device: "pubkey"; staker: "pubkey"; amount: "u64"; unbonding_amount: "u64"; unlock_at: "i64" };
  CoWithdrawn: { device: "pubkey"; staker: "pubkey"; destination: "pubkey"; amount: "u64" };
  DeviceSlashed: {
    device: "pubkey";
    authority: "pubkey";
    amount: "u64";
    bps: "u16";
    reason: "u8";
    remaining_stake: "u64";
    co_stake_amount: "u64";
    remaining_co_stake: "u64";
    remaining_unbonding: "u64";
  };
  DeviceDeregistered: { device: "pubkey"; owner: "pubkey" };
  SlashProposed: { device: "pubkey"; proposal: "pubkey"; authority: "pubkey"; bps: "u16"; reason: "u8"; executable_at: "i64" };
  SlashCancelled: { device: "pubkey"; proposal: "pubkey"; bps: "u16"; reason: "u8" };
  SlashExecuted: { device: "pubkey"; proposal: "pubkey"; bps: "u16"; reason: "u8"; amount: "u64" };
}
export interface LeasesFields {
  MarketInitialized: { authority: "pubkey"; network_mint: "pubkey"; stable_mint: "pubkey"; hour_length: "i64"; grace_period: "i64" };
  LeaseCreated: {
    lease: "pubkey";
    renter: "pubkey";
    payment_mint: "pubkey";
    gpu_model: "u16";
    gpu_count: "u32";
    hours: "u32";
    price_per_gpu_hour: "u64";
    principal: "u64";
    renter_fee: "u64";
    origin: "i64";
  };
  DeviceAssigned: { lease: "pubkey"; device: "pubkey"; slot: "u16"; gpus: "u16"; first_hour: "u32" };
  TimeProven: { lease: "pubkey"; device: "pubkey"; attester: "pubkey"; first_hour: "u32"; hour_count: "u16"; amount: "u64" };
  LeaseExtended: { lease: "pubkey"; hours: "u32"; hours_booked: "u32"; deposit: "u64"; renter_fee: "u64"; resumed: "u8" };
  LeasePaused: { lease: "pubkey"; paused_at: "i64" };
  LeaseTerminated: { lease: "pubkey"; hours_booked: "u32"; refund: "u64" };
  LeaseSettled: { lease: "pubkey"; earned_total: "u64"; refund: "u64"; refunded_total: "u64" };
  DeviceFaulted: { lease: "pubkey"; device: "pubkey"; missed_hour: "u32"; slash_bps: "u16" };
  PayoutClaimed: { lease: "pubkey"; device: "pubkey"; supplier: "pubkey"; hours: "u32"; gross: "u64"; fee: "u64" };
  DeviceReleased: { lease: "pubkey"; device: "pubkey" };
  LeaseClosed: { lease: "pubkey"; renter: "pubkey" };
  FeesBurned: { mint: "pubkey"; amount: "u64"; total_burned: "u64" };
}
export interface RewardsFields {
  PoolInitialized: { pool: "pubkey"; reward_mint: "pubkey"; start_time: "i64"; hour_length: "i64"; cap: "u64" };
  HourEmitted: { hour: "u32"; amount: "u64"; total_weight: "u64"; nominated_devices: "u32" };
  RewardRegistered: { device: "pubkey"; owner: "pubkey"; nominal_weight: "u64" };
  UptimeRecorded: { device: "pubkey"; first_hour: "u32"; hour_count: "u32"; streak: "u32" };
  DeviceNominated: { device: "pubkey"; weight: "u64"; from_hour: "u32"; total_weight: "u64" };
  DeviceDenominated: { device: "pubkey"; weight: "u64"; from_hour: "u32"; total_weight: "u64" };
  RewardsClaimed: { device: "pubkey"; owner: "pubkey"; amount: "u64" };
}

export type StakingEvent = EventsOf<StakingFields>;
export type LeasesEvent = EventsOf<LeasesFields>;
export type RewardsEvent = EventsOf<RewardsFields>;

/** A program's folds, keyed by event name: each gets its event with the data typed (events without a
 *  fold live in the event log only). */
export type Folds<E extends { name: string }> = { readonly [N in E["name"]]?: (e: Extract<E, { name: N }>) => void };
