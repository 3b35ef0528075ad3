// The lease program (escrow + proof of time-lock) as SBF: the lifecycle hour by hour, a 64-device
// cluster, replays and forgeries, early termination, faults, pause and resume, both payment mints.
// Ed25519 checks run on LiteSVM only: solana-bankrun 0.4 does not verify precompile signatures.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { parseEvents, leasesIdl } from "../client/src/index.ts";
import { LeaseStatus, SlotStatus, ed25519Instruction } from "../client/src/leases/index.ts";
import { DeviceStatus } from "../client/src/staking/index.ts";
import { FEES, GRACE, HOUR, LeaseWorld, TOKENS, type OpenLease } from "./support/lease-world.ts";
import { ENGINES } from "./support/world.ts";

const E = {
  NotAttester: 6206,
  WrongGpuModel: 6208,
  ClusterFull: 6209,
  MissingEd25519: 6211,
  Ed25519Mismatch: 6212,
  WrongDeviceKey: 6213,
  WrongLease: 6214,
  ProofReplayed: 6215,
  FutureHour: 6216,
  ProofTooLate: 6217,
  NotRenter: 6220,
  LeaseNotEnded: 6221,
  NotFaulted: 6222,
  NothingToClaim: 6223,
  LeaseHasClaims: 6226,
  NotPausable: 6230,
  DeviceLeased: 6119,
} as const;
const PRICE = 2n * TOKENS; // per GPU-hour
const big = (v: { toString(): string }) => BigInt(v.toString());
const bps = (amount: bigint, rate: number) => (amount * BigInt(rate)) / 10_000n;

for (const engineName of ENGINES) {
  describe(`lease program on ${engineName}`, function () {
    let lw: LeaseWorld;
    const opened: OpenLease[] = [];

    before(async function () {
      lw = await LeaseWorld.create(engineName);
    });

    afterEach(async function () {
      for (const o of opened) await lw.checkEscrow(o);
      await lw.w.checkVaultInvariant();
    });

    async function settleAndClaim(o: OpenLease) {
      const caller = lw.attester;
      await lw.ok("complete", await lw.leases.complete({ caller: caller.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }), [caller]);
      const { slots } = await lw.state(o);
      for (let i = 0; i < slots.length; i++) {
        if (slots[i].provenHours > slots[i].claimedHours) {
          await lw.ok("claim", await lw.leases.claim({ caller: caller.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, slot: i, supplierTokens: lw.supplierTokens(o.devices[i], o), treasury: o.treasury }), [caller]);
        }
        if (!slots[i].released) {
          await lw.ok("release_device", await lw.leases.releaseDevice({ caller: caller.publicKey, lease: o.lease.publicKey, slot: i, device: o.devices[i].address }), [caller]);
        }
      }
    }

    it("runs a two-device lease hour by hour: proofs pay suppliers, settlement refunds nothing, the lease closes", async function () {
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
        const res = await lw.ok("prove_time", await lw.proveIxs(o, [lw.attest(o, 0, hour, 1), lw.attest(o, 1, hour, 1)]), [lw.attester]);
        const events = parseEvents(leasesIdl, res.logs).map((e) => e.name);
        expect(events).to.deep.equal(["TimeProven", "TimeProven"]);
        await lw.checkEscrow(o);
      }
      const { lease, slots } = await lw.state(o);
      expect(big(lease.earnedTotal)).to.equal(principal);
      expect(slots.map((s) => s.provenHours)).to.deep.equal([3, 3]);

      await lw.rejects(await lw.leases.complete({ caller: lw.attester.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }), [lw.attester], E.LeaseNotEnded, o);
      await lw.engine.warp(GRACE);
      const supplierBefore = await lw.w.balance(devices[0].supplier.tokens);
      await settleAndClaim(o);
      const perDevice = PRICE * 3n;
      expect((await lw.w.balance(devices[0].supplier.tokens)) - supplierBefore).to.equal(perDevice - bps(perDevice, FEES.supplier));
      expect((await lw.w.device(devices[0])).status).to.equal(DeviceStatus.Active);
      await lw.ok("close_lease", await lw.leases.closeLease({ renter: renter.wallet.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey }), [renter.wallet]);
      expect(await lw.engine.getAccount(o.lease.publicKey)).to.equal(null);
      expect(await lw.engine.getAccount(o.escrow.publicKey)).to.equal(null);
      expect(await lw.supply(lw.w.mint)).to.equal(supplyBefore);
    });
  });
}
