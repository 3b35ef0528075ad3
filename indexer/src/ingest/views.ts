// Folds events into the explorer views. `apply` is called once per new event in chain order; `reset`
// empties the views so the pipeline can replay the event log after history changed underneath them.
// Statements are prepared once; every amount is bound as a BigInt (SQLite INTEGER is 64-bit).
import { DeviceStatus } from "@hourglass/client";
import type Database from "better-sqlite3";
import type { ChainEvent, EventData } from "./chain-tx.ts";

const NO_LEASE = "11111111111111111111111111111111";
const LEASED = DeviceStatus.Leased;
/** Bumped whenever the fold changes what a view holds: a database folded by an older version is
 *  replayed from its event log when the pipeline opens it. */
export const VIEWS_VERSION = "2";
const VIEW_TABLES = ["devices", "uptime", "leases", "lease_devices", "reward_hours", "wallet_activity", "slash_proposals", "fee_burns"];

export class ViewWriter {
  private readonly s;
  /** Market and pool parameters, cached from `meta` (needed to place hours on the clock). */
  private marketHourLength: number | null = null;
  private poolStart: number | null = null;
  private poolHourLength: number | null = null;

  constructor(private readonly sqlite: Database.Database) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      setMeta: p("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      getMeta: p("SELECT value FROM meta WHERE key = ?").pluck(),
      register: p(`INSERT INTO devices (address, owner, device_key, gpu_model, gpu_count, vram_gb, region, bandwidth_tier, multiplier_bps,
          minimum_stake, registered_at, registered_slot) VALUES (@device, @owner, @device_key, @gpu_model, @gpu_count, @vram_gb, @region,
          @bandwidth_tier, @multiplier_bps, @minimum_stake, @time, @slot)
        ON CONFLICT (address) DO UPDATE SET owner = excluded.owner, device_key = excluded.device_key, gpu_model = excluded.gpu_model,
          gpu_count = excluded.gpu_count, vram_gb = excluded.vram_gb, region = excluded.region, bandwidth_tier = excluded.bandwidth_tier,
          multiplier_bps = excluded.multiplier_bps, minimum_stake = excluded.minimum_stake, deregistered = 0`),
      deviceStatus: p("UPDATE devices SET status = ?, lease = ? WHERE address = ?"),
      deviceStake: p("UPDATE devices SET stake = ? WHERE address = ?"),
      deviceUnstake: p("UPDATE devices SET stake = ?, unbonding = ? WHERE address = ?"),
      deviceWithdrawn: p("UPDATE devices SET unbonding = max(unbonding - ?, 0) WHERE address = ?"),
      deviceCoStake: p("UPDATE devices SET co_stake = ? WHERE address = ?"),
      deviceCoUnstake: p("UPDATE devices SET co_stake = max(co_stake - @amount, 0), co_unbonding = co_unbonding + @amount WHERE address = @device"),
      deviceCoWithdrawn: p("UPDATE devices SET co_unbonding = max(co_unbonding - ?, 0) WHERE address = ?"),
      // A slash reports what is left of the supplier's active and unbonding stake and of the co-stakers'
      // active stake; what it took from co-stakers beyond their active stake came out of their unbonding.
      // (SET expressions read the row as it was before the update.)
      deviceSlash: p(`UPDATE devices SET co_unbonding = max(co_unbonding - max(@co_stake_amount - max(co_stake - @remaining_co_stake, 0), 0), 0),
          stake = @remaining_stake, co_stake = @remaining_co_stake, unbonding = @remaining_unbonding, slashed = slashed + @amount
        WHERE address = @device RETURNING owner`),
      deviceDeregister: p("UPDATE devices SET deregistered = 1 WHERE address = ?"),
      deviceProven: p("UPDATE devices SET proven_hours = proven_hours + ? WHERE address = ?"),
      // The fault is placed on the hour it concerns (the lease's missed hour), like proven hours; without
      // the lease or the market's hour length, at the report's block time.
      deviceFault: p(`UPDATE devices SET faults = faults + 1, last_fault_at = max(coalesce(last_fault_at, 0),
          coalesce((SELECT origin FROM leases WHERE address = @lease) + @missed_hour * @hour_length, @time, 0)) WHERE address = @device`),
      deviceEarned: p("UPDATE devices SET earned = earned + ? WHERE address = ? RETURNING owner"),
      deviceRewards: p("UPDATE devices SET rewards = rewards + ? WHERE address = ?"),
      deviceWeight: p("UPDATE devices SET reward_weight = ? WHERE address = ?"),
      deviceNominated: p("UPDATE devices SET nominated = ? WHERE address = ?"),
      deviceIsNominated: p("SELECT nominated FROM devices WHERE address = ?").pluck(),
      uptime: p("INSERT OR IGNORE INTO uptime (device, hour_start) VALUES (?, ?)"),
      leaseCreate: p(`INSERT OR REPLACE INTO leases (address, renter, payment_mint, gpu_model, gpu_count, hours, hours_booked, price_per_gpu_hour,
          deposited, fees, origin, status, created_at, created_slot) VALUES (@lease, @renter, @payment_mint, @gpu_model, @gpu_count, @hours,
          @hours, @price_per_gpu_hour, @principal, @renter_fee, @origin, 'open', @time, @slot)`),
      leaseAssign: p("INSERT OR REPLACE INTO lease_devices (lease, slot, device, gpus, first_hour) VALUES (?, ?, ?, ?, ?)"),
      leaseDevices: p("UPDATE leases SET devices = devices + 1 WHERE address = ?"),
      leaseProven: p("UPDATE leases SET proven_hours = proven_hours + ?, earned = earned + ? WHERE address = ? RETURNING origin"),
      slotProven: p("UPDATE lease_devices SET proven_hours = proven_hours + ?, earned = earned + ? WHERE lease = ? AND device = ? AND released = 0"),
      slotFault: p("UPDATE lease_devices SET faults = faults + 1 WHERE lease = ? AND device = ? AND released = 0"),
      slotRelease: p("UPDATE lease_devices SET released = 1 WHERE lease = ? AND device = ? AND released = 0"),
      leaseExtend: p(
        "UPDATE leases SET hours_booked = ?, deposited = deposited + ?, fees = fees + ?, status = CASE WHEN ? = 1 OR status = 'open' THEN 'open' ELSE status END WHERE address = ?",
      ),
      leaseStatus: p("UPDATE leases SET status = ? WHERE address = ?"),
      leaseRenter: p("SELECT renter FROM leases WHERE address = ?").pluck(),
      leaseTerminate: p("UPDATE leases SET status = 'terminated', hours_booked = ?, refunded = refunded + ? WHERE address = ? RETURNING renter"),
      leaseSettle: p("UPDATE leases SET status = 'settled', earned = ?, refunded = ? WHERE address = ? RETURNING renter"),
      hourEmitted: p(`INSERT INTO reward_hours (hour, hour_start, amount, total_weight, nominated, emitted) VALUES (?, ?, ?, ?, ?, 1)
        ON CONFLICT (hour) DO UPDATE SET hour_start = excluded.hour_start, amount = excluded.amount, total_weight = excluded.total_weight,
          nominated = excluded.nominated, emitted = 1`),
      hourSucceeded: p(`INSERT INTO reward_hours (hour, hour_start, succeeded) VALUES (?, ?, 1)
        ON CONFLICT (hour) DO UPDATE SET succeeded = succeeded + 1`),
      slashProposed: p(`INSERT INTO slash_proposals (device, proposal, authority, bps, reason, status, proposed_at, proposed_slot, executable_at, signature)
        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`),
      slashResolved: p(`UPDATE slash_proposals SET status = @status, resolved_at = @time, amount = @amount WHERE id =
        (SELECT max(id) FROM slash_proposals WHERE device = @device AND proposal = @proposal AND status = 'pending')`),
      feesBurned: p("INSERT INTO fee_burns (mint, amount, total_burned, signature, slot, block_time) VALUES (?, ?, ?, ?, ?, ?)"),
      activity: p(`INSERT INTO wallet_activity (wallet, kind, amount, device, lease, signature, slot, block_time)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    };
    this.loadParameters();
  }

  private loadParameters() {
    const num = (k: string) => {
      const v = this.s.getMeta.get(k) as string | undefined;
      return v === undefined ? null : Number(v);
    };
    this.marketHourLength = num("market.hour_length");
    this.poolStart = num("pool.start_time");
    this.poolHourLength = num("pool.hour_length");
  }

  /** Empties every view (the event log and checkpoints stay). */
  reset(): void {
    for (const t of VIEW_TABLES) this.sqlite.exec(`DELETE FROM ${t}`);
    this.sqlite.exec("DELETE FROM meta WHERE key LIKE 'market.%' OR key LIKE 'pool.%'");
    this.loadParameters();
  }

  apply(e: ChainEvent): void {
    const d = e.data;
    const s = this.s;
    // Field reads are inlined (no helper closures): this runs once per event on the ingestion path.
    switch (e.name) {
      case "DeviceRegistered":
        s.register.run({ ...bigFields(d, ["minimum_stake"]), time: e.blockTime, slot: e.slot });
        break;
      case "DeviceStatusChanged":
        // The lease is kept only while the device is leased (status 2); a release names the lease it left.
        s.deviceStatus.run(Number(d.status), Number(d.status) === LEASED && (d.lease as string) !== NO_LEASE ? (d.lease as string) : null, d.device as string);
        break;
      case "Staked":
        s.deviceStake.run(BigInt(d.total_stake as string), d.device as string);
        this.activity(e, d.staker as string, "stake", BigInt(d.amount as string), d.device as string, null);
        break;
      case "UnstakeRequested":
        s.deviceUnstake.run(BigInt(d.remaining_stake as string), BigInt(d.unbonding_amount as string), d.device as string);
        break;
      case "Withdrawn":
        s.deviceWithdrawn.run(BigInt(d.amount as string), d.device as string);
        this.activity(e, d.destination as string, "withdraw", BigInt(d.amount as string), d.device as string, null);
        break;
      case "CoStaked":
        s.deviceCoStake.run(BigInt(d.device_co_stake as string), d.device as string);
        this.activity(e, d.staker as string, "stake", BigInt(d.amount as string), d.device as string, null);
        break;
      case "CoUnstakeRequested":
        s.deviceCoUnstake.run({ amount: BigInt(d.amount as string), device: d.device as string });
        break;
      case "CoWithdrawn":
        s.deviceCoWithdrawn.run(BigInt(d.amount as string), d.device as string);
        this.activity(e, d.destination as string, "withdraw", BigInt(d.amount as string), d.device as string, null);
        break;
      case "DeviceSlashed": {
        const amount = BigInt(d.amount as string);
        const coAmount = BigInt(d.co_stake_amount as string);
        const row = s.deviceSlash.get({
          device: d.device as string,
          amount,
          co_stake_amount: coAmount,
          remaining_stake: BigInt(d.remaining_stake as string),
          remaining_co_stake: BigInt(d.remaining_co_stake as string),
          remaining_unbonding: BigInt(d.remaining_unbonding as string),
        }) as { owner: string } | undefined;
        // The supplier's wallet lost what was not the co-stakers' share.
        this.activity(e, row?.owner, "slash", amount - coAmount, d.device as string, null);
        break;
      }
      case "SlashProposed":
        s.slashProposed.run(
          d.device as string,
          d.proposal as string,
          d.authority as string,
          Number(d.bps),
          Number(d.reason),
          e.blockTime,
          e.slot,
          Number(d.executable_at),
          e.signature,
        );
        break;
      case "SlashCancelled":
        s.slashResolved.run({ status: "cancelled", time: e.blockTime, amount: null, device: d.device as string, proposal: d.proposal as string });
        break;
      case "SlashExecuted":
        s.slashResolved.run({
          status: "executed",
          time: e.blockTime,
          amount: BigInt(d.amount as string),
          device: d.device as string,
          proposal: d.proposal as string,
        });
        break;
      case "DeviceDeregistered":
        s.deviceDeregister.run(d.device as string);
        break;
      case "MarketInitialized":
        this.marketHourLength = Number(d.hour_length);
        s.setMeta.run("market.hour_length", String(this.marketHourLength));
        break;
      case "LeaseCreated":
        s.leaseCreate.run({ ...bigFields(d, ["price_per_gpu_hour", "principal", "renter_fee", "origin"]), time: e.blockTime, slot: e.slot });
        this.activity(e, d.renter as string, "lease", BigInt(d.principal as string) + BigInt(d.renter_fee as string), null, d.lease as string);
        break;
      case "DeviceAssigned":
        s.leaseAssign.run(d.lease as string, Number(d.slot), d.device as string, Number(d.gpus), Number(d.first_hour));
        s.leaseDevices.run(d.lease as string);
        break;
      case "TimeProven": {
        const hours = Number(d.hour_count);
        s.slotProven.run(hours, BigInt(d.amount as string), d.lease as string, d.device as string);
        s.deviceProven.run(hours, d.device as string);
        const row = s.leaseProven.get(hours, BigInt(d.amount as string), d.lease as string) as { origin: number } | undefined;
        if (row && this.marketHourLength) {
          const first = Number(d.first_hour);
          for (let h = 0; h < hours; h++) s.uptime.run(d.device as string, Number(row.origin) + (first + h) * this.marketHourLength);
        }
        break;
      }
      case "LeaseExtended":
        s.leaseExtend.run(Number(d.hours_booked), BigInt(d.deposit as string), BigInt(d.renter_fee as string), Number(d.resumed), d.lease as string);
        this.activity(e, this.renterOf(d.lease as string), "lease", BigInt(d.deposit as string) + BigInt(d.renter_fee as string), null, d.lease as string);
        break;
      case "LeasePaused":
        s.leaseStatus.run("paused", d.lease as string);
        break;
      case "LeaseTerminated": {
        const row = s.leaseTerminate.get(Number(d.hours_booked), BigInt(d.refund as string), d.lease as string) as { renter: string } | undefined;
        this.activity(e, row?.renter, "refund", BigInt(d.refund as string), null, d.lease as string);
        break;
      }
      case "LeaseSettled": {
        const row = s.leaseSettle.get(BigInt(d.earned_total as string), BigInt(d.refunded_total as string), d.lease as string) as
          | { renter: string }
          | undefined;
        this.activity(e, row?.renter, "refund", BigInt(d.refund as string), null, d.lease as string);
        break;
      }
      case "DeviceFaulted":
        s.slotFault.run(d.lease as string, d.device as string);
        s.deviceFault.run({
          device: d.device as string,
          lease: d.lease as string,
          missed_hour: Number(d.missed_hour),
          hour_length: this.marketHourLength,
          time: e.blockTime,
        });
        break;
      case "PayoutClaimed": {
        const net = BigInt(d.gross as string) - BigInt(d.fee as string);
        s.deviceEarned.run(net, d.device as string);
        this.activity(e, d.supplier as string, "payout", net, d.device as string, d.lease as string);
        break;
      }
      case "DeviceReleased":
        s.slotRelease.run(d.lease as string, d.device as string);
        break;
      case "LeaseClosed":
        s.leaseStatus.run("closed", d.lease as string);
        break;
      case "FeesBurned":
        s.feesBurned.run(d.mint as string, BigInt(d.amount as string), BigInt(d.total_burned as string), e.signature, e.slot, e.blockTime);
        break;
      case "PoolInitialized":
        this.poolStart = Number(d.start_time);
        this.poolHourLength = Number(d.hour_length);
        s.setMeta.run("pool.start_time", String(this.poolStart));
        s.setMeta.run("pool.hour_length", String(this.poolHourLength));
        break;
      case "HourEmitted":
        s.hourEmitted.run(
          Number(d.hour),
          this.rewardHourStart(Number(d.hour)),
          BigInt(d.amount as string),
          BigInt(d.total_weight as string),
          Number(d.nominated_devices),
        );
        break;
      case "RewardRegistered":
        s.deviceWeight.run(BigInt(d.nominal_weight as string), d.device as string);
        break;
      case "UptimeRecorded": {
        const nominated = s.deviceIsNominated.get(d.device as string) === 1;
        for (let h = Number(d.first_hour); h < Number(d.first_hour) + Number(d.hour_count); h++) {
          const start = this.rewardHourStart(h);
          if (start !== null) s.uptime.run(d.device as string, start);
          if (nominated) s.hourSucceeded.run(h, start);
        }
        break;
      }
      case "DeviceNominated":
        s.deviceNominated.run(1, d.device as string);
        break;
      case "DeviceDenominated":
        s.deviceNominated.run(0, d.device as string);
        break;
      case "RewardsClaimed":
        s.deviceRewards.run(BigInt(d.amount as string), d.device as string);
        this.activity(e, d.owner as string, "reward", BigInt(d.amount as string), d.device as string, null);
        break;
      default:
        // Configuration and operator events live in the event log only.
        break;
    }
  }

  private activity(e: ChainEvent, wallet: string | undefined, kind: string, amount: bigint, device: string | null, lease: string | null): void {
    if (wallet && amount !== 0n) this.s.activity.run(wallet, kind, amount, device, lease, e.signature, e.slot, e.blockTime);
  }

  private rewardHourStart(hour: number): number | null {
    return this.poolStart === null || this.poolHourLength === null ? null : this.poolStart + hour * this.poolHourLength;
  }

  private renterOf(lease: string): string | undefined {
    return (this.s.leaseRenter.get(lease) as string | undefined) ?? undefined;
  }
}

/** The event's fields for a named-parameter statement, with the given 64-bit fields as BigInt. */
function bigFields(d: EventData, keys: string[]): Record<string, string | number | bigint | boolean> {
  const out: Record<string, string | number | bigint | boolean> = {};
  for (const [k, v] of Object.entries(d)) out[k] = typeof v === "boolean" ? Number(v) : v;
  for (const k of keys) out[k] = BigInt(d[k] as string);
  return out;
}
