// The staking program as SBF in LiteSVM and solana-bankrun: every instruction through Anchor's methods
// builder over our IDL, token CPIs (wallet- and PDA-signed), events through Anchor's EventParser, and
// rejected input with its exact error code and no state change.

import { CoreError, configPda, DeviceStatus, eventNamed, parseEvents, StakingError, stakingIdl } from "@hourglass/client";
import { createMint, createTokenAccount, mintTo } from "@hourglass/localchain";
import { TOKEN_PROGRAM_ID, unpackAccount } from "@solana/spl-token";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, ENGINES, H100, INELIGIBLE, MAX_SLASH_BPS, RTX4070, UNBONDING_SECONDS, World } from "./support/world.ts";

/** Program error codes by name (generated from the IDLs). */
const E = { ...CoreError, ...StakingError };

/** Compute-unit caps per instruction (our program including its CPIs), per engine, recorded from
 *  measurements with a margin; stake, request_unstake and withdraw (4,000) and register_device (6,000)
 *  are the staking goals. LiteSVM bundles p-token (a transfer is ~80 CU); solana-bankrun 0.4 bundles
 *  the legacy SPL Token (~4,600 CU per transfer), so its caps are higher. Config and vault addresses
 *  are fixed, so initialize_config's bump search costs the same every run. */
const CU_CAPS: Record<string, Record<string, number>> = {
  litesvm: { initialize_config: 12_000, set_gpu_tier: 6_000, register_device: 6_000, stake: 4_000, request_unstake: 4_000, withdraw: 4_000 },
  bankrun: { initialize_config: 17_000, set_gpu_tier: 6_000, register_device: 6_000, stake: 9_000, request_unstake: 4_000, withdraw: 9_000 },
};

