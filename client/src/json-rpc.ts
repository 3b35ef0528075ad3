// A small JSON-RPC 2.0 client over fetch with batch requests (what the indexer's RPC source and the
// orchestrator's RPC chain adapter talk to a node with); errors carry the server's code, message and data.
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The error's `data` (e.g. a failed preflight's `err` and `logs`), when the server sent one. */
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export class JsonRpcClient {
  private id = 0;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const [r] = await this.batch<T>([{ method, params }]);
    if (r instanceof Error) throw r;
    return r;
  }

  /** Sends the calls as one batch; each answer is its result or a JsonRpcError, in call order. */
  async batch<T>(calls: { method: string; params: unknown[] }[]): Promise<(T | JsonRpcError)[]> {
    if (calls.length === 0) return [];
    const body = calls.map((c) => ({ jsonrpc: "2.0", id: ++this.id, method: c.method, params: c.params }));
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`${this.url} answered HTTP ${res.status}`);
    let out: unknown;
    try {
      out = await res.json();
    } catch {
      throw new Error(`${this.url} answered with a body that is not JSON`);
    }
    if (!Array.isArray(out)) {
      // A server that refuses the whole batch (rate limit, batches not supported) answers one error object.
      const error = (out as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      if (error && typeof error.message === "string")
        throw new JsonRpcError(typeof error.code === "number" ? error.code : -32603, `${this.url}: ${error.message}`);
      throw new Error(`${this.url} did not answer the batch with an array`);
    }
    const byId = new Map<unknown, { result?: T; error?: { code?: unknown; message?: unknown; data?: unknown } }>();
    for (const o of out) if (o !== null && typeof o === "object" && "id" in o) byId.set(o.id, o);
    return body.map((b) => {
      const o = byId.get(b.id);
      if (!o) return new JsonRpcError(-32603, `no answer for request ${b.id}`);
      if (o.error) return new JsonRpcError(typeof o.error.code === "number" ? o.error.code : -32603, String(o.error.message), o.error.data);
      if (!("result" in o)) return new JsonRpcError(-32603, `answer ${b.id} has neither result nor error`);
      return o.result as T;
    });
  }
}
