// The rest of the staking program: config administration, attesters, pausing, co-staking, leases,
// slashing and deregistration, with every rejection checked for its exact code and for changing
// nothing, and the vault checked against every stake, co-stake and unbonding amount after each test.

import { CoreError, coStakePda, DeviceStatus, eventNamed, gpuTierPda, parseEvents, SlashReason, StakingError, stakingIdl, toBigInt } from "@hourglass/client";
import { createTokenAccount } from "@hourglass/localchain";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, type DeviceHandle, ENGINES, H100, MAX_SLASH_BPS, RTX4070, type Supplier, UNBONDING_SECONDS, World } from "./support/world.ts";

/** Program error codes by name (generated from the IDLs). */
const E = { ...CoreError, ...StakingError };

const TOKENS = 10n ** BigInt(DECIMALS);

for (const engineName of ENGINES) {
  describe(`staking lifecycle on ${engineName}`, () => {
    let w: World;
    const leaseAuthority = Keypair.generate();

    before(async () => {
      w = await World.create(engineName);
      await w.engine.airdrop(leaseAuthority.publicKey, 1_000_000_000n);
      await w.ok("update_config", await w.updateConfigIx(leaseAuthority.publicKey), [w.authority]);
    });

    afterEach(async () => {
      await w.checkVaultInvariant();
    });

    async function stakedDevice(gpu = RTX4070, gpus = 1, multiple = 2n): Promise<{ d: DeviceHandle; s: Supplier }> {
      const s = await w.newSupplier(100_000n * TOKENS);
      const d = await w.registerDevice(s, gpu, gpus);
      await w.ok("stake", await w.stakeIx(d, w.minimum(d) * multiple), [s.wallet]);
      return { d, s };
    }

    it("update_config changes settings for the authority only, within bounds, and emits ConfigUpdated", async () => {
      const stranger = await w.newSupplier(0n);
      const ix = (authority: PublicKey, maxSlashBps: number) => w.updateConfigIx(leaseAuthority.publicKey, { authority, maxSlashBps });
      await w.rejects(await ix(stranger.wallet.publicKey, MAX_SLASH_BPS), [stranger.wallet], E.NotAuthority);
      await w.rejects(await ix(w.authority.publicKey, 10_001), [w.authority], E.InvalidSlashBound);
      const res = await w.ok("update_config", await ix(w.authority.publicKey, MAX_SLASH_BPS), [w.authority]);
      const ev = eventNamed(parseEvents(stakingIdl, res.logs)[0], "ConfigUpdated");
      expect(ev.name).to.equal("ConfigUpdated");
      expect(String(ev.data.lease_authority)).to.equal(leaseAuthority.publicKey.toBase58());
      const cfg = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect(cfg.leaseAuthority.toBase58()).to.equal(leaseAuthority.publicKey.toBase58());
    });

    it("set_authority needs both the current and the next authority's signatures", async () => {
      const next = Keypair.generate();
      await w.engine.airdrop(next.publicKey, 1_000_000_000n);
      const ix = await w.staking.setAuthority({ authority: w.authority.publicKey, newAuthority: next.publicKey });
      const unsigned = await w.staking.setAuthority({ authority: w.authority.publicKey, newAuthority: next.publicKey });
      unsigned.keys[1].isSigner = false;
      await w.rejects(unsigned, [w.authority], E.MissingSigner);
      await w.ok("set_authority", ix, [w.authority, next]);
      // And back, so the rest of the suite keeps its authority.
      await w.ok("set_authority", await w.staking.setAuthority({ authority: next.publicKey, newAuthority: w.authority.publicKey }), [next, w.authority]);
      const cfg = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect(cfg.authority.toBase58()).to.equal(w.authority.publicKey.toBase58());
    });

    it("set_attester adds and removes attesters; duplicates, unknown keys and a full set are rejected", async () => {
      const keys = Array.from({ length: 8 }, () => Keypair.generate().publicKey);
      const set = (attester: PublicKey, enabled: boolean) => w.staking.setAttester({ authority: w.authority.publicKey, attester, enabled });
      for (const k of keys) await w.ok("set_attester", await set(k, true), [w.authority]);
      await w.rejects(await set(keys[0], true), [w.authority], E.DuplicateAttester);
      await w.rejects(await set(Keypair.generate().publicKey, true), [w.authority], E.TooManyAttesters);
      await w.ok("set_attester", await set(keys[3], false), [w.authority]);
      await w.rejects(await set(keys[3], false), [w.authority], E.UnknownAttester);
      const cfg = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect(cfg.attesterCount).to.equal(7);
      const listed = cfg.attesters
        .slice(0, 7)
        .map((a) => a.toBase58())
        .sort();
      expect(listed).to.deep.equal(
        keys
          .filter((_, i) => i !== 3)
          .map((k) => k.toBase58())
          .sort(),
      );
      const stranger = await w.newSupplier(0n);
      await w.rejects(
        await w.staking.setAttester({ authority: stranger.wallet.publicKey, attester: keys[3], enabled: true }),
        [stranger.wallet],
        E.NotAuthority,
      );
    });

    it("set_gpu_tier updates a model's multiplier; devices keep the multiplier they registered with", async () => {
      const { d } = await stakedDevice(RTX4070, 1, 2n);
      const res = await w.ok("set_gpu_tier", await w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: RTX4070.code, multiplierBps: 5_000 }), [
        w.authority,
      ]);
      const ev = eventNamed(parseEvents(stakingIdl, res.logs)[0], "GpuTierSet");
      expect(ev.name).to.equal("GpuTierSet");
      expect(Number(ev.data.multiplier_bps)).to.equal(5_000);
      const tier = w.staking.decodeGpuTier((await w.engine.getAccount(gpuTierPda(RTX4070.code)[0]))!.data);
      expect(tier.multiplierBps).to.equal(5_000);
      expect((await w.device(d)).multiplierBps).to.equal(RTX4070.multiplierBps);
      await w.rejects(
        await w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: RTX4070.code, multiplierBps: 10_000_001 }),
        [w.authority],
        6115,
      );
      await w.ok(
        "set_gpu_tier",
        await w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: RTX4070.code, multiplierBps: RTX4070.multiplierBps }),
        [w.authority],
      );
    });

    it("a supplier pauses and resumes an idle device; nobody else can", async () => {
      const { d, s } = await stakedDevice();
      const stranger = await w.newSupplier(0n);
      await w.rejects(
        await w.staking.setDevicePaused({ supplier: stranger.wallet.publicKey, deviceKey: d.key.publicKey, paused: true }),
        [stranger.wallet],
        E.NotDeviceOwner,
      );
      await w.rejects(
        await w.staking.setDevicePaused({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, paused: false }),
        [s.wallet],
        E.DeviceNotActive,
      );
      await w.ok("set_device_paused", await w.staking.setDevicePaused({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, paused: true }), [s.wallet]);
      expect((await w.device(d)).status).to.equal(DeviceStatus.Paused);
      await w.rejects(
        await w.staking.assignLease({ leaseAuthority: leaseAuthority.publicKey, deviceKey: d.key.publicKey, lease: Keypair.generate().publicKey }),
        [leaseAuthority],
        E.DeviceNotActive,
      );
      await w.ok("set_device_paused", await w.staking.setDevicePaused({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, paused: false }), [s.wallet]);
      expect((await w.device(d)).status).to.equal(DeviceStatus.Active);
    });

    it("co-stakers add up to 50% of the total; more, or the supplier co-staking, is rejected", async () => {
      const { d, s } = await stakedDevice(RTX4070, 1, 2n);
      const supplierStake = toBigInt((await w.device(d)).stake);
      const a = await w.newSupplier(100_000n * TOKENS);
      const b = await w.newSupplier(100_000n * TOKENS);
      w.coStakers.push({ device: d, staker: a }, { device: d, staker: b });
      const res = await w.ok("co_stake", await w.coStakeIx(d, a, supplierStake / 2n), [a.wallet]);
      expect(parseEvents(stakingIdl, res.logs)[0].name).to.equal("CoStaked");
      await w.ok("co_stake", await w.coStakeIx(d, b, supplierStake / 2n), [b.wallet]);
      await w.rejects(await w.coStakeIx(d, b, 1n), [b.wallet], E.CoStakeOverHalf, [b.tokens]);
      await w.rejects(await w.coStakeIx(d, s, 1n), [s.wallet], E.SelfCoStake, [s.tokens]);
      const dev = await w.device(d);
      expect(toBigInt(dev.coStake)).to.equal(supplierStake);
      expect(dev.coStakerCount).to.equal(2);
      expect(toBigInt((await w.coStake(d, a))!.amount)).to.equal(supplierStake / 2n);
      // The supplier cannot unstake below the co-stake either.
      await w.rejects(await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount: 1n }), [s.wallet], E.CoStakeOverHalf);
    });

    it("co_unstake and co_withdraw: locked until unbonding ends, then paid; an emptied CoStake is closed", async () => {
      const { d } = await stakedDevice(RTX4070, 1, 2n);
      const c = await w.newSupplier(100_000n * TOKENS);
      w.coStakers.push({ device: d, staker: c });
      const amount = 50n * TOKENS;
      await w.ok("co_stake", await w.coStakeIx(d, c, amount), [c.wallet]);
      await w.ok("co_unstake", await w.staking.coUnstake({ staker: c.wallet.publicKey, deviceKey: d.key.publicKey, amount }), [c.wallet]);
      expect(toBigInt((await w.device(d)).coStake)).to.equal(0n);
      const withdraw = await w.staking.coWithdraw({ staker: c.wallet.publicKey, deviceKey: d.key.publicKey, destination: c.tokens });
      await w.rejects(withdraw, [c.wallet], E.StillUnbonding, [c.tokens]);
      await w.engine.warp(UNBONDING_SECONDS);
      const before = await w.balance(c.tokens);
      const lamportsBefore = (await w.engine.getAccount(c.wallet.publicKey))!.lamports;
      const res = await w.ok("co_withdraw", withdraw, [c.wallet]);
      expect(await w.balance(c.tokens)).to.equal(before + amount);
      expect(parseEvents(stakingIdl, res.logs)[0].name).to.equal("CoWithdrawn");
      expect(await w.engine.getAccount(coStakePda(d.address, c.wallet.publicKey)[0])).to.equal(null);
      expect((await w.engine.getAccount(c.wallet.publicKey))!.lamports).to.be.greaterThan(lamportsBefore - 10_000);
      expect((await w.device(d)).coStakerCount).to.equal(0);
      // The closed CoStake is gone: a second withdrawal finds no account of ours.
      await w.rejects(withdraw, [c.wallet], E.WrongOwner, [c.tokens]);
    });

    it("a leased device keeps its minimum: unstaking below it is rejected, above it allowed", async () => {
      const { d, s } = await stakedDevice(RTX4070, 1, 2n);
      const min = w.minimum(d);
      const lease = Keypair.generate().publicKey;
      const stranger = await w.newSupplier(0n);
      await w.rejects(
        await w.staking.assignLease({ leaseAuthority: stranger.wallet.publicKey, deviceKey: d.key.publicKey, lease }),
        [stranger.wallet],
        E.NotLeaseAuthority,
      );
      const res = await w.ok("assign_lease", await w.staking.assignLease({ leaseAuthority: leaseAuthority.publicKey, deviceKey: d.key.publicKey, lease }), [
        leaseAuthority,
      ]);
      expect(parseEvents(stakingIdl, res.logs)[0].name).to.equal("DeviceStatusChanged");
      const dev = await w.device(d);
      expect(dev.status).to.equal(DeviceStatus.Leased);
      expect(dev.currentLease.toBase58()).to.equal(lease.toBase58());

      const unstake = (amount: bigint) => w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount });
      await w.rejects(await unstake(min + 1n), [s.wallet], E.LeasedBelowMinimum);
      await w.ok("request_unstake", await unstake(min), [s.wallet]);
      await w.rejects(await w.staking.setDevicePaused({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, paused: true }), [s.wallet], E.DeviceLeased);
      await w.rejects(await w.staking.deregister({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey }), [s.wallet], E.DeviceLeased);
      await w.rejects(
        await w.staking.assignLease({ leaseAuthority: leaseAuthority.publicKey, deviceKey: d.key.publicKey, lease }),
        [leaseAuthority],
        E.DeviceLeased,
      );
      await w.ok("release_lease", await w.staking.releaseLease({ leaseAuthority: leaseAuthority.publicKey, deviceKey: d.key.publicKey }), [leaseAuthority]);
      expect((await w.device(d)).status).to.equal(DeviceStatus.Active);
    });

    it("a device below its minimum cannot be leased", async () => {
      const s = await w.newSupplier(100_000n * TOKENS);
      const d = await w.registerDevice(s, H100, 1);
      await w.rejects(
        await w.staking.assignLease({ leaseAuthority: leaseAuthority.publicKey, deviceKey: d.key.publicKey, lease: Keypair.generate().publicKey }),
        [leaseAuthority],
        E.BelowMinimumStake,
      );
    });

    it("slash: bounded, by the lease authority only, paid to the treasury", async () => {
      const { d, s } = await stakedDevice(H100, 1, 3n);
      const stake = toBigInt((await w.device(d)).stake);
      const slash = (authority: Keypair, bps: number, reason: number = SlashReason.MissedHeartbeats, treasury = w.treasury) =>
        w.staking.slash({ authority: authority.publicKey, deviceKey: d.key.publicKey, treasury, bps, reason });
      await w.rejects(await slash(s.wallet, 100), [s.wallet], E.NotSlashAuthority);
      await w.rejects(await slash(leaseAuthority, MAX_SLASH_BPS + 1), [leaseAuthority], E.SlashOverBound);
      await w.rejects(await slash(leaseAuthority, 100, 9), [leaseAuthority], E.InvalidSlashReason);
      await w.rejects(await slash(leaseAuthority, 100, SlashReason.FailedJob, s.tokens), [leaseAuthority], E.WrongTreasury, [s.tokens]);

      const treasuryBefore = await w.balance(w.treasury);
      const bps = 333;
      const res = await w.ok("slash", await slash(leaseAuthority, bps), [leaseAuthority]);
      const expected = (stake * BigInt(bps)) / 10_000n;
      expect(await w.balance(w.treasury)).to.equal(treasuryBefore + expected);
      const dev = await w.device(d);
      expect(toBigInt(dev.stake)).to.equal(stake - expected);
      expect(toBigInt(dev.slashedTotal)).to.equal(expected);
      const ev = eventNamed(parseEvents(stakingIdl, res.logs)[0], "DeviceSlashed");
      expect(ev.name).to.equal("DeviceSlashed");
      expect(Number(ev.data.reason)).to.equal(SlashReason.MissedHeartbeats);
      // The config authority may not slash in one stroke: it proposes (tests/staking-slashing.test.ts).
      await w.rejects(await slash(w.authority, 1, SlashReason.Admin), [w.authority], E.NotSlashAuthority);
    });

    it("deregister: refused while stake remains, then closes the device and returns its rent", async () => {
      const { d, s } = await stakedDevice(RTX4070, 1, 1n);
      const dereg = await w.staking.deregister({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey });
      await w.rejects(dereg, [s.wallet], E.DeviceHasStake);
      const stake = toBigInt((await w.device(d)).stake);
      await w.ok("request_unstake", await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount: stake }), [s.wallet]);
      await w.rejects(dereg, [s.wallet], E.DeviceHasStake);
      await w.engine.warp(UNBONDING_SECONDS);
      await w.ok("withdraw", await w.staking.withdraw({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, destination: s.tokens }), [s.wallet]);
      const rent = (await w.engine.getAccount(d.address))!.lamports;
      const before = (await w.engine.getAccount(s.wallet.publicKey))!.lamports;
      const res = await w.ok("deregister", dereg, [s.wallet]);
      expect(parseEvents(stakingIdl, res.logs)[0].name).to.equal("DeviceDeregistered");
      expect(await w.engine.getAccount(d.address)).to.equal(null);
      // Rent back, less this transaction's fee.
      expect((await w.engine.getAccount(s.wallet.publicKey))!.lamports).to.equal(before + rent - 5_000);
      // The key can register again from scratch.
      await w.ok(
        "register_device",
        await w.staking.registerDevice({
          supplier: s.wallet.publicKey,
          deviceKey: d.key.publicKey,
          gpuModel: RTX4070.code,
          gpuCount: 1,
          vramGb: 12,
          region: 250,
          bandwidthTier: 1,
        }),
        [s.wallet, d.key],
      );
    });

    it("a system account in the Config slot is rejected for its owner", async () => {
      const { d, s } = await stakedDevice();
      const ix = await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount: 1n });
      ix.keys[1].pubkey = s.wallet.publicKey;
      await w.rejects(ix, [s.wallet], E.WrongOwner);
    });

    it("update_config takes any token account of the stake mint as treasury, and nothing else", async () => {
      const foreignMintAccount = await createTokenAccount(w.engine, w.authority, w.mint, w.authority.publicKey);
      // Same mint: accepted, then set back.
      const set = (treasury: PublicKey) => w.updateConfigIx(leaseAuthority.publicKey, { treasury });
      await w.ok("update_config", await set(foreignMintAccount), [w.authority]);
      await w.ok("update_config", await set(w.treasury), [w.authority]);
      // A device (program-owned) is no token account.
      const { d } = await stakedDevice();
      await w.rejects(await set(d.address), [w.authority], E.WrongOwner);
    });
  });
}
