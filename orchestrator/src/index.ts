export * from "./agent.ts";
export * from "./orchestrator.ts";
export * from "./placement/index.ts";
export * from "./ray/head.ts";
export * from "./ray/jobs-client.ts";
