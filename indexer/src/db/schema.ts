// The indexer's SQLite schema (drizzle). `events` is the log every view is folded from; the other
// tables are the explorer views, kept current as events arrive and rebuilt from `events` when history
// changes underneath them (a late event, a rolled-back slot). Token amounts are base units in SQLite
// INTEGER (i64): every Hourglass mint's supply fits, and the API returns them as decimal strings.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Every decoded program event, keyed by (signature, instruction index, ordinal within the instruction). */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey(),
    signature: text("signature").notNull(),
    instruction: integer("instruction").notNull(),
    ordinal: integer("ordinal").notNull(),
    slot: integer("slot").notNull(),
    /** Position of the transaction within its slot. */
    blockIndex: integer("block_index").notNull(),
    blockTime: integer("block_time"),
    program: text("program").notNull(),
    name: text("name").notNull(),
    /** The event's fields as JSON: keys base58, u64/i64 as decimal strings. */
    data: text("data").notNull(),
    /** processed | confirmed | finalized; only ever promoted. */
    commitment: text("commitment").notNull(),
    source: text("source").notNull(),
  },
  (t) => [uniqueIndex("events_key").on(t.signature, t.instruction, t.ordinal), index("events_order").on(t.slot, t.blockIndex, t.instruction, t.ordinal)],
);

/** Where each source has read up to (a signature, a slot or a pagination token, per source). */
export const checkpoints = sqliteTable("checkpoints", {
  source: text("source").primaryKey(),
  cursor: text("cursor").notNull(),
  slot: integer("slot").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Singleton facts: the views' high-water mark, market and pool parameters. */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const devices = sqliteTable(
  "devices",
  {
    address: text("address").primaryKey(),
    owner: text("owner").notNull(),
    deviceKey: text("device_key").notNull(),
    gpuModel: integer("gpu_model").notNull(),
    gpuCount: integer("gpu_count").notNull(),
    vramGb: integer("vram_gb").notNull(),
    region: integer("region").notNull(),
    bandwidthTier: integer("bandwidth_tier").notNull(),
    multiplierBps: integer("multiplier_bps").notNull(),
    minimumStake: integer("minimum_stake").notNull(),
    /** The supplier's own active stake. */
    stake: integer("stake").notNull().default(0),
    /** Co-stakers' active stake on the device (after pro-rata slashes). */
    coStake: integer("co_stake").notNull().default(0),
    /** The supplier's stake waiting out the unbonding period (still slashable). */
    unbonding: integer("unbonding").notNull().default(0),
    /** Co-stakers' stake waiting out the unbonding period (still slashable). */
    coUnbonding: integer("co_unbonding").notNull().default(0),
    /** The staking Device status: 0 active, 1 paused, 2 leased (the staking interface's `device_status`). */
    status: integer("status").notNull().default(0),
    lease: text("lease"),
    provenHours: integer("proven_hours").notNull().default(0),
    faults: integer("faults").notNull().default(0),
    /** Start of the hour the device's latest fault (DeviceFaulted) concerns: its lease's missed hour. */
    lastFaultAt: integer("last_fault_at"),
    slashed: integer("slashed").notNull().default(0),
    earned: integer("earned").notNull().default(0),
    rewards: integer("rewards").notNull().default(0),
    rewardWeight: integer("reward_weight").notNull().default(0),
    nominated: integer("nominated", { mode: "boolean" }).notNull().default(false),
    deregistered: integer("deregistered", { mode: "boolean" }).notNull().default(false),
    registeredAt: integer("registered_at"),
    registeredSlot: integer("registered_slot").notNull(),
  },
  (t) => [index("devices_owner").on(t.owner), index("devices_model").on(t.gpuModel, t.address), index("devices_region").on(t.region, t.address)],
);

/** Hours a device was up (uptime recorded for rewards or time proven on a lease), by the hour's start. */
export const uptime = sqliteTable(
  "uptime",
  {
    device: text("device").notNull(),
    hourStart: integer("hour_start").notNull(),
  },
  (t) => [primaryKey({ columns: [t.device, t.hourStart] })],
);

export const leases = sqliteTable(
  "leases",
  {
    address: text("address").primaryKey(),
    renter: text("renter").notNull(),
    paymentMint: text("payment_mint").notNull(),
    gpuModel: integer("gpu_model").notNull(),
    gpuCount: integer("gpu_count").notNull(),
    hours: integer("hours").notNull(),
    hoursBooked: integer("hours_booked").notNull(),
    pricePerGpuHour: integer("price_per_gpu_hour").notNull(),
    deposited: integer("deposited").notNull(),
    fees: integer("fees").notNull(),
    origin: integer("origin").notNull(),
    /** open | paused | terminated | settled | closed */
    status: text("status").notNull(),
    devices: integer("devices").notNull().default(0),
    provenHours: integer("proven_hours").notNull().default(0),
    earned: integer("earned").notNull().default(0),
    refunded: integer("refunded").notNull().default(0),
    createdAt: integer("created_at"),
    createdSlot: integer("created_slot").notNull(),
  },
  (t) => [
    index("leases_created").on(t.createdSlot, t.address),
    index("leases_renter").on(t.renter, t.createdSlot),
    index("leases_model_time").on(t.gpuModel, t.createdAt),
  ],
);

/** A lease's cluster: one row per device slot. */
export const leaseDevices = sqliteTable(
  "lease_devices",
  {
    lease: text("lease").notNull(),
    slot: integer("slot").notNull(),
    device: text("device").notNull(),
    gpus: integer("gpus").notNull(),
    firstHour: integer("first_hour").notNull(),
    provenHours: integer("proven_hours").notNull().default(0),
    earned: integer("earned").notNull().default(0),
    faults: integer("faults").notNull().default(0),
    released: integer("released", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.lease, t.slot] }), index("lease_devices_device").on(t.device)],
);

