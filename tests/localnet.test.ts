// The main job's embedded local network starts, deploys the programs, stakes its simulated fleet, starts
// the orchestrator service and one agent process per machine, and runs its scenario end to end (the
// lease placed, its own Ray cluster formed on its two machines, the job run there, hours proven from the
// agents' signatures, settlement, block rewards claimed); and Ctrl-C leaves no process of it running.

import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { processTree } from "@hourglass/agent";
import { LEASES_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import { processesNaming } from "@hourglass/orchestrator";
import { expect } from "chai";
import { anyAlive, eventually } from "./support/agent-network.ts";
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
        "--ray-port-base",
        "38000",
        "--orchestrator-port",
        "7176",
        "--rpc-port",
        "8891",
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

    // Every machine has its agent process.
    expect(summary.agents).to.have.length(10);
    expect(summary.orchestrator.url).to.equal("http://127.0.0.1:7176");

    const sc = summary.scenario;
    expect(sc.job.status).to.equal("SUCCEEDED");
    expect(sc.job.output).to.match(/^hourglass batch job: 16 tasks, total (\d+), expected \1$/);
    expect(sc.job.timeToRunningMs).to.be.a("number").and.above(0); // timed by the benchmark, not here
    expect(sc.status).to.equal("settled");
    expect(sc.devices).to.have.length(2);
    // The lease's own cluster: one machine ran the head, the other a worker; each ran its 8 tasks on its own node.
    expect(sc.devices.map((d: { role: string }) => d.role).sort()).to.deep.equal(["head", "worker"]);
    expect(sc.cluster.dashboard).to.match(/^http:\/\/127\.0\.0\.1:38\d01$/); // the head machine i's block: 38000 + 100 i, Jobs API at +1
    expect(new Set(sc.devices.map((d: { rayNodeId: string }) => d.rayNodeId)).size).to.equal(2);
    for (const d of sc.devices) {
      expect(d.rayNodeId).to.match(/^[0-9a-f]{56}$/);
      expect(d.tasks).to.equal(8);
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

  it("Ctrl-C stops every process it started: the orchestrator, the agents and a running lease's Ray node", async function () {
    this.timeout(300_000);
    const child = spawn(
      NODE[0],
      [
        ...NODE.slice(1),
        "--json",
        "--hour-seconds",
        "0",
        "--ray-port-base",
        "39000",
        "--orchestrator-port",
        "7177",
        "--rpc-port",
        "8892",
        "--explorer-port",
        "8298",
        "--db",
        "target/test-localnet-stop/indexer.sqlite",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const summary = await eventually(
        "the summary",
        () => {
          try {
            return JSON.parse(out) as { renterWallet: string; rpc: string; orchestrator: { url: string; pid: number }; agents: number[] };
          } catch {
            return undefined;
          }
        },
        240_000,
      );
      // A lease opened through the CLI runs on its machine while the network is interrupted.
      const { stdout } = await run(
        path.join(ROOT, "bin/hourglass"),
        [
          "lease",
          "open",
          "--url",
          summary.rpc,
          "--keypair",
          summary.renterWallet,
          "--gpu-model",
          "3",
          "--gpus",
          "2",
          "--hours",
          "2",
          "--price",
          "1000000",
          "--max-devices",
          "1",
          "--json",
        ],
        { cwd: ROOT },
      );
      const { lease } = JSON.parse(stdout) as { lease: string };
      await eventually(
        "the CLI's lease running",
        async () => {
          const res = await fetch(`${summary.orchestrator.url}/leases/${lease}`);
          return res.ok && ((await res.json()) as { jobStatus: string }).jobStatus === "RUNNING";
        },
        120_000,
      );
      const started = [summary.orchestrator.pid, ...summary.agents];
      const everything = [...started, ...started.flatMap((pid) => processTree(pid))];
      expect(everything.length).to.be.greaterThan(started.length + 3); // the lease's Ray node runs below its agent
      child.kill("SIGINT");
      expect(await exited).to.equal(0);
      await eventually("no process it started left", () => !anyAlive(everything), 30_000);
      // Nor one started while it stopped: no agent of it, no Ray node on its ports.
      await eventually(
        "no agent or Ray node of it anywhere",
        () => processesNaming("127.0.0.1:7177").length + processesNaming("--node-manager-port=390").length === 0,
        30_000,
      );
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
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
