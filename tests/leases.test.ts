// The lease program (escrow + proof of time-lock) as SBF: the lifecycle hour by hour, a 64-device
// cluster, replays and forgeries, early termination, faults, pause and resume, both payment mints.
// Ed25519 checks run on LiteSVM only: solana-bankrun 0.4 does not verify precompile signatures.

import {
  CoreError,
  DeviceStatus,
  ed25519Instruction,
  eventNamed,
  LeaseStatus,
  LeasesClient,
  LeasesError,
  leasesIdl,
  marketPda,
  networkTreasuryPda,
  parseEvents,
  SlotStatus,
  StakingError,
  stakingIdl,
  toBigInt,
} from "@hourglass/client";
import { createMint, createTokenAccount } from "@hourglass/localchain";
import { Keypair, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { FEES, GRACE, HOUR, LeaseWorld, type OpenLease, TOKENS } from "./support/lease-world.ts";
import { DECIMALS, ENGINES, World } from "./support/world.ts";

/** Program error codes by name (generated from the IDLs). */
const E = { ...CoreError, ...StakingError, ...LeasesError };
/** `ix` with account `index` replaced (and its flags patched). */
const withKey = (ix: TransactionInstruction, index: number, key: PublicKey, patch: { isWritable?: boolean; isSigner?: boolean } = {}) =>
  new TransactionInstruction({ programId: ix.programId, data: ix.data, keys: ix.keys.map((k, i) => (i === index ? { ...k, pubkey: key, ...patch } : k)) });
/** burn_fees account positions. */
const BURN = { caller: 0, market: 1, vault: 2, mint: 3, token: 4 } as const;
const PRICE = 2n * TOKENS; // per GPU-hour
const bps = (amount: bigint, rate: number) => (amount * BigInt(rate)) / 10_000n;

for (const engineName of ENGINES) {
  describe(`lease program on ${engineName}`, () => {
    let lw: LeaseWorld;
    const opened: OpenLease[] = [];

    before(async () => {
      lw = await LeaseWorld.create(engineName, 4 * HOUR);
    });

    afterEach(async () => {
      for (const o of opened) await lw.checkEscrow(o);
      await lw.w.checkVaultInvariant();
    });

    async function settleAndClaim(o: OpenLease) {
      const caller = lw.attester;
      await lw.ok(
        "complete",
        await lw.leases.complete({ caller: caller.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }),
        [caller],
      );
      const { slots } = await lw.state(o);
      for (let i = 0; i < slots.length; i++) {
        if (slots[i].provenHours > slots[i].claimedHours) {
          await lw.ok(
            "claim",
            await lw.leases.claim({
              caller: caller.publicKey,
              lease: o.lease.publicKey,
              escrow: o.escrow.publicKey,
              slot: i,
              supplierTokens: lw.supplierTokens(o.devices[i], o),
              treasury: o.treasury,
            }),
            [caller],
          );
        }
        if (!slots[i].released) {
          await lw.ok(
            "release_device",
            await lw.leases.releaseDevice({ caller: caller.publicKey, lease: o.lease.publicKey, slot: i, device: o.devices[i].address }),
            [caller],
          );
        }
      }
    }

    it("runs a two-device lease hour by hour: proofs pay suppliers, settlement refunds nothing, the lease closes", async () => {
      const renter = await lw.newRenter();
      const devices = await lw.stakedDevices(2);
      const supplyBefore = await lw.supply(lw.w.mint);
      const renterBefore = await lw.w.balance(renter.network);
      const o = await lw.open(renter, { gpus: 2, hours: 3, price: PRICE });
      opened.push(o);
      const principal = PRICE * 2n * 3n;
      expect(renterBefore - (await lw.w.balance(renter.network))).to.equal(principal + bps(principal, FEES.renter));
      for (const d of devices) await lw.assign(o, d);
      expect((await lw.w.device(devices[0])).status).to.equal(DeviceStatus.Leased);

      for (let hour = 0; hour < 3; hour++) {
        await lw.engine.warp(HOUR);
        const res = await lw.prove(o, [lw.attest(o, 0, hour, 1), lw.attest(o, 1, hour, 1)]);
        const events = parseEvents(leasesIdl, res.logs).map((e) => e.name);
        expect(events).to.deep.equal(["TimeProven", "TimeProven"]);
        await lw.checkEscrow(o);
      }
      const { lease, slots } = await lw.state(o);
      expect(toBigInt(lease.earnedTotal)).to.equal(principal);
      expect(slots.map((s) => s.provenHours)).to.deep.equal([3, 3]);

      await lw.rejects(
        await lw.leases.complete({ caller: lw.attester.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }),
        [lw.attester],
        E.LeaseNotEnded,
        o,
      );
      await lw.engine.warp(lw.grace);
      const supplierBefore = await lw.w.balance(devices[0].supplier.tokens);
      await settleAndClaim(o);
      const perDevice = PRICE * 3n;
      expect((await lw.w.balance(devices[0].supplier.tokens)) - supplierBefore).to.equal(perDevice - bps(perDevice, FEES.supplier));
      expect((await lw.w.device(devices[0])).status).to.equal(DeviceStatus.Active);
      await lw.ok("close_lease", await lw.leases.closeLease({ renter: renter.wallet.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey }), [
        renter.wallet,
      ]);
      expect(await lw.engine.getAccount(o.lease.publicKey)).to.equal(null);
      expect(await lw.engine.getAccount(o.escrow.publicKey)).to.equal(null);
      expect(await lw.supply(lw.w.mint)).to.equal(supplyBefore);
    });

    it("early termination pays proven hours only and refunds the rest to the base unit", async () => {
      const renter = await lw.newRenter();
      const devices = await lw.stakedDevices(3);
      const price = 1_234_567n;
      const supplyBefore = await lw.supply(lw.w.mint);
      const renterStart = await lw.w.balance(renter.network);
      const treasuryStart = await lw.w.balance(lw.networkTreasury);
      const o = await lw.open(renter, { gpus: 3, hours: 5, price });
      opened.push(o);
      for (const d of devices) await lw.assign(o, d);
      await lw.engine.warp(2 * HOUR + HOUR / 2);
      await lw.prove(o, [lw.attest(o, 0, 0, 2), lw.attest(o, 1, 0, 1)]);

      const stranger = await lw.newRenter(0n);
      await lw.rejects(
        await lw.leases.terminate({ renter: stranger.wallet.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: stranger.network }),
        [stranger.wallet],
        E.NotRenter,
        o,
      );
      const res = await lw.terminate(o);
      // Hours 2..4 never ran: refunded at once for all 3 GPUs.
      expect(toBigInt(eventNamed(parseEvents(leasesIdl, res.logs)[0], "LeaseTerminated").data.refund)).to.equal(price * 3n * 3n);
      // Hour 1 of device 1 ran and may still be proven within the grace period.
      await lw.prove(o, [lw.attest(o, 1, 1, 1)]);
      await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 2, 2, 1)]), [lw.attester], E.FutureHour, o);
      await lw.engine.warp(lw.grace);
      await settleAndClaim(o);

      const earned = price * 4n; // device 0: 2 hours, device 1: 2 hours, device 2: none
      const principal = price * 3n * 5n;
      const renterFee = bps(principal, FEES.renter);
      expect(renterStart - (await lw.w.balance(renter.network))).to.equal(earned + renterFee);
      const supplierFees = bps(price * 2n, FEES.supplier) * 2n;
      expect((await lw.w.balance(lw.networkTreasury)) - treasuryStart).to.equal(renterFee + supplierFees);
      expect(await lw.w.balance(o.escrow.publicKey)).to.equal(0n);
      expect(await lw.supply(lw.w.mint)).to.equal(supplyBefore);
      expect((await lw.state(o)).lease.status).to.equal(LeaseStatus.Settled);
    });

    it("a device that misses more than the grace is faulted: released, slashed, its hours refunded", async () => {
      const renter = await lw.newRenter();
      const devices = await lw.stakedDevices(2);
      const supplyBefore = await lw.supply(lw.w.mint);
      const o = await lw.open(renter, { gpus: 2, hours: 3, price: PRICE });
      opened.push(o);
      for (const d of devices) await lw.assign(o, d);
      await lw.engine.warp(HOUR);
      await lw.prove(o, [lw.attest(o, 0, 0, 1), lw.attest(o, 1, 0, 1)]);
      await lw.engine.warp(2 * HOUR);
      await lw.prove(o, [lw.attest(o, 0, 1, 2)]);
      const fault = await lw.leases.reportFault({
        caller: lw.attester.publicKey,
        lease: o.lease.publicKey,
        slot: 1,
        device: devices[1].address,
        stakingTreasury: lw.w.treasury,
      });
      // Device 1's next hour is 1, which ended at 2h; its grace runs to 2h + grace. Now it is 3h.
      await lw.rejects(fault, [lw.attester], E.NotFaulted, o);
      await lw.engine.warp(lw.grace - HOUR + 1);
      const stake = toBigInt((await lw.w.device(devices[1])).stake);
      const slashTreasury = await lw.w.balance(lw.w.treasury);
      const res = await lw.ok("report_fault", fault, [lw.attester]);
      expect(parseEvents(leasesIdl, res.logs).map((e) => e.name)).to.include("DeviceFaulted");
      // The staking program's events inside the CPIs are decoded too, attributed to it.
      const cpi = parseEvents([leasesIdl, stakingIdl], res.logs).filter((e) => e.program === stakingIdl.address);
      expect(cpi.map((e) => e.name)).to.include.members(["DeviceSlashed", "DeviceStatusChanged"]);
      const slashed = bps(stake, FEES.faultSlash);
      expect((await lw.w.balance(lw.w.treasury)) - slashTreasury).to.equal(slashed);
      const dev = await lw.w.device(devices[1]);
      expect(toBigInt(dev.stake)).to.equal(stake - slashed);
      expect(dev.status).to.equal(DeviceStatus.Active);
      expect((await lw.state(o)).slots[1].status).to.equal(SlotStatus.Faulted);
      await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 1, 2, 1)]), [lw.attester], E.SlotNotActive, o);
      // A lease fault slashes at most once per (lease, device): a second report is refused and moves
      // nothing. (A device serves one lease at a time, so its hours cannot be sold twice: assigning a
      // leased device is refused with DeviceLeased, tests/staking-lifecycle.test.ts.)
      const treasuryAfter = await lw.w.balance(lw.w.treasury);
      await lw.rejects(fault, [lw.attester], E.SlotNotActive, o);
      expect(await lw.w.balance(lw.w.treasury)).to.equal(treasuryAfter);

      await lw.engine.warp(lw.grace);
      const renterBefore = await lw.w.balance(renter.network);
      await settleAndClaim(o);
      // Device 1 proved 1 of 3 hours: 2 hours of 1 GPU come back.
      expect((await lw.w.balance(renter.network)) - renterBefore).to.equal(PRICE * 2n);
      expect(await lw.supply(lw.w.mint)).to.equal(supplyBefore);
    });

    it("pauses when the booked hours run out and resumes where it stopped when extended", async () => {
      const renter = await lw.newRenter();
      const [d] = await lw.stakedDevices(1);
      const o = await lw.open(renter, { gpus: 1, hours: 2, price: PRICE });
      opened.push(o);
      await lw.assign(o, d);
      const pause = await lw.leases.pause({ caller: lw.attester.publicKey, lease: o.lease.publicKey });
      await lw.rejects(pause, [lw.attester], E.NotPausable, o);
      await lw.engine.warp(2 * HOUR);
      await lw.prove(o, [lw.attest(o, 0, 0, 2)]);
      await lw.ok("pause", pause, [lw.attester]);
      expect((await lw.state(o)).lease.status).to.equal(LeaseStatus.Paused);
      await lw.engine.warp(5 * HOUR);
      // While paused the hour clock stands still: hour 2 never ran.
      await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 0, 2, 1)]), [lw.attester], E.FutureHour, o);
      const res = await lw.extend(o, 1);
      expect(Number(eventNamed(parseEvents(leasesIdl, res.logs)[0], "LeaseExtended").data.resumed)).to.equal(1);
      const { lease } = await lw.state(o);
      expect(lease.status).to.equal(LeaseStatus.Active);
      expect(lease.hoursBooked).to.equal(3);
      await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 0, 2, 1)]), [lw.attester], E.FutureHour, o);
      await lw.engine.warp(HOUR);
      await lw.prove(o, [lw.attest(o, 0, 2, 1)]);
      expect(toBigInt((await lw.state(o)).lease.earnedTotal)).to.equal(PRICE * 3n);
    });

    it("charges the stable surcharge when paid in the stable mint and pays suppliers in it", async () => {
      const renter = await lw.newRenter();
      const [d] = await lw.stakedDevices(1);
      const stableBefore = await lw.w.balance(renter.stable);
      const treasuryBefore = await lw.w.balance(lw.stableTreasury);
      const o = await lw.open(renter, { gpus: 1, hours: 2, price: PRICE, stable: true });
      opened.push(o);
      const principal = PRICE * 2n;
      const renterFee = bps(principal, FEES.renter + FEES.stable);
      expect(stableBefore - (await lw.w.balance(renter.stable))).to.equal(principal + renterFee);
      expect((await lw.w.balance(lw.stableTreasury)) - treasuryBefore).to.equal(renterFee);
      await lw.assign(o, d);
      await lw.engine.warp(2 * HOUR);
      await lw.prove(o, [lw.attest(o, 0, 0, 2)]);
      const supplierStable = lw.supplierTokens(d, o);
      const before = await lw.w.balance(supplierStable);
      // A network-token account is not where a stable payout goes.
      await lw.rejects(await lw.claimIx(o, 0, d.supplier.tokens), [lw.attester], E.WrongMint, o);
      await lw.claim(o, 0, supplierStable);
      expect((await lw.w.balance(supplierStable)) - before).to.equal(principal - bps(principal, FEES.supplier));
      await lw.rejects(await lw.claimIx(o, 0, supplierStable), [lw.attester], E.NothingToClaim, o);
    });

    it("collects network fees in the Market's fee vault, and anyone burns exactly them: supply falls, the total accumulates", async () => {
      const market = await lw.market();
      const vault = networkTreasuryPda()[0];
      // The fee vault is the PDA, a token account of the network mint held by the Market itself.
      expect(market.networkTreasury.equals(vault)).to.equal(true);
      const vaultAcc = (await lw.engine.getAccount(vault))!;
      expect(new PublicKey(vaultAcc.data.subarray(0, 32)).equals(lw.w.mint)).to.equal(true);
      expect(new PublicKey(vaultAcc.data.subarray(32, 64)).equals(marketPda()[0])).to.equal(true);
      const watched = () => [marketPda()[0], vault, lw.w.mint, lw.stableMint, lw.stableTreasury, ...lw.holders];

      // Whatever earlier tests left in the vault is burned first, so this test sees its own fees only.
      const stranger = Keypair.generate();
      await lw.engine.airdrop(stranger.publicKey, 1_000_000_000n);
      const burn = await lw.leases.burnFees({ caller: stranger.publicKey, networkMint: lw.w.mint });
      if ((await lw.w.balance(vault)) > 0n) await lw.ok("burn_fees", burn, [stranger]);
      expect(await lw.w.balance(vault)).to.equal(0n);
      // Nothing there: refused with its own error, nothing changes.
      await lw.w.rejects(burn, [stranger], E.NothingToBurn, watched());
      const burnedBefore = toBigInt((await lw.market()).totalBurned);

      // A network lease: the renter fee and the supplier fee land in the vault; a stable lease's fees do not.
      const renter = await lw.newRenter();
      const [d, e] = await lw.stakedDevices(2);
      const price = 1_234_567n;
      const o = await lw.open(renter, { gpus: 1, hours: 3, price });
      opened.push(o);
      expect(o.treasury.equals(vault)).to.equal(true);
      const principal = price * 3n;
      const renterFee = bps(principal, FEES.renter);
      expect(await lw.w.balance(vault)).to.equal(renterFee);
      const s = await lw.open(renter, { gpus: 1, hours: 2, price, stable: true });
      opened.push(s);
      const stableFees = await lw.w.balance(lw.stableTreasury);
      await lw.assign(o, d);
      await lw.assign(s, e);
      await lw.engine.warp(3 * HOUR);
      await lw.prove(o, [lw.attest(o, 0, 0, 3)]);
      await lw.claim(o, 0, d.supplier.tokens);
      const supplierFee = bps(principal, FEES.supplier);
      const fees = renterFee + supplierFee;
      expect(await lw.w.balance(vault)).to.equal(fees);
      await lw.checkEscrow(o);

      // Wrong fee account (the stable treasury, a network-token account of someone else), wrong mint,
      // wrong token program, a read-only vault, no signer: refused, nothing changes.
      const otherAccount = await createTokenAccount(lw.engine, stranger, lw.w.mint, stranger.publicKey);
      await lw.w.rejects(withKey(burn, BURN.vault, lw.stableTreasury), [stranger], E.WrongTreasury, watched());
      await lw.w.rejects(withKey(burn, BURN.vault, otherAccount), [stranger], E.WrongTreasury, watched());
      await lw.w.rejects(withKey(burn, BURN.vault, o.escrow.publicKey), [stranger], E.WrongTreasury, [...watched(), o.escrow.publicKey]);
      await lw.w.rejects(withKey(burn, BURN.mint, lw.stableMint), [stranger], E.NotNetworkMint, watched());
      await lw.w.rejects(withKey(burn, BURN.token, SystemProgram.programId), [stranger], E.WrongProgram, watched());
      await lw.w.rejects(withKey(burn, BURN.vault, vault, { isWritable: false }), [stranger], E.NotWritable, watched());
      const payer = Keypair.generate();
      await lw.engine.airdrop(payer.publicKey, 1_000_000_000n);
      await lw.w.rejects([withKey(burn, BURN.caller, stranger.publicKey, { isSigner: false })], [payer], E.MissingSigner, watched());

      // Anyone burns: exactly the vault's balance leaves the mint's supply.
      const supply = await lw.mintSupply(lw.w.mint);
      const held = await lw.supply(lw.w.mint);
      const stableSupply = await lw.mintSupply(lw.stableMint);
      const res = await lw.ok("burn_fees", burn, [stranger]);
      expect(await lw.w.balance(vault)).to.equal(0n);
      expect(supply - (await lw.mintSupply(lw.w.mint))).to.equal(fees);
      expect(held - (await lw.supply(lw.w.mint))).to.equal(fees);
      expect(toBigInt((await lw.market()).totalBurned)).to.equal(burnedBefore + fees);
      const ev = eventNamed(parseEvents(leasesIdl, res.logs)[0], "FeesBurned");
      expect(ev.name).to.equal("FeesBurned");
      expect(ev.data.mint.equals(lw.w.mint)).to.equal(true);
      expect(toBigInt(ev.data.amount)).to.equal(fees);
      expect(toBigInt(ev.data.total_burned)).to.equal(burnedBefore + fees);
      // Stable-mint fees are not burned: they stay in the stable treasury.
      expect(await lw.w.balance(lw.stableTreasury)).to.equal(stableFees);
      expect(await lw.mintSupply(lw.stableMint)).to.equal(stableSupply);
      await lw.w.rejects(burn, [stranger], E.NothingToBurn, watched());

      // More fees (an extension's renter fee), burned by someone else: the total keeps adding up.
      await lw.extend(o, 2);
      const more = bps(price * 2n, FEES.renter);
      expect(await lw.w.balance(vault)).to.equal(more);
      await lw.ok("burn_fees", await lw.leases.burnFees({ caller: lw.attester.publicKey, networkMint: lw.w.mint }), [lw.attester]);
      expect(toBigInt((await lw.market()).totalBurned)).to.equal(burnedBefore + fees + more);
      expect(supply - (await lw.mintSupply(lw.w.mint))).to.equal(fees + more);
      await lw.checkEscrow(o);
      await lw.checkEscrow(s);
    });
  });
}

