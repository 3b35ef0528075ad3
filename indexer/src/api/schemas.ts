// Request and response schemas of the API (zod, with OpenAPI metadata). Query objects are strict: an
// unknown query parameter is a 400, not silently ignored.
import { z } from "@hono/zod-openapi";
import { VERIFIED_DESCRIPTION } from "../queries/verified.ts";

/** One line naming every problem with a request's parameters (the API's 400s and the pages' share it). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      if (i.code === "unrecognized_keys") return `unknown query parameter${i.keys.length > 1 ? "s" : ""}: ${i.keys.join(", ")}`;
      return `${i.path.length ? i.path.join(".") : "request"}: ${i.message}`;
    })
    .join("; ");
}

export const Address = z
  .string()
  .regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, "must be a base58 address")
  .openapi({ example: "CgKpkj78FZGhzJkJJTY5RWvYhhbybaTA1b573dRRXoVZ" });
export const Amount = z
  .string()
  .regex(/^-?\d+$/)
  .openapi({ description: "token amount in base units (decimal string: u64 does not fit a JSON number)", example: "1000000" });
const Limit = z.coerce.number().int().min(1).max(1000).default(50).openapi({ description: "page size (1-1000)" });
const Cursor = z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" });
const Int = (max: number) => z.coerce.number().int().min(0).max(max);
const Format = z.enum(["json", "csv"]).default("json");

export const AddressParam = z.object({ address: Address.openapi({ param: { name: "address", in: "path" } }) });
export const PageQuery = z.object({ limit: Limit, cursor: Cursor }).strict();
export const NoQuery = z.object({}).strict();
export const DeviceQuery = z
  .object({
    limit: Limit,
    cursor: Cursor,
    model: Int(65_535).optional(),
    region: Int(65_535).optional(),
    owner: Address.optional(),
    status: z.enum(["active", "paused", "leased"]).optional(),
  })
  .strict();
export const LeaseQuery = z
  .object({
    limit: Limit,
    cursor: Cursor,
    renter: Address.optional(),
    model: Int(65_535).optional(),
    status: z.enum(["open", "paused", "terminated", "settled", "closed"]).optional(),
  })
  .strict();
export const CsvPageQuery = z.object({ limit: Limit, cursor: Cursor, format: Format }).strict();
export const ActivityQuery = z
  .object({ limit: Limit, cursor: Cursor, format: Format, kind: z.enum(["reward", "payout", "stake", "withdraw", "slash", "lease", "refund"]).optional() })
  .strict();

export const ErrorBody = z.object({ error: z.string() }).openapi("Error");
const Page = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Device = z
  .object({
    address: Address,
    owner: Address,
    deviceKey: Address,
    gpuModel: z.number().int(),
    gpuModelName: z.string(),
    gpuCount: z.number().int(),
    vramGb: z.number().int(),
    region: z.number().int(),
    bandwidthTier: z.number().int(),
    multiplierBps: z.number().int(),
    minimumStake: Amount,
    stake: Amount.openapi({ description: "the supplier's own active stake (after slashes)" }),
    coStake: Amount.openapi({ description: "co-stakers' active stake on the device (slashes take from it pro rata)" }),
    unbonding: Amount.openapi({ description: "the supplier's stake waiting out the unbonding period (still slashable)" }),
    coUnbonding: Amount.openapi({ description: "co-stakers' stake waiting out the unbonding period (still slashable)" }),
    status: z.string(),
    lease: Address.nullable(),
    provenHours: z.number().int(),
    faults: z.number().int(),
    slashed: Amount.openapi({ description: "everything slashed from the device, supplier's and co-stakers' stake together" }),
    earned: Amount,
    rewards: Amount,
    nominated: z.boolean(),
    deregistered: z.boolean(),
    registeredAt: z.number().int().nullable(),
  })
  .openapi("Device");
export const DevicePage = Page(Device);
export const SlashProposal = z
  .object({
    proposal: Address.openapi({
      description: "the proposal account (one per device at a time; closed by execute_slash or cancel_slash, so an address can recur)",
    }),
    authority: Address,
    status: z.enum(["pending", "cancelled", "executed"]),
    bps: z.number().int().openapi({ description: "share of the device's stake to slash, in basis points" }),
    reason: z.number().int().openapi({ description: "reason code: 1 missed heartbeats, 2 failed job, 3 admin" }),
    reasonName: z.string(),
    proposedAt: z.number().int().nullable().openapi({ description: "block time of propose_slash (unix seconds)" }),
    executableAt: z.number().int().openapi({ description: "earliest time execute_slash may take it (unix seconds)" }),
    executable: z.boolean().openapi({ description: "pending and executableAt reached by chain time" }),
    resolvedAt: z.number().int().nullable().openapi({ description: "block time of its cancellation or execution" }),
    amount: Amount.nullable().openapi({ description: "tokens the execution took (null unless executed)" }),
    signature: z.string().openapi({ description: "transaction that proposed it" }),
  })
  .openapi("SlashProposal");
export const DeviceDetail = z.object({
  device: Device,
  asOf: z.number().int().nullable().openapi({ description: "chain time of the answer (block time of the newest indexed event)" }),
  slashProposals: z.array(SlashProposal).openapi({ description: "the device's discretionary slash proposals, newest first (up to 50)" }),
  uptime: z.object({ from: z.number().int(), hourSeconds: z.number().int(), hours: z.array(z.number().int()), upHours: z.number().int() }),
  leases: z.array(
    z.object({
      lease: Address,
      slot: z.number().int(),
      gpus: z.number().int(),
      firstHour: z.number().int(),
      provenHours: z.number().int(),
      earned: Amount,
      faults: z.number().int(),
      released: z.number().int(),
    }),
  ),
});
export const Supplier = z
  .object({
    address: Address,
    devices: z.number().int(),
    gpus: z.number().int(),
    stake: Amount,
    provenHours: z.number().int().openapi({ description: "lease hours proven over every device's life" }),
    earned: Amount,
    rewards: Amount,
    active: z.boolean(),
    recentHours: z.number().int().openapi({ description: "hours the supplier's devices were up in the last 30 days of chain time (summed over devices)" }),
    recentFault: z.boolean().openapi({ description: "whether any of its devices faulted in the last 30 days of chain time" }),
    verified: z.boolean().openapi({ description: `verified supplier: ${VERIFIED_DESCRIPTION}` }),
  })
  .openapi("Supplier");
export const SupplierPage = Page(Supplier);
export const Lease = z
  .object({
    address: Address,
    renter: Address,
    paymentMint: Address,
    gpuModel: z.number().int(),
    gpuModelName: z.string(),
    gpuCount: z.number().int(),
    hours: z.number().int(),
    hoursBooked: z.number().int(),
    pricePerGpuHour: Amount,
    deposited: Amount,
    fees: Amount,
    origin: z.number().int(),
    status: z.string(),
    devices: z.number().int(),
    provenHours: z.number().int(),
    earned: Amount,
    refunded: Amount,
    createdAt: z.number().int().nullable(),
    createdSlot: z.number().int(),
  })
  .openapi("Lease");
export const LeasePage = Page(Lease);
export const LeaseDetail = z.object({
  lease: Lease,
  cluster: z.array(
    z.object({
      slot: z.number().int(),
      device: Address,
      gpus: z.number().int(),
      firstHour: z.number().int(),
      provenHours: z.number().int(),
      earned: Amount,
      faults: z.number().int(),
      released: z.boolean(),
    }),
  ),
});
export const RewardHour = z
  .object({
    hour: z.number().int(),
    hourStart: z.number().int().nullable(),
    amount: Amount,
    totalWeight: Amount,
    nominated: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
  })
  .openapi("RewardHour");
export const RewardHourPage = Page(RewardHour);
export const Network = z.object({
  asOf: z.number().int().nullable(),
  gpusByModel: z.array(
    z.object({ model: z.number().int(), name: z.string(), devices: z.number().int(), gpus: z.number().int(), leasedGpus: z.number().int() }),
  ),
  suppliers: z.object({
    total: z.number().int(),
    active: z.number().int(),
    verified: z
      .number()
      .int()
      .openapi({ description: `suppliers that are verified: ${VERIFIED_DESCRIPTION}` }),
  }),
  supply: z.object({
    staked: Amount.openapi({ description: "suppliers' active stake" }),
    coStaked: Amount.openapi({ description: "co-stakers' active stake" }),
    unbonding: Amount.openapi({ description: "stake waiting out the unbonding period, suppliers' and co-stakers'" }),
    emitted: Amount.openapi({ description: "block rewards emitted, cumulative" }),
    burned: Amount.openapi({ description: "network-token fees burned by the lease market, cumulative (burn_fees)" }),
    rewardsClaimed: Amount,
    escrow: Amount,
  }),
  burns: z.object({ count: z.number().int(), lastAt: z.number().int().nullable().openapi({ description: "block time of the latest burn" }) }),
  leases: z.object({ total: z.number().int(), active: z.number().int() }),
  marketPrices: z.array(z.object({ model: z.number().int(), name: z.string(), leases: z.number().int(), medianPerGpuHour: Amount })),
});
export const Wallet = z.object({
  address: Address,
  totals: z.record(z.string(), Amount),
  devices: z.number().int(),
  gpus: z.number().int(),
  leases: z.number().int(),
});
export const Activity = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    amount: Amount,
    device: Address.nullable(),
    lease: Address.nullable(),
    signature: z.string(),
    slot: z.number().int(),
    blockTime: z.number().int().nullable(),
  })
  .openapi("Activity");
export const ActivityPage = Page(Activity);
export const Event = z
  .object({
    id: z.number().int(),
    signature: z.string(),
    instruction: z.number().int(),
    ordinal: z.number().int(),
    slot: z.number().int(),
    blockTime: z.number().int().nullable(),
    program: Address,
    name: z.string(),
    commitment: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("Event");
export const EventPage = Page(Event);
export const WebhookResult = z.object({ transactions: z.number().int(), events: z.number().int() });
