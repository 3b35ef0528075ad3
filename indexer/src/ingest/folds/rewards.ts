// The rewards program's events into the views: hourly emissions and how nominated devices fared, the
// devices' reward weights, nominations, uptime and claimed rewards.
import type { FoldContext } from "./context.ts";
import type { Folds, RewardsEvent } from "./events.ts";

export function rewardsFolds(v: FoldContext): Folds<RewardsEvent> {
  const p = (sql: string) => v.prepare(sql);
  const s = {
    deviceRewards: p("UPDATE devices SET rewards = rewards + ? WHERE address = ?"),
    deviceWeight: p("UPDATE devices SET reward_weight = ? WHERE address = ?"),
    deviceNominated: p("UPDATE devices SET nominated = ? WHERE address = ?"),
    deviceIsNominated: p("SELECT nominated FROM devices WHERE address = ?").pluck(),
    hourEmitted: p(`INSERT INTO reward_hours (hour, hour_start, amount, total_weight, nominated, emitted) VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (hour) DO UPDATE SET hour_start = excluded.hour_start, amount = excluded.amount, total_weight = excluded.total_weight,
        nominated = excluded.nominated, emitted = 1`),
    hourSucceeded: p(`INSERT INTO reward_hours (hour, hour_start, succeeded) VALUES (?, ?, 1)
      ON CONFLICT (hour) DO UPDATE SET succeeded = succeeded + 1`),
  };
  return {
    PoolInitialized: ({ data: d }) => {
      v.poolStart = Number(d.start_time);
      v.poolHourLength = Number(d.hour_length);
      v.setMeta("pool.start_time", String(v.poolStart));
      v.setMeta("pool.hour_length", String(v.poolHourLength));
    },
    HourEmitted: ({ data: d }) => s.hourEmitted.run(d.hour, v.rewardHourStart(d.hour), BigInt(d.amount), BigInt(d.total_weight), d.nominated_devices),
    RewardRegistered: ({ data: d }) => s.deviceWeight.run(BigInt(d.nominal_weight), d.device),
    UptimeRecorded: ({ data: d }) => {
      const nominated = s.deviceIsNominated.get(d.device) === 1;
      for (let h = d.first_hour; h < d.first_hour + d.hour_count; h++) {
        const start = v.rewardHourStart(h);
        if (start !== null) v.uptime(d.device, start);
        if (nominated) s.hourSucceeded.run(h, start);
      }
    },
    DeviceNominated: ({ data: d }) => s.deviceNominated.run(1, d.device),
    DeviceDenominated: ({ data: d }) => s.deviceNominated.run(0, d.device),
    RewardsClaimed: (e) => {
      const d = e.data;
      s.deviceRewards.run(BigInt(d.amount), d.device);
      v.activity(e, d.owner, "reward", BigInt(d.amount), d.device, null);
    },
  };
}
