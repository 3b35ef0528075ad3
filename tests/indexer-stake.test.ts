// The indexer's views of issue 16's events, from histories written event by event with the IDL
// (SyntheticChain): discretionary slash proposals and their outcomes, slashes that take from
// co-stakers pro rata and from unbonding stake, the verified-supplier rule (24 hours up in the last 30
// days of chain time, no fault), and burned fees beside emitted rewards. Each history is also folded
// again from its event log and in shuffled deliveries: the views must come out the same.

import { type ChainTx, createApp, type IndexerDb, openDb, Pipeline, viewsDigest } from "@hourglass/indexer";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { EventHistory as History } from "./support/indexed-history.ts";
import { rng } from "./support/random.ts";

const HOUR = 3600;
const DAY = 24 * HOUR;
const ZERO = PublicKey.default.toBase58();
const key = () => Keypair.generate().publicKey.toBase58();

function fold(txs: ChainTx[]): { db: IndexerDb; pipeline: Pipeline; get: (p: string) => Promise<any>; page: (p: string) => Promise<string> } {
  const db = openDb(":memory:");
  const pipeline = new Pipeline(db);
  pipeline.ingest("test", txs);
  const app = createApp({ db });
  return {
    db,
    pipeline,
    get: async (p) => {
      const r = await app.request(p);
      expect(r.status, `${p}: ${await r.clone().text()}`).to.equal(200);
      return r.json();
    },
    page: async (p) => {
      const r = await app.request(p);
      expect(r.status, p).to.equal(200);
      return r.text();
    },
  };
}

/** The views from the event log replayed, and from the history delivered in shuffled batches, equal `db`'s. */
function expectFoldIndependent(db: IndexerDb, pipeline: Pipeline, txs: ChainTx[], seed: number) {
  const live = viewsDigest(db.$client).digest;
  pipeline.replay();
  expect(viewsDigest(db.$client).digest, "replayed from the event log").to.equal(live);
  const shuffled = openDb(":memory:");
  const p = new Pipeline(shuffled);
  const r = rng(seed);
  const order = [...txs];
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i < order.length; i += 3) p.ingest("shuffled", order.slice(i, i + 3));
  expect(viewsDigest(shuffled.$client).digest, "folded from shuffled deliveries").to.equal(live);
  shuffled.$client.close();
}

