// How a renter proves it is the lease's renter to the orchestrator's renter API: a short text message,
// Sign-In-With-Solana style, signed by the renter's wallet (`signMessage` over its UTF-8 bytes, which
// every wallet offers, or the keypair in the CLI), naming the domain, the lease, what is asked and,
// when a spec is delivered, its hash; with a nonce, an issue time and an expiry. The orchestrator
// checks it with `RenterAuthBook.verify` (domain, signature, freshness, replay) and then that the
// signer is the lease's renter on chain. The message:
//
//   <domain> wants you to sign in with your Solana account:
//   <renter>
//
//   Hourglass renter request
//
//   URI: https://<domain>
//   Lease: <lease>
//   Action: <deliver|status|logs|submit>
//   Spec: <sha256 hex, or ->
//   Nonce: <nonce>
//   Issued At: <ISO 8601>
//   Expiration Time: <ISO 8601>
import { ed25519 } from "@noble/curves/ed25519";
import { type Keypair, PublicKey } from "@solana/web3.js";
import { RequestRefused } from "../refused.ts";

export const RENTER_ACTIONS = ["deliver", "status", "logs", "submit"] as const;
export type RenterAction = (typeof RENTER_ACTIONS)[number];
/** The longest a signed request lives (its expiry less its issue time). */
export const RENTER_AUTH_MAX_LIFETIME_SECONDS = 600;
/** How far an issue time may be ahead of the orchestrator's clock. */
export const RENTER_AUTH_MAX_SKEW_SECONDS = 60;

export interface RenterRequest {
  domain: string;
  renter: PublicKey;
  lease: PublicKey;
  action: RenterAction;
  /** The job spec's sha256 (deliver), or null. */
  specHash: Uint8Array | null;
  nonce: string;
  issuedAt: number;
  expiresAt: number;
}

/** What travels with a request (e.g. as JSON in a header or the body). */
export interface RenterAuthWire {
  message: string;
  /** base64 Ed25519 signature of the message's UTF-8 bytes. */
  signature: string;
}

/** Why a signed request was refused; `status` is the HTTP status to answer with. */
export class RenterAuthRefused extends RequestRefused {
  override name = "RenterAuthRefused";
}

const iso = (unix: number) => new Date(unix * 1000).toISOString();

export function renterMessage(r: RenterRequest): string {
  return [
    `${r.domain} wants you to sign in with your Solana account:`,
    r.renter.toBase58(),
    "",
    "Hourglass renter request",
    "",
    `URI: https://${r.domain}`,
    `Lease: ${r.lease.toBase58()}`,
    `Action: ${r.action}`,
    `Spec: ${r.specHash ? Buffer.from(r.specHash).toString("hex") : "-"}`,
    `Nonce: ${r.nonce}`,
    `Issued At: ${iso(r.issuedAt)}`,
    `Expiration Time: ${iso(r.expiresAt)}`,
  ].join("\n");
}

/** The CLI's side: signs a request with the renter's keypair (a browser wallet signs `renterMessage` itself). */
export function signRenterRequest(key: Keypair, r: Omit<RenterRequest, "renter">): RenterAuthWire {
  const message = renterMessage({ ...r, renter: key.publicKey });
  const signature = ed25519.sign(new TextEncoder().encode(message), key.secretKey.slice(0, 32));
  return { message, signature: Buffer.from(signature).toString("base64") };
}

const LINE = /^(URI|Lease|Action|Spec|Nonce|Issued At|Expiration Time): (.*)$/;

