// A lease world with four 8-GPU H100 machines, an in-process stand-in for their agents (their keys sign
// at once; every lease's cluster is the given shared Ray head) and an orchestrator; the workload per
// lease is the shipped batch job (or a failing one, or one that sleeps). The suites with agent processes
// and a Ray cluster per lease are tests/agents-*.test.ts.

import path from "node:path";
import type { ObservedEngine } from "@hourglass/localchain";
import { engineChain, InProcessFleet, Orchestrator, type OrchestratorOptions, type RayHead, type RayJobsClient } from "@hourglass/orchestrator";
import type { PublicKey } from "@solana/web3.js";
import { LeaseWorld } from "./lease-world.ts";
import { DECIMALS, H100, ROOT } from "./world.ts";

const WORKLOAD = path.join(ROOT, "orchestrator/workloads/batch_job.py");

export interface OrchestratorWorldOptions {
  head: RayHead;
  ray: RayJobsClient;
  grace: number;
  /** Leases whose workload fails, or sleeps (stays RUNNING). */
  failing?: Set<string>;
  sleeping?: Set<string>;
  /** What the orchestrator sends through (e.g. an engine that injects RPC errors). */
  engine?: (engine: ObservedEngine) => ObservedEngine;
  /** Sees the chain before its first transaction (e.g. to attach an indexer). */
  onEngine?: (engine: ObservedEngine) => void;
}

export async function orchestratorWorld(o: OrchestratorWorldOptions) {
  const lw = await LeaseWorld.create("litesvm", o.grace, o.onEngine);
  const devices = await lw.stakedDevices(4, H100, 8);
  const fleet = new InProcessFleet(
    devices.map((d) => d.key),
    { dashboard: o.ray.address, nodeId: "shared-head", list: () => o.ray.list() },
  );
  const failing = o.failing ?? new Set<string>();
  const sleeping = o.sleeping ?? new Set<string>();
  const make = (extra: Partial<OrchestratorOptions> = {}) =>
    new Orchestrator({
      ...extra,
      chain: engineChain(o.engine ? o.engine(lw.engine) : lw.engine),
      fleet,
      attester: lw.attester,
      stakeDecimals: DECIMALS,
      log: process.env.HG_DEBUG ? console.log : undefined,
      entrypoint: (lease: PublicKey, gpus: number) =>
        sleeping.has(lease.toBase58())
          ? `${o.head.python} -c "import time; time.sleep(300)"`
          : `${o.head.python} ${WORKLOAD} --tasks ${gpus} --gpus-per-task 1${failing.has(lease.toBase58()) ? " --fail" : ""}`,
    });
  const orch = make();
  await orch.recover([]); // it started after the devices registered: load them from the chain
  return { lw, devices, orch, make, fleet };
}
