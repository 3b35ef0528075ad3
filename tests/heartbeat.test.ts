// Device heartbeats: signed by the device key, refused when unsigned, foreign, stale, replayed,
// malformed or from an unregistered device, and nothing is recorded for a refused one.
import {
  type HeartbeatAnswer,
  HeartbeatBook,
  HeartbeatRejected,
  type HeartbeatWire,
  IDLE,
  type RunningReport,
  requestMessage,
  type SignRequest,
  signHeartbeat,
  signRequest,
} from "@hourglass/client";
import { type AgentApiServer, AgentRegistry, startAgentApi } from "@hourglass/orchestrator";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { expect } from "chai";

const NOW = 1_800_000_000;
const DIGEST = new Uint8Array(16).fill(7);

function refused(book: HeartbeatBook, body: unknown, status: number, message: RegExp) {
  try {
    book.accept(body, NOW);
  } catch (e) {
    expect(e).to.be.instanceOf(HeartbeatRejected);
    expect((e as HeartbeatRejected).status).to.equal(status);
    expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail("the heartbeat was accepted");
}

describe("device heartbeats", () => {
  const device = Keypair.generate();
  const registered = new Set([device.publicKey.toBase58()]);
  const isRegistered = (d: PublicKey) => registered.has(d.toBase58());
  const beat = (sequence: bigint, unixTime = NOW, key = device): HeartbeatWire =>
    signHeartbeat(key, { rayNodeId: "node-a", unixTime, sequence, digest: DIGEST });

  it("accepts a fresh signed heartbeat from a registered device and keeps it alive for the window", () => {
    const book = new HeartbeatBook(isRegistered, { aliveSeconds: 15 });
    const h = book.accept(beat(1n), NOW);
    expect(h.device.equals(device.publicKey)).to.equal(true);
    expect(book.last(device.publicKey)?.rayNodeId).to.equal("node-a");
    expect(book.alive(device.publicKey, NOW + 15)).to.equal(true);
    expect(book.alive(device.publicKey, NOW + 16)).to.equal(false);
  });

  it("refuses a replayed or older sequence, and records nothing for it", () => {
    const book = new HeartbeatBook(isRegistered);
    book.accept(beat(5n), NOW);
    refused(book, beat(5n), 409, /replayed/);
    refused(book, beat(4n), 409, /replayed/);
    expect(book.last(device.publicKey)?.sequence).to.equal(5n);
    book.accept(beat(6n), NOW);
    expect(book.last(device.publicKey)?.sequence).to.equal(6n);
  });

  it("refuses a stale or future heartbeat beyond the skew", () => {
    const book = new HeartbeatBook(isRegistered, { maxSkewSeconds: 30 });
    refused(book, beat(1n, NOW - 31), 409, /stale/);
    refused(book, beat(1n, NOW + 31), 409, /stale/);
    book.accept(beat(1n, NOW - 30), NOW);
  });

  it("refuses a signature by another key, and a field changed after signing", () => {
    const book = new HeartbeatBook(isRegistered);
    const forged = { ...beat(1n, NOW, Keypair.generate()), device: device.publicKey.toBase58() };
    refused(book, forged, 401, /does not verify/);
    refused(book, { ...beat(1n), rayNodeId: "node-b" }, 401, /does not verify/);
    refused(book, { ...beat(1n), sequence: "2" }, 401, /does not verify/);
    expect(book.last(device.publicKey)).to.equal(undefined);
  });

  it("refuses a device that is not registered", () => {
    const stranger = Keypair.generate();
    refused(new HeartbeatBook(isRegistered), beat(1n, NOW, stranger), 403, /not registered/);
  });

  it("refuses malformed bodies with a message naming the field", () => {
    const book = new HeartbeatBook(isRegistered);
    const good = beat(1n);
    refused(book, [], 400, /JSON object/);
    refused(book, { ...good, extra: 1 }, 400, /unknown field extra/);
    refused(book, { ...good, device: "not-a-key" }, 400, /device/);
    refused(book, { ...good, unixTime: "now" }, 400, /unixTime/);
    refused(book, { ...good, sequence: "-1" }, 400, /sequence/);
    refused(book, { ...good, digest: "zz" }, 400, /digest/);
    refused(book, { ...good, signature: "AAAA" }, 400, /signature/);
    const { signature: _unsigned, ...unsigned } = good;
    refused(book, unsigned, 400, /signature/);
    refused(book, { ...good, rayNodeId: "x".repeat(65) }, 400, /rayNodeId/);
  });
});

describe("orchestrator agent API over HTTP (the agent registry)", () => {
  const device = Keypair.generate();
  const lease = Keypair.generate().publicKey.toBase58();
  const other = Keypair.generate().publicKey.toBase58();
  // The chain as the registry sees it: one registered device, in `lease`.
  const registry = new AgentRegistry({
    now: () => NOW,
    lookup: async (d) => ({ registered: d.equals(device.publicKey), lease: d.equals(device.publicKey) ? lease : null }),
  });
  let api: AgentApiServer;
  before(async () => {
    api = await startAgentApi({ registry });
  });
  after(() => api.close());
  let seq = 0n;
  const post = (path: string, body: string) => fetch(`${api.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const heartbeat = (running: RunningReport = IDLE, key = device, sequence = ++seq) =>
    signHeartbeat(key, { rayNodeId: running.lease ? "node-a" : "", unixTime: NOW, sequence, running });
  const error = async (r: Response) => ((await r.json()) as { error: string }).error;

  it("accepts a signed heartbeat with its report; refuses its replay with 409, a forgery with 401, malformed JSON and a missing report with 400, a stranger with 403", async () => {
    const wire = heartbeat();
    const ok = await post("/agents/heartbeat", JSON.stringify(wire));
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.deep.equal({ accepted: true, sequence: wire.sequence, assignment: null, sign: [] });
    const replay = await post("/agents/heartbeat", JSON.stringify(wire));
    expect(replay.status).to.equal(409);
    expect(await error(replay)).to.match(/replayed/);
    const forged = { ...heartbeat(IDLE, Keypair.generate()), device: wire.device };
    expect((await post("/agents/heartbeat", JSON.stringify(forged))).status).to.equal(401);
    expect((await post("/agents/heartbeat", "{not json")).status).to.equal(400);
    const { running: _r, ...bare } = signHeartbeat(device, { rayNodeId: "", unixTime: NOW, sequence: ++seq, digest: DIGEST });
    const noReport = await post("/agents/heartbeat", JSON.stringify(bare));
    expect(noReport.status).to.equal(400);
    expect(await error(noReport)).to.match(/running is required/);
    const tampered = { ...heartbeat(), running: { ...IDLE, gpus: 8 } };
    expect(await error(await post("/agents/heartbeat", JSON.stringify(tampered)))).to.match(/digest is not the digest of running/);
    const stranger = await post("/agents/heartbeat", JSON.stringify(heartbeat(IDLE, Keypair.generate())));
    expect(stranger.status).to.equal(403);
    expect(await error(stranger)).to.match(/not registered/);
    expect(registry.book.last(device.publicKey)?.sequence).to.equal(BigInt(wire.sequence));
    const health = (await (await fetch(`${api.url}/health`)).json()) as { devices: number; alive: number };
    expect(health).to.include({ devices: 1, alive: 1 });
  });

  it("refuses a device claiming a lease it is not in (403), and answers its assignment", async () => {
    const claim = await post("/agents/heartbeat", JSON.stringify(heartbeat({ lease: other, role: "head", gcs: "h:1", dashboard: "http://h:2", gpus: 8 })));
    expect(claim.status).to.equal(403);
    expect(await error(claim)).to.match(/not in lease/);
    registry.assign(lease, [{ device: device.publicKey.toBase58(), gpus: 8 }]);
    const answer = (await (await post("/agents/heartbeat", JSON.stringify(heartbeat()))).json()) as HeartbeatAnswer;
    expect(answer.assignment).to.deep.equal({ lease, role: "head", gpus: 8, head: null });
    const head = { lease, role: "head" as const, gcs: "127.0.0.1:1", dashboard: "http://127.0.0.1:2", gpus: 8 };
    expect((await post("/agents/heartbeat", JSON.stringify(heartbeat(head)))).status).to.equal(200);
    expect(registry.cluster(lease)).to.deep.include({ head: device.publicKey.toBase58(), dashboard: head.dashboard, ready: true });
  });

  it("refuses a report whose Jobs API is not on the head's own host (400), a Ray node id another live device reports (403), and records nothing for a replay", async () => {
    const bad = { lease, role: "head" as const, gcs: "127.0.0.1:1", dashboard: "http://evil.example:2", gpus: 8 };
    const r1 = await post("/agents/heartbeat", JSON.stringify(heartbeat(bad)));
    expect(r1.status).to.equal(400);
    expect(await error(r1)).to.match(/the head's host/);
    const other = Keypair.generate();
    const twin = new AgentRegistry({ now: () => NOW, lookup: async () => ({ registered: true, lease: null }) });
    const beat = (key: Keypair, node: string, sequence: bigint) => signHeartbeat(key, { rayNodeId: node, unixTime: NOW, sequence, running: IDLE });
    await twin.heartbeat(beat(device, "node-x", 1n));
    try {
      await twin.heartbeat(beat(other, "node-x", 1n));
      expect.fail("a second device reported the same Ray node");
    } catch (e) {
      expect((e as HeartbeatRejected).status).to.equal(403);
      expect((e as Error).message).to.match(/is reported by device/);
    }
    // A replay of the first is refused before anything about it is recorded.
    const stranger = Keypair.generate();
    const first = beat(stranger, "", 5n);
    await twin.heartbeat(first);
    const devicesBefore = twin.devices().length;
    await twin.heartbeat(first).then(
      () => expect.fail("replay accepted"),
      (e: HeartbeatRejected) => expect(e.status).to.equal(409),
    );
    expect(twin.devices()).to.have.length(devicesBefore);
    expect(twin.devices()).to.not.include(other.publicKey.toBase58());
  });

  it("after a restart, a lease one device is confirmed in does not let another device claim it", async () => {
    const inLease = Keypair.generate();
    const outsider = Keypair.generate();
    const fresh = new AgentRegistry({
      now: () => NOW,
      lookup: async (d) => ({ registered: true, lease: d.equals(inLease.publicKey) ? lease : null }),
    });
    const head = { lease, role: "head" as const, gcs: "127.0.0.1:1", dashboard: "http://127.0.0.1:2", gpus: 8 };
    const kept = await fresh.heartbeat(signHeartbeat(inLease, { rayNodeId: "node-1", unixTime: NOW, sequence: 1n, running: head }));
    expect(kept.assignment).to.deep.equal({ lease, role: "head", gpus: 8, head: null }); // keeps running it until recovered
    await fresh
      .heartbeat(
        signHeartbeat(outsider, {
          rayNodeId: "node-2",
          unixTime: NOW,
          sequence: 1n,
          running: { ...head, gcs: "127.0.0.1:3", dashboard: "http://127.0.0.1:4" },
        }),
      )
      .then(
        () => expect.fail("an outsider's claim was taken"),
        (e: HeartbeatRejected) => expect([e.status, e.message]).to.deep.equal([403, `device ${outsider.publicKey.toBase58()} is not in lease ${lease}`]),
      );
  });

  it("takes only signatures it asked for that verify under the device key; a requested one reaches the fleet", async () => {
    const request: SignRequest = { kind: "lease", lease, slot: 0, first: 0, count: 2, status: "RUNNING" };
    const unasked = await post("/agents/attestations", JSON.stringify({ device: device.publicKey.toBase58(), attestations: [signRequest(device, request)] }));
    expect(unasked.status).to.equal(409);
    expect(registry.attestation(device.publicKey.toBase58(), request)).to.equal(undefined); // now asked
    const answer = (await (await post("/agents/heartbeat", JSON.stringify(heartbeat()))).json()) as HeartbeatAnswer;
    expect(answer.sign).to.deep.equal([request]);
    const forged = { ...signRequest(Keypair.generate(), request) };
    const bad = await post("/agents/attestations", JSON.stringify({ device: device.publicKey.toBase58(), attestations: [forged] }));
    expect(bad.status).to.equal(401);
    const other = await post(
      "/agents/attestations",
      JSON.stringify({ device: device.publicKey.toBase58(), attestations: [signRequest(device, { ...request, count: 3 })] }),
    );
    expect(other.status).to.equal(409);
    expect((await post("/agents/attestations", JSON.stringify({ device: "x", attestations: [] }))).status).to.equal(400);
    const good = await post("/agents/attestations", JSON.stringify({ device: device.publicKey.toBase58(), attestations: [signRequest(device, request)] }));
    expect(good.status).to.equal(200);
    const att = registry.attestation(device.publicKey.toBase58(), request)!;
    expect(att.slot).to.equal(0);
    expect(Buffer.from(att.message).equals(Buffer.from(requestMessage(request)))).to.equal(true);
    // Taken once: the next call asks again.
    expect(registry.attestation(device.publicKey.toBase58(), request)).to.equal(undefined);
  });
});
