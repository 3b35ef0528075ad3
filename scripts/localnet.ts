// The main job, on its embedded default: an in-process SVM (LiteSVM) with the Hourglass programs
// deployed from target/deploy, a stake mint, an initialised staking Config with GPU tiers, and
// simulated suppliers registering and staking devices. Prints a summary and keeps the network up
// until interrupted, serving Solana JSON-RPC on 127.0.0.1 (port 8899, `--rpc-port N`) so the CLI and any
// web3.js client can use it; `--once` exits after the summary, `--json` prints it as JSON.
import { Keypair } from "@solana/web3.js";
import { LEASES_PROGRAM_ID, LeasesClient, REWARDS_PROGRAM_ID, RewardsClient, STAKING_PROGRAM_ID, StakingClient } from "../client/src/index.ts";
import { poolPda } from "../client/src/rewards/index.ts";
import { leaseAuthorityPda, marketPda } from "../client/src/leases/index.ts";
import { configPda, minimumStake, stakeVaultPda } from "../client/src/staking/index.ts";
import {
  createMint,
  createTokenAccount,
  mintTo,
  programComputeUnits,
  startEngine,
  startRpcServer,
  tokenBalance,
  type Engine,
} from "../client/src/svm/index.ts";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const args = new Set<string>();
let rpcPort = 8899;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--rpc-port") {
    const v = argv[++i];
    if (!v || !/^\d+$/.test(v) || Number(v) > 65_535) {
      console.error("localnet: --rpc-port needs a port number (0-65535)");
      process.exit(2);
    }
    rpcPort = Number(v);
  } else if (a === "--once" || a === "--json") {
    args.add(a);
  } else {
    console.error(`localnet: unknown option ${a} (known: --once, --json, --rpc-port N)`);
    process.exit(2);
  }
}
const json = args.has("--json");
const log = (msg: string) => {
  if (!json) console.log(msg);
};

/** GPU models of the simulated fleet: code, name, io.net multiplier (bps), GPUs per machine. */
const FLEET = [
  { code: 1, name: "H100", multiplierBps: 100_000, gpus: 8, machines: 2 },
  { code: 2, name: "A100", multiplierBps: 60_000, gpus: 4, machines: 2 },
  { code: 3, name: "RTX 4090", multiplierBps: 10_000, gpus: 2, machines: 3 },
  { code: 4, name: "RTX 4070", multiplierBps: 2_500, gpus: 1, machines: 3 },
];
const DECIMALS = 6;

async function must(engine: Engine, what: string, ixs: Parameters<Engine["send"]>[0], signers: Keypair[]) {
  const res = await engine.send(ixs, signers);
  if (!res.ok) throw new Error(`${what} failed: ${res.error}\n${res.logs.join("\n")}`);
  return res;
}

