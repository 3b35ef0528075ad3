// An Engine that reports every executed transaction to listeners: the in-process event source the
// orchestrator (and the indexer's in-process source) follow, like a log subscription on a validator.
import type { Engine, TxResult } from "./engine.ts";

export type TxListener = (result: TxResult) => void | Promise<void>;

export interface ObservedEngine extends Engine {
  subscribe(listener: TxListener): () => void;
}

export function observe(engine: Engine): ObservedEngine {
  const listeners = new Set<TxListener>();
  const notify = async (r: TxResult) => {
    for (const l of listeners) await l(r);
    return r;
  };
  return {
    name: engine.name,
    send: async (ixs, signers) => notify(await engine.send(ixs, signers)),
    sendSigned: async (tx) => notify(await engine.sendSigned(tx)),
    latestBlockhash: () => engine.latestBlockhash(),
    advanceBlockhash: () => engine.advanceBlockhash(),
    setSigverify: engine.setSigverify ? (on) => engine.setSigverify!(on) : undefined,
    setTransactionHistory: engine.setTransactionHistory ? (n) => engine.setTransactionHistory!(n) : undefined,
    slot: () => engine.slot(),
    getAccount: (a) => engine.getAccount(a),
    setAccount: (a, acc) => engine.setAccount(a, acc),
    airdrop: (a, l) => engine.airdrop(a, l),
    rentExempt: (s) => engine.rentExempt(s),
    unixTime: () => engine.unixTime(),
    warp: (s) => engine.warp(s),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
