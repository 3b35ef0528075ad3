// The one benchmark report: runs every benchmark (each prints its rows as JSON with --json) and prints
// a single table of every figure with its goal; exits 1 if any goal is missed or a benchmark fails.
// `--only NAME[,NAME]` runs a subset (names as in BENCHES).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Row } from "./table.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NODE = ["--no-allocation-site-pretenuring", "--max-old-space-size=4096", "--import", "tsx"];
const BENCHES: { name: string; file: string }[] = [
  { name: "staking", file: "bench/staking-cu.ts" },
  { name: "leases", file: "bench/leases-cu.ts" },
  { name: "rewards", file: "bench/rewards-cu.ts" },
  { name: "placement", file: "bench/placement.ts" },
  { name: "orchestrator", file: "bench/orchestrator.ts" },
  { name: "indexer", file: "bench/indexer.ts" },
  { name: "agents", file: "bench/agents.ts" },
];

function run(file: string): Promise<{ rows: Row[] | null; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE, file, "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      const at = out.search(/^\[/m);
      let rows: Row[] | null = null;
      try {
        rows = at >= 0 ? (JSON.parse(out.slice(at)) as Row[]) : null;
      } catch {
        rows = null;
      }
      resolve({ rows, code, stderr: err.trim().split("\n").slice(-5).join("\n") });
    });
  });
}

async function main() {
  const i = process.argv.indexOf("--only");
  const only = i >= 0 ? new Set(process.argv[i + 1].split(",")) : null;
  const all: (Row & { bench: string })[] = [];
  const failures: string[] = [];
  for (const b of BENCHES) {
    if (only && !only.has(b.name)) continue;
    process.stderr.write(`running ${b.file} ...\n`);
    const r = await run(b.file);
    if (!r.rows) failures.push(`${b.name}: no result (exit ${r.code}) ${r.stderr}`);
    for (const row of r.rows ?? []) all.push({ ...row, bench: b.name });
  }
  const w = Math.max(...all.map((r) => r.metric.length), 6);
  const value = (r: Row) => `${r.value.toLocaleString("en-US")}${r.unit ? ` ${r.unit}` : ""}`;
  const v = Math.max(...all.map((r) => value(r).length), 8);
  const g = Math.max(...all.map((r) => r.goal.length), 6);
  console.log(`${"bench".padEnd(12)} ${"metric".padEnd(w)} ${"value".padStart(v)} ${"goal".padStart(g)}  result`);
  for (const r of all)
    console.log(`${r.bench.padEnd(12)} ${r.metric.padEnd(w)} ${value(r).padStart(v)} ${r.goal.padStart(g)}  ${r.ok === null ? "" : r.ok ? "ok" : "MISSED"}`);
  const missed = all.filter((r) => r.ok === false);
  for (const f of failures) console.log(`FAILED ${f}`);
  console.log(`${all.filter((r) => r.ok).length} goals met, ${missed.length} missed${failures.length ? `, ${failures.length} benchmarks failed` : ""}`);
  if (missed.length > 0 || failures.length > 0) process.exit(1);
}

main();
