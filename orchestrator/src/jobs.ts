// The job supervisor: the leases this orchestrator runs and their Ray jobs. It submits a placed lease's
// job (submission id = lease address), follows its status, resubmits it to a head that forgot it,
// stops it when the lease pauses, ends or settles, starts a new run when a paused lease resumes, and
// rebuilds the tracked leases from the chain and Ray's job list after a restart.

import { type LeaseAccount, LeaseStatus, leaseHour } from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import type { Operator } from "./operator.ts";
import type { JobStatus, RayJobsClient } from "./ray/jobs-client.ts";

export interface TrackedLease {
  address: PublicKey;
  job: string;
  /** Ray status last seen. */
  jobStatus: JobStatus | "UNSUBMITTED" | "UNREACHABLE";
  settled: boolean;
  /** GPUs booked and the devices placed, for (re)submitting the job. */
  gpus: number;
  devices: string[];
}

export class JobSupervisor {
  readonly leases = new Map<string, TrackedLease>();

  constructor(
    private readonly op: Operator,
    private readonly ray: RayJobsClient,
    /** The Ray job's entrypoint for a lease (e.g. the renter's workload). */
    private readonly entrypoint: (lease: PublicKey, gpus: number) => string,
  ) {}

  /** Tracks a freshly placed lease and runs its job until it runs or ends. */
  async start(lease: PublicKey, gpus: number, devices: string[]): Promise<void> {
    const tracked: TrackedLease = { address: lease, job: lease.toBase58(), jobStatus: "UNSUBMITTED", settled: false, gpus, devices };
    this.leases.set(lease.toBase58(), tracked);
    const job = await this.submit(tracked);
    tracked.jobStatus = job.status;
  }

  /**
   * Submits the lease's Ray job (submission id = lease address, so a retry returns the existing job) and
   * waits until it runs or ends. The driver itself holds no GPU (its tasks take the lease's GPUs); the
   * workload learns its lease, GPU count and devices from its environment.
   */
  private async submit(t: TrackedLease) {
    await this.ray.submit({
      entrypoint: this.entrypoint(t.address, t.gpus),
      submission_id: t.job,
      entrypoint_num_cpus: 0,
      entrypoint_num_gpus: 0,
      runtime_env: { env_vars: { HOURGLASS_LEASE: t.address.toBase58(), HOURGLASS_GPUS: String(t.gpus), HOURGLASS_DEVICES: t.devices.join(",") } },
      metadata: { lease: t.address.toBase58(), gpus: String(t.gpus), devices: String(t.devices.length) },
    });
    t.jobStatus = "PENDING";
    return this.ray.waitFor(t.job, new Set(["RUNNING", "SUCCEEDED", "FAILED", "STOPPED"]), 30_000, 50);
  }

  /**
   * Reads the job's status; a head that restarted has forgotten the lease's job: it is submitted again
   * while booked hours remain. An unreachable head leaves the lease UNREACHABLE (nothing is proven until
   * it answers again; faults, pauses and settlement go on).
   */
  async follow(t: TrackedLease, l: LeaseAccount, now: number): Promise<void> {
    try {
      const job = await this.ray.find(t.job);
      t.jobStatus = job?.status ?? "UNSUBMITTED";
    } catch (e) {
      t.jobStatus = "UNREACHABLE";
      this.op.log(`lease ${t.address.toBase58()}: Ray head unreachable (${e instanceof Error ? e.message : e})`);
    }
    if (t.jobStatus === "UNSUBMITTED" && l.status === LeaseStatus.Active && leaseHour(l, now) < l.hoursBooked) {
      try {
        t.jobStatus = (await this.submit(t)).status;
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
    if (!t || t.settled) return;
    const job = await this.ray.find(t.job);
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
    if (!t) return;
    const job = await this.ray.find(t.job);
    if (job && (job.status === "RUNNING" || job.status === "PENDING")) await this.ray.stop(t.job);
  }

  /**
   * Rebuilds the tracked leases after a restart, from their accounts and their Ray jobs. Without a list,
   * the leases are those named in the Ray jobs' metadata (every lease this orchestrator placed has a
   * job); closed leases, leases of another chain and fully settled ones are skipped. Settled leases stay
   * tracked until their claims and releases are done (settling is idempotent).
   */
  async recover(leaseAddresses?: PublicKey[]): Promise<void> {
    const jobs = leaseAddresses?.length === 0 ? [] : await this.ray.list();
    const addresses = leaseAddresses ?? [...new Set(jobs.map((j) => j.metadata?.lease).filter((a): a is string => !!a))].map((a) => new PublicKey(a));
    const accounts = await this.op.chain.getMultipleAccounts(addresses);
    for (let i = 0; i < addresses.length; i++) {
      const address = addresses[i];
      const acc = accounts[i];
      if (!acc?.owner.equals(this.op.leases.programId)) continue;
      const { lease: l, slots } = this.op.leases.decodeLease(acc.data);
      const done = l.status === LeaseStatus.Settled && slots.every((s) => s.released && s.claimedHours === s.provenHours);
      if (done) continue;
      // The lease's newest job (a resumed lease has one per run).
      const job = jobs.filter((j) => j.metadata?.lease === address.toBase58()).sort((a, b) => (b.start_time ?? 0) - (a.start_time ?? 0))[0];
      this.leases.set(address.toBase58(), {
        address,
        job: job?.submission_id ?? address.toBase58(),
        jobStatus: job?.status ?? "UNSUBMITTED",
        settled: false,
        gpus: l.gpuCount,
        devices: slots.map((s) => s.device.toBase58()),
      });
    }
  }
}
