// Display names of the GPU model codes devices register with: the catalogue (GPU_MODELS, from the
// staking program's IDL).
import { GPU_MODELS } from "@hourglass/client";

const NAMES = new Map(GPU_MODELS.map((m) => [m.code, m.name]));

export function gpuModelName(code: number): string {
  return NAMES.get(code) ?? `model ${code}`;
}