describe("lease proofs: forgeries and replays (LiteSVM verifies Ed25519)", () => {
  let lw: LeaseWorld;
  let o: OpenLease;
  let other: OpenLease;

  before(async () => {
    lw = await LeaseWorld.create("litesvm", 4 * HOUR);
    const renter = await lw.newRenter();
    o = await lw.open(renter, { gpus: 2, hours: 10, price: PRICE });
    other = await lw.open(renter, { gpus: 1, hours: 10, price: PRICE });
    for (const d of await lw.stakedDevices(2)) await lw.assign(o, d);
    await lw.assign(other, (await lw.stakedDevices(1))[0]);
    await lw.engine.warp(3 * HOUR);
  });

  afterEach(async () => {
    await lw.checkEscrow(o);
    await lw.checkEscrow(other);
  });

  it("a replayed proof of the same hours is rejected", async () => {
    const ixs = await lw.proveIxs(o, [lw.attest(o, 0, 0, 2)]);
    await lw.ok("prove_time", ixs, [lw.attester]);
    await lw.rejects(ixs, [lw.attester], E.ProofReplayed, o);
    await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 0, 1, 1)]), [lw.attester], E.ProofReplayed, o);
    // Two overlapping ranges in one transaction: the second is rejected and the whole transaction with it.
    await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 1, 0, 2), lw.attest(o, 1, 1, 1)]), [lw.attester], E.ProofReplayed, o);
  });

  it("a heartbeat signed by the wrong key, for another lease, or for a future hour is rejected", async () => {
    await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 1, 0, 1, Keypair.generate())]), [lw.attester], E.WrongDeviceKey, o);
    // Device 1 signs, but slot 0 is another device.
    await lw.rejects(await lw.proveIxs(o, [{ ...lw.attest(o, 1, 2, 1), slot: 0 }]), [lw.attester], E.WrongDeviceKey, o);
    const forOther = lw.attest(other, 0, 0, 1);
    await lw.rejects(await lw.proveIxs(o, [{ ...forOther, slot: 1, deviceKey: other.devices[0].key.publicKey }]), [lw.attester], E.WrongDeviceKey, o);
    // The right device, a message naming another lease.
    const signedForOther = lw.attest(o, 1, 0, 1);
    const reSigned = (await import("@hourglass/client")).signAttestation(o.devices[1].key, 1, other.lease.publicKey, 0, 1, new Uint8Array(16));
    await lw.rejects(await lw.proveIxs(o, [reSigned]), [lw.attester], E.WrongLease, o);
    expect(signedForOther.slot).to.equal(1);
    await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 1, 2, 2)]), [lw.attester], E.FutureHour, o);
    await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 1, 9, 3)]), [lw.attester], E.FutureHour, o);
  });

  it("a missing, forged or mismatched Ed25519 instruction is rejected", async () => {
    const att = lw.attest(o, 1, 0, 1);
    const [ed, prove] = await lw.proveIxs(o, [att]);
    await lw.rejects([prove], [lw.attester], E.MissingEd25519, o);
    // The signature does not verify: the precompile fails the transaction before the program runs.
    const forged = ed25519Instruction([{ ...att, signature: new Uint8Array(64).fill(7) }], 0);
    const before = await lw.w.snapshot([o.lease.publicKey]);
    const res = await lw.engine.send([forged, prove], [lw.attester]);
    expect(res.ok).to.equal(false);
    expect(await lw.w.snapshot([o.lease.publicKey])).to.deep.equal(before);
    // Valid signature over a message that is not prove_time's: offsets point into the Ed25519 data.
    const mismatched = ed25519Instruction([att], 0);
    const withOwnMessage = Buffer.concat([mismatched.data, Buffer.from(att.message)]);
    // Offsets of signature 0 start at byte 2: message offset at +8, message instruction index at +12.
    withOwnMessage.writeUInt16LE(mismatched.data.length, 2 + 8);
    withOwnMessage.writeUInt16LE(0, 2 + 12);
    await lw.rejects([{ ...mismatched, data: withOwnMessage }, prove], [lw.attester], E.Ed25519Mismatch, o);
    // One signature verified, two attestations submitted.
    const [, proveTwo] = await lw.proveIxs(o, [att, lw.attest(o, 0, 2, 1)]);
    await lw.rejects([ed, proveTwo], [lw.attester], E.Ed25519Mismatch, o);
    await lw.ok("prove_time", [ed, prove], [lw.attester]);
  });

  it("only registered attesters prove or assign", async () => {
    const impostor = Keypair.generate();
    await lw.engine.airdrop(impostor.publicKey, 1_000_000_000n);
    const [ed, prove] = await lw.leases.proveTime({ attester: impostor.publicKey, lease: o.lease.publicKey, attestations: [lw.attest(o, 1, 1, 1)] });
    await lw.rejects([ed, prove], [impostor], E.NotAttester, o);
    const [d] = await lw.stakedDevices(1);
    await lw.rejects(await lw.leases.assignDevice({ attester: impostor.publicKey, lease: o.lease.publicKey, device: d.address }), [impostor], E.NotAttester, o);
  });

  it("assignment checks the model, the GPUs booked and that the device is free", async () => {
    const [h100] = await lw.stakedDevices(1, { code: 1, multiplierBps: 100_000 }, 1);
    await lw.rejects(
      await lw.leases.assignDevice({ attester: lw.attester.publicKey, lease: other.lease.publicKey, device: h100.address }),
      [lw.attester],
      E.WrongGpuModel,
      other,
    );
    const [spare] = await lw.stakedDevices(1);
    await lw.rejects(
      await lw.leases.assignDevice({ attester: lw.attester.publicKey, lease: other.lease.publicKey, device: spare.address }),
      [lw.attester],
      E.ClusterFull,
      other,
    );
    const renter = await lw.newRenter();
    const third = await lw.open(renter, { gpus: 1, hours: 2, price: PRICE });
    await lw.rejects(
      await lw.leases.assignDevice({ attester: lw.attester.publicKey, lease: third.lease.publicKey, device: o.devices[0].address }),
      [lw.attester],
      E.DeviceLeased,
      third,
    );
  });

  it("rejects a booking with no GPUs, hours or price, more devices than GPUs, or over 2,048 devices", async () => {
    const renter = await lw.newRenter();
    const bad = [
      { gpus: 0, hours: 2, price: PRICE, maxDevices: 1 },
      { gpus: 4, hours: 0, price: PRICE, maxDevices: 1 },
      { gpus: 4, hours: 2, price: 0n, maxDevices: 1 },
      { gpus: 4, hours: 2, price: PRICE, maxDevices: 5 },
      { gpus: 20_000, hours: 2, price: PRICE, maxDevices: 2_049 },
    ];
    for (const b of bad) {
      const { ixs, signers } = await lw.openIxs(renter, b);
      await lw.rejects(ixs, signers, E.InvalidLeaseParams);
    }
  });

  it("a proof after its grace period is rejected", async () => {
    // Now 3h. Warp to 7h + 1 s: hour 2 (ended 3h, grace 4h) is too late; hour 3 (ended 4h) is in time.
    await lw.engine.warp(4 * HOUR + 1);
    await lw.rejects(await lw.proveIxs(o, [lw.attest(o, 1, 2, 1)]), [lw.attester], E.ProofTooLate, o);
    await lw.prove(o, [lw.attest(o, 1, 3, 1)]);
  });
});