/** Hourly block rewards: emitted amount and how the nominated devices fared. */
export const rewardHours = sqliteTable("reward_hours", {
  hour: integer("hour").primaryKey(),
  hourStart: integer("hour_start"),
  amount: integer("amount").notNull().default(0),
  totalWeight: integer("total_weight").notNull().default(0),
  nominated: integer("nominated").notNull().default(0),
  succeeded: integer("succeeded").notNull().default(0),
  emitted: integer("emitted", { mode: "boolean" }).notNull().default(false),
});

/** Discretionary slash proposals (propose_slash), one row per proposal and its outcome. The proposal
 *  account is a PDA per device that is closed by execute_slash or cancel_slash, so the same address may
 *  come back: rows are keyed by fold order, and an outcome closes the device's latest pending row. */
export const slashProposals = sqliteTable(
  "slash_proposals",
  {
    id: integer("id").primaryKey(),
    device: text("device").notNull(),
    proposal: text("proposal").notNull(),
    authority: text("authority").notNull(),
    bps: integer("bps").notNull(),
    /** 1 missed heartbeats, 2 failed job, 3 admin. */
    reason: integer("reason").notNull(),
    status: text("status", { enum: ["pending", "cancelled", "executed"] }).notNull(),
    proposedAt: integer("proposed_at"),
    proposedSlot: integer("proposed_slot").notNull(),
    executableAt: integer("executable_at").notNull(),
    /** Block time of the cancellation or execution. */
    resolvedAt: integer("resolved_at"),
    /** Tokens execute_slash took (supplier and co-stakers together). */
    amount: integer("amount"),
    signature: text("signature").notNull(),
  },
  (t) => [index("slash_proposals_device").on(t.device, t.id)],
);

/** Network-token fees burned by the lease market (burn_fees), one row per burn. */
export const feeBurns = sqliteTable("fee_burns", {
  id: integer("id").primaryKey(),
  mint: text("mint").notNull(),
  amount: integer("amount").notNull(),
  /** The market's running total after this burn, as the event reports it. */
  totalBurned: integer("total_burned").notNull(),
  signature: text("signature").notNull(),
  slot: integer("slot").notNull(),
  blockTime: integer("block_time"),
});

/** Per-wallet money movements: rewards, lease payouts, stakes, withdrawals, rent and refunds. */
export const walletActivity = sqliteTable(
  "wallet_activity",
  {
    id: integer("id").primaryKey(),
    wallet: text("wallet").notNull(),
    /** reward | payout | stake | withdraw | slash | lease | refund */
    kind: text("kind").notNull(),
    amount: integer("amount").notNull(),
    device: text("device"),
    lease: text("lease"),
    signature: text("signature").notNull(),
    slot: integer("slot").notNull(),
    blockTime: integer("block_time"),
  },
  (t) => [index("wallet_activity_wallet").on(t.wallet, t.id)],
);

export type EventRow = typeof events.$inferSelect;
