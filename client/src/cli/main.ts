// `hourglass` command line. Supplier commands: register, stake, unstake, withdraw, status, co-stake.
// Keypair from --keypair, else ANCHOR_WALLET, else ~/.config/solana/id.json; cluster from --url, else
// ANCHOR_PROVIDER_URL, else http://127.0.0.1:8899. --json prints machine-readable output.
// Exit codes: 0 done, 1 the transaction or RPC failed, 2 bad usage or input.
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SendTransactionError, type TransactionInstruction } from "@solana/web3.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { errorFromLogs, errorInfo } from "../errors.ts";
import { StakingClient, configPda } from "../staking/index.ts";
import { unsignedTransaction, type TxOptions } from "../transaction.ts";
import { parseArgs, UsageError, type Parsed } from "./args.ts";

const USAGE = `usage: hourglass supplier <command> [options]

commands:
  register   --device-key FILE --gpu-model CODE --gpus N [--vram GB] [--region CODE] [--bandwidth TIER]
  stake      --device PUBKEY --amount BASE_UNITS [--from TOKEN_ACCOUNT]
  unstake    --device PUBKEY --amount BASE_UNITS
  withdraw   --device PUBKEY [--to TOKEN_ACCOUNT]
  co-stake   --device PUBKEY --amount BASE_UNITS [--from TOKEN_ACCOUNT]
  status     --device PUBKEY

options:
  --keypair FILE          signer (default: ANCHOR_WALLET, then ~/.config/solana/id.json)
  --url URL               JSON-RPC endpoint (default: ANCHOR_PROVIDER_URL, then http://127.0.0.1:8899)
  --priority-fee MICROLAMPORTS   compute-unit price
  --compute-limit UNITS   compute-unit limit
  --json                  JSON output
`;

const DEVICE_STATUS = ["active", "paused", "leased"];

