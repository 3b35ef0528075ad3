// Child process of the crash-safety test: ingests a list of transactions into a database file one
// small batch at a time, resuming after its checkpoint, so the parent can kill it (-9) at any point.
// It prints `ready <cursor>` when it starts and `at <cursor>` after each committed batch.
import { readFileSync } from "node:fs";
import { type ChainTx, openDb, Pipeline } from "@hourglass/indexer";

const [dbFile, txFile, batchArg, delayArg] = process.argv.slice(2);
const txs = JSON.parse(readFileSync(txFile, "utf8")) as ChainTx[];
const batch = Number(batchArg);
const delay = Number(delayArg);
const pipeline = new Pipeline(openDb(dbFile));
let next = Number(pipeline.checkpoint("crash-test")?.cursor ?? 0);
process.stdout.write(`ready ${next}\n`);
while (next < txs.length) {
  const end = Math.min(next + batch, txs.length);
  pipeline.ingest("crash-test", txs.slice(next, end), { cursor: String(end), slot: txs[end - 1].slot });
  next = end;
  process.stdout.write(`at ${end}\n`);
  const until = Date.now() + delay;
  while (Date.now() < until); // busy-wait: the kill may land anywhere, including inside ingest
}
process.stdout.write("done\n");
