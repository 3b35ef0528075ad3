export * from "./device-agent.ts";
