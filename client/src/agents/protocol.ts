// What a device agent and the orchestrator say to each other over HTTP besides the heartbeat's signed
// header: the agent's report of what it runs (bound to the heartbeat's signature through its digest),
// the orchestrator's answer (the device's lease assignment and the hours it asks the agent to sign),
// and the agent's signatures for those hours. A signature is over the message the request names, so
// the agent sends only the signature and the orchestrator rebuilds the message to check it.
import { ed25519 } from "@noble/curves/ed25519";
import { sha256 } from "@noble/hashes/sha256";
import { type Keypair, PublicKey } from "@solana/web3.js";
import { REWARDS_PROGRAM_ID } from "../idl.ts";
import { type Attestation, attestationMessage, statusDigest } from "../leases/attestation.ts";

/** What an agent runs: its lease's Ray node (role, and for a head where its GCS and Jobs API are), or nothing. */
export interface RunningReport {
  /** The lease whose Ray node runs here; null when idle. */
  lease: string | null;
  role: "head" | "worker" | null;
  /** Head only: the GCS address workers join (`host:port`). */
  gcs: string | null;
  /** Head only: the Jobs API (dashboard) URL. */
  dashboard: string | null;
  /** Logical GPUs the node declares. */
  gpus: number;
}

export const IDLE: RunningReport = { lease: null, role: null, gcs: null, dashboard: null, gpus: 0 };

/** The heartbeat's 16-byte digest of a report: sha256 over its fields in a fixed order. */
export function runningDigest(r: RunningReport): Uint8Array {
  const text = JSON.stringify([r.lease, r.role, r.gcs, r.dashboard, r.gpus]);
  return sha256(new TextEncoder().encode(text)).slice(0, 16);
}

/** The orchestrator's word to an agent: run this lease's node in this role (a worker joins `head` once it is up). */
export interface Assignment {
  lease: string;
  role: "head" | "worker";
  gpus: number;
  head: { gcs: string; dashboard: string } | null;
}

/** Hours the orchestrator asks a device to sign: lease hours of its slot, or pool hours of uptime. */
export type SignRequest =
  | { kind: "lease"; lease: string; slot: number; first: number; count: number; status: string }
  | { kind: "uptime"; first: number; count: number; context: string };

/** What the orchestrator answers an accepted heartbeat with. */
export interface HeartbeatAnswer {
  accepted: true;
  sequence: string;
  assignment: Assignment | null;
  sign: SignRequest[];
}

/** One signature an agent hands back: the request it signs and the base64 Ed25519 signature. */
export interface SignedWire {
  request: SignRequest;
  signature: string;
}

/** POST /agents/attestations. */
export interface AttestationsWire {
  device: string;
  attestations: SignedWire[];
}

/** A stable key for a request's subject (which lease slot, or uptime), whatever its hour range. */
export function requestSubject(r: SignRequest): string {
  return r.kind === "lease" ? `lease:${r.lease}:${r.slot}` : "uptime";
}

/** The 62-byte message a request names (what prove_time or record_uptime verifies). */
export function requestMessage(r: SignRequest): Uint8Array {
  if (r.kind === "lease") return attestationMessage(new PublicKey(r.lease), r.first, r.count, statusDigest(`${r.status} ${r.first}+${r.count}`));
  return attestationMessage(new PublicKey(r.context), r.first, r.count, statusDigest(`idle ${r.first}+${r.count}`), REWARDS_PROGRAM_ID);
}

/** The agent's side: signs what a request names with the device key. */
export function signRequest(key: Keypair, r: SignRequest): SignedWire {
  const signature = ed25519.sign(requestMessage(r), key.secretKey.slice(0, 32));
  return { request: r, signature: Buffer.from(signature).toString("base64") };
}

/** The orchestrator's side: the attestation for a signed request, or null when the signature is not the device's. */
export function verifySigned(device: PublicKey, w: SignedWire): Attestation | null {
  const message = requestMessage(w.request);
  const signature = Buffer.from(w.signature, "base64");
  if (signature.length !== 64 || !ed25519.verify(signature, message, device.toBytes())) return null;
  return { slot: w.request.kind === "lease" ? w.request.slot : 0, deviceKey: device, message, signature };
}

function isKey(v: unknown): v is string {
  if (typeof v !== "string") return false;
  try {
    return new PublicKey(v).toBase58() === v;
  } catch {
    return false;
  }
}
const isU = (v: unknown, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
const isText = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;
const exactly = (o: Record<string, unknown>, keys: string[]) => Object.keys(o).length === keys.length && keys.every((k) => k in o);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A posted report, checked field by field; a message naming what is wrong otherwise. */
export function checkRunningReport(v: unknown): RunningReport | string {
  if (!isObject(v) || !exactly(v, ["lease", "role", "gcs", "dashboard", "gpus"])) return "running must be {lease, role, gcs, dashboard, gpus}";
  if (v.lease !== null && !isKey(v.lease)) return "running.lease must be a base58 lease address or null";
  if (v.role !== null && v.role !== "head" && v.role !== "worker") return 'running.role must be "head", "worker" or null';
  if ((v.lease === null) !== (v.role === null)) return "running.lease and running.role are set together";
  for (const k of ["gcs", "dashboard"] as const)
    if (v[k] !== null && !isText(v[k], 200)) return `running.${k} must be a string (at most 200 characters) or null`;
  if ((v.role === "head") !== (v.gcs !== null && v.dashboard !== null)) return "running.gcs and running.dashboard are set for a head, and only for a head";
  if (v.gcs !== null) {
    const gcs = /^([A-Za-z0-9.-]{1,253}|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(String(v.gcs));
    if (!gcs) return "running.gcs must be host:port";
    let url: URL | null = null;
    try {
      url = new URL(String(v.dashboard));
    } catch {
      url = null;
    }
    // The Jobs API is on the head's own machine.
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname !== gcs[1] || url.pathname !== "/" || url.search || url.username)
      return "running.dashboard must be http(s)://<the head's host>:<port>";
  }
  if (!isU(v.gpus, 1024)) return "running.gpus must be a whole number";
  return v as unknown as RunningReport;
}

/** A posted sign request, checked; a message otherwise. */
export function checkSignRequest(v: unknown): SignRequest | string {
  if (!isObject(v)) return "request must be an object";
  const range = isU(v.first, 0xffff_ffff) && isU(v.count, 0xffff) && (v.count as number) > 0;
  if (v.kind === "lease" && exactly(v, ["kind", "lease", "slot", "first", "count", "status"])) {
    if (!isKey(v.lease) || !isU(v.slot, 0xffff) || !range || !isText(v.status, 64)) return "a lease request is {kind, lease, slot, first, count, status}";
    return v as unknown as SignRequest;
  }
  if (v.kind === "uptime" && exactly(v, ["kind", "first", "count", "context"])) {
    if (!range || !isKey(v.context)) return "an uptime request is {kind, first, count, context}";
    return v as unknown as SignRequest;
  }
  return 'request.kind must be "lease" or "uptime" with exactly its fields';
}

/** Whether two requests name the same message. */
export function sameRequest(a: SignRequest, b: SignRequest): boolean {
  return Buffer.from(requestMessage(a)).equals(Buffer.from(requestMessage(b)));
}
