// The main job, on its embedded default: an in-process SVM (LiteSVM) with the Hourglass programs
// deployed from target/deploy, served over Solana JSON-RPC on 127.0.0.1 (port 8899, `--rpc-port N`);
// the network set up by bootstrapNetwork from network/localnet.json (the mints, the staking Config with
// GPU tiers, the lease Market, the emission pool); simulated suppliers registering and staking their
// machines; then the compute side as it runs on real machines: the orchestrator service
// (`hourglass orchestrator run` over the JSON-RPC endpoint, its agent API on 127.0.0.1:7070,
// `--orchestrator-port N`) and one device agent process per simulated machine (`hourglass agent run
// --declare <its GPUs>`, logical GPUs; Ray node ports from 20000, 100 per machine, `--ray-port-base N`).
// The scripted scenario: a renter opens a 16-GPU H100 lease for 3 hours; the orchestrator places it on
// two machines, whose agents form the lease's own Ray cluster (one head, one worker) where the shipped
// batch job runs one task per leased GPU; simulated hours pass and are proven from the agents'
// signatures, the lease settles, block rewards are emitted and a supplier claims them. Prints a summary
// (per leased machine: its role, Ray node and tasks) and keeps the network up until interrupted, the
// orchestrator placing leases opened through JSON-RPC; `--once` exits after the summary, `--json`
// prints it as JSON; `--hour-seconds N` sets how many real seconds a simulated hour takes while serving
// (default 60). The agents' and the orchestrator's logs go to target/localnet/logs/. The indexer
// follows the chain from its first transaction (in-process source) into a SQLite file
// (target/localnet/indexer.sqlite, `--db PATH`) and serves the API and explorer on 127.0.0.1:8787
// (`--explorer-port N`) from the start. Ctrl-C (or SIGTERM) stops every process it started.
// The flags are parsed with the CLI's parseArgs; a bad one is refused with what it needs (exit 2).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DeviceAgent } from "@hourglass/agent";
import { parseArgs, UsageError } from "@hourglass/cli";
import {
  configPda,
  deviceRewardPda,
  GpuModels,
  LEASES_PROGRAM_ID,
  LeaseStatus,
  LeasesClient,
  marketPda,
  minimumStake,
  networkTreasuryPda,
  poolPda,
  REWARDS_PROGRAM_ID,
  RewardsClient,
  STAKING_PROGRAM_ID,
  StakingClient,
  stakeVaultPda,
  toBigInt,
} from "@hourglass/client";
import { createApp, openDb, Pipeline, SvmSource, startServer } from "@hourglass/indexer";
import {
  bootstrapNetwork,
  createTokenAccount,
  type Engine,
  LOCALNET_PARAMS_FILE,
  loadNetworkParams,
  mintTo,
  type ObservedEngine,
  observe,
  programComputeUnits,
  startEngine,
  startRpcServer,
  tokenBalance,
} from "@hourglass/localchain";
import { type LeaseCluster, RayJobsClient } from "@hourglass/orchestrator";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { ComputeSide } from "./localnet/compute.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The launcher's options (the CLI's parser), with what each needs; flags: --once, --json. */
const OPTIONS = {
  "rpc-port": "a port number (0-65535)",
  "orchestrator-port": "a port number (0-65535)",
  "ray-port-base": "a port number (1024-64535; each machine's Ray node takes the next 100)",
  "explorer-port": "a port number (0-65535)",
  db: "a file path for the indexer's SQLite database",
  "hour-seconds": "a whole number of seconds (0-86400; 0 stops the clock)",
};
/** The command line, parsed and checked before anything starts (a bad one: a message and exit 2). */
function commandLine(argv: string[]) {
  const p = parseArgs(["localnet", ...argv], { flags: ["once", "json"], options: OPTIONS });
  const port = (name: keyof typeof OPTIONS, dflt: number) => p.int(name, 0, 65_535) ?? dflt;
  const db = p.opt("db");
  const line = {
    once: p.flag("once"),
    json: p.flag("json"),
    ports: {
      "--rpc-port": port("rpc-port", 8899),
      "--orchestrator-port": port("orchestrator-port", 7070),
      "--ray-port-base": p.int("ray-port-base", 1024, 64_535) ?? 20_000,
      "--explorer-port": port("explorer-port", 8787),
    },
    dbFile: db === undefined ? path.join(ROOT, "target/localnet/indexer.sqlite") : path.resolve(db),
    /** While serving, real seconds per simulated hour (0: the clock stands still). */
    hourSeconds: p.int("hour-seconds", 0, 86_400) ?? 60,
  };
  p.done();
  return line;
}
let cmd: ReturnType<typeof commandLine>;
try {
  cmd = commandLine(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  console.error(`localnet: ${e.message}`);
  process.exit(2);
}
const { ports, dbFile, hourSeconds } = cmd;
const json = cmd.json;
const log = (msg: string) => {
  if (!json) console.log(msg);
};

/** The simulated fleet: each catalogue model (code, name, io.net multiplier, VRAM per GPU) with GPUs per machine and machines. */
const FLEET = [
  { ...GpuModels.H100, gpus: 8, machines: 2 },
  { ...GpuModels.A100, gpus: 4, machines: 2 },
  { ...GpuModels.RTX_4090, gpus: 2, machines: 3 },
  { ...GpuModels.RTX_4070, gpus: 1, machines: 3 },
];
/** The network's parameters (network/localnet.json), with the fleet's GPU tiers. */
const NETWORK = loadNetworkParams(LOCALNET_PARAMS_FILE, {
  staking: { gpuTiers: FLEET.map((gpu) => ({ modelCode: gpu.code, multiplierBps: gpu.multiplierBps })) },
});
const DECIMALS = NETWORK.decimals;
const UNIT = 10n ** BigInt(DECIMALS);
const HOUR = NETWORK.hourLengthSeconds;
const GRACE_SECONDS = NETWORK.market.gracePeriodSeconds;
const SCENARIO_GPUS = 16;
const SCENARIO_HOURS = 3;
/** 3 tokens per GPU-hour. */
const PRICE = 3n * UNIT;

async function must(engine: Engine, what: string, ixs: Parameters<Engine["send"]>[0], signers: Keypair[]) {
  const res = await engine.send(ixs, signers);
  if (!res.ok) throw new Error(`${what} failed: ${res.error}\n${res.logs.join("\n")}`);
  return res;
}

/** Polls `check` until it returns something other than undefined/false; fails naming `what`. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`scenario: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const started = Date.now();
  log("[1/6] starting LiteSVM with the programs from target/deploy, its JSON-RPC endpoint, and the indexer and explorer");
  const engine = observe(
    await startEngine(
      "litesvm",
      [
        { name: "hourglass_staking", programId: STAKING_PROGRAM_ID },
        { name: "hourglass_leases", programId: LEASES_PROGRAM_ID },
        { name: "hourglass_rewards", programId: REWARDS_PROGRAM_ID },
      ],
      path.join(ROOT, "target/deploy"),
    ),
  );
  const rpc = await startRpcServer(engine, ports["--rpc-port"], { airdrop: true });
  // The indexer sees the chain from its first transaction: a fresh chain gets a fresh database.
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
  const db = openDb(dbFile);
  const pipeline = new Pipeline(db);
  const indexerSource = new SvmSource(engine, pipeline);
  indexerSource.start();
  const explorer = await startServer({ db, pipeline, decimals: DECIMALS }, ports["--explorer-port"]);
  log(`      JSON-RPC ${rpc.url}; explorer ${explorer.url} (API ${explorer.url}/openapi.json), database ${path.relative(process.cwd(), dbFile) || dbFile}`);
  const leases = new LeasesClient();
  const rewards = new RewardsClient();
  const operator = Keypair.generate();
  const admin = Keypair.generate();
  await engine.airdrop(admin.publicKey, 1_000_000_000_000n);
  await engine.airdrop(operator.publicKey, 1_000_000_000_000n);

  log("[2/6] creating the mints, the staking Config, the lease Market and the emission pool");
  const network = await bootstrapNetwork(engine, NETWORK, { authority: admin, attesters: [operator.publicKey] });
  const mint = network.stakeMint!;
  const stableMint = network.stableMint!;
  const treasury = network.treasury!;
  const rewardMint = network.rewardMint!;

  log("[3/6] simulated suppliers register and stake their machines");
  const { devices, fleet } = await registerFleet(engine, admin, mint);
  const vault = await tokenBalance(engine, stakeVaultPda()[0]);

  const logs = path.join(ROOT, "target/localnet/logs");
  log(`[4/6] starting the orchestrator service and ${fleet.length} device agent processes (logs in ${path.relative(process.cwd(), logs)}/)`);
  const compute = new ComputeSide({
    root: ROOT,
    logs,
    rpcUrl: rpc.url,
    operator,
    orchestratorPort: ports["--orchestrator-port"],
    rayPortBase: ports["--ray-port-base"],
  });
  const cleanup: (() => void)[] = [];
  const stopAll = async () => {
    for (const f of cleanup) f();
    await compute.stop();
    await rpc.close();
    indexerSource.stop();
    await explorer.close();
    db.$client.close();
  };
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    await compute.start(fleet.map((f) => ({ key: f.key, declare: `${f.gpus}x${f.model}:${f.vramGb}` })));
    log(`      orchestrator ${compute.orchestratorUrl} (pid ${compute.pids.orchestrator}); ${fleet.length} agents heartbeating`);

    log("[5/6] scenario: a renter opens a 16-GPU H100 lease for 3 hours");
    const scenario = await runScenario({ engine, compute, leases, rewards, admin, mint, treasury, rewardMint, fleet });

    // What the explorer shows of the scenario, read back through its own API.
    indexerSource.flush();
    const api = createApp({ db });
    const explorerLease = (await (await api.request(`/api/leases/${scenario.lease}`)).json()) as {
      lease: { status: string; earned: string; provenHours: number };
    };
    const claimer = (await (await api.request(`/api/devices/${scenario.rewards.device}`)).json()) as { device: { rewards: string } };
    // While serving, a funded renter wallet file for the CLI.
    const wallet = cmd.once ? null : await demoRenter(engine, admin, mint);
    const summary = {
      network: "embedded (LiteSVM, in-process), served over JSON-RPC",
      renterWallet: wallet,
      rpc: rpc.url,
      orchestrator: { url: compute.orchestratorUrl, pid: compute.pids.orchestrator, logs },
      agents: compute.pids.agents,
      explorer: {
        url: explorer.url,
        database: dbFile,
        events: db.$client.prepare("SELECT count(*) FROM events").pluck().get() as number,
        lease: explorerLease.lease,
        rewardsClaimed: claimer.device.rewards,
      },
      programs: { staking: STAKING_PROGRAM_ID.toBase58(), leases: LEASES_PROGRAM_ID.toBase58(), rewards: REWARDS_PROGRAM_ID.toBase58() },
      pool: poolPda()[0].toBase58(),
      rewardMint: rewardMint.toBase58(),
      config: configPda()[0].toBase58(),
      market: marketPda()[0].toBase58(),
      attester: operator.publicKey.toBase58(),
      stakeMint: mint.toBase58(),
      stableMint: stableMint.toBase58(),
      stakeVault: { address: stakeVaultPda()[0].toBase58(), balance: vault.toString() },
      devices,
      gpus: devices.reduce((n, d) => n + d.gpus, 0),
      scenario,
      startedInMs: Date.now() - started,
    };
    if (json) {
      console.log(JSON.stringify(summary, null, 2));
    } else {
      log("[6/6] ready");
      console.log(`  staking program  ${summary.programs.staking}`);
      console.log(`  leases program   ${summary.programs.leases}`);
      console.log(`  rewards program  ${summary.programs.rewards}`);
      console.log(`  config           ${summary.config}`);
      console.log(`  market           ${summary.market} (network and stable mints, ${HOUR / 3600} h hours, ${GRACE_SECONDS / 3600} h grace)`);
      console.log(`  attester         ${summary.attester}`);
      console.log(`  emission pool    ${summary.pool} (reward mint ${summary.rewardMint})`);
      console.log(`  stake mint       ${summary.stakeMint}`);
      console.log(`  stake vault      ${summary.stakeVault.address} holds ${summary.stakeVault.balance} base units`);
      console.log(`  devices          ${devices.length} (${summary.gpus} GPUs), each with its agent process`);
      for (const d of devices)
        console.log(`    ${d.device}  ${d.model.padEnd(9)} x${d.gpus}  stake ${d.stake}  (register ${d.registerCu} CU, stake ${d.stakeCu} CU)`);
      console.log(`  orchestrator     ${summary.orchestrator.url}  (GET /health, /leases/<address>)`);
      console.log(`  explorer         ${summary.explorer.url}  (${summary.explorer.events} events indexed; API ${summary.explorer.url}/openapi.json)`);
      console.log(
        `  scenario lease   ${scenario.lease}: ${scenario.gpus} GPUs on ${scenario.devices.length} machines, its own Ray cluster (dashboard ${scenario.cluster.dashboard} while it ran)`,
      );
      console.log(
        `                   Ray job ${scenario.job.status} (running ${scenario.job.timeToRunningMs} ms after the lease opened): "${scenario.job.output}"`,
      );
      for (const d of scenario.devices)
        console.log(`    ${d.device}  ${d.role.padEnd(6)} Ray node ${d.rayNodeId}  ${d.tasks} tasks  ${d.provenHours} h proven, paid ${d.paid}`);
      console.log(`                   ${scenario.provenHours} device-hours proven, ${scenario.earned} earned, ${scenario.status}`);
      console.log(
        `  block rewards    ${scenario.rewards.hoursEmitted} hours emitted; supplier of ${scenario.rewards.device} claimed ${scenario.rewards.claimed}`,
      );
      console.log(
        `  fees burned      ${scenario.fees.burned} network-token base units (renter and supplier fees; ${scenario.fees.totalBurned} in all, supply now ${scenario.fees.supply})`,
      );
      console.log(`  up in ${summary.startedInMs} ms`);
    }
    if (wallet) cleanup.push(() => fs.rmSync(path.dirname(wallet), { recursive: true, force: true }));
    if (!wallet || interrupted) return;
    log(`\n  Explorer: ${explorer.url}\n`);
    log(`  JSON-RPC         ${rpc.url}  (e.g. ANCHOR_PROVIDER_URL=${rpc.url} bin/hourglass supplier status --device ${devices[0].device})`);
    log(`  renter wallet    ${wallet} (10,000 tokens), e.g.`);
    log(`                   bin/hourglass lease open --url ${rpc.url} --keypair ${wallet} --gpu-model 2 --gpus 8 --hours 2 --price 2000000 --max-devices 2`);
    log(`                   then: curl ${compute.orchestratorUrl}/leases/<lease address>  (its cluster, Ray nodes and job)`);
    const clock = hourSeconds > 0 ? `one simulated hour every ${hourSeconds} s (--hour-seconds)` : "the clock stands still (--hour-seconds 0)";
    log(`local network running: the orchestrator places, proves and settles leases opened through JSON-RPC; ${clock}; Ctrl-C to stop`);
    // The simulated clock moves an hour every `hourSeconds`; the orchestrator service ticks on its own.
    const timer = hourSeconds > 0 ? setInterval(() => void engine.warp(HOUR), hourSeconds * 1000) : undefined;
    await new Promise<void>((resolve) => {
      if (interrupted) resolve();
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    clearInterval(timer);
  } finally {
    log("stopping the agents (and their Ray nodes), the orchestrator, the JSON-RPC endpoint and the explorer");
    await stopAll();
  }
}

interface Machine {
  supplier: Keypair;
  key: Keypair;
  model: string;
  gpus: number;
  vramGb: number;
}

/** Each machine's supplier registers and stakes it, from its declared hardware profile (what `hourglass agent register` does). */
async function registerFleet(engine: Engine, admin: Keypair, mint: PublicKey) {
  const staking = new StakingClient();
  const rewards = new RewardsClient();
  const devices: { device: string; model: string; gpus: number; stake: string; registerCu: number; stakeCu: number }[] = [];
  const fleet: Machine[] = [];
  for (const gpu of FLEET) {
    for (let i = 0; i < gpu.machines; i++) {
      const supplier = Keypair.generate();
      await engine.airdrop(supplier.publicKey, 10_000_000_000n);
      const tokens = await createTokenAccount(engine, supplier, mint, supplier.publicKey);
      const need = minimumStake(DECIMALS, gpu.multiplierBps, gpu.gpus);
      await mintTo(engine, supplier, mint, tokens, admin, need);
      const key = Keypair.generate();
      const agent = new DeviceAgent(key, {
        source: "declared",
        gpus: Array.from({ length: gpu.gpus }, () => ({ name: gpu.name, memoryMiB: gpu.vramGb * 1024 })),
      });
      const [register, stake] = await agent.registration({
        supplier: supplier.publicKey,
        supplierTokens: tokens,
        gpuModel: gpu.code,
        region: 276,
        bandwidthTier: 3,
        stake: need,
        staking,
      });
      const reg = await must(engine, "register_device", [register], [supplier, key]);
      const st = await must(engine, "stake", [stake], [supplier]);
      await must(engine, "register_reward", [await rewards.registerReward({ payer: supplier.publicKey, device: key.publicKey })], [supplier]);
      fleet.push({ supplier, key, model: gpu.name.replace(/\s/g, ""), gpus: gpu.gpus, vramGb: gpu.vramGb });
      devices.push({
        device: key.publicKey.toBase58(),
        model: gpu.name,
        gpus: gpu.gpus,
        stake: need.toString(),
        registerCu: programComputeUnits(reg.logs, STAKING_PROGRAM_ID),
        stakeCu: programComputeUnits(st.logs, STAKING_PROGRAM_ID),
      });
    }
  }
  return { devices, fleet };
}

/** A renter wallet file funded with SOL and network tokens (in its associated account), for the CLI. */
async function demoRenter(engine: Engine, admin: Keypair, mint: PublicKey): Promise<string> {
  const renter = Keypair.generate();
  await engine.airdrop(renter.publicKey, 100_000_000_000n);
  const ata = getAssociatedTokenAddressSync(mint, renter.publicKey);
  await must(engine, "renter token account", [createAssociatedTokenAccountIdempotentInstruction(renter.publicKey, ata, renter.publicKey, mint)], [renter]);
  await mintTo(engine, renter, mint, ata, admin, 10_000n * UNIT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-localnet-"));
  const file = path.join(dir, "renter.json");
  fs.writeFileSync(file, JSON.stringify(Array.from(renter.secretKey)), { mode: 0o600 });
  return file;
}

interface ScenarioContext {
  engine: ObservedEngine;
  compute: ComputeSide;
  leases: LeasesClient;
  rewards: RewardsClient;
  admin: Keypair;
  mint: PublicKey;
  treasury: PublicKey;
  rewardMint: PublicKey;
  fleet: Machine[];
}

/** The JSON line the per-device batch job prints: per device, the Ray nodes its tasks ran on. */
function taskNodes(logs: string): Record<string, { nodes: string[]; tasks: number }> {
  const line = logs.split("\n").find((l) => l.startsWith("hourglass batch job nodes: "));
  return line ? JSON.parse(line.slice("hourglass batch job nodes: ".length)) : {};
}

/** The scripted scenario; every step is a real transaction, a real agent process or a real Ray job, and its outcome is checked. */
async function runScenario(c: ScenarioContext) {
  const { engine, compute, leases, rewards } = c;
  const renter = Keypair.generate();
  await engine.airdrop(renter.publicKey, 10_000_000_000n);
  const renterTokens = await createTokenAccount(engine, renter, c.mint, renter.publicKey);
  await mintTo(engine, renter, c.mint, renterTokens, c.admin, 1_000n * UNIT);
  const lease = Keypair.generate();
  const escrow = Keypair.generate();
  const opened = performance.now();
  await must(
    engine,
    "create_lease",
    await leases.openLease({
      renter: renter.publicKey,
      lease: lease.publicKey,
      escrow: escrow.publicKey,
      paymentMint: c.mint,
      renterTokens,
      treasury: networkTreasuryPda()[0],
      gpuModel: 1,
      gpuCount: SCENARIO_GPUS,
      hours: SCENARIO_HOURS,
      pricePerGpuHour: PRICE,
      maxDevices: 2,
      leaseRentLamports: await engine.rentExempt(leases.leaseSize(2)),
    }),
    [renter, lease, escrow],
  );
  const id = lease.publicKey.toBase58();
  // Placed, assigned on-chain, the lease's cluster formed on its two machines, its job running.
  const running = await until(
    "the lease's job to run on its own cluster",
    async () => {
      const v = await compute.lease(id);
      return v && ["RUNNING", "SUCCEEDED", "FAILED"].includes(v.jobStatus) ? v : undefined;
    },
    180_000,
  );
  const timeToRunningMs = Math.round(performance.now() - opened);
  log(`      lease ${id}: its Ray cluster (dashboard ${running.dashboard}) on ${running.devices.length} machines, job ${running.jobStatus}`);
  const ray = new RayJobsClient(running.dashboard!);
  const job = await ray.waitFor(running.job, undefined, 120_000);
  const text = await ray.logs(running.job);
  const output = text.split("\n").find((l) => l.startsWith("hourglass batch job:")) ?? "";
  if (job.status !== "SUCCEEDED") throw new Error(`scenario: the Ray job ended ${job.status}`);
  const ran = taskNodes(text);
  const cluster: LeaseCluster = (await compute.lease(id))!;
  for (const d of cluster.devices)
    if (ran[d.device]?.nodes.join() !== d.rayNodeId)
      throw new Error(`scenario: ${d.device}'s tasks ran on ${ran[d.device]?.nodes}, not its node ${d.rayNodeId}`);
  log(`      Ray job ${id} ${job.status}: ${output}`);

  log(
    `      ${SCENARIO_HOURS} hours pass on the simulated clock and are proven from the agents' signatures, then the ${GRACE_SECONDS / HOUR} h grace; the lease settles`,
  );
  const state = async () => leases.decodeLease((await engine.getAccount(lease.publicKey))!.data);
  const claimer = c.fleet.find((f) => f.key.publicKey.toBase58() === cluster.devices[0].device)!;
  const pool = async () => rewards.decodePool((await engine.getAccount(poolPda()[0]))!.data);
  const uptime = async () => rewards.decodeDeviceReward((await engine.getAccount(deviceRewardPda(claimer.key.publicKey)[0]))!.data);
  // Hour by hour: the lease's hours proven, the pool cranked and the agents' uptime recorded (a device
  // is nominated for block rewards after five consecutive recorded hours).
  for (let h = 0; h < SCENARIO_HOURS + GRACE_SECONDS / HOUR; h++) {
    await engine.warp(HOUR);
    await until(`hour ${h} proven, emitted and recorded`, async () => {
      const p = await pool();
      if (p.nextHour !== h + 1 || (await uptime()).nextHour !== p.nextHour) return false;
      return h >= SCENARIO_HOURS || (await state()).slots.every((s) => s.provenHours === h + 1);
    });
  }
  const { lease: l, slots } = await until("the lease settled, its suppliers paid and its machines released", async () => {
    const st = await state();
    return st.lease.status === LeaseStatus.Settled && st.slots.every((s) => s.released && s.claimedHours === s.provenHours) ? st : undefined;
  });
  const earned = toBigInt(l.earnedTotal);
  if (earned !== PRICE * BigInt(SCENARIO_GPUS * SCENARIO_HOURS))
    throw new Error(`scenario: ${earned} earned, expected ${PRICE * BigInt(SCENARIO_GPUS * SCENARIO_HOURS)}`);
  const placed = [];
  for (const s of slots) {
    const d = cluster.devices.find((x) => x.device === s.device.toBase58())!;
    placed.push({
      device: s.device.toBase58(),
      gpus: s.gpus,
      role: d.role,
      rayNodeId: d.rayNodeId,
      tasks: ran[d.device].tasks,
      provenHours: s.provenHours,
      paid: (await tokenBalance(engine, getAssociatedTokenAddressSync(c.mint, s.owner))).toString(),
    });
  }

  log("      block rewards: the orchestrator cranked emissions and recorded the agents' signed uptime; a supplier claims");
  const rewardTokens = await createTokenAccount(engine, claimer.supplier, c.rewardMint, claimer.supplier.publicKey);
  await must(
    engine,
    "claim rewards",
    [await rewards.claim({ owner: claimer.supplier.publicKey, device: claimer.key.publicKey, destination: rewardTokens })],
    [claimer.supplier],
  );
  const claimed = await tokenBalance(engine, rewardTokens);
  if (claimed <= 0n) throw new Error("scenario: the supplier's reward claim paid nothing");

  log("      fees: anyone burns the network-token fees the lease collected");
  const feeVault = networkTreasuryPda()[0];
  const fees = await tokenBalance(engine, feeVault);
  const supplyBefore = (await engine.getAccount(c.mint))!.data.readBigUInt64LE(36);
  await must(engine, "burn_fees", [await leases.burnFees({ caller: renter.publicKey, networkMint: c.mint })], [renter]);
  const supplyAfter = (await engine.getAccount(c.mint))!.data.readBigUInt64LE(36);
  if (supplyBefore - supplyAfter !== fees || (await tokenBalance(engine, feeVault)) !== 0n)
    throw new Error(`scenario: burn_fees burned ${supplyBefore - supplyAfter} of ${fees}`);
  const market = leases.decodeMarket((await engine.getAccount(marketPda()[0]))!.data);
  const p = await pool();
  return {
    lease: id,
    gpus: SCENARIO_GPUS,
    hours: SCENARIO_HOURS,
    status: "settled",
    cluster: { dashboard: cluster.dashboard, job: cluster.job },
    job: { status: job.status, output, timeToRunningMs },
    provenHours: slots.reduce((n, s) => n + s.provenHours, 0),
    earned: earned.toString(),
    claimedBySuppliers: l.claimedTotal.toString(),
    refunded: l.refunded.toString(),
    devices: placed,
    rewards: { device: claimer.key.publicKey.toBase58(), claimed: claimed.toString(), hoursEmitted: p.nextHour },
    fees: { burned: fees.toString(), totalBurned: market.totalBurned.toString(), supply: supplyAfter.toString() },
  };
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
