// Fault injection around the orchestrator, against a real Ray head and the SBF programs in LiteSVM:
// the Ray head restarted in the middle of a lease, device heartbeats delayed (within the grace) or
// dropped, and RPC errors on a third of the orchestrator's transactions. Every lease still ends paid
// for exactly the hours its devices proved and refunded for the rest, to the base unit.

import { LeaseStatus, SlotStatus, toBigInt } from "@hourglass/client";
import type { ObservedEngine } from "@hourglass/localchain";
import type { RayJobsClient } from "@hourglass/orchestrator";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { HOUR, TOKENS } from "./support/lease-world.ts";
import { orchestratorWorld } from "./support/orchestrator-world.ts";
import { rng } from "./support/random.ts";
import { useRayHead } from "./support/ray-head.ts";
import { H100 } from "./support/world.ts";

const PRICE = 3n * TOKENS;
const GRACE = 2 * HOUR;
const net = (gross: bigint) => gross - (gross * 25n) / 10_000n;

/** The engine, except that `send` fails with an RPC error on a seeded third of calls. */
function flaky(engine: ObservedEngine, counter: { failed: number }): ObservedEngine {
  const r = rng(12345);
  return {
    ...engine,
    send: async (ixs, signers) => {
      if (r.int(3) === 0) {
        counter.failed++;
        throw new Error("503 Service Unavailable: RPC node overloaded");
      }
      return engine.send(ixs, signers);
    },
  };
}

describe("orchestrator under faults (real Ray head)", function () {
  this.timeout(600_000);
  const { head, ray: client } = useRayHead(6398, 8279);
  let ray: RayJobsClient;
  beforeEach(() => {
    ray = client();
  });

  it("Ray head restarted mid-lease: the job is resubmitted, every hour proven and paid", async () => {
    const sleeping = new Set<string>();
    const { lw, orch } = await orchestratorWorld({ head, ray, grace: GRACE, sleeping });
    const renter = await lw.newRenter();
    const lease = Keypair.generate();
    sleeping.add(lease.publicKey.toBase58());
    const o = await lw.open(renter, { gpus: 8, hours: 3, price: PRICE, gpuModel: H100.code, maxDevices: 1, lease });
    await orch.tick();
    expect((await ray.find(lease.publicKey.toBase58()))?.status).to.equal("RUNNING");
    await lw.engine.warp(HOUR);
    await orch.tick();
    expect((await orch.readLease(o.lease.publicKey)).slots[0].provenHours).to.equal(1);
    // The head goes away for an hour: ticks keep going, nothing is proven.
    await head.stop();
    await lw.engine.warp(HOUR);
    await orch.tick();
    expect((await orch.readLease(o.lease.publicKey)).slots[0].provenHours).to.equal(1);
    // It comes back empty: the lease's job is submitted again and the missed hour is proven in grace.
    await head.start();
    await orch.tick();
    expect((await ray.find(lease.publicKey.toBase58()))?.status).to.equal("RUNNING");
    expect((await orch.readLease(o.lease.publicKey)).slots[0].provenHours).to.equal(2);
    await lw.engine.warp(HOUR);
    await orch.tick();
    await lw.engine.warp(GRACE);
    await orch.tick();
    const after = await orch.readLease(o.lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(after.slots[0].provenHours).to.equal(3);
    expect(await lw.w.balance(getAssociatedTokenAddressSync(lw.w.mint, after.slots[0].owner))).to.equal(net(PRICE * 8n * 3n));
    expect(await lw.w.balance(o.escrow.publicKey)).to.equal(0n);
  });

  it("heartbeats delayed within the grace are still paid; dropped past it, refunded", async () => {
    const { lw, orch, fleet } = await orchestratorWorld({ head, ray, grace: GRACE });
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 16, hours: 4, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    await orch.tick();
    const { slots } = await orch.readLease(o.lease.publicKey);
    const late = slots[0].device.toBase58();
    const gone = slots[1].device.toBase58();
    const heard = (device: string, on: boolean) => (on ? fleet.silent.delete(device) : fleet.silent.add(device));
    const renterBefore = await lw.w.balance(renter.network);
    for (let h = 0; h < 4 + GRACE / HOUR + 1; h++) {
      // The late agent misses hours 1 and 2 and catches up from hour 3; the other stops after hour 0.
      heard(late, h < 1 || h >= 3);
      heard(gone, h < 1);
      await lw.engine.warp(HOUR);
      await orch.tick();
    }
    const after = await orch.readLease(o.lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(after.slots[0].provenHours).to.equal(4);
    expect(after.slots[1].status).to.equal(SlotStatus.Faulted);
    expect(after.slots[1].provenHours).to.equal(1);
    expect(await lw.w.balance(getAssociatedTokenAddressSync(lw.w.mint, after.slots[0].owner))).to.equal(net(PRICE * 8n * 4n));
    expect(await lw.w.balance(getAssociatedTokenAddressSync(lw.w.mint, after.slots[1].owner))).to.equal(net(PRICE * 8n * 1n));
    // Settlement refunds the three hours the silent machine did not run into the renter's account.
    expect(await lw.w.balance(getAssociatedTokenAddressSync(lw.w.mint, renter.wallet.publicKey))).to.equal(PRICE * 8n * 3n);
    expect(await lw.w.balance(renter.network)).to.equal(renterBefore);
    expect(await lw.w.balance(o.escrow.publicKey)).to.equal(0n);
  });

  it("RPC errors on a third of the orchestrator's transactions: retried until the lease is paid exactly", async () => {
    const counter = { failed: 0 };
    const { lw, orch } = await orchestratorWorld({ head, ray, grace: GRACE, engine: (e) => flaky(e, counter) });
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 16, hours: 3, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    for (let i = 0; i < 5 && (await orch.readLease(o.lease.publicKey)).slots.length < 2; i++) await orch.tick();
    for (let h = 0; h < 3 + GRACE / HOUR; h++) {
      await lw.engine.warp(HOUR);
      for (let i = 0; i < 4; i++) await orch.tick(); // a few ticks an hour, as the loop runs every few seconds
    }
    for (let i = 0; i < 10 && !orch.isSettled(o.lease.publicKey); i++) await orch.tick();
    expect(counter.failed, "RPC errors injected").to.be.at.least(3);
    const after = await orch.readLease(o.lease.publicKey);
    expect(after.lease.status).to.equal(LeaseStatus.Settled);
    expect(after.slots.map((s) => s.provenHours)).to.deep.equal([3, 3]);
    expect(after.slots.every((s) => s.released)).to.equal(true);
    for (const s of after.slots) expect(await lw.w.balance(getAssociatedTokenAddressSync(lw.w.mint, s.owner))).to.equal(net(PRICE * 8n * 3n));
    expect(toBigInt(after.lease.claimedTotal)).to.equal(PRICE * 16n * 3n);
    expect(await lw.w.balance(o.escrow.publicKey)).to.equal(0n);
  });
});
