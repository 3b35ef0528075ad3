// The agent's loop: every few seconds it sends the orchestrator a heartbeat signed by the device key,
// saying what it runs; the answer carries its assignment and the hours the orchestrator wants signed.
// It runs the assigned lease's Ray node (the head, or a worker joining the head once the head is up),
// supervised by RayNode, and stops it when the assignment goes; it signs lease hours only while its
// node for that lease runs, and pool (uptime) hours while it is up. An idle agent runs no Ray node.

import {
  type Assignment,
  type HeartbeatAnswer,
  IDLE,
  type RunningReport,
  type SignedWire,
  type SignRequest,
  signHeartbeat,
  signRequest,
} from "@hourglass/client";
import type { Keypair } from "@solana/web3.js";

/** The node an assignment asks for. */
export interface NodeRequest {
  role: "head" | "worker";
  device: string;
  gpus: number;
  cpus: number;
  /** Worker: the head's GCS address and Jobs API. */
  head?: string;
  headDashboard?: string;
  portBase: number;
  host: string;
}

/** A supervised Ray node as the runner uses it (RayNode in ray-node.ts). */
export interface AgentNode {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly nodeId: string | null;
  readonly running: boolean;
  readonly gcsAddress: string;
  readonly dashboardUrl: string | null;
}

export interface AgentOptions {
  key: Keypair;
  /** The orchestrator's agent API, e.g. http://10.0.0.5:7070. */
  orchestrator: string;
  /** Logical GPUs this machine's node declares (its GPU count). */
  gpus: number;
  /** The address other leased machines reach this one's Ray node at. */
  advertise: string;
  /** The first of the 100 ports this machine's Ray node uses (see ray-node.ts). */
  portBase: number;
  /** CPUs the node declares (default 1). */
  cpus?: number;
  heartbeatMs?: number;
  log?: (msg: string) => void;
  /** Makes the Ray node an assignment asks for. */
  makeNode: (request: NodeRequest, log: (msg: string) => void) => AgentNode;
}

/** What the runner's node is for. */
interface Current {
  lease: string;
  role: "head" | "worker";
  head: string | null;
  node: AgentNode;
  /** Resolves once the node is up (or failed to start). */
  started: Promise<void>;
  up: boolean;
}

export class AgentRunner {
  private sequence: bigint;
  private current: Current | null = null;
  private timer?: NodeJS.Timeout;
  /** The heartbeat in flight, if any (stop waits for it, so no node starts after stop). */
  private inFlight: Promise<void> | null = null;
  private stopped = false;
  /** The node being stopped, if any (a new one starts once its ports are free). */
  private leaving: Promise<void> = Promise.resolve();
  private draining = 0;
  /** A heartbeat now (or right after the one in flight): the orchestrator hears of a node as soon as it is up. */
  private wake?: () => void;
  /** The last answer's assignment (null: idle), and how many heartbeats went through or were refused. */
  assignment: Assignment | null = null;
  readonly counts = { accepted: 0, refused: 0, unreachable: 0, signed: 0 };
  lastError: string | null = null;

  constructor(private readonly o: AgentOptions) {
    // Strictly increasing across restarts with the same key: microseconds of the wall clock.
    this.sequence = BigInt(Date.now()) * 1000n;
  }

  private log(msg: string) {
    this.o.log?.(msg);
  }

  get device(): string {
    return this.o.key.publicKey.toBase58();
  }

  /** What the agent runs, as the heartbeat reports it (a node counts once it is up). */
  report(): RunningReport {
    const c = this.current;
    if (!c?.up || !c.node.running) return IDLE;
    return { lease: c.lease, role: c.role, gcs: c.role === "head" ? c.node.gcsAddress : null, dashboard: c.node.dashboardUrl, gpus: this.o.gpus };
  }

  /** Starts the loop: a heartbeat now, then every `heartbeatMs` (and one as soon as a node comes up). */
  start(): void {
    const every = this.o.heartbeatMs ?? 2_000;
    let again = false;
    const loop = () => {
      if (this.inFlight || this.stopped) return;
      this.inFlight = this.beat()
        .catch((e) => this.log(`heartbeat: ${e instanceof Error ? e.message : e}`))
        .finally(() => {
          this.inFlight = null;
          if (again && !this.stopped) {
            again = false;
            loop();
          }
        });
    };
    this.wake = () => {
      if (this.inFlight) again = true;
      else loop();
    };
    loop();
    this.timer = setInterval(loop, every);
  }

