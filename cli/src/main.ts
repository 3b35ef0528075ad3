// `hourglass` command line: supplier, lease, rewards, market and slash commands over any Solana JSON-RPC endpoint.
// Exit codes: 0 done, 1 the transaction or RPC failed, 2 bad usage or input.
import { errorInfo, KeypairFileError } from "@hourglass/client";
import { agent } from "./agent.ts";
import { parseArgs, UsageError } from "./args.ts";
import { lease } from "./lease.ts";
import { market } from "./market.ts";
import { orchestrator } from "./orchestrator.ts";
import { rewards } from "./rewards.ts";
import { slash } from "./slash.ts";
import { supplier } from "./supplier.ts";

const USAGE = `usage: hourglass <supplier|lease|rewards|market|slash|agent|orchestrator> <command> [options]

supplier commands:
  register   --device-key FILE --gpu-model CODE --gpus N [--vram GB] [--region CODE] [--bandwidth TIER]
  stake      --device PUBKEY --amount BASE_UNITS [--from TOKEN_ACCOUNT]
  unstake    --device PUBKEY --amount BASE_UNITS
  withdraw   --device PUBKEY [--to TOKEN_ACCOUNT]
  co-stake   --device PUBKEY --amount BASE_UNITS [--from TOKEN_ACCOUNT]
  status     --device PUBKEY

lease commands (renter):
  open       --gpu-model CODE --gpus N --hours H --price BASE_UNITS_PER_GPU_HOUR [--max-devices N]
             [--stable] [--from TOKEN_ACCOUNT]
  extend     --lease PUBKEY --hours H [--from TOKEN_ACCOUNT]
  terminate  --lease PUBKEY [--to TOKEN_ACCOUNT]
  status     --lease PUBKEY

rewards commands (suppliers and co-stakers):
  status     --device PUBKEY
  claim      --device PUBKEY [--co-stake] [--to TOKEN_ACCOUNT]

market commands (anyone):
  status     fees waiting in the network fee vault, total burned, stable fees
  burn-fees  burns every network-token fee in the fee vault (stable fees are not burned)

slash commands (the staking config authority; status: anyone):
  propose    --device PUBKEY --bps N --reason failed-job|admin   executable after the Config's delay (48 h)
  cancel     --device PUBKEY
  execute    --device PUBKEY
  status     --device PUBKEY

agent commands (one per GPU machine, run by its supplier):
  run        --key FILE --orchestrator URL [--declare 8xH100:80] [--advertise HOST] [--ray-port-base N]
             [--heartbeat-ms N] [--cpus N]        runs until SIGTERM; Ray node ports N..N+99 (default 20000)
  hardware   [--declare PROFILE]                  what the machine reports (nvidia-smi, else the profile)
  register   --key FILE [--declare PROFILE] [--stake BASE_UNITS] [--region CODE] [--bandwidth TIER]
             [--from TOKEN_ACCOUNT]   registers and stakes the machine from its hardware report
             (--keypair: the supplier; the stake defaults to the model's minimum for its GPUs)

orchestrator commands (the operator):
  run        [--port N] [--host ADDR] [--tick-ms N] [--alive-seconds N] [--entrypoint CMD]
             the orchestrator service over --url, signing as the attester --keypair; agent API on :7070

options:
  --keypair FILE          signer (default: ANCHOR_WALLET, then ~/.config/solana/id.json)
  --url URL               JSON-RPC endpoint (default: ANCHOR_PROVIDER_URL, then http://127.0.0.1:8899)
  --priority-fee MICROLAMPORTS   compute-unit price
  --compute-limit UNITS   compute-unit limit
  --json                  JSON output
`;

async function main(argv: string[]) {
  const [group, ...rest] = argv;
  if (!group || group === "--help" || group === "-h" || group === "help") {
    console.log(USAGE);
    return;
  }
  if (group === "supplier") return supplier(parseArgs(rest));
  if (group === "lease") return lease(parseArgs(rest));
  if (group === "rewards") return rewards(parseArgs(rest));
  if (group === "market") return market(parseArgs(rest));
  if (group === "slash") return slash(parseArgs(rest));
  if (group === "agent") return agent(parseArgs(rest, { flags: ["json"] }));
  if (group === "orchestrator") return orchestrator(parseArgs(rest, { flags: ["json"] }));
  throw new UsageError(`unknown command group ${JSON.stringify(group)} (known: supplier, lease, rewards, market, slash, agent, orchestrator)`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const json = process.argv.includes("--json");
  if (e instanceof UsageError || e instanceof KeypairFileError) {
    if (json) console.error(JSON.stringify({ error: "usage", message: e.message }));
    else console.error(`hourglass: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const err = e as { code?: number | null; errorName?: string; message?: string };
  if (json) {
    console.error(
      JSON.stringify({ error: err.errorName ?? "error", code: err.code ?? null, message: err.message, info: err.code ? errorInfo(err.code) : undefined }),
    );
  } else {
    console.error(`hourglass: ${err.message ?? String(e)}`);
  }
  process.exit(1);
});
