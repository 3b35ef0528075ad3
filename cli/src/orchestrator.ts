// `hourglass orchestrator run`, run by the network's operator: the orchestrator service over a
// cluster's JSON-RPC (--url), signing as the attester (--keypair, registered in the staking Config),
// serving the agent API on --port (default 7070) at --host (default 127.0.0.1; 0.0.0.0 for agents on
// other machines). Flags may come from the environment (HOURGLASS_RPC_URL, HOURGLASS_ATTESTER,
// HOURGLASS_API_PORT, HOURGLASS_API_HOST); each is checked before anything starts.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { readKeypair } from "@hourglass/client";
import { rpcChain, startOrchestratorService } from "@hourglass/orchestrator";
import { type Parsed, UsageError } from "./args.ts";
import { untilStopped } from "./lifetime.ts";

const ENV = { url: "HOURGLASS_RPC_URL", keypair: "HOURGLASS_ATTESTER", port: "HOURGLASS_API_PORT", host: "HOURGLASS_API_HOST" };
/** The shipped workload: one task per leased GPU, pinned to its device, reporting the Ray node it ran on. */
const WORKLOAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../orchestrator/workloads/batch_job.py");

export async function orchestrator(p: Parsed) {
  if (p.command !== "run") throw new UsageError(`unknown orchestrator command ${JSON.stringify(p.command)} (known: run)`);
  p.env(ENV);
  const url = p.opt("url") ?? process.env.ANCHOR_PROVIDER_URL ?? "http://127.0.0.1:8899";
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`${p.label("url")}: ${JSON.stringify(url)} must be http(s)://host:port`);
  const attester = readKeypair(p.opt("keypair") ?? process.env.ANCHOR_WALLET ?? "~/.config/solana/id.json");
  const port = p.int("port", 0, 65_535) ?? 7070;
  const host = p.opt("host") ?? "127.0.0.1";
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new UsageError(`${p.label("host")}: ${JSON.stringify(host)} is not an interface address`);
  const tickMs = p.int("tick-ms", 100, 60_000) ?? 1_000;
  const aliveSeconds = p.int("alive-seconds", 2, 3_600) ?? 10;
  const entrypoint = p.opt("entrypoint");
  if (entrypoint !== undefined && entrypoint.trim() === "") throw new UsageError(`${p.label("entrypoint")} must be a command line`);
  p.done();
  const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);
  const service = await startOrchestratorService({
    chain: rpcChain(url),
    attester,
    port,
    host,
    tickMs,
    aliveSeconds,
    rayToken: process.env.RAY_AUTH_TOKEN,
    // {lease} and {gpus} in a given entrypoint are the lease's address and GPUs.
    entrypoint: (lease, gpus) =>
      (entrypoint ?? `python -u ${WORKLOAD} --per-device --tasks {gpus}`).replaceAll("{lease}", lease.toBase58()).replaceAll("{gpus}", String(gpus)),
    log,
  });
  log(
    `orchestrator ${attester.publicKey.toBase58()}: chain ${url}; agent API ${service.url} (POST /agents/heartbeat, /agents/attestations; GET /leases/:address, /health)`,
  );
  log(`stopping (${await untilStopped()})`);
  await service.stop();
}
