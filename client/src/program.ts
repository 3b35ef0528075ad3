// Anchor `Program` objects over our IDLs, for building instructions and decoding accounts and events.
// Building instructions needs no connection; a provider is only required to send through Anchor.
import { AnchorProvider, BorshCoder, Program, type Idl, type Provider } from "@coral-xyz/anchor";
import { Connection, Keypair } from "@solana/web3.js";
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

/** One decoded event; `instruction` is the top-level instruction it was emitted under (CPIs included) and
 *  `ordinal` its position among that instruction's decoded events. */
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
 */
export function parseEvents(idls: Idl | Idl[], logs: string[]): DecodedEvent[] {
  const coders = new Map((Array.isArray(idls) ? idls : [idls]).map((idl) => [idl.address, new BorshCoder(idl)]));
  const stack: string[] = [];
  const out: DecodedEvent[] = [];
  let instruction = -1;
  let ordinal = 0;
  for (const log of logs) {
    const invoke = INVOKE_RE.exec(log);
    if (invoke) {
      if (invoke[2] === "1") {
        instruction += 1;
        ordinal = 0;
      }
      stack.push(invoke[1]);
    } else if (END_RE.test(log)) {
      stack.pop();
    } else if (log.startsWith(DATA) && stack.length > 0) {
      const program = stack[stack.length - 1];
      const event = coders.get(program)?.events.decode(log.slice(DATA.length));
      if (event) out.push({ program, name: event.name, data: event.data as Record<string, unknown>, instruction, ordinal: ordinal++ });
    }
  }
  return out;
}

export function rewardsProgram(provider: Provider = offlineProvider()): Program {
  return new Program(rewardsIdl, provider);
}
