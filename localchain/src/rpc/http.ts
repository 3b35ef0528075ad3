// JSON-RPC 2.0 over HTTP POST on 127.0.0.1: single and batch requests, the envelope checked ("invalid
// request"), a body that is not JSON answered with "parse error", every failure as a JSON-RPC error.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { INTERNAL_ERROR, INVALID_REQUEST, PARSE_ERROR, RpcError } from "./errors.ts";

/** Answers one call; throws an RpcError to refuse it (any other error is an internal error). */
export type RpcCall = (method: string, params: unknown) => Promise<unknown>;

export interface HttpTransport {
  port: number;
  close(): Promise<void>;
}

async function handleOne(call: RpcCall, req: unknown): Promise<unknown> {
  const id = (req as { id?: unknown })?.id ?? null;
  try {
    if (
      typeof req !== "object" ||
      req === null ||
      (req as { jsonrpc?: unknown }).jsonrpc !== "2.0" ||
      typeof (req as { method?: unknown }).method !== "string"
    ) {
      throw new RpcError(INVALID_REQUEST, "Invalid request");
    }
    const { method, params = [] } = req as { method: string; params?: unknown };
    return { jsonrpc: "2.0", id, result: await call(method, params) };
  } catch (e) {
    const err = e instanceof RpcError ? e : new RpcError(INTERNAL_ERROR, `Internal error: ${(e as Error).message}`);
    return { jsonrpc: "2.0", id, error: { code: err.code, message: err.message, ...(err.data === undefined ? {} : { data: err.data }) } };
  }
}

/** Serves `call` over HTTP on 127.0.0.1:`port` (0 = any free port). */
export async function serveHttp(call: RpcCall, port: number): Promise<HttpTransport> {
  const server = http.createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405, { "content-type": "text/plain" }).end("JSON-RPC over POST only\n");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "Parse error" } }));
        return;
      }
      const out = Array.isArray(body) ? await Promise.all(body.map((r) => handleOne(call, r))) : await handleOne(call, body);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
