// The device agent's supervised Ray node (RayNode) against real Ray: a head and a worker on their own
// port blocks form one cluster and run a job on the right device's node; a second cluster on the same
// host stays separate; a killed `ray start` is restarted; a SIGKILLed agent takes its node down; stop()
// leaves nothing behind. Prints the measured start times and RSS.
// Port blocks 31000..31499 (this machine's other Ray users take other ports); never `ray stop`.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { processTree, RayNode, type RayNodeSpec } from "@hourglass/agent";
import { RayJobsClient } from "@hourglass/orchestrator";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { ROOT } from "./support/world.ts";

const device = () => Keypair.generate().publicKey.toBase58();

interface StateNode {
  node_id: string;
  state: string;
  resources_total: Record<string, number>;
}

async function nodes(dashboard: string): Promise<StateNode[]> {
  const res = await fetch(`${dashboard}/api/v0/nodes?detail=1`);
  return ((await res.json()) as { data: { result: { result: StateNode[] } } }).data.result.result;
}

/** Listening TCP sockets: port and owning pids, from `ss -ltnpH`. */
function listening(): { port: number; pids: number[] }[] {
  return execFileSync("ss", ["-ltnpH"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const local = line.trim().split(/\s+/)[3];
      return { port: Number(local.slice(local.lastIndexOf(":") + 1)), pids: [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])) };
    });
}

