// The local network's compute side, as it runs on real machines: the orchestrator service
// (`hourglass orchestrator run`) and one device agent process per simulated machine
// (`hourglass agent run --declare ...`), each a child process with its log under target/localnet/logs.
// `stop` ends them all (SIGTERM; SIGKILL after 20 s): an agent stops its Ray node before it exits.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LeaseCluster } from "@hourglass/orchestrator";
import type { Keypair } from "@solana/web3.js";

export interface ComputeOptions {
  root: string;
  logs: string;
  rpcUrl: string;
  /** The attester the orchestrator signs as. */
  operator: Keypair;
  orchestratorPort: number;
  /** The first machine's Ray port block; each next machine gets the next 100 ports. */
  rayPortBase: number;
}

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

export class ComputeSide {
  private readonly children: Child[] = [];
  private readonly keys = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-keys-"));
  orchestratorUrl = "";

  constructor(private readonly o: ComputeOptions) {
    fs.rmSync(o.logs, { recursive: true, force: true });
    fs.mkdirSync(o.logs, { recursive: true });
  }

  get pids(): { orchestrator: number; agents: number[] } {
    const [orchestrator, ...agents] = this.children.map((c) => c.process.pid!);
    return { orchestrator, agents };
  }

  private keyFile(name: string, key: Keypair): string {
    const file = path.join(this.keys, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(Array.from(key.secretKey)), { mode: 0o600 });
    return file;
  }

  private spawn(name: string, args: string[]): Child {
    const out = fs.openSync(path.join(this.o.logs, `${name}.log`), "w");
    const child = spawn(path.join(this.o.root, "bin/hourglass"), args, {
      stdio: ["ignore", out, out],
      env: { ...process.env, RAY_ADDRESS: "", HOURGLASS_PARENT_PID: String(process.pid) },
    });
    fs.closeSync(out);
    const c = { name, process: child, exited: new Promise<void>((resolve) => child.once("exit", () => resolve())) };
    this.children.push(c);
    return c;
  }

  /** Starts the orchestrator, then an agent per machine, and waits until every agent heartbeats. */
  async start(machines: { key: Keypair; declare: string }[]): Promise<void> {
    const port = this.o.orchestratorPort;
    this.orchestratorUrl = `http://127.0.0.1:${port}`;
    const orch = this.spawn("orchestrator", [
      "orchestrator",
      "run",
      "--url",
      this.o.rpcUrl,
      "--keypair",
      this.keyFile("attester", this.o.operator),
      "--port",
      String(port),
      "--tick-ms",
      "500",
    ]);
    await this.waitFor("the orchestrator's API", async () => (await this.health()) !== null, orch);
    machines.forEach((m, i) => {
      const args = ["agent", "run", "--key", this.keyFile(`device-${i}`, m.key), "--orchestrator", this.orchestratorUrl, "--declare", m.declare];
      this.spawn(`agent-${i}`, [...args, "--ray-port-base", String(this.o.rayPortBase + 100 * i), "--heartbeat-ms", "500"]);
    });
    await this.waitFor(`${machines.length} agents heartbeating`, async () => (await this.health())?.alive === machines.length);
  }

  private async health(): Promise<{ alive: number } | null> {
    try {
      const res = await fetch(`${this.orchestratorUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? ((await res.json()) as { alive: number }) : null;
    } catch {
      return null;
    }
  }

  /** The orchestrator's view of a lease's cluster and job (null until it runs the lease). */
  async lease(address: string): Promise<LeaseCluster | null> {
    const res = await fetch(`${this.orchestratorUrl}/leases/${address}`);
    return res.ok ? ((await res.json()) as LeaseCluster) : null;
  }

  private async waitFor(what: string, ready: () => Promise<boolean>, watched?: Child): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (!(await ready())) {
      const dead = (watched ? [watched] : this.children).find((c) => c.process.exitCode !== null);
      if (dead) throw new Error(`${dead.name} exited (${dead.process.exitCode}); see ${path.join(this.o.logs, `${dead.name}.log`)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (logs in ${this.o.logs})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Stops the agents (each stops its Ray node first), then the orchestrator. */
  async stop(): Promise<void> {
    const end = async (cs: Child[]) => {
      for (const c of cs) if (c.process.exitCode === null) c.process.kill("SIGTERM");
      const timer = setTimeout(() => {
        for (const c of cs) if (c.process.exitCode === null) c.process.kill("SIGKILL");
      }, 20_000);
      await Promise.all(cs.map((c) => c.exited));
      clearTimeout(timer);
    };
    await end(this.children.filter((c) => c.name !== "orchestrator"));
    await end(this.children.filter((c) => c.name === "orchestrator"));
    fs.rmSync(this.keys, { recursive: true, force: true });
  }
}