describe("a 64-device cluster lease (LiteSVM)", () => {
  it("is assigned, proven with five 24-hour attestations per transaction, settled and paid out", async function () {
    this.timeout(300_000);
    const lw = await LeaseWorld.create("litesvm", 25 * HOUR);
    const renter = await lw.newRenter();
    const devices = await lw.stakedDevices(64);
    const supplyBefore = await lw.supply(lw.w.mint);
    const o = await lw.open(renter, { gpus: 64, hours: 24, price: PRICE, maxDevices: 64 });
    for (const d of devices) await lw.assign(o, d);
    await lw.engine.warp(24 * HOUR);
    let txs = 0;
    const perAttestation: number[] = [];
    for (let i = 0; i < 64; i += 5) {
      const batch = [];
      for (let j = i; j < Math.min(i + 5, 64); j++) batch.push(lw.attest(o, j, 0, 24));
      const res = await lw.ok("prove_time", await lw.proveIxs(o, batch), [lw.attester]);
      perAttestation.push(lw.cu.get("prove_time")! / batch.length);
      txs++;
      expect(res.ok).to.equal(true);
    }
    expect(txs).to.equal(13);
    const { lease } = await lw.state(o);
    expect(toBigInt(lease.earnedTotal)).to.equal(PRICE * 64n * 24n);
    expect(Math.max(...perAttestation)).to.be.at.most(2_000);
    await lw.engine.warp(lw.grace);
    await lw.ok(
      "complete",
      await lw.leases.complete({ caller: lw.attester.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }),
      [lw.attester],
    );
    for (let i = 0; i < 64; i++) {
      await lw.claim(o, i, devices[i].supplier.tokens);
    }
    await lw.rejects(
      await lw.leases.closeLease({ renter: renter.wallet.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey }),
      [renter.wallet],
      E.LeaseHasClaims,
      o,
    );
    for (let i = 0; i < 64; i++) {
      await lw.ok(
        "release_device",
        await lw.leases.releaseDevice({ caller: lw.attester.publicKey, lease: o.lease.publicKey, slot: i, device: devices[i].address }),
        [lw.attester],
      );
    }
    await lw.ok("close_lease", await lw.leases.closeLease({ renter: renter.wallet.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey }), [
      renter.wallet,
    ]);
    expect(await lw.supply(lw.w.mint)).to.equal(supplyBefore);
    console.log(`      prove_time: ${txs} transactions for 64 devices x 24 h, max ${Math.round(Math.max(...perAttestation))} CU per attestation`);
  });
});

