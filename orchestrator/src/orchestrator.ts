// The orchestrator: a thin service over its parts, all reaching the chain through one `Chain` port.
// It queues the programs' events and hands each to the part it concerns, and runs the loop: the
// device book (device facts, placement index), the lease scheduler (placement, assign_device), the job
// supervisor (each lease's Ray cluster and job), the proof loop (prove_time, report_fault), the settler
// (pause, complete, claims, releases) and the emissions crank (crank, uptime, denominate). It reaches
// the device agents through one `Fleet` port (heartbeats, assignments, signatures). `recover` rebuilds
// their state from the chain, the agents' reports and their clusters.

import { DeviceStatus, type LeaseAccount, LeaseStatus, type SlotAccount, toBigInt } from "@hourglass/client";
import { type Keypair, PublicKey } from "@solana/web3.js";
import type { Chain, ChainEvent } from "./chain/port.ts";
import { DeviceBook, type DeviceHistory } from "./devices.ts";
import { EmissionsCrank } from "./emissions.ts";
import type { Fleet } from "./fleet/port.ts";
import { JobSupervisor, type TrackedLease } from "./jobs.ts";
import { Operator } from "./operator.ts";
import { ProofLoop } from "./proofs.ts";
import { LeaseScheduler } from "./scheduler.ts";
import { Settler } from "./settler.ts";

export interface OrchestratorOptions {
  /** The chain (e.g. `engineChain(engine)` in process). */
  chain: Chain;
  /** The device agents (the agent registry fed by the agent API; a stand-in in unit tests). */
  fleet: Fleet;
  /** The lease clusters' Jobs API token, when they use Ray's token auth. */
  rayToken?: string;
  /** The operator key registered as attester in the staking Config; pays fees. */
  attester: Keypair;
  /** The Ray job's entrypoint for a lease (e.g. the renter's workload). */
  entrypoint: (lease: PublicKey, gpus: number) => string;
  /** Mint decimals of the stake mint, for minimum-stake checks of devices. */
  stakeDecimals: number;
  /**
   * A device's proven-hour history from before this process (e.g. the indexer's view): seeds placement's
   * reliability tie-break in `recover`, so a restart does not forget which devices fault.
   */
  history?: DeviceHistory;
  /** Emissions to crank and uptime to record (optional). */
  rewardMint?: PublicKey;
  log?: (msg: string) => void;
}

/** What the orchestrator's API says of a lease it runs. */
export interface LeaseCluster {
  lease: string;
  job: string;
  jobStatus: string;
  settled: boolean;
  dashboard: string | null;
  devices: { device: string; gpus: number; role: "head" | "worker"; rayNodeId: string | null; alive: boolean }[];
}

