// The machine's identity: the device key, its hardware report, and the register + stake instructions
// built from that report (`hourglass agent register`). The long-running side (heartbeats, the lease's
// Ray node, signing served hours) is runner.ts.
import { readKeypair, StakingClient } from "@hourglass/client";
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { detectHardware, type HardwareReport } from "./hardware.ts";

export class DeviceAgent {
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

  hardware(): Promise<HardwareReport> {
    return detectHardware(this.declared);
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
}