  /** Stops the loop and the Ray node (SIGTERM, or the assignment went away for good). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.inFlight;
    await this.leave();
  }

  /** One heartbeat and what its answer asks: join, leave or switch nodes, sign hours. */
  async beat(): Promise<void> {
    const running = this.report();
    this.sequence += 1n;
    const body = signHeartbeat(this.o.key, {
      rayNodeId: running.lease ? (this.current?.node.nodeId ?? "") : "",
      unixTime: Math.floor(Date.now() / 1000),
      sequence: this.sequence,
      running,
    });
    let res: Response;
    try {
      res = await this.post("/agents/heartbeat", body);
    } catch (e) {
      this.counts.unreachable++;
      this.lastError = `orchestrator unreachable: ${e instanceof Error ? e.message : e}`;
      return; // the node keeps running; the orchestrator judges silence past its window
    }
    const answer = (await res.json()) as HeartbeatAnswer | { error: string };
    if (!res.ok || !("accepted" in answer)) {
      this.counts.refused++;
      this.lastError = `heartbeat refused (${res.status}): ${"error" in answer ? answer.error : "?"}`;
      this.log(this.lastError);
      // Refused as not in the lease it runs: that lease is over for this machine.
      if (res.status === 403 && this.current && /is not in lease/.test(this.lastError)) void this.leave();
      return;
    }
    this.counts.accepted++;
    this.lastError = null;
    this.assignment = answer.assignment;
    await this.reconcile(answer.assignment);
    await this.sign(answer.sign);
  }

  private async reconcile(a: Assignment | null): Promise<void> {
    const c = this.current;
    const wantHead = a?.role === "worker" ? (a.head?.gcs ?? null) : null;
    if (c && (!a || c.lease !== a.lease || c.role !== a.role || (a.role === "worker" && wantHead !== null && c.head !== wantHead))) void this.leave();
    // A node still stopping holds the ports: the new one starts on a later heartbeat.
    if (!a || this.current || this.stopped || this.draining > 0) return;
    if (a.role === "worker" && !a.head) return; // joins once the head is up
    const node = this.o.makeNode(
      {
        role: a.role,
        device: this.device,
        gpus: a.gpus,
        cpus: this.o.cpus ?? 1,
        head: a.head?.gcs,
        headDashboard: a.head?.dashboard,
        portBase: this.o.portBase,
        host: this.o.advertise,
      },
      (m) => this.log(m),
    );
    const current: Current = { lease: a.lease, role: a.role, head: wantHead, node, up: false, started: Promise.resolve() };
    this.current = current;
    this.log(`lease ${a.lease}: starting its Ray ${a.role}${wantHead ? ` (joining ${wantHead})` : ""}`);
    // Started in the background: heartbeats go on (reporting idle) while the node comes up.
    current.started = node.start().then(
      () => {
        current.up = true;
        this.log(`lease ${a.lease}: Ray ${a.role} up, node ${node.nodeId}`);
        // Reported now rather than at the next interval: the lease's cluster forms (or a worker joins) sooner.
        if (this.current === current && this.timer) this.wake?.();
      },
      (e) => {
        this.log(`lease ${a.lease}: Ray ${a.role} failed to start (${e instanceof Error ? e.message : e})`);
        if (this.current === current) this.current = null;
        void node.stop();
      },
    );
  }

  /** Stops the node and leaves the lease's cluster. */
  /** Stops the node in the background (heartbeats go on meanwhile); `leaving` resolves once it is down. */
  private leave(): Promise<void> {
    const c = this.current;
    if (!c) return this.leaving;
    this.current = null;
    this.log(`lease ${c.lease}: stopping its Ray ${c.role}`);
    this.draining++;
    this.leaving = this.leaving
      .then(() => c.node.stop())
      .catch((e) => this.log(`stopping the Ray ${c.role}: ${e instanceof Error ? e.message : e}`))
      .finally(() => this.draining--);
    return this.leaving;
  }

  /** Signs what was asked that this machine served: lease hours while its node for that lease runs; uptime while up. */
  private async sign(requests: SignRequest[]): Promise<void> {
    const report = this.report();
    const served = requests.filter((r) => r.kind === "uptime" || (r.lease === report.lease && report.role !== null));
    if (served.length === 0) return;
    const attestations: SignedWire[] = served.map((r) => signRequest(this.o.key, r));
    const res = await this.post("/agents/attestations", { device: this.device, attestations });
    if (res.ok) this.counts.signed += served.length;
    else this.log(`attestations refused (${res.status}): ${await res.text()}`);
  }

  private post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.o.orchestrator.replace(/\/$/, "")}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  }
}
