// A stand-in fleet for unit tests and benchmarks: device keys held in this process sign at once, and
// every lease's "cluster" is one shared Ray head that is already up. `silent` stands in for agents
// whose heartbeats stopped. The real fleet is the agent registry (registry.ts), fed over HTTP by
// agent processes that each run their lease's Ray node.

import { type Attestation, type SignRequest, signRequest, verifySigned } from "@hourglass/client";
import type { Keypair } from "@solana/web3.js";
import type { JobDetails } from "../ray/jobs-client.ts";
import type { ClusterState, Fleet, Placement } from "./port.ts";

export interface SharedHead {
  /** The shared head's Jobs API. */
  dashboard: string;
  /** What the stand-in reports as every device's Ray node id (the shared head is checked as a whole). */
  nodeId: string;
  /** Its job list (what `leases` recovers from). */
  list: () => Promise<JobDetails[]>;
}

export class InProcessFleet implements Fleet {
  /** Devices whose agents went silent. */
  readonly silent = new Set<string>();
  private readonly keys: Map<string, Keypair>;
  private readonly members = new Map<string, Placement[]>();

  constructor(
    keys: Keypair[],
    private readonly head: SharedHead,
  ) {
    this.keys = new Map(keys.map((k) => [k.publicKey.toBase58(), k]));
  }

  alive(device: string): boolean {
    return this.keys.has(device) && !this.silent.has(device);
  }

  attestation(device: string, request: SignRequest): Attestation | undefined {
    const key = this.keys.get(device);
    return key ? (verifySigned(key.publicKey, signRequest(key, request)) ?? undefined) : undefined;
  }

  assign(lease: string, devices: Placement[]): void {
    this.members.set(lease, devices);
  }

  release(device: string): void {
    for (const [lease, devices] of this.members)
      this.members.set(
        lease,
        devices.filter((p) => p.device !== device),
      );
  }

  cluster(lease: string): ClusterState {
    const devices = this.members.get(lease) ?? [];
    const nodes = new Map(devices.filter((p) => this.alive(p.device)).map((p) => [p.device, this.head.nodeId]));
    const gpus = new Map(devices.filter((p) => nodes.has(p.device)).map((p) => [p.device, p.gpus]));
    const ready = devices.length > 0;
    return { head: devices[0]?.device ?? null, dashboard: this.head.dashboard, nodes, ready, complete: ready, gpus, shared: true };
  }

  async leases(): Promise<string[]> {
    return [...new Set((await this.head.list()).map((j) => j.metadata?.lease).filter((l): l is string => !!l))];
  }

  devices(): string[] {
    return [...this.keys.keys()];
  }
}
