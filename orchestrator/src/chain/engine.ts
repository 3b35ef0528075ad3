// The Chain port over an in-process engine (@hourglass/localchain's ObservedEngine: LiteSVM or
// solana-bankrun): sends and reads go straight to the engine; events come from every executed
// transaction the engine reports.

import type { ObservedEngine } from "@hourglass/localchain";
import { type Chain, chainEvents } from "./port.ts";

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
        if (r.ok) listener(chainEvents(r.logs), r.signature);
      }),
  };
}
