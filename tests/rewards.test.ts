// The rewards program as SBF: the schedule emitted hour by hour, nomination after five proven hours,
// weighted shares through the accumulator (checked against an exact model), claims in O(1), pause,
// the circuit breaker, and uptime forgeries. Ed25519 checks are meaningful on LiteSVM only.

import {
  CoreError,
  deviceRewardPda,
  effectiveCoStake,
  HOURS,
  parseEvents,
  poolPda,
  RewardsClient,
  RewardsError,
  rewardsIdl,
  SlashReason,
  StakingError,
  scheduleAmounts,
  signUptime,
  toBigInt,
} from "@hourglass/client";
import { createMint, createTokenAccount } from "@hourglass/localchain";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import fc from "fast-check";
import { LeaseWorld } from "./support/lease-world.ts";
import { PRICE } from "./support/network-history.ts";
import { HOUR, RewardsModel, RewardsWorld } from "./support/rewards-world.ts";
import { DECIMALS, type DeviceHandle, ENGINES, MAX_SLASH_BPS, RTX4070, UNBONDING_SECONDS } from "./support/world.ts";

/** Program error codes by name (generated from the IDLs). */
const E = RewardsError;
const WEIGHT_PER_GPU = 3_000n; // RTX 4070: 2,500 bps x bandwidth tier 3 (12,000 bps) / 10,000

for (const engineName of ENGINES) {
  describe(`rewards program on ${engineName}`, () => {
    it("emits the schedule hour by hour, many hours per crank, matching the TypeScript schedule", async () => {
      const rw = await RewardsWorld.create(engineName);
      await rw.engine.warp(72 * HOUR);
      const res = await rw.crank();
      expect(res.logs.some((l) => l.includes("Log truncated"))).to.equal(false);
      const events = parseEvents(rewardsIdl, res.logs).filter((e) => e.name === "HourEmitted");
      expect(events).to.have.length(72);
      const expected = scheduleAmounts(DECIMALS, 0, 72);
      expect(events.map((e) => toBigInt(e.data.amount))).to.deep.equal(expected);
      expect(expected[0]).to.equal(4_566_210_000n);
      const p = await rw.pool();
      expect(p.nextHour).to.equal(72);
      expect(toBigInt(p.unallocated)).to.equal(expected.reduce((a, b) => a + b, 0n));
      await rw.checkPool();
      await rw.rejects(await rw.rewards.crank({ caller: rw.attester.publicKey, rewardMint: rw.rewardMint }), [rw.attester], E.NothingToEmit);
      expect(rw.cu.get("crank")! / 72, "CU per hour").to.be.at.most(3_000);
    });

    it("nominates after five proven hours and pays shares that follow the weights exactly", async () => {
      const rw = await RewardsWorld.create(engineName);
      const [a, b] = await rw.devices(2, 1);
      const model = new RewardsModel();
      const stake = rw.w.minimum(a);
      model.register("a", stake);
      model.register("b", stake);
      await rw.pass(model, 5);
      const nominated = await rw.recordUptime([
        { device: a, first: 0, count: 5 },
        { device: b, first: 0, count: 3 },
      ]);
      expect(parseEvents(rewardsIdl, nominated.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded", "DeviceNominated", "UptimeRecorded"]);
      model.supplierStake("a", stake);
      model.nominate("a", WEIGHT_PER_GPU, scheduleAmounts(DECIMALS, 5, 1)[0]);
      model.supplierStake("b", stake);
      expect((await rw.record(a)).nominated).to.equal(true);
      expect((await rw.record(b)).nominated).to.equal(false);

      await rw.pass(model, 3);
      // Hours 0-5 had no weight: carried whole into hour 6, A's first.
      expect(toBigInt((await rw.pool()).unallocated)).to.equal(0n);
      await rw.rejects(await rw.claimIx(b), [b.supplier.wallet], E.NothingToClaim);
      // B catches up to a streak of 8 during hour 8 and counts from hour 9; A keeps proving.
      await rw.recordUptime([
        { device: b, first: 3, count: 5 },
        { device: a, first: 5, count: 3 },
      ]);
      model.supplierStake("b", stake);
      model.nominate("b", WEIGHT_PER_GPU, scheduleAmounts(DECIMALS, 8, 1)[0]);
      model.supplierStake("a", stake);
      await rw.pass(model, 4);

      let paid = 0n;
      for (const [d, id] of [
        [a, "a"],
        [b, "b"],
      ] as const) {
        const before = await rw.w.balance(rw.payout.get(d.address.toBase58())!);
        await rw.ok("claim", await rw.claimIx(d), [d.supplier.wallet]);
        const got = (await rw.w.balance(rw.payout.get(d.address.toBase58())!)) - before;
        expect(got, id).to.equal(model.claim(id, stake));
        paid += got;
      }
      // Everything emitted went to the two suppliers, less a base unit of rounding per settlement.
      const emitted = scheduleAmounts(DECIMALS, 0, 12).reduce((x, y) => x + y, 0n);
      expect(emitted - paid >= 0n && emitted - paid <= 6n, `${emitted - paid}`).to.equal(true);
      await rw.rejects(await rw.claimIx(a), [a.supplier.wallet], E.NothingToClaim);
      await rw.rejects(
        await rw.rewards.claim({ owner: b.supplier.wallet.publicKey, device: a.address, destination: rw.payout.get(b.address.toBase58())! }),
        [b.supplier.wallet],
        E.NotOwner,
      );
      await rw.checkNothingStranded(6n);
    });

    it("pauses without losing accrued rewards and resumes at the same hour", async () => {
      const rw = await RewardsWorld.create(engineName);
      const [a] = await rw.devices(1);
      await rw.engine.warp(5 * HOUR);
      await rw.crank();
      await rw.recordUptime([{ device: a, first: 0, count: 5 }]);
      await rw.engine.warp(2 * HOUR);
      await rw.crank();
      const stranger = Keypair.generate();
      await rw.engine.airdrop(stranger.publicKey, 1_000_000_000n);
      await rw.rejects(await rw.rewards.setPaused({ authority: stranger.publicKey, paused: true }), [stranger], E.NotPoolAuthority);
      await rw.ok("set_paused", await rw.rewards.setPaused({ authority: rw.w.authority.publicKey, paused: true }), [rw.w.authority]);
      await rw.engine.warp(10 * HOUR);
      await rw.rejects(await rw.rewards.crank({ caller: rw.attester.publicKey, rewardMint: rw.rewardMint }), [rw.attester], E.PoolPaused);
      // Accrued rewards stay claimable while paused.
      await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
      await rw.ok("set_paused", await rw.rewards.setPaused({ authority: rw.w.authority.publicKey, paused: false }), [rw.w.authority]);
      await rw.engine.warp(HOUR);
      await rw.crank();
      expect((await rw.pool()).nextHour).to.equal(8);
      await rw.checkPool();
    });

    it("the circuit breaker rejects claims over its cap in the window, then lets them through", async () => {
      const perHour = scheduleAmounts(DECIMALS, 0, 1)[0];
      // Hour 6 (A's first) also shares out what hours 0-5, without weight, left unallocated.
      const firstClaim = scheduleAmounts(DECIMALS, 0, 7).reduce((x, y) => x + y, 0n);
      const rw = await RewardsWorld.create(engineName, { breakerWindowHours: 24, breakerCap: firstClaim + (perHour * 3n) / 2n, graceHours: 2 });
      const [a] = await rw.devices(1);
      await rw.engine.warp(5 * HOUR);
      await rw.crank();
      await rw.recordUptime([{ device: a, first: 0, count: 5 }]); // earns from hour 6
      await rw.engine.warp(2 * HOUR);
      await rw.crank();
      await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]); // hours 0-6, leaving 1.5 hours of the cap
      // The device stops proving; taken out during hour 8, it keeps hours 7 and 8.
      await rw.engine.warp(HOUR);
      await rw.catchUp();
      await rw.ok("denominate", await rw.rewards.denominate({ caller: rw.attester.publicKey, device: a.address }), [rw.attester]);
      await rw.engine.warp(HOUR);
      await rw.catchUp();
      // Two more hours would take the window's outflow over the cap.
      const tripped = await rw.rejects(await rw.claimIx(a), [a.supplier.wallet], E.BreakerTripped, [deviceRewardPda(a.address)[0]]);
      const logged = tripped.logs.find((l) => l.startsWith("Program data: "))!;
      expect(parseEvents(rewardsIdl, [tripped.logs[0], logged]).map((e) => e.name)).to.deep.equal(["BreakerTripped"]);
      await rw.engine.warp(24 * HOUR);
      await rw.catchUp();
      await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
      await rw.checkPool();
    });
  });
}

