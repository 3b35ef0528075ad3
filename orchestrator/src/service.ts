// The orchestrator as a long-running service (`hourglass orchestrator run`): the agent registry behind
// the HTTP API agents heartbeat to, the orchestrator over a Chain (JSON-RPC to any cluster, or the
// in-process engine), and its loop ticking every `tickMs`. The network's facts it needs (the stake
// mint's decimals, the reward mint) are read from the chain at start.

import { configPda, DeviceStatus, poolPda, RewardsClient, STAKING_PROGRAM_ID, StakingClient } from "@hourglass/client";
import type { Keypair, PublicKey } from "@solana/web3.js";
import { type AgentApiServer, startAgentApi } from "./api/agents.ts";
import type { Chain } from "./chain/port.ts";
import { AgentRegistry } from "./fleet/registry.ts";
import { Orchestrator, type OrchestratorOptions } from "./orchestrator.ts";

export interface ServiceOptions {
  chain: Chain;
  /** The attester registered in the staking Config; signs and pays for every transaction. */
  attester: Keypair;
  /** The agent API's port (0: any free one) and interface. */
  port: number;
  host?: string;
  /** How often the loop runs (default 1 s). */
  tickMs?: number;
  /** A device is alive while its last heartbeat is at most this old (default 10 s). */
  aliveSeconds?: number;
  /** The Ray job's entrypoint for a lease. */
  entrypoint: OrchestratorOptions["entrypoint"];
  rayToken?: string;
  history?: OrchestratorOptions["history"];
  log?: (msg: string) => void;
}

export interface OrchestratorService {
  /** The agent API's URL. */
  url: string;
  orchestrator: Orchestrator;
  registry: AgentRegistry;
  /** Resolves after the loop's current pass and the API have stopped. */
  stop(): Promise<void>;
}

/** The stake mint's decimals and the reward mint (when the emission pool exists), from the chain. */
async function networkFacts(chain: Chain): Promise<{ stakeDecimals: number; rewardMint?: PublicKey }> {
  const config = await chain.getAccount(configPda()[0]);
  if (!config) throw new Error("no staking Config on this cluster: deploy and initialise the network first");
  const { stakeMint } = new StakingClient().decodeConfig(config.data);
  const mint = await chain.getAccount(stakeMint);
  if (!mint) throw new Error(`the stake mint ${stakeMint.toBase58()} does not exist`);
  const pool = await chain.getAccount(poolPda()[0]);
  // SPL mint layout: decimals at byte 44.
  return { stakeDecimals: mint.data[44], rewardMint: pool ? new RewardsClient().decodePool(pool.data).rewardMint : undefined };
}

export async function startOrchestratorService(o: ServiceOptions): Promise<OrchestratorService> {
  const { stakeDecimals, rewardMint } = await networkFacts(o.chain);
  const staking = new StakingClient();
  // A pass of the loop now, or right after the one in flight (not after stop).
  let pass: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (pass) {
      again = true;
      return;
    }
    pass = orchestrator
      .tick()
      .catch((e) => o.log?.(`tick: ${e instanceof Error ? e.message : e}`))
      .finally(() => {
        pass = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const registry = new AgentRegistry({
    aliveSeconds: o.aliveSeconds,
    // An agent's node came up or went: its lease's cluster is formed (or re-formed) without waiting for the next tick.
    onReport: () => setImmediate(run),
    lookup: async (device) => {
      const acc = await o.chain.getAccount(device);
      if (!acc?.owner.equals(STAKING_PROGRAM_ID)) return { registered: false, lease: null };
      const d = staking.decodeDevice(acc.data);
      return { registered: true, lease: d.status === DeviceStatus.Leased ? d.currentLease.toBase58() : null };
    },
  });
  const orchestrator = new Orchestrator({
    chain: o.chain,
    fleet: registry,
    attester: o.attester,
    stakeDecimals,
    rewardMint,
    entrypoint: o.entrypoint,
    rayToken: o.rayToken,
    history: o.history,
    log: o.log,
  });
  const api: AgentApiServer = await startAgentApi(
    { registry, lease: (address) => orchestrator.cluster(address), leases: () => orchestrator.leases.size },
    o.port,
    o.host,
  );
  const timer = setInterval(() => {
    if (!pass) run();
  }, o.tickMs ?? 1_000);
  return {
    url: api.url,
    orchestrator,
    registry,
    stop: async () => {
      clearInterval(timer);
      stopped = true;
      await pass;
      orchestrator.detach();
      await api.close();
    },
  };
}
