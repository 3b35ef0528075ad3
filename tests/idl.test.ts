// The IDL JSON against the deployed program: address, discriminators, argument sizes and account
// sizes must agree, so the committed IDL cannot drift from the code (the Rust side also regenerates
// the IDL and compares it byte for byte: programs/idl-gen).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  CoreError,
  coStakePda,
  DeviceStatus,
  GPU_MODELS,
  gpuTierPda,
  LEASES_PROGRAM_ID,
  LeaseStatus,
  leases,
  leasesIdl,
  leasesProgram,
  parseEvents,
  REWARDS_PROGRAM_ID,
  rewards,
  rewardsIdl,
  rewardsProgram,
  SlashReason,
  SlotStatus,
  STAKING_PROGRAM_ID,
  StakingError,
  slashProposalPda,
  staking,
  stakingIdl,
  stakingProgram,
} from "@hourglass/client";
import { type Engine, startEngine } from "@hourglass/localchain";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { DECIMALS, H100, PROGRAMS, PROGRAMS_DIR, ROOT, World } from "./support/world.ts";

const NOT_ENOUGH_ACCOUNTS = CoreError.NotEnoughAccounts;
const INVALID_INSTRUCTION_DATA = CoreError.InvalidInstructionData;
const UNKNOWN_INSTRUCTION = CoreError.UnknownInstruction;

const pascal = (s: string) => s.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Borsh size of a fixed-size IDL type. */
function sizeOf(t: unknown): number {
  const sizes: Record<string, number> = { u8: 1, bool: 1, u16: 2, u32: 4, u64: 8, i64: 8, pubkey: 32 };
  if (typeof t === "string") return sizes[t];
  const [inner, n] = (t as { array: [unknown, number] }).array;
  return sizeOf(inner) * n;
}

/** The zero value of an IDL type, as Anchor's coder takes it. */
function zeroOf(t: unknown): unknown {
  if (t === "u64" || t === "i64") return new BN(0);
  if (t === "bool") return false;
  if (t === "pubkey") return PublicKey.default;
  if (t === "bytes") return Buffer.alloc(0);
  if (typeof t === "object" && t !== null && "array" in t) {
    const [inner, n] = (t as { array: [unknown, number] }).array;
    return Array.from({ length: n }, () => zeroOf(inner));
  }
  return 0;
}

