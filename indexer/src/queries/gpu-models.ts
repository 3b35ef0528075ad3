// Display names of the GPU model codes devices register with (the staking program's GPU tiers).
const NAMES: Record<number, string> = { 1: "H100", 2: "A100", 3: "RTX 4090", 4: "RTX 4070" };

export function gpuModelName(code: number): string {
  return NAMES[code] ?? `model ${code}`;
}
