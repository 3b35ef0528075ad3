// The supplier CLI as a separate process against the embedded network's JSON-RPC endpoint: keys from
// files and ANCHOR_WALLET, cluster from ANCHOR_PROVIDER_URL, JSON and human output, numbered program
// errors, and bad input rejected before anything is sent.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startRpcServer, type RpcServer } from "../client/src/svm/index.ts";
import { DECIMALS, RTX4070, ROOT, UNBONDING_SECONDS, World } from "./support/world.ts";

const run = promisify(execFile);
const CLI = path.join(ROOT, "bin/hourglass");
const TOKENS = 10n ** BigInt(DECIMALS);

describe("hourglass supplier CLI over JSON-RPC", function () {
  let w: World;
  let rpc: RpcServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const keyFile = (name: string, kp: Keypair) => {
    const f = path.join(dir, `${name}.json`);
    fs.writeFileSync(f, JSON.stringify([...kp.secretKey]));
    return f;
  };
  const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    try {
      const { stdout, stderr } = await run(CLI, args, { env: { ...env, ...extraEnv } });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  before(async function () {
    w = await World.create("litesvm");
    rpc = await startRpcServer(w.engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-cli-"));
    env = { ...process.env, ANCHOR_PROVIDER_URL: rpc.url };
  });

  after(async function () {
    await rpc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("register, stake, status, unstake and withdraw a device end to end", async function () {
    const s = await w.newSupplier(10_000n * TOKENS);
    const device = Keypair.generate();
    const wallet = keyFile("supplier", s.wallet);
    const deviceFile = keyFile("device", device);
    w.devices.push({ key: device, address: device.publicKey, supplier: s, gpuCount: 2, multiplierBps: RTX4070.multiplierBps });

    const reg = await cli(["supplier", "register", "--device-key", deviceFile, "--gpu-model", String(RTX4070.code), "--gpus", "2", "--vram", "12", "--region", "276", "--bandwidth", "3", "--json"], { ANCHOR_WALLET: wallet });
    expect(reg.code, reg.stderr).to.equal(0);
    expect(JSON.parse(reg.stdout)).to.include({ command: "register", device: device.publicKey.toBase58() });

    const amount = 400n * TOKENS;
    const stake = await cli(["supplier", "stake", "--keypair", wallet, "--device", device.publicKey.toBase58(), "--amount", amount.toString(), "--from", s.tokens.toBase58(), "--priority-fee", "1000", "--compute-limit", "100000"]);
    expect(stake.code, stake.stderr).to.equal(0);
    expect(stake.stdout).to.match(/^staked 400000000 on /);
    expect((await w.balance(w.vault)) >= amount).to.equal(true);

    const status = await cli(["supplier", "status", "--device", device.publicKey.toBase58(), "--json"]);
    expect(status.code, status.stderr).to.equal(0);
    expect(JSON.parse(status.stdout)).to.include({ status: "active", stake: amount.toString(), gpuCount: 2, owner: s.wallet.publicKey.toBase58() });

    const unstake = await cli(["supplier", "unstake", "--keypair", wallet, "--device", device.publicKey.toBase58(), "--amount", amount.toString(), "--json"]);
    expect(unstake.code, unstake.stderr).to.equal(0);

    // Too early: the program's numbered error comes back, and nothing moves.
    const before = await w.balance(s.tokens);
    const early = await cli(["supplier", "withdraw", "--keypair", wallet, "--device", device.publicKey.toBase58(), "--to", s.tokens.toBase58(), "--json"]);
    expect(early.code).to.equal(1);
    expect(JSON.parse(early.stderr)).to.include({ error: "StillUnbonding", code: 6106 });
    expect(await w.balance(s.tokens)).to.equal(before);

    await w.engine.warp(UNBONDING_SECONDS);
    const done = await cli(["supplier", "withdraw", "--keypair", wallet, "--device", device.publicKey.toBase58(), "--to", s.tokens.toBase58()]);
    expect(done.code, done.stderr).to.equal(0);
    expect(await w.balance(s.tokens)).to.equal(before + amount);
    await w.checkVaultInvariant();
  });

  it("co-stake from another wallet, and the 50% limit reported by name", async function () {
    const s = await w.newSupplier(10_000n * TOKENS);
    const d = await w.registerDevice(s, RTX4070, 1);
    await w.ok("stake", await w.stakeIx(d, w.minimum(d)), [s.wallet]);
    const backer = await w.newSupplier(10_000n * TOKENS);
    w.coStakers.push({ device: d, staker: backer });
    const wallet = keyFile("backer", backer.wallet);
    const ok = await cli(["supplier", "co-stake", "--keypair", wallet, "--device", d.address.toBase58(), "--amount", (w.minimum(d) / 2n).toString(), "--from", backer.tokens.toBase58()]);
    expect(ok.code, ok.stderr).to.equal(0);
    const over = await cli(["supplier", "co-stake", "--keypair", wallet, "--device", d.address.toBase58(), "--amount", w.minimum(d).toString(), "--from", backer.tokens.toBase58()]);
    expect(over.code).to.equal(1);
    expect(over.stderr).to.contain("CoStakeOverHalf (6116)");
    await w.checkVaultInvariant();
  });

  it("rejects bad input with exit code 2 and a clear message", async function () {
    const cases: [string[], RegExp][] = [
      [["supplier", "stake", "--device", "nope", "--amount", "1"], /not a base58 public key/],
      [["supplier", "stake", "--device", Keypair.generate().publicKey.toBase58(), "--amount", "-5"], /positive integer/],
      [["supplier", "stake", "--device", Keypair.generate().publicKey.toBase58(), "--amount", (2n ** 64n).toString()], /below 2\^64/],
      [["supplier", "status", "--device", Keypair.generate().publicKey.toBase58(), "--colour", "red"], /unknown option --colour/],
      [["supplier", "fly"], /unknown supplier command/],
      [["renter"], /unknown command group/],
      [["supplier", "register", "--device-key", "/nonexistent.json", "--gpu-model", "1", "--gpus", "1"], /cannot read keypair file/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { ANCHOR_WALLET: keyFile("any", Keypair.generate()) });
      expect(r.code, args.join(" ")).to.equal(2);
      expect(r.stderr, args.join(" ")).to.match(message);
    }
  });

  it("reports a missing device plainly", async function () {
    const r = await cli(["supplier", "status", "--device", Keypair.generate().publicKey.toBase58()]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain("no Hourglass device at");
  });
});

describe("embedded JSON-RPC endpoint", function () {
  let w: World;
  let rpc: RpcServer;
  const call = async (body: string): Promise<any> => (await fetch(rpc.url, { method: "POST", headers: { "content-type": "application/json" }, body })).json();

  before(async function () {
    w = await World.create("litesvm");
    rpc = await startRpcServer(w.engine);
  });
  after(async function () {
    await rpc.close();
  });

  it("answers JSON-RPC errors for malformed JSON, unknown methods and bad params", async function () {
    expect((await call("{not json")).error.code).to.equal(-32700);
    expect((await call(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getNothing", params: [] }))).error.code).to.equal(-32601);
    expect((await call(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "getAccountInfo", params: ["xyz"] }))).error.code).to.equal(-32602);
    expect((await call(JSON.stringify({ id: 3, method: "getSlot" }))).error.code).to.equal(-32600);
    expect((await call(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "requestAirdrop", params: [Keypair.generate().publicKey.toBase58(), 1] }))).error.code).to.equal(-32601);
  });

  it("serves accounts in the validator's shape", async function () {
    const res = await call(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getAccountInfo", params: [w.config.toBase58(), { encoding: "base64" }] }));
    const acc = (await w.engine.getAccount(w.config))!;
    expect(res.result.value).to.deep.equal({
      data: [acc.data.toString("base64"), "base64"],
      executable: false,
      lamports: acc.lamports,
      owner: acc.owner.toBase58(),
      rentEpoch: 0,
      space: acc.data.length,
    });
    expect(res.result.context.slot).to.be.a("number");
  });
});
