// A client of the Ray Jobs REST API (the dashboard, default http://127.0.0.1:8265): submit with a
// submission id (the lease id, so a retried submission finds the existing job), follow, fetch logs,
// stop, list, delete. Sends `Authorization: Bearer <token>` when the cluster uses token auth.

import http from "node:http";
import https from "node:https";

export type JobStatus = "PENDING" | "RUNNING" | "STOPPED" | "SUCCEEDED" | "FAILED";
export const TERMINAL: ReadonlySet<JobStatus> = new Set(["STOPPED", "SUCCEEDED", "FAILED"]);

export interface JobDetails {
  type: string;
  submission_id: string;
  job_id: string | null;
  status: JobStatus;
  message: string | null;
  error_type: string | null;
  start_time: number | null;
  end_time: number | null;
  metadata: Record<string, string> | null;
  entrypoint: string;
  driver_exit_code: number | null;
}

export interface SubmitRequest {
  entrypoint: string;
  submission_id: string;
  runtime_env?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypoint_num_cpus?: number;
  entrypoint_num_gpus?: number;
  entrypoint_memory?: number;
  entrypoint_resources?: Record<string, number>;
}

/** A node as Ray's state API lists it (GET /api/v0/nodes). */
export interface RayNodeInfo {
  node_id: string;
  state: "ALIVE" | "DEAD" | string;
  is_head_node?: boolean;
  resources_total: Record<string, number>;
}

export class RayJobsError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`Ray Jobs API ${status}: ${body.trim().split("\n").at(-1) ?? body}`);
  }
}

export class RayJobsClient {
  constructor(
    readonly address = process.env.RAY_API_SERVER_ADDRESS ?? process.env.RAY_ADDRESS ?? "http://127.0.0.1:8265",
    private readonly token: string | undefined = process.env.RAY_AUTH_TOKEN,
  ) {
    if (!/^https?:\/\//.test(address)) throw new Error(`Ray address must be http(s)://host:port, got ${JSON.stringify(address)}`);
  }

  /**
   * One request through node:http. (Not `fetch`: it always sends `Sec-Fetch-Mode`, and the Ray
   * dashboard refuses POSTs that look like browser traffic.)
   */
  private call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(`${this.address.replace(/\/$/, "")}${path}`);
    const raw = Buffer.isBuffer(body);
    const payload = body === undefined ? undefined : raw ? (body as Buffer) : JSON.stringify(body);
    const headers: Record<string, string> = { accept: "application/json" };
    if (payload !== undefined) {
      headers["content-type"] = raw ? "application/octet-stream" : "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const request = url.protocol === "https:" ? https.request : http.request;
    return new Promise((resolve, reject) => {
      // A fresh connection per call (`agent: false`): the dashboard may drop idle keep-alive sockets.
      const req = request(url, { method, headers, timeout: 30_000, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(new RayJobsError(status, text));
          try {
            resolve(text ? JSON.parse(text) : null);
          } catch {
            reject(new RayJobsError(status, `not JSON: ${text.slice(0, 200)}`));
          }
        });
      });
      req.on("timeout", () => req.destroy(new Error(`Ray Jobs API ${method} ${path} timed out`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * Submits a job; when a job with this submission id already exists (a retry after a crash or a
   * timeout), returns that job instead of failing.
   */
  async submit(req: SubmitRequest): Promise<{ submission_id: string; created: boolean }> {
    try {
      const r = (await this.call("POST", "/api/jobs/", req)) as { submission_id: string };
      return { submission_id: r.submission_id, created: true };
    } catch (e) {
      // Ray answers 400 or (from the dashboard head) 500 with the agent's traceback.
      if (e instanceof RayJobsError && /already exists/.test(e.body)) {
        await this.get(req.submission_id);
        return { submission_id: req.submission_id, created: false };
      }
      throw e;
    }
  }

  /**
   * Uploads a working-directory package (a `gcs://_ray_pkg_<hash>.zip` URI and its zip, as
   * `packageWorkingDir` in the client makes them) through the Jobs API's package endpoint, the way
   * `ray job submit --working-dir` does, unless the cluster has it already; a job's
   * `runtime_env.working_dir` may then name the URI. Returns whether it was uploaded.
   */
  async uploadPackage(uri: string, zip: Buffer): Promise<boolean> {
    const m = /^(gcs):\/\/(_ray_pkg_[0-9a-f]{32}\.zip)$/.exec(uri);
    if (!m) throw new Error(`not a package URI: ${JSON.stringify(uri)} (gcs://_ray_pkg_<32 hex>.zip)`);
    const at = `/api/packages/${m[1]}/${m[2]}`;
    try {
      await this.call("GET", at);
      return false;
    } catch (e) {
      if (!(e instanceof RayJobsError && e.status === 404)) throw e;
    }
    await this.call("PUT", at, zip);
    return true;
  }

  async get(id: string): Promise<JobDetails> {
    return (await this.call("GET", `/api/jobs/${encodeURIComponent(id)}`)) as JobDetails;
  }

  /** The job, or null if the cluster does not know it. */
  async find(id: string): Promise<JobDetails | null> {
    try {
      return await this.get(id);
    } catch (e) {
      if (e instanceof RayJobsError && e.status === 404) return null;
      throw e;
    }
  }

  async list(): Promise<JobDetails[]> {
    return (await this.call("GET", "/api/jobs/")) as JobDetails[];
  }

  /** The cluster's nodes, alive and dead (Ray's state API). */
  async nodes(): Promise<RayNodeInfo[]> {
    const r = (await this.call("GET", "/api/v0/nodes?detail=1&limit=10000")) as { data: { result: { result: RayNodeInfo[] } } };
    return r.data.result.result;
  }

  async logs(id: string): Promise<string> {
    return ((await this.call("GET", `/api/jobs/${encodeURIComponent(id)}/logs`)) as { logs: string }).logs;
  }

  async stop(id: string): Promise<boolean> {
    return ((await this.call("POST", `/api/jobs/${encodeURIComponent(id)}/stop`)) as { stopped: boolean }).stopped;
  }

  async delete(id: string): Promise<void> {
    await this.call("DELETE", `/api/jobs/${encodeURIComponent(id)}`);
  }

  /** Polls until the job reaches one of `statuses` (by default a terminal one). */
  async waitFor(id: string, statuses: ReadonlySet<JobStatus> = TERMINAL, timeoutMs = 60_000, pollMs = 200): Promise<JobDetails> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get(id);
      if (statuses.has(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
