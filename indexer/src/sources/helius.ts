// Source (c): Helius. Raw transaction webhooks arrive as a JSON array of getTransaction-shaped objects;
// deliveries are authenticated by the configured auth header, and since Helius retries, the same or an
// older transaction may arrive again at any time: the pipeline's idempotent keys and replay-on-late make
// that harmless. Backfill pages through helius-sdk's getTransactionsForAddress (oldest first), keeping
// the pagination token per program as its checkpoint.
import { timingSafeEqual } from "node:crypto";
import type { Pipeline } from "../ingest/pipeline.ts";
import { chainTxFromJson, MalformedTransaction } from "./transaction-json.ts";

export const HELIUS_WEBHOOK_SOURCE = "helius:webhook";
export const heliusBackfillSource = (program: string) => `helius:${program}`;

/** The one helius-sdk method the backfill uses (a `createHelius(...)` client satisfies it). */
export interface HeliusHistory {
  getTransactionsForAddress(
    params: [
      string,
      {
        transactionDetails: "full";
        sortOrder: "asc";
        limit: number;
        paginationToken?: string | null;
        commitment?: "confirmed" | "finalized";
        maxSupportedTransactionVersion?: 0;
        filters?: { slot?: { gte?: number } };
      },
    ],
  ): Promise<{ data: ReadonlyArray<unknown>; paginationToken: string | null }>;
}

export class WebhookRejected extends Error {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

/** Checks a webhook delivery's Authorization header against the configured one (constant time). */
export function checkWebhookAuth(expected: string, got: string | undefined): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(got ?? "");
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WebhookRejected(401, "webhook authorization header does not match");
}

/** Ingests one webhook delivery (already JSON-parsed); returns the number of new events. */
export function ingestWebhook(pipeline: Pipeline, body: unknown): { transactions: number; events: number } {
  if (!Array.isArray(body)) throw new WebhookRejected(400, "webhook body must be a JSON array of transactions");
  let txs: ReturnType<typeof chainTxFromJson>[];
  try {
    txs = body.map((raw) => chainTxFromJson(raw, "confirmed"));
  } catch (e) {
    if (e instanceof MalformedTransaction) throw new WebhookRejected(400, e.message);
    throw e;
  }
  if (txs.length === 0) return { transactions: 0, events: 0 };
  const last = txs.reduce((a, b) => (a.slot >= b.slot ? a : b));
  const r = pipeline.ingest(HELIUS_WEBHOOK_SOURCE, txs, { cursor: last.signature, slot: last.slot });
  return { transactions: r.transactions, events: r.events };
}

/** Pages each program's history from its checkpoint to the end; returns the transactions read. */
export async function heliusBackfill(
  pipeline: Pipeline,
  helius: HeliusHistory,
  programs: string[],
  opts: { limit?: number; commitment?: "confirmed" | "finalized" } = {},
): Promise<number> {
  let total = 0;
  for (const program of programs) {
    const source = heliusBackfillSource(program);
    // The checkpoint is the pagination token of the next page, or, once the history was read to its
    // end, "" with the last slot read: the next backfill starts at that slot again (re-reading it is
    // harmless) so it needs no token that may have expired.
    const cp = pipeline.checkpoint(source);
    let token: string | null = cp?.cursor ? cp.cursor : null;
    let fromSlot = cp ? cp.slot : 0;
    for (;;) {
      const page = await helius.getTransactionsForAddress([
        program,
        {
          transactionDetails: "full",
          sortOrder: "asc",
          limit: opts.limit ?? 100,
          commitment: opts.commitment ?? "finalized",
          maxSupportedTransactionVersion: 0,
          ...(token ? { paginationToken: token } : { filters: { slot: { gte: fromSlot } } }),
        },
      ]);
      const txs = page.data.map((raw) => chainTxFromJson(raw, opts.commitment ?? "finalized"));
      const lastSlot = txs.length > 0 ? txs[txs.length - 1].slot : fromSlot;
      pipeline.ingest(source, txs, { cursor: page.paginationToken ?? "", slot: lastSlot });
      total += txs.length;
      if (page.paginationToken === null) break;
      token = page.paginationToken;
      fromSlot = lastSlot;
    }
  }
  return total;
}
