// The agent registry: the orchestrator's side of the agent protocol, fed by the agent API. It accepts a
// device's signed heartbeat (its HeartbeatBook refuses unsigned, stale and replayed ones; a device the
// chain does not know, or one claiming a lease it is not in, is refused here), remembers what each agent
// reports it runs, answers with the device's assignment (role, and for a worker the head's address once
// the head is up) and the hours it wants signed, and takes the signatures the agents hand back, keeping
// only those it asked for that verify under the device's key.

import {
  type Assignment,
  type Attestation,
  checkSignRequest,
  type HeartbeatAnswer,
  HeartbeatBook,
  HeartbeatRejected,
  parseHeartbeat,
  type RunningReport,
  requestSubject,
  type SignRequest,
  sameRequest,
  verifySigned,
} from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import type { ClusterState, Fleet, Placement } from "./port.ts";

/** What the chain says of a device: whether it is registered, and the lease it is in (null when none). */
export type DeviceLookup = (device: PublicKey) => Promise<{ registered: boolean; lease: string | null }>;

export interface RegistryOptions {
  lookup: DeviceLookup;
  /** Wall clock in unix seconds (heartbeat skew and liveness); default the system clock. */
  now?: () => number;
  /** A device is alive while its last heartbeat is at most this old (default 10 s). */
  aliveSeconds?: number;
  /** How far a heartbeat's own time may be from `now` (default 30 s). */
  maxSkewSeconds?: number;
  /** Called when what a device reports it runs changes (its node came up, moved or went). */
  onReport?: (device: string) => void;
}

interface Report {
  running: RunningReport;
  nodeId: string;
}

/** The registry refuses a request: `status` is the HTTP status to answer with. */
export class AgentRequestRefused extends HeartbeatRejected {
  override name = "AgentRequestRefused";
}

export class AgentRegistry implements Fleet {
  readonly book: HeartbeatBook;
  private readonly now: () => number;
  /** Devices the chain confirmed registered. */
  private readonly known = new Set<string>();
  private readonly reports = new Map<string, Report>();
  private readonly assigned = new Map<string, { lease: string; role: "head" | "worker"; gpus: number }>();
  /** Per lease, its devices; the head first. */
  private readonly members = new Map<string, Placement[]>();
  /** Leases a device was released from: its agent may still report them until it stops its node. */
  private readonly former = new Map<string, Set<string>>();
  /** Leases agents report that this orchestrator did not assign (after its restart), confirmed on chain. */
  private readonly claimed = new Set<string>();
  /** `device:lease` pairs the chain confirmed (the device is in that lease it reported running). */
  private readonly vouched = new Set<string>();
  /** Devices heard from since this orchestrator started (a head is only replaced once it was heard and fell silent). */
  private readonly heard = new Set<string>();
  private readonly wanted = new Map<string, Map<string, SignRequest>>();
  private readonly signed = new Map<string, Map<string, { request: SignRequest; attestation: Attestation }>>();

  constructor(private readonly o: RegistryOptions) {
    this.now = o.now ?? (() => Math.floor(Date.now() / 1000));
    this.book = new HeartbeatBook((d) => this.known.has(d.toBase58()), { aliveSeconds: o.aliveSeconds ?? 10, maxSkewSeconds: o.maxSkewSeconds });
  }

