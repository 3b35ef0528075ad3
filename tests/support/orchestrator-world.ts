// A lease world with four 8-GPU H100 machines, their device agents and an orchestrator on a given Ray
// head; the workload per lease is the shipped batch job (or a failing one, or one that sleeps).

import path from "node:path";
import { DeviceAgent } from "@hourglass/agent";
import type { ObservedEngine } from "@hourglass/localchain";
import { engineChain, Orchestrator, type OrchestratorOptions, type RayHead, type RayJobsClient } from "@hourglass/orchestrator";
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
  const agents = new Map(devices.map((d) => [d.address.toBase58(), new DeviceAgent(d.key)]));
  const failing = o.failing ?? new Set<string>();
  const sleeping = o.sleeping ?? new Set<string>();
  const make = (extra: Partial<OrchestratorOptions> = {}) =>
    new Orchestrator({
      ...extra,
      chain: engineChain(o.engine ? o.engine(lw.engine) : lw.engine),
      ray: o.ray,
      attester: lw.attester,
      agents,
      stakeDecimals: DECIMALS,
      log: process.env.HG_DEBUG ? console.log : undefined,
      entrypoint: (lease: PublicKey, gpus: number) =>
        sleeping.has(lease.toBase58())
          ? `${o.head.python} -c "import time; time.sleep(300)"`
          : `${o.head.python} ${WORKLOAD} --tasks ${gpus} --gpus-per-task 1${failing.has(lease.toBase58()) ? " --fail" : ""}`,
    });
  const orch = make();
  await orch.recover([]); // it started after the devices registered: load them from the chain
  return { lw, devices, orch, make, agents };
}
