// A small but complete network history on one chain, for the indexer's tests: suppliers register and
// stake devices with reward records, a renter runs a two-device lease hour by hour to settlement and
// payouts, a second lease is terminated early, one device faults on a third lease, devices record
// uptime, get nominated, hours are emitted and suppliers claim their block rewards.
import { Keypair } from "@solana/web3.js";
import { LeaseWorld, HOUR, type OpenLease } from "./lease-world.ts";
import { RewardsWorld } from "./rewards-world.ts";
import type { EngineName, ObservedEngine } from "../../client/src/svm/index.ts";
import type { DeviceHandle } from "./world.ts";
import { DECIMALS } from "./world.ts";

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
    await this.lw.ok("complete", await L.complete({ caller: caller.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }), [caller]);
    const { slots } = await this.lw.state(o);
    for (let i = 0; i < slots.length; i++) {
      if (slots[i].provenHours > slots[i].claimedHours) {
        await this.lw.ok("claim", await L.claim({ caller: caller.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, slot: i, supplierTokens: o.devices[i].supplier.tokens, treasury: o.treasury }), [caller]);
      }
      if (!slots[i].released) await this.lw.ok("release_device", await L.releaseDevice({ caller: caller.publicKey, lease: o.lease.publicKey, slot: i, device: o.devices[i].address }), [caller]);
    }
  }

  /** Runs the scenario; returns what it made so tests can check the views against it. */
  async run(opts: { onHour?: (hour: number) => Promise<void> } = {}): Promise<{ devices: DeviceHandle[]; settled: OpenLease; terminated: OpenLease; renter: Keypair }> {
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
      if (hour < 3) await lw.ok("prove_time", await lw.proveIxs(settled, [lw.attest(settled, 0, hour, 1), lw.attest(settled, 1, hour, 1)]), [lw.attester]);
      if (hour === 0) await lw.ok("prove_time", await lw.proveIxs(terminated, [lw.attest(terminated, 0, 0, 1)]), [lw.attester]);
      if (hour === 1) {
        await lw.ok("terminate", await lw.leases.terminate({ renter: renter.wallet.publicKey, lease: terminated.lease.publicKey, escrow: terminated.escrow.publicKey, renterTokens: terminated.renterTokens }), [renter.wallet]);
      }
      const up = hour < 3 ? [0, 1, 2, 3] : [0, 1, 2];
      await rw.catchUp();
      await rw.ok("record_uptime", await rw.uptimeIxs(up.map((i) => ({ device: devices[i], first: hour, count: 1 }))), [rw.attester]);
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
}
