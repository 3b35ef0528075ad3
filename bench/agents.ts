// Agents as processes, end to end on this machine: the programs in LiteSVM behind its JSON-RPC
// endpoint, the orchestrator service over it, one `hourglass agent run` process per machine, each
// lease its own Ray cluster on its leased machines (tests/support/agent-network.ts).
//  - a small lease (8 GPUs, one machine) opened -> its head up on its machine -> Ray job RUNNING,
//    median of 3 (goal < 10 s), and the 2-machine (16 GPU) lease's opened -> RUNNING (no goal);
//  - heartbeat loss -> fault on chain: kill -9 of a worker's agent, the chain clock past the grace,
//    wall time from the kill to its DeviceFaulted event (goal: the alive window + 2 ticks + 1 s);
//  - memory: 8 agents, 2 concurrent 16-GPU leases (2 heads, 2 workers, 4 idle agents): RSS per agent,
//    RSS and PSS per head and per worker node, MemAvailable before and during.
// Ports 37000-37999. Timings on a 2-core machine are skewed by anything else running Ray.
// Run: node --no-allocation-site-pretenuring --import tsx bench/agents.ts
import fs from "node:fs";
import { type ChainEvent, engineChain, RayJobsClient } from "@hourglass/orchestrator";
import { AgentNetwork, ALIVE_SECONDS, eventually, HEARTBEAT_MS, TICK_MS } from "../tests/support/agent-network.ts";
import { HOUR, type OpenLease, type Renter, TOKENS } from "../tests/support/lease-world.ts";
import { H100 } from "../tests/support/world.ts";
import { GoalTable } from "./table.ts";

const GRACE = 2 * HOUR;
const PRICE = 3n * TOKENS;
const SMALL_RUNS = 3;
const GOALS = {
  smallToRunningMs: 10_000,
  faultMs: ALIVE_SECONDS * 1000 + 2 * TICK_MS + 1000,
  totalMemMiB: 12 * 1024,
};
const MiB = 1024 * 1024;

const table = new GoalTable();
const progress = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** When the agent logged `what` (its log lines start with an ISO time), in ms since the epoch. */
function loggedAt(output: string, what: string): number | null {
  const line = output.split("\n").find((l) => l.includes(what));
  const t = line && Date.parse(line.split(" ")[0]);
  return t && Number.isFinite(t) ? t : null;
}

/** The `ray <role> <id> up in N ms` a RayNode logs for the node it started last. */
function nodeStartMs(output: string, role: "head" | "worker" = "head"): number | null {
  const m = [...output.matchAll(new RegExp(`ray ${role} \\w+ up in (\\d+) ms`, "g"))].pop();
  return m ? Number(m[1]) : null;
}

interface Opened {
  open: OpenLease;
  id: string;
  /** Wall time from just before create_lease to the orchestrator's jobStatus RUNNING. */
  ms: number;
  /** The orchestrator's own figure (from the LeaseCreated event it drained). */
  fromEventMs: number;
  phases: { placeMs: number; assignMs: number; submitToRunningMs: number };
  /** Per phase, from the agents' logs: opened -> the head's agent starts the node; head start; head up -> RUNNING. */
  toHeadStartMs: number | null;
  headMs: number | null;
  headUpToRunningMs: number | null;
  /** Head up -> Ray's record of the job's submission (heartbeat, orchestrator pass, cluster check); submission -> RUNNING. */
  upToSubmitMs: number | null;
  submitToRunningMs: number | null;
}

/** Opens a lease and waits until the orchestrator reports its job RUNNING. */
async function openToRunning(net: AgentNetwork, renter: Renter, gpus: number, hours: number): Promise<Opened> {
  const orch = () => net.service.orchestrator;
  const wall0 = Date.now();
  const t0 = performance.now();
  const open = await net.lw.open(renter, { gpus, hours, price: PRICE, gpuModel: H100.code, maxDevices: gpus / 8 });
  const id = open.lease.publicKey.toBase58();
  await eventually(`lease ${id}'s job RUNNING`, () => orch().cluster(id)?.jobStatus === "RUNNING", 180_000, 10);
  const ms = performance.now() - t0;
  const wall1 = wall0 + ms;
  const c = orch().cluster(id)!;
  const head = net.agents.find((a) => a.device.address.toBase58() === c.devices.find((d) => d.role === "head")!.device)!;
  const started = loggedAt(head.output, `lease ${id}: starting its Ray head`);
  const up = loggedAt(head.output, `lease ${id}: Ray head up`);
  // Ray's own record of when the job was submitted (ms since the epoch).
  const submitted = (await new RayJobsClient(c.dashboard!).get(id)).start_time;
  return {
    open,
    id,
    ms,
    fromEventMs: orch().timeToRunning.get(id) ?? Number.NaN,
    phases: orch().phases.get(id)!,
    toHeadStartMs: started && started - wall0,
    headMs: nodeStartMs(head.output),
    headUpToRunningMs: up && wall1 - up,
    upToSubmitMs: up && submitted && submitted - up,
    submitToRunningMs: submitted && wall1 - submitted,
  };
}