for (const engineName of ENGINES) {
  describe(`staking program on ${engineName}`, () => {
    let w: World;
    const cuTable = new Map<string, number>();

    before(async () => {
      w = await World.create(engineName);
    });

    afterEach(async () => {
      await w.checkVaultInvariant();
      for (const [k, v] of w.cu) cuTable.set(k, v);
    });

    after(() => {
      const rows = [...cuTable].map(([name, cu]) => `    ${name.padEnd(20)} ${String(cu).padStart(7)} CU`);
      console.log(`    compute units on ${engineName}:\n${rows.join("\n")}`);
    });

    it("initialize_config created the Config and a stake vault owned by the Config PDA", async () => {
      const cfg = w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data);
      expect(cfg.authority.toBase58()).to.equal(w.authority.publicKey.toBase58());
      expect(cfg.stakeMint.toBase58()).to.equal(w.mint.toBase58());
      expect(cfg.stakeVault.toBase58()).to.equal(w.vault.toBase58());
      expect(cfg.unbondingPeriod.toNumber()).to.equal(UNBONDING_SECONDS);
      expect(cfg.maxSlashBps).to.equal(MAX_SLASH_BPS);
      expect(cfg.mintDecimals).to.equal(DECIMALS);
      expect(cfg.bump).to.equal(configPda()[1]);
      const vault = await w.engine.getAccount(w.vault);
      const token = unpackAccount(w.vault, vault!, TOKEN_PROGRAM_ID);
      expect(token.owner.toBase58()).to.equal(w.config.toBase58());
      expect(token.mint.toBase58()).to.equal(w.mint.toBase58());
      expect(token.amount).to.equal(0n);
    });

    it("re-initialising the Config is rejected with AlreadyInitialized", async () => {
      await w.rejects(await w.initializeConfigIx(), [w.authority], E.AlreadyInitialized);
    });

    it("set_gpu_tier by anyone but the authority is rejected with NotAuthority", async () => {
      const stranger = Keypair.generate();
      await w.engine.airdrop(stranger.publicKey, 1_000_000_000n);
      await w.rejects(await w.staking.setGpuTier({ authority: stranger.publicKey, modelCode: H100.code, multiplierBps: 1 }), [stranger], E.NotAuthority);
    });

    it("register_device stores the device and emits DeviceRegistered, decoded by EventParser", async () => {
      const supplier = await w.newSupplier(0n);
      const key = Keypair.generate();
      const res = await w.ok(
        "register_device",
        await w.staking.registerDevice({
          supplier: supplier.wallet.publicKey,
          deviceKey: key.publicKey,
          gpuModel: H100.code,
          gpuCount: 8,
          vramGb: 80,
          region: 840,
          bandwidthTier: 4,
        }),
        [supplier.wallet, key],
      );
      const handle = { key, address: key.publicKey, supplier, gpuCount: 8, multiplierBps: H100.multiplierBps };
      w.devices.push(handle);
      const dev = await w.device(handle);
      expect(dev.owner.toBase58()).to.equal(supplier.wallet.publicKey.toBase58());
      expect(dev.deviceKey.toBase58()).to.equal(key.publicKey.toBase58());
      expect([dev.gpuModel, dev.gpuCount, dev.vramGb, dev.region, dev.bandwidthTier]).to.deep.equal([H100.code, 8, 80, 840, 4]);
      expect(dev.status).to.equal(DeviceStatus.Active);
      expect(dev.multiplierBps).to.equal(H100.multiplierBps);
      expect(dev.registeredAt.toString()).to.equal((await w.engine.unixTime()).toString());

      const events = parseEvents(stakingIdl, res.logs);
      expect(events.map((e) => e.name)).to.deep.equal(["DeviceRegistered"]);
      const ev = events[0].data as Record<string, { toString(): string }>;
      expect(ev.device.toString()).to.equal(handle.address.toBase58());
      // 200 tokens x 10 (H100) x 8 GPUs.
      expect(ev.minimum_stake.toString()).to.equal((16_000n * 10n ** BigInt(DECIMALS)).toString());
    });

    it("register_device rejects an ineligible GPU, zero GPUs, a missing device signature and a re-registration", async () => {
      const supplier = await w.newSupplier(0n);
      const key = Keypair.generate();
      const base = {
        supplier: supplier.wallet.publicKey,
        deviceKey: key.publicKey,
        gpuModel: RTX4070.code,
        gpuCount: 1,
        vramGb: 12,
        region: 250,
        bandwidthTier: 2,
      };
      await w.rejects(await w.staking.registerDevice({ ...base, gpuModel: INELIGIBLE.code }), [supplier.wallet, key], E.GpuNotEligible);
      await w.rejects(await w.staking.registerDevice({ ...base, gpuCount: 0 }), [supplier.wallet, key], E.InvalidGpuCount);
      const unsigned = await w.staking.registerDevice(base);
      unsigned.keys[1].isSigner = false;
      await w.rejects(unsigned, [supplier.wallet], E.MissingSigner);
      const d = await w.registerDevice(supplier);
      await w.rejects(await w.staking.registerDevice({ ...base, deviceKey: d.key.publicKey }), [supplier.wallet, d.key], E.AlreadyInitialized);
    });

    it("stake moves tokens into the vault through a token CPI and emits Staked", async () => {
      const supplier = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier, RTX4070, 1);
      const amount = w.minimum(d);
      const vaultBefore = await w.balance(w.vault);
      const res = await w.ok("stake", await w.stakeIx(d, amount), [supplier.wallet]);
      expect(await w.balance(w.vault)).to.equal(vaultBefore + amount);
      expect(await w.balance(supplier.tokens)).to.equal(1_000n * 10n ** BigInt(DECIMALS) - amount);
      expect((await w.device(d)).stake.toString()).to.equal(amount.toString());
      const ev = eventNamed(parseEvents(stakingIdl, res.logs)[0], "Staked");
      expect(ev.name).to.equal("Staked");
      expect((ev.data.total_stake as { toString(): string }).toString()).to.equal(amount.toString());
      // A top-up below the minimum is fine once the minimum is met.
      await w.ok("stake", await w.stakeIx(d, 1n), [supplier.wallet]);
      expect((await w.device(d)).stake.toString()).to.equal((amount + 1n).toString());
    });

    it("stake below the device's minimum is rejected with BelowMinimumStake and moves nothing", async () => {
      const supplier = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier, RTX4070, 2);
      await w.rejects(await w.stakeIx(d, w.minimum(d) - 1n), [supplier.wallet], E.BelowMinimumStake, [supplier.tokens]);
      await w.rejects(await w.stakeIx(d, 0n), [supplier.wallet], E.InvalidAmount, [supplier.tokens]);
    });

    it("stake rejects a stranger, a foreign mint, someone else's token account and a fake vault", async () => {
      const supplier = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier);
      const amount = w.minimum(d);

      const stranger = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const asStranger = await w.staking.stake({ supplier: stranger.wallet.publicKey, deviceKey: d.key.publicKey, supplierTokens: stranger.tokens, amount });
      await w.rejects(asStranger, [stranger.wallet], E.NotDeviceOwner, [stranger.tokens]);

      const otherMint = await createMint(w.engine, supplier.wallet, w.mintAuthority.publicKey, DECIMALS);
      const foreign = await createTokenAccount(w.engine, supplier.wallet, otherMint, supplier.wallet.publicKey);
      await mintTo(w.engine, supplier.wallet, otherMint, foreign, w.mintAuthority, amount);
      const fromForeign = await w.staking.stake({ supplier: supplier.wallet.publicKey, deviceKey: d.key.publicKey, supplierTokens: foreign, amount });
      await w.rejects(fromForeign, [supplier.wallet], E.WrongMint, [foreign]);

      const fromOthers = await w.staking.stake({ supplier: supplier.wallet.publicKey, deviceKey: d.key.publicKey, supplierTokens: stranger.tokens, amount });
      await w.rejects(fromOthers, [supplier.wallet], E.WrongTokenOwner, [stranger.tokens]);

      const fakeVault = await createTokenAccount(w.engine, supplier.wallet, w.mint, supplier.wallet.publicKey);
      const intoFake = await w.stakeIx(d, amount);
      intoFake.keys[4].pubkey = fakeVault;
      await w.rejects(intoFake, [supplier.wallet], E.WrongVault, [fakeVault, supplier.tokens]);

      // Not a token account at all (a program-owned Device) where the supplier's tokens go.
      const bad = await w.stakeIx(d, amount);
      bad.keys[3].pubkey = d.address;
      await w.rejects(bad, [supplier.wallet], E.WrongOwner);
    });

    it("request_unstake then withdraw: rejected before the unbonding period ends, paid by a PDA-signed CPI after", async () => {
      const supplier = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier);
      const staked = w.minimum(d) * 3n;
      await w.ok("stake", await w.stakeIx(d, staked), [supplier.wallet]);

      await w.rejects(
        await w.staking.requestUnstake({ supplier: supplier.wallet.publicKey, deviceKey: d.key.publicKey, amount: staked + 1n }),
        [supplier.wallet],
        E.InsufficientStake,
      );
      const part = w.minimum(d);
      const res = await w.ok(
        "request_unstake",
        await w.staking.requestUnstake({ supplier: supplier.wallet.publicKey, deviceKey: d.key.publicKey, amount: part }),
        [supplier.wallet],
      );
      const unlockAt = (await w.engine.unixTime()) + BigInt(UNBONDING_SECONDS);
      const dev = await w.device(d);
      expect(dev.stake.toString()).to.equal((staked - part).toString());
      expect(dev.unbondingAmount.toString()).to.equal(part.toString());
      expect(dev.unbondingUnlockAt.toString()).to.equal(unlockAt.toString());
      expect(parseEvents(stakingIdl, res.logs)[0].name).to.equal("UnstakeRequested");

      const withdrawIx = await w.staking.withdraw({ supplier: supplier.wallet.publicKey, deviceKey: d.key.publicKey, destination: supplier.tokens });
      await w.rejects(withdrawIx, [supplier.wallet], E.StillUnbonding, [supplier.tokens]);
      await w.engine.warp(UNBONDING_SECONDS - 10);
      await w.rejects(withdrawIx, [supplier.wallet], E.StillUnbonding, [supplier.tokens]);
      await w.engine.warp(10);

      const before = await w.balance(supplier.tokens);
      const out = await w.ok("withdraw", withdrawIx, [supplier.wallet]);
      expect(await w.balance(supplier.tokens)).to.equal(before + part);
      expect((await w.device(d)).unbondingAmount.toString()).to.equal("0");
      const ev = eventNamed(parseEvents(stakingIdl, out.logs)[0], "Withdrawn");
      expect(ev.name).to.equal("Withdrawn");
      expect((ev.data.amount as { toString(): string }).toString()).to.equal(part.toString());

      await w.rejects(withdrawIx, [supplier.wallet], E.NothingToWithdraw, [supplier.tokens]);
    });

    it("malformed instruction data and unknown instructions are rejected with their codes", async () => {
      const supplier = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier);
      const short = await w.stakeIx(d, w.minimum(d));
      short.data = short.data.subarray(0, short.data.length - 1);
      await w.rejects(short, [supplier.wallet], E.InvalidInstructionData);
      const long = await w.stakeIx(d, w.minimum(d));
      long.data = Buffer.concat([long.data, Buffer.from([0])]);
      await w.rejects(long, [supplier.wallet], E.InvalidInstructionData);
      const unknown = await w.stakeIx(d, w.minimum(d));
      unknown.data = Buffer.from(unknown.data);
      unknown.data[0] ^= 0xff;
      await w.rejects(unknown, [supplier.wallet], E.UnknownInstruction);
    });

    it("an account of another type in the device slot is rejected (type cosplay)", async () => {
      const supplier = await w.newSupplier(1_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier);
      const ix = await w.stakeIx(d, w.minimum(d));
      ix.keys[2].pubkey = w.config;
      await w.rejects(ix, [supplier.wallet], E.WrongLength);
    });

    it("stays within the compute-unit cap of every instruction", () => {
      const caps = CU_CAPS[engineName];
      for (const [name, cap] of Object.entries(caps)) {
        const used = w.cu.get(name);
        expect(used, `${name} was not measured`).to.be.a("number");
        expect(used!, `${name} used ${used} CU`).to.be.at.most(cap);
        expect(used!, `${name} measured 0 CU`).to.be.greaterThan(0);
      }
    });
  });
}

describe("engines", () => {
  it("both engines load the same program and agree on its state", async () => {
    const results: string[] = [];
    for (const engineName of ENGINES) {
      const w = await World.create(engineName);
      const supplier = await w.newSupplier(10_000n * 10n ** BigInt(DECIMALS));
      const d = await w.registerDevice(supplier, H100, 2);
      await w.ok("stake", await w.stakeIx(d, w.minimum(d)), [supplier.wallet]);
      const dev = await w.device(d);
      results.push(`${dev.stake}:${dev.gpuCount}:${dev.multiplierBps}`);
    }
    expect(results[0]).to.equal(results[1]);
    expect(results[0]).to.equal(`${4_000n * 10n ** BigInt(DECIMALS)}:2:${H100.multiplierBps}`);
  });
});
