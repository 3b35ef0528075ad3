// Decodes Hourglass events straight into their stored form (keys base58, 64-bit integers as decimal
// strings) with readers compiled once from the IDLs. Anchor's coder builds BN and PublicKey objects
// that the indexer would only turn back into strings; on this path that was most of ingestion's time.
// A differential test checks it against anchor's decoding. Base58 strings of keys are memoised, as the
// same devices, leases and owners recur in event after event.
import type { Idl } from "@coral-xyz/anchor";
import { forEachProgramData } from "@hourglass/client";
import bs58 from "bs58";
import type { EventData } from "./chain-tx.ts";

type Reader = (b: Buffer, at: number) => [string | number | boolean, number];

const key: Reader = (b, at) => [base58(b, at), at + 32];
const READERS: Record<string, Reader> = {
  pubkey: key,
  bool: (b, at) => [b[at] !== 0, at + 1],
  u8: (b, at) => [b.readUInt8(at), at + 1],
  i8: (b, at) => [b.readInt8(at), at + 1],
  u16: (b, at) => [b.readUInt16LE(at), at + 2],
  i16: (b, at) => [b.readInt16LE(at), at + 2],
  u32: (b, at) => [b.readUInt32LE(at), at + 4],
  i32: (b, at) => [b.readInt32LE(at), at + 4],
  u64: (b, at) => [b.readBigUInt64LE(at).toString(), at + 8],
  i64: (b, at) => [b.readBigInt64LE(at).toString(), at + 8],
};

/** Bytes each field type takes (every event field is fixed-size). */
const SIZES: Record<string, number> = { pubkey: 32, bool: 1, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };

const KEYS = new Map<string, string>();
function base58(b: Buffer, at: number): string {
  const raw = b.toString("latin1", at, at + 32);
  let s = KEYS.get(raw);
  if (s === undefined) {
    if (KEYS.size > 200_000) KEYS.clear();
    s = bs58.encode(b.subarray(at, at + 32));
    KEYS.set(raw, s);
  }
  return s;
}

interface EventLayout {
  name: string;
  fields: [string, Reader][];
  /** Discriminator plus fields: shorter data is not a well-formed event. */
  size: number;
}

export interface PlainEvent {
  program: string;
  name: string;
  data: EventData;
  instruction: number;
  ordinal: number;
}

export class EventDecoder {
  /** program -> discriminator (8 bytes, latin1) -> layout */
  private readonly layouts = new Map<string, Map<string, EventLayout>>();

  constructor(idls: Idl[]) {
    for (const idl of idls) {
      const byDisc = new Map<string, EventLayout>();
      for (const e of idl.events ?? []) {
        const def = idl.types?.find((t) => t.name === e.name)?.type;
        if (def?.kind !== "struct" || !Array.isArray(def.fields)) throw new Error(`event ${e.name}: expected a struct type`);
        const fields = (def.fields as { name: string; type: unknown }[]).map((f): [string, Reader] => {
          const r = typeof f.type === "string" ? READERS[f.type] : undefined;
          if (!r) throw new Error(`event ${e.name}.${f.name}: type ${JSON.stringify(f.type)} is not decodable here`);
          return [f.name, r];
        });
        const size = 8 + (def.fields as { type: string }[]).reduce((n, f) => n + SIZES[f.type], 0);
        byDisc.set(Buffer.from(e.discriminator).toString("latin1"), { name: e.name, fields, size });
      }
      this.layouts.set(idl.address, byDisc);
    }
  }

  /** The events in `logs`, CPIs included, in order, each built by `make`; data that is not one of our
   *  events is skipped. */
  decode<T = PlainEvent>(logs: string[], make: (e: PlainEvent) => T = (e) => e as T): T[] {
    const out: T[] = [];
    let last = -1;
    let ordinal = 0;
    forEachProgramData(logs, (program, base64, instruction) => {
      const byDisc = this.layouts.get(program);
      if (!byDisc) return;
      const b = Buffer.from(base64, "base64");
      if (b.length < 8) return;
      const layout = byDisc.get(b.toString("latin1", 0, 8));
      if (!layout || b.length < layout.size) return; // not ours, or truncated
      const data: EventData = {};
      let at = 8;
      for (const [name, read] of layout.fields) [data[name], at] = read(b, at);
      if (instruction !== last) [last, ordinal] = [instruction, 0];
      out.push(make({ program, name: layout.name, data, instruction, ordinal: ordinal++ }));
    });
    return out;
  }
}
