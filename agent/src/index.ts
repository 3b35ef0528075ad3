export * from "./device-agent.ts";
export * from "./ray-node.ts";
