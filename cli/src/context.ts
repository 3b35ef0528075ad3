// What every CLI command shares: keys from files, the RPC connection, sending with typed errors,
// human or JSON output.

import { errorFromLogs, type TxOptions, unsignedTransaction } from "@hourglass/client";
import { Connection, type Keypair, SendTransactionError, type TransactionInstruction } from "@solana/web3.js";
import type { Parsed } from "./args.ts";

export interface Context {
  json: boolean;
  url: string;
  conn: Connection;
  keypairFile: string;
  txOpts: TxOptions;
}

/** Global options: --keypair (else ANCHOR_WALLET, else ~/.config/solana/id.json), --url (else
 *  ANCHOR_PROVIDER_URL, else http://127.0.0.1:8899), --priority-fee, --compute-limit, --json. */
export function context(p: Parsed): Context {
  const url = p.opt("url") ?? process.env.ANCHOR_PROVIDER_URL ?? "http://127.0.0.1:8899";
  return {
    json: p.flag("json"),
    url,
    conn: new Connection(url, "confirmed"),
    keypairFile: p.opt("keypair") ?? process.env.ANCHOR_WALLET ?? "~/.config/solana/id.json",
    txOpts: { priorityFeeMicroLamports: p.int("priority-fee"), computeUnitLimit: p.int("compute-limit") },
  };
}

export function out(json: boolean, data: Record<string, unknown>, human: string) {
  console.log(json ? JSON.stringify(data, null, 2) : human);
}

/** Signs (the first signer pays), sends and waits for confirmation; program errors come back typed. */
export async function send(conn: Connection, signers: Keypair[], ixs: TransactionInstruction[], opts: TxOptions): Promise<string> {
  const { blockhash } = await conn.getLatestBlockhash("confirmed");
  const tx = unsignedTransaction(ixs, signers[0].publicKey, blockhash, opts);
  tx.sign(...signers);
  let signature: string;
  try {
    signature = await conn.sendRawTransaction(tx.serialize(), { preflightCommitment: "confirmed" });
  } catch (e) {
    if (e instanceof SendTransactionError) {
      const logs = e.logs ?? (await e.getLogs(conn).catch(() => [])) ?? [];
      throw errorFromLogs(logs, e.message);
    }
    throw e;
  }
  // Poll the status (no websocket needed), up to ~60 s.
  for (let i = 0; i < 120; i++) {
    const { value } = await conn.getSignatureStatuses([signature]);
    const st = value[0];
    if (st?.err) throw errorFromLogs([], `transaction ${signature} failed: ${JSON.stringify(st.err)}`);
    if (st && (st.confirmationStatus === "confirmed" || st.confirmationStatus === "finalized")) return signature;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`transaction ${signature} was not confirmed in time`);
}
