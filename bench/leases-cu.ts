// Lease program numbers in LiteSVM: compute units per instruction, and for prove_time the most
// attestations one transaction holds, device-hours per transaction with 1-hour and 24-hour
// attestations, CU per attestation and per device-hour. Prints a table with the goals; exits 1 if a
// goal is missed. Run: npx tsx bench/leases-cu.ts [--json]
import { Keypair, Transaction } from "@solana/web3.js";
import { HOUR, LeaseWorld, TOKENS } from "../tests/support/lease-world.ts";
import { type Goal, GoalTable } from "./table.ts";

const GOALS = { createLeaseCu: 8_000, cuPerAttestation: 2_000, deviceHoursPerTx24h: 100 };
const table = new GoalTable();
const row = (metric: string, value: number, goal?: Goal) => table.add(metric, value, goal);

async function main() {
  const lw = await LeaseWorld.create("litesvm", 25 * HOUR);
  row("initialize_market CU (creates the network fee vault)", lw.cu.get("initialize_market")!);
  const renter = await lw.newRenter();
  const devices = await lw.stakedDevices(10);
  const o = await lw.open(renter, { gpus: 10, hours: 48, price: 2n * TOKENS });
  row("create_lease CU", lw.cu.get("create_lease")!, { max: GOALS.createLeaseCu });
  for (const d of devices) await lw.assign(o, d);
  row("assign_device CU (incl. staking CPI)", lw.cu.get("assign_device")!);

  // Transaction size: how many attestations fit 1,232 bytes.
  await lw.engine.warp(24 * HOUR);
  let fit = 0;
  for (let n = 1; n <= 8; n++) {
    const atts = Array.from({ length: n }, (_, j) => lw.attest(o, j, 0, 24));
    const ed = (await import("@hourglass/client")).ed25519Instruction(atts, 0);
    const prove = await lw.leases.program.methods
      .proveTime((await import("@hourglass/client")).attestationBytes(atts))
      .accountsStrict({
        attester: lw.attester.publicKey,
        stakingConfig: lw.w.config,
        lease: o.lease.publicKey,
        instructions: (await import("@solana/web3.js")).SYSVAR_INSTRUCTIONS_PUBKEY,
      })
      .instruction();
    const tx = new Transaction({ feePayer: lw.attester.publicKey, recentBlockhash: await lw.engine.latestBlockhash() }).add(ed, prove);
    let size = Infinity;
    try {
      tx.sign(lw.attester);
      size = tx.serialize().length;
    } catch {
      // web3.js cannot even lay out a message over 1,232 bytes
    }
    if (size <= 1232) fit = n;
  }
  row("attestations per prove_time transaction", fit);

  // 24-hour attestations, five per transaction.
  const res24 = await lw.ok(
    "prove_time",
    await lw.proveIxs(
      o,
      Array.from({ length: 5 }, (_, j) => lw.attest(o, j, 0, 24)),
    ),
    [lw.attester],
  );
  const cu24 = lw.cu.get("prove_time")!;
  row("device-hours per tx, 24-hour attestations", 5 * 24, { min: GOALS.deviceHoursPerTx24h });
  row("prove_time CU, 5 x 24-hour attestations", cu24);
  row("CU per attestation (24-hour)", Math.round(cu24 / 5), { max: GOALS.cuPerAttestation });
  row("CU per device-hour (24-hour attestations)", Math.round((cu24 / 120) * 100) / 100);
  void res24;

  // 1-hour attestations on the other five devices.
  await lw.ok(
    "prove_time",
    await lw.proveIxs(
      o,
      Array.from({ length: 5 }, (_, j) => lw.attest(o, 5 + j, 0, 1)),
    ),
    [lw.attester],
  );
  const cu1 = lw.cu.get("prove_time")!;
  row("device-hours per tx, 1-hour attestations", 5);
  row("CU per attestation (1-hour)", Math.round(cu1 / 5), { max: GOALS.cuPerAttestation });
  row("CU per device-hour (1-hour attestations)", Math.round(cu1 / 5));
  await lw.prove(o, [lw.attest(o, 5, 1, 1)]);
  row("prove_time CU, 1 x 1-hour attestation", lw.cu.get("prove_time")!);

  await lw.claim(o, 0, devices[0].supplier.tokens);
  row("claim CU (2 transfers)", lw.cu.get("claim")!);
  await lw.extend(o, 1);
  row("extend CU", lw.cu.get("extend")!);
  // Device 9 proved hour 0 only: hour 1's grace (25 h) ends at 27 h.
  await lw.engine.warp(3 * HOUR + 1);
  await lw.ok(
    "report_fault",
    await lw.leases.reportFault({
      caller: lw.attester.publicKey,
      lease: o.lease.publicKey,
      slot: 9,
      device: devices[9].address,
      stakingTreasury: lw.w.treasury,
    }),
    [lw.attester],
  );
  row("report_fault CU (slash + release CPIs)", lw.cu.get("report_fault")!);
  await lw.terminate(o);
  row("terminate CU", lw.cu.get("terminate")!);
  await lw.engine.warp(26 * HOUR);
  await lw.ok(
    "complete",
    await lw.leases.complete({ caller: lw.attester.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: renter.network }),
    [lw.attester],
  );
  row("complete CU", lw.cu.get("complete")!);
  await lw.ok(
    "release_device",
    await lw.leases.releaseDevice({ caller: lw.attester.publicKey, lease: o.lease.publicKey, slot: 0, device: devices[0].address }),
    [lw.attester],
  );
  row("release_device CU (staking CPI)", lw.cu.get("release_device")!);

  // The fees collected above (renter fees of the lease and its extension, the supplier fee of the
  // claim) are in the network fee vault: anyone burns them.
  const burner = Keypair.generate();
  await lw.engine.airdrop(burner.publicKey, 1_000_000_000n);
  await lw.ok("burn_fees", await lw.leases.burnFees({ caller: burner.publicKey, networkMint: lw.w.mint }), [burner]);
  row("burn_fees CU (burn CPI)", lw.cu.get("burn_fees")!);

  const pauseWorld = lw;
  const p = await pauseWorld.open(renter, { gpus: 1, hours: 1, price: TOKENS });
  await pauseWorld.engine.warp(HOUR);
  const cranker = Keypair.generate();
  await pauseWorld.engine.airdrop(cranker.publicKey, 1_000_000_000n);
  await pauseWorld.ok("pause", await pauseWorld.leases.pause({ caller: cranker.publicKey, lease: p.lease.publicKey }), [cranker]);
  row("pause CU", pauseWorld.cu.get("pause")!);

  if (!table.report("lease program in LiteSVM (our program's compute units, CPIs included)")) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
