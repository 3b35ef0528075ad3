// A Solana JSON-RPC endpoint over an in-process Engine, answering in the shapes a validator uses, so
// the CLI, @solana/web3.js `Connection` and Anchor providers work against the embedded local network
// exactly as against a real cluster. It implements the methods those clients call; every other method
// gets JSON-RPC's "method not found", malformed requests get "parse error" / "invalid params".
// The parts: rpc/ledger.ts (the history it keeps over the engine), rpc/methods.ts (the methods and
// their params), rpc/encoders.ts (account, transaction and block JSON), rpc/http.ts (the transport).

import type { Engine } from "./engine.ts";
import type { ObservedEngine } from "./observe.ts";
import { serveHttp } from "./rpc/http.ts";
import { Ledger } from "./rpc/ledger.ts";
import { dispatch, rpcMethods } from "./rpc/methods.ts";

export interface RpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Fault injection for indexer tests: forgets a transaction that is not finalized yet, as when the fork
   *  that held it is abandoned. Returns whether it was dropped. */
  abandon(signature: string): boolean;
}

export interface RpcServerOptions {
  airdrop?: boolean;
  /** Slots a transaction stays "confirmed" before it is "finalized" (a validator's is 32). Default 0: the
   *  embedded network has one node, so everything it executed is final at once. */
  finalityDepth?: number;
}

/** Serves `engine` over HTTP JSON-RPC on 127.0.0.1:`port` (0 = any free port). When `engine` is observed
 *  (`observe()`), transactions sent to it directly are recorded too, so history methods see them. */
export async function startRpcServer(engine: Engine, port = 0, opts: RpcServerOptions = {}): Promise<RpcServer> {
  const ledger = new Ledger(engine, opts.finalityDepth ?? 0);
  const observed = engine as Partial<ObservedEngine>;
  // Subscribed before this function first awaits, so nothing the engine executes from now on is missed;
  // the engine awaits the listener, so records keep execution order.
  const unsubscribe = typeof observed.subscribe === "function" ? observed.subscribe((r) => ledger.record(r).then(() => undefined)) : undefined;
  const methods = rpcMethods(engine, ledger, { airdrop: opts.airdrop });
  // Requests are handled one at a time so the SVM sees transactions in arrival order.
  let queue: Promise<unknown> = Promise.resolve();
  const transport = await serveHttp((method, params) => {
    const call = dispatch(methods, method, params);
    const run = async () => {
      ledger.observeSlot(Number(await engine.slot()));
      return call();
    };
    queue = queue.then(run, run);
    return queue;
  }, port);
  return {
    url: `http://127.0.0.1:${transport.port}`,
    port: transport.port,
    close: () => {
      unsubscribe?.();
      return transport.close();
    },
    abandon: (signature) => ledger.abandon(signature),
  };
}
