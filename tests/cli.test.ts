// The supplier CLI as a separate process against the embedded network's JSON-RPC endpoint: keys from
// files and ANCHOR_WALLET, cluster from ANCHOR_PROVIDER_URL, JSON and human output, numbered program
// errors, and bad input rejected before anything is sent.

import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LeasesError, RewardsError, StakingError, toBigInt } from "@hourglass/client";
import { type RpcServer, startRpcServer } from "@hourglass/localchain";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { HOUR, LeaseWorld, type OpenLease } from "./support/lease-world.ts";
import { DECIMALS, ROOT, RTX4070, UNBONDING_SECONDS, World } from "./support/world.ts";

const run = promisify(execFile);
const CLI = path.join(ROOT, "bin/hourglass");
const TOKENS = 10n ** BigInt(DECIMALS);

describe("hourglass supplier CLI over JSON-RPC", () => {
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

  before(async () => {
    w = await World.create("litesvm");
    rpc = await startRpcServer(w.engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-cli-"));
    env = { ...process.env, ANCHOR_PROVIDER_URL: rpc.url };
  });

  after(async () => {
    await rpc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("register, stake, status, unstake and withdraw a device end to end", async () => {
    const s = await w.newSupplier(10_000n * TOKENS);
    const device = Keypair.generate();
    const wallet = keyFile("supplier", s.wallet);
    const deviceFile = keyFile("device", device);
    w.devices.push({ key: device, address: device.publicKey, supplier: s, gpuCount: 2, multiplierBps: RTX4070.multiplierBps });

    const reg = await cli(
      [
        "supplier",
        "register",
        "--device-key",
        deviceFile,
        "--gpu-model",
        String(RTX4070.code),
        "--gpus",
        "2",
        "--vram",
        "12",
        "--region",
        "276",
        "--bandwidth",
        "3",
        "--json",
      ],
      { ANCHOR_WALLET: wallet },
    );
    expect(reg.code, reg.stderr).to.equal(0);
    expect(JSON.parse(reg.stdout)).to.include({ command: "register", device: device.publicKey.toBase58() });

    const amount = 400n * TOKENS;
    const stake = await cli([
      "supplier",
      "stake",
      "--keypair",
      wallet,
      "--device",
      device.publicKey.toBase58(),
      "--amount",
      amount.toString(),
      "--from",
      s.tokens.toBase58(),
      "--priority-fee",
      "1000",
      "--compute-limit",
      "100000",
    ]);
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
    expect(JSON.parse(early.stderr)).to.include({ error: "StillUnbonding", code: StakingError.StillUnbonding });
    expect(await w.balance(s.tokens)).to.equal(before);

    await w.engine.warp(UNBONDING_SECONDS);
    const done = await cli(["supplier", "withdraw", "--keypair", wallet, "--device", device.publicKey.toBase58(), "--to", s.tokens.toBase58()]);
    expect(done.code, done.stderr).to.equal(0);
    expect(await w.balance(s.tokens)).to.equal(before + amount);
    await w.checkVaultInvariant();
  });

  it("slash: the config authority proposes, the supplier sees it coming, execution waits out the delay", async () => {
    const s = await w.newSupplier(10_000n * TOKENS);
    const d = await w.registerDevice(s, RTX4070, 1);
    await w.ok("stake", await w.stakeIx(d, w.minimum(d) * 2n), [s.wallet]);
    const admin = keyFile("admin", w.authority);
    const device = d.address.toBase58();
    // Bad input and the wrong key are refused before anything is sent.
    const badReason = await cli(["slash", "propose", "--keypair", admin, "--device", device, "--bps", "100", "--reason", "missed-heartbeats"]);
    expect(badReason.code).to.equal(2);
    expect(badReason.stderr).to.match(/--reason must be one of failed-job, admin/);
    const notAdmin = await cli(["slash", "propose", "--keypair", keyFile("stranger", s.wallet), "--device", device, "--bps", "100", "--reason", "admin"]);
    expect(notAdmin.code).to.equal(2);
    expect(notAdmin.stderr).to.match(/is not the staking config authority/);
    const over = await cli(["slash", "propose", "--keypair", admin, "--device", device, "--bps", "5000", "--reason", "admin"]);
    expect(over.code).to.equal(2);
    expect(over.stderr).to.match(/over the Config's bound/);

    const proposed = await cli(["slash", "propose", "--keypair", admin, "--device", device, "--bps", "250", "--reason", "failed-job", "--json"]);
    expect(proposed.code, proposed.stderr).to.equal(0);
    const p = JSON.parse(proposed.stdout);
    expect(p).to.include({ command: "propose", device, bps: 250, reason: "failed-job" });
    expect(p.executableAt - p.proposedAt).to.equal(48 * 3_600);
    const status = await cli(["supplier", "status", "--device", device, "--json"]);
    expect(JSON.parse(status.stdout).pendingSlash).to.deep.equal({ bps: 250, reason: 2, executableAt: p.executableAt });
    const human = await cli(["slash", "status", "--device", device]);
    expect(human.stdout).to.match(/250 bps \(failed-job\)/);

    const stake = toBigInt((await w.device(d)).stake);
    const early = await cli(["slash", "execute", "--keypair", admin, "--device", device, "--json"]);
    expect(early.code).to.equal(1);
    expect(JSON.parse(early.stderr)).to.include({ error: "SlashNotExecutable", code: StakingError.SlashNotExecutable });
    expect(toBigInt((await w.device(d)).stake)).to.equal(stake);
    await w.engine.warp(48 * 3_600);
    const executed = await cli(["slash", "execute", "--keypair", admin, "--device", device]);
    expect(executed.code, executed.stderr).to.equal(0);
    expect(toBigInt((await w.device(d)).stake)).to.equal(stake - (stake * 250n) / 10_000n);
    const none = await cli(["slash", "status", "--device", device, "--json"]);
    expect(JSON.parse(none.stdout)).to.deep.equal({ device, proposal: null });
    const cancelNothing = await cli(["slash", "cancel", "--keypair", admin, "--device", device]);
    expect(cancelNothing.code).to.equal(1);
    expect(cancelNothing.stderr).to.match(/no open slash proposal/);
    await w.checkVaultInvariant();
  });

  it("co-stake from another wallet, and the 50% limit reported by name", async () => {
    const s = await w.newSupplier(10_000n * TOKENS);
    const d = await w.registerDevice(s, RTX4070, 1);
    await w.ok("stake", await w.stakeIx(d, w.minimum(d)), [s.wallet]);
    const backer = await w.newSupplier(10_000n * TOKENS);
    w.coStakers.push({ device: d, staker: backer });
    const wallet = keyFile("backer", backer.wallet);
    const coStake = (amount: bigint) =>
      cli(["supplier", "co-stake", "--keypair", wallet, "--device", d.address.toBase58(), "--amount", amount.toString(), "--from", backer.tokens.toBase58()]);
    const ok = await coStake(w.minimum(d) / 2n);
    expect(ok.code, ok.stderr).to.equal(0);
    const over = await coStake(w.minimum(d));
    expect(over.code).to.equal(1);
    expect(over.stderr).to.contain(`CoStakeOverHalf (${StakingError.CoStakeOverHalf})`);
    await w.checkVaultInvariant();
  });

  it("rejects bad input with exit code 2 and a clear message", async () => {
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

  it("agent register registers and stakes the machine from its declared hardware (minimum stake by default); agent hardware reports it", async () => {
    const s = await w.newSupplier(10_000n * TOKENS);
    const device = Keypair.generate();
    const hw = await cli(["agent", "hardware", "--declare", "4xH100:80", "--json"]);
    expect(hw.code).to.equal(0);
    expect(JSON.parse(hw.stdout)).to.deep.include({ source: "declared", model: { code: 1, name: "H100", multiplierBps: 100_000, vramGb: 80 } });
    const r = await cli(
      ["agent", "register", "--key", keyFile("agent-device", device), "--declare", "4xH100:80", "--region", "276", "--from", s.tokens.toBase58(), "--json"],
      {
        ANCHOR_WALLET: keyFile("agent-supplier", s.wallet),
        HOURGLASS_DECLARE: "1xRTX 4070",
      },
    );
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.include({ device: device.publicKey.toBase58(), model: "H100", gpus: 4 });
    const d = await w.device({ address: device.publicKey });
    expect([d.gpuModel, d.gpuCount, d.vramGb, d.region]).to.deep.equal([1, 4, 80, 276]);
    const handle = { key: device, address: device.publicKey, supplier: s, gpuCount: 4, multiplierBps: 100_000 };
    expect(toBigInt(d.stake)).to.equal(w.minimum(handle));
  });

  it("agent and orchestrator run refuse a bad flag or environment value with exit code 2, naming it, before starting", async () => {
    const key = keyFile("agent-key", Keypair.generate());
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [["agent", "run", "--key", key], {}, /--orchestrator URL is required/],
      [["agent", "run", "--key", key, "--orchestrator", "ftp://x"], {}, /must be http\(s\)/],
      [["agent", "run", "--key", key, "--orchestrator", "http://127.0.0.1:1", "--declare", "8xH900"], {}, /unknown GPU model "H900"/],
      [["agent", "run", "--key", key, "--orchestrator", "http://127.0.0.1:1", "--declare", "lots"], {}, /COUNTxMODEL/],
      [
        ["agent", "run", "--key", key, "--orchestrator", "http://127.0.0.1:1"],
        { HOURGLASS_RAY_PORT_BASE: "99" },
        /--ray-port-base \(from \$HOURGLASS_RAY_PORT_BASE\)/,
      ],
      [["agent", "run", "--key", key, "--orchestrator", "http://127.0.0.1:1", "--advertise", "bad host!"], {}, /not a host name/],
      [["agent", "run", "--key", key, "--orchestrator", "http://127.0.0.1:1"], {}, /no GPUs found/],
      [["agent", "run", "--key", "/nonexistent.json", "--orchestrator", "http://127.0.0.1:1"], {}, /cannot read keypair file/],
      [["agent", "fly"], {}, /unknown agent command/],
      [["orchestrator", "run", "--keypair", key, "--port", "http"], {}, /--port/],
      [["orchestrator", "run", "--keypair", key, "--url", "nowhere"], {}, /must be http\(s\)/],
      [["orchestrator", "run", "--keypair", key, "--tick-ms", "5"], {}, /--tick-ms/],
    ];
    for (const [args, extra, message] of cases) {
      const r = await cli(args, extra);
      expect(r.code, args.join(" ")).to.equal(2);
      expect(r.stderr, args.join(" ")).to.match(message);
    }
  });

  it("reports a missing device plainly", async () => {
    const r = await cli(["supplier", "status", "--device", Keypair.generate().publicKey.toBase58()]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain("no Hourglass device at");
  });
});

describe("embedded JSON-RPC endpoint", () => {
  let w: World;
  let rpc: RpcServer;
  const call = async (body: string): Promise<any> => (await fetch(rpc.url, { method: "POST", headers: { "content-type": "application/json" }, body })).json();

  before(async () => {
    w = await World.create("litesvm");
    rpc = await startRpcServer(w.engine);
  });
  after(async () => {
    await rpc.close();
  });

  it("answers JSON-RPC errors for malformed JSON, unknown methods and bad params", async () => {
    expect((await call("{not json")).error.code).to.equal(-32700);
    expect((await call(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getNothing", params: [] }))).error.code).to.equal(-32601);
    expect((await call(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "getAccountInfo", params: ["xyz"] }))).error.code).to.equal(-32602);
    expect((await call(JSON.stringify({ id: 3, method: "getSlot" }))).error.code).to.equal(-32600);
    expect(
      (await call(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "requestAirdrop", params: [Keypair.generate().publicKey.toBase58(), 1] }))).error.code,
    ).to.equal(-32601);
  });

  it("serves accounts in the validator's shape", async () => {
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

describe("hourglass lease CLI over JSON-RPC", () => {
  let lw: LeaseWorld;
  let rpc: RpcServer;
  let dir: string;

  before(async () => {
    lw = await LeaseWorld.create("litesvm", 4 * HOUR);
    rpc = await startRpcServer(lw.engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-lease-cli-"));
  });

  after(async () => {
    await rpc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(CLI, args, { env: { ...process.env, ANCHOR_PROVIDER_URL: rpc.url } });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it("opens, reports, extends and terminates a lease for its renter", async () => {
    const renter = await lw.newRenter();
    const wallet = path.join(dir, "renter.json");
    fs.writeFileSync(wallet, JSON.stringify([...renter.wallet.secretKey]));
    const price = 1_500_000n;
    const before = await lw.w.balance(renter.network);
    const opened = await cli([
      "lease",
      "open",
      "--keypair",
      wallet,
      "--gpu-model",
      String(RTX4070.code),
      "--gpus",
      "1",
      "--hours",
      "2",
      "--price",
      price.toString(),
      "--from",
      renter.network.toBase58(),
      "--json",
    ]);
    expect(opened.code, opened.stderr).to.equal(0);
    const { lease: leaseAddress, escrow } = JSON.parse(opened.stdout);
    const cost = price * 2n;
    expect(before - (await lw.w.balance(renter.network))).to.equal(cost + (cost * 25n) / 10_000n);
    expect(await lw.w.balance(new PublicKey(escrow))).to.equal(cost);

    // The orchestrator's part, done here by the attester: place a device, prove an hour.
    const o = {
      lease: { publicKey: new PublicKey(leaseAddress) } as Keypair,
      escrow: { publicKey: new PublicKey(escrow) } as Keypair,
      renter,
      mint: lw.w.mint,
      renterTokens: renter.network,
      treasury: lw.networkTreasury,
      devices: [],
    } as OpenLease;
    const [d] = await lw.stakedDevices(1);
    await lw.assign(o, d);
    await lw.engine.warp(HOUR);
    await lw.ok("prove_time", await lw.proveIxs(o, [lw.attest(o, 0, 0, 1)]), [lw.attester]);

    const status = await cli(["lease", "status", "--lease", leaseAddress, "--json"]);
    expect(status.code, status.stderr).to.equal(0);
    const s = JSON.parse(status.stdout);
    expect(s).to.include({ status: "active", hoursBooked: 2, earned: price.toString() });
    expect(s.devices[0]).to.include({ device: d.address.toBase58(), provenHours: 1 });

    const ext = await cli(["lease", "extend", "--keypair", wallet, "--lease", leaseAddress, "--hours", "3", "--from", renter.network.toBase58()]);
    expect(ext.code, ext.stderr).to.equal(0);
    expect(ext.stdout).to.contain("extended");
    const term = await cli(["lease", "terminate", "--keypair", wallet, "--lease", leaseAddress, "--to", renter.network.toBase58(), "--json"]);
    expect(term.code, term.stderr).to.equal(0);
    expect(JSON.parse(term.stdout)).to.include({ hoursBooked: 1 });
    const human = await cli(["lease", "status", "--lease", leaseAddress]);
    expect(human.stdout).to.match(/\(terminated\)/);
    // Refund of the 4 hours that never ran is already back with the renter.
    expect(await lw.w.balance(new PublicKey(escrow))).to.equal(price);
  });

  it("rejects bad lease input before sending and reports program errors by name", async () => {
    const someone = path.join(dir, "someone.json");
    const kp = Keypair.generate();
    fs.writeFileSync(someone, JSON.stringify([...kp.secretKey]));
    const bad = await cli(["lease", "open", "--keypair", someone, "--gpu-model", "2", "--gpus", "1", "--hours", "2", "--price", "0"]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("positive integer");
    const missing = await cli(["lease", "status", "--lease", Keypair.generate().publicKey.toBase58()]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("no Hourglass lease at");
    // Someone else's lease: NotRenter from the program.
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 1, hours: 1, price: 10n });
    await lw.engine.airdrop(kp.publicKey, 1_000_000_000n);
    const theirs = await cli([
      "lease",
      "terminate",
      "--keypair",
      someone,
      "--lease",
      o.lease.publicKey.toBase58(),
      "--to",
      renter.network.toBase58(),
      "--json",
    ]);
    expect(theirs.code).to.equal(1);
    expect(JSON.parse(theirs.stderr)).to.include({ error: "NotRenter", code: LeasesError.NotRenter });
  });

  it("market status shows the fees to burn, and anyone's burn-fees burns them", async () => {
    const anyone = Keypair.generate();
    await lw.engine.airdrop(anyone.publicKey, 1_000_000_000n);
    const wallet = path.join(dir, "anyone.json");
    fs.writeFileSync(wallet, JSON.stringify([...anyone.secretKey]));
    const fees = await lw.w.balance(lw.networkTreasury);
    expect(fees > 0n, "the leases above paid network fees").to.equal(true);
    const status = await cli(["market", "status", "--json"]);
    expect(status.code, status.stderr).to.equal(0);
    const before = JSON.parse(status.stdout);
    expect(before).to.include({ feeVault: lw.networkTreasury.toBase58(), feesToBurn: fees.toString(), totalBurned: "0" });
    const burn = await cli(["market", "burn-fees", "--keypair", wallet, "--json"]);
    expect(burn.code, burn.stderr).to.equal(0);
    expect(JSON.parse(burn.stdout)).to.include({ command: "burn-fees", burned: fees.toString(), totalBurned: fees.toString() });
    const after = JSON.parse((await cli(["market", "status", "--json"])).stdout);
    expect(after).to.include({ feesToBurn: "0", totalBurned: fees.toString() });
    expect(BigInt(before.networkSupply) - BigInt(after.networkSupply)).to.equal(fees);
    const again = await cli(["market", "burn-fees", "--keypair", wallet]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain("holds nothing to burn");
  });
});

describe("hourglass rewards CLI over JSON-RPC", () => {
  it("shows a device's nomination and claims its rewards", async () => {
    const { RewardsWorld, HOUR: RH } = await import("./support/rewards-world.ts");
    const rw = await RewardsWorld.create("litesvm");
    const rpc = await startRpcServer(rw.engine);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hourglass-rewards-cli-"));
    try {
      const [d] = await rw.devices(1);
      await rw.engine.warp(5 * RH);
      await rw.catchUp();
      await rw.ok("record_uptime", await rw.uptimeIxs([{ device: d, first: 0, count: 5 }]), [rw.attester]);
      await rw.engine.warp(2 * RH);
      await rw.catchUp();
      const env = { ...process.env, ANCHOR_PROVIDER_URL: rpc.url };
      const status = await run(CLI, ["rewards", "status", "--device", d.address.toBase58(), "--json"], { env });
      expect(JSON.parse(status.stdout)).to.include({ nominated: true, streak: 5, nextHour: 5 });
      const wallet = path.join(dir, "supplier.json");
      fs.writeFileSync(wallet, JSON.stringify([...d.supplier.wallet.secretKey]));
      const dest = rw.payout.get(d.address.toBase58())!;
      const before = await rw.w.balance(dest);
      const claim = await run(CLI, ["rewards", "claim", "--keypair", wallet, "--device", d.address.toBase58(), "--to", dest.toBase58(), "--json"], { env });
      expect(JSON.parse(claim.stdout)).to.include({ command: "claim", coStake: false });
      expect((await rw.w.balance(dest)) > before).to.equal(true);
      const again = await run(CLI, ["rewards", "claim", "--keypair", wallet, "--device", d.address.toBase58(), "--to", dest.toBase58(), "--json"], {
        env,
      }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(again!.code).to.equal(1);
      expect(JSON.parse(again!.stderr)).to.include({ error: "NothingToClaim", code: RewardsError.NothingToClaim });
    } finally {
      await rpc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
