// Load on the indexer process's HTTP surface at once: Helius webhook deliveries (every delivery sent
// five times, shuffled, from 20 concurrent connections) while 10 more connections read the explorer
// API. Afterwards nothing is lost or doubled: the event log holds each event exactly once and the
// views equal those of a plain in-order ingestion. Every request got a 2xx.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HeliusSource, openDb, Pipeline, startServer, viewsDigest } from "@hourglass/indexer";
import { type RpcServer, startRpcServer } from "@hourglass/localchain";
import autocannon from "autocannon";
import { expect } from "chai";
import { NetworkHistory } from "./support/network-history.ts";
import { shuffle } from "./support/random.ts";
import { rpcHistory } from "./support/rpc-history.ts";

const AUTH = "Bearer load-test-secret-0123456789";

describe("indexer under load: concurrent and duplicate webhook deliveries with API reads", function () {
  this.timeout(300_000);

  it("loses and doubles nothing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hourglass-load-"));
    let rpcStarted!: Promise<RpcServer>;
    const h = await NetworkHistory.create("litesvm", (engine) => {
      rpcStarted = startRpcServer(engine);
    });
    await h.runMore(await h.run());
    const rpc = await rpcStarted;
    const txs = await rpcHistory(rpc.url);
    await rpc.close();

    const reference = openDb(path.join(dir, "reference.sqlite"));
    new Pipeline(reference).ingest(
      "reference",
      txs.map((t) => t.tx),
    );
    const expected = viewsDigest(reference.$client);
    const expectedEvents = reference.$client.prepare("SELECT count(*) FROM events").pluck().get() as number;
    const sampleDevice = reference.$client.prepare("SELECT address FROM devices LIMIT 1").pluck().get() as string;
    reference.$client.close();

    const db = openDb(path.join(dir, "load.sqlite"));
    const pipeline = new Pipeline(db);
    const server = await startServer({ db, pipeline, webhook: new HeliusSource(pipeline, { webhookAuth: AUTH }) });
    try {
      const raws = shuffle(
        txs.map((t) => t.raw),
        5,
      );
      const bodies: string[] = [];
      for (let i = 0; i < raws.length; i += 2) bodies.push(JSON.stringify(raws.slice(i, i + 2)));
      const deliveries = shuffle([...bodies, ...bodies, ...bodies, ...bodies, ...bodies], 9);
      let d = 0;
      let q = 0;
      const reads = [
        "/api/network",
        "/api/devices?limit=20",
        `/api/devices/${sampleDevice}`,
        "/api/leases",
        "/api/rewards/hours?limit=50",
        "/api/events?limit=50",
        "/api/suppliers",
      ];
      const [posts, gets] = await Promise.all([
        autocannon({
          url: server.url,
          connections: 20,
          amount: deliveries.length,
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                method: "POST",
                path: "/webhooks/helius",
                headers: { "content-type": "application/json", authorization: AUTH },
                body: deliveries[d++ % deliveries.length],
              }),
            },
          ],
        }),
        autocannon({
          url: server.url,
          connections: 10,
          amount: 3000,
          requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: reads[q++ % reads.length] }) }],
        }),
      ]);
      expect(posts.non2xx + posts.errors, "webhook deliveries refused").to.equal(0);
      expect(posts.requests.total).to.equal(deliveries.length);
      expect(gets.non2xx + gets.errors, "API reads refused").to.equal(0);
      expect(db.$client.prepare("SELECT count(*) FROM events").pluck().get()).to.equal(expectedEvents);
      expect(
        db.$client.prepare("SELECT count(*) FROM (SELECT 1 FROM events GROUP BY signature, instruction, ordinal HAVING count(*) > 1)").pluck().get(),
      ).to.equal(0);
      expect(viewsDigest(db.$client)).to.deep.equal(expected);
      console.log(
        `      ${deliveries.length} deliveries (${bodies.length} distinct, ${txs.length} transactions, ${expectedEvents} events) at ${Math.round(posts.requests.average)}/s, ${gets.requests.total} reads at ${Math.round(gets.requests.average)}/s, read p99 ${gets.latency.p99} ms`,
      );
    } finally {
      await server.close();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
