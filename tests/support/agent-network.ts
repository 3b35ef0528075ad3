// A network whose compute side is real: the programs in LiteSVM behind its JSON-RPC endpoint, the
// orchestrator service over that endpoint (the JSON-RPC chain adapter) with its agent API, and one
// `bin/hourglass agent run` process per staked machine, each running its lease's Ray node when leased.
// Agents can be killed (-9) and restarted with the same key; the orchestrator can be stopped and
// started again on the same port while the agents go on.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { processTree } from "@hourglass/agent";
import { type RpcServer, startRpcServer } from "@hourglass/localchain";
import { type OrchestratorService, rpcChain, startOrchestratorService } from "@hourglass/orchestrator";
import type { PublicKey } from "@solana/web3.js";
import { LeaseWorld } from "./lease-world.ts";
import { type DeviceHandle, H100, ROOT } from "./world.ts";

export const WORKLOAD = path.join(ROOT, "orchestrator/workloads/batch_job.py");
const BIN = path.join(ROOT, "bin/hourglass");
/** The agents' heartbeat interval, the orchestrator's loop cadence and its alive window, as this network runs them. */
export const HEARTBEAT_MS = 500;
export const TICK_MS = 500;
export const ALIVE_SECONDS = 3;

/** Polls `check` until it returns a value other than undefined/false, or fails naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 90_000,
  pollMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One `hourglass agent run` process for a machine. */
export class AgentProcess {
  child: ChildProcess | null = null;
  output = "";
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly device: DeviceHandle,
    readonly keyFile: string,
    readonly orchestrator: string,
    readonly portBase: number,
    readonly declare = "8xH100:80",
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error("the agent is not running");
    return this.child.pid;
  }

  start(): void {
    const args = ["agent", "run", "--key", this.keyFile, "--orchestrator", this.orchestrator, "--declare", this.declare];
    args.push("--ray-port-base", String(this.portBase), "--heartbeat-ms", String(HEARTBEAT_MS));
    const child = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RAY_ADDRESS: "" } });
    child.stdout!.on("data", (b: Buffer) => this.append(b));
    child.stderr!.on("data", (b: Buffer) => this.append(b));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    this.child = child;
  }

  private append(b: Buffer) {
    this.output = (this.output + b.toString()).slice(-20_000);
    if (process.env.HG_DEBUG) process.stdout.write(`[agent ${this.device.address.toBase58().slice(0, 6)}] ${b}`);
  }

  /** The processes below the agent (its Ray node's, when it runs one), leaving out tsx's esbuild service (the TypeScript loader's). */
  descendants(): number[] {
    const loader = (pid: number) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("esbuild");
      } catch {
        return false;
      }
    };
    return this.child?.pid ? processTree(this.child.pid).filter((pid) => !loader(pid)) : [];
  }

  /** kill -9: the machine's agent dies at once. */
  async kill9(): Promise<number[]> {
    const tree = this.descendants();
    this.child?.kill("SIGKILL");
    await this.exited;
    this.child = null;
    return tree;
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), 20_000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }
}

/** Whether any of `pids` is still alive (not a zombie). */
export function anyAlive(pids: number[]): boolean {
  return pids.some((pid) => {
    try {
      return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return false;
    }
  });
}

export interface AgentNetworkOptions {
  machines: number;
  grace: number;
  /** The lease job's entrypoint (default: the per-device batch job, held running `holdSeconds`). */
  holdSeconds?: number;
  /** The first agent's Ray port block (each agent gets the next 100). */
  portBase: number;
}

export class AgentNetwork {
  service!: OrchestratorService;
  private constructor(
    readonly lw: LeaseWorld,
    readonly devices: DeviceHandle[],
    readonly agents: AgentProcess[],
    readonly rpc: RpcServer,
    readonly apiPort: number,
    private readonly dir: string,
    private readonly holdSeconds: number,
  ) {}

  static async create(o: AgentNetworkOptions): Promise<AgentNetwork> {
    const lw = await LeaseWorld.create("litesvm", o.grace);
    const devices = await lw.stakedDevices(o.machines, H100, 8);
    const rpc = await startRpcServer(lw.engine, 0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hg-agents-"));
    const apiPort = await freePort();
    const url = `http://127.0.0.1:${apiPort}`;
    const agents = devices.map((d, i) => {
      const file = path.join(dir, `device-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(Array.from(d.key.secretKey)), { mode: 0o600 });
      return new AgentProcess(d, file, url, o.portBase + 100 * i);
    });
    const net = new AgentNetwork(lw, devices, agents, rpc, apiPort, dir, o.holdSeconds ?? 600);
    await net.startOrchestrator();
    for (const a of agents) a.start();
    await eventually("every agent heartbeating", () => devices.every((d) => net.service.registry.alive(d.address.toBase58())));
    return net;
  }

  /** (Re)starts the orchestrator service on the agents' port. */
  async startOrchestrator(): Promise<void> {
    this.service = await startOrchestratorService({
      chain: rpcChain(this.rpc.url, { pollMs: 200 }),
      attester: this.lw.attester,
      port: this.apiPort,
      tickMs: TICK_MS,
      aliveSeconds: ALIVE_SECONDS,
      entrypoint: (_lease, gpus) => `python -u ${WORKLOAD} --per-device --tasks ${gpus} --hold ${this.holdSeconds}`,
      log: process.env.HG_DEBUG ? (m) => console.log(`[orchestrator] ${m}`) : undefined,
    });
  }

  agentOf(device: PublicKey): AgentProcess {
    return this.agents.find((a) => a.device.address.equals(device))!;
  }

  async close(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()));
    await this.service.stop();
    await this.rpc.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
