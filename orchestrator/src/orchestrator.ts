// The orchestrator: follows chain events, keeps the placement index, places new leases on devices
// (assign_device), runs each lease's workload as a Ray job (submission id = lease address), turns the
// device agents' signed hours into batched prove_time transactions while the job runs, reports devices
// that stop proving, pauses leases whose booked hours ran out, settles ended leases (complete, claims,
// releases), cranks emissions and records device uptime for block rewards. Its state is rebuilt from
// the chain and Ray by `recover`.

import type { Idl } from "@coral-xyz/anchor";
import {
  type Attestation,
  configPda,
  deviceEligible,
  deviceRewardPda,
  type LeaseAccount,
  LeaseStatus,
  LeasesClient,
  leasesIdl,
  MAX_ATTESTATIONS,
  MAX_UPTIME_ATTESTATIONS,
  minimumStake,
  parseEvents,
  poolPda,
  RewardsClient,
  rewardsIdl,
  type SlotAccount,
  SlotStatus,
  StakingClient,
  stakingIdl,
  toBigInt,
} from "@hourglass/client";
import type { ObservedEngine, TxResult } from "@hourglass/localchain";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import type { DeviceAgent } from "./agent.ts";
import { type DeviceInfo, PlacementIndex } from "./placement/index.ts";
import type { JobStatus, RayJobsClient } from "./ray/jobs-client.ts";

export interface OrchestratorOptions {
  engine: ObservedEngine;
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
  history?: (device: string) => { provenHours: number; faults: number } | undefined;
  /** Emissions to crank and uptime to record (optional). */
  rewardMint?: PublicKey;
  log?: (msg: string) => void;
}

interface TrackedLease {
  address: PublicKey;
  job: string;
  /** Ray status last seen. */
  jobStatus: JobStatus | "UNSUBMITTED" | "UNREACHABLE";
  settled: boolean;
  /** GPUs booked and the devices placed, for (re)submitting the job. */
  gpus: number;
  devices: string[];
}

interface DeviceFacts {
  model: number;
  gpus: number;
  region: number;
  bandwidthTier: number;
  multiplierBps: number;
  stake: bigint;
  /** Proven-hour history: hours proven and faults (seeded by `history` at recovery, then from events). */
  proven: number;
  faults: number;
}

/** Placement's tie-break after price: the share of a device's history that was proven, a fault weighing a day. */
export function reliability(proven: number, faults: number): number {
  return proven / (proven + 24 * faults + 1);
}

type ParsedEvent = { name: string; data: Record<string, unknown> };

const RAN: ReadonlySet<string> = new Set(["RUNNING", "SUCCEEDED"]);

export class Orchestrator {
  readonly index = new PlacementIndex();
  readonly leases = new Map<string, TrackedLease>();
  readonly staking = new StakingClient();
  readonly leaseClient = new LeasesClient();
  readonly rewards = new RewardsClient();
  private readonly devices = new Map<string, DeviceFacts>();
  private readonly queue: ParsedEvent[] = [];
  private readonly unsubscribe: () => void;
  /** Times from a lease's creation event to its Ray job RUNNING, in ms (for the benchmark). */
  readonly timeToRunning = new Map<string, number>();

  /** Whether this orchestrator has finished a lease: settled, every supplier paid, every device released. */
  isSettled(lease: PublicKey): boolean {
    return this.leases.get(lease.toBase58())?.settled ?? false;
  }
  private readonly seenAt = new Map<string, number>();
  /** Leases not fully placed yet (no capacity, or an assignment refused), retried each tick. */
  readonly pending = new Map<string, { model: number; gpus: number }>();
  /** Per lease, ms spent choosing devices, assigning them on-chain, and from Ray submit to RUNNING. */
  readonly phases = new Map<string, { placeMs: number; assignMs: number; submitToRunningMs: number; devices: number }>();

  constructor(private readonly o: OrchestratorOptions) {
    this.unsubscribe = o.engine.subscribe((r) => this.onTransaction(r));
  }

