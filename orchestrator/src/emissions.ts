// The emissions crank: brings the rewards pool up to its clock (crank), records every agent's uptime
// (idle or leased; signed by the device's agent, asked through the fleet) since its last record (record_uptime), and, as keeper, denominates nominated devices
// that are no longer eligible (stake under the minimum, paused, deregistered).

import { type Attestation, deviceEligible, deviceRewardPda, MAX_UPTIME_ATTESTATIONS, type PoolAccount, poolBehind, poolPda } from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import type { Fleet } from "./fleet/port.ts";
import type { Operator } from "./operator.ts";

export class EmissionsCrank {
  constructor(
    private readonly op: Operator,
    private readonly fleet: Fleet,
    private readonly rewardMint: PublicKey,
    private readonly stakeDecimals: number,
  ) {}

  async pass(): Promise<void> {
    await this.crank();
    const ineligible = await this.recordUptime(await this.pool());
    await this.denominate(ineligible);
  }

  private async pool(): Promise<PoolAccount> {
    return this.op.rewards.decodePool((await this.op.chain.getAccount(poolPda()[0]))!.data);
  }

  /** Cranks until the pool has emitted every hour its clock has passed. */
  private async crank(): Promise<void> {
    while (poolBehind(await this.pool(), await this.op.chain.unixTime())) {
      const r = await this.op.send("crank", [await this.op.rewards.crank({ caller: this.op.publicKey, rewardMint: this.rewardMint })]);
      if (!r.ok) break;
    }
  }

  /**
   * Records the uptime of each device whose agent heartbeats up to the pool's next hour (from its record's next hour, at
   * most the pool's grace back), in batches. Returns the nominated devices no longer eligible, judged
   * from the Device read here: recording uptime does not change it.
   */
  private async recordUptime(pool: PoolAccount): Promise<PublicKey[]> {
    const atts: Attestation[] = [];
    const leases: (PublicKey | null)[] = [];
    const ineligible: PublicKey[] = [];
    for (const id of this.fleet.devices()) {
      const device = new PublicKey(id);
      const [acc, devAcc] = await this.op.chain.getMultipleAccounts([deviceRewardPda(device)[0], device]);
      if (!acc) continue;
      const rec = this.op.rewards.decodeDeviceReward(acc.data);
      const dev = devAcc && devAcc.data.length > 0 ? this.op.staking.decodeDevice(devAcc.data) : null;
      if (rec.nominated && !deviceEligible(dev, this.stakeDecimals, rec.owner)) ineligible.push(device);
      if (!this.fleet.alive(id)) continue;
      const first = Math.max(rec.nextHour, pool.nextHour - pool.graceHours);
      if (first >= pool.nextHour) continue;
      // The record reads the Device's current lease (its proven hours raise the weight).
      const lease = dev ? dev.currentLease : PublicKey.default;
      const att = this.fleet.attestation(id, { kind: "uptime", first, count: pool.nextHour - first, context: lease.toBase58() });
      if (!att) continue;
      atts.push(att);
      leases.push(lease.equals(PublicKey.default) ? null : lease);
    }
    for (let i = 0; i < atts.length; i += MAX_UPTIME_ATTESTATIONS) {
      await this.op.send(
        "record_uptime",
        await this.op.rewards.recordUptime({
          attester: this.op.publicKey,
          attestations: atts.slice(i, i + MAX_UPTIME_ATTESTATIONS),
          leases: leases.slice(i, i + MAX_UPTIME_ATTESTATIONS),
        }),
      );
    }
    return ineligible;
  }

  /**
   * The keeper's part: those the uptime records did not already take out leave the pool from the next
   * hour, so the delay is at most one loop.
   */
  private async denominate(devices: PublicKey[]): Promise<void> {
    for (const device of devices) {
      const acc = await this.op.chain.getAccount(deviceRewardPda(device)[0]);
      if (!acc || !this.op.rewards.decodeDeviceReward(acc.data).nominated) continue;
      await this.op.send("denominate", [await this.op.rewards.denominate({ caller: this.op.publicKey, device })]);
    }
  }
}
