// A small but complete network history on one chain, for the indexer's tests: suppliers register and
// stake devices with reward records, a renter runs a two-device lease hour by hour to settlement and
// payouts, a second lease is terminated early, one device faults on a third lease, devices record
// uptime, get nominated, hours are emitted and suppliers claim their block rewards.

import { SlashReason, toBigInt } from "@hourglass/client";
import { createTokenAccount, type EngineName, type ObservedEngine } from "@hourglass/localchain";
import { Keypair } from "@solana/web3.js";
import { HOUR, LeaseWorld, type OpenLease } from "./lease-world.ts";
import { RewardsWorld } from "./rewards-world.ts";
import type { DeviceHandle } from "./world.ts";
import { DECIMALS, UNBONDING_SECONDS } from "./world.ts";

export const PRICE = 2n * 10n ** BigInt(DECIMALS);

export class NetworkHistory {
  private constructor(
    readonly lw: LeaseWorld,
    readonly rw: RewardsWorld,
  ) {}

  /** `onEngine` sees the chain before its first transaction (attach indexer sources there). */
  static async create(engine: EngineName = "litesvm", onEngine?: (engine: ObservedEngine) => void): Promise<NetworkHistory> {
    const lw = await LeaseWorld.create(engine, 25 * HOUR, onEngine);
    const rw = await RewardsWorld.attach(lw.w);
    return new NetworkHistory(lw, rw);
  }

  get engine() {
    return this.lw.engine;
  }

  /** Devices with reward records, usable for leases (suppliers hold both mints). */
  async devices(n: number): Promise<DeviceHandle[]> {
    const ds = await this.rw.devices(n);
    return ds;
  }

  private async settleAndClaim(o: OpenLease) {
    const caller = this.lw.attester;
    const L = this.lw.leases;
    await this.lw.ok(
      "complete",
      await L.complete({ caller: caller.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }),
      [caller],
    );
    const { slots } = await this.lw.state(o);
    for (let i = 0; i < slots.length; i++) {
      if (slots[i].provenHours > slots[i].claimedHours) {
        await this.lw.ok(
          "claim",
          await L.claim({
            caller: caller.publicKey,
            lease: o.lease.publicKey,
            escrow: o.escrow.publicKey,
            slot: i,
            supplierTokens: o.devices[i].supplier.tokens,
            treasury: o.treasury,
          }),
          [caller],
        );
      }
      if (!slots[i].released)
        await this.lw.ok(
          "release_device",
          await L.releaseDevice({ caller: caller.publicKey, lease: o.lease.publicKey, slot: i, device: o.devices[i].address }),
          [caller],
        );
    }
  }

  /** Runs the scenario; returns what it made so tests can check the views against it. */
  async run(
    opts: { onHour?: (hour: number) => Promise<void> } = {},
  ): Promise<{ devices: DeviceHandle[]; settled: OpenLease; terminated: OpenLease; renter: Keypair }> {
    const { lw, rw } = this;
    const devices = await this.devices(4);
    const renter = await lw.newRenter();
    // Lease 1: two devices, 3 hours, proven hour by hour, settled and paid out.
    const settled = await lw.open(renter, { gpus: 2, hours: 3, price: PRICE });
    await lw.assign(settled, devices[0]);
    await lw.assign(settled, devices[1]);
    // Lease 2: one device, 6 hours, terminated after one proven hour.
    const terminated = await lw.open(renter, { gpus: 1, hours: 6, price: PRICE * 2n });
    await lw.assign(terminated, devices[2]);
    // Six hours pass. Each hour the lease proofs land, the device agents' uptime for the hour that just
    // ended is recorded after the pool is cranked (devices 0-2 every hour, so they are nominated after
    // five; device 3 for three hours only).
    for (let hour = 0; hour < 6; hour++) {
      await lw.engine.warp(HOUR);
      if (hour < 3) await lw.prove(settled, [lw.attest(settled, 0, hour, 1), lw.attest(settled, 1, hour, 1)]);
      if (hour === 0) await lw.prove(terminated, [lw.attest(terminated, 0, 0, 1)]);
      if (hour === 1) {
        await lw.terminate(terminated);
      }
      const up = hour < 3 ? [0, 1, 2, 3] : [0, 1, 2];
      await rw.catchUp();
      // At most three attestations per record_uptime transaction.
      for (let j = 0; j < up.length; j += 3)
        await rw.ok("record_uptime", await rw.uptimeIxs(up.slice(j, j + 3).map((i) => ({ device: devices[i], first: hour, count: 1 }))), [rw.attester]);
      await opts.onHour?.(hour);
    }
    // A day of silence: the nominated devices' hours fail; the lease settles after its grace.
    await lw.engine.warp(lw.grace);
    await rw.catchUp();
    await this.settleAndClaim(settled);
    await rw.catchUp();
    for (const i of [0, 1]) await rw.ok("claim", await rw.claimIx(devices[i]), [devices[i].supplier.wallet]);
    return { devices, settled, terminated, renter: renter.wallet };
  }