describe("the network fee vault at market creation (LiteSVM)", () => {
  it("is the canonical PDA, created even if someone pre-funded its address; no other account is taken", async () => {
    const w = await World.create("litesvm");
    const leases = new LeasesClient();
    const stableMint = await createMint(w.engine, w.authority, w.mintAuthority.publicKey, DECIMALS);
    const stableTreasury = await createTokenAccount(w.engine, w.authority, stableMint, w.authority.publicKey);
    const init = await leases.initializeMarket({
      authority: w.authority.publicKey,
      networkMint: w.mint,
      stableMint,
      stableTreasury,
      gracePeriodSeconds: GRACE,
      hourLengthSeconds: HOUR,
      renterFeeBps: FEES.renter,
      supplierFeeBps: FEES.supplier,
      stableSurchargeBps: FEES.stable,
      faultSlashBps: FEES.faultSlash,
    });
    const watched = [marketPda()[0], networkTreasuryPda()[0]];
    // Any other fresh address in the vault's place: not the program address.
    await w.rejects(withKey(init, 4, Keypair.generate().publicKey), [w.authority], E.WrongPda, watched);
    // An existing token account of the network mint (the authority's own): refused, it already exists.
    const own = await createTokenAccount(w.engine, w.authority, w.mint, w.authority.publicKey);
    await w.rejects(withKey(init, 4, own), [w.authority], E.AlreadyInitialized, [...watched, own]);
    // Lamports sent to the vault's address first do not block creation.
    const grief = Keypair.generate();
    await w.engine.airdrop(grief.publicKey, 1_000_000_000n);
    await w.ok("transfer", SystemProgram.transfer({ fromPubkey: grief.publicKey, toPubkey: networkTreasuryPda()[0], lamports: 1_000_000 }), [grief]);
    const res = await w.engine.send([init], [w.authority]);
    expect(res.ok, `${res.error}\n${res.logs.join("\n")}`).to.equal(true);
    const vault = (await w.engine.getAccount(networkTreasuryPda()[0]))!;
    expect(new PublicKey(vault.data.subarray(0, 32)).equals(w.mint)).to.equal(true);
    expect(new PublicKey(vault.data.subarray(32, 64)).equals(marketPda()[0])).to.equal(true);
    const m = leases.decodeMarket((await w.engine.getAccount(marketPda()[0]))!.data);
    expect(m.networkTreasury.equals(networkTreasuryPda()[0])).to.equal(true);
    expect(m.stableTreasury.equals(stableTreasury)).to.equal(true);
    expect(toBigInt(m.totalBurned)).to.equal(0n);
  });
});
