// Property test: random sequences of staking operations (stake, unstake, withdraw, co-stake, co-unstake,
// co-withdraw, slash, clock jumps) by random actors, valid or not, on LiteSVM. After every sequence no
// token was created or destroyed, the vault holds exactly what it owes, and no failed operation
// changed anything (World.rejects-style snapshots around each failure).
import { expect } from "chai";
import fc from "fast-check";
import { Keypair } from "@solana/web3.js";
import { DECIMALS, RTX4070, H100, UNBONDING_SECONDS, World, type DeviceHandle, type Supplier } from "./support/world.ts";

const TOKENS = 10n ** BigInt(DECIMALS);

type Op =
  | { kind: "stake" | "unstake" | "coStake" | "coUnstake"; device: number; actor: number; amount: number }
  | { kind: "withdraw" | "coWithdraw"; device: number; actor: number }
  | { kind: "slash"; device: number; bps: number }
  | { kind: "warp"; days: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom("stake" as const, "unstake" as const, "coStake" as const, "coUnstake" as const), device: fc.nat(2), actor: fc.nat(3), amount: fc.integer({ min: 0, max: 30_000 }) }),
  fc.record({ kind: fc.constantFrom("withdraw" as const, "coWithdraw" as const), device: fc.nat(2), actor: fc.nat(3) }),
  fc.record({ kind: fc.constant("slash" as const), device: fc.nat(2), bps: fc.integer({ min: 0, max: 1_500 }) }),
  fc.record({ kind: fc.constant("warp" as const), days: fc.integer({ min: 1, max: 20 }) }),
);

describe("staking properties (fast-check over LiteSVM)", function () {
  this.timeout(600_000);

  it("conserves tokens and keeps the vault equal to what it owes under random operation sequences", async function () {
    let runs = 0;
    let failures = 0;
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        runs++;
        const w = await World.create("litesvm");
        const lease = Keypair.generate();
        await w.engine.airdrop(lease.publicKey, 1_000_000_000n);
        await w.ok("update_config", await w.staking.updateConfig({ authority: w.authority.publicKey, treasury: w.treasury, unbondingPeriodSeconds: UNBONDING_SECONDS, maxSlashBps: 1_000, leaseAuthority: lease.publicKey }), [w.authority]);
        const actors: Supplier[] = [];
        for (let i = 0; i < 4; i++) actors.push(await w.newSupplier(100_000n * TOKENS));
        const devices: DeviceHandle[] = [
          await w.registerDevice(actors[0], RTX4070, 1),
          await w.registerDevice(actors[1], RTX4070, 2),
          await w.registerDevice(actors[2], H100, 1),
        ];
        for (const d of devices) {
          await w.ok("stake", await w.stakeIx(d, w.minimum(d) * 2n), [d.supplier.wallet]);
          for (const a of actors) w.coStakers.push({ device: d, staker: a });
        }
        const holders = [...actors.map((a) => a.tokens), w.vault, w.treasury];
        const supply = async () => {
          let t = 0n;
          for (const h of holders) t += await w.balance(h);
          return t;
        };
        const before = await supply();

        for (const op of ops) {
          let ix;
          let signers: Keypair[];
          if (op.kind === "warp") {
            await w.engine.warp(op.days * 86_400);
            continue;
          }
          const d = devices[op.device];
          if (op.kind === "slash") {
            ix = await w.staking.slash({ authority: lease.publicKey, deviceKey: d.key.publicKey, treasury: w.treasury, bps: op.bps, reason: 1 });
            signers = [lease];
          } else {
            const a = actors[op.actor];
            signers = [a.wallet];
            const amount = "amount" in op ? BigInt(op.amount) * TOKENS / 10n : 0n;
            const p = { deviceKey: d.key.publicKey };
            ix =
              op.kind === "stake" ? await w.staking.stake({ ...p, supplier: a.wallet.publicKey, supplierTokens: a.tokens, amount })
              : op.kind === "unstake" ? await w.staking.requestUnstake({ ...p, supplier: a.wallet.publicKey, amount })
              : op.kind === "withdraw" ? await w.staking.withdraw({ ...p, supplier: a.wallet.publicKey, destination: a.tokens })
              : op.kind === "coStake" ? await w.staking.coStake({ ...p, staker: a.wallet.publicKey, stakerTokens: a.tokens, amount })
              : op.kind === "coUnstake" ? await w.staking.coUnstake({ ...p, staker: a.wallet.publicKey, amount })
              : await w.staking.coWithdraw({ ...p, staker: a.wallet.publicKey, destination: a.tokens });
          }
          const snap = await w.snapshot([...holders, ...devices.map((x) => x.address)]);
          const res = await w.engine.send([ix], signers);
          if (res.ok) {
            successes++;
          } else {
            failures++;
            expect(res.errorCode, res.error ?? "").to.be.a("number");
            expect(await w.snapshot([...holders, ...devices.map((x) => x.address)])).to.deep.equal(snap);
          }
          await w.checkVaultInvariant();
        }
        expect(await supply()).to.equal(before);
      }),
      { numRuns: 60, seed: 20261122 },
    );
    console.log(`    ${runs} sequences: ${successes} operations succeeded, ${failures} were rejected with a program error`);
    expect(successes).to.be.greaterThan(0);
    expect(failures).to.be.greaterThan(0);
  });
});
