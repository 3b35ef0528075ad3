// The device book: what the orchestrator knows of each device (hardware, stake, proven-hour history)
// and the placement index it keeps in step: a device is placeable while its agent is ours and its
// stake meets the minimum; busy while leased; its reliability follows its proofs and faults.

import type { DeviceAgent } from "@hourglass/agent";
import { DeviceStatus, minimumStake, toBigInt } from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import type { Operator } from "./operator.ts";
import { type DeviceInfo, PlacementIndex } from "./placement/index.ts";

export interface DeviceFacts {
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

/** A device's proven-hour history from before this process (e.g. the indexer's view). */
export type DeviceHistory = (device: string) => { provenHours: number; faults: number } | undefined;

export class DeviceBook {
  readonly index = new PlacementIndex();
  private readonly facts = new Map<string, DeviceFacts>();

  constructor(
    private readonly op: Operator,
    private readonly agents: Map<string, DeviceAgent>,
    private readonly stakeDecimals: number,
  ) {}

  /** A device registered (no stake yet). */
  registered(device: string, hw: Omit<DeviceFacts, "stake" | "proven" | "faults">): void {
    this.facts.set(device, { ...hw, stake: 0n, proven: 0, faults: 0 });
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
    if (status === DeviceStatus.Active) this.index.release(device);
    else this.index.markBusy(device);
  }

  deregistered(device: string): void {
    this.index.remove(device);
    this.facts.delete(device);
  }

  /** A device is placeable when its agent is ours and its stake meets the minimum. */
  private refresh(device: string) {
    const f = this.facts.get(device);
    if (!f || !this.agents.has(device)) return;
    if (f.stake >= minimumStake(this.stakeDecimals, f.multiplierBps, f.gpus)) {
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

  /** Rebuilds the book from our agents' staking accounts, seeded with `history` (so a restart keeps which devices fault). */
  async recover(history?: DeviceHistory): Promise<void> {
    const ids = [...this.agents.keys()];
    const accounts = await this.op.chain.getMultipleAccounts(ids.map((d) => new PublicKey(d)));
    for (let i = 0; i < ids.length; i++) {
      const device = ids[i];
      const acc = accounts[i];
      if (!acc) continue;
      const d = this.op.staking.decodeDevice(acc.data);
      const past = history?.(device);
      this.facts.set(device, {
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
      if (d.status !== DeviceStatus.Active) this.index.markBusy(device);
    }
  }
}
