// The Ray node a device agent runs for its lease (each lease is its own Ray cluster: one leased
// device runs the head with the Jobs API, the others join it as workers). A RayNode spawns
// `ray start --block` under ray-node-guard.py, waits until the node is up and its node id is known,
// restarts it if it dies, and takes it down with the agent (see the guard for how).
//
// Ports: each node owns a block of 100 TCP ports from `portBase`, so several nodes and several
// independent clusters share one host without collisions (verified with `ss -ltnp`: every port a
// head, a worker and a job's driver and workers listened on was inside its node's block):
//   +0 GCS (--port, head)           +1 dashboard and Jobs API (--dashboard-port, head)
//   +2 Ray client server (head)     +3 node manager          +4 object manager
//   +5 dashboard agent gRPC         +6 dashboard agent HTTP  +7 metrics export
//   +8 runtime env agent            +9 autoscaler metrics (head, env AUTOSCALER_METRIC_PORT)
//   +10 dashboard metrics (head, env DASHBOARD_METRIC_PORT)
//   +20..+99 worker processes, drivers included (--min-worker-port/--max-worker-port)
//
// Temp dir: each node has its own short --temp-dir (os.tmpdir()/hgrn-XXXXXX; Ray's unix sockets live
// below it). A worker accepts its own in Ray 2.60: its session dir is created there, named after the
// head's session. stop() (or the guard, when the agent died) removes it.
//
// Node id: the raylet's own command line carries it (`--node_id=<hex>`); the guard keeps every
// process of the node below it, so it is found by walking /proc from the guard. The node counts as
// up once that id is ALIVE in the head's state API (GET <dashboard>/api/v0/nodes?detail=1), and a
// head also once its Jobs API answers. A worker asks its head's dashboard: `headDashboard`, by
// default the head's GCS port + 1 (the layout above).
//
// Ray resolves a loopback --node-ip-address to the machine's routable address, so nodes started
// with host 127.0.0.1 register under that address; `gcsAddress` and `dashboardUrl` keep `host`
// (the GCS listens on every interface, the dashboard on `host`).
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface RayNodeSpec {
  role: "head" | "worker";
  /** The device's base58 address; the node declares the resource {"hourglass-device:<device>": gpus}. */
  device: string;
  /** Logical GPUs (--num-gpus), e.g. 8 on a machine without real GPUs. */
  gpus: number;
  /** --num-cpus (default 1). */
  cpus?: number;
  /** Worker only: the head's GCS address "host:port". */
  head?: string;
  /** Worker only: the head's dashboard, to see the node join (default http://<head host>:<head port + 1>). */
  headDashboard?: string;
  /** The first of this node's 100 TCP ports (layout above). */
  portBase: number;
  /** --node-ip-address, the address other nodes reach this one at (default 127.0.0.1). */
  host?: string;
  /** The virtualenv with `ray[default]` (default $RAY_VENV, else ~/.cache/hourglass/venv-ray-2.60.0). */
  venv?: string;
}

export interface RayNodeOptions {
  log?: (m: string) => void;
  /** Wait before starting a node whose `ray start` died (default 1 s). */
  restartDelayMs?: number;
  /** How long start() waits for the node to be up (default 120 s). */
  startTimeoutMs?: number;
  /** How long `ray start` gets to stop gracefully before everything left is SIGKILLed (default 5 s). */
  stopGraceMs?: number;
}

const GUARD = fileURLToPath(new URL("ray-node-guard.py", import.meta.url));
const OUTPUT_LINES = 30;

interface StateNode {
  node_id: string;
  state: string;
  resources_total: Record<string, number>;
}

export class RayNode {
  readonly spec: RayNodeSpec;
  private readonly log: (m: string) => void;
  private readonly opts: Required<Omit<RayNodeOptions, "log">>;
  private readonly venv: string;
  private readonly host: string;
  private readonly tempDir: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private id: string | null = null;
  private restartCount = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  /** Set once start() succeeded: from then on an exit restarts the node. */
  private supervised = false;
  /** The last lines `ray start` printed, for error messages. */
  private output: string[] = [];

