// io.net's emission schedule, computed with the same integer algorithm the rewards program runs
// (programs/rewards/src/interface/schedule.rs), for display and for checking the chain.

import { CAP_TOKENS, DECAY_DEN, DECAY_NUM, FACTOR_Q64, FIRST_HOUR_CENTI_TOKENS, SCHEDULE_HOURS as HOURS } from "../generated/rewards.ts";

// The schedule's constants come from the program through the IDL (FACTOR_Q64: 1 - decay as a Q0.64
// fraction, rounded to nearest, computed by the program's crate at compile time).
export { CAP_TOKENS, DECAY_DEN, DECAY_NUM, FACTOR_Q64, FIRST_HOUR_CENTI_TOKENS, HOURS };

const MASK128 = (1n << 128n) - 1n;

export const firstRate = (decimals: number): bigint => (FIRST_HOUR_CENTI_TOKENS * 10n ** BigInt(decimals - 2)) << 64n;
export const cap = (decimals: number): bigint => CAP_TOKENS * 10n ** BigInt(decimals);
export const nextRate = (rate: bigint): bigint => ((rate * FACTOR_Q64) >> 64n) & MASK128;

export function hourAmount(hour: number, rate: bigint, emitted: bigint, capUnits: bigint): bigint {
  const left = capUnits > emitted ? capUnits - emitted : 0n;
  if (hour >= HOURS) return 0n;
  if (hour === HOURS - 1) return left;
  const whole = rate >> 64n;
  return whole < left ? whole : left;
}

/** Amounts of hours `from` .. `from + count - 1`, in base units. */
export function scheduleAmounts(decimals: number, from: number, count: number): bigint[] {
  let rate = firstRate(decimals);
  let emitted = 0n;
  const capUnits = cap(decimals);
  const out: bigint[] = [];
  for (let h = 0; h < from + count; h++) {
    const amount = hourAmount(h, rate, emitted, capUnits);
    if (h >= from) out.push(amount);
    emitted += amount;
    rate = nextRate(rate);
  }
  return out;
}
