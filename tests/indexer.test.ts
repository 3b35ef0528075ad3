// The indexer end to end on a real chain (LiteSVM): the in-process source folds a network history into
// the SQLite views, and the API answers from them.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { leasesIdl, parseEvents, rewardsIdl, stakingIdl, toBigInt } from "@hourglass/client";
import { createApp, decodeTx, type IngestResult, openDb, Pipeline, SvmSource, syntheticHistory, viewsDigest } from "@hourglass/indexer";
import { PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { type IndexedHistory, indexedHistory } from "./support/indexed-history.ts";
import { NetworkHistory, PRICE } from "./support/network-history.ts";

describe("indexer: in-process source and views", function () {
  this.timeout(120_000);
  let x: IndexedHistory;

  before(async () => {
    x = await indexedHistory();
  });

  after(() => {
    x?.close();
  });

  it("folds devices, leases, payouts and block rewards into the views", async () => {
    const { db, run, h } = x;
    const app = createApp({ db });
    const get = async (p: string) => {
      const r = await app.request(p);
      expect(r.status, `${p}: ${await r.clone().text()}`).to.equal(200);
      return r.json() as Promise<any>;
    };
    const devices = await get("/api/devices?limit=10");
    expect(devices.items).to.have.length(4);
    const net = await get("/api/network");
    // A verified supplier's devices proved 24 hours in the last 30 days: this history's are up for six
    // hours at most (it was 3 of 4 while one proven hour was enough).
    expect(net.suppliers).to.deep.equal({ total: 4, active: 4, verified: 0 });
    const settled = await get(`/api/leases/${run.settled.lease.publicKey.toBase58()}`);
    expect(settled.lease.status).to.equal("settled");
    expect(settled.lease.earned).to.equal((PRICE * 2n * 3n).toString());
    expect(settled.cluster.map((s: any) => s.provenHours)).to.deep.equal([3, 3]);
    expect(settled.cluster.every((s: any) => s.released)).to.equal(true);
    const terminated = await get(`/api/leases/${run.terminated.lease.publicKey.toBase58()}`);
    expect(terminated.lease.status).to.equal("terminated");
    expect(BigInt(terminated.lease.refunded)).to.not.equal(0n);
    const d0 = await get(`/api/devices/${run.devices[0].address.toBase58()}`);
    expect(d0.device.provenHours).to.equal(3);
    expect(d0.device.nominated).to.equal(true);
    expect(d0.uptime.upHours).to.equal(6);
    const suppliers = (await get("/api/suppliers?limit=100")).items;
    for (const d of run.devices) {
      const s = suppliers.find((i: any) => i.address === d.supplier.wallet.publicKey.toBase58());
      expect(s.recentHours, "a supplier's recent hours are its device's uptime").to.equal((await get(`/api/devices/${d.address.toBase58()}`)).uptime.upHours);
      expect([s.recentFault, s.verified]).to.deep.equal([false, false]);
    }
    expect(d0.slashProposals).to.deep.equal([]);
    expect(net.supply.burned).to.equal("0");
    const hours = await get("/api/rewards/hours?limit=100");
    expect(hours.items.length).to.be.greaterThan(6);
    // The supplier's wallet shows exactly the tokens that reached its accounts.
    const supplier = run.devices[0].supplier;
    const wallet = await get(`/api/wallets/${supplier.wallet.publicKey.toBase58()}`);
    const rewardBalance = await h.lw.w.balance(h.rw.payout.get(run.devices[0].address.toBase58())!);
    expect(BigInt(wallet.totals.reward)).to.equal(rewardBalance);
    expect(BigInt(wallet.totals.reward)).to.not.equal(0n);
    expect(BigInt(wallet.totals.payout)).to.not.equal(0n);
    console.log("      views:", JSON.stringify(viewsDigest(db.$client).rows));
  });

  it("a source started again mid-slot carries on the slot's order: no replay, the same views", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hourglass-svm-restart-"));
    const db = openDb(path.join(dir, "indexer.sqlite"));
    try {
      const pipeline = new Pipeline(db);
      const results: IngestResult[] = [];
      const ingest = pipeline.ingest.bind(pipeline);
      pipeline.ingest = (...args) => {
        const r = ingest(...args);
        results.push(r);
        return r;
      };
      let source!: SvmSource;
      const h = await NetworkHistory.create("litesvm", (engine) => {
        source = new SvmSource(engine, pipeline, 0);
        source.start();
      });
      const first = await h.run();
      // The first phase ends with claims, and the second starts with set_device_paused in that slot.
      source.stop();
      const lastSlot = db.$client.prepare("SELECT max(slot) FROM events").pluck().get() as number;
      const lastId = db.$client.prepare("SELECT max(id) FROM events").pluck().get() as number;
      source = new SvmSource(h.engine, pipeline, 0);
      source.start();
      await h.runMore(first);
      source.stop();
      const inSlot = (cmp: string) =>
        db.$client
          .prepare(`SELECT ${cmp === ">" ? "min" : "max"}(block_index) FROM events WHERE slot = ? AND id ${cmp} ?`)
          .pluck()
          .get(lastSlot, lastId) as number | null;
      const before = inSlot("<=");
      const after = inSlot(">");
      expect(after, "the second phase begins in the first one's last slot").to.not.equal(null);
      expect(after!).to.be.greaterThan(before!);
      expect(results.filter((r) => r.replayed)).to.deep.equal([]);
      // Every event stored once, and the views as folding the whole log from scratch makes them.
      const all = db.$client.prepare("SELECT count(*) FROM events").pluck().get() as number;
      expect(results.reduce((n, r) => n + r.events, 0)).to.equal(all);
      // The device views' stake, co-stake and unbonding figures are the chain's (device 3 unbonded,
      // withdrew and deregistered; device 1 was faulted and slashed; device 0's co-staker left).
      const app = createApp({ db });
      for (const d of first.devices) {
        const view = ((await (await app.request(`/api/devices/${d.address.toBase58()}`)).json()) as any).device;
        const acc = await h.engine.getAccount(d.address);
        if (!acc) {
          expect([view.deregistered, view.stake, view.coStake, view.unbonding, view.coUnbonding]).to.deep.equal([true, "0", "0", "0", "0"]);
          continue;
        }
        const chain = h.lw.w.staking.decodeDevice(acc.data) as any;
        expect([view.stake, view.coStake, view.unbonding, view.coUnbonding, view.slashed], d.address.toBase58()).to.deep.equal(
          [chain.stake, chain.coStake, chain.unbondingAmount, chain.coUnbonding, chain.slashedTotal].map((v: BN) => toBigInt(v).toString()),
        );
      }
      const d1 = ((await (await app.request(`/api/devices/${first.devices[1].address.toBase58()}`)).json()) as any).device;
      expect([d1.faults, BigInt(d1.slashed) > 0n]).to.deep.equal([1, true]);
      const live = viewsDigest(db.$client).digest;
      expect(pipeline.replay()).to.equal(all);
      expect(viewsDigest(db.$client).digest).to.equal(live);
    } finally {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decodes events exactly as anchor's coder does (real history and the benchmark's synthetic one)", () => {
    // BN to decimal through base 16 (toBigInt): see its comment on bn.js's base-10 path under V8.
    const plain = (v: unknown) => (v instanceof PublicKey ? v.toBase58() : BN.isBN(v) ? toBigInt(v).toString() : v);
    const synthetic = [...syntheticHistory({ devices: 20, events: 3_000 })].flat();
    const syntheticNames = new Set(synthetic.flatMap((t) => decodeTx(t).map((e) => e.name)));
    for (const n of ["SlashProposed", "SlashExecuted", "SlashCancelled", "DeviceSlashed", "FeesBurned"]) expect(syntheticNames, n).to.include(n);
    let compared = 0;
    for (const tx of [...x.txs, ...synthetic]) {
      if (tx.failed) continue;
      const ours = decodeTx(tx).map((e) => ({ program: e.program, name: e.name, instruction: e.instruction, ordinal: e.ordinal, data: e.data }));
      const anchor = parseEvents([stakingIdl, leasesIdl, rewardsIdl], tx.logs).map((e) => ({
        program: e.program,
        name: e.name,
        instruction: e.instruction,
        ordinal: e.ordinal,
        data: Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, plain(v)])),
      }));
      expect(ours, tx.signature).to.deep.equal(anchor);
      compared += ours.length;
    }
    expect(compared).to.be.greaterThan(2_000);
    const names = new Set(x.txs.flatMap((t) => decodeTx(t).map((e) => e.name)));
    expect(names.size, [...names].join(",")).to.be.greaterThanOrEqual(20);
  });

  it("skips an event whose data is cut short, even one that ends in a key", () => {
    // DeviceStatusChanged ends in a public key: a byte short must not decode as a shorter key.
    const tx = x.txs.find((t) => decodeTx(t).some((e) => e.name === "DeviceStatusChanged"))!;
    const before = decodeTx(tx);
    const statusChanges = (events: { name: string }[]) => events.filter((e) => e.name === "DeviceStatusChanged").length;
    // Cut each event payload of the transaction by one byte in turn: for the status change's payload,
    // exactly that event must disappear.
    const dropped = tx.logs.flatMap((l, i) => {
      if (!l.startsWith("Program data: ")) return [];
      const cut = Buffer.from(l.slice("Program data: ".length), "base64");
      const logs = [...tx.logs];
      logs[i] = `Program data: ${cut.subarray(0, cut.length - 1).toString("base64")}`;
      const after = decodeTx({ ...tx, logs });
      return after.length === before.length - 1 && statusChanges(after) === statusChanges(before) - 1 ? [i] : [];
    });
    expect(dropped).to.have.length(statusChanges(before));
  });
});