  /** Checks and records a posted heartbeat and answers it; throws HeartbeatRejected (recording nothing) when refused. */
  async heartbeat(body: unknown): Promise<HeartbeatAnswer> {
    const h = parseHeartbeat(body);
    if (!h.running) throw new AgentRequestRefused(400, "running is required: what the agent runs (or an idle report)");
    const now = this.now();
    this.book.check(h, now); // stale, ahead or replayed: refused before anything else is looked at
    const device = h.device.toBase58();
    if (h.rayNodeId !== "") {
      const other = [...this.reports].find(([d, r]) => d !== device && r.nodeId === h.rayNodeId && this.alive(d));
      if (other) throw new AgentRequestRefused(403, `Ray node ${h.rayNodeId} is reported by device ${other[0]}`);
    }
    const claim = h.running.lease;
    const mine = this.assigned.get(device)?.lease ?? null;
    const stale = claim !== null && claim !== mine && this.former.get(device)?.has(claim);
    const unexplained = claim !== null && claim !== mine && !stale && !this.vouched.has(`${device}:${claim}`);
    let adopt = false;
    if (!this.known.has(device) || unexplained) {
      const facts = await this.o.lookup(h.device);
      if (!facts.registered) throw new AgentRequestRefused(403, `device ${device} is not registered`);
      if (unexplained && facts.lease !== claim) throw new AgentRequestRefused(403, `device ${device} is not in lease ${claim}`);
      adopt = unexplained;
    }
    // Accepted: from here on it is recorded.
    this.known.add(device);
    this.book.record(h, now);
    this.heard.add(device);
    if (adopt) {
      this.claimed.add(claim!);
      this.vouched.add(`${device}:${claim}`);
    }
    this.reports.set(device, { running: h.running, nodeId: h.rayNodeId });
    return { accepted: true, sequence: h.sequence.toString(), assignment: this.assignment(device), sign: [...(this.wanted.get(device)?.values() ?? [])] };
  }

  /** Takes an agent's signatures: every one must answer a request put to it and verify, or none is kept. */
  attestations(body: unknown): { accepted: number } {
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AgentRequestRefused(400, "a JSON object {device, attestations} is expected");
    const b = body as Record<string, unknown>;
    const extra = Object.keys(b).filter((k) => k !== "device" && k !== "attestations");
    if (extra.length > 0) throw new AgentRequestRefused(400, `unknown field ${extra[0]}`);
    let device: PublicKey;
    try {
      if (typeof b.device !== "string") throw new Error("not a string");
      device = new PublicKey(b.device);
    } catch {
      throw new AgentRequestRefused(400, "device must be a base58 public key");
    }
    if (!Array.isArray(b.attestations) || b.attestations.length === 0 || b.attestations.length > 64)
      throw new AgentRequestRefused(400, "attestations must be a list of 1 to 64 {request, signature}");
    const id = device.toBase58();
    if (!this.known.has(id)) throw new AgentRequestRefused(403, `device ${id} has not heartbeated here`);
    const taken: { request: SignRequest; attestation: Attestation }[] = [];
    for (const [i, w] of (b.attestations as unknown[]).entries()) {
      const entry = w as Record<string, unknown>;
      if (typeof entry !== "object" || entry === null || typeof entry.signature !== "string")
        throw new AgentRequestRefused(400, `attestations[${i}] must be {request, signature}`);
      const request = checkSignRequest(entry.request);
      if (typeof request === "string") throw new AgentRequestRefused(400, `attestations[${i}]: ${request}`);
      const asked = this.wanted.get(id)?.get(requestSubject(request));
      if (!asked || !sameRequest(asked, request))
        throw new AgentRequestRefused(409, `attestations[${i}] answers nothing this orchestrator asked device ${id} to sign`);
      const attestation = verifySigned(device, { request, signature: entry.signature });
      if (!attestation) throw new AgentRequestRefused(401, `attestations[${i}]: the signature does not verify for device ${id}`);
      taken.push({ request, attestation });
    }
    const book = this.signed.get(id) ?? new Map();
    for (const t of taken) book.set(requestSubject(t.request), t);
    this.signed.set(id, book);
    return { accepted: taken.length };
  }

  alive(device: string): boolean {
    return this.book.alive(new PublicKey(device), this.now());
  }

  attestation(device: string, request: SignRequest): Attestation | undefined {
    const subject = requestSubject(request);
    const got = this.signed.get(device)?.get(subject);
    if (got && sameRequest(got.request, request)) {
      this.signed.get(device)!.delete(subject);
      this.wanted.get(device)?.delete(subject);
      return got.attestation;
    }
    const wanted = this.wanted.get(device) ?? new Map<string, SignRequest>();
    wanted.set(subject, request);
    this.wanted.set(device, wanted);
    return undefined;
  }

  /** Assigns the lease's devices; a device already running the lease's head (before a restart) stays its head. */
  assign(lease: string, devices: Placement[]): void {
    const head = devices.findIndex((p) => this.runsHead(p.device, lease));
    const ordered = head > 0 ? [devices[head], ...devices.filter((_, i) => i !== head)] : devices;
    this.members.set(lease, [...ordered]);
    ordered.forEach((p, i) => {
      this.assigned.set(p.device, { lease, role: i === 0 ? "head" : "worker", gpus: p.gpus });
      this.former.get(p.device)?.delete(lease);
    });
    this.claimed.delete(lease);
  }

