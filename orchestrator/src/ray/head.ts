// Starts and stops a local Ray head from the project's virtualenv (scripts/setup.sh installs it),
// declaring logical GPUs so GPU workloads schedule on a machine without any.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface RayHeadOptions {
  /** The virtualenv with `ray[default]` (default: $RAY_VENV, else ~/.cache/hourglass/venv-ray-2.60.0). */
  venv?: string;
  gpus?: number;
  cpus?: number;
  /** Extra logical resources, e.g. one per GPU model. */
  resources?: Record<string, number>;
  gcsPort?: number;
  dashboardPort?: number;
  /**
   * The first of 100 ports for the head's other listeners (client server, node and object managers,
   * dashboard agent, metrics, runtime env agent, workers), so heads on one machine never collide;
   * default 40000 + 100 x (gcsPort - 6300).
   */
  portBase?: number;
}

export class RayHead {
  readonly venv: string;
  readonly dashboardUrl: string;
  private readonly tempDir: string;

  constructor(private readonly opts: RayHeadOptions = {}) {
    this.venv = opts.venv ?? process.env.RAY_VENV ?? path.join(os.homedir(), ".cache/hourglass/venv-ray-2.60.0");
    this.dashboardUrl = `http://127.0.0.1:${opts.dashboardPort ?? 8265}`;
    this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hg-ray-"));
  }

  get python(): string {
    return path.join(this.venv, "bin/python");
  }

  private get ray(): string {
    return path.join(this.venv, "bin/ray");
  }

  async start(): Promise<void> {
    if (!fs.existsSync(this.ray)) throw new Error(`no ray in ${this.venv}: run scripts/setup.sh`);
    const gcsPort = this.opts.gcsPort ?? 6379;
    if (await listening(gcsPort)) {
      throw new Error(`port ${gcsPort} is taken (a Ray cluster already running there? \`${this.ray} stop\`)`);
    }
    await run(
      this.ray,
      [
        "start",
        "--head",
        `--num-cpus=${this.opts.cpus ?? 2}`,
        `--num-gpus=${this.opts.gpus ?? 16}`,
        `--resources=${JSON.stringify(this.opts.resources ?? {})}`,
        "--disable-usage-stats",
        "--dashboard-host=127.0.0.1",
        `--dashboard-port=${this.opts.dashboardPort ?? 8265}`,
        `--port=${this.opts.gcsPort ?? 6379}`,
        `--temp-dir=${this.tempDir}`,
        ...this.pinnedPorts(),
      ],
      { env: { ...process.env, RAY_USAGE_STATS_ENABLED: "0" }, timeout: 120_000 },
    );
    // The dashboard answers shortly after `ray start` returns.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const res = await fetch(`${this.dashboardUrl}/api/jobs/`);
        if (res.ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`Ray dashboard did not come up at ${this.dashboardUrl}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Stops this head's processes only (those whose command line names its temp dir), not every Ray
   * process on the machine as `ray stop` would: SIGTERM, then SIGKILL what is left after 5 s.
   */
  private pinnedPorts(): string[] {
    const base = this.opts.portBase ?? 40_000 + 100 * ((this.opts.gcsPort ?? 6379) - 6300);
    return [
      `--ray-client-server-port=${base + 2}`,
      `--node-manager-port=${base + 3}`,
      `--object-manager-port=${base + 4}`,
      `--dashboard-agent-grpc-port=${base + 5}`,
      `--dashboard-agent-listen-port=${base + 6}`,
      `--metrics-export-port=${base + 7}`,
      `--runtime-env-agent-port=${base + 8}`,
      `--min-worker-port=${base + 20}`,
      `--max-worker-port=${base + 99}`,
    ];
  }

  async stop(): Promise<void> {
    const mine = () => processesNaming(this.tempDir);
    for (const pid of mine()) signal(pid, "SIGTERM");
    const deadline = Date.now() + 5_000;
    while (mine().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const pid of mine()) signal(pid, "SIGKILL");
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** Processes whose command line contains `text`. */
export function processesNaming(text: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
