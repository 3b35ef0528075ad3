// `hourglass indexer`: the indexer against a real cluster. Reads its configuration from the
// environment (config.ts), migrates the database, starts the source the configuration names (JSON-RPC
// polling, or Helius webhook + backfill) and serves the API and explorer until interrupted.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID } from "@hourglass/client";
import { createHelius } from "helius-sdk";
import { ConfigError, type IndexerConfig, loadConfig } from "./config.ts";
import { openDb } from "./db/open.ts";
import { Pipeline } from "./ingest/pipeline.ts";
import { startServer } from "./server.ts";
import { type HeliusHistory, HeliusSource, type WebhookReceiver } from "./sources/helius.ts";
import { RpcSource } from "./sources/rpc.ts";
import type { Source } from "./sources/source.ts";

/** The source the configuration names (none: serve the database as it is) and where webhook deliveries go. */
function pickSource(config: IndexerConfig, pipeline: Pipeline): { source?: Source; webhook?: WebhookReceiver } {
  const programs = [STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID].map((p) => p.toBase58());
  const webhookAuth = config.HELIUS_WEBHOOK_AUTH;
  switch (config.INDEXER_SOURCE) {
    case "none":
      return {};
    case "rpc":
      return {
        source: new RpcSource(pipeline, { url: config.rpcUrl!, programs, commitment: config.RPC_COMMITMENT, pollMs: config.RPC_POLL_MS }),
        // A configured webhook secret takes Helius deliveries beside the polling.
        webhook: webhookAuth === undefined ? undefined : new HeliusSource(pipeline, { webhookAuth }),
      };
    case "helius": {
      const client = createHelius({ apiKey: config.HELIUS_API_KEY!, network: config.HELIUS_NETWORK }) as unknown as HeliusHistory;
      const source = new HeliusSource(pipeline, { webhookAuth, client, programs, backfillMs: config.HELIUS_BACKFILL_MS });
      return { source, webhook: source };
    }
  }
}

async function main() {
  const config = loadConfig();
  if (config.INDEXER_DB !== ":memory:") mkdirSync(dirname(config.INDEXER_DB), { recursive: true });
  const db = openDb(config.INDEXER_DB);
  const pipeline = new Pipeline(db);
  const { source, webhook } = pickSource(config, pipeline);
  await source?.start();
  const server = await startServer(
    { db, pipeline: source ? pipeline : undefined, webhook, decimals: config.TOKEN_DECIMALS },
    config.INDEXER_PORT,
    config.INDEXER_HOST,
  );
  console.log(`indexer (${config.INDEXER_SOURCE}) serving ${server.url} (API ${server.url}/openapi.json), database ${config.INDEXER_DB}`);
  const stop = async () => {
    await source?.stop();
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
