// The device book: what the orchestrator knows of each device (hardware, stake, status, proven-hour
// history) and the placement index it keeps in step: a device is placeable while its agent heartbeats
// to this orchestrator and its stake meets the minimum; busy while leased; its reliability follows its
// proofs and faults. Devices are learned from the chain's events and, when their agent first
// heartbeats, from their accounts.

import { DeviceStatus, minimumStake, toBigInt } from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import type { Fleet } from "./fleet/port.ts";
import type { Operator } from "./operator.ts";
import { type DeviceInfo, PlacementIndex } from "./placement/index.ts";

export interface DeviceFacts {
  model: number;
  gpus: number;
  region: number;
  bandwidthTier: number;
  multiplierBps: number;
  stake: bigint;
  /** The staking program's device status (DeviceStatus). */
  status: number;
  /** Proven-hour history: hours proven and faults (seeded by `history` at recovery, then from events). */
  proven: number;
  faults: number;
}

/** Placement's tie-break after price: the share of a device's history that was proven, a fault weighing a day. */
export function reliability(proven: number, faults: number): number {
  return proven / (proven + 24 * faults + 1);
}

/** A device's proven-hour history from before this process (e.g. the indexer's view). */
export type DeviceHistory = (device: string) => { provenHours: number; faults: number } | undefined;

export class DeviceBook {
  readonly index = new PlacementIndex();
  private readonly facts = new Map<string, DeviceFacts>();
  /** Whether each device was placeable at its last refresh (a health change refreshes it). */
  private readonly placeable = new Map<string, boolean>();

  constructor(
    private readonly op: Operator,
    private readonly fleet: Fleet,
    private readonly stakeDecimals: number,
    private readonly history?: DeviceHistory,
  ) {}

  /** A device registered (no stake yet). */
  registered(device: string, hw: Omit<DeviceFacts, "stake" | "status" | "proven" | "faults">): void {
    this.facts.set(device, { ...hw, stake: 0n, status: DeviceStatus.Active, proven: 0, faults: 0 });
  }

  /** A device's stake changed (staked, unstake requested, slashed). */
  staked(device: string, stake: bigint): void {
    const f = this.facts.get(device);
    if (!f) return;
    f.stake = stake;
    this.refresh(device);
  }

  /** A device proved hours, or was faulted: its reliability moves. */
  proved(device: string, hours: number): void {
    this.rerank(device, hours, 0);
  }

  faulted(device: string): void {
    this.rerank(device, 0, 1);
  }

  private rerank(device: string, hours: number, faults: number) {
    const f = this.facts.get(device);
    if (!f) return;
    f.proven += hours;
    f.faults += faults;
    this.index.update(device, { reliability: reliability(f.proven, f.faults) });
  }

  /** The staking program's device status: active is free, anything else is leased (or paused). */
  statusChanged(device: string, status: number): void {
    const f = this.facts.get(device);
    if (f) f.status = status;
    if (status === DeviceStatus.Active) this.index.release(device);
    else this.index.markBusy(device);
  }

  deregistered(device: string): void {
    this.index.remove(device);
    this.facts.delete(device);
    this.placeable.delete(device);
  }

  /**
   * Follows the fleet: devices whose agents are new here are read from the chain, and a device whose
   * agent fell silent (or came back) leaves (or rejoins) the placement index.
   */
  async sync(): Promise<void> {
    const unknown = this.fleet.devices().filter((d) => !this.facts.has(d));
    if (unknown.length > 0) await this.load(unknown);
    for (const [device, f] of this.facts) if (this.placeable.get(device) !== this.eligible(device, f)) this.refresh(device);
  }

  private eligible(device: string, f: DeviceFacts): boolean {
    return this.fleet.alive(device) && f.stake >= minimumStake(this.stakeDecimals, f.multiplierBps, f.gpus);
  }

  /** A device is placeable when its agent heartbeats and its stake meets the minimum; a new entry is free only if the chain says active. */
  private refresh(device: string) {
    const f = this.facts.get(device);
    if (!f) return;
    const eligible = this.eligible(device, f);
    this.placeable.set(device, eligible);
    if (eligible) {
      const info: DeviceInfo = {
        id: device,
        model: f.model,
        gpus: f.gpus,
        region: f.region,
        bandwidthTier: f.bandwidthTier,
        price: 0n,
        reliability: reliability(f.proven, f.faults),
      };
      // A stake or health change keeps a known device free or busy; a new one is free only if active.
      this.index.upsert(info, this.index.get(device) ? undefined : f.status === DeviceStatus.Active);
    } else {
      this.index.remove(device);
    }
  }

  /** Rebuilds the book from the fleet's devices' staking accounts, seeded with `history` (so a restart keeps which devices fault). */
  async recover(): Promise<void> {
    await this.load(this.fleet.devices());
  }

  private async load(ids: string[]): Promise<void> {
    const accounts = await this.op.chain.getMultipleAccounts(ids.map((d) => new PublicKey(d)));
    for (let i = 0; i < ids.length; i++) {
      const device = ids[i];
      const acc = accounts[i];
      if (!acc?.owner.equals(this.op.staking.programId)) continue;
      const d = this.op.staking.decodeDevice(acc.data);
      const past = this.history?.(device);
      this.facts.set(device, {
        model: d.gpuModel,
        gpus: d.gpuCount,
        region: d.region,
        bandwidthTier: d.bandwidthTier,
        multiplierBps: d.multiplierBps,
        stake: toBigInt(d.stake) + toBigInt(d.coStake),
        status: d.status,
        proven: past?.provenHours ?? 0,
        faults: past?.faults ?? 0,
      });
      this.refresh(device);
    }
  }
}
