// The indexer API over an indexed history: the OpenAPI document, cursor pagination, CSV, the live
// feed (SSE over real HTTP), and bad input: every bad parameter is a 400 with a message, never a 500.

import { createApp, openDb, Pipeline, startServer } from "@hourglass/indexer";
import { expect } from "chai";
import { type IndexedHistory, indexedHistory } from "./support/indexed-history.ts";
import { rng } from "./support/random.ts";
import { RTX4070 } from "./support/world.ts";

describe("indexer API", function () {
  this.timeout(120_000);
  let x: IndexedHistory;
  let app: ReturnType<typeof createApp>;

  before(async () => {
    x = await indexedHistory();
    app = createApp({ db: x.db, pipeline: x.pipeline });
  });

  after(() => {
    x?.close();
  });

  const get = async (p: string) => {
    const r = await app.request(p);
    expect(r.status, `${p}: ${await r.clone().text()}`).to.equal(200);
    return r.json() as Promise<any>;
  };

  it("publishes an OpenAPI 3 document covering every route", async () => {
    const doc = await get("/openapi.json");
    expect(doc.openapi).to.equal("3.0.0");
    for (const p of [
      "/api/network",
      "/api/devices",
      "/api/devices/{address}",
      "/api/suppliers",
      "/api/leases",
      "/api/leases/{address}",
      "/api/rewards/hours",
      "/api/wallets/{address}",
      "/api/wallets/{address}/activity",
      "/api/events",
      "/api/events/stream",
      "/webhooks/helius",
    ]) {
      expect(doc.paths, p).to.have.property(p);
    }
  });

  it("pages with cursors through devices, suppliers, leases, events and reward hours without gaps or repeats", async () => {
    for (const [route, key, total] of [
      ["/api/devices", "address", 4],
      ["/api/suppliers", "address", 4],
      ["/api/leases", "address", 2],
      ["/api/rewards/hours", "hour", -1],
      ["/api/events", "id", -1],
    ] as const) {
      const all = (await get(`${route}?limit=1000`)).items.map((i: any) => i[key]);
      if (total >= 0) expect(all, route).to.have.length(total);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await get(`${route}?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.items.length).to.be.at.most(3);
        seen.push(...page.items.map((i: any) => i[key]));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen, route).to.deep.equal(all);
    }
  });

  it("filters devices and leases, and returns u64 amounts as decimal strings", async () => {
    // Device 2 is still held by the terminated lease (never released); the others are idle.
    expect((await get(`/api/devices?status=active&model=${RTX4070.code}`)).items).to.have.length(3);
    expect((await get("/api/devices?status=leased")).items.map((d: any) => d.address)).to.deep.equal([x.run.devices[2].address.toBase58()]);
    expect((await get("/api/devices?model=1")).items).to.have.length(0);
    const owner = x.run.devices[0].supplier.wallet.publicKey.toBase58();
    const mine = await get(`/api/devices?owner=${owner}`);
    expect(mine.items.map((d: any) => d.address)).to.deep.equal([x.run.devices[0].address.toBase58()]);
    expect(mine.items[0].stake).to.match(/^\d+$/);
    expect((await get("/api/leases?status=settled")).items).to.have.length(1);
    expect((await get(`/api/leases?renter=${x.run.renter.publicKey.toBase58()}`)).items).to.have.length(2);
    // The market price is the median over leases opened in the last 24 h of chain time: the history
    // ends 31 h after its leases opened, so there is none; six hours in, there were two.
    expect((await get("/api/network")).marketPrices).to.deep.equal([]);
    const early = openDb(":memory:");
    const start = x.txs[0].blockTime!;
    new Pipeline(early).ingest(
      "test",
      x.txs.filter((t) => t.blockTime! <= start + 6 * 3600),
    );
    const net: any = await (await createApp({ db: early }).request("/api/network")).json();
    // Two leases of the RTX 4070 fixture at 2 and 4 tokens per GPU-hour: the median is 3.
    expect(net.marketPrices).to.deep.equal([{ model: RTX4070.code, name: "RTX 4070", leases: 2, medianPerGpuHour: "3000000" }]);
    early.$client.close();
  });

  it('explorer pages: a filter form left at "any" is no filter, the next page keeps the filters, detail pages refuse unknown parameters', async () => {
    const all = await (await app.request("/devices?limit=50")).text();
    const form = await app.request("/devices?model=&status=&limit=50");
    expect(form.status).to.equal(200);
    expect(await form.text()).to.equal(all);
    // A model and region that more than one device shares, so the filtered list has a second page.
    const devices: { gpuModel: number; region: number }[] = (await get("/api/devices?limit=50")).items;
    const shared = devices.find((d) => devices.filter((e) => e.gpuModel === d.gpuModel && e.region === d.region).length > 1)!;
    const page = await (await app.request(`/devices?model=${shared.gpuModel}&region=${shared.region}&limit=1`)).text();
    const next = /href="(\/devices\?[^"]+)">Next page/.exec(page);
    expect(next, "a next-page link").to.not.equal(null);
    const params = new URLSearchParams(next![1].split("?")[1].replaceAll("&amp;", "&"));
    expect(params.get("model")).to.equal(String(shared.gpuModel));
    expect(params.get("region")).to.equal(String(shared.region));
    expect(params.get("limit")).to.equal("1");
    expect(params.get("cursor")).to.be.a("string");
    const lease = await app.request(`/leases/${x.run.settled.lease.publicKey.toBase58()}?junk=1`);
    expect(lease.status).to.equal(400);
    expect(await lease.text()).to.contain("unknown query parameter: junk");
  });

  it("serves block rewards and wallet activity as CSV", async () => {
    const json = await get("/api/rewards/hours?limit=1000");
    const r = await app.request("/api/rewards/hours?format=csv&limit=1000");
    expect(r.headers.get("content-type")).to.match(/^text\/csv/);
    const lines = (await r.text()).trim().split("\r\n");
    expect(lines[0]).to.equal("hour,hour_start,amount,total_weight,nominated,succeeded,failed");
    expect(lines).to.have.length(json.items.length + 1);
    expect(lines[1].split(",")[2]).to.equal(json.items[0].amount);
    const failed = json.items.filter((h: any) => h.failed > 0);
    expect(failed.length, "nominated devices that went silent fail their hours").to.be.greaterThan(0);
    const owner = x.run.devices[0].supplier.wallet.publicKey.toBase58();
    const csv = await (await app.request(`/api/wallets/${owner}/activity?format=csv`)).text();
    expect(csv.split("\r\n")[0]).to.equal("id,kind,amount,device,lease,signature,slot,block_time");
    expect(csv).to.contain(",reward,");
    expect(csv).to.contain(",payout,");
  });

  it("answers every bad parameter with 400 and a message, unknown things with 404", async () => {
    const bad = [
      "/api/devices?limit=0",
      "/api/devices?limit=1001",
      "/api/devices?limit=abc",
      "/api/devices?cursor=not-a-cursor",
      `/api/devices?cursor=${Buffer.from('["x", 1]').toString("base64url")}`,
      "/api/devices?model=-1",
      "/api/devices?status=busy",
      "/api/devices?owner=0xdeadbeef",
      "/api/devices?colour=red",
      "/api/network?x=1",
      "/api/devices/not-an-address",
      "/api/leases?status=gone",
      "/api/rewards/hours?format=xml",
      "/api/wallets/O0O0/activity",
      "/api/events?name=Device%20Registered",
      "/api/events/stream?since=1",
    ];
    for (const p of bad) {
      const r = await app.request(p);
      expect(r.status, p).to.equal(400);
      const body = (await r.json()) as { error: string };
      expect(body.error, p).to.be.a("string").and.not.equal("");
    }
    expect(((await (await app.request("/api/devices?colour=red")).json()) as { error: string }).error).to.contain("colour");
    expect((await app.request(`/api/devices/${x.run.renter.publicKey.toBase58()}`)).status).to.equal(404);
    expect((await app.request("/api/nothing")).status).to.equal(404);
    expect((await app.request("/webhooks/helius", { method: "POST", body: "[]" })).status, "webhook off without a secret").to.equal(404);
  });

  it("never answers random input with a 5xx", async () => {
    const rand = rng(99).int;
    const routes = [
      "/api/devices",
      "/api/leases",
      "/api/suppliers",
      "/api/rewards/hours",
      "/api/events",
      `/api/wallets/${x.run.renter.publicKey.toBase58()}/activity`,
      "/api/devices/",
      "/api/leases/",
      "/devices",
      "/leases",
      "/rewards",
      "/wallet/",
      "/",
    ];
    const keys = ["limit", "cursor", "model", "status", "owner", "renter", "format", "kind", "name", "region", "zzz", "limit[]", "__proto__"];
    const values = [
      "",
      "0",
      "-1",
      "1e9",
      "NaN",
      "abc",
      "%00",
      "'",
      '"',
      "<script>",
      "99999999999999999999",
      "active",
      "csv",
      "open",
      "eyJ4IjoxfQ",
      "W10",
      "WyJ6Il0",
      "%E2%98%83",
      "11111111111111111111111111111111",
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const route = routes[rand(routes.length)];
      const q = Array.from({ length: rand(4) }, () => `${keys[rand(keys.length)]}=${values[rand(values.length)]}`).join("&");
      const tail = route.endsWith("/") ? values[rand(values.length)] : "";
      const r = await app.request(`${route}${tail}${q ? `?${q}` : ""}`);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status, `${route}${tail}?${q}`).to.be.lessThan(500);
    }
    expect(statuses.get(400)).to.be.greaterThan(0);
    expect(statuses.get(200)).to.be.greaterThan(0);
  });

  it("streams new events live over server-sent events", async () => {
    const server = await startServer({ db: x.db, pipeline: x.pipeline });
    const ac = new AbortController();
    try {
      const res = await fetch(`${server.url}/api/events/stream`, { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(30_000)]) });
      expect(res.headers.get("content-type")).to.match(/^text\/event-stream/);
      const reader = res.body!.getReader();
      let text = "";
      const readUntil = async (needle: string) => {
        const deadline = Date.now() + 10_000;
        while (!text.includes(needle)) {
          if (Date.now() > deadline) throw new Error(`no ${needle} in ${text}`);
          const { value, done } = await reader.read();
          if (done) throw new Error("stream ended");
          text += new TextDecoder().decode(value);
        }
      };
      await readUntil("event: ready");
      // A supplier tops up its stake on-chain; the in-process source ingests it and the feed pushes it.
      const d = x.run.devices[3];
      await x.h.lw.w.ok("stake", await x.h.lw.w.stakeIx(d, 5n), [d.supplier.wallet]);
      await readUntil("event: Staked");
      expect(text).to.contain(d.address.toBase58());
    } finally {
      ac.abort();
      await server.close();
    }
  });
});
