// The indexer end to end on a real chain (LiteSVM): the in-process source folds a network history into
// the SQLite views, and the API answers from them.
import { expect } from "chai";
import { createApp } from "../indexer/src/index.ts";
import { viewsDigest } from "../indexer/src/db/digest.ts";
import { PRICE } from "./support/network-history.ts";
import { indexedHistory, type IndexedHistory } from "./support/indexed-history.ts";

describe("indexer: in-process source and views", function () {
  this.timeout(120_000);
  let x: IndexedHistory;

  before(async function () {
    x = await indexedHistory();
  });

  after(function () {
    x?.close();
  });

  it("folds devices, leases, payouts and block rewards into the views", async function () {
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
    expect(net.suppliers).to.deep.equal({ total: 4, active: 4, verified: 3 });
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
});
