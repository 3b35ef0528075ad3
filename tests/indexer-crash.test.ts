// Crash safety: an ingesting process is killed with SIGKILL at random points (at least ten times) and
// restarted; the finished database's views and event log equal an uninterrupted run's.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ChainTx, openDb, Pipeline, type SvmSink, SvmSource, viewsDigest } from "@hourglass/indexer";
import { expect } from "chai";
import { NetworkHistory } from "./support/network-history.ts";
import { rng } from "./support/random.ts";

const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), "support/ingest-child.ts");

interface KillPlan {
  /** Given the cursor the child resumed from, the cursor after which to kill it (null: let it finish). */
  target(resumedAt: number): number | null;
  /** Milliseconds between seeing the target cursor committed and the kill. */
  lag: number;
}

function runChild(dbFile: string, txFile: string, plan: KillPlan | null): Promise<{ killed: boolean; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dbFile, txFile, "1", "4"], { stdio: ["ignore", "pipe", "pipe"] });
    let pending = "";
    let finished = false;
    let target: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [word, arg] = line.split(" ");
        if (word === "done") finished = true;
        else if (word === "ready" && plan) target = plan.target(Number(arg));
        else if (word === "at" && target !== null && timer === undefined && Number(arg) >= target) timer = setTimeout(() => child.kill("SIGKILL"), plan!.lag);
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve({ killed: true, finished });
      else if (code === 0) resolve({ killed: false, finished });
      else reject(new Error(`ingest child exited ${code}: ${err}`));
    });
  });
}

describe("indexer: crash safety", function () {
  this.timeout(300_000);

  it("kill -9 during ingestion at random points, restart: the views equal an uninterrupted run's", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hourglass-crash-"));
    try {
      // The chain's transactions, as the in-process source hands them over.
      const captured: ChainTx[] = [];
      const sink: SvmSink = { ingest: (_s, txs) => captured.push(...txs), checkpoint: () => undefined };
      let source!: SvmSource;
      const h = await NetworkHistory.create("litesvm", (engine) => {
        source = new SvmSource(engine, sink, 0);
        source.start();
      });
      await h.run();
      source.stop();
      // Delivered in shuffled windows and then again whole (duplicates), so replays happen mid-crash too.
      const windows = [];
      for (let i = 0; i < captured.length; i += 12) windows.push(captured.slice(i, i + 12).reverse());
      const list = [...windows.flat(), ...captured];
      const txFile = path.join(dir, "txs.json");
      writeFileSync(txFile, JSON.stringify(list));

      const reference = openDb(path.join(dir, "reference.sqlite"));
      new Pipeline(reference).ingest("crash-test", list);
      const expected = viewsDigest(reference.$client);
      const expectedEvents = reference.$client.prepare("SELECT count(*) FROM events").pluck().get();
      reference.$client.close();

      const dbFile = path.join(dir, "crashed.sqlite");
      // Twelve kills, each aimed at a random point ahead of where the child resumed, spread so that the
      // last one still lands before the end (machine speed changes where inside a batch it lands, not
      // whether it lands mid-ingestion); the kill follows the batch's commit by 0-4 ms, so it hits the
      // child inside the next ingest or between batches.
      const KILLS = 12;
      let kills = 0;
      const r = rng(17);
      for (let attempt = 0; attempt < 3 * KILLS && kills < KILLS; attempt++) {
        const left = KILLS - kills;
        const result = await runChild(dbFile, txFile, {
          target: (resumedAt) => {
            const span = Math.floor((list.length - resumedAt) / (left + 1));
            return span < 2 ? null : resumedAt + 1 + r.int(span);
          },
          lag: r.int(5),
        });
        if (result.killed && !result.finished) kills++;
        if (result.finished) break;
      }
      expect(kills, "kills that landed mid-ingestion").to.equal(KILLS);
      const last = await runChild(dbFile, txFile, null);
      expect(last.finished).to.equal(true);
      const db = openDb(dbFile);
      expect(viewsDigest(db.$client)).to.deep.equal(expected);
      expect(db.$client.prepare("SELECT count(*) FROM events").pluck().get()).to.equal(expectedEvents);
      db.$client.close();
      console.log(`      ${kills} kills over ${list.length} deliveries; views ${JSON.stringify(expected.rows)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
