// The Chain port over an in-process engine (@hourglass/localchain's ObservedEngine: LiteSVM or
// solana-bankrun): sends and reads go straight to the engine; events come from every executed
// transaction the engine reports that invoked one of the Hourglass programs (as a node lists them by
// program address).

import { LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import type { ObservedEngine } from "@hourglass/localchain";
import { type Chain, chainEvents } from "./port.ts";

const INVOKES = [STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID].map((p) => `Program ${p.toBase58()} invoke [`);

/** Whether the logs show one of the programs invoked (at any depth). */
const invokesPrograms = (logs: string[]) => logs.some((l) => INVOKES.some((p) => l.startsWith(p)));

export function engineChain(engine: ObservedEngine): Chain {
  return {
    send: async (instructions, signers) => {
      const { ok, signature, error, errorCode } = await engine.send(instructions, signers);
      return { ok, signature, error, errorCode };
    },
    getAccount: (address) => engine.getAccount(address),
    getMultipleAccounts: async (addresses) => {
      const out = [];
      for (const a of addresses) out.push(await engine.getAccount(a));
      return out;
    },
    unixTime: async () => Number(await engine.unixTime()),
    subscribe: (listener) =>
      engine.subscribe((r) => {
        if (r.ok && invokesPrograms(r.logs)) listener(chainEvents(r.logs), r.signature);
      }),
  };
}
