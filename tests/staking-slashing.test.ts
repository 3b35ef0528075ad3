// Slashing on the SBF staking program: the config authority's two-step slash (propose, wait out the
// delay, execute; cancellable; bounded in total per unbonding period), the lease authority's one-step
// fault slash, pro-rata losses for co-stakers and unbonding stake, and the Config's period defaults.
// Every rejection is checked for its exact code and for changing nothing; the vault is checked against
// every stake after each test.

import { CoreError, effectiveCoStake, eventNamed, parseEvents, SlashReason, StakingError, slashProposalPda, stakingIdl, toBigInt } from "@hourglass/client";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, type DeviceHandle, ENGINES, H100, MAX_SLASH_BPS, RTX4070, type Supplier, UNBONDING_SECONDS, World } from "./support/world.ts";

/** Program error codes by name (generated from the IDLs). */
const E = { ...CoreError, ...StakingError };

const TOKENS = 10n ** BigInt(DECIMALS);
const DAY = 86_400;
const DELAY = 48 * 3_600;

for (const engineName of ENGINES) {
  describe(`staking slashing on ${engineName}`, () => {
    let w: World;
    const leaseAuthority = Keypair.generate();
    /** A lease fault's slash: the Lease authority cuts `bps` of the device's stake for missed heartbeats. */
    const faultSlash = async (d: { key: Keypair }, bps: number) =>
      w.ok(
        "slash",
        await w.staking.slash({
          authority: leaseAuthority.publicKey,
          deviceKey: d.key.publicKey,
          treasury: w.treasury,
          bps,
          reason: SlashReason.MissedHeartbeats,
        }),
        [leaseAuthority],
      );

    before(async () => {
      w = await World.create(engineName);
      await w.engine.airdrop(leaseAuthority.publicKey, 1_000_000_000n);
      await w.ok("update_config", await config({}), [w.authority]);
    });

    afterEach(async () => {
      await w.checkVaultInvariant();
    });

    function config(p: { unbonding?: number; delay?: number; authority?: PublicKey; maxSlashBps?: number }) {
      return w.staking.updateConfig({
        authority: p.authority ?? w.authority.publicKey,
        treasury: w.treasury,
        unbondingPeriodSeconds: p.unbonding ?? UNBONDING_SECONDS,
        maxSlashBps: p.maxSlashBps ?? MAX_SLASH_BPS,
        leaseAuthority: leaseAuthority.publicKey,
        slashDelaySeconds: p.delay ?? 0,
      });
    }

    async function stakedDevice(multiple = 4n, gpu = RTX4070): Promise<{ d: DeviceHandle; s: Supplier }> {
      const s = await w.newSupplier(100_000n * TOKENS);
      const d = await w.registerDevice(s, gpu, 1);
      await w.ok("stake", await w.stakeIx(d, w.minimum(d) * multiple), [s.wallet]);
      return { d, s };
    }

    const propose = (d: DeviceHandle, bps: number, reason: number = SlashReason.FailedJob, authority = w.authority) =>
      w.staking.proposeSlash({ authority: authority.publicKey, deviceKey: d.key.publicKey, bps, reason });
    const execute = (d: DeviceHandle, authority = w.authority, proposal?: PublicKey) =>
      w.staking.executeSlash({ authority: authority.publicKey, deviceKey: d.key.publicKey, treasury: w.treasury, proposal });
    const cancel = (d: DeviceHandle, authority = w.authority) => w.staking.cancelSlash({ authority: authority.publicKey, deviceKey: d.key.publicKey });
    const proposalOf = (d: DeviceHandle) => slashProposalPda(d.address)[0];

    it("the Config's periods: 0 means 14 days of unbonding and a 48-hour slash delay; under an hour, or a delay not shorter than the unbonding, is refused", async () => {
      const res = await w.ok("update_config", await config({ unbonding: 0, delay: 0 }), [w.authority]);
      const cfg = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect(cfg.unbondingPeriod.toNumber()).to.equal(14 * DAY);
      expect(cfg.slashDelay.toNumber()).to.equal(DELAY);
      const ev = eventNamed(parseEvents(stakingIdl, res.logs)[0], "ConfigUpdated");
      expect(ev.name).to.equal("ConfigUpdated");
      expect(toBigInt(ev.data.slash_delay)).to.equal(BigInt(DELAY));
      await w.rejects(await config({ unbonding: 3_599 }), [w.authority], E.InvalidUnbondingPeriod);
      await w.rejects(await config({ unbonding: 1 }), [w.authority], E.InvalidUnbondingPeriod);
      await w.rejects(await config({ unbonding: 366 * DAY }), [w.authority], E.InvalidUnbondingPeriod);
      await w.rejects(await config({ unbonding: 3_600 }), [w.authority], E.InvalidSlashDelay);
      await w.rejects(await config({ delay: 3_599 }), [w.authority], E.InvalidSlashDelay);
      await w.rejects(await config({ delay: UNBONDING_SECONDS }), [w.authority], E.InvalidSlashDelay);
      // The stake vault cannot be the treasury: a slash would leave the tokens in the vault, owned by nobody.
      await w.rejects(await w.updateConfigIx(leaseAuthority.publicKey, { treasury: w.vault }), [w.authority], E.WrongTreasury);
      // The lease authority, which may slash in one stroke, is set once.
      await w.rejects(await w.updateConfigIx(w.authority.publicKey), [w.authority], E.LeaseAuthorityFixed);
      // Loosening (a shorter unbonding and delay, a higher bound) is queued for one unbonding period.
      const cfgBefore = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      const queued = await w.ok("update_config", await config({ unbonding: 2 * 3_600, delay: 3_600, maxSlashBps: 2_000 }), [w.authority]);
      const events = parseEvents(stakingIdl, queued.logs);
      const [q, updated] = [eventNamed(events[0], "ConfigChangeQueued"), eventNamed(events[1], "ConfigUpdated")];
      expect(q.name).to.equal("ConfigChangeQueued");
      // The rest of the call (treasury, lease authority) applies at once and is reported as usual.
      expect(updated.name).to.equal("ConfigUpdated");
      expect(String(updated.data.treasury)).to.equal(w.treasury.toBase58());
      expect(Number(updated.data.max_slash_bps)).to.equal(cfgBefore.maxSlashBps);
      expect(toBigInt(q.data.effective_at)).to.equal((await w.engine.unixTime()) + BigInt(UNBONDING_SECONDS));
      const pending = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect([pending.unbondingPeriod.toNumber(), pending.slashDelay.toNumber(), pending.maxSlashBps]).to.deep.equal([
        cfgBefore.unbondingPeriod.toNumber(),
        cfgBefore.slashDelay.toNumber(),
        cfgBefore.maxSlashBps,
      ]);
      expect([pending.pendingUnbondingPeriod.toNumber(), pending.pendingSlashDelay.toNumber(), pending.pendingMaxSlashBps]).to.deep.equal([
        2 * 3_600,
        3_600,
        2_000,
      ]);
      await w.engine.warp(UNBONDING_SECONDS - 60);
      await w.rejects(await config({ unbonding: 2 * 3_600, delay: 3_600, maxSlashBps: 2_000 }), [w.authority], E.ConfigChangeNotDue);
      await w.engine.warp(60);
      await w.ok("update_config", await config({ unbonding: 2 * 3_600, delay: 3_600, maxSlashBps: 2_000 }), [w.authority]);
      const applied = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect([applied.unbondingPeriod.toNumber(), applied.slashDelay.toNumber(), applied.maxSlashBps, applied.pendingAt.toNumber()]).to.deep.equal([
        2 * 3_600,
        3_600,
        2_000,
        0,
      ]);
      // Tightening applies at once.
      await w.ok("update_config", await config({}), [w.authority]);
      const back = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect([back.unbondingPeriod.toNumber(), back.slashDelay.toNumber(), back.maxSlashBps]).to.deep.equal([UNBONDING_SECONDS, DELAY, MAX_SLASH_BPS]);
    });

    it("the config authority cannot slash in one stroke; the lease authority's fault slash takes from everyone pro rata", async () => {
      const { d } = await stakedDevice();
      await w.rejects(
        await w.staking.slash({ authority: w.authority.publicKey, deviceKey: d.key.publicKey, treasury: w.treasury, bps: 100, reason: SlashReason.Admin }),
        [w.authority],
        E.NotSlashAuthority,
      );
      const backer = await w.newSupplier(100_000n * TOKENS);
      w.coStakers.push({ device: d, staker: backer });
      const co = toBigInt((await w.device(d)).stake) / 2n;
      await w.ok("co_stake", await w.coStakeIx(d, backer, co), [backer.wallet]);
      const before = await w.device(d);
      const treasury = await w.balance(w.treasury);
      const bps = 1_000;
      const res = await faultSlash(d, bps);
      const after = await w.device(d);
      const stakeCut = (toBigInt(before.stake) * BigInt(bps)) / 10_000n;
      expect(toBigInt(after.stake)).to.equal(toBigInt(before.stake) - stakeCut);
      // The co-stake total rounds up, so the co-stakers lose bps of their stake at most.
      const coCut = toBigInt(before.coStake) - toBigInt(after.coStake);
      expect(coCut).to.equal(co / 10n);
      expect(await w.balance(w.treasury)).to.equal(treasury + stakeCut + coCut);
      const ev = eventNamed(parseEvents(stakingIdl, res.logs)[0], "DeviceSlashed");
      expect(ev.name).to.equal("DeviceSlashed");
      expect(toBigInt(ev.data.amount)).to.equal(stakeCut + coCut);
      expect(toBigInt(ev.data.co_stake_amount)).to.equal(coCut);
      expect(toBigInt(ev.data.remaining_co_stake)).to.equal(toBigInt(after.coStake));
      // The cap holds after the slash, and the co-staker's position reads the scaled amount.
      expect(toBigInt(after.coStake) <= toBigInt(after.stake)).to.equal(true);
      const position = (await w.coStake(d, backer))!;
      expect(toBigInt(position.amount)).to.equal(co, "stored at the old scale until it moves");
      expect(effectiveCoStake(position, after).amount).to.equal(co - co / 10n);
    });

    it("propose -> wait out the delay -> execute: bounded, authority only, unbonding and co-stake slashed pro rata, proposal closed", async () => {
      const { d, s } = await stakedDevice();
      const backer = await w.newSupplier(100_000n * TOKENS);
      w.coStakers.push({ device: d, staker: backer });
      const stake0 = toBigInt((await w.device(d)).stake);
      await w.ok("co_stake", await w.coStakeIx(d, backer, stake0 / 4n), [backer.wallet]);
      // Some of each is unbonding when the slash lands: unbonding stays slashable.
      await w.ok("request_unstake", await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount: stake0 / 4n }), [
        s.wallet,
      ]);
      await w.ok("co_unstake", await w.staking.coUnstake({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, amount: stake0 / 8n }), [
        backer.wallet,
      ]);

      const stranger = await w.newSupplier(0n);
      await w.rejects(await propose(d, 100, SlashReason.Admin, stranger.wallet), [stranger.wallet], E.NotAuthority);
      await w.rejects(await propose(d, MAX_SLASH_BPS + 1), [w.authority], E.SlashOverBound);
      await w.rejects(await propose(d, 0), [w.authority], E.InvalidAmount);
      await w.rejects(await propose(d, 100, 9), [w.authority], E.InvalidSlashReason);

      const now = Number(await w.engine.unixTime());
      const proposed = await w.ok("propose_slash", await propose(d, 500, SlashReason.FailedJob), [w.authority]);
      const pev = eventNamed(parseEvents(stakingIdl, proposed.logs)[0], "SlashProposed");
      expect(pev.name).to.equal("SlashProposed");
      expect(Number(pev.data.bps)).to.equal(500);
      expect(Number(pev.data.reason)).to.equal(SlashReason.FailedJob);
      expect(toBigInt(pev.data.executable_at)).to.equal(BigInt(now + DELAY));
      const p = w.staking.decodeSlashProposal((await w.engine.getAccount(proposalOf(d)))!.data);
      expect(p.device.toBase58()).to.equal(d.address.toBase58());
      expect(p.executableAt.toNumber()).to.equal(now + DELAY);
      // One open proposal per device.
      expect((await w.engine.send([await propose(d, 100)], [w.authority])).ok).to.equal(false);

      // Too early, by anyone else, or against another device: refused and nothing moves.
      await w.rejects(await execute(d), [w.authority], E.SlashNotExecutable, [proposalOf(d)]);
      await w.engine.warp(DELAY - 60);
      await w.rejects(await execute(d), [w.authority], E.SlashNotExecutable, [proposalOf(d)]);
      await w.engine.warp(60);
      await w.rejects(await execute(d, stranger.wallet), [stranger.wallet], E.NotAuthority, [proposalOf(d)]);
      const other = await stakedDevice();
      await w.rejects(await execute(other.d, w.authority, proposalOf(d)), [w.authority], E.WrongProposal, [proposalOf(d)]);

      const before = await w.device(d);
      const treasury = await w.balance(w.treasury);
      const authorityLamports = (await w.engine.getAccount(w.authority.publicKey))!.lamports;
      const rent = (await w.engine.getAccount(proposalOf(d)))!.lamports;
      const res = await w.ok("execute_slash", await execute(d), [w.authority]);
      const after = await w.device(d);
      const cut = (v: unknown) => (toBigInt(v) * 500n) / 10_000n;
      expect(toBigInt(after.stake)).to.equal(toBigInt(before.stake) - cut(before.stake));
      expect(toBigInt(after.unbondingAmount)).to.equal(toBigInt(before.unbondingAmount) - cut(before.unbondingAmount));
      const coCut = toBigInt(before.coStake) + toBigInt(before.coUnbonding) - toBigInt(after.coStake) - toBigInt(after.coUnbonding);
      expect(coCut).to.equal(cut(before.coStake) + cut(before.coUnbonding));
      const total = cut(before.stake) + cut(before.unbondingAmount) + coCut;
      expect(await w.balance(w.treasury)).to.equal(treasury + total);
      expect(after.slashWindowBps).to.equal(500);
      const names = parseEvents(stakingIdl, res.logs).map((e) => e.name);
      expect(names).to.deep.equal(["DeviceSlashed", "SlashExecuted"]);
      // The proposal is gone and its rent is back with the authority (less the fee).
      expect(await w.engine.getAccount(proposalOf(d))).to.equal(null);
      expect((await w.engine.getAccount(w.authority.publicKey))!.lamports).to.be.greaterThan(authorityLamports + rent - 100_000);
      // A second execute of the same proposal finds nothing.
      const again = await w.engine.send([await execute(d)], [w.authority]);
      expect(again.ok).to.equal(false);
      expect(await w.balance(w.treasury)).to.equal(treasury + total);

      // The unbonding amounts come out slashed: the supplier's and the co-staker's.
      await w.engine.warp(UNBONDING_SECONDS);
      const supplierBefore = await w.balance(s.tokens);
      await w.ok("withdraw", await w.staking.withdraw({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, destination: s.tokens }), [s.wallet]);
      expect((await w.balance(s.tokens)) - supplierBefore).to.equal(toBigInt(after.unbondingAmount));
      const backerBefore = await w.balance(backer.tokens);
      await w.ok("co_withdraw", await w.staking.coWithdraw({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, destination: backer.tokens }), [
        backer.wallet,
      ]);
      expect((await w.balance(backer.tokens)) - backerBefore).to.equal(stake0 / 8n - ((stake0 / 8n) * 500n) / 10_000n);
    });

    it("cancel_slash: the config authority withdraws a proposal, which can then never execute", async () => {
      const { d } = await stakedDevice();
      await w.ok("propose_slash", await propose(d, 300), [w.authority]);
      const stranger = await w.newSupplier(0n);
      await w.rejects(await cancel(d, stranger.wallet), [stranger.wallet], E.NotAuthority, [proposalOf(d)]);
      const res = await w.ok("cancel_slash", await cancel(d), [w.authority]);
      expect(parseEvents(stakingIdl, res.logs).map((e) => e.name)).to.deep.equal(["SlashCancelled"]);
      expect(await w.engine.getAccount(proposalOf(d))).to.equal(null);
      await w.engine.warp(DELAY);
      const before = await w.device(d);
      const treasury = await w.balance(w.treasury);
      expect((await w.engine.send([await execute(d)], [w.authority])).ok).to.equal(false);
      expect((await w.engine.send([await cancel(d)], [w.authority])).ok).to.equal(false);
      expect(toBigInt((await w.device(d)).stake)).to.equal(toBigInt(before.stake));
      expect(await w.balance(w.treasury)).to.equal(treasury);
    });

    it("at most max_slash_bps per unbonding period in total: a proposal over the bound is refused, at proposal and at execution", async () => {
      const { d } = await stakedDevice(4n, H100);
      await w.ok("propose_slash", await propose(d, 600), [w.authority]);
      await w.engine.warp(DELAY);
      await w.ok("execute_slash", await execute(d), [w.authority]);
      await w.rejects(await propose(d, MAX_SLASH_BPS - 600 + 1), [w.authority], E.SlashOverTotalBound);
      await w.ok("propose_slash", await propose(d, MAX_SLASH_BPS - 600), [w.authority]);
      await w.engine.warp(DELAY);
      await w.ok("execute_slash", await execute(d), [w.authority]);
      expect((await w.device(d)).slashWindowBps).to.equal(MAX_SLASH_BPS);
      await w.rejects(await propose(d, 1), [w.authority], E.SlashOverTotalBound);
      // Re-checked at execution: a proposal that fitted when made no longer does once the bound is lowered.
      const other = await stakedDevice();
      await w.ok("propose_slash", await propose(other.d, 700), [w.authority]);
      await w.engine.warp(DELAY);
      await w.ok("execute_slash", await execute(other.d), [w.authority]);
      await w.ok("propose_slash", await propose(other.d, 300), [w.authority]);
      // A lease fault does not count against the discretionary window.
      await faultSlash(other.d, 500);
      await w.engine.warp(DELAY);
      await w.ok("update_config", await config({ maxSlashBps: 900 }), [w.authority]);
      await w.rejects(await execute(other.d), [w.authority], E.SlashOverTotalBound, [proposalOf(other.d)]);
      await w.ok("cancel_slash", await cancel(other.d), [w.authority]);
      // Raising the bound back is a loosening: it waits one unbonding period.
      await w.ok("update_config", await config({}), [w.authority]);
      await w.rejects(await propose(other.d, 300), [w.authority], E.SlashOverTotalBound);
      // Once an unbonding period has passed without an execution, a new window opens (and the raised
      // bound applies).
      await w.engine.warp(UNBONDING_SECONDS);
      await w.ok("update_config", await config({}), [w.authority]);
      await w.ok("propose_slash", await propose(d, MAX_SLASH_BPS), [w.authority]);
      await w.engine.warp(DELAY);
      const before = toBigInt((await w.device(d)).stake);
      await w.ok("execute_slash", await execute(d), [w.authority]);
      expect(toBigInt((await w.device(d)).stake)).to.equal(before - (before * BigInt(MAX_SLASH_BPS)) / 10_000n);
    });

    it("co-stakers share every slash pro rata and the last one out takes the rounding remainder", async () => {
      const { d } = await stakedDevice(4n);
      const backers = [await w.newSupplier(100_000n * TOKENS), await w.newSupplier(100_000n * TOKENS), await w.newSupplier(100_000n * TOKENS)];
      const stake = toBigInt((await w.device(d)).stake);
      const amounts = [stake / 7n + 1n, stake / 5n + 3n, stake / 9n + 7n];
      for (let i = 0; i < backers.length; i++) {
        w.coStakers.push({ device: d, staker: backers[i] });
        await w.ok("co_stake", await w.coStakeIx(d, backers[i], amounts[i]), [backers[i].wallet]);
      }
      for (const bps of [333, 777]) {
        await faultSlash(d, bps);
        await w.checkVaultInvariant();
      }
      const dev = await w.device(d);
      const scale = (v: bigint) => (((v * (10_000n - 333n)) / 10_000n) * (10_000n - 777n)) / 10_000n;
      let paid = 0n;
      for (let i = 0; i < backers.length; i++) {
        const e = effectiveCoStake((await w.coStake(d, backers[i]))!, dev);
        // Each position lost the same share (to a base unit or two of rounding).
        expect(Number(scale(amounts[i]) - e.amount)).to.be.within(-2, 2);
        await w.ok("co_unstake", await w.staking.coUnstake({ staker: backers[i].wallet.publicKey, deviceKey: d.key.publicKey, amount: e.amount }), [
          backers[i].wallet,
        ]);
      }
      const totals = toBigInt((await w.device(d)).coStake) + toBigInt((await w.device(d)).coUnbonding);
      await w.engine.warp(UNBONDING_SECONDS);
      for (const b of backers) {
        const before = await w.balance(b.tokens);
        await w.ok("co_withdraw", await w.staking.coWithdraw({ staker: b.wallet.publicKey, deviceKey: d.key.publicKey, destination: b.tokens }), [b.wallet]);
        paid += (await w.balance(b.tokens)) - before;
      }
      // Every base unit of the co-stake totals went back to the co-stakers; nothing stays behind.
      expect(paid).to.equal(totals);
      const after = await w.device(d);
      expect(toBigInt(after.coStake)).to.equal(0n);
      expect(toBigInt(after.coUnbonding)).to.equal(0n);
      expect(after.coStakerCount).to.equal(0);
      // A new co-staker joins at the current scale: nothing of theirs is scaled away.
      const late = await w.newSupplier(100_000n * TOKENS);
      w.coStakers.push({ device: d, staker: late });
      await w.ok("co_stake", await w.coStakeIx(d, late, 1_000n), [late.wallet]);
      expect(effectiveCoStake((await w.coStake(d, late))!, await w.device(d)).amount).to.equal(1_000n);
    });

    it("a position slashed down to nothing is closed at once; a worn-out scale takes no new co-stake until everyone left", async () => {
      const { d } = await stakedDevice(4n, H100);
      const dust = await w.newSupplier(100_000n * TOKENS);
      const backer = await w.newSupplier(100_000n * TOKENS);
      for (const b of [dust, backer]) w.coStakers.push({ device: d, staker: b });
      await w.ok("co_stake", await w.coStakeIx(d, dust, 1n), [dust.wallet]);
      await w.ok("co_stake", await w.coStakeIx(d, backer, toBigInt((await w.device(d)).stake) / 2n), [backer.wallet]);
      const slash = () => faultSlash(d, MAX_SLASH_BPS);
      await slash();
      // One base unit less 10% rounds to nothing: closed without an unbonding wait, no longer counted.
      expect(effectiveCoStake((await w.coStake(d, dust))!, await w.device(d)).amount).to.equal(0n);
      expect((await w.device(d)).coStakerCount).to.equal(2);
      await w.ok("co_withdraw", await w.staking.coWithdraw({ staker: dust.wallet.publicKey, deviceKey: d.key.publicKey, destination: dust.tokens }), [
        dust.wallet,
      ]);
      expect(await w.coStake(d, dust)).to.equal(null);
      expect((await w.device(d)).coStakerCount).to.equal(1);
      // Fault after fault wears the scale down below 10^-8.
      while (toBigInt((await w.device(d)).coFactor) >= 100_000_000n) await slash();
      await w.rejects(await w.coStakeIx(d, dust, 1n), [dust.wallet], E.CoStakeScaleWorn);
      await w.checkVaultInvariant();
      // The last co-staker leaves; the scale starts afresh and takes new co-stake at face value.
      const left = effectiveCoStake((await w.coStake(d, backer))!, await w.device(d)).amount;
      expect(left > 0n).to.equal(true);
      await w.ok("co_unstake", await w.staking.coUnstake({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, amount: left }), [backer.wallet]);
      await w.rejects(
        await w.staking.coWithdraw({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, destination: backer.tokens }),
        [backer.wallet],
        E.StillUnbonding,
      );
      await w.engine.warp(UNBONDING_SECONDS);
      await w.ok("co_withdraw", await w.staking.coWithdraw({ staker: backer.wallet.publicKey, deviceKey: d.key.publicKey, destination: backer.tokens }), [
        backer.wallet,
      ]);
      const fresh = await w.device(d);
      expect([fresh.coStakerCount, toBigInt(fresh.coFactor), toBigInt(fresh.coStake), toBigInt(fresh.coUnbonding)]).to.deep.equal([0, 0n, 0n, 0n]);
      await w.ok("co_stake", await w.coStakeIx(d, dust, 5n), [dust.wallet]);
      expect(effectiveCoStake((await w.coStake(d, dust))!, await w.device(d)).amount).to.equal(5n);
    });
  });
}