function anchorTomlId(program: string): string {
  const toml = fs.readFileSync(path.join(ROOT, "Anchor.toml"), "utf8");
  const section = toml.split(/^\[programs\.localnet\]$/m)[1].split(/^\[/m)[0];
  const m = new RegExp(`^${program}\\s*=\\s*"([^"]+)"`, "m").exec(section);
  if (!m) throw new Error(`Anchor.toml has no ${program}`);
  return m[1];
}

describe("IDL and program agree", () => {
  let engine: Engine;
  const payer = Keypair.generate();

  before(async () => {
    engine = await startEngine("litesvm", PROGRAMS, PROGRAMS_DIR);
    await engine.airdrop(payer.publicKey, 10_000_000_000n);
  });

  async function codeFor(programId: PublicKey, data: Buffer): Promise<number | null> {
    const res = await engine.send([new TransactionInstruction({ programId, keys: [], data })], [payer]);
    expect(res.ok).to.equal(false);
    return res.errorCode;
  }

  for (const [label, idl, programId, program] of [
    ["staking", stakingIdl, STAKING_PROGRAM_ID, stakingProgram()],
    ["leases", leasesIdl, LEASES_PROGRAM_ID, leasesProgram()],
    ["rewards", rewardsIdl, REWARDS_PROGRAM_ID, rewardsProgram()],
  ] as const) {
    it(`${label}: the IDL address is the program ID in Anchor.toml`, () => {
      expect(idl.address).to.equal(anchorTomlId(label));
    });

    it(`${label}: every instruction discriminator and argument size is the program's`, async () => {
      const coder = program.coder.instruction;
      for (const ix of idl.instructions) {
        // Zero arguments of the IDL's types, encoded by Anchor's coder.
        const args: Record<string, unknown> = {};
        for (const a of ix.args) args[camel(a.name)] = zeroOf(a.type);
        const data = coder.encode(camel(ix.name), args);
        expect([...data.subarray(0, 8)], ix.name).to.deep.equal(ix.discriminator);
        // Right discriminator and length: the program gets as far as its accounts.
        expect(await codeFor(programId, data), `${ix.name} with IDL-sized args`).to.equal(NOT_ENOUGH_ACCOUNTS);
        // Fixed-size arguments: one byte more or less than the IDL says is rejected as malformed.
        if (!ix.args.some((a) => a.type === "bytes")) {
          expect(await codeFor(programId, Buffer.concat([data, Buffer.from([0])])), `${ix.name} + 1 byte`).to.equal(INVALID_INSTRUCTION_DATA);
          if (data.length > 8) {
            expect(await codeFor(programId, data.subarray(0, data.length - 1)), `${ix.name} - 1 byte`).to.equal(INVALID_INSTRUCTION_DATA);
          }
        }
        const wrong = Buffer.from(data);
        wrong[7] ^= 0x01;
        expect(await codeFor(programId, wrong), `${ix.name} with a flipped discriminator`).to.equal(UNKNOWN_INSTRUCTION);
      }
    });

    it(`${label}: every event has a type for the coder`, () => {
      const typeNames = new Set((idl.types ?? []).map((t) => t.name));
      for (const e of idl.events ?? []) expect(typeNames.has(e.name), e.name).to.equal(true);
    });
  }

  it("every account's IDL size and discriminator match live accounts", async () => {
    const w = await World.create("litesvm");
    const supplier = await w.newSupplier(10_000n * 10n ** BigInt(DECIMALS));
    const d = await w.registerDevice(supplier, H100, 1);
    await w.ok("stake", await w.stakeIx(d, w.minimum(d)), [supplier.wallet]);
    const backer = await w.newSupplier(10_000n * 10n ** BigInt(DECIMALS));
    await w.ok("co_stake", await w.coStakeIx(d, backer, 1n), [backer.wallet]);
    await w.ok(
      "propose_slash",
      await w.staking.proposeSlash({ authority: w.authority.publicKey, deviceKey: d.key.publicKey, bps: 1, reason: SlashReason.Admin }),
      [w.authority],
    );
    const program = stakingProgram();
    const live: Record<string, import("@solana/web3.js").PublicKey> = {
      config: w.config,
      gpuTier: gpuTierPda(H100.code)[0],
      device: d.address,
      coStake: coStakePda(d.address, backer.wallet.publicKey)[0],
      slashProposal: slashProposalPda(d.address)[0],
    };
    expect(Object.keys(live).sort()).to.deep.equal(
      stakingIdl.accounts!.map((a) => a.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase())).sort(),
    );
    for (const [name, address] of Object.entries(live)) {
      const acc = await w.engine.getAccount(address);
      expect(acc!.owner.equals(STAKING_PROGRAM_ID)).to.equal(true);
      expect(acc!.data.length, name).to.equal(program.coder.accounts.size(name));
      const idlAccount = stakingIdl.accounts!.find((a) => a.name.toLowerCase() === name.toLowerCase())!;
      expect([...acc!.data.subarray(0, 8)], name).to.deep.equal(idlAccount.discriminator);
    }
  });

  it("leases: the Lease header matches its IDL size and its slot table the Slot type", async () => {
    const { LeaseWorld } = await import("./support/lease-world.ts");
    const lw = await LeaseWorld.create("litesvm");
    const renter = await lw.newRenter();
    const o = await lw.open(renter, { gpus: 4, hours: 1, price: 1n, maxDevices: 3 });
    const program = leasesProgram();
    const acc = (await lw.engine.getAccount(o.lease.publicKey))!;
    const slotType = leasesIdl.types!.find((t) => t.name === "Slot")!;
    const slotSize = (slotType.type as { fields: { type: unknown }[] }).fields.reduce((n: number, f) => n + sizeOf(f.type), 0);
    expect(slotSize).to.equal(80);
    expect(acc.data.length).to.equal(program.coder.accounts.size("lease") + 3 * slotSize);
    const market = (await lw.engine.getAccount((await import("@hourglass/client")).marketPda()[0]))!;
    expect(market.data.length).to.equal(program.coder.accounts.size("market"));
  });
});