/** Terminates the lease, lets its grace pass, and waits until it settled and its machines are free and run no node. */
async function end(net: AgentNetwork, o: OpenLease): Promise<void> {
  await net.lw.terminate(o);
  await net.lw.engine.warp(GRACE + 1);
  await eventually("the lease settled", () => net.service.orchestrator.isSettled(o.lease.publicKey), 60_000);
  await eventually("every agent's node stopped", () => net.agents.every((a) => a.descendants().length === 0), 60_000).catch((e) => {
    for (const a of net.agents) {
      for (const pid of a.descendants()) {
        try {
          progress(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 160)}`);
        } catch {
          // gone meanwhile
        }
      }
      progress(a.output.slice(-2000));
    }
    throw e;
  });
  await eventually("every machine free again", () => net.service.orchestrator.index.freeGpus(H100.code) === 8 * net.agents.length, 30_000);
}

async function leaseTimes(): Promise<void> {
  const net = await AgentNetwork.create({ machines: 2, grace: GRACE, portBase: 37_000, holdSeconds: 600 });
  try {
    const renter = await net.lw.newRenter();
    const small: Opened[] = [];
    for (let i = 0; i < SMALL_RUNS; i++) {
      const r = await openToRunning(net, renter, 8, 1);
      progress(
        `small lease ${i + 1}: ${Math.round(r.ms)} ms (from the event ${Math.round(r.fromEventMs)} ms; to head start ${r.toHeadStartMs} ms, head ${r.headMs} ms, head up -> RUNNING ${Math.round(r.headUpToRunningMs ?? Number.NaN)} ms)`,
      );
      small.push(r);
      await end(net, r.open);
    }
    const mid = small.map((r) => r.ms);
    const med = (f: (r: Opened) => number | null) => median(small.map((r) => f(r) ?? Number.NaN));
    const row = (metric: string, v: number, below?: number) => table.add(metric, Math.round(v), below === undefined ? undefined : { below }, "ms");
    row(
      `small lease (8 GPUs, 1 machine) opened -> head up on its machine -> Ray job RUNNING, median of ${SMALL_RUNS} (runs: ${mid.map(Math.round).join(", ")} ms)`,
      median(mid),
      GOALS.smallToRunningMs,
    );
    // The breakdown, each a median over the runs.
    const parts: [string, (r: Opened) => number | null][] = [
      ["  the orchestrator's own figure: from the LeaseCreated event it drained -> RUNNING", (r) => r.fromEventMs],
      [
        `  of which: opened -> the head's agent starts its Ray head (event, tick, assign_device, its next ${HEARTBEAT_MS} ms heartbeat)`,
        (r) => r.toHeadStartMs,
      ],
      ["  of which: Ray head start (ray start -> node ALIVE and Jobs API answering)", (r) => r.headMs],
      ["  of which: head up -> RUNNING (heartbeat, orchestrator pass, cluster check, submit, job supervisor and driver start)", (r) => r.headUpToRunningMs],
      ["    head up -> job submitted (Ray's start_time; the heartbeat, an orchestrator pass, its cluster check)", (r) => r.upToSubmitMs],
      ["    job submitted -> RUNNING (Ray starts the job's supervisor actor, then the driver)", (r) => r.submitToRunningMs],
      ["  of which: assign_device landed -> RUNNING (the orchestrator's phases)", (r) => r.phases.submitToRunningMs],
    ];
    for (const [metric, f] of parts) row(`${metric}, median`, med(f));

    const big = await openToRunning(net, renter, 16, 3);
    progress(`16-GPU lease: ${Math.round(big.ms)} ms`);
    row("16-GPU lease (2 machines: head + worker) opened -> Ray job RUNNING", big.ms);
    const worker = net.agents.find(
      (a) => a.device.address.toBase58() === net.service.orchestrator.cluster(big.id)!.devices.find((d) => d.role === "worker")!.device,
    )!;
    row("  of which: Ray head start", big.headMs ?? Number.NaN);
    row(
      "  of which: Ray worker start (after the head is up: ray start -> node ALIVE in the head's node list)",
      nodeStartMs(worker.output, "worker") ?? Number.NaN,
    );
    await fault(net, big);
  } finally {
    await net.close();
  }
}

/** Kill -9 of the running 16-GPU lease's worker agent; the chain clock past its grace; kill -> DeviceFaulted. */
async function fault(net: AgentNetwork, big: Opened): Promise<void> {
  const orch = () => net.service.orchestrator;
  const { open, id } = big;
  await net.lw.engine.warp(HOUR);
  await eventually("hour 0 proven on both machines", async () => (await net.lw.state(open)).slots.every((s) => s.provenHours === 1), 60_000);
  const c = orch().cluster(id)!;
  const worker = c.devices.find((d) => d.role === "worker")!.device;
  const head = c.devices.find((d) => d.role === "head")!.device;
  let faultedAt: number | null = null;
  let faults = 0;
  const unsubscribe = engineChain(net.lw.engine).subscribe((events: ChainEvent[]) => {
    for (const e of events) {
      if (e.name !== "DeviceFaulted") continue;
      faults++;
      if (e.data.device.toBase58() === worker) faultedAt ??= performance.now();
    }
  });
  let silentAt: number | null = null;
  const agent = net.agents.find((a) => a.device.address.toBase58() === worker)!;
  const t0 = performance.now();
  const watch = setInterval(() => {
    if (silentAt === null && !net.service.registry.alive(worker)) silentAt = performance.now();
  }, 10);
  try {
    await agent.kill9();
    // The killed machine's hour 1 ends unproven; the healthy head proves its hour 1 ...
    await net.lw.engine.warp(HOUR);
    await eventually(
      "the head's hour 1 proven",
      async () => (await net.lw.state(open)).slots.find((s) => s.device.toBase58() === head)!.provenHours >= 2,
      30_000,
      10,
    );
    const proven = performance.now();
    // ... and the chain clock goes past the worker's grace for it.
    await net.lw.engine.warp(GRACE + 1);
    const warped = performance.now();
    await eventually("the worker's DeviceFaulted event", () => faultedAt !== null, 30_000, 10);
    await eventually("the orchestrator to mark it not alive", () => silentAt !== null, 30_000, 10);
    const row = (metric: string, v: number, max?: number) => table.add(metric, Math.round(v), max === undefined ? undefined : { max }, "ms");
    row(
      `heartbeat loss -> fault on chain: kill -9 of a worker's agent -> its DeviceFaulted event, the chain clock warped past the grace (goal: alive window ${ALIVE_SECONDS * 1000} + 2 ticks of ${TICK_MS} + 1000 ms event latency)`,
      faultedAt! - t0,
      GOALS.faultMs,
    );
    row("  of which: kill -> the healthy head's hour 1 proven (heartbeat asks, agent signs, next tick proves)", proven - t0);
    row("  of which: clock past the grace -> DeviceFaulted (the next tick's report_fault)", faultedAt! - warped);
    row(`kill -9 -> the orchestrator marks the agent not alive (alive window ${ALIVE_SECONDS} s after its last heartbeat)`, silentAt! - t0);
    const { slots } = await net.lw.state(open);
    const hd = slots.find((s) => s.device.toBase58() === head)!;
    if (faults !== 1 || hd.provenHours < 2)
      throw new Error(`${faults} devices faulted, the head proved ${hd.provenHours} hours (expected 1 fault, the head's hours proven)`);
  } finally {
    clearInterval(watch);
    unsubscribe();
  }
}

// --- memory ---

function kb(pid: number, file: string, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/${file}`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function meminfo(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync("/proc/meminfo", "utf8"));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** RSS and PSS (where smaps_rollup is readable) summed over `pids`. */
function treeMemory(pids: number[]): { rss: number; pss: number; pssKnown: number; count: number } {
  let rss = 0;
  let pss = 0;
  let pssKnown = 0;
  for (const pid of pids) {
    rss += kb(pid, "status", "VmRSS") ?? 0;
    const p = kb(pid, "smaps_rollup", "Pss");
    if (p !== null) {
      pss += p;
      pssKnown++;
    }
  }
  return { rss, pss, pssKnown, count: pids.length };
}

async function memory(): Promise<void> {
  const before = meminfo("MemAvailable");
  const net = await AgentNetwork.create({ machines: 8, grace: GRACE, portBase: 37_200, holdSeconds: 600 });
  try {
    const idleAvailable = meminfo("MemAvailable");
    const renter = await net.lw.newRenter();
    const orch = () => net.service.orchestrator;
    const leases = [
      await net.lw.open(renter, { gpus: 16, hours: 2, price: PRICE, gpuModel: H100.code, maxDevices: 2 }),
      await net.lw.open(renter, { gpus: 16, hours: 2, price: PRICE, gpuModel: H100.code, maxDevices: 2 }),
    ];
    const ids = leases.map((o) => o.lease.publicKey.toBase58());
    const ran = (id: string) => ["RUNNING", "SUCCEEDED"].includes(orch().cluster(id)?.jobStatus ?? "");
    let ok = 0;
    try {
      await eventually("both leases' jobs running", () => ids.every(ran), 240_000, 250);
      // The tasks ran (one per GPU on each node); the drivers hold on.
      for (const id of ids) {
        const ray = new RayJobsClient(orch().cluster(id)!.dashboard!);
        await eventually(`lease ${id}'s tasks done`, async () => (await ray.logs(id)).includes("hourglass batch job nodes: "), 60_000, 500);
      }
      ok = 1;
    } finally {
      table.add("8 agents + 2 concurrent 16-GPU leases ran (both jobs RUNNING or SUCCEEDED, tasks done)", ok, { min: 1 });
    }
    const during = meminfo("MemAvailable");
    const role = new Map<string, "head" | "worker">();
    for (const id of ids) for (const d of orch().cluster(id)!.devices) role.set(d.device, d.role);
    const agents = net.agents.map((a) => ({
      role: role.get(a.device.address.toBase58()) ?? "idle",
      agent: treeMemory([a.pid]),
      node: treeMemory(a.descendants()),
    }));
    const of = (r: string) => agents.filter((a) => a.role === r);
    if (of("head").length !== 2 || of("worker").length !== 2 || of("idle").length !== 4) throw new Error(`roles: ${agents.map((a) => a.role).join(", ")}`);
    const mib = (v: number) => Math.round(v / MiB);
    const add = (metric: string, bytes: number, goal?: { below: number }) => table.add(metric, mib(bytes), goal, "MiB");
    add("agent process RSS (the node process, VmRSS), median of 8", median(agents.map((a) => a.agent.rss)));
    add("  agent process PSS, median of 8", median(agents.map((a) => a.agent.pss)));
    for (const r of ["head", "worker"] as const) {
      const nodes = of(r);
      const procs = nodes.map((n) => n.node.count).join(", ");
      const what =
        r === "head" ? "the head (GCS, raylet, dashboard, agents, the job's driver and task workers)" : "a worker node (raylet, agents, task workers)";
      add(`Ray ${r} node RSS: ${what}, process tree below its agent, median of 2 (${procs} processes)`, median(nodes.map((n) => n.node.rss)));
      add(
        `  Ray ${r} node PSS, median of 2 (smaps_rollup of ${nodes.map((n) => `${n.node.pssKnown}/${n.node.count}`).join(", ")} processes)`,
        median(nodes.map((n) => n.node.pss)),
      );
    }
    const totalRss = agents.reduce((s, a) => s + a.agent.rss + a.node.rss, 0);
    const totalPss = agents.reduce((s, a) => s + a.agent.pss + a.node.pss, 0);
    add("total RSS: 8 agents + 4 Ray nodes (RSS counts shared pages once per process)", totalRss, { below: GOALS.totalMemMiB });
    add("  total PSS: 8 agents + 4 Ray nodes", totalPss);
    add(`MemAvailable before the agents (of ${mib(meminfo("MemTotal"))} MiB)`, before);
    add("MemAvailable with 8 idle agents", idleAvailable);
    add("MemAvailable during the 2 leases", during);
    add("  MemAvailable drop: before -> during the 2 leases", before - during);
  } finally {
    await net.close();
  }
}

async function main() {
  try {
    progress("lease times and the fault (2 machines)");
    await leaseTimes();
    progress("memory (8 machines, 2 leases)");
    await memory();
  } finally {
    if (!table.report("agents as processes, a Ray cluster per lease (LiteSVM + JSON-RPC + orchestrator service + agent processes)")) process.exitCode = 1;
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
