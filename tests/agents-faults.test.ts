// Faults for real, with agent processes and a Ray cluster per lease: kill -9 of a worker's agent and,
// in another lease, of the head's: the machine's Ray node goes with it, its heartbeats stop (a forger's
// heartbeats for it are refused), and past the grace the orchestrator reports the fault on chain: the
// device is slashed and released, the renter gets the unproven hours back, the healthy machine is paid
// its proven hours to the base unit. A head's loss moves the head to a surviving machine, where the job
// runs again. An agent restarted with the same key rejoins and is placeable again. And the
// orchestrator restarted mid-lease, with the agents still running, recovers without proving an hour twice.
import { IDLE, LeaseStatus, SlotStatus, signHeartbeat, toBigInt } from "@hourglass/client";
import { mintTo } from "@hourglass/localchain";
import { RayJobsClient } from "@hourglass/orchestrator";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { AgentNetwork, anyAlive, eventually } from "./support/agent-network.ts";
import { FEES, HOUR, type OpenLease, TOKENS } from "./support/lease-world.ts";
import { H100 } from "./support/world.ts";

const PRICE = 3n * TOKENS;
const GRACE = 2 * HOUR;
const HOURS = 3;
/** What a supplier receives of `gross` after the supplier fee. */
const afterFee = (gross: bigint) => gross - (gross * BigInt(FEES.supplier)) / 10_000n;

/** Opens a 16-GPU lease on two machines and waits until its job runs on its cluster and hour 0 is proven on both. */
async function runningLease(n: AgentNetwork): Promise<{ open: OpenLease; head: string; worker: string; dashboard: string }> {
  const renter = await n.lw.newRenter();
  const open = await n.lw.open(renter, { gpus: 16, hours: HOURS, price: PRICE, gpuModel: H100.code, maxDevices: 2 });
  const id = open.lease.publicKey.toBase58();
  const c = await eventually(
    "the lease's job running on its cluster",
    () => {
      const v = n.service.orchestrator.cluster(id);
      return v?.jobStatus === "RUNNING" ? v : undefined;
    },
    180_000,
    500,
  );
  await n.lw.engine.warp(HOUR);
  await eventually("hour 0 proven on both machines", async () => (await n.lw.state(open)).slots.every((s) => s.provenHours === 1));
  const head = c.devices.find((d) => d.role === "head")!.device;
  const worker = c.devices.find((d) => d.role === "worker")!.device;
  return { open, head, worker, dashboard: c.dashboard! };
}

/** Lets the rest of the booked hours and the grace pass, then waits for settlement. */
async function settle(n: AgentNetwork, open: OpenLease, proven: (hour: number) => Promise<boolean>) {
  for (let h = 1; h < HOURS; h++) {
    await n.lw.engine.warp(HOUR);
    await eventually(`hour ${h} proven on the healthy machine`, () => proven(h));
  }
  await n.lw.engine.warp(GRACE + 1);
  await eventually("the lease settled", async () => n.service.orchestrator.isSettled(open.lease.publicKey), 60_000);
  return n.lw.state(open);
}

const paid = async (n: AgentNetwork, open: OpenLease, owner: PublicKey) => n.lw.w.balance(getAssociatedTokenAddressSync(open.mint, owner, true));

/** A two-machine agent network for one describe block (started before its test, closed after). */
function useNetwork(portBase: number): () => AgentNetwork {
  let n: AgentNetwork | undefined;
  before(async () => {
    n = await AgentNetwork.create({ machines: 2, grace: GRACE, portBase });
  });
  after(async () => {
    await n?.close();
  });
  return () => n!;
}

