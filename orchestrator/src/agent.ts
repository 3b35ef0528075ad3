// The device agent: owns the device key, reports its hardware, and signs hourly attestations (lease
// hours for the lease program, pool hours for block rewards). In the local network many agents run
// in-process; on a GPU machine one runs next to the Ray worker.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Keypair, PublicKey } from "@solana/web3.js";
import { signAttestation, statusDigest, type Attestation } from "@hourglass/client/src/leases/index.ts";
import { signUptime } from "@hourglass/client/src/rewards/index.ts";

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
  constructor(
    readonly key: Keypair,
    /** Used when nvidia-smi is absent (the local network's simulated machines). */
    readonly declared: HardwareReport = { source: "declared", gpus: [] },
  ) {}

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

  /** Hours [first, first + count) of `lease`, run with the job in `status`. */
  attestLease(lease: PublicKey, slot: number, first: number, count: number, status: string): Attestation {
    return signAttestation(this.key, slot, lease, first, count, statusDigest(`${status} ${first}+${count}`));
  }

  /** Pool hours [first, first + count) of uptime (idle or leased). */
  attestUptime(first: number, count: number, context = PublicKey.default): Attestation {
    return signUptime(this.key, first, count, context);
  }
}
