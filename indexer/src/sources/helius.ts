// Source (c): Helius. Raw transaction webhooks arrive as a JSON array of getTransaction-shaped objects;
// deliveries are authenticated by the configured auth header, and since Helius retries, the same or an
// older transaction may arrive again at any time: the pipeline's idempotent keys and replay-on-late make
// that harmless. Backfill pages through helius-sdk's getTransactionsForAddress (oldest first), keeping
// the pagination token per program as its checkpoint. Webhooks carry new transactions; a periodic
// backfill from the checkpoints fills any gap left by deliveries that never arrived (Helius disables an
// endpoint that keeps failing).
import { timingSafeEqual } from "node:crypto";
import type { Pipeline } from "../ingest/pipeline.ts";
import type { Source } from "./source.ts";
import { chainTxFromJson, MalformedTransaction } from "./transaction-json.ts";

export const HELIUS_SOURCE = "helius";
export const HELIUS_WEBHOOK_SOURCE = `${HELIUS_SOURCE}:webhook`;
export const heliusBackfillSource = (program: string) => `${HELIUS_SOURCE}:${program}`;

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
    readonly status: 400 | 401 | 404,
    message: string,
  ) {
    super(message);
  }
}

export const WEBHOOK_NOT_ENABLED = "the Helius webhook is not enabled on this indexer";

/** What the API's webhook endpoint hands a delivery to (a HeliusSource); it throws WebhookRejected to refuse one. */
export interface WebhookReceiver {
  /** Checks the delivery's Authorization header, then reads its body, parses it and ingests it. */
  receive(authorization: string | undefined, body: () => Promise<string>): Promise<{ transactions: number; events: number }>;
}

export interface HeliusSourceOptions {
  /** The Authorization header webhook deliveries must carry; without it the source takes none. */
  webhookAuth?: string;
  /** The helius-sdk client the backfill pages through; without it the source takes webhook deliveries only. */
  client?: HeliusHistory;
  /** The programs whose history the backfill reads. */
  programs?: string[];
  /** Milliseconds between one backfill's end and the next one's start (default 300,000). */
  backfillMs?: number;
  /** Transactions per getTransactionsForAddress page (default 100). */
  limit?: number;
  commitment?: "confirmed" | "finalized";
}

/** Checks a webhook delivery's Authorization header against the configured one (constant time). */
function checkWebhookAuth(expected: string, got: string | undefined): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(got ?? "");
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WebhookRejected(401, "webhook authorization header does not match");
}

export class HeliusSource implements Source, WebhookReceiver {
  readonly name = HELIUS_SOURCE;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly opts: HeliusSourceOptions = {},
  ) {}

  async receive(authorization: string | undefined, body: () => Promise<string>): Promise<{ transactions: number; events: number }> {
    if (this.opts.webhookAuth === undefined) throw new WebhookRejected(404, WEBHOOK_NOT_ENABLED);
    checkWebhookAuth(this.opts.webhookAuth, authorization);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await body());
    } catch {
      throw new WebhookRejected(400, "webhook body is not valid JSON");
    }
    return this.ingestWebhook(parsed);
  }

  /** Ingests one webhook delivery (already JSON-parsed); returns the number of new events. */
  private ingestWebhook(body: unknown): { transactions: number; events: number } {
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
    const r = this.pipeline.ingest(HELIUS_WEBHOOK_SOURCE, txs, { cursor: last.signature, slot: last.slot });
    return { transactions: r.transactions, events: r.events };
  }

  /** Pages each program's history from its checkpoint to the end; returns the transactions read. */
  async backfill(): Promise<number> {
    const helius = this.opts.client;
    if (!helius) return 0;
    const commitment = this.opts.commitment ?? "finalized";
    let total = 0;
    for (const program of this.opts.programs ?? []) {
      const source = heliusBackfillSource(program);
      // The checkpoint is the pagination token of the next page, or, once the history was read to its
      // end, "" with the last slot read: the next backfill starts at that slot again (re-reading it is
      // harmless) so it needs no token that may have expired.
      const cp = this.pipeline.checkpoint(source);
      let token: string | null = cp?.cursor ? cp.cursor : null;
      let fromSlot = cp ? cp.slot : 0;
      for (;;) {
        const page = await helius.getTransactionsForAddress([
          program,
          {
            transactionDetails: "full",
            sortOrder: "asc",
            limit: this.opts.limit ?? 100,
            commitment,
            maxSupportedTransactionVersion: 0,
            ...(token ? { paginationToken: token } : { filters: { slot: { gte: fromSlot } } }),
          },
        ]);
        const txs = page.data.map((raw) => chainTxFromJson(raw, commitment));
        const lastSlot = txs.length > 0 ? txs[txs.length - 1].slot : fromSlot;
        this.pipeline.ingest(source, txs, { cursor: page.paginationToken ?? "", slot: lastSlot });
        total += txs.length;
        if (page.paginationToken === null) break;
        token = page.paginationToken;
        fromSlot = lastSlot;
      }
    }
    return total;
  }

  /** Backfills, then backfills again every `backfillMs` until stopped (webhook deliveries come meanwhile). */
  async start(): Promise<void> {
    if (!this.opts.client) return;
    this.stopped = false;
    await this.backfill();
    this.schedule();
  }

  // One backfill at a time: the next is scheduled when the previous has finished, and stopping waits
  // for a running one before the database closes.
  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.backfill()
        .then(() => undefined)
        .catch((e) => console.error(`helius backfill: ${e instanceof Error ? e.message : e}`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.opts.backfillMs ?? 300_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
