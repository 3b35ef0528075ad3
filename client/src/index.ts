export * from "./idl.ts";
export * from "./errors.ts";
export * from "./program.ts";
export * from "./transaction.ts";
export * as staking from "./staking/index.ts";
export { StakingClient } from "./staking/index.ts";
export * as leases from "./leases/index.ts";
export { LeasesClient } from "./leases/index.ts";