/** A device at its minimum stake with a co-staker holding half as much, synced, and the exact model. */
async function backedDevice(rw: RewardsWorld, devices: [number, number?] = [1]) {
  const [d] = await rw.devices(...devices);
  const supplierStake = rw.w.minimum(d);
  const backer = await rw.w.newSupplier(100_000n * 10n ** BigInt(DECIMALS));
  const coStake = supplierStake / 2n;
  await rw.w.ok("co_stake", await rw.w.coStakeIx(d, backer, coStake), [backer.wallet]);
  await rw.ok("sync_co_stake", await rw.syncIx(d, backer.wallet.publicKey), [backer.wallet]);
  const backerTokens = await createTokenAccount(rw.engine, backer.wallet, rw.rewardMint, backer.wallet.publicKey);
  const model = new RewardsModel();
  model.register("d", supplierStake);
  model.coCheckpoint("backer", "d", coStake);
  return { d, supplierStake, backer, coStake, backerTokens, model };
}

/** Five hours of uptime from hour 0 nominate `d` ("d" in the model) from hour 6. */
async function nominateAfterFiveHours(rw: RewardsWorld, d: DeviceHandle, model: RewardsModel, supplierStake: bigint) {
  await rw.pass(model, 5);
  await rw.recordUptime([{ device: d, first: 0, count: 5 }]);
  model.supplierStake("d", supplierStake);
  model.nominate("d", WEIGHT_PER_GPU, scheduleAmounts(DECIMALS, 5, 1)[0]);
}