  /** Stops following the chain (a crash or a shutdown). */
  detach(): void {
    this.unsubscribe();
  }

  private log(msg: string) {
    this.o.log?.(msg);
  }

  private onTransaction(r: TxResult) {
    if (!r.ok) return;
    // Staking's events inside the lease program's CPIs (assign, release, slash) count too.
    for (const e of parseEvents([stakingIdl, leasesIdl, rewardsIdl] as Idl[], r.logs)) this.queue.push({ name: e.name, data: e.data });
  }

  /** Sends a transaction; an RPC error counts as a failed send (the next tick tries again). */
  private async send(name: string, ixs: TransactionInstruction[], extra: Keypair[] = []): Promise<TxResult> {
    let r: TxResult;
    try {
      r = await this.o.engine.send(ixs, [this.o.attester, ...extra]);
    } catch (e) {
      r = { ok: false, signature: "", logs: [], errorCode: null, error: `RPC error: ${e instanceof Error ? e.message : String(e)}`, computeUnits: 0 };
    }
    if (!r.ok) this.log(`${name} failed: ${r.error}`);
    return r;
  }

  /** Applies queued chain events: the placement index follows devices; new leases get placed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const e = this.queue.shift()!;
      const s = (k: string) => {
        const v = e.data[k];
        return v !== null && typeof v === "object" && "toArrayLike" in v ? toBigInt(v).toString() : String(v);
      };
      const n = (k: string) => Number(e.data[k]);
      switch (e.name) {
        case "DeviceRegistered":
          this.devices.set(s("device"), {
            model: n("gpu_model"),
            gpus: n("gpu_count"),
            region: n("region"),
            bandwidthTier: n("bandwidth_tier"),
            multiplierBps: n("multiplier_bps"),
            stake: 0n,
            proven: 0,
            faults: 0,
          });
          break;
        case "Staked":
        case "UnstakeRequested":
        case "DeviceSlashed": {
          const f = this.devices.get(s("device"));
          if (!f) break;
          f.stake = BigInt(s(e.name === "Staked" ? "total_stake" : "remaining_stake"));
          this.refresh(s("device"));
          break;
        }
        case "TimeProven":
        case "DeviceFaulted": {
          const f = this.devices.get(s("device"));
          if (!f) break;
          if (e.name === "TimeProven") f.proven += n("hour_count");
          else f.faults += 1;
          this.index.update(s("device"), { reliability: reliability(f.proven, f.faults) });
          break;
        }
        case "DeviceStatusChanged":
          if (n("status") === 0) this.index.release(s("device"));
          else this.index.markBusy(s("device"));
          break;
        case "DeviceDeregistered":
          this.index.remove(s("device"));
          this.devices.delete(s("device"));
          break;
        case "LeaseCreated":
          this.seenAt.set(s("lease"), performance.now());
          await this.place(new PublicKey(s("lease")), n("gpu_model"), n("gpu_count"));
          break;
        case "LeaseExtended":
          if (n("resumed") !== 0) await this.resumeJob(s("lease"));
          break;
        case "LeaseTerminated":
        case "LeasePaused":
          await this.stopJob(s("lease"));
          break;
      }
    }
  }

  /** A device is placeable when its agent is ours and its stake meets the minimum. */
  private refresh(device: string) {
    const f = this.devices.get(device);
    if (!f || !this.o.agents.has(device)) return;
    if (f.stake >= minimumStake(this.o.stakeDecimals, f.multiplierBps, f.gpus)) {
      const info: DeviceInfo = {
        id: device,
        model: f.model,
        gpus: f.gpus,
        region: f.region,
        bandwidthTier: f.bandwidthTier,
        price: 0n,
        reliability: reliability(f.proven, f.faults),
      };
      this.index.upsert(info); // a stake change keeps a known device free or busy
    } else {
      this.index.remove(device);
    }
  }

