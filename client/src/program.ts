// Anchor `Program` objects over our IDLs, for building instructions and decoding accounts and events.
// Building instructions needs no connection; a provider is only required to send through Anchor.
import { AnchorProvider, BorshCoder, EventParser, Program, type Idl, type Provider } from "@coral-xyz/anchor";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
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

/** Decodes every Hourglass event in a transaction's logs (follows the invoke stack). */
export function parseEvents(idl: Idl, logs: string[]): { name: string; data: Record<string, unknown> }[] {
  const parser = new EventParser(new PublicKey(idl.address), new BorshCoder(idl));
  return [...parser.parseLogs(logs)].map((e) => ({ name: e.name, data: e.data as Record<string, unknown> }));
}

export function rewardsProgram(provider: Provider = offlineProvider()): Program {
  return new Program(rewardsIdl, provider);
}