/** Processes that belong to a node: in its process group (the guard's pid), or naming its temp dir. */
function leftovers(pgid: number, dir: string): string[] {
  const found: string[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
      if (pgrp === pgid || cmd.includes(dir)) found.push(`${name} ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function portsInUse(base: number): number[] {
  return listening()
    .map((l) => l.port)
    .filter((p) => p >= base && p < base + 100);
}

async function until(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - t0;
}

/** Runs ray_where.py through a head's Jobs API: the node each device's task ran on, and the live node count. */
async function where(head: RayNode, id: string, devices: string[]): Promise<{ ran: Map<string, string>; alive: number }> {
  const jobs = new RayJobsClient(head.dashboardUrl!);
  const python = path.join(head.spec.venv ?? process.env.RAY_VENV!, "bin/python");
  await jobs.submit({ entrypoint: `${python} ${path.join(ROOT, "tests/support/ray_where.py")} ${devices.join(" ")}`, submission_id: id });
  const job = await jobs.waitFor(id, undefined, 120_000);
  const logs = await jobs.logs(id);
  expect(job.status, logs).to.equal("SUCCEEDED");
  const ran = new Map([...logs.matchAll(/^ran (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  return { ran, alive: Number(/^alive (\d+)$/m.exec(logs)?.[1]) };
}

async function timedStart(node: RayNode): Promise<number> {
  const t0 = Date.now();
  await node.start();
  return Date.now() - t0;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** RSS (memoryBytes) and, since the dashboard's forked modules share pages, PSS of a node's processes. */
async function memory(node: RayNode): Promise<string> {
  let pss = 0;
  for (const pid of [node.pid!, ...processTree(node.pid!)]) {
    try {
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return `RSS ${mib(await node.memoryBytes())} (PSS ${mib(pss)})`;
}

describe("RayNode (real Ray: supervised head and worker nodes)", function () {
  this.timeout(600_000);
  const log = (m: string) => console.log(`      [ray-node] ${m}`);
  const devA = device();
  const devW = device();
  const head = new RayNode({ role: "head", device: devA, gpus: 8, portBase: 31000 }, { log });
  const worker = new RayNode({ role: "worker", device: devW, gpus: 8, portBase: 31100, head: "127.0.0.1:31000" }, { log, restartDelayMs: 500 });
  const children: ChildProcess[] = [];

  before(async () => {
    log(`head start -> up: ${await timedStart(head)} ms`);
    log(`worker start -> joined: ${await timedStart(worker)} ms`);
  });

  after(async () => {
    for (const c of children) c.kill("SIGKILL");
    await Promise.all([worker.stop(), head.stop()]);
  });

  it("forms one cluster of a head and a worker, and runs a device's tasks on that device's node", async () => {
    expect(head.nodeId).to.match(/^[0-9a-f]{56}$/);
    expect(worker.nodeId).to.match(/^[0-9a-f]{56}$/);
    expect(head.nodeId).to.not.equal(worker.nodeId);
    expect(head.running && worker.running).to.equal(true);
    expect(head.gcsAddress).to.equal("127.0.0.1:31000");
    expect(head.dashboardUrl).to.equal("http://127.0.0.1:31001");
    expect(worker.dashboardUrl).to.equal(null);

    const listed = await nodes(head.dashboardUrl!);
    for (const [node, dev] of [
      [head, devA],
      [worker, devW],
    ] as const) {
      const n = listed.find((x) => x.node_id === node.nodeId);
      expect(n?.state).to.equal("ALIVE");
      expect(n?.resources_total[`hourglass-device:${dev}`]).to.equal(8);
      expect(n?.resources_total.GPU).to.equal(8);
      expect(n?.resources_total.CPU).to.equal(1);
    }

    const { ran, alive } = await where(head, "where-a", [devW, devA]);
    expect(ran.get(devW)).to.equal(worker.nodeId);
    expect(ran.get(devA)).to.equal(head.nodeId);
    expect(alive).to.equal(2);
    log(`head: ${await memory(head)}; worker: ${await memory(worker)}`);
  });

  it("keeps a second cluster on the same host separate, every node's ports inside its block; stop() frees a head", async () => {
    const devB = device();
    const other = new RayNode({ role: "head", device: devB, gpus: 4, portBase: 31200 }, { log });
    log(`second head start -> up: ${await timedStart(other)} ms`);
    try {
      const listed = await nodes(other.dashboardUrl!);
      expect(listed.filter((n) => n.state === "ALIVE").map((n) => n.node_id)).to.deep.equal([other.nodeId]);
      const { ran, alive } = await where(other, "where-b", [devB]);
      expect(ran.get(devB)).to.equal(other.nodeId);
      expect(alive).to.equal(1);
      const jobsB = (await new RayJobsClient(other.dashboardUrl!).list()).map((j) => j.submission_id);
      const jobsA = (await new RayJobsClient(head.dashboardUrl!).list()).map((j) => j.submission_id);
      expect(jobsB).to.deep.equal(["where-b"]);
      expect(jobsA).to.include("where-a").and.not.include("where-b");

      // Every socket a node's processes listen on lies in that node's block (jobs ran, so drivers and workers too).
      const sockets = listening();
      for (const node of [head, worker, other]) {
        const pids = new Set([node.pid!, ...processTree(node.pid!)]);
        const ports = sockets.filter((s) => s.pids.some((p) => pids.has(p))).map((s) => s.port);
        expect(ports.length).to.be.greaterThan(3);
        for (const port of ports) expect(port - node.spec.portBase, `port ${port} of the node on ${node.spec.portBase}`).to.be.within(0, 99);
      }
      log(`second head: ${await memory(other)}`);
    } finally {
      const t0 = Date.now();
      await other.stop();
      log(`second head stop: ${Date.now() - t0} ms`);
    }
    expect(leftovers(other.pid ?? -1, other.dir)).to.deep.equal([]);
    expect(portsInUse(31200)).to.deep.equal([]);
    expect(fs.existsSync(other.dir)).to.equal(false);
    expect(other.running).to.equal(false);
    await other.stop(); // idempotent
  });

  it("restarts a worker whose `ray start` was killed (-9), and it rejoins under a new node id", async () => {
    const before = worker.nodeId!;
    const rayStart = processTree(worker.pid!).find((p) => {
      const argv = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
      return argv[1]?.endsWith("/bin/ray") && argv[2] === "start";
    });
    expect(rayStart).to.be.a("number");
    const t0 = Date.now();
    process.kill(rayStart!, "SIGKILL");
    await until("worker restarted", 120_000, () => worker.restarts === 1 && worker.running);
    log(`worker kill -9 -> rejoined: ${Date.now() - t0} ms (restartDelayMs 500)`);
    expect(worker.nodeId).to.not.equal(before);
    const listed = await nodes(head.dashboardUrl!);
    expect(listed.find((n) => n.node_id === worker.nodeId)?.state).to.equal("ALIVE");
    const { ran } = await where(head, "where-after-restart", [devW]);
    expect(ran.get(devW)).to.equal(worker.nodeId);
  });

  for (const role of ["worker", "head"] as const) {
    it(`takes a ${role} node down with its agent when the agent is SIGKILLed`, async () => {
      const spec: RayNodeSpec =
        role === "worker" ? { role, device: device(), gpus: 2, portBase: 31300, head: head.gcsAddress } : { role, device: device(), gpus: 2, portBase: 31400 };
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests/support/ray-node-child.ts"), JSON.stringify(spec)], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
      });
      await until(`the child's ${role} up`, 120_000, () => out.includes("\n"));
      const up = JSON.parse(/^up (.*)$/m.exec(out)![1]) as { nodeId: string; pid: number; dir: string };
      expect(leftovers(up.pid, up.dir).length).to.be.greaterThan(5);
      expect(portsInUse(spec.portBase).length).to.be.greaterThan(3);

      child.kill("SIGKILL");
      const gone = await until(`the ${role}'s processes gone`, 10_000, () => leftovers(up.pid, up.dir).length === 0);
      log(`agent SIGKILL -> ${role} node's processes gone: ${gone} ms`);
      expect(portsInUse(spec.portBase)).to.deep.equal([]);
      expect(fs.existsSync(up.dir)).to.equal(false);
      if (role === "worker") {
        // The head sees the node leave (a drained node is DEAD at once; a lost one after the health checks).
        const dead = await until("the head marks the node dead", 60_000, async () =>
          (await nodes(head.dashboardUrl!)).some((n) => n.node_id === up.nodeId && n.state === "DEAD"),
        );
        log(`head marks the agent-less worker DEAD after ${gone + dead} ms`);
      }
    });
  }

  it("fails start() with a clear error, leaving nothing behind, when a worker cannot join", async () => {
    const lost = new RayNode({ role: "worker", device: device(), gpus: 1, portBase: 31500, head: "127.0.0.1:31590" }, { startTimeoutMs: 8000 });
    const t0 = Date.now();
    const starting = lost.start();
    const pgid = lost.pid!; // spawned synchronously
    const err = await starting.then(
      () => null,
      (e: Error) => e,
    );
    log(`unreachable head: start() failed after ${Date.now() - t0} ms: ${err?.message.split("\n")[0]}`);
    expect(err?.message).to.match(/Ray worker for \w+ \(ports 31500\.\.31599\) (not up after 8000 ms|exited)/);
    expect(leftovers(pgid, lost.dir)).to.deep.equal([]);
    expect(portsInUse(31500)).to.deep.equal([]);
    expect(fs.existsSync(lost.dir)).to.equal(false);
    await lost.start().then(
      () => expect.fail("a stopped node does not start again"),
      (e: Error) => expect(e.message).to.equal("this Ray node was stopped"),
    );
  });

  it("stop() ends supervision and leaves no process, port or temp dir behind", async () => {
    const nodesOf = [worker, head].map((n) => ({ pid: n.pid!, dir: n.dir, base: n.spec.portBase }));
    const t0 = Date.now();
    await Promise.all([worker.stop(), head.stop()]);
    log(`worker + head stop: ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 1500)); // past restartDelayMs: no restart happens
    for (const n of nodesOf) {
      expect(leftovers(n.pid, n.dir)).to.deep.equal([]);
      expect(portsInUse(n.base)).to.deep.equal([]);
      expect(fs.existsSync(n.dir)).to.equal(false);
    }
    expect(worker.running || head.running).to.equal(false);
    expect(worker.restarts).to.equal(1);
    await worker.stop();
  });
});