export class Orchestrator {
  private readonly op: Operator;
  private readonly devices: DeviceBook;
  private readonly scheduler: LeaseScheduler;
  private readonly jobs: JobSupervisor;
  private readonly proofs: ProofLoop;
  private readonly settler: Settler;
  private readonly emissions?: EmissionsCrank;
  private readonly queue: ChainEvent[] = [];
  /** Leases agents reported that turned out finished (not to be read again). */
  private readonly ignored = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: OrchestratorOptions) {
    this.op = new Operator(o.chain, o.attester, o.log);
    this.devices = new DeviceBook(this.op, o.fleet, o.stakeDecimals, o.history);
    this.jobs = new JobSupervisor(this.op, o.fleet, o.entrypoint, o.rayToken);
    this.scheduler = new LeaseScheduler(this.op, this.devices, this.jobs);
    this.proofs = new ProofLoop(this.op, o.fleet);
    this.settler = new Settler(this.op, this.jobs);
    if (o.rewardMint) this.emissions = new EmissionsCrank(this.op, o.fleet, o.rewardMint, o.stakeDecimals);
    this.unsubscribe = o.chain.subscribe((events) => this.queue.push(...events));
  }

  /** The placement index (free and busy devices). */
  get index() {
    return this.devices.index;
  }
  /** The leases this orchestrator runs, by address. */
  get leases() {
    return this.jobs.leases;
  }
  /** Leases not fully placed yet, retried each tick. */
  get pending() {
    return this.scheduler.pending;
  }
  /** Per lease, ms spent choosing devices, assigning them on-chain, and from Ray submit to RUNNING. */
  get phases() {
    return this.scheduler.phases;
  }
  /** Times from a lease's creation event to its Ray job RUNNING, in ms (for the benchmark). */
  get timeToRunning() {
    return this.scheduler.timeToRunning;
  }

  /** A tracked lease's cluster and job as this orchestrator sees them (null for a lease it does not run). */
  cluster(lease: string): LeaseCluster | null {
    const t = this.jobs.leases.get(lease);
    if (!t) return null;
    const c = this.o.fleet.cluster(lease);
    return {
      lease,
      job: t.job,
      jobStatus: t.jobStatus,
      settled: t.settled,
      dashboard: t.dashboard ?? c.dashboard,
      devices: t.devices.map((p) => ({
        device: p.device,
        gpus: p.gpus,
        role: p.device === c.head ? "head" : "worker",
        rayNodeId: c.nodes.get(p.device) ?? t.nodes.get(p.device) ?? null,
        alive: this.o.fleet.alive(p.device),
      })),
    };
  }

  /** Whether this orchestrator has finished a lease: settled, every supplier paid, every device released. */
  isSettled(lease: PublicKey): boolean {
    return this.jobs.leases.get(lease.toBase58())?.settled ?? false;
  }

  /** Stops following the chain (a crash or a shutdown). */
  detach(): void {
    this.unsubscribe();
  }

  readLease(address: PublicKey): Promise<{ lease: LeaseAccount; slots: SlotAccount[] }> {
    return this.op.readLease(address);
  }

  /** Applies queued chain events: the device book follows devices; new leases get placed; jobs follow their leases. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const e = this.queue.shift()!;
      switch (e.name) {
        case "DeviceRegistered":
          this.devices.registered(e.data.device.toBase58(), {
            model: e.data.gpu_model,
            gpus: e.data.gpu_count,
            region: e.data.region,
            bandwidthTier: e.data.bandwidth_tier,
            multiplierBps: e.data.multiplier_bps,
          });
          break;
        case "Staked":
          this.devices.staked(e.data.device.toBase58(), toBigInt(e.data.total_stake));
          break;
        case "UnstakeRequested":
        case "DeviceSlashed":
          this.devices.staked(e.data.device.toBase58(), toBigInt(e.data.remaining_stake));
          break;
        case "TimeProven":
          this.devices.proved(e.data.device.toBase58(), e.data.hour_count);
          break;
        case "DeviceFaulted":
          this.devices.faulted(e.data.device.toBase58());
          break;
        case "DeviceStatusChanged":
          this.devices.statusChanged(e.data.device.toBase58(), e.data.status);
          // Released (or faulted out): the device leaves its lease's cluster.
          if (e.data.status !== DeviceStatus.Leased) this.o.fleet.release(e.data.device.toBase58());
          break;
        case "DeviceDeregistered":
          this.devices.deregistered(e.data.device.toBase58());
          break;
        case "LeaseCreated":
          await this.scheduler.created(e.data.lease, e.data.gpu_model, e.data.gpu_count);
          break;
        case "LeaseExtended":
          if (e.data.resumed !== 0) await this.jobs.resume(e.data.lease.toBase58());
          break;
        case "LeaseTerminated":
        case "LeasePaused":
          await this.jobs.stop(e.data.lease.toBase58());
          break;
      }
    }
  }

  /** One pass of the loop: events, placements, then per lease its job, proofs, faults, pause and settlement; emissions and uptime. */
  async tick(): Promise<void> {
    await this.drain();
    await this.devices.sync();
    await this.adopt();
    await this.scheduler.retry();
    const now = await this.o.chain.unixTime();
    for (const t of this.jobs.leases.values()) {
      if (t.settled) continue;
      // One lease's trouble (its head away, a transport error) does not hold up the others.
      try {
        await this.pass(t, now);
      } catch (e) {
        this.op.log(`lease ${t.address.toBase58()}: ${e instanceof Error ? e.message : e}; retried next tick`);
      }
    }
    await this.emissions?.pass();
    await this.drain();
  }

  /** One lease's part of a tick: its job, proofs, faults, pause and settlement. */
  private async pass(t: TrackedLease, now: number): Promise<void> {
    const { lease: l, slots } = await this.op.readLease(t.address);
    // A lease settled on-chain whose payouts or releases did not all go through: finish them.
    if (l.status === LeaseStatus.Settled) {
      await this.settler.settle(t);
      return;
    }
    await this.jobs.follow(t, l, now);
    await this.proofs.pass(t, l, slots, now);
    await this.settler.pass(t, l, now);
  }

  /**
   * Rebuilds state after a restart: devices from their staking accounts, leases (those given, else those
   * the agents report running) from their accounts and their clusters (see `JobSupervisor.recover`).
   * Proofs resume from each slot's next hour on chain, so nothing is proven twice.
   */
  async recover(leaseAddresses?: PublicKey[]): Promise<void> {
    await this.devices.recover();
    await this.jobs.recover(leaseAddresses ?? (await this.o.fleet.leases()).map((l) => new PublicKey(l)));
  }

  /** Leases agents report running that this orchestrator does not track yet (it restarted): recovered. */
  private async adopt(): Promise<void> {
    let reported: string[];
    try {
      reported = await this.o.fleet.leases();
    } catch (e) {
      this.op.log(`the agents' leases could not be listed (${e instanceof Error ? e.message : e})`);
      return;
    }
    const untracked = reported.filter((l) => !this.jobs.leases.has(l) && !this.ignored.has(l));
    if (untracked.length === 0) return;
    await this.jobs.recover(untracked.map((l) => new PublicKey(l)));
    // A lease that is not recovered (settled and done, or not a lease) is not read again.
    for (const l of untracked) if (!this.jobs.leases.has(l)) this.ignored.add(l);
  }
}
