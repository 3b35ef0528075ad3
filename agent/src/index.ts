export * from "./device-agent.ts";
export * from "./hardware.ts";
export * from "./ray-node.ts";
export * from "./runner.ts";
