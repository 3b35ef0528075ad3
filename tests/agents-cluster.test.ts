// A lease runs on the machines it leased: real `hourglass agent run` processes (one per machine), the
// orchestrator service over the embedded chain's JSON-RPC, and a Ray cluster of its own per lease (the
// head on one leased machine, workers joining it from the others). Two leases at once: each job's
// tasks ran on exactly its lease's nodes, an unleased machine runs no Ray node, neither cluster sees
// the other's job; then hours are proven from the agents' signatures and the lease settles.
import { LeaseStatus, toBigInt } from "@hourglass/client";
import { RayJobsClient } from "@hourglass/orchestrator";
import { expect } from "chai";
import { AgentNetwork, eventually } from "./support/agent-network.ts";
import { HOUR, TOKENS } from "./support/lease-world.ts";
import { H100 } from "./support/world.ts";

const PRICE = 3n * TOKENS;
const GRACE = 2 * HOUR;

/** The JSON line the per-device batch job prints: device -> the nodes its tasks ran on. */
async function taskNodes(ray: RayJobsClient, job: string): Promise<Record<string, { nodes: string[]; tasks: number }>> {
  const line = (await ray.logs(job)).split("\n").find((l) => l.startsWith("hourglass batch job nodes: "));
  if (!line) throw new Error(`job ${job} printed no node report`);
  return JSON.parse(line.slice("hourglass batch job nodes: ".length));
}

describe("agents as processes, a Ray cluster per lease", function () {
  this.timeout(600_000);
  let net: AgentNetwork;
  before(async () => {
    net = await AgentNetwork.create({ machines: 5, grace: GRACE, portBase: 33_000, holdSeconds: 0 });
  });
  after(async () => {
    await net?.close();
  });

  it("two leases at once: each job runs on exactly its own leased machines' Ray nodes; the unleased machine runs none", async () => {
    const renter = await net.lw.newRenter();
    const a = await net.lw.open(renter, { gpus: 16, hours: 2, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    const b = await net.lw.open(renter, { gpus: 16, hours: 2, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
    const orch = () => net.service.orchestrator;
    const done = async (lease: string) => {
      const c = orch().cluster(lease);
      return c && c.jobStatus === "SUCCEEDED" ? c : undefined;
    };
    const [ca, cb] = await Promise.all([
      eventually("lease A's job to succeed", () => done(a.lease.publicKey.toBase58()), 180_000, 500),
      eventually("lease B's job to succeed", () => done(b.lease.publicKey.toBase58()), 180_000, 500),
    ]);
    for (const [open, c] of [
      [a, ca],
      [b, cb],
    ] as const) {
      const { slots } = await net.lw.state(open);
      const leased = slots.map((s) => s.device.toBase58()).sort();
      expect(c.devices.map((d) => d.device).sort()).to.deep.equal(leased);
      expect(c.devices.filter((d) => d.role === "head")).to.have.length(1);
      const ray = new RayJobsClient(c.dashboard!);
      // Every task ran on its device's own node, and the nodes are the ones the agents reported.
      const ran = await taskNodes(ray, c.job);
      expect(Object.keys(ran).sort()).to.deep.equal(leased);
      for (const d of c.devices) {
        expect(ran[d.device].nodes, d.device).to.deep.equal([d.rayNodeId]);
        expect(ran[d.device].tasks).to.equal(8);
        expect(net.service.registry.report(d.device)?.nodeId).to.equal(d.rayNodeId);
      }
      // The cluster is its lease's machines only, and knows only its lease's job.
      const alive = (await ray.nodes()).filter((n) => n.state === "ALIVE").map((n) => n.node_id);
      expect(alive.sort()).to.deep.equal(c.devices.map((d) => d.rayNodeId!).sort());
      expect((await ray.list()).map((j) => j.submission_id)).to.deep.equal([open.lease.publicKey.toBase58()]);
    }
    expect(ca.dashboard).to.not.equal(cb.dashboard);
    const nodesA = new Set(ca.devices.map((d) => d.rayNodeId));
    for (const d of cb.devices) expect(nodesA.has(d.rayNodeId)).to.equal(false);
    // The fifth machine was not leased: its agent runs no Ray node, and says so.
    const leased = new Set([...ca.devices, ...cb.devices].map((d) => d.device));
    const idle = net.agents.filter((x) => !leased.has(x.device.address.toBase58()));
    expect(idle).to.have.length(1);
    expect(idle[0].descendants()).to.deep.equal([]);
    expect(net.service.registry.report(idle[0].device.address.toBase58())).to.deep.include({ lease: null, nodeId: "" });

    // The hours pass and are proven from the agents' signatures; after the grace the lease settles and pays.
    for (let h = 0; h < 2; h++) {
      await net.lw.engine.warp(HOUR);
      await eventually(`hour ${h} proven on every device of A`, async () => (await net.lw.state(a)).slots.every((s) => s.provenHours === h + 1));
    }
    await net.lw.engine.warp(GRACE);
    await eventually("lease A settled and its devices released", async () => orch().isSettled(a.lease.publicKey));
    const { lease } = await net.lw.state(a);
    expect(lease.status).to.equal(LeaseStatus.Settled);
    expect(toBigInt(lease.earnedTotal)).to.equal(PRICE * 16n * 2n);
    // Released: its agents stop their nodes and go idle.
    for (const d of ca.devices) {
      const agent = net.agents.find((x) => x.device.address.toBase58() === d.device)!;
      await eventually(`${d.device}'s agent to stop its node`, () => agent.descendants().length === 0, 60_000);
    }
  });
});
