// The lease scheduler: places what a new lease lacks on free, staked, heartbeating devices of its model
// (the device book's placement index), assigns them on chain (assign_device), hands the placed lease to
// the job supervisor (which forms its cluster and runs its job), and retries leases it could not fully
// place. It times each placement's phases.

import { LeaseStatus } from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import type { DeviceBook } from "./devices.ts";
import type { JobSupervisor } from "./jobs.ts";
import type { Operator } from "./operator.ts";
import type { DeviceInfo } from "./placement/index.ts";

export class LeaseScheduler {
  /** Leases not fully placed yet (no capacity, or an assignment refused), retried each tick. */
  readonly pending = new Map<string, { model: number; gpus: number }>();
  /** Per lease, ms spent choosing devices, assigning them on-chain, and from assigned to its job RUNNING (the cluster forming, then Ray). */
  readonly phases = new Map<string, { placeMs: number; assignMs: number; submitToRunningMs: number; devices: number }>();
  private readonly assignedAt = new Map<string, { placeMs: number; assignMs: number; at: number; devices: number }>();
  /** Times from a lease's creation event to its Ray job RUNNING, in ms (for the benchmark). */
  readonly timeToRunning = new Map<string, number>();
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly op: Operator,
    private readonly devices: DeviceBook,
    private readonly jobs: JobSupervisor,
  ) {
    jobs.onStarted = (lease) => this.started(lease);
  }

  /** A lease's job runs: its phases and time to running are complete. */
  private started(lease: string): void {
    const now = performance.now();
    const a = this.assignedAt.get(lease);
    if (a) this.phases.set(lease, { placeMs: a.placeMs, assignMs: a.assignMs, submitToRunningMs: now - a.at, devices: a.devices });
    const seen = this.seenAt.get(lease);
    if (seen !== undefined) this.timeToRunning.set(lease, now - seen);
  }

  /** A lease was created: place it. */
  async created(lease: PublicKey, model: number, gpus: number): Promise<void> {
    this.seenAt.set(lease.toBase58(), performance.now());
    await this.place(lease, model, gpus);
  }

  /** Tries every lease still waiting for devices again. */
  async retry(): Promise<void> {
    for (const [id, p] of [...this.pending]) await this.place(new PublicKey(id), p.model, p.gpus);
  }

  /**
   * Places what a lease still lacks. If the pool cannot cover it, or an assignment is refused (the index
   * was behind the chain), the untaken reservations are released and the lease is retried next tick.
   */
  private async place(lease: PublicKey, model: number, gpus: number): Promise<void> {
    const id = lease.toBase58();
    const index = this.devices.index;
    const { lease: l, slots } = await this.op.readLease(lease);
    if (l.status !== LeaseStatus.Active) {
      this.pending.delete(id);
      return;
    }
    const need = gpus - slots.reduce((n, s) => n + s.gpus, 0);
    let chosen: DeviceInfo[] = [];
    const t0 = performance.now();
    if (need > 0) {
      try {
        chosen = index.place({ model, gpus: need, maxDevices: l.maxDevices - slots.length });
      } catch (err) {
        this.op.log(`lease ${id}: ${(err as Error).message}; retrying next tick`);
        this.pending.set(id, { model, gpus });
        return;
      }
    }
    const t1 = performance.now();
    for (let i = 0; i < chosen.length; i++) {
      const r = await this.op.send("assign_device", [
        await this.op.leases.assignDevice({ attester: this.op.publicKey, lease, device: new PublicKey(chosen[i].id) }),
      ]);
      if (!r.ok) {
        for (const d of chosen.slice(i)) index.release(d.id);
        this.pending.set(id, { model, gpus });
        return;
      }
    }
    this.pending.delete(id);
    if (this.jobs.leases.has(id)) return; // already running (placed before a restart)
    const devices = [...slots.map((s) => ({ device: s.device.toBase58(), gpus: s.gpus })), ...chosen.map((d) => ({ device: d.id, gpus: d.gpus }))];
    this.op.log(`lease ${id}: ${gpus} GPUs on ${devices.length} devices`);
    const t2 = performance.now();
    this.assignedAt.set(id, { placeMs: t1 - t0, assignMs: t2 - t1, at: t2, devices: devices.length });
    await this.jobs.start(lease, gpus, devices);
  }
}
