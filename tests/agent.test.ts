// The device agent: its key file, its hardware report (nvidia-smi output or a declared profile), and
// registering and staking its machine through the client on the SBF staking program.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DeviceAgent, parseNvidiaSmi } from "@hourglass/agent";
import { minimumStake, toBigInt } from "@hourglass/client";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { DECIMALS, H100, World } from "./support/world.ts";

const SMI = "NVIDIA H100 80GB HBM3, 81559\nNVIDIA H100 80GB HBM3, 81559\n";

describe("device agent", () => {
  it("parses nvidia-smi's CSV and rejects lines it does not understand", () => {
    expect(parseNvidiaSmi(SMI)).to.deep.equal({
      source: "nvidia-smi",
      gpus: [
        { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81_559 },
        { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81_559 },
      ],
    });
    expect(parseNvidiaSmi("\n")).to.deep.equal({ source: "nvidia-smi", gpus: [] });
    expect(() => parseNvidiaSmi("NVIDIA H100, [N/A]")).to.throw("unexpected nvidia-smi line");
  });

  it("loads its key from a keypair file and refuses a malformed one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hg-agent-"));
    try {
      const key = Keypair.generate();
      fs.writeFileSync(path.join(dir, "device.json"), JSON.stringify(Array.from(key.secretKey)));
      expect(DeviceAgent.fromFile(path.join(dir, "device.json")).device.equals(key.publicKey)).to.equal(true);
      fs.writeFileSync(path.join(dir, "bad.json"), "[1, 2, 3]");
      expect(() => DeviceAgent.fromFile(path.join(dir, "bad.json"))).to.throw("64 bytes");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("registers and stakes its machine from the declared hardware profile", async () => {
    const w = await World.create("litesvm");
    const gpus = Array.from({ length: 4 }, () => ({ name: "H100", memoryMiB: 81_920 }));
    const agent = new DeviceAgent(Keypair.generate(), { source: "declared", gpus });
    expect((await agent.hardware()).source).to.equal("declared"); // no nvidia-smi here
    const need = minimumStake(DECIMALS, H100.multiplierBps, 4);
    const supplier = await w.newSupplier(need);
    const ixs = await agent.registration({
      supplier: supplier.wallet.publicKey,
      supplierTokens: supplier.tokens,
      gpuModel: H100.code,
      region: 276,
      bandwidthTier: 3,
      stake: need,
    });
    await w.ok("register + stake", ixs, [supplier.wallet, agent.key]);
    const d = await w.device({ address: agent.device });
    expect(d.gpuCount).to.equal(4);
    expect(d.vramGb).to.equal(80);
    expect(toBigInt(d.stake)).to.equal(need);
  });

  it("refuses to register a machine with no GPUs or with mixed models", async () => {
    const base = {
      supplier: Keypair.generate().publicKey,
      supplierTokens: Keypair.generate().publicKey,
      gpuModel: 1,
      region: 276,
      bandwidthTier: 3,
      stake: 1n,
    };
    await new DeviceAgent(Keypair.generate()).registration(base).then(
      () => expect.fail("registered a machine without GPUs"),
      (e: Error) => expect(e.message).to.contain("no GPUs found"),
    );
    const mixed = new DeviceAgent(Keypair.generate(), {
      source: "declared",
      gpus: [
        { name: "H100", memoryMiB: 81_920 },
        { name: "A100", memoryMiB: 40_960 },
      ],
    });
    await mixed.registration(base).then(
      () => expect.fail("registered a mixed machine"),
      (e: Error) => expect(e.message).to.contain("one GPU model"),
    );
  });
});
