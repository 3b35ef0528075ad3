// The lease market's events into the views: leases and their clusters, proven hours (with the devices'
// uptime), faults, payouts and fee burns.
import type { FoldContext } from "./context.ts";
import type { Folds, LeasesEvent } from "./events.ts";

export function leasesFolds(v: FoldContext): Folds<LeasesEvent> {
  const p = (sql: string) => v.prepare(sql);
  const s = {
    deviceProven: p("UPDATE devices SET proven_hours = proven_hours + ? WHERE address = ?"),
    // The fault is placed on the hour it concerns (the lease's missed hour), like proven hours; without
    // the lease or the market's hour length, at the report's block time.
    deviceFault: p(`UPDATE devices SET faults = faults + 1, last_fault_at = max(coalesce(last_fault_at, 0),
        coalesce((SELECT origin FROM leases WHERE address = @lease) + @missed_hour * @hour_length, @time, 0)) WHERE address = @device`),
    deviceEarned: p("UPDATE devices SET earned = earned + ? WHERE address = ? RETURNING owner"),
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
    feesBurned: p("INSERT INTO fee_burns (mint, amount, total_burned, signature, slot, block_time) VALUES (?, ?, ?, ?, ?, ?)"),
  };
  return {
    MarketInitialized: ({ data: d }) => {
      v.marketHourLength = Number(d.hour_length);
      v.setMeta("market.hour_length", String(v.marketHourLength));
    },
    LeaseCreated: (e) => {
      const d = e.data;
      s.leaseCreate.run({
        ...d,
        price_per_gpu_hour: BigInt(d.price_per_gpu_hour),
        principal: BigInt(d.principal),
        renter_fee: BigInt(d.renter_fee),
        origin: BigInt(d.origin),
        time: e.blockTime,
        slot: e.slot,
      });
      v.activity(e, d.renter, "lease", BigInt(d.principal) + BigInt(d.renter_fee), null, d.lease);
    },
    DeviceAssigned: ({ data: d }) => {
      s.leaseAssign.run(d.lease, d.slot, d.device, d.gpus, d.first_hour);
      s.leaseDevices.run(d.lease);
    },
    TimeProven: ({ data: d }) => {
      const hours = d.hour_count;
      s.slotProven.run(hours, BigInt(d.amount), d.lease, d.device);
      s.deviceProven.run(hours, d.device);
      const row = s.leaseProven.get(hours, BigInt(d.amount), d.lease) as { origin: number } | undefined;
      if (row && v.marketHourLength) {
        for (let h = 0; h < hours; h++) v.uptime(d.device, Number(row.origin) + (d.first_hour + h) * v.marketHourLength);
      }
    },
    LeaseExtended: (e) => {
      const d = e.data;
      s.leaseExtend.run(d.hours_booked, BigInt(d.deposit), BigInt(d.renter_fee), d.resumed, d.lease);
      v.activity(e, s.leaseRenter.get(d.lease) as string | undefined, "lease", BigInt(d.deposit) + BigInt(d.renter_fee), null, d.lease);
    },
    LeasePaused: ({ data: d }) => s.leaseStatus.run("paused", d.lease),
    LeaseTerminated: (e) => {
      const d = e.data;
      const row = s.leaseTerminate.get(d.hours_booked, BigInt(d.refund), d.lease) as { renter: string } | undefined;
      v.activity(e, row?.renter, "refund", BigInt(d.refund), null, d.lease);
    },
    LeaseSettled: (e) => {
      const d = e.data;
      const row = s.leaseSettle.get(BigInt(d.earned_total), BigInt(d.refunded_total), d.lease) as { renter: string } | undefined;
      v.activity(e, row?.renter, "refund", BigInt(d.refund), null, d.lease);
    },
    DeviceFaulted: (e) => {
      const d = e.data;
      s.slotFault.run(d.lease, d.device);
      s.deviceFault.run({ device: d.device, lease: d.lease, missed_hour: d.missed_hour, hour_length: v.marketHourLength, time: e.blockTime });
    },
    PayoutClaimed: (e) => {
      const d = e.data;
      const net = BigInt(d.gross) - BigInt(d.fee);
      s.deviceEarned.run(net, d.device);
      v.activity(e, d.supplier, "payout", net, d.device, d.lease);
    },
    DeviceReleased: ({ data: d }) => s.slotRelease.run(d.lease, d.device),
    LeaseClosed: ({ data: d }) => s.leaseStatus.run("closed", d.lease),
    FeesBurned: (e) => s.feesBurned.run(e.data.mint, BigInt(e.data.amount), BigInt(e.data.total_burned), e.signature, e.slot, e.blockTime),
  };
}