async function main() {
  const started = Date.now();
  log("[1/4] starting LiteSVM with the programs from target/deploy");
  const engine = await startEngine(
    "litesvm",
    [
      { name: "hourglass_staking", programId: STAKING_PROGRAM_ID },
      { name: "hourglass_leases", programId: LEASES_PROGRAM_ID },
      { name: "hourglass_rewards", programId: REWARDS_PROGRAM_ID },
    ],
    path.join(ROOT, "target/deploy"),
  );
  const staking = new StakingClient();
  const leases = new LeasesClient();
  const rewards = new RewardsClient();
  const operator = Keypair.generate();
  const admin = Keypair.generate();
  await engine.airdrop(admin.publicKey, 1_000_000_000_000n);

  log("[2/4] creating the mints, the staking Config, the lease Market and the emission pool");
  const mint = await createMint(engine, admin, admin.publicKey, DECIMALS);
  const stableMint = await createMint(engine, admin, admin.publicKey, DECIMALS);
  const treasury = await createTokenAccount(engine, admin, mint, admin.publicKey);
  const stableTreasury = await createTokenAccount(engine, admin, stableMint, admin.publicKey);
  await must(engine, "initialize_config", [await staking.initializeConfig({ authority: admin.publicKey, stakeMint: mint, treasury, unbondingPeriodSeconds: 14 * 24 * 3600, maxSlashBps: 1_000 })], [admin]);
  await must(engine, "update_config", [await staking.updateConfig({ authority: admin.publicKey, treasury, unbondingPeriodSeconds: 14 * 24 * 3600, maxSlashBps: 1_000, leaseAuthority: leaseAuthorityPda()[0] })], [admin]);
  await must(engine, "set_attester", [await staking.setAttester({ authority: admin.publicKey, attester: operator.publicKey, enabled: true })], [admin]);
  await must(
    engine,
    "initialize_market",
    [
      await leases.initializeMarket({
        authority: admin.publicKey,
        networkMint: mint,
        stableMint,
        networkTreasury: treasury,
        stableTreasury,
        gracePeriodSeconds: 25 * 3600,
        hourLengthSeconds: 3600,
        renterFeeBps: 25,
        supplierFeeBps: 25,
        stableSurchargeBps: 200,
        faultSlashBps: 500,
      }),
    ],
    [admin],
  );
  for (const gpu of FLEET) {
    await must(engine, "set_gpu_tier", [await staking.setGpuTier({ authority: admin.publicKey, modelCode: gpu.code, multiplierBps: gpu.multiplierBps })], [admin]);
  }

  const rewardMint = await createMint(engine, admin, poolPda()[0], DECIMALS);
  await must(
    engine,
    "initialize_pool",
    [await rewards.initializePool({ authority: admin.publicKey, rewardMint, hourLengthSeconds: 3600, graceHours: 2, breakerWindowHours: 24, breakerCap: 1_000_000n * 10n ** BigInt(DECIMALS) })],
    [admin],
  );

  log("[3/4] simulated suppliers register and stake devices");
  const devices: { device: string; model: string; gpus: number; stake: string; registerCu: number; stakeCu: number }[] = [];
  for (const gpu of FLEET) {
    for (let i = 0; i < gpu.machines; i++) {
      const supplier = Keypair.generate();
      await engine.airdrop(supplier.publicKey, 10_000_000_000n);
      const tokens = await createTokenAccount(engine, supplier, mint, supplier.publicKey);
      const need = minimumStake(DECIMALS, gpu.multiplierBps, gpu.gpus);
      await mintTo(engine, supplier, mint, tokens, admin, need);
      const key = Keypair.generate();
      const reg = await must(engine, "register_device", [await staking.registerDevice({ supplier: supplier.publicKey, deviceKey: key.publicKey, gpuModel: gpu.code, gpuCount: gpu.gpus, vramGb: 80, region: 276, bandwidthTier: 3 })], [supplier, key]);
      const st = await must(engine, "stake", [await staking.stake({ supplier: supplier.publicKey, deviceKey: key.publicKey, supplierTokens: tokens, amount: need })], [supplier]);
      await must(engine, "register_reward", [await rewards.registerReward({ payer: supplier.publicKey, device: key.publicKey })], [supplier]);
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

  const vault = await tokenBalance(engine, stakeVaultPda()[0]);
  const summary = {
    network: "embedded (LiteSVM, in-process)",
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
    startedInMs: Date.now() - started,
  };
  if (json) {
    console.log(JSON.stringify(summary, null, 2));
  } else {
    log("[4/4] ready");
    console.log(`  staking program  ${summary.programs.staking}`);
    console.log(`  leases program   ${summary.programs.leases}`);
    console.log(`  rewards program  ${summary.programs.rewards}`);
    console.log(`  config           ${summary.config}`);
    console.log(`  market           ${summary.market} (network and stable mints, 1 h hours, 25 h grace)`);
    console.log(`  attester         ${summary.attester}`);
    console.log(`  emission pool    ${summary.pool} (reward mint ${summary.rewardMint})`);
    console.log(`  stake mint       ${summary.stakeMint}`);
    console.log(`  stake vault      ${summary.stakeVault.address} holds ${summary.stakeVault.balance} base units`);
    console.log(`  devices          ${devices.length} (${summary.gpus} GPUs)`);
    for (const d of devices) console.log(`    ${d.device}  ${d.model.padEnd(9)} x${d.gpus}  stake ${d.stake}  (register ${d.registerCu} CU, stake ${d.stakeCu} CU)`);
    console.log(`  up in ${summary.startedInMs} ms`);
  }
  if (args.has("--once")) return;
  const rpc = await startRpcServer(engine, rpcPort, { airdrop: true });
  console.log(`  JSON-RPC         ${rpc.url}  (e.g. ANCHOR_PROVIDER_URL=${rpc.url} bin/hourglass supplier status --device ${devices[0].device})`);
  log("local network running; Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    process.on("SIGINT", () => resolve());
    process.on("SIGTERM", () => resolve());
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
