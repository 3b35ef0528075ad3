// A local Ray head for one describe block: started before its tests, stopped after. Each suite uses
// its own ports so suites never share a head.
import { RayHead, RayJobsClient } from "@hourglass/orchestrator";

export function useRayHead(gcsPort: number, dashboardPort: number): { head: RayHead; ray: () => RayJobsClient } {
  const head = new RayHead({ gpus: 32, cpus: 4, gcsPort, dashboardPort });
  let client: RayJobsClient | undefined;
  before(async () => {
    await head.start();
    client = new RayJobsClient(head.dashboardUrl);
  });
  after(async () => {
    await head.stop();
  });
  return {
    head,
    ray: () => {
      if (!client) throw new Error("the Ray head has not started");
      return client;
    },
  };
}
