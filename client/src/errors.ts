// Typed program errors: every numbered error of every IDL, and a parser for transaction logs.
import type { Idl } from "@coral-xyz/anchor";
import { leasesIdl, rewardsIdl, stakingIdl } from "./idl.ts";

export interface ProgramErrorInfo {
  code: number;
  name: string;
  msg: string;
}

const byCode = new Map<number, ProgramErrorInfo>();
for (const idl of [stakingIdl, leasesIdl, rewardsIdl] as Idl[]) {
  for (const e of idl.errors ?? []) byCode.set(e.code, { code: e.code, name: e.name, msg: e.msg ?? e.name });
}

/** A failed Hourglass instruction, with its numbered error when the program returned one. */
export class HourglassError extends Error {
  constructor(
    readonly code: number | null,
    readonly errorName: string,
    readonly logs: string[],
  ) {
    super(code === null ? errorName : `${errorName} (${code}): ${byCode.get(code)?.msg ?? "unknown error"}`);
    this.name = "HourglassError";
  }
}

/** The error with this code, if any program defines it. */
export function errorInfo(code: number): ProgramErrorInfo | undefined {
  return byCode.get(code);
}

/** The error code of a failed instruction, from its `custom program error: 0x..` log line. */
export function customErrorCode(logs: string[]): number | null {
  for (let i = logs.length - 1; i >= 0; i--) {
    const m = /failed: custom program error: 0x([0-9a-f]+)/i.exec(logs[i]);
    if (m) return parseInt(m[1], 16);
  }
  return null;
}

/** Turns failure logs into a HourglassError. */
export function errorFromLogs(logs: string[], fallback: string): HourglassError {
  const code = customErrorCode(logs);
  const name = code === null ? fallback : (byCode.get(code)?.name ?? `Custom${code}`);
  return new HourglassError(code, name, logs);
}