describe("agents as processes under faults", function () {
  this.timeout(900_000);

  describe("kill -9 of a worker's agent", () => {
    const net = useNetwork(34_000);

    it("its node goes, its heartbeats stop (a forger's are refused), it is faulted past the grace; the head's machine is paid its hours; restarted, it rejoins and is placeable", async () => {
      const n = net();
      const { open, worker, head, dashboard } = await runningLease(n);
      const agent = n.agents.find((a) => a.device.address.toBase58() === worker)!;
      const workerNode = n.service.orchestrator.cluster(open.lease.publicKey.toBase58())!.devices.find((d) => d.device === worker)!.rayNodeId!;
      const tree = await agent.kill9();
      expect(tree.length).to.be.greaterThan(0);
      await eventually("the worker's Ray processes gone", () => !anyAlive(tree), 30_000);
      const ray = new RayJobsClient(dashboard);
      await eventually(
        "the head to see the worker's node dead",
        async () => (await ray.nodes()).find((x) => x.node_id === workerNode)?.state === "DEAD",
        60_000,
      );
      await eventually("the orchestrator to hear nothing from it", () => !n.service.registry.alive(worker), 30_000);
      // Someone else's key cannot keep it alive.
      const forged = {
        ...signHeartbeat(Keypair.generate(), { rayNodeId: "", unixTime: Math.floor(Date.now() / 1000), sequence: 1n << 60n, running: IDLE }),
        device: worker,
      };
      const res = await fetch(`${n.service.url}/agents/heartbeat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(forged),
      });
      expect(res.status).to.equal(401);
      expect(n.service.registry.alive(worker)).to.equal(false);
      const stakeBefore = toBigInt((await n.lw.w.device({ address: agent.device.address })).stake);

      const after = await settle(n, open, async (h) => (await n.lw.state(open)).slots.find((s) => s.device.toBase58() === head)!.provenHours === h + 1);
      const w = after.slots.find((s) => s.device.toBase58() === worker)!;
      const hd = after.slots.find((s) => s.device.toBase58() === head)!;
      expect(after.lease.status).to.equal(LeaseStatus.Settled);
      expect(w.status).to.equal(SlotStatus.Faulted);
      expect(w.provenHours).to.equal(1);
      expect(hd.provenHours).to.equal(HOURS);
      expect(toBigInt(after.lease.refunded)).to.equal(PRICE * 8n * BigInt(HOURS - 1));
      expect(await paid(n, open, hd.owner)).to.equal(afterFee(PRICE * 8n * BigInt(HOURS)));
      expect(await paid(n, open, w.owner)).to.equal(afterFee(PRICE * 8n));
      expect(toBigInt((await n.lw.w.device({ address: agent.device.address })).stake) < stakeBefore).to.equal(true);
      expect(await n.lw.w.balance(open.escrow.publicKey)).to.equal(0n);

      // The same key again: it heartbeats and runs no node (it is not leased); slashed under its minimum
      // it is not placed until its supplier tops the stake up, then it is.
      agent.start();
      await eventually("the restarted agent heard again", () => n.service.registry.alive(worker), 30_000);
      expect(n.service.orchestrator.index.get(worker)).to.equal(undefined);
      const d = agent.device;
      const short = n.lw.w.minimum(d) - toBigInt((await n.lw.w.device(d)).stake);
      await mintTo(n.lw.engine, d.supplier.wallet, n.lw.w.mint, d.supplier.tokens, n.lw.w.mintAuthority, short);
      await n.lw.w.ok(
        "stake",
        await n.lw.w.staking.stake({ supplier: d.supplier.wallet.publicKey, deviceKey: d.address, supplierTokens: d.supplier.tokens, amount: short }),
        [d.supplier.wallet],
      );
      await eventually("the restarted machine placeable again", () => n.service.orchestrator.index.get(worker) !== undefined, 30_000);
      expect(agent.descendants()).to.deep.equal([]);
    });
  });

  describe("kill -9 of the head's agent", () => {
    const net = useNetwork(35_000);

    it("its cluster's head moves to the surviving machine, where the job runs again and is proven; the lost head is faulted", async () => {
      const n = net();
      const { open, worker, head, dashboard } = await runningLease(n);
      const tree = await n.agents.find((a) => a.device.address.toBase58() === head)!.kill9();
      await eventually("the head's Ray processes gone", () => !anyAlive(tree), 30_000);
      const id = open.lease.publicKey.toBase58();
      const moved = await eventually(
        "the job running again on a cluster headed by the survivor",
        () => {
          const c = n.service.orchestrator.cluster(id);
          return c?.jobStatus === "RUNNING" && c.dashboard !== dashboard && c.devices.find((d) => d.device === worker)?.role === "head" ? c : undefined;
        },
        180_000,
        500,
      );
      expect(moved.devices.find((d) => d.device === worker)!.rayNodeId).to.be.a("string");
      const after = await settle(n, open, async (h) => (await n.lw.state(open)).slots.find((s) => s.device.toBase58() === worker)!.provenHours === h + 1);
      const lost = after.slots.find((s) => s.device.toBase58() === head)!;
      const kept = after.slots.find((s) => s.device.toBase58() === worker)!;
      expect(lost.status).to.equal(SlotStatus.Faulted);
      expect(lost.provenHours).to.equal(1);
      expect(kept.provenHours).to.equal(HOURS);
      expect(toBigInt(after.lease.refunded)).to.equal(PRICE * 8n * BigInt(HOURS - 1));
      expect(await paid(n, open, kept.owner)).to.equal(afterFee(PRICE * 8n * BigInt(HOURS)));
    });
  });

  describe("the orchestrator restarted mid-lease", () => {
    const net = useNetwork(36_000);

    it("recovers the lease from the chain, the agents' next heartbeats and its cluster; nothing is proven twice and its job is not resubmitted", async () => {
      const n = net();
      const { open, dashboard } = await runningLease(n);
      const refused: number[] = [];
      n.lw.engine.subscribe((r) => {
        if (!r.ok && r.errorCode !== null) refused.push(r.errorCode);
      });
      const id = open.lease.publicKey.toBase58();
      const nodes = () =>
        n.service.orchestrator
          .cluster(id)!
          .devices.map((d) => `${d.device}:${d.role}:${d.rayNodeId}`)
          .sort();
      const before = nodes();
      const job = await new RayJobsClient(dashboard).get(id);
      await n.service.stop();
      await n.lw.engine.warp(HOUR); // hour 1 passes while it is away; the agents keep their nodes
      await n.startOrchestrator();
      await eventually("the lease recovered, its job followed", () => n.service.orchestrator.cluster(id)?.jobStatus === "RUNNING", 60_000);
      // The same cluster: the same nodes in the same roles, the same job run (not a cluster rebuilt on the same ports).
      expect(nodes()).to.deep.equal(before);
      const again = await new RayJobsClient(dashboard).get(id);
      expect([again.job_id, again.start_time]).to.deep.equal([job.job_id, job.start_time]);
      await eventually("hour 1 proven after the restart", async () => (await n.lw.state(open)).slots.every((s) => s.provenHours === 2));
      const after = await settle(n, open, async (h) => (await n.lw.state(open)).slots.every((s) => s.provenHours === h + 1));
      expect(after.lease.status).to.equal(LeaseStatus.Settled);
      expect(toBigInt(after.lease.earnedTotal)).to.equal(PRICE * 16n * BigInt(HOURS));
      expect(refused, "no refused transaction (no hour proven twice)").to.deep.equal([]);
      expect((await new RayJobsClient(dashboard).list()).map((j) => j.submission_id)).to.deep.equal([id]);
    });
  });
});