describe("indexer: slash proposals, pro-rata slashes, verified suppliers, burned fees", function () {
  this.timeout(60_000);

  it("folds slash proposals into the device's API answer and page: pending, executable, executed, cancelled", async () => {
    const h = new History();
    const { device, owner } = h.device();
    const authority = key();
    const proposal = key(); // the proposal PDA: one per device at a time, so it comes back
    const t0 = h.start + 2 * HOUR;
    h.at(t0).emit("staking", "SlashProposed", { device, proposal, authority, bps: 500, reason: 1, executable_at: t0 + 48 * HOUR });
    // An outcome for another device's proposal, or with no pending one, changes nothing here.
    h.emit("staking", "SlashCancelled", { device: key(), proposal, bps: 500, reason: 1 });
    const early = fold([...h.c.txs]);
    let d = await early.get(`/api/devices/${device}`);
    expect(d.asOf).to.equal(t0);
    expect(d.slashProposals).to.deep.equal([
      {
        proposal,
        authority,
        status: "pending",
        bps: 500,
        reason: 1,
        reasonName: "missed heartbeats",
        proposedAt: t0,
        executableAt: t0 + 48 * HOUR,
        executable: false,
        resolvedAt: null,
        amount: null,
        signature: h.c.txs[h.c.txs.length - 2].signature,
      },
    ]);
    let page = await early.page(`/devices/${device}`);
    expect(page).to.match(/role="alert"><b>Slash proposed: 5% of stake \(missed heartbeats\)<\/b>/);
    expect(t0 + 48 * HOUR).to.equal(Date.UTC(2023, 10, 17) / 1000);
    expect(page).to.contain("Becomes executable 2023-11-17 00:00 UTC (in 48 h)");
    early.db.$client.close();

    // Chain time reaches executable_at (any event moves the clock): the proposal is executable.
    h.at(t0 + 48 * HOUR).emit("staking", "Staked", { device, staker: owner, amount: 1, total_stake: 10_001 });
    const due = fold([...h.c.txs]);
    d = await due.get(`/api/devices/${device}`);
    expect(d.slashProposals.map((p: any) => [p.status, p.executable])).to.deep.equal([["pending", true]]);
    expect(await due.page(`/devices/${device}`)).to.contain('class="alert now"');
    due.db.$client.close();

    // Executed (with the slash beside it); proposed again at the same PDA (admin) and cancelled; a third
    // (failed job) stays pending.
    h.at(t0 + 49 * HOUR).c.tx("staking", [
      [
        "staking",
        "DeviceSlashed",
        { device, authority, amount: 500, bps: 500, reason: 1, remaining_stake: 9_501, co_stake_amount: 0, remaining_co_stake: 0, remaining_unbonding: 0 },
      ],
      ["staking", "SlashExecuted", { device, proposal, bps: 500, reason: 1, amount: 500 }],
    ]);
    h.at(t0 + 50 * HOUR).emit("staking", "SlashProposed", { device, proposal, authority, bps: 1_000, reason: 3, executable_at: t0 + 98 * HOUR });
    h.at(t0 + 51 * HOUR).emit("staking", "SlashCancelled", { device, proposal, bps: 1_000, reason: 3 });
    h.at(t0 + 52 * HOUR).emit("staking", "SlashProposed", { device, proposal, authority, bps: 250, reason: 2, executable_at: t0 + 100 * HOUR });
    const all = fold(h.c.txs);
    d = await all.get(`/api/devices/${device}`);
    expect(d.slashProposals.map((p: any) => [p.status, p.bps, p.reasonName, p.proposedAt, p.executableAt, p.resolvedAt, p.amount, p.executable])).to.deep.equal(
      [
        ["pending", 250, "failed job", t0 + 52 * HOUR, t0 + 100 * HOUR, null, null, false],
        ["cancelled", 1_000, "admin", t0 + 50 * HOUR, t0 + 98 * HOUR, t0 + 51 * HOUR, null, false],
        ["executed", 500, "missed heartbeats", t0, t0 + 48 * HOUR, t0 + 49 * HOUR, "500", false],
      ],
    );
    expect(d.device.stake).to.equal("9501");
    expect(d.device.slashed).to.equal("500");
    page = await all.page(`/devices/${device}`);
    expect(page.match(/role="alert"/g)).to.have.length(1);
    expect(page).to.contain("Slash proposed: 2.5% of stake (failed job)");
    expect(page).to.contain("(in 48 h)");
    for (const cell of [
      '<span class="tag bad">pending</span>',
      '<span class="tag good">cancelled</span>',
      '<span class="tag ">executed</span>',
      "<td>admin</td>",
      ">0.0005</td>",
    ])
      expect(page).to.contain(cell);
    // A device with none says so; the OpenAPI document describes the proposals.
    const other = h.device();
    const none = fold(h.c.txs);
    expect((await none.get(`/api/devices/${other.device}`)).slashProposals).to.deep.equal([]);
    expect(await none.page(`/devices/${other.device}`)).to.contain("No slash proposals.");
    const doc = await none.get("/openapi.json");
    expect(doc.paths["/api/devices/{address}"].get.description).to.contain("slash proposals");
    expect(JSON.stringify(doc.components.schemas.SlashProposal)).to.contain("1 missed heartbeats, 2 failed job, 3 admin");
    expectFoldIndependent(none.db, none.pipeline, h.c.txs, 1);
    none.db.$client.close();
    all.db.$client.close();
  });

  it("a slash takes from co-stakers pro rata and from unbonding stake: stake, co-stake and unbonding follow the event", async () => {
    const h = new History();
    const { device, owner } = h.device(undefined, 10_000n);
    const [a, b] = [key(), key()];
    h.emit("staking", "CoStaked", { device, staker: a, amount: 3_000, staker_amount: 3_000, device_co_stake: 3_000 });
    h.emit("staking", "CoStaked", { device, staker: b, amount: 2_000, staker_amount: 2_000, device_co_stake: 5_000 });
    // The supplier unbonds 2,000 (so co-stake stays at most half); co-staker b unbonds 1,000.
    h.emit("staking", "UnstakeRequested", { device, amount: 2_000, remaining_stake: 8_000, unbonding_amount: 2_000, unlock_at: h.start + 14 * DAY });
    h.emit("staking", "CoUnstakeRequested", { device, staker: b, amount: 1_000, unbonding_amount: 1_000, unlock_at: h.start + 14 * DAY });
    const before = fold([...h.c.txs]);
    const v0 = (await before.get(`/api/devices/${device}`)).device;
    expect([v0.stake, v0.coStake, v0.unbonding, v0.coUnbonding]).to.deep.equal(["8000", "4000", "2000", "1000"]);
    before.db.$client.close();
    // 10%: the supplier loses 800 active + 200 unbonding, co-stakers 400 active + 100 unbonding.
    h.at(h.start + DAY).emit("staking", "DeviceSlashed", {
      device,
      authority: ZERO,
      amount: 1_500,
      bps: 1_000,
      reason: 3,
      remaining_stake: 7_200,
      co_stake_amount: 500,
      remaining_co_stake: 3_600,
      remaining_unbonding: 1_800,
    });
    const mid = fold([...h.c.txs]);
    const v1 = (await mid.get(`/api/devices/${device}`)).device;
    expect([v1.stake, v1.coStake, v1.unbonding, v1.coUnbonding, v1.slashed]).to.deep.equal(["7200", "3600", "1800", "900", "1500"]);
    // The supplier's wallet shows its own share of the slash; the network's supply follows too.
    expect((await mid.get(`/api/wallets/${owner}`)).totals.slash).to.equal("1000");
    const supply = (await mid.get("/api/network")).supply;
    expect([supply.staked, supply.coStaked, supply.unbonding]).to.deep.equal(["7200", "3600", "2700"]);
    const page = await mid.page(`/devices/${device}`);
    expect(page).to.contain("<b>0.0072</b>stake (+0.0036 co-staked)");
    expect(page).to.contain("<b>0.0018</b>unbonding (+0.0009 co-stakers')");
    mid.db.$client.close();
    // Unbonded stake leaves after the period: the supplier's 1,800 and b's 900 (the slashed amounts).
    h.at(h.start + 15 * DAY).emit("staking", "Withdrawn", { device, destination: owner, amount: 1_800 });
    h.emit("staking", "CoWithdrawn", { device, staker: b, destination: b, amount: 900 });
    // A second slash with nothing unbonding: 10% of 7,200 and of 3,600, all active.
    h.emit("staking", "DeviceSlashed", {
      device,
      authority: ZERO,
      amount: 1_080,
      bps: 1_000,
      reason: 2,
      remaining_stake: 6_480,
      co_stake_amount: 360,
      remaining_co_stake: 3_240,
      remaining_unbonding: 0,
    });
    const end = fold(h.c.txs);
    const v2 = (await end.get(`/api/devices/${device}`)).device;
    expect([v2.stake, v2.coStake, v2.unbonding, v2.coUnbonding, v2.slashed]).to.deep.equal(["6480", "3240", "0", "0", "2580"]);
    expect((await end.get(`/api/wallets/${owner}`)).totals.slash).to.equal("1720");
    expectFoldIndependent(end.db, end.pipeline, h.c.txs, 2);
    end.db.$client.close();
  });

  it("a verified supplier's devices proved at least 24 hours in the last 30 days of chain time, with no fault in them", async () => {
    const h = new History();
    const s = ["s1", "s2", "s3", "s4", "s5", "s6"].map(() => key());
    const d1 = h.device(s[0]).device;
    const [d2a, d2b] = [h.device(s[1]).device, h.device(s[1]).device];
    const d3 = h.device(s[2]).device;
    const d4 = h.device(s[3]).device;
    const d5 = h.device(s[4]).device;
    const d6 = h.device(s[5]).device;
    // Day 0: s4's device faults on a lease (its missed hour 0 is the lease's origin).
    const oldLease = h.lease(d4, h.start, 0);
    h.at(h.start + 26 * HOUR).fault(oldLease, d4, 0);
    // Day 40, 10 minutes into the hour: now. The window is the 720 hours ending with now's hour.
    const now = h.start + 40 * DAY + 10 * 60;
    h.at(now - 30 * HOUR);
    const H = h.hour(now); // now's pool hour
    h.uptime(d1, H - 30, 24); // s1: 24 hours, recorded for block rewards
    h.lease(d2a, h.start + (H - 20) * HOUR, 12); // s2: 12 lease hours proven ...
    h.uptime(d2b, H - 14, 12); // ... and 12 idle hours on its other device
    h.uptime(d3, H - 30, 23); // s3: 23 hours
    h.uptime(d4, H - 30, 24); // s4: 24 hours, its fault 40 days ago
    h.uptime(d5, H - 30, 24); // s5: 24 hours, and a fault 3 hours ago
    const l5 = h.lease(d5, h.start + (H - 5) * HOUR, 0);
    h.uptime(d6, H - 31 * 24, 30); // s6: 30 hours, but 25 of them before the window
    h.at(now).fault(l5, d5, 2);
    const x = fold([...h.c.txs]);
    const net = await x.get("/api/network");
    expect(net.asOf).to.equal(now);
    expect(net.suppliers).to.deep.equal({ total: 6, active: 6, verified: 3 });
    // Each supplier's [hours up in the window, a fault in it, verified], in the order of `s`.
    const windowOf = async (v: typeof x) => {
      const items = new Map<string, any>((await v.get("/api/suppliers?limit=100")).items.map((i: any) => [i.address, i]));
      return s.map((a) => [items.get(a).recentHours, items.get(a).recentFault, items.get(a).verified]);
    };
    expect(await windowOf(x)).to.deep.equal([
      [24, false, true],
      [24, false, true],
      [23, false, false],
      [24, false, true],
      [24, true, false],
      [5, false, false],
    ]);
    expect(await x.page("/")).to.match(/<b>3<\/b>verified suppliers/);
    const doc = await x.get("/openapi.json");
    for (const d of [
      doc.components.schemas.Supplier.properties.verified.description,
      doc.paths["/api/network"].get.description,
      doc.paths["/api/suppliers"].get.description,
    ]) {
      expect(d).to.contain("at least 24 hours").and.contain("last 30 days").and.contain("no fault");
    }
    expectFoldIndependent(x.db, x.pipeline, h.c.txs, 3);
    x.db.$client.close();

    // Chain time moves on: at t1 the window's first hour is the first of the stretch s1, s3, s4 and s5
    // recorded (pool hour H - 30); an hour later that hour has left it, and only s2 (hours from H - 20)
    // still has 24.
    const windowStart = (t: number) => Math.floor(t / HOUR) * HOUR + HOUR - 30 * DAY;
    const keep = h.start + (H - 30) * HOUR; // s1's first hour
    const t1 = keep + 30 * DAY - HOUR; // the last chain time whose window still holds it
    expect(windowStart(t1)).to.equal(keep);
    h.at(t1).emit("staking", "Staked", { device: d1, staker: s[0], amount: 1, total_stake: 10_001 });
    const y = fold([...h.c.txs]);
    expect((await y.get("/api/network")).suppliers.verified).to.equal(3);
    y.db.$client.close();
    h.at(t1 + HOUR).emit("staking", "Staked", { device: d1, staker: s[0], amount: 1, total_stake: 10_002 });
    const z = fold(h.c.txs);
    expect(await windowOf(z)).to.deep.equal([
      [23, false, false],
      [24, false, true],
      [22, false, false],
      [23, false, false],
      [23, true, false],
      [0, false, false],
    ]);
    expect((await z.get("/api/network")).suppliers.verified).to.equal(1);
    z.db.$client.close();
  });

  it("shows cumulative burned fees beside emitted block rewards", async () => {
    const h = new History();
    h.emit("rewards", "HourEmitted", { hour: 0, amount: 4_000_000, total_weight: 10, nominated_devices: 1 });
    h.emit("rewards", "HourEmitted", { hour: 1, amount: 3_500_000, total_weight: 10, nominated_devices: 1 });
    const mint = key();
    let x = fold([...h.c.txs]);
    let net = await x.get("/api/network");
    expect([net.supply.emitted, net.supply.burned, net.burns]).to.deep.equal(["7500000", "0", { count: 0, lastAt: null }]);
    x.db.$client.close();
    h.at(h.start + 5 * HOUR).emit("leases", "FeesBurned", { mint, amount: 1_250_000, total_burned: 1_250_000 });
    h.at(h.start + 9 * HOUR).emit("leases", "FeesBurned", { mint, amount: 750_000, total_burned: 2_000_000 });
    x = fold(h.c.txs);
    net = await x.get("/api/network");
    expect([net.supply.emitted, net.supply.burned, net.burns]).to.deep.equal(["7500000", "2000000", { count: 2, lastAt: h.start + 9 * HOUR }]);
    const home = await x.page("/");
    expect(home).to.match(
      /<b>7\.5<\/b>emitted: block rewards, cumulative<\/div>\s*<div class="card"><b>2<\/b>burned: network-token fees, cumulative \(2 burns, latest 2023-11-15 07:00 UTC\)/,
    );
    const doc = await x.get("/openapi.json");
    expect(doc.paths["/api/network"].get.description).to.contain("burned");
    expectFoldIndependent(x.db, x.pipeline, h.c.txs, 4);
    x.db.$client.close();
  });

  it("a database folded by an older version of the views is replayed from its event log when opened", async () => {
    const h = new History();
    const { device } = h.device();
    h.emit("staking", "SlashProposed", { device, proposal: key(), authority: key(), bps: 100, reason: 3, executable_at: h.start + 2 * DAY });
    const x = fold(h.c.txs);
    const digest = viewsDigest(x.db.$client).digest;
    // As an older indexer would have left it: no proposals in the views, an older version mark.
    x.db.$client.exec("DELETE FROM slash_proposals; UPDATE meta SET value = '1' WHERE key = 'views.version'");
    expect(viewsDigest(x.db.$client).digest).to.not.equal(digest);
    new Pipeline(x.db);
    expect(viewsDigest(x.db.$client).digest).to.equal(digest);
    expect(x.db.$client.prepare("SELECT value FROM meta WHERE key = 'views.version'").pluck().get()).to.not.equal("1");
    x.db.$client.close();
  });
});
