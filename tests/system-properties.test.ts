// Property test across the three programs on one chain (fast-check): random sequences of leases opened,
// assigned, proven, extended, terminated, faulted (slashing through the lease authority) and settled,
// suppliers claiming, devices recording uptime, the pool cranked, block rewards and co-stake rewards
// claimed, stake unstaked and withdrawn after the unbonding, co-stakes added and unstaked, devices
// deregistered, and the keeper's denominate pass (the orchestrator's emissions loop). After every
// operation: each mint's supply equals what its holders hold (nothing created or destroyed), every open
// lease's escrow holds exactly what it still owes, the stake vault holds every stake, the reward mint's
// supply equals what the pool emitted, which is exactly the schedule so far, claimed + vault ==
// emitted, and nothing is stranded: every base unit in the reward vault is claimable by a named supplier
// or co-staker or sits in the unallocated bucket (carried into the next hour with weight), but for
// floor-rounding dust of at most one base unit per device settlement. After the keeper's pass no
// ineligible device is nominated.

import { coStakePda, deviceEligible, poolClockHour, provableEnd, scheduleAmounts, toBigInt } from "@hourglass/client";
import { createTokenAccount, type TxResult } from "@hourglass/localchain";
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import fc from "fast-check";
import { HOUR, type OpenLease } from "./support/lease-world.ts";
import { NetworkHistory, PRICE } from "./support/network-history.ts";
import { DECIMALS, type DeviceHandle, UNBONDING_SECONDS } from "./support/world.ts";

type Op =
  | { kind: "open"; gpus: number; hours: number; stable: boolean }
  | { kind: "assign"; lease: number; device: number }
  | { kind: "hours"; n: number }
  | { kind: "prove"; lease: number }
  | { kind: "extend"; lease: number; hours: number }
  | { kind: "terminate"; lease: number }
  | { kind: "settle"; lease: number }
  | { kind: "uptime"; device: number }
  | { kind: "claimRewards"; device: number }
  | { kind: "coStake"; device: number; percent: number }
  | { kind: "coUnstake"; device: number; percent: number }
  | { kind: "unstake"; device: number; percent: number }
  | { kind: "withdraw"; device: number }
  | { kind: "fault"; lease: number }
  | { kind: "deregister"; device: number }
  | { kind: "keeper" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("open" as const),
      gpus: fc.integer({ min: 1, max: 2 }),
      hours: fc.integer({ min: 1, max: 4 }),
      stable: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("assign" as const), lease: fc.nat(3), device: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("hours" as const), n: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(26)) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("prove" as const), lease: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("extend" as const), lease: fc.nat(3), hours: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("terminate" as const), lease: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("settle" as const), lease: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("uptime" as const), device: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("claimRewards" as const), device: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("coStake" as const), device: fc.nat(3), percent: fc.integer({ min: 1, max: 40 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("coUnstake" as const), device: fc.nat(3), percent: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(100)) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("unstake" as const), device: fc.nat(3), percent: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant(100)) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), device: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fault" as const), lease: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deregister" as const), device: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("keeper" as const) }) },
);

