// The Chain port's contract, held by both adapters: engineChain over the in-process engine and rpcChain
// over the embedded network's JSON-RPC endpoint (startRpcServer on the same kind of engine). Each gets a
// lease world and goes through the same operations: a transaction that lands, ones a program refuses
// (directly and through a CPI), account reads, the clock after a warp, and the event feed. Then what
// only the RPC adapter has: replay from genesis, throwing on transport failures, and, against a
// scripted node, what the embedded one never does (confirmation after processed, a failure found after
// sending, duplicate bytes, expiry; listings that lag, transactions not readable yet, a failed round).

import http from "node:http";
import type { AddressInfo } from "node:net";
import { LEASES_PROGRAM_ID, LeasesError, marketPda, REWARDS_PROGRAM_ID, STAKING_PROGRAM_ID, StakingError, staking } from "@hourglass/client";
import { type RpcServer, startRpcServer } from "@hourglass/localchain";
import { type Chain, type ChainEvent, engineChain, rpcChain } from "@hourglass/orchestrator";
import { Keypair, type PublicKey, SystemProgram } from "@solana/web3.js";
import bs58 from "bs58";
import { expect } from "chai";
import { LeaseWorld, TOKENS } from "./support/lease-world.ts";
import { type DeviceHandle, RTX4070 } from "./support/world.ts";

const POLL_MS = 20;
const RPC = { pollMs: POLL_MS, confirmPollMs: 5 };

