// Device heartbeats: signed by the device key, refused when unsigned, foreign, stale, replayed,
// malformed or from an unregistered device, and nothing is recorded for a refused one.
import { HeartbeatBook, HeartbeatRejected, type HeartbeatWire, signHeartbeat } from "@hourglass/client";
import { type AgentApiServer, startAgentApi } from "@hourglass/orchestrator";
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

describe("orchestrator agent API (heartbeats over HTTP)", () => {
  const device = Keypair.generate();
  const book = new HeartbeatBook((d) => d.equals(device.publicKey));
  let api: AgentApiServer;
  before(async () => {
    api = await startAgentApi({ heartbeats: book, now: () => NOW });
  });
  after(() => api.close());
  const post = (body: string) => fetch(`${api.url}/agents/heartbeat`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("accepts a signed heartbeat and refuses its replay with 409, a forgery with 401, malformed JSON with 400", async () => {
    const wire = signHeartbeat(device, { rayNodeId: "", unixTime: NOW, sequence: 1n, digest: DIGEST });
    const ok = await post(JSON.stringify(wire));
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.deep.equal({ accepted: true, device: device.publicKey.toBase58(), sequence: "1" });
    const replay = await post(JSON.stringify(wire));
    expect(replay.status).to.equal(409);
    expect(((await replay.json()) as { error: string }).error).to.match(/replayed/);
    const forged = { ...signHeartbeat(Keypair.generate(), { rayNodeId: "", unixTime: NOW, sequence: 2n, digest: DIGEST }), device: wire.device };
    expect((await post(JSON.stringify(forged))).status).to.equal(401);
    const bad = await post("{not json");
    expect(bad.status).to.equal(400);
    expect(book.last(device.publicKey)?.sequence).to.equal(1n);
    expect((await fetch(`${api.url}/health`)).status).to.equal(200);
  });
});
