// Classes of Solana program attack tried against the staking program: each attempt fails with its
// specific error and leaves every watched account unchanged (World.rejects snapshots them).

import { CoreError, coStakePda, STAKING_PROGRAM_ID, StakingError } from "@hourglass/client";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, type DeviceHandle, ENGINES, RTX4070, type Supplier, UNBONDING_SECONDS, World } from "./support/world.ts";

/** Program error codes by name (generated from the IDLs). */
const E = { ...CoreError, ...StakingError };
const TOKENS = 10n ** BigInt(DECIMALS);

for (const engineName of ENGINES) {
  describe(`staking attack surface on ${engineName}`, () => {
    let w: World;
    let s: Supplier;
    let d: DeviceHandle;

    before(async () => {
      w = await World.create(engineName);
      s = await w.newSupplier(100_000n * TOKENS);
      d = await w.registerDevice(s, RTX4070, 1);
      await w.ok("stake", await w.stakeIx(d, w.minimum(d) * 2n), [s.wallet]);
    });

    afterEach(async () => {
      await w.checkVaultInvariant();
    });

    it("missing signer: a supplier key passed without its signature", async () => {
      const ix = await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount: 1n });
      ix.keys[0].isSigner = false;
      const payer = await w.newSupplier(0n);
      await w.rejects(ix, [payer.wallet], E.MissingSigner);
    });

    it("read-only where a write is needed: the Config passed read-only to update_config", async () => {
      const ix = await w.staking.updateConfig({
        authority: w.authority.publicKey,
        treasury: w.treasury,
        unbondingPeriodSeconds: UNBONDING_SECONDS,
        maxSlashBps: 100,
        leaseAuthority: PublicKey.default,
      });
      ix.keys[1].isWritable = false;
      await w.rejects(ix, [w.authority], E.NotWritable);
    });

    it("arbitrary CPI target: a fake token program is refused before any CPI", async () => {
      for (const fake of [SystemProgram.programId, STAKING_PROGRAM_ID, Keypair.generate().publicKey]) {
        const ix = await w.stakeIx(d, 1n);
        ix.keys[5].pubkey = fake;
        await w.rejects(ix, [s.wallet], E.WrongProgram, [s.tokens]);
      }
    });

    it("duplicate mutable accounts: the vault as withdrawal destination, the vault as stake source", async () => {
      await w.ok("request_unstake", await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, amount: 1n }), [s.wallet]);
      await w.engine.warp(UNBONDING_SECONDS);
      await w.rejects(
        await w.staking.withdraw({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, destination: w.vault }),
        [s.wallet],
        E.DuplicateAccount,
      );
      await w.rejects(
        await w.staking.stake({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, supplierTokens: w.vault, amount: 1n }),
        [s.wallet],
        E.WrongTokenOwner,
      );
      await w.ok("withdraw", await w.staking.withdraw({ supplier: s.wallet.publicKey, deviceKey: d.key.publicKey, destination: s.tokens }), [s.wallet]);
    });

    it("non-canonical bump: a Config at another valid bump of the same seed is refused", async () => {
      const fresh = await World.create(engineName, { initialize: false });
      const [, canonical] = PublicKey.findProgramAddressSync([Buffer.from("config")], STAKING_PROGRAM_ID);
      let other: PublicKey | null = null;
      for (let bump = canonical - 1; bump >= 0 && !other; bump--) {
        try {
          other = PublicKey.createProgramAddressSync([Buffer.from("config"), Buffer.from([bump])], STAKING_PROGRAM_ID);
        } catch {
          // on the curve: try the next bump
        }
      }
      expect(other).to.not.equal(null);
      const ix = await fresh.initializeConfigIx();
      ix.keys[1].pubkey = other!;
      await fresh.rejects(ix, [fresh.authority], E.WrongPda, [other!]);
    });

    it("PDA shared across users: someone else's CoStake cannot be unstaked with your signature", async () => {
      const backer = await w.newSupplier(100_000n * TOKENS);
      w.coStakers.push({ device: d, staker: backer });
      await w.ok("co_stake", await w.coStakeIx(d, backer, 10n * TOKENS), [backer.wallet]);
      const thief = await w.newSupplier(0n);
      const ix = await w.staking.coUnstake({ staker: thief.wallet.publicKey, deviceKey: d.key.publicKey, amount: 10n * TOKENS });
      ix.keys[3].pubkey = coStakePda(d.address, backer.wallet.publicKey)[0];
      await w.rejects(ix, [thief.wallet], E.NotDeviceOwner);
    });

    it("closing and revival in one transaction: a refunded closed Device is a plain system account", async () => {
      const owner = await w.newSupplier(0n);
      const victim = await w.registerDevice(owner, RTX4070, 1);
      const rent = (await w.engine.getAccount(victim.address))!.lamports;
      await w.ok(
        "deregister",
        [
          await w.staking.deregister({ supplier: owner.wallet.publicKey, deviceKey: victim.key.publicKey }),
          SystemProgram.transfer({ fromPubkey: owner.wallet.publicKey, toPubkey: victim.address, lamports: rent }),
        ],
        [owner.wallet],
      );
      const revived = (await w.engine.getAccount(victim.address))!;
      expect(revived.owner.equals(SystemProgram.programId)).to.equal(true);
      expect(revived.data.length).to.equal(0);
      w.devices.splice(w.devices.indexOf(victim), 1);
      const ix = await w.staking.requestUnstake({ supplier: owner.wallet.publicKey, deviceKey: victim.key.publicKey, amount: 1n });
      await w.rejects(ix, [owner.wallet], E.WrongOwner, [victim.address]);
    });
  });
}
