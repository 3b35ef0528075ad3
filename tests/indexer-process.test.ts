// The indexer as its own process (indexer/src/main.ts) against a JSON-RPC endpoint: configuration from
// the environment, refused with a clear message when wrong; started right, it backfills, tails and
// serves the API.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "@hourglass/indexer";
import { type RpcServer, startRpcServer } from "@hourglass/localchain";
import { expect } from "chai";
import { NetworkHistory } from "./support/network-history.ts";
import { ROOT } from "./support/world.ts";

function runIndexer(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "indexer/src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe("indexer process (indexer/src/main.ts)", function () {
  this.timeout(120_000);

  it("refuses a bad configuration with a message naming the variable", async () => {
    expect(() => loadConfig({ INDEXER_SOURCE: "rpc" })).to.throw(ConfigError, /RPC_URL is required/);
    expect(() => loadConfig({ RPC_URL: "http://127.0.0.1:8899", INDEXER_PORT: "http" })).to.throw(ConfigError, /INDEXER_PORT/);
    expect(() => loadConfig({ INDEXER_SOURCE: "helius", HELIUS_API_KEY: "k" })).to.throw(ConfigError, /HELIUS_WEBHOOK_AUTH/);
    expect(() => loadConfig({ INDEXER_SOURCE: "carrier-pigeon" })).to.throw(ConfigError, /INDEXER_SOURCE/);
    // An empty value is a mistake, not 0 (a random port, tokens without decimals).
    expect(() => loadConfig({ RPC_URL: "http://127.0.0.1:8899", INDEXER_PORT: "" })).to.throw(ConfigError, /INDEXER_PORT must be a whole number/);
    expect(() => loadConfig({ RPC_URL: "http://127.0.0.1:8899", TOKEN_DECIMALS: " " })).to.throw(ConfigError, /TOKEN_DECIMALS must be a whole number/);
    expect(loadConfig({ RPC_URL: "http://127.0.0.1:8899", INDEXER_PORT: "9000" }).INDEXER_PORT).to.equal(9000);
    expect(loadConfig({ ANCHOR_PROVIDER_URL: "http://127.0.0.1:8899" }).rpcUrl).to.equal("http://127.0.0.1:8899");
    const p = runIndexer({ INDEXER_SOURCE: "rpc", RPC_URL: "not a url" });
    expect(await p.exited).to.equal(1);
    expect(p.output()).to.match(/invalid indexer configuration: RPC_URL/);
  });

  it("backfills and tails a JSON-RPC endpoint and serves the API", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hourglass-process-"));
    let rpcStarted!: Promise<RpcServer>;
    const h = await NetworkHistory.create("litesvm", (engine) => {
      rpcStarted = startRpcServer(engine);
    });
    const first = await h.run();
    const rpc = await rpcStarted;
    const p = runIndexer({ INDEXER_SOURCE: "rpc", RPC_URL: rpc.url, RPC_POLL_MS: "200", INDEXER_DB: path.join(dir, "indexer.sqlite"), INDEXER_PORT: "0" });
    try {
      const deadline = Date.now() + 30_000;
      while (!/serving (http:\/\/\S+) /.test(p.output())) {
        if (Date.now() > deadline) throw new Error(`indexer did not start: ${p.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /serving (http:\/\/\S+) /.exec(p.output())![1];
      const leases = async () => ((await (await fetch(`${url}/api/leases`)).json()) as { items: { status: string }[] }).items;
      expect((await leases()).map((l) => l.status).sort()).to.deep.equal(["settled", "terminated"]);
      // New chain activity shows up through the tail.
      await h.runMore(first);
      // Until every lease reached its final state (three leases may exist before the close is ingested).
      const want = ["closed", "settled", "terminated"];
      let statuses: string[] = [];
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
        statuses = (await leases()).map((l) => l.status).sort();
        if (statuses.join() === want.join()) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(statuses).to.deep.equal(want);
    } finally {
      p.child.kill("SIGTERM");
      await p.exited;
      await rpc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
