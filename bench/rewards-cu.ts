// Rewards program compute units in LiteSVM: per hour advanced by crank (goal <= 3,000), per claim
// (goal <= 5,000, token transfer included) after 1 and after 10,000 hours, and the other instructions.
// Prints a table; exits 1 if a goal is missed. Run: npx tsx bench/rewards-cu.ts [--json]
import { RewardsWorld, HOUR } from "../tests/support/rewards-world.ts";
import { GoalTable } from "./table.ts";

const table = new GoalTable();
const row = (metric: string, value: number, max?: number) => table.add(metric, value, max === undefined ? undefined : { max });

async function main() {
  const rw = await RewardsWorld.create("litesvm");
  row("initialize_pool CU", rw.cu.get("initialize_pool")!);
  const [a] = await rw.devices(1);
  row("register_reward CU", rw.cu.get("register_reward")!);
  await rw.engine.warp(96 * HOUR);
  const full = await rw.crank(96);
  if (full.logs.some((l) => l.includes("Log truncated"))) throw new Error("a 96-hour crank overflowed the log");
  row("crank CU per hour (96 hours, no weight)", Math.round(rw.cu.get("crank")! / 96), 3_000);
  await rw.ok("record_uptime", await rw.uptimeIxs([{ device: a, first: 91, count: 5 }]), [rw.attester]);
  row("record_uptime CU (1 attestation, nominates)", rw.cu.get("record_uptime")!);
  await rw.engine.warp(2 * HOUR);
  await rw.crank(1);
  await rw.crank(1);
  row("crank CU, 1 hour with weight", rw.cu.get("crank")!, 3_000);
  await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
  row("claim CU after 1 hour", rw.cu.get("claim")!, 5_000);
  await rw.engine.warp(96 * HOUR);
  await rw.crank(96);
  row("crank CU per hour (96 hours, with weight)", Math.round(rw.cu.get("crank")! / 96), 3_000);
  await rw.engine.warp((10_000 - 96) * HOUR);
  await rw.catchUp();
  await rw.ok("claim", await rw.claimIx(a), [a.supplier.wallet]);
  row("claim CU after 10,000 hours", rw.cu.get("claim")!, 5_000);
  if (!table.report("rewards program in LiteSVM (our program's compute units, CPIs included)")) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
