// The rows the queries read, typed from the drizzle schema. The queries' SQL is plain better-sqlite3
// (prepared once, see statements.ts), not drizzle's query builder, so a row holds what SQLite returns:
// the named columns under their schema names, 64-bit amounts CAST AS TEXT (decimal strings: u64 does not
// fit a JSON number) and boolean columns as 0 or 1.
import type { devices, events, leaseDevices, leases, rewardHours, slashProposals, walletActivity } from "../db/schema.ts";

/** `Row`'s columns `Keys` as the SQL reads them, with the columns `Amounts` as decimal strings. */
export type SqlRow<Row, Keys extends keyof Row, Amounts extends Keys = never> = {
  [K in Keys]: K extends Amounts ? (null extends Row[K] ? string | null : string) : Row[K] extends boolean ? number : Row[K];
};

type Device = typeof devices.$inferSelect;
type Lease = typeof leases.$inferSelect;
type LeaseDevice = typeof leaseDevices.$inferSelect;

export type DeviceRow = SqlRow<
  Device,
  Exclude<keyof Device, "lastFaultAt" | "rewardWeight" | "registeredSlot">,
  "minimumStake" | "stake" | "coStake" | "unbonding" | "coUnbonding" | "slashed" | "earned" | "rewards"
>;
export type LeaseRow = SqlRow<Lease, keyof Lease, "pricePerGpuHour" | "deposited" | "fees" | "earned" | "refunded">;
/** A device's slot in a lease's cluster, read from the lease (its device) or from the device (its lease). */
export type ClusterRow<K extends "lease" | "device"> = SqlRow<
  LeaseDevice,
  K | "slot" | "gpus" | "firstHour" | "provenHours" | "earned" | "faults" | "released",
  "earned"
>;
export type ProposalRow = SqlRow<
  typeof slashProposals.$inferSelect,
  Exclude<keyof typeof slashProposals.$inferSelect, "id" | "device" | "proposedSlot">,
  "amount"
>;
export type RewardHourRow = SqlRow<
  typeof rewardHours.$inferSelect,
  "hour" | "hourStart" | "amount" | "totalWeight" | "nominated" | "succeeded",
  "amount" | "totalWeight"
>;
export type ActivityRow = SqlRow<typeof walletActivity.$inferSelect, Exclude<keyof typeof walletActivity.$inferSelect, "wallet">, "amount">;
export type EventFeedRow = SqlRow<typeof events.$inferSelect, Exclude<keyof typeof events.$inferSelect, "blockIndex" | "source">>;
