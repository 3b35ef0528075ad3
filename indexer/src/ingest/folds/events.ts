// The events the views fold: the client's generated event unions (client/src/generated, one per
// program, together HourglassEvent) in the form the pipeline stores them (PlainValues: keys base58,
// 64-bit integers as decimal strings), with their place in the chain (ChainEvent). A program's folds
// are keyed by event name, and each fold gets its event narrowed by that name.
import type { LeasesEvent as Leases, PlainValues, RewardsEvent as Rewards, StakingEvent as Staking } from "@hourglass/client";
import type { ChainEvent } from "../chain-tx.ts";

/** Where a stored event sat (the unions carry its program, name, data, instruction and ordinal). */
type Place = Omit<ChainEvent, "program" | "name" | "data">;

export type StakingEvent = Staking<PlainValues> & Place;
export type LeasesEvent = Leases<PlainValues> & Place;
export type RewardsEvent = Rewards<PlainValues> & Place;

/** A program's folds, keyed by event name: each gets its event with the data typed (events without a
 *  fold live in the event log only). */
export type Folds<E extends { name: string }> = { readonly [N in E["name"]]?: (e: Extract<E, { name: N }>) => void };
