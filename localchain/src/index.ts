export * from "./engine.ts";
export * from "./tokens.ts";
export * from "./rpc-server.ts";
export * from "./observe.ts";