function readKeypair(file: string): Keypair {
  const resolved = file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
  let text: string;
  try {
    text = fs.readFileSync(resolved, "utf8");
  } catch {
    throw new UsageError(`cannot read keypair file ${resolved}`);
  }
  let bytes: unknown;
  try {
    bytes = JSON.parse(text);
  } catch {
    throw new UsageError(`keypair file ${resolved} is not JSON (expected an array of 64 numbers)`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64 || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new UsageError(`keypair file ${resolved} must hold an array of 64 bytes`);
  }
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}

function out(json: boolean, data: Record<string, unknown>, human: string) {
  console.log(json ? JSON.stringify(data, null, 2) : human);
}

/** Signs (the first signer pays), sends and waits for confirmation; program errors come back typed. */
async function send(conn: Connection, signers: Keypair[], ixs: TransactionInstruction[], opts: TxOptions): Promise<string> {
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

async function supplier(p: Parsed) {
  const json = p.flag("json");
  const keypairFile = p.opt("keypair") ?? process.env.ANCHOR_WALLET ?? "~/.config/solana/id.json";
  const url = p.opt("url") ?? process.env.ANCHOR_PROVIDER_URL ?? "http://127.0.0.1:8899";
  const txOpts: TxOptions = {
    priorityFeeMicroLamports: p.int("priority-fee"),
    computeUnitLimit: p.int("compute-limit"),
  };
  const staking = new StakingClient();
  const conn = new Connection(url, "confirmed");

  const needConfig = async () => {
    const info = await conn.getAccountInfo(configPda()[0]);
    if (!info) throw new Error(`no Hourglass staking Config at ${configPda()[0].toBase58()} on ${url}`);
    return staking.decodeConfig(info.data);
  };
  const tokenAccount = async (given: string | undefined, owner: PublicKey) =>
    given ? p.pubkey("from", given) : getAssociatedTokenAddressSync((await needConfig()).stakeMint, owner);

  switch (p.command) {
    case "register": {
      const wallet = readKeypair(keypairFile);
      const deviceKey = readKeypair(p.required("device-key"));
      const ix = await staking.registerDevice({
        supplier: wallet.publicKey,
        deviceKey: deviceKey.publicKey,
        gpuModel: p.intRequired("gpu-model", 0, 65_535),
        gpuCount: p.intRequired("gpus", 1, 1024),
        vramGb: p.int("vram", 0, 65_535) ?? 0,
        region: p.int("region", 0, 999) ?? 0,
        bandwidthTier: p.int("bandwidth", 0, 5) ?? 0,
      });
      p.done();
      const signature = await send(conn, [wallet, deviceKey], [ix], txOpts);
      out(json, { command: "register", device: deviceKey.publicKey.toBase58(), supplier: wallet.publicKey.toBase58(), signature }, `registered device ${deviceKey.publicKey.toBase58()} (tx ${signature})`);
      return;
    }
    case "stake":
    case "co-stake": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const amount = p.amount("amount");
      const from = await tokenAccount(p.opt("from"), wallet.publicKey);
      p.done();
      const ix =
        p.command === "stake"
          ? await staking.stake({ supplier: wallet.publicKey, deviceKey: device, supplierTokens: from, amount })
          : await staking.coStake({ staker: wallet.publicKey, deviceKey: device, stakerTokens: from, amount });
      const signature = await send(conn, [wallet], [ix], txOpts);
      out(json, { command: p.command, device: device.toBase58(), amount: amount.toString(), signature }, `${p.command === "stake" ? "staked" : "co-staked"} ${amount} on ${device.toBase58()} (tx ${signature})`);
      return;
    }
    case "unstake": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const amount = p.amount("amount");
      p.done();
      const signature = await send(conn, [wallet], [await staking.requestUnstake({ supplier: wallet.publicKey, deviceKey: device, amount })], txOpts);
      const info = await conn.getAccountInfo(device);
      const unlock = info ? staking.decodeDevice(info.data).unbondingUnlockAt.toNumber() : 0;
      out(json, { command: "unstake", device: device.toBase58(), amount: amount.toString(), unlockAt: unlock, signature }, `unbonding ${amount} from ${device.toBase58()} until ${new Date(unlock * 1000).toISOString()} (tx ${signature})`);
      return;
    }
    case "withdraw": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const to = p.opt("to") ? p.pubkey("to") : getAssociatedTokenAddressSync((await needConfig()).stakeMint, wallet.publicKey);
      p.done();
      const signature = await send(conn, [wallet], [await staking.withdraw({ supplier: wallet.publicKey, deviceKey: device, destination: to })], txOpts);
      out(json, { command: "withdraw", device: device.toBase58(), destination: to.toBase58(), signature }, `withdrew unbonded stake of ${device.toBase58()} to ${to.toBase58()} (tx ${signature})`);
      return;
    }
    case "status": {
      const device = p.pubkey("device");
      p.done();
      const info = await conn.getAccountInfo(device);
      if (!info || !info.owner.equals(staking.programId)) throw new Error(`no Hourglass device at ${device.toBase58()}`);
      const d = staking.decodeDevice(info.data);
      const data = {
        device: device.toBase58(),
        owner: d.owner.toBase58(),
        status: DEVICE_STATUS[d.status] ?? `unknown(${d.status})`,
        gpuModel: d.gpuModel,
        gpuCount: d.gpuCount,
        vramGb: d.vramGb,
        region: d.region,
        bandwidthTier: d.bandwidthTier,
        multiplierBps: d.multiplierBps,
        stake: d.stake.toString(),
        coStake: d.coStake.toString(),
        unbonding: d.unbondingAmount.toString(),
        unbondingUnlockAt: d.unbondingUnlockAt.toNumber(),
        provenHours: d.provenHours.toString(),
        slashedTotal: d.slashedTotal.toString(),
        currentLease: d.currentLease.equals(PublicKey.default) ? null : d.currentLease.toBase58(),
      };
      const human = [
        `device     ${data.device}`,
        `owner      ${data.owner}`,
        `status     ${data.status}${data.currentLease ? ` (lease ${data.currentLease})` : ""}`,
        `gpus       ${data.gpuCount} x model ${data.gpuModel}, ${data.vramGb} GB, region ${data.region}, bandwidth tier ${data.bandwidthTier}`,
        `stake      ${data.stake} (+ ${data.coStake} co-stake)`,
        `unbonding  ${data.unbonding}${data.unbondingUnlockAt ? ` until ${new Date(data.unbondingUnlockAt * 1000).toISOString()}` : ""}`,
        `slashed    ${data.slashedTotal}`,
      ].join("\n");
      out(json, data, human);
      return;
    }
    default:
      throw new UsageError(`unknown supplier command ${JSON.stringify(p.command)}`);
  }
}

async function main(argv: string[]) {
  const [group, ...rest] = argv;
  if (!group || group === "--help" || group === "-h" || group === "help") {
    console.log(USAGE);
    return;
  }
  if (group !== "supplier") throw new UsageError(`unknown command group ${JSON.stringify(group)} (known: supplier)`);
  await supplier(parseArgs(rest));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const json = process.argv.includes("--json");
  if (e instanceof UsageError) {
    if (json) console.error(JSON.stringify({ error: "usage", message: e.message }));
    else console.error(`hourglass: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const err = e as { code?: number | null; errorName?: string; message?: string };
  if (json) {
    console.error(JSON.stringify({ error: err.errorName ?? "error", code: err.code ?? null, message: err.message, info: err.code ? errorInfo(err.code) : undefined }));
  } else {
    console.error(`hourglass: ${err.message ?? String(e)}`);
  }
  process.exit(1);
});
