// The indexer API fuzzed from its own OpenAPI document by Schemathesis (from the project's virtualenv)
// over an indexed history: every generated request, valid or not, must get an answer that is not a
// server error and that matches the documented response schema.

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { HeliusSource, type IndexerServer, startServer } from "@hourglass/indexer";
import { expect } from "chai";
import { type IndexedHistory, indexedHistory } from "./support/indexed-history.ts";

/** Schemathesis's CLI in the virtualenv setup.sh makes ($SCHEMATHESIS_VENV from scripts/env.sh). */
const ST = path.join(process.env.SCHEMATHESIS_VENV ?? path.join(os.homedir(), ".cache/hourglass/venv-schemathesis-4.32.5"), "bin/st");

describe("indexer API fuzzed from its OpenAPI document (Schemathesis)", function () {
  this.timeout(600_000);
  let x: IndexedHistory;
  let server: IndexerServer;

  before(async () => {
    if (!existsSync(ST)) throw new Error(`schemathesis is not installed at ${ST} (scripts/setup.sh installs it)`);
    x = await indexedHistory();
    server = await startServer({ db: x.db, pipeline: x.pipeline, webhook: new HeliusSource(x.pipeline, { webhookAuth: "Bearer fuzz-secret-0123456789" }) });
  });

  after(async () => {
    await server?.close();
    x?.close();
  });

  it("no request gets a 5xx or an undocumented response", async () => {
    let out = "";
    let code = 0;
    // Schemathesis keeps a cache in its working directory: a scratch one, not the checkout.
    const cwd = mkdtempSync(path.join(os.tmpdir(), "hourglass-schemathesis-"));
    try {
      const r = await promisify(execFile)(
        ST,
        [
          "run",
          `${server.url}/openapi.json`,
          "--checks",
          "not_a_server_error,response_schema_conformance",
          "--max-examples",
          "60",
          "--exclude-path",
          "/api/events/stream",
          "--seed",
          "7",
          "--workers",
          "2",
          "--no-color",
        ],
        { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: "" } },
      );
      out = r.stdout;
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      code = err.code ?? 1;
      out = `${err.stdout ?? ""}\n${err.stderr ?? ""}`;
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    expect(code, out.slice(-6000)).to.equal(0);
    const summary = /(\d+) passed/.exec(out);
    expect(summary, out.slice(-2000)).to.not.equal(null);
    console.log(
      `      ${out
        .trim()
        .split("\n")
        .filter((l) => /passed|generated|cases/i.test(l))
        .slice(-3)
        .join(" | ")}`,
    );
  });
});
