// The job supervisor: the leases this orchestrator runs and their Ray jobs, each on the lease's own Ray
// cluster. A placed lease's devices are assigned through the fleet (one runs the head, the others join
// it); once the cluster has every node (the agents' reports, checked against Ray's own node list and
// the GPUs booked) the lease's job is submitted to that cluster's Jobs API (submission id = lease
// address). It follows the job's status, resubmits it to a head that forgot it, stops it when the lease
// pauses, ends or settles, starts a new run when a paused lease resumes, and rebuilds the tracked
// leases from the chain and the clusters after a restart.

import { type LeaseAccount, LeaseStatus, leaseHour } from "@hourglass/client";
import type { PublicKey } from "@solana/web3.js";
import type { ClusterState, Fleet, Placement } from "./fleet/port.ts";
import type { Operator } from "./operator.ts";
import { type JobStatus, RayJobsClient } from "./ray/jobs-client.ts";

export interface TrackedLease {
  address: PublicKey;
  job: string;
  /** Ray status last seen; FORMING until the lease's cluster has all its nodes. */
  jobStatus: JobStatus | "FORMING" | "UNSUBMITTED" | "UNREACHABLE";
  settled: boolean;
  /** GPUs booked and the devices placed (with their GPUs), for (re)submitting the job. */
  gpus: number;
  devices: Placement[];
  /** The cluster's Jobs API, once formed. */
  dashboard: string | null;
  /** The Ray node id of each device, as recorded when the job was submitted. */
  nodes: Map<string, string>;
  /** Whether a job ran on a cluster of this lease before (a re-formed cluster may then run on fewer devices). */
  formed: boolean;
  /** Devices whose node Ray lists alive with that device's GPUs, at the last look (only they are proven). */
  verified: Set<string>;
}

/**
 * The devices of a cluster whose reported node Ray itself lists ALIVE with the resource
 * `hourglass-device:<device>` equal to its GPUs; empty when Ray lists any alive node that is not the
 * lease's (a cluster that is not the lease's own). A stand-in's shared head counts while it has a node.
 */
export async function verifyCluster(ray: RayJobsClient, c: ClusterState): Promise<Set<string>> {
  const alive = (await ray.nodes()).filter((n) => n.state === "ALIVE");
  if (c.shared) return new Set(alive.length > 0 ? c.nodes.keys() : []);
  const mine = new Set(c.nodes.values());
  if (alive.some((n) => !mine.has(n.node_id))) return new Set();
  const ok = new Set<string>();
  for (const [device, id] of c.nodes) {
    const node = alive.find((n) => n.node_id === id);
    if (node && node.resources_total[`hourglass-device:${device}`] === c.gpus.get(device) && node.resources_total.GPU === c.gpus.get(device)) ok.add(device);
  }
  return ok;
}

/** Statuses that count as the job having started (the lease's time to running ends at the first). */
const STARTED: ReadonlySet<string> = new Set(["RUNNING", "SUCCEEDED", "FAILED"]);

export class JobSupervisor {
  readonly leases = new Map<string, TrackedLease>();
  /** Called once per lease when its job first runs (or ends having run). */
  onStarted?: (lease: string) => void;
  private readonly clients = new Map<string, RayJobsClient>();

  constructor(
    private readonly op: Operator,
    private readonly fleet: Fleet,
    /** The Ray job's entrypoint for a lease (e.g. the renter's workload). */
    private readonly entrypoint: (lease: PublicKey, gpus: number) => string,
    /** The clusters' Jobs API token, when they use token auth. */
    private readonly rayToken?: string,
  ) {}

  /** The Jobs API client of a lease's cluster (null until it formed). */
  ray(t: TrackedLease): RayJobsClient | null {
    return t.dashboard ? this.client(t.dashboard) : null;
  }

  /** One client per Jobs API. */
  private client(dashboard: string): RayJobsClient {
    let c = this.clients.get(dashboard);
    if (!c) {
      c = new RayJobsClient(dashboard, this.rayToken);
      this.clients.set(dashboard, c);
    }
    return c;
  }

