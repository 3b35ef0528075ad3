// Device heartbeats: what a device agent sends the orchestrator every few seconds, signed by the device
// key, and how the orchestrator checks one. The signed message is
//   "hourglass-heartbeat-v1" (22 bytes) | device (32) | unix time i64 LE | sequence u64 LE |
//   running digest (16) | Ray node id length u8 | Ray node id (UTF-8, at most 64 bytes)
// so a signature cannot be replayed as another message kind (attestations start with a program id prefix),
// for another device, at another time or with another sequence.
import { ed25519 } from "@noble/curves/ed25519";
import { type Keypair, PublicKey } from "@solana/web3.js";
import { RequestRefused } from "../refused.ts";
import { checkRunningReport, type RunningReport, runningDigest } from "./protocol.ts";

export const HEARTBEAT_DOMAIN = "hourglass-heartbeat-v1";
export const MAX_RAY_NODE_ID_BYTES = 64;
/** How far a heartbeat's time may be from the orchestrator's clock, either way. */
export const HEARTBEAT_MAX_SKEW_SECONDS = 30;

export interface Heartbeat {
  device: PublicKey;
  /** The Ray node the agent runs for its lease; empty when idle. */
  rayNodeId: string;
  unixTime: number;
  /** Strictly increasing per device: the orchestrator refuses one it has seen (replay). */
  sequence: bigint;
  /** 16 bytes: a digest of what the agent is running. */
  digest: Uint8Array;
  /** What the agent runs, when it says (the digest is then `runningDigest(running)`, so the signature covers it). */
  running?: RunningReport;
}

/** The JSON an agent POSTs: bytes as hex, the signature as base64. */
export interface HeartbeatWire {
  device: string;
  rayNodeId: string;
  unixTime: number;
  sequence: string;
  digest: string;
  signature: string;
  running?: RunningReport;
}

/** Why a heartbeat was refused; `status` is the HTTP status the orchestrator answers with. */
export class HeartbeatRejected extends RequestRefused {
  override name = "HeartbeatRejected";
}

export function heartbeatMessage(h: Heartbeat): Uint8Array {
  const node = Buffer.from(h.rayNodeId, "utf8");
  if (node.length > MAX_RAY_NODE_ID_BYTES) throw new HeartbeatRejected(400, `rayNodeId is over ${MAX_RAY_NODE_ID_BYTES} bytes`);
  if (h.digest.length !== 16) throw new HeartbeatRejected(400, "digest must be 16 bytes");
  const out = Buffer.alloc(HEARTBEAT_DOMAIN.length + 32 + 8 + 8 + 16 + 1 + node.length);
  let o = out.write(HEARTBEAT_DOMAIN, 0, "ascii");
  o += h.device.toBuffer().copy(out, o);
  out.writeBigInt64LE(BigInt(h.unixTime), o);
  o += 8;
  out.writeBigUInt64LE(h.sequence, o);
  o += 8;
  o += Buffer.from(h.digest).copy(out, o);
  out.writeUInt8(node.length, o);
  node.copy(out, o + 1);
  return out;
}

/** Signs `h` with the device key (which must be `h.device`); with a `running` report, the digest is its digest. */
export function signHeartbeat(key: Keypair, h: Omit<Heartbeat, "device" | "digest"> & { digest?: Uint8Array }): HeartbeatWire {
  const digest = h.running ? runningDigest(h.running) : h.digest;
  if (!digest) throw new Error("a heartbeat needs a digest or a running report");
  const full = { ...h, digest, device: key.publicKey };
  const signature = ed25519.sign(heartbeatMessage(full), key.secretKey.slice(0, 32));
  return {
    device: key.publicKey.toBase58(),
    rayNodeId: h.rayNodeId,
    unixTime: h.unixTime,
    sequence: h.sequence.toString(),
    digest: Buffer.from(digest).toString("hex"),
    signature: Buffer.from(signature).toString("base64"),
    ...(h.running ? { running: h.running } : {}),
  };
}

