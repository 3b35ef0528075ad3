// The one interface the orchestrator reaches its device agents through: which devices it hears from and
// whether each is alive (its heartbeats), the lease assignments it hands out (one device of a lease runs
// the head, the others join it), the state of each lease's Ray cluster as the agents report it, and the
// signatures it asks the agents for. `registry.ts` is the real one, fed by the agent API over HTTP;
// `in-process.ts` is a stand-in for unit tests and benchmarks.

import type { Attestation, SignRequest } from "@hourglass/client";

/** A lease's Ray cluster as its agents report it. */
export interface ClusterState {
  /** The device assigned the head (null when the lease has no devices here). */
  head: string | null;
  /** The head's Jobs API once the head node is up. */
  dashboard: string | null;
  /** The Ray node id of each leased device whose node runs for the lease. */
  nodes: Map<string, string>;
  /** The head is up and every leased device whose agent is alive runs its node for the lease. */
  ready: boolean;
  /** Ready with every leased device (what a lease's first job waits for). */
  complete: boolean;
  /** GPUs of the devices in `nodes`, by device. */
  gpus: Map<string, number>;
  /**
   * A stand-in's one shared head (unit tests): its node carries no per-device resources, so the check
   * that each device's node declares that device's GPUs does not apply.
   */
  shared?: boolean;
}

/** A leased device and the GPUs its node declares. */
export interface Placement {
  device: string;
  gpus: number;
}

export interface Fleet {
  /** Whether the device's agent heartbeats (the last one within the window). */
  alive(device: string): boolean;
  /**
   * The device's signature for `request` if its agent has handed one in; otherwise the request is put to
   * the agent (with its next heartbeat's answer) and this returns undefined.
   */
  attestation(device: string, request: SignRequest): Attestation | undefined;
  /**
   * The lease's devices: the first runs the head, the rest join it as workers. When the head's agent
   * falls silent, a live worker takes over as head (the others rejoin it) so the lease's job can run
   * again on what is left.
   */
  assign(lease: string, devices: Placement[]): void;
  /** The device leaves its lease's cluster (released, faulted, or the lease settled). */
  release(device: string): void;
  cluster(lease: string): ClusterState;
  /** Leases the agents say they run a node for (what a restarted orchestrator recovers). */
  leases(): Promise<string[]>;
  /** Devices the fleet has heard from. */
  devices(): string[];
}
