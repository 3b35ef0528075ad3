// The placement index: free devices grouped by GPU model, region, GPUs per device and bandwidth tier,
// each group a heap ordered by price then reliability. Placing a lease takes devices from the regions
// with the most free GPUs of the model (so a cluster spans as few regions as possible), largest devices
// first, cheapest and most reliable first; its cost grows with the devices it takes, not with the pool.
// The index is updated incrementally (device registered, staked/unstaked, leased, released, unhealthy).
import { Heap } from "./heap.ts";

export interface DeviceInfo {
  id: string;
  model: number;
  gpus: number;
  region: number;
  bandwidthTier: number;
  /** Ask per GPU-hour in base units (lower is preferred). */
  price: bigint;
  /** Proven hours / booked hours so far, 0..1 (higher is preferred). */
  reliability: number;
}

export interface PlacementRequest {
  model: number;
  gpus: number;
  /** Only these regions (default: any). */
  regions?: number[];
  minBandwidthTier?: number;
  /** Most devices the lease can hold (its slot table). */
  maxDevices?: number;
}

export class PlacementError extends Error {}

type Entry = { d: DeviceInfo; version: number };

interface Region {
  freeGpus: number;
  /** key `${gpus}:${tier}` -> heap */
  groups: Map<string, { gpus: number; tier: number; heap: Heap<Entry> }>;
}

export class PlacementIndex {
  private readonly devices = new Map<string, { d: DeviceInfo; free: boolean; version: number }>();
  private readonly models = new Map<number, Map<number, Region>>();

  get size(): number {
    return this.devices.size;
  }

  /** A device's facts as the index holds them (undefined if it is not eligible). */
  get(id: string): DeviceInfo | undefined {
    return this.devices.get(id)?.d;
  }

  /** Free GPUs of a model (in `regions`, if given). */
  freeGpus(model: number, regions?: number[]): number {
    let n = 0;
    for (const [id, r] of this.models.get(model) ?? []) if (!regions || regions.includes(id)) n += r.freeGpus;
    return n;
  }

  /**
   * Adds or updates an eligible (staked, healthy) device. A new device is free unless `free` is false;
   * an update keeps the device free or busy as it was unless `free` says otherwise.
   */
  upsert(d: DeviceInfo, free?: boolean): void {
    const prev = this.devices.get(d.id);
    this.remove(d.id);
    // Versions continue from the previous record, so its heap entries stay stale.
    const rec = { d, free: free ?? prev?.free ?? true, version: prev ? prev.version : 0 };
    this.devices.set(d.id, rec);
    if (rec.free) this.insertFree(rec);
  }

  /** Changes a known device's facts (e.g. its reliability after a proof or a fault). */
  update(id: string, patch: Partial<Omit<DeviceInfo, "id">>): void {
    const rec = this.devices.get(id);
    if (rec) this.upsert({ ...rec.d, ...patch });
  }

  /** Drops a device (deregistered, under-staked, unhealthy). */
  remove(id: string): void {
    const rec = this.devices.get(id);
    if (!rec) return;
    if (rec.free) this.region(rec.d).freeGpus -= rec.d.gpus;
    rec.version++; // its heap entry becomes stale
    this.devices.delete(id);
  }

  /** A device leased elsewhere (seen on chain) is no longer free. */
  markBusy(id: string): void {
    const rec = this.devices.get(id);
    if (!rec?.free) return;
    rec.free = false;
    rec.version++;
    this.region(rec.d).freeGpus -= rec.d.gpus;
  }

  /** A released device is free again. */
  release(id: string): void {
    const rec = this.devices.get(id);
    if (!rec || rec.free) return;
    rec.free = true;
    this.insertFree(rec);
  }

  /**
   * Chooses devices for a lease and marks them busy. Throws (reserving nothing) when the model's free
   * GPUs cannot make up exactly `gpus` within the constraints.
   */
  place(req: PlacementRequest): DeviceInfo[] {
    if (!Number.isInteger(req.gpus) || req.gpus <= 0) throw new PlacementError("gpus must be a positive integer");
    const minTier = req.minBandwidthTier ?? 0;
    const maxDevices = req.maxDevices ?? Infinity;
    const regions = [...(this.models.get(req.model) ?? new Map<number, Region>()).entries()]
      .filter(([id, r]) => r.freeGpus > 0 && (!req.regions || req.regions.includes(id)))
      .sort((a, b) => b[1].freeGpus - a[1].freeGpus);
    const taken: { rec: { d: DeviceInfo; free: boolean; version: number }; region: Region }[] = [];
    let remaining = req.gpus;
    try {
      for (const [, region] of regions) {
        // Largest devices first (fewest slots), within the bandwidth floor.
        const groups = [...region.groups.values()].filter((g) => g.tier >= minTier).sort((a, b) => b.gpus - a.gpus || b.tier - a.tier);
        for (const g of groups) {
          while (remaining >= g.gpus && taken.length < maxDevices) {
            const e = this.popLive(g.heap);
            if (!e) break;
            const rec = this.devices.get(e.d.id)!;
            rec.free = false;
            rec.version++;
            region.freeGpus -= rec.d.gpus;
            taken.push({ rec, region });
            remaining -= rec.d.gpus;
          }
          if (remaining === 0) return taken.map((t) => t.rec.d);
        }
      }
      throw new PlacementError(`cannot place ${req.gpus} GPUs of model ${req.model}: ${remaining} short with the constraints given`);
    } catch (e) {
      // Put back whatever was taken: a failed placement reserves nothing.
      for (const t of taken) {
        t.rec.free = true;
        this.insertFree(t.rec);
      }
      throw e;
    }
  }

  private region(d: DeviceInfo): Region {
    let byRegion = this.models.get(d.model);
    if (!byRegion) {
      byRegion = new Map();
      this.models.set(d.model, byRegion);
    }
    let r = byRegion.get(d.region);
    if (!r) {
      r = { freeGpus: 0, groups: new Map() };
      byRegion.set(d.region, r);
    }
    return r;
  }

  private insertFree(rec: { d: DeviceInfo; free: boolean; version: number }): void {
    const region = this.region(rec.d);
    const key = `${rec.d.gpus}:${rec.d.bandwidthTier}`;
    let g = region.groups.get(key);
    if (!g) {
      g = {
        gpus: rec.d.gpus,
        tier: rec.d.bandwidthTier,
        heap: new Heap<Entry>((a, b) => (a.d.price !== b.d.price ? a.d.price < b.d.price : a.d.reliability > b.d.reliability)),
      };
      region.groups.set(key, g);
    }
    rec.version++;
    g.heap.push({ d: rec.d, version: rec.version });
    region.freeGpus += rec.d.gpus;
  }

  /** The best entry still live (free, same version), dropping stale ones. */
  private popLive(heap: Heap<Entry>): Entry | undefined {
    for (;;) {
      const e = heap.pop();
      if (!e) return undefined;
      const rec = this.devices.get(e.d.id);
      if (rec?.free && rec.version === e.version) return e;
    }
  }
}
