// A chain's history as a JSON-RPC client (or a Helius webhook) sees it.
import { LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import { type ChainTx, chainTxFromJson, JsonRpcClient } from "@hourglass/indexer";

export const PROGRAMS = [STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID].map((p) => p.toBase58());

/** Every transaction touching our programs, in getTransaction's JSON shape with its index in the block. */
export async function rpcHistory(url: string): Promise<{ raw: Record<string, unknown>; tx: ChainTx }[]> {
  const rpc = new JsonRpcClient(url);
  const sigs = new Map<string, number>();
  for (const p of PROGRAMS)
    for (const s of await rpc.call<{ signature: string; slot: number }[]>("getSignaturesForAddress", [p, { limit: 1000 }])) sigs.set(s.signature, s.slot);
  const position = new Map<string, number>();
  for (const slot of new Set(sigs.values()))
    (await rpc.call<{ signatures: string[] }>("getBlock", [slot, { transactionDetails: "signatures" }])).signatures.forEach((s, i) => {
      position.set(s, i);
    });
  const out = [];
  for (const sig of sigs.keys()) {
    const raw = await rpc.call<Record<string, unknown>>("getTransaction", [sig, { encoding: "json", maxSupportedTransactionVersion: 0 }]);
    const withIndex = { ...raw, indexWithinBlock: position.get(sig) };
    out.push({ raw: withIndex, tx: chainTxFromJson(withIndex, "finalized") });
  }
  return out;
}