describe("rewards: co-stakers share pro rata (LiteSVM)", () => {
  it("splits a device's rewards between its supplier and co-stakers by recorded stake", async () => {
    const rw = await RewardsWorld.create("litesvm");
    const { d, supplierStake, backer, coStake, backerTokens, model } = await backedDevice(rw, [1, 1]);
    expect(toBigInt((await rw.record(d)).basis)).to.equal(supplierStake + coStake);

    await nominateAfterFiveHours(rw, d, model, supplierStake);
    await rw.pass(model, 6);

    const claimBacker = () => rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: d.address, destination: backerTokens });
    let before = await rw.w.balance(backerTokens);
    await rw.ok("claim_co_stake", await claimBacker(), [backer.wallet]);
    const backerGot = (await rw.w.balance(backerTokens)) - before;
    expect(backerGot).to.equal(model.claimCo("backer", coStake));
    const supplierTokens = rw.payout.get(d.address.toBase58())!;
    before = await rw.w.balance(supplierTokens);
    await rw.ok("claim", await rw.claimIx(d), [d.supplier.wallet]);
    const supplierGot = (await rw.w.balance(supplierTokens)) - before;
    expect(supplierGot).to.equal(model.claim("d", supplierStake));
    // 2 : 1, to within rounding, and nothing of the 11 hours left over (the supplier takes the rounding).
    expect(supplierGot - 2n * backerGot < 10n && 2n * backerGot - supplierGot < 10n).to.equal(true);
    const emitted = scheduleAmounts(DECIMALS, 0, 11).reduce((x, y) => x + y, 0n);
    expect(emitted - supplierGot - backerGot <= 3n).to.equal(true);
    await rw.checkNothingStranded(3n);

    // The backer withdraws half its co-stake without syncing: it is paid on the smaller stake, and the
    // share of the half it took away goes to the supplier, not into the vault for ever.
    await rw.w.ok("co_unstake", await rw.w.staking.coUnstake({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, amount: coStake / 2n }), [
      backer.wallet,
    ]);
    await rw.pass(model, 2);
    before = await rw.w.balance(backerTokens);
    await rw.ok("claim_co_stake", await claimBacker(), [backer.wallet]);
    const second = (await rw.w.balance(backerTokens)) - before;
    expect(second).to.equal(model.claimCo("backer", coStake / 2n));
    await rw.rejects(await claimBacker(), [backer.wallet], E.NothingToClaim);
    before = await rw.w.balance(supplierTokens);
    await rw.ok("claim", await rw.claimIx(d), [d.supplier.wallet]);
    const supplierSecond = (await rw.w.balance(supplierTokens)) - before;
    expect(supplierSecond).to.equal(model.claim("d", supplierStake));
    // Two hours: the backer got a sixth (half its third), the supplier the other five sixths.
    const twoHours = scheduleAmounts(DECIMALS, 11, 2).reduce((x, y) => x + y, 0n);
    expect(5n * second - supplierSecond < 10n && supplierSecond - 5n * second < 10n, `${second} ${supplierSecond}`).to.equal(true);
    expect(twoHours - second - supplierSecond <= 2n).to.equal(true);
    // Someone else cannot claim the backer's share.
    const thief = await rw.w.newSupplier(0n);
    const thiefTokens = await createTokenAccount(rw.engine, thief.wallet, rw.rewardMint, thief.wallet.publicKey);
    const steal = await rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: d.address, destination: thiefTokens });
    steal.keys[0].pubkey = thief.wallet.publicKey;
    await rw.rejects(steal, [thief.wallet], E.NotOwner);
    await rw.checkPool();
  });
});

