// What the app factory (createApp) is given: the database it reads, and for an indexer that ingests, the
// pipeline (the live feed) and the Helius source (the webhook endpoint).
import type { IndexerDb } from "../db/open.ts";
import type { Pipeline } from "../ingest/pipeline.ts";
import type { WebhookReceiver } from "../sources/helius.ts";

export interface Deps {
  db: IndexerDb;
  /** Present when this process ingests (the live feed needs it). */
  pipeline?: Pipeline;
  /** Where Helius webhook deliveries go (a HeliusSource with its Authorization header); the endpoint is off without it. */
  webhook?: WebhookReceiver;
  /** Decimals of the network's mints, for the pages' token amounts (default 6). */
  decimals?: number;
}
