// Device heartbeats: signed by the device key, refused when unsigned, foreign, stale, replayed,
// malformed or from an unregistered device, and nothing is recorded for a refused one.
import { HeartbeatBook, HeartbeatRejected, type HeartbeatWire, signHeartbeat } from "@hourglass/client";
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