  constructor(spec: RayNodeSpec, opts: RayNodeOptions = {}) {
    if (spec.role === "worker" && !spec.head) throw new Error("a worker Ray node needs the head's address");
    this.spec = spec;
    this.log = opts.log ?? (() => undefined);
    this.opts = { restartDelayMs: 1000, startTimeoutMs: 120_000, stopGraceMs: 5000, ...opts };
    this.venv = spec.venv ?? process.env.RAY_VENV ?? path.join(os.homedir(), ".cache/hourglass/venv-ray-2.60.0");
    this.host = spec.host ?? "127.0.0.1";
    // Short: socket paths below it must stay under ~107 characters.
    this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "hgrn-"));
  }

  get nodeId(): string | null {
    return this.id;
  }

  get gcsAddress(): string {
    return this.spec.role === "head" ? `${this.host}:${this.spec.portBase}` : this.spec.head!;
  }

  get dashboardUrl(): string | null {
    return this.spec.role === "head" ? `http://${this.host}:${this.spec.portBase + 1}` : null;
  }

  /** Whether the node is up: its process is alive and its node id known. */
  get running(): boolean {
    return this.child !== null && this.id !== null;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** The guard's pid, which is also the process group of everything the node runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The node's own temp dir (--temp-dir). */
  get dir(): string {
    return this.tempDir;
  }

  async start(): Promise<void> {
    if (this.stopping) throw new Error("this Ray node was stopped");
    if (this.child) throw new Error("this Ray node is already started");
    if (!fs.existsSync(path.join(this.venv, "bin/ray"))) throw new Error(`no ray in ${this.venv}: run scripts/setup.sh`);
    const t0 = Date.now();
    try {
      await this.launch(this.opts.startTimeoutMs);
      this.supervised = true;
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.log(`ray ${this.spec.role} ${this.id} up in ${Date.now() - t0} ms`);
  }

  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  /** RSS of the node's whole process tree (the guard and everything below it), in bytes. */
  async memoryBytes(): Promise<number> {
    const root = this.child?.pid;
    if (root === undefined) return 0;
    let total = 0;
    for (const pid of [root, ...processTree(root)]) {
      const status = readProc(pid, "status");
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status ?? "");
      if (kb) total += Number(kb[1]) * 1024;
    }
    return total;
  }

  /** Spawns the guard and waits (up to `timeoutMs`) until the node is up or its process exits. */
  private async launch(timeoutMs: number): Promise<void> {
    this.id = null;
    this.output = [];
    const guardArgs = [GUARD, String(process.pid), String(this.opts.stopGraceMs / 1000), this.tempDir, "--", ...this.command()];
    const child = spawn(path.join(this.venv, "bin/python"), guardArgs, { env: this.env(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        this.output.push(...chunk.split("\n").filter((l) => l.trim()));
        this.output.splice(0, this.output.length - OUTPUT_LINES);
      });
    }
    let gone = false;
    this.exited = new Promise((resolve) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (gone) return;
        gone = true;
        this.child = null;
        this.id = null;
        resolve();
        if (this.supervised && !this.stopping) this.restart(code, signal);
      };
      child.once("exit", onExit);
      child.once("error", (e) => {
        this.output.push(e.message);
        onExit(null, null);
      });
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (gone) throw new Error(`ray start for ${this.describe()} exited:\n${this.output.join("\n")}`);
      if (this.stopping) throw new Error(`${this.describe()} was stopped while starting`);
      const id = raylet(child.pid!);
      if (id && (await this.alive(id)) && !gone) {
        this.id = id;
        return;
      }
      if (Date.now() > deadline) throw new Error(`${this.describe()} not up after ${timeoutMs} ms:\n${this.output.join("\n")}`);
      await sleep(250);
    }
  }

  /** `ray start` died: start it again after the delay, until stop(). */
  private restart(code: number | null, signal: NodeJS.Signals | null): void {
    this.log(`ray ${this.spec.role} for ${this.spec.device} exited (${signal ?? code}); restarting in ${this.opts.restartDelayMs} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.restartCount += 1;
      // No deadline: it either comes up or exits (and is restarted again).
      this.launch(Number.POSITIVE_INFINITY).then(
        () => this.log(`ray ${this.spec.role} for ${this.spec.device} restarted as ${this.id}`),
        (e: Error) => this.log(`ray ${this.spec.role} for ${this.spec.device}: restart failed: ${e.message}`),
      );
    }, this.opts.restartDelayMs);
  }

  private async teardown(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child?.pid !== undefined) {
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), this.opts.stopGraceMs + 5000);
      });
      const exited = await Promise.race([this.exited.then(() => true), late]);
      clearTimeout(timer);
      if (!exited) {
        // The guard hung: kill its process group (the guard is still alive, so the group is ours).
        process.kill(-child.pid, "SIGKILL");
        await this.exited;
      }
    }
    this.child = null;
    this.id = null;
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  private command(): string[] {
    const s = this.spec;
    const b = s.portBase;
    const args = [
      path.join(this.venv, "bin/ray"),
      "start",
      "--block",
      "--disable-usage-stats",
      `--node-ip-address=${this.host}`,
      `--num-gpus=${s.gpus}`,
      `--num-cpus=${s.cpus ?? 1}`,
      `--resources=${JSON.stringify({ [`hourglass-device:${s.device}`]: s.gpus })}`,
      `--temp-dir=${this.tempDir}`,
      `--node-manager-port=${b + 3}`,
      `--object-manager-port=${b + 4}`,
      `--dashboard-agent-grpc-port=${b + 5}`,
      `--dashboard-agent-listen-port=${b + 6}`,
      `--metrics-export-port=${b + 7}`,
      `--runtime-env-agent-port=${b + 8}`,
      `--min-worker-port=${b + 20}`,
      `--max-worker-port=${b + 99}`,
    ];
    if (s.role === "worker") return [...args, `--address=${s.head}`];
    return [
      ...args,
      "--head",
      `--port=${b}`,
      "--include-dashboard=true",
      `--dashboard-host=${this.host}`,
      `--dashboard-port=${b + 1}`,
      `--ray-client-server-port=${b + 2}`,
      // A lease's cluster has a fixed set of nodes: no autoscaler monitor (one Python process less to start).
      "--no-monitor",
    ];
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // A job's entrypoint `python ...` is the node's own virtualenv.
      PATH: `${path.join(this.venv, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      RAY_USAGE_STATS_ENABLED: "0",
      AUTOSCALER_METRIC_PORT: String(this.spec.portBase + 9),
      DASHBOARD_METRIC_PORT: String(this.spec.portBase + 10),
      // On SIGTERM `ray start` drains the node first (30 s by default); a lease's node has nothing to hand over.
      RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S: "1",
    };
    delete env.RAY_ADDRESS;
    return env;
  }

  /** Whether the head lists node `id` as ALIVE (and, for a head, its Jobs API answers). */
  private async alive(id: string): Promise<boolean> {
    const dashboard = this.dashboardUrl ?? this.spec.headDashboard ?? headDashboard(this.spec.head!);
    try {
      const nodes = await getJson<{ data: { result: { result: StateNode[] } } }>(`${dashboard}/api/v0/nodes?detail=1`);
      if (!nodes.data.result.result.some((n) => n.node_id === id && n.state === "ALIVE")) return false;
      return this.spec.role === "worker" || (await getJson<unknown[]>(`${dashboard}/api/jobs/`)) !== null;
    } catch {
      return false;
    }
  }

  private describe(): string {
    return `Ray ${this.spec.role} for ${this.spec.device} (ports ${this.spec.portBase}..${this.spec.portBase + 99})`;
  }
}

/** The head's dashboard URL from its GCS address, by the port layout (GCS + 1). */
function headDashboard(gcs: string): string {
  const i = gcs.lastIndexOf(":");
  return `http://${gcs.slice(0, i)}:${Number(gcs.slice(i + 1)) + 1}`;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readProc(pid: number, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return null;
  }
}

/** Pids of every live process below `root`, from the ppid field of /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name), "stat");
    if (!stat) continue;
    // The command name (field 2) is in parentheses and may hold spaces; state and ppid follow.
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z") continue;
    children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const todo = [root];
  while (todo.length) {
    for (const child of children.get(todo.pop()!) ?? []) {
      found.push(child);
      todo.push(child);
    }
  }
  return found;
}

/** The node id on the command line of the raylet below `root`, once it runs. */
function raylet(root: number): string | null {
  for (const pid of processTree(root)) {
    const argv = (readProc(pid, "cmdline") ?? "").split("\0");
    if (!argv[0]?.endsWith("/raylet")) continue;
    const id = argv.find((a) => a.startsWith("--node_id="));
    if (id) return id.slice("--node_id=".length);
  }
  return null;
}
