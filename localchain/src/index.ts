export * from "./bootstrap.ts";
export * from "./engine.ts";
export * from "./observe.ts";
export * from "./rpc-server.ts";
export * from "./tokens.ts";
