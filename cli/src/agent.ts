// `hourglass agent ...`, run by a supplier on each GPU machine:
//   run       the device agent: heartbeats to the orchestrator, runs the lease's Ray node when the
//             machine is leased, signs the hours it served; until SIGTERM or Ctrl-C
//   hardware  what the machine reports (nvidia-smi, else the declared profile)
//   register  registers and stakes the machine from that report (signed by the supplier and the device key)
// Flags may come from the environment (HOURGLASS_DEVICE_KEY, HOURGLASS_ORCHESTRATOR, HOURGLASS_DECLARE,
// HOURGLASS_ADVERTISE, HOURGLASS_RAY_PORT_BASE); each is checked before anything starts.

import { AgentRunner, catalogueModel, DeviceAgent, detectHardware, type HardwareReport, parseDeclared, RayNode } from "@hourglass/agent";
import { configPda, MAX_BANDWIDTH_TIER, minimumStake, readKeypair, StakingClient } from "@hourglass/client";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Parsed, UsageError } from "./args.ts";
import { context, out, send } from "./context.ts";
import { untilStopped } from "./lifetime.ts";

const ENV = {
  key: "HOURGLASS_DEVICE_KEY",
  orchestrator: "HOURGLASS_ORCHESTRATOR",
  declare: "HOURGLASS_DECLARE",
  advertise: "HOURGLASS_ADVERTISE",
  "ray-port-base": "HOURGLASS_RAY_PORT_BASE",
};

/** The machine's hardware: nvidia-smi, else the profile given by --declare. */
async function hardware(p: Parsed): Promise<HardwareReport> {
  const declared = p.opt("declare");
  let profile: HardwareReport | undefined;
  if (declared !== undefined) {
    try {
      profile = parseDeclared(declared);
    } catch (e) {
      throw new UsageError(`${p.label("declare")}: ${(e as Error).message.replace(/^--declare:? ?/, "")}`);
    }
  }
  return detectHardware(profile);
}

function describe(hw: HardwareReport): string {
  if (hw.gpus.length === 0) return "no GPUs";
  const model = catalogueModel(hw.gpus[0].name);
  return `${hw.gpus.length} x ${hw.gpus[0].name} (${Math.round(hw.gpus[0].memoryMiB / 1024)} GB; catalogue model ${model ? `${model.name}, code ${model.code}` : "unknown"}) from ${hw.source}`;
}

/** A host name or IP address other machines can reach this one at. */
function host(p: Parsed, name: string, fallback: string): string {
  const v = p.opt(name) ?? fallback;
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(v) && !/^[0-9a-fA-F:]+$/.test(v))
    throw new UsageError(`${p.label(name)}: ${JSON.stringify(v)} is not a host name or IP address`);
  return v;
}

function orchestratorUrl(p: Parsed): string {
  const v = p.opt("orchestrator");
  if (v === undefined) throw new UsageError(`--orchestrator URL is required (or $${ENV.orchestrator}), e.g. http://10.0.0.5:7070`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new UsageError(`${p.label("orchestrator")}: ${JSON.stringify(v)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${p.label("orchestrator")}: ${JSON.stringify(v)} must be http(s)://host:port`);
  return v.replace(/\/$/, "");
}

export async function agent(p: Parsed) {
  p.env(ENV);
  switch (p.command) {
    case "hardware": {
      const hw = await hardware(p);
      p.done();
      out(p.flag("json"), { ...hw, model: hw.gpus[0] ? (catalogueModel(hw.gpus[0].name) ?? null) : null }, describe(hw));
      return;
    }
    case "run": {
      const keyFile = p.opt("key");
      if (keyFile === undefined) throw new UsageError(`--key FILE (the device keypair) is required (or $${ENV.key})`);
      const key = readKeypair(keyFile);
      const orchestrator = orchestratorUrl(p);
      const advertise = host(p, "advertise", "127.0.0.1");
      const portBase = p.int("ray-port-base", 1024, 65_435) ?? 20_000;
      const heartbeatMs = p.int("heartbeat-ms", 100, 60_000) ?? 2_000;
      const cpus = p.int("cpus", 1, 1024) ?? 1;
      const hw = await hardware(p);
      p.done();
      if (hw.gpus.length === 0) throw new UsageError("no GPUs found: nvidia-smi is absent and no --declare profile was given (e.g. --declare 8xH100:80)");
      const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);
      const runner = new AgentRunner({
        key,
        orchestrator,
        gpus: hw.gpus.length,
        advertise,
        portBase,
        cpus,
        heartbeatMs,
        log,
        makeNode: (r, nodeLog) => new RayNode(r, { log: nodeLog }),
      });
      log(`agent ${runner.device}: ${describe(hw)}; orchestrator ${orchestrator}; Ray node ports ${portBase}-${portBase + 99} on ${advertise}`);
      runner.start();
      log(`stopping (${await untilStopped()}): leaving the lease's cluster`);
      await runner.stop();
      return;
    }
    case "register": {
      const { json, conn, keypairFile, txOpts } = context(p);
      const keyFile = p.opt("key");
      if (keyFile === undefined) throw new UsageError(`--key FILE (the device keypair) is required (or $${ENV.key})`);
      const device = new DeviceAgent(readKeypair(keyFile));
      const wallet = readKeypair(keypairFile);
      const region = p.int("region", 0, 999) ?? 0;
      const bandwidthTier = p.int("bandwidth", 0, MAX_BANDWIDTH_TIER) ?? 0;
      const stakeGiven = p.opt("stake") === undefined ? undefined : p.amount("stake");
      const from = p.opt("from") === undefined ? undefined : p.pubkey("from");
      const hw = await hardware(p);
      p.done();
      if (hw.gpus.length === 0) throw new UsageError("no GPUs found: nvidia-smi is absent and no --declare profile was given (e.g. --declare 8xH100:80)");
      const model = catalogueModel(hw.gpus[0].name);
      if (!model) throw new UsageError(`${hw.gpus[0].name} is not a GPU model of the catalogue`);
      const staking = new StakingClient();
      const configAcc = await conn.getAccountInfo(configPda()[0]);
      if (!configAcc) throw new Error("no staking Config on this cluster");
      const { stakeMint } = staking.decodeConfig(configAcc.data);
      const mint = await conn.getAccountInfo(stakeMint);
      const stake = stakeGiven ?? minimumStake(mint!.data[44], model.multiplierBps, hw.gpus.length);
      const agentWithHw = new DeviceAgent(device.key, hw);
      const ixs = await agentWithHw.registration({
        supplier: wallet.publicKey,
        supplierTokens: from ?? getAssociatedTokenAddressSync(stakeMint, wallet.publicKey),
        gpuModel: model.code,
        region,
        bandwidthTier,
        stake,
        staking,
      });
      const signature = await send(conn, [wallet, device.key], ixs, txOpts);
      out(
        json,
        { command: "register", device: device.device.toBase58(), model: model.name, gpus: hw.gpus.length, stake: stake.toString(), signature },
        `registered and staked ${device.device.toBase58()}: ${describe(hw)}, stake ${stake} base units (tx ${signature})`,
      );
      return;
    }
    default:
      throw new UsageError(`unknown agent command ${JSON.stringify(p.command)} (known: run, hardware, register)`);
  }
}
