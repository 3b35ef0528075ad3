// The orchestrator end to end against a real Ray head and the SBF programs in LiteSVM: a cluster lease
// placed, its workload run as a Ray job, hours proven from the device agents' signatures, settlement
// and payouts; a failing workload ending in the fault path; a restart that resumes without double
// proofs, and keeps its devices' proven-hour history through the indexer.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeviceStatus, deviceRewardPda, LeaseStatus, SlotStatus, toBigInt } from "@hourglass/client";
import { deviceHistory, openDb, Pipeline, SvmSource } from "@hourglass/indexer";
import type { RayJobsClient } from "@hourglass/orchestrator";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { HOUR, TOKENS } from "./support/lease-world.ts";
import { orchestratorWorld } from "./support/orchestrator-world.ts";
import { useRayHead } from "./support/ray-head.ts";
import { RewardsWorld } from "./support/rewards-world.ts";
import { type DeviceHandle, H100 } from "./support/world.ts";

const PRICE = 3n * TOKENS;
const GRACE = 2 * HOUR;

describe("orchestrator with a real Ray head", function () {
  this.timeout(300_000);
  const { head, ray: client } = useRayHead(6391, 8272);
  let ray: RayJobsClient;
  beforeEach(() => {
    ray = client();
  });

  const setup = (failing = new Set<string>(), sleeping = new Set<string>()) => orchestratorWorld({ head, ray, grace: GRACE, failing, sleeping });

  const byDevice = (devices: DeviceHandle[], key: PublicKey) => devices.find((d) => d.address.equals(key))!;

  it("its emissions loop records uptime, nominates the devices, and takes out one whose stake fell under its minimum", async () => {
    const { lw, devices, make, fleet } = await setup();
    const rw = await RewardsWorld.attach(lw.w);
    for (const d of devices)
      await rw.ok("register_reward", await rw.rewards.registerReward({ payer: d.supplier.wallet.publicKey, device: d.address }), [d.supplier.wallet]);
    const orch = make({ rewardMint: rw.rewardMint });
    await orch.recover([]);
    // Five hours of uptime, recorded by the loop hour by hour: every device is nominated.
    for (let h = 0; h < 5; h++) {
      await lw.engine.warp(HOUR);
      await orch.tick();
    }
    const record = async (d: DeviceHandle) => rw.rewards.decodeDeviceReward((await lw.engine.getAccount(deviceRewardPda(d.address)[0]))!.data);
    for (const d of devices) expect((await record(d)).nominated, d.address.toBase58()).to.equal(true);
    // Device 0's supplier unstakes just under its minimum and its agent goes quiet (so no uptime record
    // takes it out): the keeper's pass in the next loop denominates it, and only it.
    const [gone, ...kept] = devices;
    fleet.silent.add(gone.address.toBase58());
    const stake = toBigInt((await lw.w.device(gone)).stake);
    await lw.w.ok(
      "request_unstake",
      await lw.w.staking.requestUnstake({ supplier: gone.supplier.wallet.publicKey, deviceKey: gone.key.publicKey, amount: stake - lw.w.minimum(gone) + 1n }),
      [gone.supplier.wallet],
    );
    const pendingBefore = toBigInt((await rw.pool()).pendingSub);
    await orch.tick();
    expect((await record(gone)).nominated).to.equal(false);
    for (const d of kept) expect((await record(d)).nominated).to.equal(true);
    expect(toBigInt((await rw.pool()).pendingSub) - pendingBefore).to.equal(toBigInt((await record(kept[0])).weight));
    // It earns nothing from the next hour; the others go on.
    await lw.engine.warp(2 * HOUR);
    await orch.tick();
    expect((await record(gone)).nominated).to.equal(false);
  });

  it("places a 16-GPU lease, runs it on Ray, proves its hours, settles and pays the suppliers", async () => {
    const { lw, devices, orch } = await setup();
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 16, hours: 3, price: PRICE, gpuModel: H100.code, maxDevices: 4 });
    await orch.tick();
    // The tick returns once the job runs (its time from the lease's event is the benchmark's figure).
    expect(orch.timeToRunning.get(o.lease.publicKey.toBase58()), "lease opened -> Ray job running, recorded").to.be.a("number").above(0);
    expect(["RUNNING", "SUCCEEDED"]).to.include((await ray.get(o.lease.publicKey.toBase58())).status);
    const { slots } = await orch.readLease(o.lease.publicKey);
    expect(slots).to.have.length(2);
    for (const s of slots) expect((await lw.w.device(byDevice(devices, s.device))).status).to.equal(DeviceStatus.Leased);
    const job = await ray.waitFor(o.lease.publicKey.toBase58());
    expect(job.status).to.equal("SUCCEEDED");
    const logs = await ray.logs(o.lease.publicKey.toBase58());
    expect(logs).to.match(/16 tasks/);
    expect(logs).to.contain(`lease ${o.lease.publicKey.toBase58()}, 16 GPUs on 2 devices`);

    for (let h = 0; h < 3; h++) {
      await lw.engine.warp(HOUR);
      await orch.tick();
    }
    expect((await orch.readLease(o.lease.publicKey)).lease.status).to.equal(LeaseStatus.Paused);
    await lw.engine.warp(GRACE);
    await orch.tick();
    const after = await orch.readLease(o.lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(toBigInt(after.lease.earnedTotal)).to.equal(PRICE * 16n * 3n);
    expect(toBigInt(after.lease.claimedTotal)).to.equal(PRICE * 16n * 3n);
    expect(await lw.w.balance(o.escrow.publicKey)).to.equal(0n);
    for (const s of after.slots) {
      expect(s.released).to.equal(true);
      const paid = await lw.w.balance(getAssociatedTokenAddressSync(lw.w.mint, s.owner));
      const gross = PRICE * 8n * 3n;
      expect(paid).to.equal(gross - (gross * 25n) / 10_000n);
      expect((await lw.w.device(byDevice(devices, s.device))).status).to.equal(DeviceStatus.Active);
    }
  });

  it("a failing workload is not proven: its devices fault, are slashed, and the renter is refunded", async () => {
    const failing = new Set<string>();
    const { lw, devices, orch } = await setup(failing);
    const renter = await lw.newRenter();
    const lease = Keypair.generate();
    failing.add(lease.publicKey.toBase58());
    await lw.open(renter, { gpus: 8, hours: 2, price: PRICE, gpuModel: H100.code, maxDevices: 1, lease });
    await orch.tick();
    expect((await ray.waitFor(lease.publicKey.toBase58())).status).to.equal("FAILED");
    const { slots } = await orch.readLease(lease.publicKey);
    const device = byDevice(devices, slots[0].device);
    const stake = toBigInt((await lw.w.device(device)).stake);
    await lw.engine.warp(HOUR);
    await orch.tick(); // nothing proven
    await lw.engine.warp(HOUR + GRACE + 1);
    await orch.tick(); // fault, pause, then settle after the grace
    await lw.engine.warp(GRACE);
    await orch.tick();
    const after = await orch.readLease(lease.publicKey);
    expect(after.slots[0].status).to.equal(SlotStatus.Faulted);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(toBigInt(after.lease.refunded)).to.equal(PRICE * 8n * 2n);
    expect(toBigInt((await lw.w.device(device)).stake) < stake).to.equal(true);
    expect((await lw.w.device(device)).status).to.equal(DeviceStatus.Active);
  });

  it("a device that stops heartbeating is faulted after the grace; the other keeps earning", async () => {
    const { lw, devices, orch, fleet } = await setup();
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 16, hours: 3, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    await orch.tick();
    await lw.engine.warp(HOUR);
    await orch.tick(); // hour 0 proven on both
    const { slots } = await orch.readLease(o.lease.publicKey);
    const silent = slots[1].device;
    fleet.silent.add(silent.toBase58());
    const stake = BigInt((await lw.w.device(byDevice(devices, silent))).stake.toString());
    for (let h = 1; h < 3 + GRACE / HOUR + 1; h++) {
      await lw.engine.warp(HOUR);
      await orch.tick();
    }
    const after = await orch.readLease(o.lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(after.slots[0].provenHours).to.equal(3);
    expect(after.slots[1].status).to.equal(SlotStatus.Faulted);
    expect(after.slots[1].provenHours).to.equal(1);
    expect(toBigInt(after.lease.refunded)).to.equal(PRICE * 8n * 2n);
    expect(BigInt((await lw.w.device(byDevice(devices, silent))).stake.toString()) < stake).to.equal(true);
    expect(await lw.w.balance(o.escrow.publicKey)).to.equal(0n);
  });

  it("a lease bigger than the free pool waits, and is placed when a settled lease frees its devices", async () => {
    const { lw, orch } = await setup();
    const renter = await lw.newRenter();
    const first = await lw.open(renter, { gpus: 24, hours: 1, price: PRICE, gpuModel: H100.code, maxDevices: 3 });
    await orch.tick();
    const second = await lw.open(renter, { gpus: 16, hours: 8, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    await orch.tick();
    expect(orch.pending.has(second.lease.publicKey.toBase58())).to.equal(true);
    expect((await orch.readLease(second.lease.publicKey)).slots).to.have.length(0);
    expect(orch.index.freeGpus(H100.code), "nothing reserved for the waiting lease").to.equal(8);
    await lw.engine.warp(HOUR);
    await orch.tick();
    await lw.engine.warp(GRACE);
    await orch.tick(); // the first lease settles; its devices come back
    expect((await orch.readLease(first.lease.publicKey)).lease.status).to.equal(LeaseStatus.Settled);
    await orch.tick();
    expect(orch.pending.size).to.equal(0);
    const { slots } = await orch.readLease(second.lease.publicKey);
    expect(slots.reduce((n, s) => n + s.gpus, 0)).to.equal(16);
    expect(orch.index.freeGpus(H100.code)).to.equal(16);
    expect((await ray.get(second.lease.publicKey.toBase58())).status).to.be.oneOf(["RUNNING", "SUCCEEDED"]);
  });

  it("a renter's terminate stops the lease's Ray job and refunds the hours that did not run", async () => {
    const sleeping = new Set<string>();
    const { lw, orch } = await setup(new Set(), sleeping);
    const renter = await lw.newRenter();
    const lease = Keypair.generate();
    sleeping.add(lease.publicKey.toBase58());
    const { escrow } = await lw.open(renter, { gpus: 8, hours: 4, price: PRICE, gpuModel: H100.code, maxDevices: 1, lease });
    const id = lease.publicKey.toBase58();
    await orch.tick();
    expect((await ray.get(id)).status).to.equal("RUNNING");
    await lw.engine.warp(HOUR);
    await orch.tick(); // hour 0 proven
    const before = await lw.w.balance(renter.network);
    await lw.ok(
      "terminate",
      [await lw.leases.terminate({ renter: renter.wallet.publicKey, lease: lease.publicKey, escrow: escrow.publicKey, renterTokens: renter.network })],
      [renter.wallet],
    );
    await orch.tick();
    expect((await ray.waitFor(id)).status).to.equal("STOPPED");
    const after = await orch.readLease(lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Terminated);
    expect(after.slots[0].provenHours).to.equal(1);
    expect((await lw.w.balance(renter.network)) - before).to.equal(PRICE * 8n * 3n);
  });

  it("a lease paused when its hours ran out resumes on extension: a new Ray job, the new hours proven", async () => {
    const sleeping = new Set<string>();
    const { lw, orch } = await setup(new Set(), sleeping);
    const renter = await lw.newRenter();
    const lease = Keypair.generate();
    sleeping.add(lease.publicKey.toBase58());
    const o = await lw.open(renter, { gpus: 8, hours: 2, price: PRICE, gpuModel: H100.code, maxDevices: 1, lease });
    const id = lease.publicKey.toBase58();
    await orch.tick();
    for (let h = 0; h < 2; h++) {
      await lw.engine.warp(HOUR);
      await orch.tick();
    }
    expect((await orch.readLease(lease.publicKey)).lease.status).to.equal(LeaseStatus.Paused);
    expect((await ray.waitFor(id)).status).to.equal("STOPPED");
    await lw.ok(
      "extend",
      [
        await lw.leases.extend({
          renter: renter.wallet.publicKey,
          lease: lease.publicKey,
          escrow: o.escrow.publicKey,
          renterTokens: renter.network,
          treasury: lw.networkTreasury,
          hours: 1,
        }),
      ],
      [renter.wallet],
    );
    await orch.tick();
    const runs = (await ray.list()).filter((j) => j.metadata?.lease === id).map((j) => [j.submission_id, j.status]);
    expect(runs).to.have.deep.members([
      [id, "STOPPED"],
      [`${id}-h3`, "RUNNING"],
    ]);
    await lw.engine.warp(HOUR);
    await orch.tick();
    await lw.engine.warp(GRACE);
    await orch.tick();
    const after = await orch.readLease(lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(after.slots[0].provenHours).to.equal(3);
    expect(toBigInt(after.lease.earnedTotal)).to.equal(PRICE * 8n * 3n);
    expect((await ray.waitFor(`${id}-h3`)).status).to.equal("STOPPED"); // stopped at settlement
  });

  it("recovers after a restart from the chain and Ray, without proving an hour twice", async () => {
    const { lw, orch, make } = await setup();
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 8, hours: 3, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    await orch.tick();
    await lw.engine.warp(HOUR);
    await orch.tick(); // hour 0 proven
    orch.detach(); // the process dies
    const failures: string[] = [];
    const restarted = make();
    await restarted.recover(); // the leases come from the Ray jobs' metadata
    expect([...restarted.leases.keys()]).to.deep.equal([o.lease.publicKey.toBase58()]);
    lw.engine.subscribe((r) => {
      if (!r.ok && r.errorCode !== null) failures.push(String(r.errorCode));
    });
    for (let h = 1; h < 3; h++) {
      await lw.engine.warp(HOUR);
      await restarted.tick();
    }
    await lw.engine.warp(GRACE);
    await restarted.tick();
    const after = await restarted.readLease(o.lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(after.slots[0].provenHours).to.equal(3);
    expect(failures, "no rejected proofs").to.deep.equal([]);
    expect((await ray.list()).filter((j) => j.submission_id === o.lease.publicKey.toBase58())).to.have.length(1);
  });

  it("a restarted orchestrator keeps its devices' proven-hour history through the indexer, and places by it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hourglass-orch-history-"));
    const db = openDb(path.join(dir, "indexer.sqlite"));
    let source!: SvmSource;
    try {
      const { lw, orch, make } = await orchestratorWorld({
        head,
        ray,
        grace: GRACE,
        onEngine: (engine) => {
          source = new SvmSource(engine, new Pipeline(db), 0);
          return source.start();
        },
      });
      // Two 8-GPU leases: the first (on the machine placement picks first when nothing tells devices
      // apart) is terminated before any hour; the second proves an hour and settles. Only the second's
      // machine has history.
      const renter = await lw.newRenter();
      const dropped = await lw.open(renter, { gpus: 8, hours: 1, price: PRICE, gpuModel: H100.code, maxDevices: 1 });
      const first = await lw.open(renter, { gpus: 8, hours: 1, price: PRICE, gpuModel: H100.code, maxDevices: 1 });
      await orch.tick();
      const unproven = (await orch.readLease(dropped.lease.publicKey)).slots[0].device.toBase58();
      const proven = (await orch.readLease(first.lease.publicKey)).slots[0].device.toBase58();
      await lw.ok(
        "terminate",
        await lw.leases.terminate({
          renter: renter.wallet.publicKey,
          lease: dropped.lease.publicKey,
          escrow: dropped.escrow.publicKey,
          renterTokens: dropped.renterTokens,
        }),
        [renter.wallet],
      );
      await lw.engine.warp(HOUR);
      await orch.tick();
      await lw.engine.warp(GRACE);
      await orch.tick();
      expect(orch.isSettled(first.lease.publicKey)).to.equal(true);
      expect(orch.isSettled(dropped.lease.publicKey)).to.equal(true);
      const before = orch.index.get(proven)!.reliability;
      expect(before).to.be.greaterThan(0);
      orch.detach();
      source.flush();
      // Without a history a restart forgets it; with the indexer's, it is the same as before.
      const forgetful = make();
      await forgetful.recover([]);
      expect(forgetful.index.get(proven)!.reliability).to.equal(0);
      // (Its own index only: it would take the unproven machine again.)
      expect(forgetful.index.place({ model: H100.code, gpus: 8, maxDevices: 1 }).map((d) => d.id)).to.deep.equal([unproven]);
      forgetful.detach();
      const restarted = make({ history: (device) => deviceHistory(db, device) });
      await restarted.recover([]);
      expect(restarted.index.get(proven)!.reliability).to.equal(before);
      // At the same price, the next lease goes to the device with proven hours.
      const next = await lw.open(renter, { gpus: 8, hours: 1, price: PRICE, gpuModel: H100.code, maxDevices: 1 });
      await restarted.tick();
      expect((await restarted.readLease(next.lease.publicKey)).slots[0].device.toBase58()).to.equal(proven);
      await ray.stop(next.lease.publicKey.toBase58());
    } finally {
      source?.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