describe("system properties across staking, leases and rewards (fast-check, LiteSVM)", function () {
  this.timeout(900_000);

  it("conserves every mint, keeps escrows exact and emissions on schedule under random operations", async () => {
    let runs = 0;
    let steps = 0;
    const done = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (ops) => {
        runs++;
        const h = await NetworkHistory.create("litesvm");
        const { lw, rw } = h;
        const w = lw.w;
        const devices: DeviceHandle[] = await h.devices(4);
        // Suppliers are paid in the lease's mint: each also holds a stable-mint account.
        for (const d of devices)
          (d as DeviceHandle & { stableTokens: PublicKey }).stableTokens = await createTokenAccount(
            h.engine,
            d.supplier.wallet,
            lw.stableMint,
            d.supplier.wallet.publicKey,
          );
        const renter = await lw.newRenter();
        const backer = await w.newSupplier(1_000_000n * 10n ** BigInt(DECIMALS));
        const backerRewards = await createTokenAccount(h.engine, backer.wallet, rw.rewardMint, backer.wallet.publicKey);
        // Every token account there is: renters', suppliers', the backer's, treasuries, vaults, escrows.
        const holders = new Set(
          [
            ...lw.holders,
            ...rw.payout.values(),
            backerRewards,
            backer.tokens,
            w.treasury,
            w.vault,
            ...devices.flatMap((d) => [d.supplier.tokens, (d as DeviceHandle & { stableTokens: PublicKey }).stableTokens]),
          ].map((k) => k.toBase58()),
        );
        const leases: OpenLease[] = [];
        const synced = new Set<number>();
        // Devices 0 and 1 start nominated (five hours up); the random operations do the rest.
        await h.engine.warp(5 * HOUR);
        await rw.catchUp();
        await rw.ok("record_uptime", await rw.uptimeIxs([0, 1].map((i) => ({ device: devices[i], first: 0, count: 5 }))), [rw.attester]);
        const nextUptime = [5, 5, 0, 0];
        // The backer starts with a co-stake on device 0, recorded with the pool.
        await w.ok("co_stake", await w.coStakeIx(devices[0], backer, w.minimum(devices[0]) / 5n), [backer.wallet]);
        w.coStakers.push({ device: devices[0], staker: backer });
        await rw.ok("sync_co_stake", await rw.syncIx(devices[0], backer.wallet.publicKey), [backer.wallet]);
        synced.add(0);
        const record = (kind: string) => done.set(kind, (done.get(kind) ?? 0) + 1);

        for (const o of ops) {
          const L = lw.leases;
          // Lease 0 is the newest, so sequences mostly work on leases still running.
          const lease = "lease" in o && leases.length > 0 ? leases[leases.length - 1 - (o.lease % leases.length)] : undefined;
          let res: TxResult | undefined;
          if (o.kind === "open") {
            const opened = await lw.open(renter, { gpus: o.gpus, hours: o.hours, price: PRICE, stable: o.stable });
            leases.push(opened);
            holders.add(opened.escrow.publicKey.toBase58());
            record("open");
            // Placed at once where devices are free, as the orchestrator would.
            for (const d of devices) {
              if (opened.devices.length >= o.gpus) break;
              const r = await lw.send(
                "assign_device",
                await L.assignDevice({ attester: lw.attester.publicKey, lease: opened.lease.publicKey, device: d.address }),
                [lw.attester],
              );
              if (r.ok) {
                opened.devices.push(d);
                record("assign");
              }
            }
          } else if (o.kind === "hours") {
            await h.engine.warp(o.n * HOUR);
            await rw.catchUp();
            record("hours");
          } else if (o.kind === "uptime") {
            const d = devices[o.device];
            const p = await rw.pool();
            const clock = poolClockHour(p, Number(await h.engine.unixTime()));
            const first = Math.max(nextUptime[o.device], clock - 2);
            if (first >= clock) continue;
            await rw.catchUp();
            res = await rw.send("record_uptime", await rw.uptimeIxs([{ device: d, first, count: clock - first }]), [rw.attester]);
            if (res.ok) nextUptime[o.device] = clock;
          } else if (o.kind === "claimRewards") {
            const d = devices[o.device];
            res = await rw.send("claim", await rw.claimIx(d), [d.supplier.wallet]);
            // The backer claims on every device it synced on.
            for (const i of synced) {
              const co = await rw.send(
                "claim_co_stake",
                await rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: devices[i].address, destination: backerRewards }),
                [backer.wallet],
              );
              if (co.ok) record("claimCoStake");
            }
          } else if (o.kind === "coStake") {
            const d = devices[o.device];
            res = await w.send("co_stake", await w.coStakeIx(d, backer, (w.minimum(d) * BigInt(o.percent)) / 100n), [backer.wallet]);
            if (res.ok) {
              if (!w.coStakers.some((c) => c.device === d)) w.coStakers.push({ device: d, staker: backer });
              await rw.ok("sync_co_stake", await rw.syncIx(d, backer.wallet.publicKey), [backer.wallet]);
              synced.add(o.device);
            }
          } else if (o.kind === "coUnstake") {
            // On one of the devices the backer co-stakes on.
            if (synced.size === 0) continue;
            const d = devices[[...synced][o.device % synced.size]];
            const acc = await h.engine.getAccount(coStakePda(d.address, backer.wallet.publicKey)[0]);
            if (!acc || acc.data.length === 0) continue;
            const amount = (toBigInt(w.staking.decodeCoStake(acc.data).amount) * BigInt(o.percent)) / 100n;
            if (amount === 0n) continue;
            // Not synced: the co-staker is paid on the smaller stake at its next claim.
            res = await w.send("co_unstake", await w.staking.coUnstake({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, amount }), [
              backer.wallet,
            ]);
          } else if (o.kind === "unstake") {
            const d = devices[o.device];
            const acc = await h.engine.getAccount(d.address);
            if (!acc) continue;
            const stake = toBigInt(w.staking.decodeDevice(acc.data).stake);
            const amount = (stake * BigInt(o.percent)) / 100n;
            if (amount === 0n) continue;
            res = await w.send(
              "request_unstake",
              await w.staking.requestUnstake({ supplier: d.supplier.wallet.publicKey, deviceKey: d.key.publicKey, amount }),
              [d.supplier.wallet],
            );
          } else if (o.kind === "withdraw") {
            // The unbonding (14 days) has to pass: the clock is moved to the later unlock, and the pool
            // cranked through the hours.
            const d = devices[o.device];
            const acc = await h.engine.getAccount(d.address);
            if (!acc) continue;
            const dev = w.staking.decodeDevice(acc.data);
            const co = await h.engine.getAccount(coStakePda(d.address, backer.wallet.publicKey)[0]);
            const coUnlock =
              co && co.data.length > 0 && toBigInt(w.staking.decodeCoStake(co.data).unbondingAmount) > 0n
                ? toBigInt(w.staking.decodeCoStake(co.data).unbondingUnlockAt)
                : 0n;
            const unlock = toBigInt(dev.unbondingAmount) > 0n ? toBigInt(dev.unbondingUnlockAt) : 0n;
            const until = unlock > coUnlock ? unlock : coUnlock;
            if (until === 0n) continue;
            const now = await h.engine.unixTime();
            if (until > now) await h.engine.warp(Number(until - now));
            await rw.catchUp();
            if (unlock > 0n) {
              res = await w.send(
                "withdraw",
                await w.staking.withdraw({ supplier: d.supplier.wallet.publicKey, deviceKey: d.key.publicKey, destination: d.supplier.tokens }),
                [d.supplier.wallet],
              );
              if (res.ok) record("withdraw");
            }
            if (coUnlock > 0n) {
              const r2 = await w.send(
                "co_withdraw",
                await w.staking.coWithdraw({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, destination: backer.tokens }),
                [backer.wallet],
              );
              if (r2.ok) record("coWithdraw");
            }
            res = undefined;
          } else if (o.kind === "deregister") {
            // The whole exit: supplier and backer unstake everything, the unbonding passes, both
            // withdraw, and the device deregisters (each step refused where the rules say so, e.g. while
            // leased).
            const d = devices[o.device];
            const acc = await h.engine.getAccount(d.address);
            if (!acc) continue;
            const coKey = coStakePda(d.address, backer.wallet.publicKey)[0];
            const co = await h.engine.getAccount(coKey);
            if (co && co.data.length > 0 && toBigInt(w.staking.decodeCoStake(co.data).amount) > 0n) {
              const r2 = await w.send(
                "co_unstake",
                await w.staking.coUnstake({
                  staker: backer.wallet.publicKey,
                  deviceKey: d.key.publicKey,
                  amount: toBigInt(w.staking.decodeCoStake(co.data).amount),
                }),
                [backer.wallet],
              );
              if (r2.ok) record("coUnstake");
            }
            const stake = toBigInt(w.staking.decodeDevice(acc.data).stake);
            if (stake > 0n) {
              const r2 = await w.send(
                "request_unstake",
                await w.staking.requestUnstake({ supplier: d.supplier.wallet.publicKey, deviceKey: d.key.publicKey, amount: stake }),
                [d.supplier.wallet],
              );
              if (r2.ok) record("unstake");
            }
            await h.engine.warp(UNBONDING_SECONDS + 1);
            await rw.catchUp();
            if (
              (
                await w.send(
                  "co_withdraw",
                  await w.staking.coWithdraw({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, destination: backer.tokens }),
                  [backer.wallet],
                )
              ).ok
            )
              record("coWithdraw");
            if (
              (
                await w.send(
                  "withdraw",
                  await w.staking.withdraw({ supplier: d.supplier.wallet.publicKey, deviceKey: d.key.publicKey, destination: d.supplier.tokens }),
                  [d.supplier.wallet],
                )
              ).ok
            )
              record("withdraw");
            res = await w.send("deregister", await w.staking.deregister({ supplier: d.supplier.wallet.publicKey, deviceKey: d.key.publicKey }), [
              d.supplier.wallet,
            ]);
          } else if (o.kind === "keeper") {
            // The orchestrator's emissions loop: crank, then take out every nominated device that is
            // no longer eligible (or fell behind); afterwards none is left nominated.
            await rw.catchUp();
            const mintDecimals = DECIMALS;
            for (const d of devices) {
              const r = await rw.record(d);
              if (!r.nominated) continue;
              const acc = await h.engine.getAccount(d.address);
              const dev = acc ? w.staking.decodeDevice(acc.data) : null;
              if (deviceEligible(dev, mintDecimals, r.owner)) continue;
              await rw.ok("denominate", await rw.rewards.denominate({ caller: rw.attester.publicKey, device: d.address }), [rw.attester]);
              record("denominate");
            }
            for (const d of devices) {
              const r = await rw.record(d);
              const acc = await h.engine.getAccount(d.address);
              if (r.nominated)
                expect(
                  deviceEligible(acc ? w.staking.decodeDevice(acc.data) : null, mintDecimals, r.owner),
                  `${d.address.toBase58()} nominated while ineligible`,
                ).to.equal(true);
            }
            res = undefined;
          } else if (lease && o.kind === "fault") {
            const acc = await h.engine.getAccount(lease.lease.publicKey);
            if (!acc) continue;
            const { slots } = L.decodeLease(acc.data);
            for (let i = 0; i < slots.length; i++) {
              // Refused unless the device fell behind its lease by more than the grace.
              const r2 = await lw.send(
                "report_fault",
                await L.reportFault({
                  caller: lw.attester.publicKey,
                  lease: lease.lease.publicKey,
                  slot: i,
                  device: slots[i].device,
                  stakingTreasury: w.treasury,
                }),
                [lw.attester],
              );
              if (r2.ok) record("fault");
            }
            res = undefined;
          } else if (lease && o.kind === "assign") {
            const d = devices[o.device];
            res = await lw.send("assign_device", await L.assignDevice({ attester: lw.attester.publicKey, lease: lease.lease.publicKey, device: d.address }), [
              lw.attester,
            ]);
            if (res.ok) lease.devices.push(d);
          } else if (lease && o.kind === "prove") {
            const acc = await h.engine.getAccount(lease.lease.publicKey);
            if (!acc) continue;
            const { lease: l, slots } = L.decodeLease(acc.data);
            const end = provableEnd(l, Number(await h.engine.unixTime()));
            const atts = slots
              .map((s, i) => ({ s, i }))
              .filter(({ s }) => s.nextHour < end)
              .slice(0, 5);
            if (atts.length === 0) continue;
            res = await lw.send(
              "prove_time",
              await lw.proveIxs(
                lease,
                atts.map(({ s, i }) => lw.attest(lease, i, s.nextHour, end - s.nextHour)),
              ),
              [lw.attester],
            );
          } else if (lease && o.kind === "extend") {
            res = await lw.send("extend", await lw.extendIx(lease, o.hours), [renter.wallet]);
          } else if (lease && o.kind === "terminate") {
            res = await lw.send("terminate", await lw.terminateIx(lease), [renter.wallet]);
          } else if (lease && o.kind === "settle") {
            res = await lw.send(
              "complete",
              await L.complete({
                caller: lw.attester.publicKey,
                lease: lease.lease.publicKey,
                escrow: lease.escrow.publicKey,
                renterTokens: lease.renterTokens,
              }),
              [lw.attester],
            );
            const acc = await h.engine.getAccount(lease.lease.publicKey);
            if (acc) {
              const { slots } = L.decodeLease(acc.data);
              for (let i = 0; i < slots.length; i++) {
                if (slots[i].provenHours > slots[i].claimedHours) {
                  const supplierTokens = lw.supplierTokens(lease.devices[i], lease);
                  await lw.send(
                    "claim",
                    await L.claim({
                      caller: lw.attester.publicKey,
                      lease: lease.lease.publicKey,
                      escrow: lease.escrow.publicKey,
                      slot: i,
                      supplierTokens,
                      treasury: lease.treasury,
                    }),
                    [lw.attester],
                  );
                }
              }
            }
          } else {
            continue;
          }
          if (res?.ok) record(o.kind);
          steps++;
          // Invariants after every operation, whether it succeeded or was refused.
          for (const mint of [w.mint, lw.stableMint]) {
            const supply = (await h.engine.getAccount(mint))!.data.readBigUInt64LE(36);
            let held = 0n;
            for (const k of holders) {
              const a = await h.engine.getAccount(new PublicKey(k));
              if (a && a.data.length === 165 && a.data.subarray(0, 32).equals(mint.toBuffer())) held += a.data.readBigUInt64LE(64);
            }
            expect(held, `supply of ${mint.toBase58()} after ${o.kind}`).to.equal(supply);
          }
          for (const l of leases) await lw.checkEscrow(l);
          await w.checkVaultInvariant();
          await rw.checkNothingStranded(4n * BigInt(rw.sent) + 1n);
          const p = await rw.pool();
          const emitted = toBigInt(p.totalEmitted);
          expect(emitted).to.equal(scheduleAmounts(DECIMALS, 0, p.nextHour).reduce((x, y) => x + y, 0n));
          expect((await h.engine.getAccount(rw.rewardMint))!.data.readBigUInt64LE(36)).to.equal(emitted);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
    expect(runs).to.equal(40);
    console.log(`      ${steps} operations checked; succeeded: ${[...done].map(([k, n]) => `${k} ${n}`).join(", ")}`);
    for (const kind of [
      "open",
      "assign",
      "prove",
      "settle",
      "uptime",
      "claimRewards",
      "claimCoStake",
      "coStake",
      "coUnstake",
      "unstake",
      "withdraw",
      "fault",
      "deregister",
      "denominate",
    ])
      expect(done.get(kind) ?? 0, kind).to.be.greaterThan(0);
  });
});
