// Rewards program compute units in LiteSVM: per hour advanced by crank (goal <= 3,000), record_uptime
// with the staking Device read (eligibility) and with the lease slot read (working weight), weight
// changes and denomination, per claim (goal <= 5,000, token transfer included) after 1 and after 10,000
// hours (O(1): the same CU), co-stake sync and claim, and the other instructions.
// Prints a table; exits 1 if a goal is missed. Run: npx tsx bench/rewards-cu.ts [--json]
import { LeaseWorld } from "../tests/support/lease-world.ts";
import { PRICE } from "../tests/support/network-history.ts";
import { HOUR, RewardsWorld } from "../tests/support/rewards-world.ts";
import { DECIMALS } from "../tests/support/world.ts";
import { GoalTable } from "./table.ts";

const table = new GoalTable();
const row = (metric: string, value: number, max?: number) => table.add(metric, value, max === undefined ? undefined : { max });

async function main() {
  const lw = await LeaseWorld.create("litesvm", 25 * HOUR);
  const rw = await RewardsWorld.attach(lw.w);
  row("initialize_pool CU", rw.cu.get("initialize_pool")!);
  const [a, b, c, d, e, f] = await rw.devices(6);
  row("register_reward CU", rw.cu.get("register_reward")!);
  await rw.engine.warp(96 * HOUR);
  const full = await rw.crank(96);
  if (full.logs.some((l) => l.includes("Log truncated"))) throw new Error("a 96-hour crank overflowed the log");
  row("crank CU per hour (96 hours, no weight)", Math.round(rw.cu.get("crank")! / 96), 3_000);

  // A idle: the record reads its staking Device (eligibility, supplier stake) and nominates it.
  await rw.ok("record_uptime", await rw.uptimeIxs([{ device: a, first: 91, count: 5 }]), [rw.attester]);
  row("record_uptime CU (1 attestation, Device read, nominates)", rw.cu.get("record_uptime")!);
  // B leased with proven hours: the record also reads the lease's slot and nominates at the working weight.
  const renter = await lw.newRenter();
  const lease = await lw.open(renter, { gpus: 1, hours: 10, price: PRICE });
  await lw.assign(lease, b);
  await rw.engine.warp(HOUR);
  await rw.catchUp();
  await lw.ok("prove_time", await lw.proveIxs(lease, [lw.attest(lease, 0, 0, 1)]), [lw.attester]);
  await rw.ok("record_uptime", await rw.uptimeIxs([{ device: b, first: 92, count: 5 }]), [rw.attester]);
  row("record_uptime CU (1 attestation, Device + lease slot read, nominates working)", rw.cu.get("record_uptime")!);
  // Three devices in one transaction (the most that fits).
  await rw.ok("record_uptime", await rw.uptimeIxs([c, d, e].map((device) => ({ device, first: 92, count: 5 }))), [rw.attester]);
  row("record_uptime CU per attestation (3 in one, each nominates)", Math.round(rw.cu.get("record_uptime")! / 3));
  await rw.ok("record_uptime", await rw.uptimeIxs([{ device: f, first: 92, count: 5 }]), [rw.attester]);
  // Next hour: A is recorded again (no change); B's lease shows no new proven hour: back to idle weight.
  await rw.engine.warp(HOUR);
  await rw.catchUp();
  row("crank CU, 1 hour with weight", rw.cu.get("crank")!, 3_000);
  await rw.ok("record_uptime", await rw.uptimeIxs([{ device: a, first: 96, count: 2 }]), [rw.attester]);
  row("record_uptime CU (1 attestation, nominated, no change)", rw.cu.get("record_uptime")!);
  await rw.ok("record_uptime", await rw.uptimeIxs([{ device: b, first: 97, count: 1 }]), [rw.attester]);
  row("record_uptime CU (1 attestation, lease read, weight change)", rw.cu.get("record_uptime")!);

  await rw.engine.warp(HOUR);
  await rw.catchUp();
  await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
  const claim1 = rw.cu.get("claim")!;
  row("claim CU after 1 hour", claim1, 5_000);

  // A co-staker on C: sync (new position), an hour, claim.
  const backer = await rw.w.newSupplier(1_000_000n * 10n ** BigInt(DECIMALS));
  await rw.w.ok("co_stake", await rw.w.coStakeIx(c, backer, rw.w.minimum(c) / 4n), [backer.wallet]);
  await rw.ok("sync_co_stake", await rw.syncIx(c, backer.wallet.publicKey), [backer.wallet]);
  row("sync_co_stake CU (new position)", rw.cu.get("sync_co_stake")!);
  await rw.engine.warp(HOUR);
  await rw.catchUp();
  const { createTokenAccount } = await import("@hourglass/localchain");
  const backerTokens = await createTokenAccount(rw.engine, backer.wallet, rw.rewardMint, backer.wallet.publicKey);
  await rw.ok("claim_co_stake", await rw.rewards.claimCoStake({ staker: backer.wallet.publicKey, device: c.address, destination: backerTokens }), [
    backer.wallet,
  ]);
  row("claim_co_stake CU", rw.cu.get("claim_co_stake")!, 5_000);

  // D's supplier unstakes below the minimum: anyone denominates it.
  await rw.w.ok("request_unstake", await rw.w.staking.requestUnstake({ supplier: d.supplier.wallet.publicKey, deviceKey: d.key.publicKey, amount: 1n }), [
    d.supplier.wallet,
  ]);
  await rw.ok("denominate", await rw.rewards.denominate({ caller: rw.attester.publicKey, device: d.address }), [rw.attester]);
  row("denominate CU (below its minimum)", rw.cu.get("denominate")!);

  await rw.engine.warp(96 * HOUR);
  await rw.crank(96);
  row("crank CU per hour (96 hours, with weight)", Math.round(rw.cu.get("crank")! / 96), 3_000);
  await rw.engine.warp((10_000 - 96) * HOUR);
  await rw.catchUp();
  await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
  const claim10k = rw.cu.get("claim")!;
  row("claim CU after 10,000 hours", claim10k, 5_000);
  row("claim CU difference, 10,000 hours vs 1 (O(1))", Math.abs(claim10k - claim1), 20);
  if (!table.report("rewards program in LiteSVM (our program's compute units, CPIs included)")) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
