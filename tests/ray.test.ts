// The orchestrator's Ray Jobs client against a real Ray head (ray[default] from the project's
// virtualenv) with logical GPUs: submit with the lease id as submission id, follow, logs, idempotent
// retries, failures, stop.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageWorkingDir } from "@hourglass/client";
import { RayHead, RayJobsClient } from "@hourglass/orchestrator";
import { expect } from "chai";
import { ROOT } from "./support/world.ts";

describe("Ray Jobs REST API (real Ray head)", function () {
  this.timeout(180_000);
  const head = new RayHead({ gpus: 16, cpus: 4, gcsPort: 6390, dashboardPort: 8270 });
  let ray: RayJobsClient;
  const workload = path.join(ROOT, "orchestrator/workloads/batch_job.py");

  before(async () => {
    await head.start();
    ray = new RayJobsClient(head.dashboardUrl);
  });

  after(async () => {
    await head.stop();
  });

  it("runs a distributed batch job on logical GPUs under the lease id, with its logs", async () => {
    const leaseId = "LeaseAAAAbbbbCCCC1111";
    const submitted = await ray.submit({
      entrypoint: `${head.python} ${workload} --tasks 8 --gpus-per-task 2`,
      submission_id: leaseId,
      metadata: { lease: leaseId, gpus: "16" },
    });
    expect(submitted).to.deep.equal({ submission_id: leaseId, created: true });
    const done = await ray.waitFor(leaseId);
    expect(done.status, done.message ?? "").to.equal("SUCCEEDED");
    expect(done.metadata).to.deep.equal({ lease: leaseId, gpus: "16" });
    const logs = await ray.logs(leaseId);
    const m = /total (\d+), expected (\d+)/.exec(logs);
    expect(m, logs).to.not.equal(null);
    expect(m![1]).to.equal(m![2]);
    // A retried submission (same lease) finds the existing job instead of starting another.
    expect(await ray.submit({ entrypoint: "python -c 1", submission_id: leaseId })).to.deep.equal({ submission_id: leaseId, created: false });
    expect((await ray.list()).filter((j) => j.submission_id === leaseId)).to.have.length(1);
  });

  it("reports a failing workload as FAILED with its exit code", async () => {
    await ray.submit({ entrypoint: `${head.python} ${workload} --tasks 2 --fail`, submission_id: "lease-fails" });
    const job = await ray.waitFor("lease-fails");
    expect(job.status).to.equal("FAILED");
    expect(job.driver_exit_code).to.equal(3);
  });

  it("stops a running job (a renter's terminate or a paused lease)", async () => {
    await ray.submit({ entrypoint: `${head.python} -c "import time; time.sleep(300)"`, submission_id: "lease-long" });
    await ray.waitFor("lease-long", new Set(["RUNNING"]));
    expect(await ray.stop("lease-long")).to.equal(true);
    expect((await ray.waitFor("lease-long")).status).to.equal("STOPPED");
    await ray.delete("lease-long");
    expect(await ray.find("lease-long")).to.equal(null);
  });

  it("runs a job from a working directory uploaded as a package (as ray job submit --working-dir does), uploaded once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hg-wd-"));
    try {
      fs.mkdirSync(path.join(dir, "lib"));
      fs.writeFileSync(path.join(dir, "lib", "greeting.py"), 'WORDS = "hello from the renter\'s package"\n');
      fs.writeFileSync(path.join(dir, "main.py"), "from lib.greeting import WORDS\nprint(WORDS)\n");
      const pkg = await packageWorkingDir(dir);
      expect(await ray.uploadPackage(pkg.uri, pkg.zip)).to.equal(true);
      expect(await ray.uploadPackage(pkg.uri, pkg.zip)).to.equal(false); // the cluster has it
      await ray.submit({ entrypoint: "python main.py", submission_id: "with-working-dir", runtime_env: { working_dir: pkg.uri } });
      const done = await ray.waitFor("with-working-dir");
      expect(done.status, done.message ?? "").to.equal("SUCCEEDED");
      expect(await ray.logs("with-working-dir")).to.contain("hello from the renter's package");
      await ray.uploadPackage("gcs://elsewhere.zip", pkg.zip).then(
        () => expect.fail("a malformed URI was accepted"),
        (e: Error) => expect(e.message).to.contain("not a package URI"),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a malformed address up front", () => {
    expect(() => new RayJobsClient("127.0.0.1:8265")).to.throw("http(s)://host:port");
  });
});
