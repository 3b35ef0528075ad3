// A small JSON-RPC 2.0 client over fetch with batch requests; errors carry the server's code and message.
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
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
    const out = (await res.json()) as { id: number; result?: T; error?: { code: number; message: string } }[];
    if (!Array.isArray(out)) throw new Error(`${this.url} did not answer the batch with an array`);
    const byId = new Map(out.map((o) => [o.id, o]));
    return body.map((b) => {
      const o = byId.get(b.id);
      if (!o) return new JsonRpcError(-32603, `no answer for request ${b.id}`);
      return o.error ? new JsonRpcError(o.error.code, o.error.message) : (o.result as T);
    });
  }
}
