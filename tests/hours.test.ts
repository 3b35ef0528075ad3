// The client's hour rules (client/src/hours.ts) against the programs: a lease driven in LiteSVM across
// hour boundaries, second by second where a rule flips, and at each point the instruction the rule
// speaks of is sent: the program must accept it exactly when the rule says so (prove_time of an hour
// not yet ended or past its grace, report_fault, pause, complete, through a pause, a resume and an
// early termination), and the rewards pool's crank exactly when `poolBehind` says it is behind.

import {
  completable,
  faultable,
  LeaseStatus,
  LeasesError,
  leaseEnd,
  leaseHour,
  leaseHourStart,
  pausable,
  poolBehind,
  poolClockHour,
  proofDeadline,
  provableHours,
  RewardsError,
  SlotStatus,
  toBigInt,
} from "@hourglass/client";
import type { Keypair, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { GRACE, HOUR, LeaseWorld, type OpenLease, TOKENS } from "./support/lease-world.ts";
import { RewardsWorld } from "./support/rewards-world.ts";
import { H100 } from "./support/world.ts";

describe("hour rules (client) agree with the programs", () => {
  let lw: LeaseWorld;
  let open: OpenLease;

  const now = async () => Number(await lw.engine.unixTime());
  const at = async (t: number) => {
    const d = t - (await now());
    expect(d, "time only moves forward").to.be.at.least(0);
    if (d > 0) await lw.engine.warp(d);
  };
  /** Sends `ixs`: it must go through when `rule` holds and be refused with `refusal` otherwise. */
  const agree = async (
    rule: boolean,
    what: string,
    ixs: TransactionInstruction | TransactionInstruction[],
    signers: Keypair[],
    refusal: keyof typeof LeasesError,
  ) => {
    if (rule) await lw.ok(what, ixs, signers);
    else await lw.rejects(ixs, signers, LeasesError[refusal], open);
  };
  const prove = async (slot: number, first: number, count: number, refusal: keyof typeof LeasesError) => {
    const { lease: l, slots } = await lw.state(open);
    const hours = provableHours(l, slots[slot], await now());
    await agree(
      hours !== null && hours.first === first && hours.count === count,
      "prove_time",
      await lw.proveIxs(open, [lw.attest(open, slot, first, count)]),
      [lw.attester],
      refusal,
    );
  };
  const fault = async (slot: number) => {
    const { lease: l, slots } = await lw.state(open);
    const ix = await lw.leases.reportFault({
      caller: lw.attester.publicKey,
      lease: open.lease.publicKey,
      slot,
      device: slots[slot].device,
      stakingTreasury: lw.w.treasury,
    });
    await agree(faultable(l, slots[slot], await now()), "report_fault", ix, [lw.attester], "NotFaulted");
  };
  const pause = async () => {
    const { lease: l } = await lw.state(open);
    await agree(
      pausable(l, await now()),
      "pause",
      await lw.leases.pause({ caller: lw.attester.publicKey, lease: open.lease.publicKey }),
      [lw.attester],
      "NotPausable",
    );
  };
  const complete = async () => {
    const { lease: l } = await lw.state(open);
    const ix = await lw.leases.complete({
      caller: lw.attester.publicKey,
      lease: open.lease.publicKey,
      escrow: open.escrow.publicKey,
      renterTokens: open.renterTokens,
    });
    await agree(completable(l, await now()), "complete", ix, [lw.attester], "LeaseNotEnded");
  };

  before(async () => {
    lw = await LeaseWorld.create("litesvm", GRACE);
    const devices = await lw.stakedDevices(2, H100, 1);
    const renter = await lw.newRenter();
    open = await lw.open(renter, { gpus: 2, hours: 3, price: TOKENS, gpuModel: H100.code, maxDevices: 2 });
    for (const d of devices) await lw.assign(open, d);
  });

  it("a lease's hours, its proofs, faults, pause, resume and settlement, at each boundary", async () => {
    let { lease: l } = await lw.state(open);
    const origin = Number(toBigInt(l.origin));
    expect(leaseHour(l, await now())).to.equal(0);
    expect(leaseHourStart(l, 2)).to.equal(origin + 2 * HOUR);
    expect(leaseEnd(l)).to.equal(origin + 3 * HOUR);

    // Hour 0 has not ended: refused up to its last second, accepted from the next.
    await prove(0, 0, 1, "FutureHour");
    await at(origin + HOUR - 1);
    expect(leaseHour(l, await now())).to.equal(0);
    await prove(0, 0, 1, "FutureHour");
    await at(origin + HOUR);
    expect(leaseHour(l, await now())).to.equal(1);
    await prove(0, 0, 1, "FutureHour");

    // Device 1 never proves hour 0: in grace up to hour 1's start plus the grace, faulted one second later.
    ({ lease: l } = await lw.state(open));
    expect(proofDeadline(l, 0)).to.equal(origin + HOUR + GRACE);
    await at(origin + HOUR + GRACE);
    await fault(1);
    expect(provableHours(l, (await lw.state(open)).slots[1], await now())).to.deep.equal({ first: 0, count: 1 });
    await at(origin + HOUR + GRACE + 1);
    await prove(1, 0, 1, "ProofTooLate");
    await fault(1);
    expect((await lw.state(open)).slots[1].status).to.equal(SlotStatus.Faulted);
    await prove(1, 0, 1, "SlotNotActive");

    // Hours 1 and 2 of device 0; the lease pauses exactly when its booked hours are used up.
    await at(origin + 2 * HOUR);
    await prove(0, 1, 1, "FutureHour");
    await at(origin + 3 * HOUR - 1);
    await pause();
    await complete();
    await at(origin + 3 * HOUR);
    await pause();
    ({ lease: l } = await lw.state(open));
    expect(l.status).to.equal(LeaseStatus.Paused);
    // The clock stands still while paused: hour 2 (ended at the pause) is provable, nothing after it.
    await lw.engine.warp(600);
    expect(leaseHour(l, await now())).to.equal(3);
    await prove(0, 2, 1, "FutureHour");

    // The renter extends: the lease resumes with its origin shifted by the pause.
    await lw.extend(open, 1);
    ({ lease: l } = await lw.state(open));
    expect(l.status).to.equal(LeaseStatus.Active);
    const resumed = Number(toBigInt(l.origin));
    expect(resumed).to.equal(origin + 600);
    expect(leaseHour(l, await now())).to.equal(3);
    await at(resumed + 4 * HOUR - 1);
    await prove(0, 3, 1, "FutureHour");
    await pause();
    await at(resumed + 4 * HOUR);
    await prove(0, 3, 1, "FutureHour");
    await pause();

    // Settled exactly at the end (the pause) plus the grace.
    ({ lease: l } = await lw.state(open));
    expect(leaseEnd(l)).to.equal(resumed + 4 * HOUR);
    await at(leaseEnd(l) + GRACE - 1);
    await complete();
    await at(leaseEnd(l) + GRACE);
    await complete();
    ({ lease: l } = await lw.state(open));
    expect(l.status).to.equal(LeaseStatus.Settled);
    expect(completable(l, await now())).to.equal(false);
    expect(provableHours(l, (await lw.state(open)).slots[0], await now())).to.equal(null);
  });

  it("a terminated lease: its end is the hours that ran, proven in grace, settled at end plus grace", async () => {
    const [device] = await lw.stakedDevices(1, H100, 1);
    open = await lw.open(await lw.newRenter(), { gpus: 1, hours: 3, price: TOKENS, gpuModel: H100.code, maxDevices: 1 });
    await lw.assign(open, device);
    const origin = Number(toBigInt((await lw.state(open)).lease.origin));
    await at(origin + HOUR + 600);
    const ix = await lw.leases.terminate({
      renter: open.renter.wallet.publicKey,
      lease: open.lease.publicKey,
      escrow: open.escrow.publicKey,
      renterTokens: open.renterTokens,
    });
    await lw.ok("terminate", ix, [open.renter.wallet]);
    const { lease: l } = await lw.state(open);
    expect([l.status, l.hoursBooked, leaseEnd(l), leaseHour(l, await now())]).to.deep.equal([LeaseStatus.Terminated, 1, origin + HOUR, 1]);
    expect(pausable(l, await now())).to.equal(false);
    await prove(0, 1, 1, "FutureHour");
    await prove(0, 0, 1, "FutureHour");
    await at(origin + HOUR + GRACE - 1);
    await complete();
    await at(origin + HOUR + GRACE);
    await complete();
  });

  it("the pool's clock: crank emits exactly when the pool is behind it", async () => {
    const rw = await RewardsWorld.create("litesvm");
    const pool = () => rw.pool();
    const t = async () => Number(await rw.engine.unixTime());
    const crank = async () => {
      const p = await pool();
      const ix = await rw.rewards.crank({ caller: rw.attester.publicKey, rewardMint: rw.rewardMint });
      if (poolBehind(p, await t())) await rw.ok("crank", ix, [rw.attester]);
      else await rw.rejects(ix, [rw.attester], RewardsError.NothingToEmit);
    };
    const start = Number(toBigInt((await pool()).startTime));
    await rw.engine.warp(start + HOUR - 1 - (await t()));
    expect(poolClockHour(await pool(), await t())).to.equal(0);
    await crank();
    await rw.engine.warp(1);
    expect(poolClockHour(await pool(), await t())).to.equal(1);
    await crank();
    expect((await pool()).nextHour).to.equal(1);
    await crank();
    await rw.engine.warp(3 * HOUR);
    await crank();
    expect((await pool()).nextHour).to.equal(4);
  });
});
