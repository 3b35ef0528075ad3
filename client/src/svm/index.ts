export * from "./engine.ts";
export * from "./tokens.ts";
