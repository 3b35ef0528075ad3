// `hourglass indexer`: the indexer against a real cluster. Reads its configuration from the
// environment (config.ts), migrates the database, starts the source (JSON-RPC polling or Helius
// webhook + backfill) and serves the API and explorer until interrupted.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import { createHelius } from "helius-sdk";
import { ConfigError, loadConfig } from "./config.ts";
import { openDb } from "./db/open.ts";
import { Pipeline } from "./ingest/pipeline.ts";
import { startServer } from "./server.ts";
import { type HeliusHistory, heliusBackfill } from "./sources/helius.ts";
import { RpcSource } from "./sources/rpc.ts";

async function main() {
  const config = loadConfig();
  if (config.INDEXER_DB !== ":memory:") mkdirSync(dirname(config.INDEXER_DB), { recursive: true });
  const db = openDb(config.INDEXER_DB);
  const pipeline = new Pipeline(db);
  const programs = [STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID].map((p) => p.toBase58());
  let stopSource = async () => {};
  if (config.INDEXER_SOURCE === "rpc") {
    const source = new RpcSource(pipeline, { url: config.rpcUrl!, programs, commitment: config.RPC_COMMITMENT, pollMs: config.RPC_POLL_MS });
    await source.start();
    stopSource = () => source.stop();
  } else if (config.INDEXER_SOURCE === "helius") {
    const helius = createHelius({ apiKey: config.HELIUS_API_KEY!, network: config.HELIUS_NETWORK }) as unknown as HeliusHistory;
    await heliusBackfill(pipeline, helius, programs);
    // Webhooks carry new transactions; a periodic backfill from the checkpoints fills any gap left by
    // deliveries that never arrived (Helius disables an endpoint that keeps failing).
    // One backfill at a time: the next is scheduled when the previous has finished, and stopping waits
    // for a running one before the database closes.
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    let stopped = false;
    const schedule = () => {
      timer = setTimeout(() => {
        running = heliusBackfill(pipeline, helius, programs)
          .then(() => undefined)
          .catch((e) => console.error(`helius backfill: ${e instanceof Error ? e.message : e}`))
          .finally(() => {
            if (!stopped) schedule();
          });
      }, config.HELIUS_BACKFILL_MS);
    };
    schedule();
    stopSource = async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }
  const server = await startServer(
    { db, pipeline: config.INDEXER_SOURCE === "none" ? undefined : pipeline, webhookAuth: config.HELIUS_WEBHOOK_AUTH, decimals: config.TOKEN_DECIMALS },
    config.INDEXER_PORT,
    config.INDEXER_HOST,
  );
  console.log(`indexer (${config.INDEXER_SOURCE}) serving ${server.url} (API ${server.url}/openapi.json), database ${config.INDEXER_DB}`);
  const stop = async () => {
    await stopSource();
    await server.close();
    db.$client.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