  /** Tracks a freshly placed lease, assigns its devices their nodes, and runs its job once its cluster is up. */
  async start(lease: PublicKey, gpus: number, devices: Placement[]): Promise<void> {
    const t: TrackedLease = {
      address: lease,
      job: lease.toBase58(),
      jobStatus: "FORMING",
      settled: false,
      gpus,
      devices,
      dashboard: null,
      nodes: new Map(),
      formed: false,
      verified: new Set(),
    };
    this.leases.set(lease.toBase58(), t);
    this.fleet.assign(t.job, devices);
    await this.form(t, true);
  }

  /**
   * Submits the lease's job once every leased device's node has joined its cluster: each device's node
   * reported by its agent and alive in Ray's node list, with the GPUs booked. A cluster formed again
   * (its head's machine was lost and a worker took over) runs on the devices still heard from. A job
   * the cluster already has for the lease (after a restart) is followed instead of resubmitted; a lease
   * that is not active gets no new job.
   */
  private async form(t: TrackedLease, active: boolean): Promise<void> {
    const c = this.fleet.cluster(t.address.toBase58());
    if (!c.ready || !c.dashboard) return;
    const lease = t.address.toBase58();
    try {
      const ray = this.client(c.dashboard);
      const verified = await verifyCluster(ray, c);
      if (verified.size !== c.nodes.size) return;
      const existing = (await ray.list()).filter((j) => j.metadata?.lease === lease).sort((a, b) => (b.start_time ?? 0) - (a.start_time ?? 0))[0];
      // A first job waits for every leased machine; a job that ran before (or runs) is followed as it is.
      if (!existing && !t.formed && !c.complete) return;
      t.dashboard = c.dashboard;
      t.nodes = new Map(c.nodes);
      t.verified = verified;
      t.formed = true;
      if (existing) {
        t.job = existing.submission_id;
        this.observed(t, existing.status);
      } else if (active) {
        this.observed(t, (await this.submit(t)).status);
      } else {
        t.jobStatus = "UNSUBMITTED";
      }
    } catch (e) {
      this.op.log(`lease ${lease}: its head does not answer yet (${e instanceof Error ? e.message : e})`);
    }
  }

  private observed(t: TrackedLease, status: TrackedLease["jobStatus"]) {
    const first = !STARTED.has(t.jobStatus) && STARTED.has(status);
    t.jobStatus = status;
    if (first) this.onStarted?.(t.address.toBase58());
  }

  /**
   * Submits the lease's Ray job (submission id = lease address, so a retry returns the existing job) and
   * waits until it runs or ends. The driver itself holds no GPU (its tasks take the lease's GPUs); the
   * workload learns its lease, GPU count and devices from its environment.
   */
  private async submit(t: TrackedLease) {
    const ray = this.ray(t)!;
    const devices = t.devices.map((p) => p.device);
    await ray.submit({
      entrypoint: this.entrypoint(t.address, t.gpus),
      submission_id: t.job,
      entrypoint_num_cpus: 0,
      entrypoint_num_gpus: 0,
      runtime_env: { env_vars: { HOURGLASS_LEASE: t.address.toBase58(), HOURGLASS_GPUS: String(t.gpus), HOURGLASS_DEVICES: devices.join(",") } },
      metadata: { lease: t.address.toBase58(), gpus: String(t.gpus), devices: String(devices.length) },
    });
    t.jobStatus = "PENDING";
    return ray.waitFor(t.job, new Set(["RUNNING", "SUCCEEDED", "FAILED", "STOPPED"]), 30_000, 50);
  }

