// Each ingestion source end to end against one chain history (LiteSVM), served over a real JSON-RPC
// server: the in-process source, the JSON-RPC source (backfill and tail), Helius webhook deliveries
// (duplicated, shuffled, replayed) and Helius backfill through helius-sdk. Every route must produce the
// same views, byte for byte. Then commitment promotion and rollback of an abandoned transaction.

import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type ChainTx,
  type HeliusHistory,
  HeliusSource,
  type IndexerDb,
  JsonRpcClient,
  JsonRpcError,
  openDb,
  Pipeline,
  RpcSource,
  SvmSource,
  startServer,
  viewsDigest,
} from "@hourglass/indexer";
import { type RpcServer, startRpcServer } from "@hourglass/localchain";
import { expect } from "chai";
import { createHelius } from "helius-sdk";
import { NetworkHistory } from "./support/network-history.ts";
import { shuffle } from "./support/random.ts";
import { rpcHistory as history, PROGRAMS } from "./support/rpc-history.ts";

const AUTH = "Bearer test-webhook-secret-0123456789";

describe("indexer: every source yields the same views", function () {
  this.timeout(180_000);
  let dir: string;
  let rpc: RpcServer;
  let svmDb: IndexerDb;
  let tailDb: IndexerDb;
  let expected: string;
  let txs: { raw: Record<string, unknown>; tx: ChainTx }[];
  const dbs: IndexerDb[] = [];
  const open = (name: string) => {
    const db = openDb(path.join(dir, `${name}.sqlite`));
    dbs.push(db);
    return db;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "hourglass-sources-"));
    svmDb = open("svm");
    tailDb = open("tail");
    const svm = new Pipeline(svmDb);
    let source!: SvmSource;
    let rpcStarted!: Promise<RpcServer>;
    const h = await NetworkHistory.create("litesvm", (engine) => {
      source = new SvmSource(engine, svm);
      source.start();
      rpcStarted = startRpcServer(engine);
    });
    rpc = await rpcStarted;
    // The tailing RPC source polls once an hour of the history, reading only what is new each time.
    const tail = new RpcSource(new Pipeline(tailDb), { url: rpc.url, programs: PROGRAMS, pageSize: 7, batchSize: 5 });
    await h.run({ onHour: async () => void (await tail.sync()) });
    await tail.sync();
    source.stop();
    expected = viewsDigest(svmDb.$client).digest;
    txs = await history(rpc.url);
  });

  after(async () => {
    await rpc?.close();
    for (const db of dbs) db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("JSON-RPC: tailing, and a backfill from scratch in small pages, match the in-process source", async () => {
    expect(viewsDigest(tailDb.$client).digest).to.equal(expected);
    const db = open("backfill");
    const source = new RpcSource(new Pipeline(db), { url: rpc.url, programs: PROGRAMS, pageSize: 10, batchSize: 8 });
    const n = await source.sync();
    expect(n).to.equal(txs.length);
    expect(viewsDigest(db.$client).digest).to.equal(expected);
    expect(await source.sync(), "nothing new on a second pass").to.equal(0);
    expect(db.$client.prepare("SELECT count(*) FROM checkpoints WHERE source LIKE 'rpc:%'").pluck().get()).to.equal(4);
  });

  it("Helius webhook: shuffled, duplicated and re-delivered batches give the same views; bad deliveries change nothing", async () => {
    const db = open("webhook");
    const pipeline = new Pipeline(db);
    const server = await startServer({ db, pipeline, webhook: new HeliusSource(pipeline, { webhookAuth: AUTH }) });
    try {
      const post = (body: string, auth = AUTH) =>
        fetch(`${server.url}/webhooks/helius`, { method: "POST", headers: { "content-type": "application/json", authorization: auth }, body });
      const raws = txs.map((t) => t.raw);
      const deliveries: unknown[][] = [];
      const shuffled = shuffle(raws, 7);
      for (let i = 0; i < shuffled.length; i += 9) deliveries.push(shuffled.slice(i, i + 9));
      for (let i = 0; i < raws.length; i += 25) deliveries.push(raws.slice(i, i + 25)); // retried deliveries
      for (const batch of shuffle(deliveries, 11)) {
        const r = await post(JSON.stringify(batch));
        expect(r.status, await r.clone().text()).to.equal(200);
      }
      expect(viewsDigest(db.$client).digest).to.equal(expected);
      const events = db.$client.prepare("SELECT count(*) FROM events").pluck().get();
      const bad: [string, string, number][] = [
        [JSON.stringify(raws.slice(0, 3)), "Bearer wrong-secret-0123456789000", 401],
        [JSON.stringify(raws.slice(0, 3)), "", 401],
        ['[{"slot": 1,', AUTH, 400],
        [JSON.stringify({ slot: 1 }), AUTH, 400],
        [JSON.stringify([...raws.slice(0, 2), { slot: 5, meta: {}, transaction: {} }]), AUTH, 400],
      ];
      for (const [body, auth, status] of bad) {
        const r = await post(body, auth);
        expect(r.status).to.equal(status);
        expect(((await r.json()) as { error: string }).error).to.be.a("string");
      }
      expect(db.$client.prepare("SELECT count(*) FROM events").pluck().get()).to.equal(events);
      expect(viewsDigest(db.$client).digest).to.equal(expected);
    } finally {
      await server.close();
    }
  });

  it("Helius backfill through helius-sdk's getTransactionsForAddress, resumed from its checkpoints", async () => {
    const db = open("helius");
    const pipeline = new Pipeline(db);
    const helius = createHelius({ apiKey: "test-key", baseUrl: rpc.url }) as unknown as HeliusHistory;
    const source = new HeliusSource(pipeline, { client: helius, programs: PROGRAMS, limit: 6 });
    const read = await source.backfill();
    expect(read).to.be.greaterThanOrEqual(txs.length);
    expect(viewsDigest(db.$client).digest).to.equal(expected);
    const events = db.$client.prepare("SELECT count(*) FROM events").pluck().get();
    await source.backfill();
    expect(db.$client.prepare("SELECT count(*) FROM events").pluck().get()).to.equal(events);
    expect(viewsDigest(db.$client).digest).to.equal(expected);
  });

  it("the JSON-RPC history methods refuse malformed parameters with invalid-params errors", async () => {
    const client = new JsonRpcClient(rpc.url);
    const bad: [string, unknown[]][] = [
      ["getSignaturesForAddress", ["not-a-key"]],
      ["getSignaturesForAddress", [PROGRAMS[0], { limit: 0 }]],
      ["getSignaturesForAddress", [PROGRAMS[0], { before: 42 }]],
      ["getSignaturesForAddress", [PROGRAMS[0], { commitment: "processed" }]],
      ["getTransactionsForAddress", [PROGRAMS[0], { sortOrder: "sideways" }]],
      ["getTransactionsForAddress", [PROGRAMS[0], { transactionDetails: "accounts" }]],
      ["getTransactionsForAddress", [PROGRAMS[0], { filters: { slot: { gte: "0" } } }]],
      ["getTransactionsForAddress", [PROGRAMS[0], { paginationToken: "nope" }]],
      ["getBlock", [-1]],
      ["getBlock", [0, { transactionDetails: "accounts" }]],
      ["getTransaction", [txs[0].tx.signature, { encoding: "jsonParsed" }]],
    ];
    for (const [method, params] of bad) {
      const [r] = await client.batch([{ method, params }]);
      expect(r, `${method} ${JSON.stringify(params)}`).to.be.instanceOf(JsonRpcError);
      expect((r as JsonRpcError).code, `${method} ${JSON.stringify(params)}`).to.equal(-32602);
    }
  });

  it("the JSON-RPC client reports a refused batch, a body that is not JSON and a malformed answer clearly", async () => {
    const bodies = ['{"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"rate limited"}}', "<html>busy</html>", '[{"jsonrpc":"2.0","id":1}]'];
    const server = http.createServer((_req, res) => res.end(bodies.shift()));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = new JsonRpcClient(url);
      const refused = await client.call("getSlot", []).catch((e: Error) => e);
      expect(refused).to.be.instanceOf(JsonRpcError).and.have.property("message", `${url}: rate limited`);
      expect((refused as JsonRpcError).code).to.equal(-32005);
      expect(await client.call("getSlot", []).catch((e: Error) => e.message)).to.equal(`${url} answered with a body that is not JSON`);
      const [empty] = await new JsonRpcClient(url).batch([{ method: "getSlot", params: [] }]);
      expect(empty).to.be.instanceOf(JsonRpcError).and.have.property("message", "answer 1 has neither result nor error");
    } finally {
      server.close();
    }
  });

  it("late and out-of-order transactions replay the views to the in-order result", () => {
    const db = open("shuffled");
    const pipeline = new Pipeline(db);
    const all = shuffle(
      txs.map((t) => t.tx),
      3,
    );
    let replayed = 0;
    for (let i = 0; i < all.length; i += 10) if (pipeline.ingest("test", all.slice(i, i + 10)).replayed) replayed++;
    expect(replayed).to.be.greaterThan(0);
    expect(viewsDigest(db.$client).digest).to.equal(expected);
  });

  it("a rolled-back transaction is removed with its effects; finalized ones cannot be", () => {
    const all = txs.map((t) => t.tx).sort((a, b) => a.slot - b.slot || a.blockIndex - b.blockIndex);
    const db = open("rollback");
    const pipeline = new Pipeline(db);
    const confirmed = all.map((t) => ({ ...t, commitment: "confirmed" as const }));
    pipeline.ingest("test", confirmed);
    // The transaction whose events include LeaseTerminated.
    const victim = confirmed.find(
      (t) => db.$client.prepare("SELECT count(*) FROM events WHERE signature = ? AND name = 'LeaseTerminated'").pluck().get(t.signature) === 1,
    )!;
    expect(victim, "terminate transaction").to.not.equal(undefined);
    expect(pipeline.rollback([victim.signature])).to.be.greaterThan(0);
    const without = open("without");
    new Pipeline(without).ingest(
      "test",
      all.filter((t) => t.signature !== victim.signature),
    );
    expect(viewsDigest(db.$client).digest).to.equal(viewsDigest(without.$client).digest);
    expect(db.$client.prepare("SELECT status FROM leases WHERE status = 'terminated'").all()).to.have.length(0);
    // Finalized history is final.
    const fin = open("final");
    const p2 = new Pipeline(fin);
    p2.ingest("test", all);
    expect(p2.rollback([victim.signature])).to.equal(0);
    expect(viewsDigest(fin.$client).digest).to.equal(expected);
  });
});