/** Resolves once `done()` holds (checked every few ms), or fails after `ms`. */
async function until(what: string, done: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const settle = () => new Promise((r) => setTimeout(r, POLL_MS * 6));

interface Delivery {
  signature: string;
  names: string[];
}
const delivery = (events: ChainEvent[], signature: string): Delivery => ({ signature, names: events.map((e) => e.name) });

/** A lease world with an RPC endpoint from genesis, and the engine's own record of every delivery since. */
async function world() {
  let server!: Promise<RpcServer>;
  const history: Delivery[] = [];
  const lw = await LeaseWorld.create("litesvm", undefined, (engine) => {
    server = startRpcServer(engine, 0);
    engineChain(engine).subscribe((events, signature) => history.push(delivery(events, signature)));
  });
  return { lw, rpc: await server, history };
}

const ADAPTERS: { name: string; chain: (lw: LeaseWorld, rpc: RpcServer) => Chain }[] = [
  { name: "engineChain", chain: (lw) => engineChain(lw.engine) },
  { name: "rpcChain", chain: (_lw, rpc) => rpcChain(rpc.url, RPC) },
];

for (const adapter of ADAPTERS) {
  describe(`Chain contract: ${adapter.name}`, () => {
    let lw: LeaseWorld;
    let rpc: RpcServer;
    let chain: Chain;
    let device: DeviceHandle;

    before(async () => {
      ({ lw, rpc } = await world());
      chain = adapter.chain(lw, rpc);
    });
    after(() => rpc.close());

    /** A new supplier's device, registered and staked to its minimum through the chain. */
    async function stakedDevice(): Promise<DeviceHandle> {
      const supplier = await lw.w.newSupplier(100_000n * TOKENS);
      const { ix, device: d } = await lw.w.registerDeviceIx(supplier);
      const registered = await chain.send([ix], [supplier.wallet, d.key]);
      expect(registered, registered.error ?? "").to.include({ ok: true, error: null, errorCode: null });
      const staked = await chain.send([await lw.w.stakeIx(d, lw.w.minimum(d))], [supplier.wallet]);
      expect(staked.ok, staked.error ?? "").to.equal(true);
      return d;
    }

    it("sends a transaction that lands: ok, with its signature, its effects readable", async () => {
      device = await stakedDevice();
      const supplier = device.supplier;
      const { ix, device: d } = await lw.w.registerDeviceIx(supplier);
      const res = await chain.send([ix], [supplier.wallet, d.key]);
      expect(res).to.include({ ok: true, error: null, errorCode: null });
      expect(bs58.decode(res.signature).length).to.equal(64);
      const acc = await chain.getAccount(d.address);
      expect(acc, "the registered device").to.not.equal(null);
      expect(lw.w.staking.decodeDevice(acc!.data).deviceKey.toBase58()).to.equal(d.key.publicKey.toBase58());
    });

    it("resolves a transaction the program refuses with ok: false and the program's error code", async () => {
      const supplier = device.supplier;
      const key = Keypair.generate();
      const ix = await lw.w.staking.registerDevice({
        supplier: supplier.wallet.publicKey,
        deviceKey: key.publicKey,
        gpuModel: RTX4070.code,
        gpuCount: staking.MAX_GPUS + 1,
        vramGb: 24,
        region: 276,
        bandwidthTier: 3,
      });
      const res = await chain.send([ix], [supplier.wallet, key]);
      expect(res.ok).to.equal(false);
      expect(res.errorCode, res.error ?? "").to.equal(StakingError.InvalidGpuCount);
      expect(res.signature).to.be.a("string").and.not.equal("");
      expect(res.error).to.be.a("string").and.not.equal("");
      expect(await chain.getAccount(key.publicKey)).to.equal(null);
    });

    it("reads accounts one by one and many at once: the order kept, null for a missing one", async () => {
      const missing = () => Keypair.generate().publicKey;
      const known = [lw.w.config, marketPda()[0], device.address, lw.w.vault];
      const view = (a: { data: Buffer; owner: PublicKey; lamports: number; executable: boolean } | null) =>
        a && { data: a.data.toString("hex"), owner: a.owner.toBase58(), lamports: a.lamports, executable: a.executable };
      const truth = await Promise.all(known.map(async (k) => view(await lw.engine.getAccount(k))));
      for (const [i, k] of known.entries()) expect(view(await chain.getAccount(k))).to.deep.equal(truth[i]);
      expect(await chain.getAccount(missing())).to.equal(null);
      // More than one request's worth (100), the known ones spread among missing ones.
      const addresses: PublicKey[] = [];
      const expected: unknown[] = [];
      for (let i = 0; i < 230; i++) {
        const k = i % 57 === 3 ? (i / 57) | 0 : -1;
        addresses.push(k >= 0 ? known[k] : missing());
        expected.push(k >= 0 ? truth[k] : null);
      }
      expect((await chain.getMultipleAccounts(addresses)).map(view)).to.deep.equal(expected);
      expect(await chain.getMultipleAccounts([])).to.deep.equal([]);
    });

    it("reads the clock the programs see, and it moves with the engine's warp", async () => {
      const before = await chain.unixTime();
      expect(before).to.equal(Number(await lw.engine.unixTime()));
      await lw.engine.warp(3_600);
      expect(await chain.unixTime()).to.equal(before + 3_600);
    });

    it("delivers each transaction's events once, in order (CPI events included), from subscribe on, and nothing after unsubscribe", async () => {
      const seen: Delivery[] = [];
      const unsubscribe = chain.subscribe((events, signature) => seen.push(delivery(events, signature)));
      const renter = await lw.newRenter();
      const open = async () => {
        const o = await lw.openIxs(renter, { gpus: 1, hours: 2, price: 1_000n });
        const res = await chain.send(o.ixs, o.signers);
        expect(res.ok, res.error ?? "").to.equal(true);
        return { lease: o.lease.publicKey, signature: res.signature };
      };
      const assign = (lease: PublicKey) => lw.leases.assignDevice({ attester: lw.attester.publicKey, lease, device: device.address });
      const a = await open();
      const b = await open();
      const assigned = await chain.send([await assign(a.lease)], [lw.attester]);
      expect(assigned.ok, assigned.error ?? "").to.equal(true);
      // The device is leased now: the staking program refuses the lease program's CPI, and the whole
      // transaction fails with the staking program's code.
      const twice = await chain.send([await assign(b.lease)], [lw.attester]);
      expect(twice.ok).to.equal(false);
      expect(twice.errorCode, twice.error ?? "").to.equal(StakingError.DeviceLeased);
      expect(twice.error).to.contain(`failed: custom program error: 0x${StakingError.DeviceLeased.toString(16)}`);
      // One the lease program refuses itself: the lease is full.
      const full = await chain.send([await assign(a.lease)], [lw.attester]);
      expect(full.errorCode, full.error ?? "").to.be.oneOf([LeasesError.ClusterFull, LeasesError.NoFreeSlot]);
      const expected: Delivery[] = [
        { signature: a.signature, names: ["LeaseCreated"] },
        { signature: b.signature, names: ["LeaseCreated"] },
        { signature: assigned.signature, names: ["DeviceStatusChanged", "DeviceAssigned"] },
      ];
      await until("three deliveries", () => seen.length >= expected.length);
      await settle();
      expect(seen).to.deep.equal(expected);
      unsubscribe();
      await stakedDevice();
      await settle();
      expect(seen).to.deep.equal(expected);
    });
  });
}

describe("rpcChain over JSON-RPC", () => {
  it("replays every program transaction from genesis, in execution order, when asked", async () => {
    const { lw, rpc, history } = await world();
    try {
      await lw.stakedDevices(2);
      await lw.engine.warp(60);
      await lw.stakedDevices(1);
      const seen: Delivery[] = [];
      const unsubscribe = rpcChain(rpc.url, { ...RPC, from: "genesis" }).subscribe((events, signature) => seen.push(delivery(events, signature)));
      try {
        // The programs' successful transactions only (the token program's setup is not among them), in
        // the order the engine executed them, many in one slot.
        await until("the whole history", () => seen.length >= history.length);
        await settle();
        expect(seen).to.deep.equal(history);
        expect(history.map((p) => p.names[0]).slice(0, 2)).to.deep.equal(["ConfigInitialized", "GpuTierSet"]);
        expect(history.filter((h) => h.names.includes("Staked"))).to.have.length(3);
      } finally {
        unsubscribe();
      }
    } finally {
      await rpc.close();
    }
  });

  it("throws when the node is unreachable, answers an HTTP error or does not answer in time", async () => {
    const payer = Keypair.generate();
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const failing = http.createServer((_req, res) => res.writeHead(503).end("overloaded"));
    const hanging = http.createServer(() => {});
    for (const s of [failing, hanging]) await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const urlOf = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${port}`, /fetch failed/],
      [urlOf(failing), /HTTP 503/],
      [urlOf(hanging), /timeout/],
    ];
    try {
      for (const [url, why] of cases) {
        const chain = rpcChain(url, { ...RPC, requestTimeoutMs: 100 });
        await expectThrows(chain.getAccount(payer.publicKey), url, why);
        await expectThrows(chain.getMultipleAccounts([payer.publicKey]), url, why);
        await expectThrows(chain.unixTime(), url, why);
        await expectThrows(chain.send(transfer(payer), [payer]), url, why);
      }
    } finally {
      for (const s of [failing, hanging]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    }
  });
});

/** A node that answers `methods` (by name, from the params; a thrown `{ code, message, data }` is an error
 *  answer) over JSON-RPC, single calls and batches. */
async function fakeNode(methods: Record<string, (params: unknown[]) => unknown>): Promise<{ url: string; close(): Promise<void> }> {
  const answer = (r: { id: unknown; method: string; params: unknown[] }) => {
    try {
      return { jsonrpc: "2.0", id: r.id, result: methods[r.method](r.params) };
    } catch (error) {
      return { jsonrpc: "2.0", id: r.id, error };
    }
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe("rpcChain's sends against a scripted node", () => {
  const payer = Keypair.generate();
  const CODE = 6001;
  const failedLine = `Program ${Keypair.generate().publicKey.toBase58()} failed: custom program error: 0x${CODE.toString(16)}`;
  const confirmed = () => ({ err: null, confirmationStatus: "confirmed" });

  interface Script {
    /** The status of the sent transaction at the n-th poll. */
    status: (n: number) => unknown;
    height?: number;
    /** The error sendTransaction answers with. */
    refuse?: unknown;
    /** The blockhash of the n-th getLatestBlockhash (a fresh one each time unless told). */
    blockhash?: (n: number) => string;
  }

  /** A node following `script`; it counts status polls and blockhash requests, and keeps the signatures sent. */
  const node = async (script: Script) => {
    const sent: string[] = [];
    const count = { polls: 0, blockhashes: 0 };
    const served = await fakeNode({
      getLatestBlockhash: () => ({
        context: { slot: 1 },
        value: { blockhash: script.blockhash?.(count.blockhashes++) ?? Keypair.generate().publicKey.toBase58(), lastValidBlockHeight: 20 },
      }),
      sendTransaction: ([raw]) => {
        sent.push(bs58.encode(Buffer.from(raw as string, "base64").subarray(1, 65)));
        if (script.refuse) throw script.refuse;
        return sent.at(-1);
      },
      getSignatureStatuses: () => ({ context: { slot: 1 }, value: [script.status(count.polls++)] }),
      getBlockHeight: () => script.height ?? 10,
      getTransaction: ([sig]) => (sent.includes(sig as string) ? { slot: 1, meta: { err: {}, logMessages: ["Program log: refused", failedLine] } } : null),
    });
    return { ...served, count, sent };
  };

  it("waits past processed for confirmed, and resolves a transaction confirmed with an error as refused, with its code", async () => {
    const ok = await node({ status: (n) => (n < 3 ? null : { err: null, confirmationStatus: n < 5 ? "processed" : "confirmed" }) });
    const failed = await node({ status: () => ({ err: { InstructionError: [1, { Custom: CODE }] }, confirmationStatus: "finalized" }) });
    try {
      const landed = await rpcChain(ok.url, RPC).send(transfer(payer), [payer]);
      expect(landed).to.deep.equal({ ok: true, signature: ok.sent[0], error: null, errorCode: null });
      expect(ok.count.polls, "status polls until confirmed").to.equal(6);
      const refused = await rpcChain(failed.url, RPC).send(transfer(payer), [payer]);
      expect(refused).to.include({ ok: false, signature: failed.sent[0], errorCode: CODE });
      expect(refused.error).to.contain(failedLine);
    } finally {
      await ok.close();
      await failed.close();
    }
  });

  it("follows a resend the node reports as already processed to the first one's outcome", async () => {
    const again = await node({
      status: confirmed,
      refuse: {
        code: -32002,
        message: "Transaction simulation failed: This transaction has already been processed",
        data: { err: "AlreadyProcessed", logs: [] },
      },
    });
    try {
      expect(await rpcChain(again.url, RPC).send(transfer(payer), [payer])).to.include({ ok: true, error: null });
      expect(again.count.polls).to.equal(1);
    } finally {
      await again.close();
    }
  });

  it("sends the same instructions again on a newer blockhash (the node would drop identical bytes)", async () => {
    const same = Keypair.generate().publicKey.toBase58();
    const later = Keypair.generate().publicKey.toBase58();
    const slow = await node({ status: confirmed, blockhash: (n) => (n < 3 ? same : later) });
    try {
      const chain = rpcChain(slow.url, RPC);
      const ixs = transfer(payer);
      const first = await chain.send(ixs, [payer]);
      const second = await chain.send(ixs, [payer]);
      expect([first.ok, second.ok]).to.deep.equal([true, true]);
      expect(second.signature).to.not.equal(first.signature);
      expect(slow.sent).to.deep.equal([first.signature, second.signature]);
      expect(slow.count.blockhashes).to.equal(4);
    } finally {
      await slow.close();
    }
  });

  it("throws when the transaction never shows before its blockhash expires, or before the timeout", async () => {
    const expired = await node({ status: () => null, height: 21 });
    const slow = await node({ status: () => null });
    try {
      await expectThrows(rpcChain(expired.url, RPC).send(transfer(payer), [payer]), "expired", /not confirmed before its blockhash expired/);
      await expectThrows(rpcChain(slow.url, { ...RPC, confirmTimeoutMs: 50 }).send(transfer(payer), [payer]), "timed out", /not confirmed within 50 ms/);
    } finally {
      await expired.close();
      await slow.close();
    }
  });
});

describe("rpcChain's event feed against a scripted node", () => {
  it("delivers a transaction listed late under a second program once, waits for one not readable yet, and polls on after a failed round", async () => {
    const sig = () => bs58.encode(Keypair.generate().secretKey);
    /** Per program, its transactions oldest first; getSignaturesForAddress answers newest first from them. */
    const listed = new Map<string, { signature: string; slot: number; err: unknown }[]>(
      [STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID].map((p) => [p.toBase58(), []]),
    );
    /** Per slot, its transactions in execution order (the order they are first listed in). */
    const blocks = new Map<number, Set<string>>();
    const list = (program: PublicKey, signature: string, slot: number, err: unknown = null) => {
      listed.get(program.toBase58())!.push({ signature, slot, err });
      blocks.set(slot, (blocks.get(slot) ?? new Set()).add(signature));
    };
    const unreadable = new Set<string>();
    let down = false;
    const served = await fakeNode({
      getSignaturesForAddress: ([address, c]) => {
        if (down) throw { code: -32005, message: "Node is behind" };
        const { until, before, limit } = c as { until?: string; before?: string; limit: number };
        const all = [...listed.get(address as string)!].reverse();
        const from = before ? all.findIndex((i) => i.signature === before) + 1 : 0;
        const to = until ? all.findIndex((i) => i.signature === until) : -1;
        return all.slice(from, to < 0 ? undefined : to).slice(0, limit);
      },
      getBlock: ([slot]) => ({ signatures: [...(blocks.get(slot as number) ?? [])] }),
      getTransaction: ([s]) => (unreadable.has(s as string) ? null : { slot: 1, meta: { err: null, logMessages: [] } }),
    });
    const errors: Error[] = [];
    const seen: string[] = [];
    list(STAKING_PROGRAM_ID, sig(), 1); // before the subscription: not delivered
    const unsubscribe = rpcChain(served.url, { pollMs: 5, onPollError: (e) => errors.push(e) }).subscribe((_events, s) => seen.push(s));
    try {
      await settle();
      // A lease transaction, listed under the lease program first; a failed one; then one in the same
      // slot as the first but executed before it (the block's order wins over the lists').
      const [lease, failed, early] = [sig(), sig(), sig()];
      list(LEASES_PROGRAM_ID, early, 2);
      list(LEASES_PROGRAM_ID, failed, 2, { InstructionError: [0, { Custom: 1 }] });
      list(STAKING_PROGRAM_ID, lease, 2);
      await until("two deliveries", () => seen.length >= 2);
      await settle();
      expect(seen).to.deep.equal([early, lease]);
      // The staking program's list shows the lease transaction a round late (it was confirmed between
      // the two requests): not delivered again.
      list(LEASES_PROGRAM_ID, lease, 2);
      // Listed but not readable yet: it waits, and so does what comes after it.
      const [slow, next] = [sig(), sig()];
      unreadable.add(slow);
      list(REWARDS_PROGRAM_ID, slow, 3);
      list(STAKING_PROGRAM_ID, next, 4);
      await settle();
      expect(seen).to.deep.equal([early, lease]);
      down = true;
      await until("a failed round", () => errors.length > 0);
      down = false;
      unreadable.delete(slow);
      await until("four deliveries", () => seen.length >= 4);
      await settle();
      expect(seen).to.deep.equal([early, lease, slow, next]);
      expect(errors[0].message).to.contain("Node is behind");
    } finally {
      unsubscribe();
      await served.close();
    }
  });
});

/** `p` rejects, with a message matching `message`. */
async function expectThrows(p: Promise<unknown>, what: string, message: RegExp): Promise<void> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `${what} should throw`).to.be.instanceOf(Error);
  expect((error as Error).message, what).to.match(message);
}

/** Any instruction, for sends that never reach a program. */
const transfer = (payer: Keypair) => [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: 1 })];