/** Parses a message back into its request; a 400 naming what is wrong otherwise. */
export function parseRenterMessage(message: string): RenterRequest {
  const lines = message.split("\n");
  const bad = (what: string): never => {
    throw new RenterAuthRefused(400, `the signed message ${what}`);
  };
  if (lines.length !== 12 || lines[2] !== "" || lines[3] !== "Hourglass renter request" || lines[4] !== "") bad("is not an Hourglass renter request");
  const head = /^(\S+) wants you to sign in with your Solana account:$/.exec(lines[0]) ?? bad("does not name a domain");
  const f: Record<string, string> = {};
  for (const l of lines.slice(5)) {
    const m = LINE.exec(l) ?? bad(`has an unexpected line ${JSON.stringify(l.slice(0, 80))}`);
    f[m[1]] = m[2];
  }
  const key = (v: string | undefined, name: string) => {
    try {
      const k = new PublicKey(v ?? "");
      if (k.toBase58() !== v) throw new Error("not canonical");
      return k;
    } catch {
      return bad(`has no valid ${name}`);
    }
  };
  const time = (v: string | undefined, name: string) => {
    const t = Date.parse(v ?? "");
    if (!Number.isFinite(t) || iso(Math.floor(t / 1000)) !== v) bad(`has no valid ${name}`);
    return Math.floor(t / 1000);
  };
  const domain = head[1];
  if (f.URI !== `https://${domain}`) bad("names another URI than its domain");
  const action = f.Action as RenterAction;
  if (!RENTER_ACTIONS.includes(action)) bad(`has an unknown action ${JSON.stringify(f.Action)}`);
  const spec = f.Spec;
  if (spec !== "-" && !/^[0-9a-f]{64}$/.test(spec ?? "")) bad("has a Spec that is neither - nor a sha256 in hex");
  if (!/^[A-Za-z0-9]{8,64}$/.test(f.Nonce ?? "")) bad("has a nonce that is not 8 to 64 letters and digits");
  return {
    domain,
    renter: key(lines[1], "renter address"),
    lease: key(f.Lease, "lease address"),
    action,
    specHash: spec === "-" ? null : Buffer.from(spec, "hex"),
    nonce: f.Nonce,
    issuedAt: time(f["Issued At"], "Issued At"),
    expiresAt: time(f["Expiration Time"], "Expiration Time"),
  };
}

/**
 * The orchestrator's side: checks a signed request for `domain`, and remembers its nonce until it
 * expires so it cannot be replayed. Whether the signer is the lease's renter is the caller's check
 * (against the chain), answered 403 when not.
 */
export class RenterAuthBook {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly domain: string) {}

  verify(wire: unknown, now: number, expect: { lease: PublicKey; action: RenterAction; specHash?: Uint8Array | null }): RenterRequest {
    const w = wire as Partial<RenterAuthWire> | null;
    if (typeof w !== "object" || w === null || typeof w.message !== "string" || typeof w.signature !== "string")
      throw new RenterAuthRefused(401, "a signed renter request {message, signature} is required");
    const r = parseRenterMessage(w.message);
    const signature = Buffer.from(w.signature, "base64");
    if (signature.length !== 64 || !ed25519.verify(signature, new TextEncoder().encode(w.message), r.renter.toBytes()))
      throw new RenterAuthRefused(401, "the signature does not verify for the renter named in the message");
    if (r.domain !== this.domain) throw new RenterAuthRefused(401, `the message is for ${r.domain}, not ${this.domain}`);
    if (r.expiresAt <= r.issuedAt || r.expiresAt - r.issuedAt > RENTER_AUTH_MAX_LIFETIME_SECONDS)
      throw new RenterAuthRefused(400, `the message must expire within ${RENTER_AUTH_MAX_LIFETIME_SECONDS} s of its issue`);
    if (now >= r.expiresAt) throw new RenterAuthRefused(401, "the message has expired");
    if (r.issuedAt > now + RENTER_AUTH_MAX_SKEW_SECONDS) throw new RenterAuthRefused(401, "the message is issued in the future");
    if (!r.lease.equals(expect.lease)) throw new RenterAuthRefused(403, `the message is for lease ${r.lease.toBase58()}`);
    if (r.action !== expect.action) throw new RenterAuthRefused(403, `the message asks to ${r.action}, not to ${expect.action}`);
    if (expect.specHash !== undefined) {
      const want = expect.specHash ? Buffer.from(expect.specHash).toString("hex") : "-";
      const got = r.specHash ? Buffer.from(r.specHash).toString("hex") : "-";
      if (want !== got) throw new RenterAuthRefused(403, `the message signs spec ${got}, not ${want}`);
    }
    for (const [n, until] of this.nonces) if (until <= now) this.nonces.delete(n);
    const key = `${r.renter.toBase58()}:${r.nonce}`;
    if (this.nonces.has(key)) throw new RenterAuthRefused(409, "the message was already used (replayed)");
    this.nonces.set(key, r.expiresAt);
    return r;
  }
}
