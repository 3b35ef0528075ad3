// The main job's embedded local network starts, deploys the programs, stakes its simulated fleet, starts
// a Ray head and the orchestrator, and runs its scenario end to end (lease placed and run on Ray, hours
// proven, settlement, block rewards claimed).

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { LEASES_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import { expect } from "chai";
import { ROOT } from "./support/world.ts";

const run = promisify(execFile);
const NODE = [process.execPath, "--no-allocation-site-pretenuring", "--import", "tsx", "scripts/localnet.ts"] as const;

describe("local network (main job)", () => {
  it("starts with the programs deployed and every simulated device staked, and runs the scenario", async function () {
    this.timeout(240_000);
    const { stdout } = await run(
      NODE[0],
      [
        ...NODE.slice(1),
        "--once",
        "--json",
        "--ray-port",
        "6393",
        "--ray-dashboard-port",
        "8274",
        "--explorer-port",
        "8296",
        "--db",
        "target/test-localnet/indexer.sqlite",
      ],
      { cwd: ROOT },
    );
    const summary = JSON.parse(stdout);
    expect(summary.programs.staking).to.equal(STAKING_PROGRAM_ID.toBase58());
    expect(summary.programs.leases).to.equal(LEASES_PROGRAM_ID.toBase58());
    expect(summary.market).to.be.a("string");
    expect(summary.programs.rewards).to.be.a("string");
    expect(summary.pool).to.be.a("string");
    expect(summary.devices).to.have.length(10);
    const staked = summary.devices.reduce((n: bigint, d: { stake: string }) => n + BigInt(d.stake), 0n);
    expect(BigInt(summary.stakeVault.balance)).to.equal(staked);
    for (const d of summary.devices) expect(d.stakeCu).to.be.within(1, 4_000);

    const sc = summary.scenario;
    expect(sc.job.status).to.equal("SUCCEEDED");
    expect(sc.job.output).to.match(/^hourglass batch job: 16 tasks, total (\d+), expected \1$/);
    expect(sc.job.timeToRunningMs).to.be.a("number").and.above(0); // timed by the benchmark, not here
    expect(sc.status).to.equal("settled");
    expect(sc.devices).to.have.length(2);
    for (const d of sc.devices) {
      expect(summary.devices.find((x: { device: string }) => x.device === d.device).model).to.equal("H100");
      expect(d.provenHours).to.equal(3);
      const gross = 3_000_000n * 8n * 3n;
      expect(BigInt(d.paid)).to.equal(gross - (gross * 25n) / 10_000n);
    }
    expect(sc.earned).to.equal((3_000_000n * 16n * 3n).toString());
    expect(sc.claimedBySuppliers).to.equal(sc.earned);
    expect(sc.refunded).to.equal("0");
    expect(BigInt(sc.rewards.claimed) > 0n).to.equal(true);
    expect(sc.rewards.hoursEmitted).to.equal(28);
    // The lease's network fees (renter 0.25% of 144,000,000 and 0.25% of each 72,000,000 payout) are burned.
    expect(sc.fees.burned).to.equal((360_000n + 2n * 180_000n).toString());
    expect(sc.fees.totalBurned).to.equal(sc.fees.burned);
    // The indexer followed the whole run: the explorer's API reports the same lease and rewards.
    expect(summary.explorer.url).to.equal("http://127.0.0.1:8296");
    expect(summary.explorer.events).to.be.greaterThan(100);
    expect(summary.explorer.lease.status).to.equal("settled");
    expect(summary.explorer.lease.earned).to.equal(sc.earned);
    expect(summary.explorer.lease.provenHours).to.equal(6);
    expect(summary.explorer.rewardsClaimed).to.equal(sc.rewards.claimed);
  });

  it("rejects an unknown option or a bad value with a clear message, before starting anything", async () => {
    const cases: [string[], string][] = [
      [["--bogus"], "unknown option --bogus"],
      [["--explorer-port", "http"], "--explorer-port needs a port number"],
      [["--db"], "--db needs a file path"],
      [["--hour-seconds", "soon"], "--hour-seconds needs a whole number of seconds"],
      [["--rpc-port", "99999"], "--rpc-port needs a port number"],
    ];
    for (const [argv, message] of cases) {
      const err = await run(NODE[0], [...NODE.slice(1), ...argv], { cwd: ROOT }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err, argv.join(" ")).to.not.equal(null);
      expect(err!.code).to.equal(2);
      expect(err!.stderr).to.contain(message);
    }
  });
});