  /**
   * Places what a lease still lacks. If the pool cannot cover it, or an assignment is refused (the index
   * was behind the chain), the untaken reservations are released and the lease is retried next tick.
   */
  private async place(lease: PublicKey, model: number, gpus: number): Promise<void> {
    const id = lease.toBase58();
    const { lease: l, slots } = await this.readLease(lease);
    if (l.status !== LeaseStatus.Active) {
      this.pending.delete(id);
      return;
    }
    const need = gpus - slots.reduce((n, s) => n + s.gpus, 0);
    let chosen: DeviceInfo[] = [];
    const t0 = performance.now();
    if (need > 0) {
      try {
        chosen = this.index.place({ model, gpus: need, maxDevices: l.maxDevices - slots.length });
      } catch (err) {
        this.log(`lease ${id}: ${(err as Error).message}; retrying next tick`);
        this.pending.set(id, { model, gpus });
        return;
      }
    }
    const t1 = performance.now();
    for (let i = 0; i < chosen.length; i++) {
      const r = await this.send("assign_device", [
        await this.leaseClient.assignDevice({ attester: this.o.attester.publicKey, lease, device: new PublicKey(chosen[i].id) }),
      ]);
      if (!r.ok) {
        for (const d of chosen.slice(i)) this.index.release(d.id);
        this.pending.set(id, { model, gpus });
        return;
      }
    }
    this.pending.delete(id);
    if (this.leases.has(id)) return; // already running (placed before a restart)
    const devices = [...slots.map((s) => s.device.toBase58()), ...chosen.map((d) => d.id)];
    this.log(`lease ${id}: ${gpus} GPUs on ${devices.length} devices`);
    const t2 = performance.now();
    const tracked: TrackedLease = { address: lease, job: lease.toBase58(), jobStatus: "UNSUBMITTED", settled: false, gpus, devices };
    this.leases.set(lease.toBase58(), tracked);
    const job = await this.submitJob(tracked);
    tracked.jobStatus = job.status;
    this.phases.set(lease.toBase58(), { placeMs: t1 - t0, assignMs: t2 - t1, submitToRunningMs: performance.now() - t2, devices: devices.length });
    const seen = this.seenAt.get(lease.toBase58());
    if (seen !== undefined) this.timeToRunning.set(lease.toBase58(), performance.now() - seen);
  }

  /**
   * Submits the lease's Ray job (submission id = lease address, so a retry returns the existing job) and
   * waits until it runs or ends. The driver itself holds no GPU (its tasks take the lease's GPUs); the
   * workload learns its lease, GPU count and devices from its environment.
   */
  private async submitJob(t: TrackedLease) {
    await this.o.ray.submit({
      entrypoint: this.o.entrypoint(t.address, t.gpus),
      submission_id: t.job,
      entrypoint_num_cpus: 0,
      entrypoint_num_gpus: 0,
      runtime_env: { env_vars: { HOURGLASS_LEASE: t.address.toBase58(), HOURGLASS_GPUS: String(t.gpus), HOURGLASS_DEVICES: t.devices.join(",") } },
      metadata: { lease: t.address.toBase58(), gpus: String(t.gpus), devices: String(t.devices.length) },
    });
    t.jobStatus = "PENDING";
    return this.o.ray.waitFor(t.job, new Set(["RUNNING", "SUCCEEDED", "FAILED", "STOPPED"]), 30_000, 50);
  }

  /**
   * A paused lease resumed by an extension gets a new job: Ray cannot reuse a stopped job's submission
   * id right away (its supervisor actor is still going away), so a resumed run's id is
   * `<lease>-h<hours booked>`, still the same for a retried resume of the same extension.
   */
  private async resumeJob(lease: string) {
    const t = this.leases.get(lease);
    if (!t || t.settled) return;
    const job = await this.o.ray.find(t.job);
    if (job && job.status !== "STOPPED") return;
    const { lease: l } = await this.readLease(t.address);
    t.job = `${lease}-h${l.hoursBooked}`;
    const resumed = await this.submitJob(t);
    t.jobStatus = resumed.status;
    this.log(`lease ${lease}: resumed as Ray job ${t.job} (${resumed.status})`);
  }

