// @hourglass/client: the SDK wallets and services import. This is its one public entry point.

export * from "./agents/heartbeat.ts";
export * from "./agents/protocol.ts";
export * from "./errors.ts";
// What the programs' IDLs define, generated (scripts/gen-client.ts): event values, CoreError, and the
// HourglassEvent union; each program's own constants, errors and types come through its module below.
export * from "./generated/common.ts";
export type * from "./generated/index.ts";
// 10,000 in both the staking and the lease program.
export { BPS } from "./generated/staking.ts";
export * from "./hours.ts";
export * from "./idl.ts";
// The renter's job spec (schema, parser, hash) and its working directory packaged for Ray.
export * from "./jobs/package.ts";
export * from "./jobs/renter-auth.ts";
export * from "./jobs/spec.ts";
export * from "./json-rpc.ts";
export * from "./keys.ts";
export * from "./leases/index.ts";
export * as leases from "./leases/index.ts";
export * from "./program.ts";
export * from "./refused.ts";
export * from "./rewards/index.ts";
export * as rewards from "./rewards/index.ts";
export * from "./staking/index.ts";
export * as staking from "./staking/index.ts";
export * from "./transaction.ts";
