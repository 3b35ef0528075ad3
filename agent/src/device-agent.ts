// The device agent: owns the device key, reports its hardware, and signs hourly attestations (lease
// hours for the lease program, pool hours for block rewards). In the local network many agents run
// in-process; on a GPU machine one runs next to the Ray worker.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type Attestation, readKeypair, StakingClient, signAttestation, signUptime, statusDigest } from "@hourglass/client";
import { type Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";

const run = promisify(execFile);

export interface HardwareReport {
  source: "nvidia-smi" | "declared";
  gpus: { name: string; memoryMiB: number }[];
}

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(csv: string): HardwareReport {
  const gpus = csv
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, mem] = l.split(",").map((s) => s.trim());
      const memoryMiB = Number(mem);
      if (!name || !Number.isFinite(memoryMiB)) throw new Error(`unexpected nvidia-smi line: ${JSON.stringify(l)}`);
      return { name, memoryMiB };
    });
  return { source: "nvidia-smi", gpus };
}

export class DeviceAgent {
  /** Whether the machine is heartbeating; an agent that went silent signs nothing. */
  online = true;

  constructor(
    readonly key: Keypair,
    /** Used when nvidia-smi is absent (the local network's simulated machines). */
    readonly declared: HardwareReport = { source: "declared", gpus: [] },
  ) {}

  /** An agent for the device key in a Solana keypair file (a JSON array of 64 bytes). */
  static fromFile(file: string, declared?: HardwareReport): DeviceAgent {
    return new DeviceAgent(readKeypair(file), declared);
  }

  get device(): PublicKey {
    return this.key.publicKey;
  }

  async hardware(): Promise<HardwareReport> {
    try {
      const { stdout } = await run("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], { timeout: 10_000 });
      return parseNvidiaSmi(stdout);
    } catch {
      return this.declared;
    }
  }

  /**
   * register_device and stake for this machine, from its hardware report: GPU count from the report,
   * VRAM from its smallest GPU. The transaction is signed by the supplier and this device key.
   */
  async registration(p: {
    supplier: PublicKey;
    supplierTokens: PublicKey;
    gpuModel: number;
    region: number;
    bandwidthTier: number;
    stake: bigint;
    staking?: StakingClient;
  }): Promise<TransactionInstruction[]> {
    const hw = await this.hardware();
    if (hw.gpus.length === 0) throw new Error("no GPUs found: nvidia-smi is absent and no hardware profile was declared");
    const names = new Set(hw.gpus.map((g) => g.name));
    if (names.size > 1) throw new Error(`one device is one GPU model; this machine has ${[...names].join(", ")}`);
    const vramGb = Math.round(Math.min(...hw.gpus.map((g) => g.memoryMiB)) / 1024);
    const staking = p.staking ?? new StakingClient();
    const device = { supplier: p.supplier, deviceKey: this.device };
    return [
      await staking.registerDevice({ ...device, gpuModel: p.gpuModel, gpuCount: hw.gpus.length, vramGb, region: p.region, bandwidthTier: p.bandwidthTier }),
      await staking.stake({ ...device, supplierTokens: p.supplierTokens, amount: p.stake }),
    ];
  }

  /** Hours [first, first + count) of `lease`, run with the job in `status`. */
  attestLease(lease: PublicKey, slot: number, first: number, count: number, status: string): Attestation {
    return signAttestation(this.key, slot, lease, first, count, statusDigest(`${status} ${first}+${count}`));
  }

  /** Pool hours [first, first + count) of uptime (idle or leased). */
  attestUptime(first: number, count: number, context = PublicKey.default): Attestation {
    return signUptime(this.key, first, count, context);
  }
}
