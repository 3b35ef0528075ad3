// Anchor `Program` objects over our IDLs, for building instructions and decoding accounts and events.
// Building instructions needs no connection; a provider is only required to send through Anchor.
import { AnchorProvider, BorshCoder, type Idl, Program, type Provider } from "@coral-xyz/anchor";
import { Connection, Keypair } from "@solana/web3.js";
import type { EventNamed, HourglassEvent, HourglassEventName } from "./generated/index.ts";
import { leasesIdl, rewardsIdl, stakingIdl } from "./idl.ts";

/** A provider that can build but not send: instruction builders never touch the network. */
export function offlineProvider(): Provider {
  const connection = new Connection("http://127.0.0.1:8899", "processed");
  const wallet = {
    publicKey: Keypair.generate().publicKey,
    signTransaction: async () => {
      throw new Error("offline provider cannot sign");
    },
    signAllTransactions: async () => {
      throw new Error("offline provider cannot sign");
    },
  };
  return new AnchorProvider(connection, wallet as never, { commitment: "processed" });
}

export function stakingProgram(provider: Provider = offlineProvider()): Program {
  return new Program(stakingIdl, provider);
}

export function leasesProgram(provider: Provider = offlineProvider()): Program {
  return new Program(leasesIdl, provider);
}

const INVOKE_RE = /^Program ([1-9A-HJ-NP-Za-km-z]+) invoke \[(\d+)\]$/;
const END_RE = /^Program [1-9A-HJ-NP-Za-km-z]+ (success|failed)/;
const DATA = "Program data: ";

/**
 * A decoded integer (BN) as a bigint, through base 16. On Node 20, bn.js's base-10 `toString`, once
 * optimised by V8 after heavy use, was seen returning "NaN" digits (not with `--no-opt`); the hex path
 * does not go through that code.
 */
export function toBigInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  const b = v as { isNeg(): boolean; abs(): { toString(base: number): string } };
  const magnitude = BigInt(`0x${b.abs().toString(16)}`);
  return b.isNeg() ? -magnitude : magnitude;
}

const CODERS = new WeakMap<Idl, BorshCoder>();

/** One coder per IDL object, built once (building one parses the whole IDL). */
function coderFor(idl: Idl): BorshCoder {
  let c = CODERS.get(idl);
  if (!c) {
    c = new BorshCoder(idl);
    CODERS.set(idl, c);
  }
  return c;
}

/** One decoded event, untyped; `instruction` is the top-level instruction it was emitted under (CPIs
 *  included) and `ordinal` its position among that instruction's decoded events. Every HourglassEvent
 *  is one; `parseEvents` returns the typed union. */
export interface DecodedEvent {
  program: string;
  name: string;
  data: Record<string, unknown>;
  instruction: number;
  ordinal: number;
}

/**
 * Decodes the events of the given programs in a transaction's logs, including those emitted inside
 * CPIs: the invoke stack is followed line by line and each `Program data:` line is decoded with the IDL
 * of the program executing it. (Anchor's EventParser only attributes CPI frames to a program that also
 * logs text, so `sol_log_data` events of a CPI'd program would be missed.)
 *
 * The result is typed as HourglassEvent (narrow it on `name`), which holds for our programs' IDLs; an
 * event of another IDL passed here comes out with its own names and fields.
 */
export function parseEvents(idls: Idl | Idl[], logs: string[]): HourglassEvent[] {
  const coders = new Map((Array.isArray(idls) ? idls : [idls]).map((idl) => [idl.address, coderFor(idl)]));
  const out: DecodedEvent[] = [];
  let last = -1;
  let ordinal = 0;
  forEachProgramData(logs, (program, data, instruction) => {
    const event = coders.get(program)?.events.decode(data);
    if (!event) return;
    if (instruction !== last) [last, ordinal] = [instruction, 0];
    out.push({ program, name: event.name, data: event.data as Record<string, unknown>, instruction, ordinal: ordinal++ });
  });
  // The coder built each event from the IDL the generated types come from.
  return out as HourglassEvent[];
}

/** `e` as the event named `name` (typed), for code that knows which event comes; throws if it is another or none. */
export function eventNamed<N extends HourglassEventName>(e: HourglassEvent | undefined, name: N): EventNamed<N> {
  if (e?.name !== name) throw new Error(`expected a ${name} event, got ${e ? e.name : "none"}`);
  return e as EventNamed<N>;
}

/**
 * Walks a transaction's logs and calls `visit` for every `Program data:` line (base64 payload) with
 * the program executing at that point, following the invoke stack through CPIs, and the index of the
 * top-level instruction it belongs to.
 */
export function forEachProgramData(logs: string[], visit: (program: string, base64: string, instruction: number) => void): void {
  const stack: string[] = [];
  let instruction = -1;
  for (const log of logs) {
    const invoke = INVOKE_RE.exec(log);
    if (invoke) {
      if (invoke[2] === "1") instruction += 1;
      stack.push(invoke[1]);
    } else if (END_RE.test(log)) {
      stack.pop();
    } else if (log.startsWith(DATA) && stack.length > 0) {
      visit(stack[stack.length - 1], log.slice(DATA.length), instruction);
    }
  }
}

export function rewardsProgram(provider: Provider = offlineProvider()): Program {
  return new Program(rewardsIdl, provider);
}