describe("indexer: JSON-RPC commitment promotion and abandoned forks", function () {
  this.timeout(120_000);

  it("reads at confirmed, promotes to finalized as the chain moves on, and rolls back what the cluster dropped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hourglass-commit-"));
    let rpcStarted!: Promise<RpcServer>;
    const h = await NetworkHistory.create("litesvm", (engine) => {
      rpcStarted = startRpcServer(engine, 0, { finalityDepth: 3 });
    });
    const rpc = await rpcStarted;
    const db = openDb(path.join(dir, "commit.sqlite"));
    try {
      const pipeline = new Pipeline(db);
      const source = new RpcSource(pipeline, { url: rpc.url, programs: PROGRAMS, commitment: "confirmed" });
      await h.run();
      await source.sync();
      const count = (c: string) => db.$client.prepare("SELECT count(DISTINCT signature) FROM events WHERE commitment = ?").pluck().get(c) as number;
      const confirmed = count("confirmed");
      expect(confirmed, "the newest slots are not final yet").to.be.greaterThan(0);
      expect(count("finalized")).to.be.greaterThan(0);
      // The newest confirmed transaction's fork is abandoned: the cluster forgets it.
      const newest = db.$client
        .prepare("SELECT signature FROM events WHERE commitment = 'confirmed' ORDER BY slot DESC, block_index DESC LIMIT 1")
        .pluck()
        .get() as string;
      expect(rpc.abandon(newest)).to.equal(true);
      let r = await source.recheck();
      expect(r.rolledBack).to.equal(1);
      expect(db.$client.prepare("SELECT count(*) FROM events WHERE signature = ?").pluck().get(newest)).to.equal(0);
      // Time passes (slots advance): everything left finalizes and is promoted.
      for (let i = 0; i < 4; i++) await h.engine.warp(1);
      r = await source.recheck();
      expect(r.promoted).to.equal(confirmed - 1);
      expect(count("confirmed")).to.equal(0);
    } finally {
      await rpc.close();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