  /**
   * Forms a lease's cluster that is not up yet; otherwise reads the job's status. A head that restarted
   * has forgotten the lease's job: it is submitted again while booked hours remain. An unreachable head
   * leaves the lease UNREACHABLE (nothing is proven until it answers again; faults, pauses and
   * settlement go on).
   */
  async follow(t: TrackedLease, l: LeaseAccount, now: number): Promise<void> {
    // The head moved to another machine (its own was lost): the job runs again on the new cluster.
    if (t.dashboard && this.fleet.cluster(t.address.toBase58()).dashboard !== t.dashboard && l.status !== LeaseStatus.Settled) {
      this.op.log(`lease ${t.address.toBase58()}: its cluster lost its head; forming it again`);
      t.dashboard = null;
      t.jobStatus = "FORMING";
    }
    if (t.jobStatus === "FORMING") {
      if (l.status !== LeaseStatus.Settled) await this.form(t, l.status === LeaseStatus.Active);
      return;
    }
    const ray = this.ray(t)!;
    try {
      const job = await ray.find(t.job);
      this.observed(t, job?.status ?? "UNSUBMITTED");
      t.verified = await verifyCluster(ray, this.fleet.cluster(t.address.toBase58()));
    } catch (e) {
      t.verified = new Set();
      t.jobStatus = "UNREACHABLE";
      this.op.log(`lease ${t.address.toBase58()}: Ray head unreachable (${e instanceof Error ? e.message : e})`);
    }
    if (t.jobStatus === "UNSUBMITTED" && l.status === LeaseStatus.Active && leaseHour(l, now) < l.hoursBooked) {
      if (!this.fleet.cluster(t.address.toBase58()).ready) {
        t.jobStatus = "FORMING";
        return;
      }
      try {
        this.observed(t, (await this.submit(t)).status);
        this.op.log(`lease ${t.address.toBase58()}: Ray job ${t.job} resubmitted (${t.jobStatus})`);
      } catch (e) {
        this.op.log(`lease ${t.address.toBase58()}: resubmit failed (${e instanceof Error ? e.message : e})`);
      }
    }
  }

  /**
   * A paused lease resumed by an extension gets a new job: Ray cannot reuse a stopped job's submission
   * id right away (its supervisor actor is still going away), so a resumed run's id is
   * `<lease>-h<hours booked>`, still the same for a retried resume of the same extension.
   */
  async resume(lease: string): Promise<void> {
    const t = this.leases.get(lease);
    const ray = t && this.ray(t);
    if (!t || t.settled || !ray) return;
    const job = await ray.find(t.job);
    if (job && job.status !== "STOPPED") return;
    const { lease: l } = await this.op.readLease(t.address);
    t.job = `${lease}-h${l.hoursBooked}`;
    const resumed = await this.submit(t);
    t.jobStatus = resumed.status;
    this.op.log(`lease ${lease}: resumed as Ray job ${t.job} (${resumed.status})`);
  }

  /** Stops the lease's job if it is pending or running. */
  async stop(lease: string): Promise<void> {
    const t = this.leases.get(lease);
    const ray = t && this.ray(t);
    if (!ray) return;
    const job = await ray.find(t!.job);
    if (job && (job.status === "RUNNING" || job.status === "PENDING")) await ray.stop(t!.job);
  }

  /**
   * Rebuilds tracked leases after a restart, from their accounts: closed leases, leases of another chain
   * and fully settled ones are skipped; the others get their unreleased devices assigned again (the
   * device already running the head stays head) and their job is found on their cluster once it
   * answers. Settled leases stay tracked until their claims and releases are done (settling is idempotent).
   */
  async recover(addresses: PublicKey[]): Promise<void> {
    const fresh = addresses.filter((a) => !this.leases.has(a.toBase58()));
    if (fresh.length === 0) return;
    const accounts = await this.op.chain.getMultipleAccounts(fresh);
    for (let i = 0; i < fresh.length; i++) {
      const address = fresh[i];
      const acc = accounts[i];
      if (!acc?.owner.equals(this.op.leases.programId)) continue;
      const { lease: l, slots } = this.op.leases.decodeLease(acc.data);
      const done = l.status === LeaseStatus.Settled && slots.every((s) => s.released && s.claimedHours === s.provenHours);
      if (done) continue;
      const devices = slots.filter((s) => !s.released).map((s) => ({ device: s.device.toBase58(), gpus: s.gpus }));
      const t: TrackedLease = {
        address,
        job: address.toBase58(),
        jobStatus: "FORMING",
        settled: false,
        gpus: l.gpuCount,
        devices,
        dashboard: null,
        nodes: new Map(),
        formed: false,
        verified: new Set(),
      };
      this.leases.set(address.toBase58(), t);
      if (l.status !== LeaseStatus.Settled) this.fleet.assign(t.job, devices);
    }
  }
}
