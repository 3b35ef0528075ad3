// The staking program's events into the views: devices (registration, status, stake, co-stake,
// unbonding, slashes) and slash proposals.
import { DeviceStatus } from "@hourglass/client";
import type Database from "better-sqlite3";
import type { FoldContext } from "./context.ts";
import type { Folds, StakingEvent } from "./events.ts";

const NO_LEASE = "11111111111111111111111111111111";

export function stakingFolds(v: FoldContext): Folds<StakingEvent> {
  const p = (sql: string) => v.prepare(sql);
  const s = {
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
    slashProposed: p(`INSERT INTO slash_proposals (device, proposal, authority, bps, reason, status, proposed_at, proposed_slot, executable_at, signature)
      VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`),
    slashResolved: p(`UPDATE slash_proposals SET status = @status, resolved_at = @time, amount = @amount WHERE id =
      (SELECT max(id) FROM slash_proposals WHERE device = @device AND proposal = @proposal AND status = 'pending')`),
  };
  /** A withdrawal leaves the device's unbonding figure (the supplier's or the co-stakers') for the destination wallet. */
  const withdrawal = (unbonding: Database.Statement) => (e: Extract<StakingEvent, { name: "Withdrawn" | "CoWithdrawn" }>) => {
    const d = e.data;
    unbonding.run(BigInt(d.amount), d.device);
    v.activity(e, d.destination, "withdraw", BigInt(d.amount), d.device, null);
  };
  return {
    DeviceRegistered: (e) => s.register.run({ ...e.data, minimum_stake: BigInt(e.data.minimum_stake), time: e.blockTime, slot: e.slot }),
    DeviceStatusChanged: ({ data: d }) => {
      // The lease is kept only while the device is leased; a release names the lease it left.
      s.deviceStatus.run(d.status, d.status === DeviceStatus.Leased && d.lease !== NO_LEASE ? d.lease : null, d.device);
    },
    Staked: (e) => {
      const d = e.data;
      s.deviceStake.run(BigInt(d.total_stake), d.device);
      v.activity(e, d.staker, "stake", BigInt(d.amount), d.device, null);
    },
    UnstakeRequested: ({ data: d }) => s.deviceUnstake.run(BigInt(d.remaining_stake), BigInt(d.unbonding_amount), d.device),
    Withdrawn: withdrawal(s.deviceWithdrawn),
    CoStaked: (e) => {
      const d = e.data;
      s.deviceCoStake.run(BigInt(d.device_co_stake), d.device);
      v.activity(e, d.staker, "stake", BigInt(d.amount), d.device, null);
    },
    CoUnstakeRequested: ({ data: d }) => s.deviceCoUnstake.run({ amount: BigInt(d.amount), device: d.device }),
    CoWithdrawn: withdrawal(s.deviceCoWithdrawn),
    DeviceSlashed: (e) => {
      const d = e.data;
      const amount = BigInt(d.amount);
      const coAmount = BigInt(d.co_stake_amount);
      const row = s.deviceSlash.get({
        device: d.device,
        amount,
        co_stake_amount: coAmount,
        remaining_stake: BigInt(d.remaining_stake),
        remaining_co_stake: BigInt(d.remaining_co_stake),
        remaining_unbonding: BigInt(d.remaining_unbonding),
      }) as { owner: string } | undefined;
      // The supplier's wallet lost what was not the co-stakers' share.
      v.activity(e, row?.owner, "slash", amount - coAmount, d.device, null);
    },
    SlashProposed: (e) => {
      const d = e.data;
      s.slashProposed.run(d.device, d.proposal, d.authority, d.bps, d.reason, e.blockTime, e.slot, Number(d.executable_at), e.signature);
    },
    SlashCancelled: (e) => s.slashResolved.run({ status: "cancelled", time: e.blockTime, amount: null, device: e.data.device, proposal: e.data.proposal }),
    SlashExecuted: (e) =>
      s.slashResolved.run({ status: "executed", time: e.blockTime, amount: BigInt(e.data.amount), device: e.data.device, proposal: e.data.proposal }),
    DeviceDeregistered: ({ data: d }) => s.deviceDeregister.run(d.device),
  };
}