describe("rewards: uptime rules, denomination, claim cost (LiteSVM)", () => {
  it("rejects replayed, foreign-key, future and unattested uptime, and uptime while the pool is behind", async () => {
    const rw = await RewardsWorld.create("litesvm");
    const [a, b] = await rw.devices(2);
    await rw.engine.warp(6 * HOUR);
    await rw.rejects(await rw.uptimeIxs([{ device: a, first: 0, count: 5 }]), [rw.attester], E.PoolBehind);
    await rw.catchUp();
    // Grace 2 hours: at hour 6, ranges must end at 4 or later.
    await rw.rejects(await rw.uptimeIxs([{ device: a, first: 0, count: 3 }]), [rw.attester], E.FutureHour);
    await rw.recordUptime([{ device: a, first: 3, count: 3 }]);
    await rw.rejects(await rw.uptimeIxs([{ device: a, first: 4, count: 2 }]), [rw.attester], E.UptimeReplayed);
    await rw.rejects(await rw.uptimeIxs([{ device: a, first: 6, count: 1 }]), [rw.attester], E.FutureHour);
    // Signed by B's key, recorded against A's record.
    const [ed, ix] = await rw.uptimeIxs([{ device: b, first: 4, count: 1 }]);
    ix.keys[4].pubkey = deviceRewardPda(a.address)[0];
    await rw.rejects([ed, ix], [rw.attester], E.WrongDeviceKey);
    const impostor = Keypair.generate();
    await rw.engine.airdrop(impostor.publicKey, 1_000_000_000n);
    const [ed2, ix2] = await rw.rewards.recordUptime({
      attester: impostor.publicKey,
      attestations: [(await import("@hourglass/client")).signUptime(a.key, 3, 1)],
    });
    await rw.rejects([ed2, ix2], [impostor], E.NotAttester);
  });

  it("denominates a device that fell behind; it keeps what it earned and earns nothing more", async () => {
    const rw = await RewardsWorld.create("litesvm", { graceHours: 2 });
    const [a] = await rw.devices(1);
    await rw.engine.warp(5 * HOUR);
    await rw.catchUp();
    await rw.recordUptime([{ device: a, first: 0, count: 5 }]);
    const denominate = await rw.rewards.denominate({ caller: rw.attester.publicKey, device: a.address });
    await rw.engine.warp(2 * HOUR);
    await rw.catchUp();
    await rw.rejects(denominate, [rw.attester], E.NotBehind);
    await rw.engine.warp(HOUR);
    await rw.catchUp();
    await rw.ok("denominate", denominate, [rw.attester]);
    // Nominated during hour 5, denominated during hour 8: it earns hours 6, 7 and 8, and hour 6 shares
    // out what hours 0-5 (no weight) left unallocated.
    const earned = scheduleAmounts(DECIMALS, 0, 9).reduce((x, y) => x + y, 0n);
    expect((await rw.record(a)).nominated).to.equal(false);
    await rw.engine.warp(3 * HOUR);
    await rw.catchUp();
    const before = await rw.w.balance(rw.payout.get(a.address.toBase58())!);
    await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
    const paid = (await rw.w.balance(rw.payout.get(a.address.toBase58())!)) - before;
    // The only device and staker: hours 0-8 less a few base units of rounding, nothing after; the
    // hours since, without weight, wait in the unallocated bucket.
    expect(paid <= earned && paid >= earned - 5n, `${paid} vs ${earned}`).to.equal(true);
    const l = await rw.checkNothingStranded(5n);
    expect(l.unallocated).to.equal(scheduleAmounts(DECIMALS, 9, 2).reduce((x, y) => x + y, 0n));
  });

  it("a claim costs the same after 1 hour and after 10,000 hours", async function () {
    this.timeout(300_000);
    const rw = await RewardsWorld.create("litesvm");
    const [a] = await rw.devices(1);
    await rw.engine.warp(5 * HOUR);
    await rw.catchUp();
    await rw.recordUptime([{ device: a, first: 0, count: 5 }]);
    await rw.engine.warp(2 * HOUR);
    await rw.catchUp();
    await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]); // hour 6, its first
    const after1 = rw.cu.get("claim")!;
    await rw.engine.warp(10_000 * HOUR);
    await rw.catchUp();
    await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
    const after10k = rw.cu.get("claim")!;
    // Same work either way; the only difference is the breaker window reset branch (a few CU).
    expect(Math.abs(after10k - after1)).to.be.at.most(20);
    expect(after1).to.be.at.most(5_000);
    expect((await rw.pool()).nextHour).to.equal(10_007);
    await rw.checkPool();
    console.log(`      claim: ${after1} CU after 1 hour, ${after10k} CU after 10,000 hours`);
  });

  it("random stakes, uptime, cranks and claims: claims paid + vault == total emitted == the schedule so far", async function () {
    this.timeout(600_000);
    type Op =
      | { kind: "hours"; n: number }
      | { kind: "uptime"; device: number; gap: number; count: number }
      | { kind: "claim"; device: number }
      | { kind: "coStake"; device: number; percent: number }
      | { kind: "coClaim"; device: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("hours" as const), n: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant("uptime" as const), device: fc.nat(2), gap: fc.nat(1), count: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant("claim" as const), device: fc.nat(2) }),
      fc.record({ kind: fc.constant("coStake" as const), device: fc.nat(2), percent: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant("coClaim" as const), device: fc.nat(2) }),
    );
    let runs = 0;
    let paid = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 16 }), async (ops) => {
        runs++;
        const rw = await RewardsWorld.create("litesvm", { graceHours: 1000 });
        const devices = await rw.devices(3);
        const backer = await rw.w.newSupplier(1_000_000n * 10n ** BigInt(DECIMALS));
        const backerTokens = await createTokenAccount(rw.engine, backer.wallet, rw.rewardMint, backer.wallet.publicKey);
        for (const d of devices) rw.w.coStakers.push({ device: d, staker: backer });
        // Two devices start nominated; the random operations do the rest.
        await rw.engine.warp(5 * HOUR);
        await rw.catchUp();
        await rw.recordUptime([
          { device: devices[0], first: 0, count: 5 },
          { device: devices[1], first: 0, count: 5 },
        ]);
        let claimed = 0n;
        let settles = 4;
        let hour = 5;
        const next = [5, 5, 0];
        for (const o of ops) {
          if (o.kind === "hours") {
            await rw.engine.warp(o.n * HOUR);
            hour += o.n;
            await rw.catchUp();
          } else if (o.kind === "uptime") {
            const first = next[o.device] + o.gap;
            const count = Math.min(o.count, hour - first);
            if (count <= 0) continue;
            await rw.recordUptime([{ device: devices[o.device], first, count }]);
            next[o.device] = first + count;
          } else if (o.kind === "coStake") {
            const d = devices[o.device];
            const amount = (rw.w.minimum(d) * BigInt(o.percent)) / 100n;
            const res = await rw.w.send("co_stake", await rw.w.coStakeIx(d, backer, amount), [backer.wallet]);
            if (!res.ok) expect(res.errorCode).to.equal(StakingError.CoStakeOverHalf);
            await rw.ok("sync_co_stake", await rw.syncIx(d, backer.wallet.publicKey), [backer.wallet]);
          } else {
            const d = devices[o.device];
            const co = o.kind === "coClaim";
            const dest = co ? backerTokens : rw.payout.get(d.address.toBase58())!;
            const before = await rw.w.balance(dest);
            const ix = co
              ? await rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: d.address, destination: backerTokens })
              : await rw.claimIx(d);
            const res = await rw.send("claim", ix, [co ? backer.wallet : d.supplier.wallet]);
            if (res.ok) {
              claimed += (await rw.w.balance(dest)) - before;
              paid++;
            } else {
              // Nothing yet, or (co-stake) never synced on this device.
              expect([E.NothingToClaim, CoreError.WrongOwner]).to.include(res.errorCode);
            }
          }
          settles += 4;
          await rw.checkNothingStranded(BigInt(settles));
        }
        const p = await rw.pool();
        expect(toBigInt(p.totalClaimed)).to.equal(claimed);
        expect(toBigInt(p.totalEmitted)).to.equal(scheduleAmounts(DECIMALS, 0, p.nextHour).reduce((x, y) => x + y, 0n));
        await rw.w.checkVaultInvariant();
      }),
      { numRuns: 15, seed: 7 },
    );
    expect(runs).to.equal(15);
    expect(paid).to.be.greaterThan(0);
  });

  it("the TypeScript schedule totals the cap over all 175,319 hours", () => {
    const all = scheduleAmounts(DECIMALS, 0, HOURS);
    expect(all.reduce((x, y) => x + y, 0n)).to.equal(300_000_000n * 10n ** BigInt(DECIMALS));
    expect(all[HOURS - 2] > 400n * 10n ** 6n && all[HOURS - 2] < 420n * 10n ** 6n).to.equal(true);
  });
});