  private async stopJob(lease: string) {
    const t = this.leases.get(lease);
    if (!t) return;
    const job = await this.o.ray.find(t.job);
    if (job && (job.status === "RUNNING" || job.status === "PENDING")) await this.o.ray.stop(t.job);
  }

  async readLease(address: PublicKey): Promise<{ lease: LeaseAccount; slots: SlotAccount[] }> {
    const acc = await this.o.engine.getAccount(address);
    if (!acc) throw new Error(`no lease ${address.toBase58()}`);
    return this.leaseClient.decodeLease(acc.data);
  }

  /** One pass of the loop: events, proofs, faults, pauses, settlements, emissions and uptime. */
  async tick(): Promise<void> {
    await this.drain();
    for (const [id, p] of [...this.pending]) await this.place(new PublicKey(id), p.model, p.gpus);
    const now = Number(await this.o.engine.unixTime());
    for (const t of this.leases.values()) {
      if (t.settled) continue;
      const { lease: l, slots } = await this.readLease(t.address);
      // A lease settled on-chain whose payouts or releases did not all go through: finish them.
      if (l.status === LeaseStatus.Settled) {
        await this.settle(t);
        continue;
      }
      try {
        const job = await this.o.ray.find(t.job);
        t.jobStatus = job?.status ?? "UNSUBMITTED";
      } catch (e) {
        // The Ray head is unreachable: nothing is proven until it answers again; faults, pauses and
        // settlement go on.
        t.jobStatus = "UNREACHABLE";
        this.log(`lease ${t.address.toBase58()}: Ray head unreachable (${e instanceof Error ? e.message : e})`);
      }
      const hourLength = l.hourLength.toNumber();
      const clock = l.status === LeaseStatus.Paused ? l.pausedAt.toNumber() : now;
      const current = Math.max(0, Math.floor((clock - l.origin.toNumber()) / hourLength));
      const upTo = Math.min(current, l.hoursBooked);
      const hourStart = (h: number) => l.origin.toNumber() + h * hourLength;
      const grace = l.gracePeriod.toNumber();

      // A head that restarted has forgotten the lease's job: submit it again while hours remain.
      if (t.jobStatus === "UNSUBMITTED" && l.status === LeaseStatus.Active && current < l.hoursBooked) {
        try {
          t.jobStatus = (await this.submitJob(t)).status;
          this.log(`lease ${t.address.toBase58()}: Ray job ${t.job} resubmitted (${t.jobStatus})`);
        } catch (e) {
          this.log(`lease ${t.address.toBase58()}: resubmit failed (${e instanceof Error ? e.message : e})`);
        }
      }
      // Prove what ran: each device's agent signs the hours since its last proof (a job that is
      // running or finished; hours of a Ray outage are proven once the job runs again, within grace).
      let proved = false;
      if (RAN.has(t.jobStatus)) {
        const atts: Attestation[] = [];
        slots.forEach((s, i) => {
          if (s.status !== SlotStatus.Active || s.nextHour >= upTo) return;
          const agent = this.o.agents.get(s.device.toBase58());
          if (agent?.online && now <= hourStart(s.nextHour + 1) + grace) atts.push(agent.attestLease(t.address, i, s.nextHour, upTo - s.nextHour, t.jobStatus));
        });
        for (let i = 0; i < atts.length; i += MAX_ATTESTATIONS) {
          await this.send(
            "prove_time",
            await this.leaseClient.proveTime({ attester: this.o.attester.publicKey, lease: t.address, attestations: atts.slice(i, i + MAX_ATTESTATIONS) }),
          );
          proved = true;
        }
      }
      // Devices whose next hour is past its grace: fault them (refund at settlement, slash, release).
      // The slots as the proofs just left them (read again only if a proof was sent).
      const after = proved ? (await this.readLease(t.address)).slots : slots;
      for (let i = 0; i < after.length; i++) {
        const s = after[i];
        if (s.status === SlotStatus.Active && s.nextHour < l.hoursBooked && now > hourStart(s.nextHour + 1) + grace) {
          await this.send("report_fault", [
            await this.leaseClient.reportFault({
              caller: this.o.attester.publicKey,
              lease: t.address,
              slot: i,
              device: s.device,
              stakingTreasury: await this.stakingTreasury(),
            }),
          ]);
        }
      }
      // Booked hours used up: pause (the job stops) until the renter extends.
      if (l.status === LeaseStatus.Active && now >= hourStart(l.hoursBooked)) {
        await this.send("pause", [await this.leaseClient.pause({ caller: this.o.attester.publicKey, lease: t.address })]);
      }
      // Ended plus grace: settle.
      const end = l.status === LeaseStatus.Paused ? l.pausedAt.toNumber() : hourStart(l.hoursBooked);
      if (now >= end + grace) await this.settle(t);
    }
    if (this.o.rewardMint) await this.emissions();
    await this.drain();
  }