describe("program binaries", () => {
  it("each deployed program is an SBPF v0 ELF shared object for EM_BPF (247)", () => {
    const files = fs.readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith(".so"));
    expect(files).to.include.members(["hourglass_staking.so", "hourglass_leases.so", "hourglass_rewards.so"]);
    for (const f of files) {
      const elf = fs.readFileSync(path.join(PROGRAMS_DIR, f));
      expect(elf.subarray(0, 4).toString("latin1")).to.equal("\x7fELF");
      expect(elf.readUInt16LE(16), `${f} e_type`).to.equal(3); // ET_DYN
      expect(elf.readUInt16LE(18), `${f} e_machine`).to.equal(247);
      expect(elf.readUInt32LE(48), `${f} e_flags`).to.equal(0); // SBPF v0
    }
  });
});

describe("generated client constants agree with the programs", () => {
  it("client/src/generated is what scripts/gen-client.ts makes of the committed IDLs (no drift)", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/gen-client.ts", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stderr).to.equal(0);
  });

  it("every constant of every IDL is exported with its value", () => {
    const exported: Record<string, Record<string, unknown>> = { staking, leases, rewards };
    for (const [label, idl] of [
      ["staking", stakingIdl],
      ["leases", leasesIdl],
      ["rewards", rewardsIdl],
    ] as const) {
      const constants = (idl as { constants?: { name: string; type: unknown; value: string }[] }).constants ?? [];
      expect(constants.length, label).to.be.greaterThan(0);
      for (const c of constants) {
        const group = /^(DEVICE_STATUS|SLASH_REASON|LEASE_STATUS|SLOT_STATUS)_(.+)$/.exec(c.name);
        const member = group?.[2].toLowerCase().replace(/(^|_)([a-z])/g, (_, __, ch: string) => ch.toUpperCase());
        const got = group ? (exported[label][pascal(group[1])] as Record<string, unknown>)[member!] : exported[label][c.name];
        expect(got, `${label}.${c.name}`).to.not.equal(undefined);
        if (c.type === "bytes") expect([...(got as Buffer)], c.name).to.deep.equal(JSON.parse(c.value));
        else if (c.type === "pubkey") expect((got as PublicKey).toBase58(), c.name).to.equal(c.value);
        else if (typeof c.type === "string") expect(String(got), c.name).to.equal(c.value);
      }
    }
    expect(GPU_MODELS.map((m) => [m.code, m.name])).to.deep.equal([
      [1, "H100"],
      [2, "A100"],
      [3, "RTX 4090"],
      [4, "RTX 4070"],
    ]);
  });

  it("seeds, status codes, layouts and limits match what the live programs do", async () => {
    const w = await World.create("litesvm");
    // Seeds: the accounts the programs created sit at the PDAs the generated seeds give.
    expect(
      (await w.engine.getAccount(PublicKey.findProgramAddressSync([staking.CONFIG_SEED], STAKING_PROGRAM_ID)[0]))!.owner.equals(STAKING_PROGRAM_ID),
    ).to.equal(true);
    expect(await w.engine.getAccount(PublicKey.findProgramAddressSync([staking.STAKE_VAULT_SEED], STAKING_PROGRAM_ID)[0])).to.not.equal(null);
    for (const m of GPU_MODELS) {
      await w.ok("set_gpu_tier", await w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: m.code, multiplierBps: m.multiplierBps }), [
        w.authority,
      ]);
      const tier = (await w.engine.getAccount(gpuTierPda(m.code)[0]))!;
      expect(w.staking.decodeGpuTier(tier.data).multiplierBps, m.name).to.equal(m.multiplierBps);
    }
    // Limits: one past each bound is refused with its error, the bound itself is accepted.
    const tier = (multiplierBps: number) => w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: 77, multiplierBps });
    await w.rejects(await tier(staking.MAX_MULTIPLIER_BPS + 1), [w.authority], StakingError.InvalidMultiplier);
    await w.ok("set_gpu_tier", await tier(staking.MAX_MULTIPLIER_BPS), [w.authority]);
    const supplier = await w.newSupplier(10_000n * 10n ** BigInt(DECIMALS));
    const register = (gpuCount: number, bandwidthTier: number, key = Keypair.generate()) =>
      w.staking
        .registerDevice({
          supplier: supplier.wallet.publicKey,
          deviceKey: key.publicKey,
          gpuModel: H100.code,
          gpuCount,
          vramGb: 80,
          region: 276,
          bandwidthTier,
        })
        .then((ix) => ({ ix, key }));
    const tooMany = await register(staking.MAX_GPUS + 1, 3);
    await w.rejects(tooMany.ix, [supplier.wallet, tooMany.key], StakingError.InvalidGpuCount);
    const tooFast = await register(1, staking.MAX_BANDWIDTH_TIER + 1);
    await w.rejects(tooFast.ix, [supplier.wallet, tooFast.key], StakingError.InvalidBandwidthTier);
    const most = await register(staking.MAX_GPUS, staking.MAX_BANDWIDTH_TIER);
    const registered = await w.ok("register_device", most.ix, [supplier.wallet, most.key]);
    // The typed event union: a switch on the name narrows the data to the event's fields.
    const seen: number[] = [];
    for (const e of parseEvents(stakingIdl, registered.logs)) {
      switch (e.name) {
        case "DeviceRegistered":
          seen.push(e.data.gpu_count, e.data.bandwidth_tier);
          expect(e.data.device.equals(most.key.publicKey)).to.equal(true);
          break;
        default:
          throw new Error(`unexpected ${e.name}`);
      }
    }
    expect(seen).to.deep.equal([staking.MAX_GPUS, staking.MAX_BANDWIDTH_TIER]);
    // Status codes and the Device layout: a new device is active, a paused one paused, at the status offset.
    const device = (await w.engine.getAccount(most.key.publicKey))!;
    expect(device.data.length).to.equal(staking.DeviceLayout.size);
    expect(device.data[staking.DeviceLayout.offsets.status]).to.equal(DeviceStatus.Active);
    expect(device.data.readUInt16LE(staking.DeviceLayout.offsets.gpuCount)).to.equal(staking.MAX_GPUS);
    await w.ok("set_device_paused", await w.staking.setDevicePaused({ supplier: supplier.wallet.publicKey, deviceKey: most.key.publicKey, paused: true }), [
      supplier.wallet,
    ]);
    expect((await w.engine.getAccount(most.key.publicKey))!.data[staking.DeviceLayout.offsets.status]).to.equal(DeviceStatus.Paused);
    // Attesters: MAX_ATTESTERS fit in the Config, one more is refused.
    for (let i = 0; i < staking.MAX_ATTESTERS; i++) {
      await w.ok("set_attester", await w.staking.setAttester({ authority: w.authority.publicKey, attester: Keypair.generate().publicKey, enabled: true }), [
        w.authority,
      ]);
    }
    const extra = await w.staking.setAttester({ authority: w.authority.publicKey, attester: Keypair.generate().publicKey, enabled: true });
    await w.rejects(extra, [w.authority], StakingError.TooManyAttesters);
  });

  it("leases: the Slot layout, slot and lease status codes and seeds match a live lease", async () => {
    const { LeaseWorld } = await import("./support/lease-world.ts");
    const lw = await LeaseWorld.create("litesvm");
    const pda = (seed: Buffer) => PublicKey.findProgramAddressSync([seed], LEASES_PROGRAM_ID)[0];
    const market = lw.leases.decodeMarket((await lw.engine.getAccount(pda(leases.MARKET_SEED)))!.data);
    expect(market.networkTreasury.equals(pda(leases.NETWORK_TREASURY_SEED))).to.equal(true);
    expect(market.leaseAuthority.equals(pda(leases.LEASE_AUTHORITY_SEED))).to.equal(true);
    const renter = await lw.newRenter();
    const [d] = await lw.stakedDevices(1);
    const o = await lw.open(renter, { gpus: 2, hours: 1, price: 1n, maxDevices: 2 });
    await lw.assign(o, d);
    const acc = (await lw.engine.getAccount(o.lease.publicKey))!;
    const header = leasesProgram().coder.accounts.size("lease");
    expect(header).to.equal(leases.LeaseLayout.size);
    expect(acc.data.length).to.equal(header + 2 * leases.SlotLayout.size);
    expect(acc.data[leases.LeaseLayout.offsets.status]).to.equal(LeaseStatus.Active);
    expect(new PublicKey(acc.data.subarray(header + leases.SlotLayout.offsets.device, header + leases.SlotLayout.offsets.owner)).equals(d.address)).to.equal(
      true,
    );
    expect(acc.data[header + leases.SlotLayout.offsets.status]).to.equal(SlotStatus.Active);
    const { lease, slots } = lw.leases.decodeLease(acc.data);
    expect(lease.stable).to.equal(false);
    expect(slots.map((s) => [s.device.toBase58(), s.status, s.gpus])).to.deep.equal([[d.address.toBase58(), SlotStatus.Active, 1]]);
    expect((await lw.w.device(d)).status).to.equal(DeviceStatus.Leased);
  });
});