describe("rewards follow live stake (LiteSVM)", () => {
  it("a device whose supplier unstakes everything leaves from the next hour; the staked device then earns every hour; the share it earned stays its supplier's, even after deregistering", async function () {
    this.timeout(120_000);
    const rw = await RewardsWorld.create("litesvm", { graceHours: 2 });
    const [a, b] = await rw.devices(2);
    const stake = rw.w.minimum(a);
    const model = new RewardsModel();
    model.register("a", stake);
    model.register("b", stake);
    const amount = (h: number) => scheduleAmounts(DECIMALS, h, 1)[0];
    await rw.engine.warp(5 * HOUR);
    await rw.catchUp();
    for (let h = 0; h < 5; h++) model.emit(amount(h));
    await rw.recordUptime([
      { device: a, first: 0, count: 5 },
      { device: b, first: 0, count: 5 },
    ]);
    for (const id of ["a", "b"]) {
      model.supplierStake(id, stake);
      model.nominate(id, WEIGHT_PER_GPU, amount(5));
    }
    await rw.engine.warp(2 * HOUR);
    await rw.catchUp();
    for (let h = 5; h < 7; h++) model.emit(amount(h));

    const stranger = Keypair.generate();
    await rw.engine.airdrop(stranger.publicKey, 1_000_000_000n);
    const denominateB = await rw.rewards.denominate({ caller: stranger.publicKey, device: b.address });
    // Staked, up to date and not paused: nobody can take it out.
    await rw.rejects(denominateB, [stranger], E.NotBehind, [deviceRewardPda(b.address)[0]]);
    // During hour 7 B's supplier unstakes everything; anyone may then take B out, from hour 8.
    await rw.w.ok("request_unstake", await rw.w.staking.requestUnstake({ supplier: b.supplier.wallet.publicKey, deviceKey: b.key.publicKey, amount: stake }), [
      b.supplier.wallet,
    ]);
    const out = await rw.ok("denominate", denominateB, [stranger]);
    const event = parseEvents(rewardsIdl, out.logs).find((e) => e.name === "DeviceDenominated")!;
    expect(event.data.from_hour).to.equal(8);
    model.denominate("b", amount(7));
    model.supplierStake("b", 0n);
    await rw.rejects(denominateB, [stranger], E.NotNominated);

    // The next ten hours: A is the only weight. Uptime keeps coming for both; B is not nominated again.
    await rw.engine.warp(10 * HOUR);
    await rw.catchUp();
    for (let h = 7; h < 17; h++) model.emit(amount(h));
    const rec = await rw.recordUptime([
      { device: b, first: 5, count: 12 },
      { device: a, first: 5, count: 12 },
    ]);
    expect(parseEvents(rewardsIdl, rec.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded", "UptimeRecorded"]);
    model.supplierStake("b", 0n);
    model.supplierStake("a", stake);
    expect((await rw.record(b)).nominated).to.equal(false);
    expect(toBigInt((await rw.pool()).totalWeight)).to.equal(WEIGHT_PER_GPU);

    const aTokens = rw.payout.get(a.address.toBase58())!;
    let before = await rw.w.balance(aTokens);
    await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
    const aPaid = (await rw.w.balance(aTokens)) - before;
    expect(aPaid).to.equal(model.claim("a", stake));
    // A earned all of hours 8-16 and half of hours 0-7 (hours 0-5 carried into hour 6).
    const all = (from: number, n: number) => scheduleAmounts(DECIMALS, from, n).reduce((x, y) => x + y, 0n);
    const aExpected = all(8, 9) + all(0, 8) / 2n;
    expect(aExpected - aPaid >= 0n && aExpected - aPaid <= 4n, `${aPaid} vs ${aExpected}`).to.equal(true);
    await rw.checkNothingStranded(8n);

    // B's supplier waits out the unbonding, withdraws and deregisters (the Device account is closed):
    // what B earned while staked is still its supplier's to claim.
    await rw.engine.warp(UNBONDING_SECONDS + HOUR);
    await rw.catchUp();
    await rw.w.withdrawAndDeregister(b);
    expect(await rw.engine.getAccount(b.address)).to.equal(null);
    const bTokens = rw.payout.get(b.address.toBase58())!;
    before = await rw.w.balance(bTokens);
    await rw.ok("claim", await rw.claimIx(b), [b.supplier.wallet]);
    const bPaid = (await rw.w.balance(bTokens)) - before;
    expect(bPaid).to.equal(model.claim("b", 0n));
    const bExpected = all(0, 8) / 2n;
    expect(bExpected - bPaid >= 0n && bExpected - bPaid <= 4n, `${bPaid} vs ${bExpected}`).to.equal(true);
    await rw.rejects(await rw.claimIx(b), [b.supplier.wallet], E.NothingToClaim);
    // A fell behind during the unbonding and is taken out too; the hours since wait, unallocated.
    await rw.ok("denominate", await rw.rewards.denominate({ caller: stranger.publicKey, device: a.address }), [stranger]);
    await rw.checkNothingStranded(10n);
  });

  it("a paused or under-staked device leaves through record_uptime or denominate and returns only through a fresh nomination; wrong Device or lease accounts are refused", async () => {
    const rw = await RewardsWorld.create("litesvm", { graceHours: 2 });
    const [a, other] = await rw.devices(2);
    await rw.engine.warp(5 * HOUR);
    await rw.catchUp();
    // Signed for A, but B's staking Device passed: refused.
    const [ed, ix] = await rw.uptimeIxs([{ device: a, first: 0, count: 5 }]);
    ix.keys[5].pubkey = other.address;
    await rw.rejects([ed, ix], [rw.attester], E.WrongDevice, [deviceRewardPda(a.address)[0]]);
    // A lease account for a device with none: refused.
    const [ed2, ix2] = await rw.uptimeIxs([{ device: a, first: 0, count: 5 }]);
    ix2.keys[6].pubkey = rw.w.vault;
    await rw.rejects([ed2, ix2], [rw.attester], E.WrongLease, [deviceRewardPda(a.address)[0]]);

    // Paused before its fifth hour is recorded: not nominated.
    const pause = (paused: boolean) => rw.w.staking.setDevicePaused({ supplier: a.supplier.wallet.publicKey, deviceKey: a.key.publicKey, paused });
    await rw.w.ok("set_device_paused", await pause(true), [a.supplier.wallet]);
    let res = await rw.recordUptime([{ device: a, first: 0, count: 5 }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded"]);
    await rw.w.ok("set_device_paused", await pause(false), [a.supplier.wallet]);
    await rw.engine.warp(HOUR);
    await rw.catchUp();
    res = await rw.recordUptime([{ device: a, first: 5, count: 1 }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded", "DeviceNominated"]);
    // Paused while nominated: its next record takes it out, from the next hour.
    await rw.engine.warp(HOUR);
    await rw.catchUp();
    await rw.w.ok("set_device_paused", await pause(true), [a.supplier.wallet]);
    res = await rw.recordUptime([{ device: a, first: 6, count: 1 }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded", "DeviceDenominated"]);
    let r = await rw.record(a);
    expect([r.nominated, toBigInt(r.weight), r.streak]).to.deep.equal([false, 0n, 0]);
    expect(toBigInt((await rw.pool()).pendingSub)).to.equal(WEIGHT_PER_GPU);
    // Resumed: it needs five fresh consecutive hours again.
    await rw.w.ok("set_device_paused", await pause(false), [a.supplier.wallet]);
    await rw.engine.warp(4 * HOUR);
    await rw.catchUp();
    res = await rw.recordUptime([{ device: a, first: 7, count: 4 }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded"]);
    await rw.engine.warp(HOUR);
    await rw.catchUp();
    res = await rw.recordUptime([{ device: a, first: 11, count: 1 }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded", "DeviceNominated"]);
    // One base unit below the minimum: anyone may take it out at once.
    await rw.w.ok("request_unstake", await rw.w.staking.requestUnstake({ supplier: a.supplier.wallet.publicKey, deviceKey: a.key.publicKey, amount: 1n }), [
      a.supplier.wallet,
    ]);
    await rw.ok("denominate", await rw.rewards.denominate({ caller: rw.attester.publicKey, device: a.address }), [rw.attester]);
    r = await rw.record(a);
    expect(r.nominated).to.equal(false);
    // Co-stake brings it back to its minimum: eligible again, but only through nomination.
    const backer = await rw.w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
    await rw.w.ok("co_stake", await rw.w.coStakeIx(a, backer, 1n), [backer.wallet]);
    rw.w.coStakers.push({ device: a, staker: backer });
    await rw.ok("sync_co_stake", await rw.syncIx(a, backer.wallet.publicKey), [backer.wallet]);
    await rw.engine.warp(HOUR);
    await rw.catchUp();
    res = await rw.recordUptime([{ device: a, first: 12, count: 1 }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded"]);
    await rw.engine.warp(12 * HOUR);
    await rw.catchUp();
    await rw.checkNothingStranded(12n);
    await rw.w.checkVaultInvariant();
  });
});

describe("rewards: hours that served a proven lease weigh more (LiteSVM)", () => {
  it("a nominated device whose lease shows new proven hours weighs nominal x the work factor from the next hour, idle again when none; payouts match the exact model", async function () {
    this.timeout(120_000);
    const lw = await LeaseWorld.create("litesvm", 25 * HOUR);
    const rw = await RewardsWorld.attach(lw.w, { workFactorBps: 25_000 });
    expect((await rw.pool()).workFactorBps).to.equal(25_000);
    const [a, b] = await rw.devices(2);
    const stake = rw.w.minimum(a);
    const WORKING = (WEIGHT_PER_GPU * 25_000n) / 10_000n;
    const model = new RewardsModel();
    model.register("a", stake);
    model.register("b", stake);
    const amount = (h: number) => scheduleAmounts(DECIMALS, h, 1)[0];
    const renter = await lw.newRenter();
    const lease = await lw.open(renter, { gpus: 1, hours: 20, price: PRICE });
    await lw.assign(lease, a);

    // Hours 0-4: A serves the lease (proven), B idles. Both are nominated during hour 5; A's record sees
    // five proven lease hours, so it starts at the working weight.
    await rw.engine.warp(5 * HOUR);
    await rw.catchUp();
    for (let h = 0; h < 5; h++) model.emit(amount(h));
    await lw.ok("prove_time", await lw.proveIxs(lease, [lw.attest(lease, 0, 0, 5)]), [lw.attester]);
    // The lease account must be A's current lease.
    await rw.rejects(
      await rw.rewards.recordUptime({ attester: rw.attester.publicKey, attestations: [signUptime(a.key, 0, 5)], leases: [null] }),
      [rw.attester],
      E.WrongLease,
      [deviceRewardPda(a.address)[0]],
    );
    let res = await rw.recordUptime([
      { device: a, first: 0, count: 5 },
      { device: b, first: 0, count: 5 },
    ]);
    const nominated = parseEvents(rewardsIdl, res.logs)
      .filter((e) => e.name === "DeviceNominated")
      .map((e) => toBigInt(e.data.weight));
    expect(nominated).to.deep.equal([WORKING, WEIGHT_PER_GPU]);
    model.supplierStake("a", stake);
    model.nominate("a", WORKING, amount(5));
    model.supplierStake("b", stake);
    model.nominate("b", WEIGHT_PER_GPU, amount(5));
    expect((await rw.record(a)).working).to.equal(true);

    // Each later hour: the pool is cranked, A's lease hour may be proven, then both records are made.
    // A record that saw no new proven hour puts A back to idle weight from the next hour.
    const plan = [true, false, false, true, true, false, true];
    let proven = 5;
    let hour = 5;
    for (const works of plan) {
      await rw.engine.warp(HOUR);
      await rw.catchUp();
      model.emit(amount(hour));
      if (works) {
        await lw.ok("prove_time", await lw.proveIxs(lease, [lw.attest(lease, 0, proven, hour + 1 - proven)]), [lw.attester]);
        proven = hour + 1;
      }
      hour++;
      res = await rw.recordUptime([
        { device: a, first: hour - 1, count: 1 },
        { device: b, first: hour - 1, count: 1 },
      ]);
      model.supplierStake("a", stake);
      const before = model.device("a").weight;
      const target = works ? WORKING : WEIGHT_PER_GPU;
      model.setWeight("a", target, amount(hour));
      model.supplierStake("b", stake);
      const changed = parseEvents(rewardsIdl, res.logs).filter((e) => e.name === "DeviceWeightChanged");
      expect(changed.map((e) => toBigInt(e.data.weight))).to.deep.equal(before === target ? [] : [target]);
      const r = await rw.record(a);
      expect([toBigInt(r.weight), r.working]).to.deep.equal([target, works]);
      expect(toBigInt((await rw.pool()).pendingAdd) - toBigInt((await rw.pool()).pendingSub)).to.equal(target - before);
      // A claim in the middle: the hour in progress, held back at the old weight, is not paid yet.
      if (hour === 9) {
        const tokens = rw.payout.get(a.address.toBase58())!;
        const was = await rw.w.balance(tokens);
        await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
        expect((await rw.w.balance(tokens)) - was).to.equal(model.claim("a", stake));
        await rw.checkNothingStranded(40n);
      }
    }
    await rw.engine.warp(2 * HOUR);
    await rw.catchUp();
    model.emit(amount(hour));
    model.emit(amount(hour + 1));
    const total: Record<string, bigint> = {};
    for (const [d, id] of [
      [a, "a"],
      [b, "b"],
    ] as const) {
      const tokens = rw.payout.get(d.address.toBase58())!;
      total[id] = await rw.w.balance(tokens);
      const was = total[id];
      await rw.ok("claim", await rw.claimIx(d), [d.supplier.wallet]);
      total[id] = await rw.w.balance(tokens);
      expect(total[id] - was, id).to.equal(model.claim(id, stake));
    }
    // A weighed 2.5x B in hours 6, 7, 10, 11 and 13 (hour 6 also shared out hours 0-5), 1x in 8, 9 and 12.
    expect(total.a * 10n > total.b * 18n && total.a * 10n < total.b * 25n, `${total.a} vs ${total.b}`).to.equal(true);
    const l = await rw.checkNothingStranded(40n);
    expect(l.supplierAccrued + l.coOwed + l.unsettled + l.ahead).to.equal(0n);
    await rw.w.checkVaultInvariant();
  });

  it("initialize_pool refuses a work factor under 1x or over 5x", async () => {
    const { World } = await import("./support/world.ts");
    for (const bad of [9_999, 50_001]) {
      const w = await World.create("litesvm");
      const mint = await createMint(w.engine, w.authority, poolPda()[0], DECIMALS);
      const ix = await new RewardsClient().initializePool({
        authority: w.authority.publicKey,
        rewardMint: mint,
        hourLengthSeconds: HOUR,
        graceHours: 2,
        breakerWindowHours: 24,
        breakerCap: 1n,
        workFactorBps: bad,
      });
      const res = await w.engine.send([ix], [w.authority]);
      expect(res.errorCode, `${bad}`).to.equal(E.InvalidPoolParams);
    }
  });
});

describe("rewards: co-stakes at their effective amount, deregistered devices (LiteSVM)", () => {
  it("a co-stake shrunk by a real slash is credited at its effective amount; what it forfeits goes to the supplier", async () => {
    const rw = await RewardsWorld.create("litesvm");
    const { d, supplierStake, backer, coStake, backerTokens, model } = await backedDevice(rw);
    await nominateAfterFiveHours(rw, d, model, supplierStake);
    await rw.pass(model, 4);

    // A real slash of 10%, through the config authority's two steps (proposed, executed 48 hours later):
    // the supplier's stake and every co-stake lose a tenth; the CoStake account itself is brought to the
    // device's co-stake scale lazily, so rewards must read it through CoStake::effective.
    const delayHours = rw.w.staking.decodeConfig((await rw.engine.getAccount(rw.w.config))!.data).slashDelay.toNumber() / HOUR;
    const proposal = { authority: rw.w.authority.publicKey, deviceKey: d.key.publicKey };
    await rw.w.ok("propose_slash", await rw.w.staking.proposeSlash({ ...proposal, bps: MAX_SLASH_BPS, reason: SlashReason.FailedJob }), [rw.w.authority]);
    await rw.pass(model, delayHours);
    await rw.w.ok("execute_slash", await rw.w.staking.executeSlash({ ...proposal, treasury: rw.w.treasury }), [rw.w.authority]);
    const slashed = await rw.w.device(d);
    const position = (await rw.w.coStake(d, backer))!;
    expect(toBigInt(position.amount), "the CoStake account is not rewritten by the slash").to.equal(coStake);
    const liveCo = effectiveCoStake(position, slashed).amount;
    const liveStake = toBigInt(slashed.stake);
    expect(liveCo).to.equal(coStake - coStake / 10n);
    expect(liveStake).to.equal(supplierStake - supplierStake / 10n);

    const before = await rw.w.balance(backerTokens);
    await rw.ok("claim_co_stake", await rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: d.address, destination: backerTokens }), [
      backer.wallet,
    ]);
    const got = (await rw.w.balance(backerTokens)) - before;
    expect(got).to.equal(model.claimCo("backer", liveCo));
    const supplierTokens = rw.payout.get(d.address.toBase58())!;
    const was = await rw.w.balance(supplierTokens);
    await rw.ok("claim", await rw.claimIx(d), [d.supplier.wallet]);
    const supplierGot = (await rw.w.balance(supplierTokens)) - was;
    expect(supplierGot).to.equal(model.claim("d", liveStake));
    // The backer's third of every hour so far counted at nine tenths: 30%; the supplier has the other 70%.
    const all = scheduleAmounts(DECIMALS, 0, 9 + delayHours).reduce((x, y) => x + y, 0n);
    expect(10n * got <= 3n * all && 3n * all - 10n * got < 400n, `${got} of ${all}`).to.equal(true);
    expect(all - got - supplierGot <= 3n).to.equal(true);
    // From now on the recorded stakes are the effective ones.
    expect(toBigInt((await rw.record(d)).basis)).to.equal(liveStake + liveCo);
    await rw.checkNothingStranded(6n);
  });

  it("a nominated device deregistered before anyone denominated it is taken out with its closed Device account", async function () {
    this.timeout(60_000);
    const rw = await RewardsWorld.create("litesvm", { graceHours: 1_000 });
    const [a, b] = await rw.devices(2);
    await rw.engine.warp(5 * HOUR);
    await rw.catchUp();
    await rw.recordUptime([
      { device: a, first: 0, count: 5 },
      { device: b, first: 0, count: 5 },
    ]);
    // B's supplier leaves entirely; nobody runs the keeper meanwhile.
    await rw.w.ok(
      "request_unstake",
      await rw.w.staking.requestUnstake({ supplier: b.supplier.wallet.publicKey, deviceKey: b.key.publicKey, amount: rw.w.minimum(b) }),
      [b.supplier.wallet],
    );
    await rw.engine.warp(UNBONDING_SECONDS + HOUR);
    await rw.catchUp();
    await rw.w.withdrawAndDeregister(b);
    // A passes: it is still eligible and not behind the (long) grace.
    await rw.rejects(await rw.rewards.denominate({ caller: rw.attester.publicKey, device: a.address }), [rw.attester], E.NotBehind);
    await rw.ok("denominate", await rw.rewards.denominate({ caller: rw.attester.publicKey, device: b.address }), [rw.attester]);
    expect(toBigInt((await rw.pool()).pendingSub)).to.equal(WEIGHT_PER_GPU);
    // Its supplier still claims everything B earned while nominated.
    const tokens = rw.payout.get(b.address.toBase58())!;
    const before = await rw.w.balance(tokens);
    await rw.ok("claim", await rw.claimIx(b), [b.supplier.wallet]);
    expect((await rw.w.balance(tokens)) - before > 0n).to.equal(true);
    await rw.checkNothingStranded(8n);
    // The same device key registered again by another wallet and staked: the old reward record (whose
    // owner is B's first supplier) is never nominated again.
    const other = await rw.w.newSupplier(100_000n * 10n ** BigInt(DECIMALS));
    await rw.w.ok(
      "register_device",
      await rw.w.staking.registerDevice({
        supplier: other.wallet.publicKey,
        deviceKey: b.key.publicKey,
        gpuModel: RTX4070.code,
        gpuCount: 1,
        vramGb: 24,
        region: 276,
        bandwidthTier: 3,
      }),
      [other.wallet, b.key],
    );
    const again = { ...b, supplier: other };
    await rw.w.ok("stake", await rw.w.stakeIx(again, rw.w.minimum(again)), [other.wallet]);
    const next = (await rw.record(b)).nextHour;
    const clock = (await rw.pool()).nextHour;
    const res = await rw.recordUptime([{ device: b, first: Math.max(next, clock - 5), count: clock - Math.max(next, clock - 5) }]);
    expect(parseEvents(rewardsIdl, res.logs).map((e) => e.name)).to.deep.equal(["UptimeRecorded"]);
    expect((await rw.record(b)).nominated).to.equal(false);
  });
});