  private stakingTreasuryCache?: PublicKey;
  private async stakingTreasury(): Promise<PublicKey> {
    if (!this.stakingTreasuryCache) {
      const acc = await this.o.engine.getAccount(configPda()[0]);
      this.stakingTreasuryCache = this.staking.decodeConfig(acc!.data).treasury;
    }
    return this.stakingTreasuryCache;
  }

  /** Refunds the renter, pays every supplier, releases every device. */
  private async settle(t: TrackedLease): Promise<void> {
    const { lease: l, slots } = await this.readLease(t.address);
    const me = this.o.attester.publicKey;
    const ata = (owner: PublicKey) => getAssociatedTokenAddressSync(l.paymentMint, owner, true);
    const ensure = (owner: PublicKey) => createAssociatedTokenAccountIdempotentInstruction(me, ata(owner), owner, l.paymentMint);
    if (l.status !== LeaseStatus.Settled) {
      const r = await this.send("complete", [
        ensure(l.renter),
        await this.leaseClient.complete({ caller: me, lease: t.address, escrow: l.escrow, renterTokens: ata(l.renter) }),
      ]);
      if (!r.ok) return;
    }
    let done = true;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s.provenHours > s.claimedHours) {
        const r = await this.send("claim", [
          ensure(s.owner),
          await this.leaseClient.claim({ caller: me, lease: t.address, escrow: l.escrow, slot: i, supplierTokens: ata(s.owner), treasury: l.treasury }),
        ]);
        done = done && r.ok;
      }
      if (!s.released) {
        const r = await this.send("release_device", [await this.leaseClient.releaseDevice({ caller: me, lease: t.address, slot: i, device: s.device })]);
        done = done && r.ok;
      }
    }
    // Anything that did not go through is retried on the next tick.
    if (!done) return;
    t.settled = true;
    try {
      await this.stopJob(t.address.toBase58());
    } catch {
      // the head is away; a settled lease's job has nothing left to do
    }
    this.log(`lease ${t.address.toBase58()}: settled`);
  }

  /**
   * Cranks the pool up to date, records every agent's uptime (idle or leased) since its last record,
   * and denominates nominated devices that are no longer eligible.
   */
  private async emissions(): Promise<void> {
    const mint = this.o.rewardMint!;
    for (;;) {
      const pool = this.rewards.decodePool((await this.o.engine.getAccount(poolPda()[0]))!.data);
      const now = Number(await this.o.engine.unixTime());
      const clock = Math.floor((now - pool.startTime.toNumber()) / pool.hourLength.toNumber());
      if (pool.nextHour >= clock || !pool.pausedAt.isZero()) break;
      const r = await this.send("crank", [await this.rewards.crank({ caller: this.o.attester.publicKey, rewardMint: mint })]);
      if (!r.ok) break;
    }
    const pool = this.rewards.decodePool((await this.o.engine.getAccount(poolPda()[0]))!.data);
    const atts: Attestation[] = [];
    const leases: (PublicKey | null)[] = [];
    // Nominated devices no longer eligible (stake under the minimum, paused, deregistered), judged from
    // the Device read here: recording uptime does not change it.
    const ineligible: PublicKey[] = [];
    for (const agent of this.o.agents.values()) {
      const acc = await this.o.engine.getAccount(deviceRewardPda(agent.device)[0]);
      if (!acc) continue;
      const rec = this.rewards.decodeDeviceReward(acc.data);
      const devAcc = await this.o.engine.getAccount(agent.device);
      const dev = devAcc && devAcc.data.length > 0 ? this.staking.decodeDevice(devAcc.data) : null;
      if (rec.nominated && !deviceEligible(dev, this.o.stakeDecimals, rec.owner)) ineligible.push(agent.device);
      if (!agent.online) continue;
      const first = Math.max(rec.nextHour, pool.nextHour - pool.graceHours);
      if (first >= pool.nextHour) continue;
      // The record reads the Device's current lease (its proven hours raise the weight).
      const lease = dev ? dev.currentLease : PublicKey.default;
      atts.push(agent.attestUptime(first, pool.nextHour - first, lease));
      leases.push(lease.equals(PublicKey.default) ? null : lease);
    }
    for (let i = 0; i < atts.length; i += MAX_UPTIME_ATTESTATIONS) {
      await this.send(
        "record_uptime",
        await this.rewards.recordUptime({
          attester: this.o.attester.publicKey,
          attestations: atts.slice(i, i + MAX_UPTIME_ATTESTATIONS),
          leases: leases.slice(i, i + MAX_UPTIME_ATTESTATIONS),
        }),
      );
    }
    // The keeper's part: those the uptime records did not already take out leave the pool from the
    // next hour, so the delay is at most one loop.
    for (const device of ineligible) {
      const acc = await this.o.engine.getAccount(deviceRewardPda(device)[0]);
      if (!acc || !this.rewards.decodeDeviceReward(acc.data).nominated) continue;
      await this.send("denominate", [await this.rewards.denominate({ caller: this.o.attester.publicKey, device })]);
    }
  }

  /**
   * Rebuilds state after a restart: devices from their staking accounts, leases from their accounts
   * and their Ray jobs. Proofs resume from each slot's next hour on chain, so nothing is proven twice.
   * Without a list, the leases are those named in the Ray jobs' metadata (every lease this orchestrator
   * placed has a job); closed leases, leases of another chain and fully settled ones are skipped.
   */
  async recover(leaseAddresses?: PublicKey[]): Promise<void> {
    for (const [device] of this.o.agents) {
      const acc = await this.o.engine.getAccount(new PublicKey(device));
      if (!acc) continue;
      const d = this.staking.decodeDevice(acc.data);
      const past = this.o.history?.(device);
      this.devices.set(device, {
        model: d.gpuModel,
        gpus: d.gpuCount,
        region: d.region,
        bandwidthTier: d.bandwidthTier,
        multiplierBps: d.multiplierBps,
        stake: toBigInt(d.stake) + toBigInt(d.coStake),
        proven: past?.provenHours ?? 0,
        faults: past?.faults ?? 0,
      });
      this.refresh(device);
      if (d.status !== 0) this.index.markBusy(device);
    }
    const jobs = leaseAddresses?.length === 0 ? [] : await this.o.ray.list();
    const addresses = leaseAddresses ?? [...new Set(jobs.map((j) => j.metadata?.lease).filter((a): a is string => !!a))].map((a) => new PublicKey(a));
    for (const address of addresses) {
      const acc = await this.o.engine.getAccount(address);
      if (!acc?.owner.equals(this.leaseClient.program.programId)) continue;
      const { lease: l, slots } = this.leaseClient.decodeLease(acc.data);
      const done = l.status === LeaseStatus.Settled && slots.every((s) => s.released && s.claimedHours === s.provenHours);
      if (done) continue;
      // The lease's newest job (a resumed lease has one per run).
      const job = jobs.filter((j) => j.metadata?.lease === address.toBase58()).sort((a, b) => (b.start_time ?? 0) - (a.start_time ?? 0))[0];
      // Settled leases stay tracked until their claims and releases are done (settle is idempotent).
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
