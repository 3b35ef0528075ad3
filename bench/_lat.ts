import { syntheticHistory } from "../indexer/src/ingest/synthetic.ts";
import { openDb, Pipeline, createApp } from "../indexer/src/index.ts";
const db = openDb(":memory:"); const p = new Pipeline(db);
let t = performance.now(); let n = 0;
for (const b of syntheticHistory({ devices: 10000, events: 300000 })) n += p.ingest("x", b).events;
console.log("ingest", n, Math.round(n / ((performance.now() - t) / 1000)), "ev/s");
const app = createApp({ db, pipeline: p });
const d = db.$client.prepare("SELECT address, owner FROM devices LIMIT 1").get() as any;
const l = db.$client.prepare("SELECT address FROM leases LIMIT 1").pluck().get();
for (const path of ["/api/network", "/api/devices?limit=50", "/api/devices?model=2&limit=50", "/api/leases?limit=50", "/api/suppliers?limit=50", "/api/rewards/hours?limit=100", "/api/events?limit=50", `/api/devices/${d.address}`, `/api/wallets/${d.owner}/activity`, `/api/leases/${l}`, `/api/wallets/${d.owner}`]) {
  const times = [];
  for (let i = 0; i < 30; i++) { const s = performance.now(); const r = await app.request(path); await r.text(); times.push(performance.now() - s); }
  times.sort((a, b) => a - b);
  console.log(path.slice(0, 40).padEnd(42), "p50", times[15].toFixed(2), "max", times[29].toFixed(2));
}