function field<T>(body: Record<string, unknown>, name: string, check: (v: unknown) => v is T, what: string): T {
  const v = body[name];
  if (!check(v)) throw new HeartbeatRejected(400, `${name} must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
const KNOWN = new Set(["device", "rayNodeId", "unixTime", "sequence", "digest", "signature", "running"]);

/** Parses a posted heartbeat (refusing unknown fields and malformed values) and checks its signature. */
export function parseHeartbeat(body: unknown): Heartbeat {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HeartbeatRejected(400, "a heartbeat is a JSON object");
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new HeartbeatRejected(400, `unknown field ${unknown[0]}`);
  let device: PublicKey;
  try {
    device = new PublicKey(field(b, "device", isString, "a base58 public key"));
  } catch (e) {
    if (e instanceof HeartbeatRejected) throw e;
    throw new HeartbeatRejected(400, "device must be a base58 public key");
  }
  const rayNodeId = field(b, "rayNodeId", isString, "a string");
  const unixTime = field(b, "unixTime", isInteger, "an integer (unix seconds)");
  const seq = field(b, "sequence", isString, "a decimal string");
  if (!/^\d{1,20}$/.test(seq) || BigInt(seq) > 0xffff_ffff_ffff_ffffn) throw new HeartbeatRejected(400, "sequence must be a decimal u64");
  const digestHex = field(b, "digest", isString, "32 hex digits");
  if (!/^[0-9a-f]{32}$/i.test(digestHex)) throw new HeartbeatRejected(400, "digest must be 32 hex digits");
  const sigText = field(b, "signature", isString, "a base64 Ed25519 signature");
  const signature = Buffer.from(sigText, "base64");
  if (signature.length !== 64 || signature.toString("base64") !== sigText)
    throw new HeartbeatRejected(400, "signature must be a base64 Ed25519 signature (64 bytes)");
  const h: Heartbeat = { device, rayNodeId, unixTime, sequence: BigInt(seq), digest: Buffer.from(digestHex, "hex") };
  if (b.running !== undefined) {
    const running = checkRunningReport(b.running);
    if (typeof running === "string") throw new HeartbeatRejected(400, running);
    if (!Buffer.from(runningDigest(running)).equals(Buffer.from(h.digest))) throw new HeartbeatRejected(400, "digest is not the digest of running");
    h.running = running;
  }
  if (!ed25519.verify(signature, heartbeatMessage(h), device.toBytes())) throw new HeartbeatRejected(401, "signature does not verify for this device key");
  return h;
}

/** What the orchestrator remembers of a device's heartbeats. */
export interface HeartbeatSeen {
  sequence: bigint;
  unixTime: number;
  rayNodeId: string;
  /** The orchestrator's clock when it accepted the last one. */
  receivedAt: number;
}

/**
 * The orchestrator's book of heartbeats: accepts a signed heartbeat from a registered device that is
 * fresh (within the skew of its own clock) and newer than the last it accepted, and says which devices
 * are alive (a heartbeat within `aliveSeconds`).
 */
export class HeartbeatBook {
  private readonly seen = new Map<string, HeartbeatSeen>();

  constructor(
    private readonly isRegistered: (device: PublicKey) => boolean,
    private readonly opts: { maxSkewSeconds?: number; aliveSeconds?: number } = {},
  ) {}

  /** Checks and records a posted heartbeat; throws HeartbeatRejected, recording nothing, when refused. */
  accept(body: unknown, now: number): Heartbeat {
    return this.record(parseHeartbeat(body), now);
  }

  /** `accept` for a heartbeat already parsed (and its signature checked) by `parseHeartbeat`. */
  record(h: Heartbeat, now: number): Heartbeat {
    const key = h.device.toBase58();
    if (!this.isRegistered(h.device)) throw new HeartbeatRejected(403, `device ${key} is not registered`);
    this.check(h, now);
    this.seen.set(key, { sequence: h.sequence, unixTime: h.unixTime, rayNodeId: h.rayNodeId, receivedAt: now });
    return h;
  }

  /** Throws (409) for a heartbeat that is stale, ahead, or replayed; records nothing. */
  check(h: Heartbeat, now: number): void {
    const skew = this.opts.maxSkewSeconds ?? HEARTBEAT_MAX_SKEW_SECONDS;
    if (Math.abs(h.unixTime - now) > skew) throw new HeartbeatRejected(409, `heartbeat time ${h.unixTime} is more than ${skew} s from ${now}: stale or ahead`);
    const last = this.seen.get(h.device.toBase58());
    if (last && h.sequence <= last.sequence) throw new HeartbeatRejected(409, `sequence ${h.sequence} was already used (last ${last.sequence}): replayed`);
  }

  last(device: PublicKey): HeartbeatSeen | undefined {
    return this.seen.get(device.toBase58());
  }

  /** A heartbeat within `aliveSeconds`, judged by when it was received and by its own signed time (so a delayed or captured one counts no longer than that). */
  alive(device: PublicKey, now: number): boolean {
    const last = this.last(device);
    const window = this.opts.aliveSeconds ?? HEARTBEAT_MAX_SKEW_SECONDS;
    return last !== undefined && now - last.receivedAt <= window && now - last.unixTime <= window;
  }
}
