// @hourglass/client: the SDK wallets and services import. This is its one public entry point.

export * from "./errors.ts";
export * from "./hours.ts";
export * from "./idl.ts";
export * from "./keys.ts";
export * from "./leases/index.ts";
export * as leases from "./leases/index.ts";
export * from "./program.ts";
export * from "./rewards/index.ts";
export * as rewards from "./rewards/index.ts";
export * from "./staking/index.ts";
export * as staking from "./staking/index.ts";
export * from "./transaction.ts";
