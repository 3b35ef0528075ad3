// Proof-of-time-lock attestations: the 62-byte message a device key signs, and the Ed25519 +
// prove_time instruction pair an attester submits (layout in programs/leases/src/interface/attestation.rs).
import { ed25519 } from "@noble/curves/ed25519";
import { sha256 } from "@noble/hashes/sha256";
import { type Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { ENTRIES_OFFSET, ENTRY_LEN, MESSAGE_LEN } from "../generated/leases.ts";
import { LEASES_PROGRAM_ID } from "../idl.ts";
export const ED25519_PROGRAM_ID = new PublicKey("Ed25519SigVerify111111111111111111111111111");

export interface Attestation {
  /** The device's slot in the lease. */
  slot: number;
  /** The device key that signed. */
  deviceKey: PublicKey;
  message: Uint8Array;
  signature: Uint8Array;
}

/** The first 16 bytes of sha256 over the per-hour job status the agent observed. */
export function statusDigest(status: string | Uint8Array): Uint8Array {
  return sha256(typeof status === "string" ? new TextEncoder().encode(status) : status).slice(0, 16);
}

/** program_id[0..8] | lease | first_hour u32 LE | hour_count u16 LE | digest (16). */
export function attestationMessage(lease: PublicKey, firstHour: number, hourCount: number, digest: Uint8Array, programId = LEASES_PROGRAM_ID): Uint8Array {
  if (digest.length !== 16) throw new Error("digest must be 16 bytes");
  const m = Buffer.alloc(MESSAGE_LEN);
  programId.toBuffer().copy(m, 0, 0, 8);
  lease.toBuffer().copy(m, 8);
  m.writeUInt32LE(firstHour, 40);
  m.writeUInt16LE(hourCount, 44);
  Buffer.from(digest).copy(m, 46);
  return m;
}

/** What a device agent does every hour (or for a range of hours): sign the attestation. */
export function signAttestation(
  device: Keypair,
  slot: number,
  lease: PublicKey,
  firstHour: number,
  hourCount: number,
  digest: Uint8Array,
  programId = LEASES_PROGRAM_ID,
): Attestation {
  const message = attestationMessage(lease, firstHour, hourCount, digest, programId);
  const signature = ed25519.sign(message, device.secretKey.slice(0, 32));
  return { slot, deviceKey: device.publicKey, message, signature };
}

/** prove_time's `attestations` argument: 64-byte entries (slot u16 LE | message). */
export function attestationBytes(atts: Attestation[]): Buffer {
  return Buffer.concat(
    atts.map((a) => {
      const e = Buffer.alloc(ENTRY_LEN);
      e.writeUInt16LE(a.slot, 0);
      Buffer.from(a.message).copy(e, 2);
      return e;
    }),
  );
}

/** Where message j sits in the instruction that follows the Ed25519 one: `first + j * stride`. */
export interface MessagePlacement {
  first: number;
  stride: number;
}

/** prove_time: entries of slot (2) + message (62) after the discriminator and length. */
export const PROVE_TIME_PLACEMENT: MessagePlacement = { first: ENTRIES_OFFSET + 2, stride: ENTRY_LEN };

/**
 * The Ed25519 signature-verify instruction for `atts`, to sit at `ed25519Index` with the instruction
 * that reads the messages (prove_time by default) right after it: public keys and signatures in its own
 * data, message offsets pointing into the next instruction's data.
 */
export function ed25519Instruction(atts: Attestation[], ed25519Index: number, placement: MessagePlacement = PROVE_TIME_PLACEMENT): TransactionInstruction {
  const n = atts.length;
  const dataStart = 2 + 14 * n;
  const data = Buffer.alloc(dataStart + 96 * n);
  data[0] = n;
  atts.forEach((a, j) => {
    const o = 2 + 14 * j;
    const pk = dataStart + 96 * j;
    data.writeUInt16LE(pk + 32, o); // signature offset
    data.writeUInt16LE(ed25519Index, o + 2);
    data.writeUInt16LE(pk, o + 4); // public key offset
    data.writeUInt16LE(ed25519Index, o + 6);
    data.writeUInt16LE(placement.first + j * placement.stride, o + 8); // message offset in the next instruction
    data.writeUInt16LE(MESSAGE_LEN, o + 10);
    data.writeUInt16LE(ed25519Index + 1, o + 12);
    a.deviceKey.toBuffer().copy(data, pk);
    Buffer.from(a.signature).copy(data, pk + 32);
  });
  return new TransactionInstruction({ programId: ED25519_PROGRAM_ID, keys: [], data });
}
