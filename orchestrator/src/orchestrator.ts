// The orchestrator: a thin service over its parts, all reaching the chain through one `Chain` port.
// It queues the programs' events and hands each to the part it concerns, and runs the loop: the
// device book (device facts, placement index), the lease scheduler (placement, assign_device), the job
// supervisor (Ray jobs), the proof loop (prove_time, report_fault), the settler (pause, complete,
// claims, releases) and the emissions crank (crank, uptime, denominate). `recover` rebuilds their
// state from the chain and Ray.

import type { DeviceAgent } from "@hourglass/agent";
import { type LeaseAccount, LeaseStatus, type SlotAccount, toBigInt } from "@hourglass/client";
import type { Keypair, PublicKey } from "@solana/web3.js";
import type { Chain, ChainEvent } from "./chain/port.ts";
import { DeviceBook, type DeviceHistory } from "./devices.ts";
import { EmissionsCrank } from "./emissions.ts";
import { JobSupervisor } from "./jobs.ts";
import { Operator } from "./operator.ts";
import { ProofLoop } from "./proofs.ts";
import type { RayJobsClient } from "./ray/jobs-client.ts";
import { LeaseScheduler } from "./scheduler.ts";
import { Settler } from "./settler.ts";

export interface OrchestratorOptions {
  /** The chain (e.g. `engineChain(engine)` in process). */
  chain: Chain;
  ray: RayJobsClient;
  /** The operator key registered as attester in the staking Config; pays fees. */
  attester: Keypair;
  /** Agents of the devices this orchestrator can place, by device address. */
  agents: Map<string, DeviceAgent>;
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

export class Orchestrator {
  private readonly op: Operator;
  private readonly devices: DeviceBook;
  private readonly scheduler: LeaseScheduler;
  private readonly jobs: JobSupervisor;
  private readonly proofs: ProofLoop;
  private readonly settler: Settler;
  private readonly emissions?: EmissionsCrank;
  private readonly queue: ChainEvent[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly o: OrchestratorOptions) {
    this.op = new Operator(o.chain, o.attester, o.log);
    this.devices = new DeviceBook(this.op, o.agents, o.stakeDecimals);
    this.jobs = new JobSupervisor(this.op, o.ray, o.entrypoint);
    this.scheduler = new LeaseScheduler(this.op, this.devices, this.jobs);
    this.proofs = new ProofLoop(this.op, o.agents);
    this.settler = new Settler(this.op, this.jobs);
    if (o.rewardMint) this.emissions = new EmissionsCrank(this.op, o.agents, o.rewardMint, o.stakeDecimals);
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
    await this.scheduler.retry();
    const now = await this.o.chain.unixTime();
    for (const t of this.jobs.leases.values()) {
      if (t.settled) continue;
      const { lease: l, slots } = await this.op.readLease(t.address);
      // A lease settled on-chain whose payouts or releases did not all go through: finish them.
      if (l.status === LeaseStatus.Settled) {
        await this.settler.settle(t);
        continue;
      }
      await this.jobs.follow(t, l, now);
      await this.proofs.pass(t, l, slots, now);
      await this.settler.pass(t, l, now);
    }
    await this.emissions?.pass();
    await this.drain();
  }

  /**
   * Rebuilds state after a restart: devices from their staking accounts, leases from their accounts
   * and their Ray jobs (see `JobSupervisor.recover`). Proofs resume from each slot's next hour on chain,
   * so nothing is proven twice.
   */
  async recover(leaseAddresses?: PublicKey[]): Promise<void> {
    await this.devices.recover(this.o.history);
    await this.jobs.recover(leaseAddresses);
  }
}