  release(device: string): void {
    const a = this.assigned.get(device);
    if (!a) return;
    this.assigned.delete(device);
    const members = (this.members.get(a.lease) ?? []).filter((p) => p.device !== device);
    if (members.length > 0) this.members.set(a.lease, members);
    else this.members.delete(a.lease);
    this.roles(a.lease, members); // a released head's place goes to the next device
    const former = this.former.get(device) ?? new Set<string>();
    former.add(a.lease);
    this.former.set(device, former);
    this.wanted.get(device)?.clear();
    this.signed.get(device)?.clear();
  }

  cluster(lease: string): ClusterState {
    const members = this.promote(lease);
    const nodes = new Map<string, string>();
    const gpus = new Map<string, number>();
    for (const p of members) {
      const r = this.reports.get(p.device);
      if (r && r.running.lease === lease && r.nodeId && this.alive(p.device)) {
        nodes.set(p.device, r.nodeId);
        gpus.set(p.device, p.gpus);
      }
    }
    const head = members[0] && this.runsHead(members[0].device, lease) ? this.reports.get(members[0].device)!.running : null;
    const dashboard = head?.dashboard ?? null;
    const alive = members.filter((p) => this.alive(p.device));
    const ready = dashboard !== null && alive.length > 0 && alive.every((p) => nodes.has(p.device));
    return { head: members[0]?.device ?? null, dashboard, nodes, ready, complete: ready && alive.length === members.length, gpus };
  }

  /**
   * The lease's members, the head first: a head heard from since this orchestrator started that then
   * fell silent gives way to the first live worker.
   */
  private promote(lease: string): Placement[] {
    const members = this.members.get(lease) ?? [];
    const head = members[0]?.device;
    if (members.length < 2 || !this.heard.has(head) || this.alive(head)) return members;
    const next = members.findIndex((p) => this.alive(p.device));
    if (next < 0) return members;
    const ordered = [members[next], ...members.filter((_, i) => i !== next)];
    this.members.set(lease, ordered);
    this.roles(lease, ordered);
    return ordered;
  }

  /** The first member of a lease is its head, the others workers. */
  private roles(lease: string, members: Placement[]): void {
    members.forEach((p, i) => {
      const a = this.assigned.get(p.device);
      if (a?.lease === lease) a.role = i === 0 ? "head" : "worker";
    });
  }

  async leases(): Promise<string[]> {
    const reported = [...this.reports.values()].map((r) => r.running.lease).filter((l): l is string => l !== null);
    return [...new Set([...this.claimed, ...reported])];
  }

  devices(): string[] {
    return [...this.known];
  }

  /** What the device last reported it runs. */
  report(device: string): (RunningReport & { nodeId: string }) | undefined {
    const r = this.reports.get(device);
    return r && { ...r.running, nodeId: r.nodeId };
  }

  private runsHead(device: string, lease: string): boolean {
    const r = this.reports.get(device)?.running;
    return r?.lease === lease && r.role === "head" && r.gcs !== null && r.dashboard !== null;
  }

  private assignment(device: string): Assignment | null {
    const a = this.assigned.get(device);
    if (!a) {
      // A lease it runs that this orchestrator has not taken back yet (it restarted): keep running it.
      const r = this.reports.get(device)?.running;
      if (r?.lease && r.role && this.claimed.has(r.lease) && this.vouched.has(`${device}:${r.lease}`))
        return { lease: r.lease, role: r.role, gpus: r.gpus, head: null };
      return null;
    }
    this.promote(a.lease);
    if (a.role === "head") return { lease: a.lease, role: "head", gpus: a.gpus, head: null };
    const headDevice = this.members.get(a.lease)?.[0]?.device;
    const head = headDevice && this.runsHead(headDevice, a.lease) ? this.reports.get(headDevice)!.running : null;
    return { lease: a.lease, role: "worker", gpus: a.gpus, head: head ? { gcs: head.gcs!, dashboard: head.dashboard! } : null };
  }
}