  /**
   * A second phase over the first's devices, for suites that want every instruction: a device paused
   * and resumed, a co-staker who syncs, claims and withdraws, a lease that pauses, is extended, has a
   * device faulted and slashed, settles and is closed, a denominated device, the pool paused and
   * resumed, the network fees burned, a slash proposed and cancelled and another executed after the
   * delay, and a supplier who unstakes, withdraws and deregisters.
   */
  async runMore(first: Awaited<ReturnType<NetworkHistory["run"]>>): Promise<void> {
    const { lw, rw } = this;
    const w = lw.w;
    const [d0, d1, d2, d3] = first.devices;
    const attester = lw.attester;
    await w.ok("set_device_paused", await w.staking.setDevicePaused({ supplier: d3.supplier.wallet.publicKey, deviceKey: d3.key.publicKey, paused: true }), [
      d3.supplier.wallet,
    ]);
    await w.ok("set_device_paused", await w.staking.setDevicePaused({ supplier: d3.supplier.wallet.publicKey, deviceKey: d3.key.publicKey, paused: false }), [
      d3.supplier.wallet,
    ]);
    // A co-staker backs device 0 and is registered with the rewards pool.
    const backer = await w.newSupplier(100_000n * 10n ** BigInt(DECIMALS));
    const coStake = w.minimum(d0) / 2n;
    await w.ok("co_stake", await w.coStakeIx(d0, backer, coStake), [backer.wallet]);
    await rw.ok("sync_co_stake", await rw.rewards.syncCoStake({ payer: backer.wallet.publicKey, device: d0.address, staker: backer.wallet.publicKey }), [
      backer.wallet,
    ]);
    const backerRewards = await createTokenAccount(this.engine, backer.wallet, rw.rewardMint, backer.wallet.publicKey);
    // Lease 3 on devices 0 and 1 for one hour: proven, paused when the hour runs out, extended by two.
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 2, hours: 1, price: PRICE });
    await lw.assign(o, d0);
    await lw.assign(o, d1);
    await rw.catchUp();
    await lw.engine.warp(HOUR);
    await lw.ok("prove_time", await lw.proveIxs(o, [lw.attest(o, 0, 0, 1), lw.attest(o, 1, 0, 1)]), [attester]);
    await lw.ok("pause", await lw.leases.pause({ caller: attester.publicKey, lease: o.lease.publicKey }), [attester]);
    await lw.extend(o, 2);
    // Device 0 keeps proving and recording uptime; device 1 falls silent and is faulted after the grace.
    for (let h = 1; h <= 2; h++) {
      await lw.engine.warp(HOUR);
      await lw.ok("prove_time", await lw.proveIxs(o, [lw.attest(o, 0, h, 1)]), [attester]);
    }
    await lw.engine.warp(lw.grace);
    await rw.catchUp();
    await lw.ok(
      "report_fault",
      await lw.leases.reportFault({ caller: attester.publicKey, lease: o.lease.publicKey, slot: 1, device: d1.address, stakingTreasury: w.treasury }),
      [attester],
    );
    await this.settleAndClaim(o);
    // Anyone burns the network-token fees the three leases paid into the Market's fee vault.
    await lw.ok("burn_fees", await lw.leases.burnFees({ caller: attester.publicKey, networkMint: w.mint }), [attester]);
    await lw.ok(
      "close_lease",
      await lw.leases.closeLease({ renter: first.renter.publicKey, lease: first.settled.lease.publicKey, escrow: first.settled.escrow.publicKey }),
      [first.renter],
    );
    // Rewards: device 2 stopped recording long ago and is denominated; the pool pauses and resumes;
    // the backer claims its share.
    await rw.ok("denominate", await rw.rewards.denominate({ caller: attester.publicKey, device: d2.address }), [attester]);
    await rw.ok("set_paused", await rw.rewards.setPaused({ authority: w.authority.publicKey, paused: true }), [w.authority]);
    await rw.ok("set_paused", await rw.rewards.setPaused({ authority: w.authority.publicKey, paused: false }), [w.authority]);
    await rw.catchUp();
    await rw.ok("claim_co_stake", await rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: d0.address, destination: backerRewards }), [
      backer.wallet,
    ]);
    // The config authority proposes slashing device 2 for a failed job and cancels; proposes again,
    // waits out the delay and executes.
    const proposal = { authority: w.authority.publicKey, deviceKey: d2.key.publicKey };
    await w.ok("propose_slash", await w.staking.proposeSlash({ ...proposal, bps: 200, reason: SlashReason.FailedJob }), [w.authority]);
    await w.ok("cancel_slash", await w.staking.cancelSlash(proposal), [w.authority]);
    await w.ok("propose_slash", await w.staking.proposeSlash({ ...proposal, bps: 100, reason: SlashReason.Admin }), [w.authority]);
    const config = w.staking.decodeConfig((await this.engine.getAccount(w.config))!.data);
    await lw.engine.warp(config.slashDelay.toNumber());
    await w.ok("execute_slash", await w.staking.executeSlash({ ...proposal, treasury: w.treasury }), [w.authority]);
    // Exits: the backer and device 3's supplier unstake, wait out the unbonding and withdraw; device 3
    // deregisters.
    await w.ok("co_unstake", await w.staking.coUnstake({ staker: backer.wallet.publicKey, deviceKey: d0.key.publicKey, amount: coStake }), [backer.wallet]);
    const stake = toBigInt((await w.device(d3)).stake);
    await w.ok("request_unstake", await w.staking.requestUnstake({ supplier: d3.supplier.wallet.publicKey, deviceKey: d3.key.publicKey, amount: stake }), [
      d3.supplier.wallet,
    ]);
    await lw.engine.warp(UNBONDING_SECONDS);
    await w.ok("co_withdraw", await w.staking.coWithdraw({ staker: backer.wallet.publicKey, deviceKey: d0.key.publicKey, destination: backer.tokens }), [
      backer.wallet,
    ]);
    await w.withdrawAndDeregister(d3);
    // The staking authority is handed to a new key (which must consent) and back.
    const next = Keypair.generate();
    await this.engine.airdrop(next.publicKey, 1_000_000_000n);
    await w.ok("set_authority", await w.staking.setAuthority({ authority: w.authority.publicKey, newAuthority: next.publicKey }), [w.authority, next]);
    await w.ok("set_authority", await w.staking.setAuthority({ authority: next.publicKey, newAuthority: w.authority.publicKey }), [next, w.authority]);
  }
}
