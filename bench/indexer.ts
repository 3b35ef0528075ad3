// Indexer benchmark: ingestion with every view maintained vs raw better-sqlite3 prepared inserts of the
// same rows (same run, same batch size), the time to replay 1,000,000 stored events into the views, and
// API latency (p50/p99) at 500 requests/s with 1,000,000 events stored, measured with autocannon.
// Prints a table with the goals; exits 1 if a goal is missed. `--events N` shrinks the run.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeTx, eventRow, openDb, Pipeline, syntheticHistory } from "@hourglass/indexer";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { GoalTable } from "./table.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TOTAL = arg("--events", 1_000_000);
const RATIO_EVENTS = Math.min(TOTAL, 200_000);
const DEVICES = 10_000;
const table = new GoalTable();
const dir = mkdtempSync(path.join(tmpdir(), "hourglass-bench-indexer-"));

async function main() {
  const db = openDb(path.join(dir, "indexer.sqlite"));
  const pipeline = new Pipeline(db);
  const raw = new Database(path.join(dir, "raw.sqlite"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  raw.pragma("cache_size = -65536"); // the same settings as the indexer's database
  raw.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, signature TEXT NOT NULL, instruction INTEGER NOT NULL, ordinal INTEGER NOT NULL,
    slot INTEGER NOT NULL, block_index INTEGER NOT NULL, block_time INTEGER, program TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL,
    commitment TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (signature, instruction, ordinal))`);
  const rawInsert = raw.prepare(
    "INSERT INTO events (signature, instruction, ordinal, slot, block_index, block_time, program, name, data, commitment, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const rawBatch = raw.transaction((rows: unknown[][]) => {
    for (const r of rows) rawInsert.run(...r);
  });

  // 1. Ingestion: the first RATIO_EVENTS events through both paths, timed separately in this run.
  let pipeEvents = 0;
  let pipeMs = 0;
  let rawEvents = 0;
  let rawMs = 0;
  let total = 0;
  const started = Date.now();
  for (const batch of syntheticHistory({ devices: DEVICES, events: TOTAL })) {
    if (total < RATIO_EVENTS) {
      // Raw: the rows already decoded (decoding is not SQLite's work), inserted with a prepared statement.
      const rows = batch.flatMap((tx) => decodeTx(tx).map((e) => eventRow(e, "finalized", "bench")));
      let t = performance.now();
      rawBatch(rows);
      rawMs += performance.now() - t;
      rawEvents += rows.length;
      t = performance.now();
      const r = pipeline.ingest("bench", batch);
      pipeMs += performance.now() - t;
      pipeEvents += r.events;
      total += r.events;
    } else {
      total += pipeline.ingest("bench", batch).events;
    }
  }
  const ingestAll = (Date.now() - started) / 1000;
  const pipeRate = Math.round(pipeEvents / (pipeMs / 1000));
  const rawRate = Math.round(rawEvents / (rawMs / 1000));
  table.add("raw better-sqlite3 prepared inserts", rawRate, undefined, "events/s");
  table.add("pipeline: decode + store + all views", pipeRate, undefined, "events/s");
  table.add("pipeline / raw inserts", Math.round((pipeRate / rawRate) * 1000) / 10, { min: 30 }, "%");
  table.add(`events stored (${DEVICES.toLocaleString("en-US")} devices)`, total, undefined, "events");
  table.add("ingest all (generation included)", Math.round(ingestAll * 10) / 10, undefined, "s");

  // 2. Replay every stored event into fresh views.
  const t0 = performance.now();
  const replayed = pipeline.replay();
  const replayS = (performance.now() - t0) / 1000;
  table.add(`replay ${replayed.toLocaleString("en-US")} events into the views`, Math.round(replayS * 10) / 10, undefined, "s");
  table.add("replay rate", Math.round(replayed / replayS), undefined, "events/s");

  // 3. The API at 500 requests/s over the stored history.
  const sample = db.$client.prepare("SELECT address, owner FROM devices ORDER BY address LIMIT 50").all() as { address: string; owner: string }[];
  const leaseSample = db.$client.prepare("SELECT address FROM leases ORDER BY created_slot DESC LIMIT 50").pluck().all() as string[];
  // The API runs as its own process (as deployed), serving this database; autocannon drives it from here.
  db.$client.close();
  const server = await serveInChild(path.join(dir, "indexer.sqlite"));
  const paths = [
    "/api/network",
    "/api/devices?limit=50",
    "/api/devices?model=2&limit=50",
    "/api/leases?limit=50",
    "/api/suppliers?limit=50",
    "/api/rewards/hours?limit=100",
    "/api/events?limit=50",
    ...sample.slice(0, 20).map((d) => `/api/devices/${d.address}`),
    ...sample.slice(20, 40).map((d) => `/api/wallets/${d.owner}/activity`),
    ...leaseSample.slice(0, 20).map((l) => `/api/leases/${l}`),
  ];
  let i = 0;
  // Warm-up (JIT, page cache, statement caches), not measured.
  await autocannon({
    url: server.url,
    connections: 10,
    overallRate: 500,
    duration: 3,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  const result = await autocannon({
    url: server.url,
    connections: 10,
    overallRate: 500,
    duration: 15,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  server.kill();
  const non2xx = result.non2xx + result.errors;
  table.add("API requests sent (15 s at 500/s)", result.requests.total, undefined, "");
  table.add("API non-2xx or errors", non2xx, { max: 0 });
  table.add("API p50 latency", result.latency.p50, undefined, "ms");
  table.add("API p99 latency", result.latency.p99, { below: 10 }, "ms");
  raw.close();
}

/** Starts `indexer/src/main.ts` on `dbFile` with no source (serving only); resolves once it listens. */
function serveInChild(dbFile: string): Promise<{ url: string; kill(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "indexer/src/main.ts"], {
      env: { ...process.env, INDEXER_SOURCE: "none", INDEXER_DB: dbFile, INDEXER_PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/[0-9.]+:\d+)/.exec(out);
      if (m) resolve({ url: m[1], kill: () => child.kill() });
    });
    child.on("exit", (code) => reject(new Error(`indexer exited ${code}: ${out}`)));
  });
}

main()
  .then(() => {
    rmSync(dir, { recursive: true, force: true });
    if (!table.report(`indexer (SQLite WAL, ${TOTAL.toLocaleString("en-US")} events)`)) process.exit(1);
  })
  .catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    console.error(e);
    process.exit(1);
  });
