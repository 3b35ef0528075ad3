// What a machine has to offer: its GPUs from `nvidia-smi` where present, otherwise a declared profile
// ("8xH100:80": eight H100s with 80 GB each; how a machine without GPUs simulates one), and which
// catalogue model (GPU_MODELS) they are.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { GPU_MODELS, type GpuModel } from "@hourglass/client";

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

/** The catalogue model whose name a GPU's name contains ("NVIDIA H100 80GB HBM3" is the H100), longest name first. */
export function catalogueModel(gpuName: string): GpuModel | undefined {
  const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const name = norm(gpuName);
  return [...GPU_MODELS].sort((a, b) => b.name.length - a.name.length).find((m) => name.includes(norm(m.name)));
}

/**
 * Parses a declared profile `COUNTxMODEL[:GB]` (e.g. "8xH100:80", "2xRTX 4090"): MODEL is a catalogue
 * name or code, GB the memory per GPU (default the model's). Throws naming what is wrong.
 */
export function parseDeclared(profile: string): HardwareReport {
  const m = /^(\d{1,3})x([^:]+?)(?::(\d{1,4}))?$/i.exec(profile.trim());
  if (!m) throw new Error(`--declare must be COUNTxMODEL[:GB], e.g. "8xH100:80"; got ${JSON.stringify(profile)}`);
  const count = Number(m[1]);
  if (count < 1 || count > 64) throw new Error(`--declare: a machine has 1 to 64 GPUs; got ${count}`);
  const model = /^\d+$/.test(m[2]) ? GPU_MODELS.find((g) => g.code === Number(m[2])) : catalogueModel(m[2]);
  if (!model || (!/^\d+$/.test(m[2]) && model.name.replace(/\s/g, "").toUpperCase() !== m[2].replace(/\s/g, "").toUpperCase()))
    throw new Error(`--declare: unknown GPU model ${JSON.stringify(m[2])} (known: ${GPU_MODELS.map((g) => g.name).join(", ")})`);
  const gb = m[3] === undefined ? model.vramGb : Number(m[3]);
  if (gb < 1) throw new Error(`--declare: memory per GPU must be at least 1 GB; got ${gb}`);
  return { source: "declared", gpus: Array.from({ length: count }, () => ({ name: model.name, memoryMiB: gb * 1024 })) };
}

/** The machine's GPUs from nvidia-smi; when it is absent or fails, `declared` (possibly none). */
export async function detectHardware(declared: HardwareReport = { source: "declared", gpus: [] }): Promise<HardwareReport> {
  try {
    const { stdout } = await run("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], { timeout: 10_000 });
    return parseNvidiaSmi(stdout);
  } catch {
    return declared;
  }
}
