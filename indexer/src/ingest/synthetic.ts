// A synthetic but well-formed chain history for benchmarks: transactions whose logs carry real
// Borsh-encoded Hourglass events (the same bytes the programs emit), describing a network of devices
// that are registered, staked, leased in small clusters, proven hour by hour, settled, paid, and that
// record uptime and claim block rewards; now and then a discretionary slash is proposed and executed or
// cancelled, and the market burns its fees. Deterministic for a given size.
// `SyntheticChain` builds hand-written histories of the same kind for tests: events named by program
// and fields, encoded with the IDL, in transactions at a clock the test moves.
import { BorshCoder, type Idl } from "@coral-xyz/anchor";
import { leasesIdl, rewardsIdl, stakingIdl } from "@hourglass/client";
import { PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import bs58 from "bs58";
import type { ChainTx } from "./chain-tx.ts";

type Fields = Record<string, unknown>;

class Emitter {
  private readonly coder: BorshCoder;
  private readonly disc = new Map<string, Buffer>();
  constructor(readonly idl: Idl) {
    this.coder = new BorshCoder(idl);
    for (const e of idl.events ?? []) this.disc.set(e.name, Buffer.from(e.discriminator));
  }
  log(name: string, data: Fields): string {
    return `Program data: ${Buffer.concat([this.disc.get(name)!, this.coder.types.encode(name, data)]).toString("base64")}`;
  }
}

const HOUR = 3600;

export type ProgramName = "staking" | "leases" | "rewards";
/** An event's fields as a test writes them: keys as base58 or PublicKey, integers as number or bigint. */
export type LooseFields = Record<string, string | number | bigint | boolean | PublicKey>;

const IDLS: Record<ProgramName, Idl> = { staking: stakingIdl, leases: leasesIdl, rewards: rewardsIdl };

/** A chain history written event by event, for tests of the views. */
export class SyntheticChain {
  readonly txs: ChainTx[] = [];
  slot = 1;
  private index = 0;
  private readonly emitters = new Map<ProgramName, Emitter>();
  private readonly fieldTypes = new Map<string, Map<string, string>>();

  constructor(public time = 1_700_000_000) {
    for (const [name, idl] of Object.entries(IDLS) as [ProgramName, Idl][]) {
      this.emitters.set(name, new Emitter(idl));
      for (const t of idl.types ?? []) {
        if (t.type.kind !== "struct" || !Array.isArray(t.type.fields)) continue;
        this.fieldTypes.set(`${name}.${t.name}`, new Map((t.type.fields as { name: string; type: unknown }[]).map((f) => [f.name, String(f.type)])));
      }
    }
  }

  /** Moves to a new slot `seconds` later. */
  advance(seconds = 0): this {
    this.slot++;
    this.index = 0;
    this.time += seconds;
    return this;
  }

  /** The log line of one event (every field of its IDL type required). */
  log(program: ProgramName, name: string, fields: LooseFields): string {
    const types = this.fieldTypes.get(`${program}.${name}`);
    if (!types) throw new Error(`no event ${name} in ${program}'s IDL`);
    const data: Fields = {};
    for (const [field, type] of types) {
      const v = fields[field];
      if (v === undefined) throw new Error(`${name}.${field} is missing`);
      data[field] =
        type === "pubkey"
          ? new PublicKey(v as string | PublicKey)
          : type === "u64" || type === "i64"
            ? new BN(String(v))
            : type === "bool"
              ? Boolean(v)
              : Number(v);
    }
    for (const field of Object.keys(fields)) if (!types.has(field)) throw new Error(`${name} has no field ${field}`);
    return this.emitters.get(program)!.log(name, data);
  }

  /** One transaction in the current slot: a top-level instruction of `program` emitting `events` in
   *  order; an event of another program is emitted from a CPI into that program. */
  tx(program: ProgramName, events: [ProgramName, string, LooseFields][]): ChainTx {
    const id = (p: ProgramName) => IDLS[p].address;
    const lines: string[] = [];
    for (const [p, name, fields] of events) {
      const line = this.log(p, name, fields);
      if (p === program) lines.push(line);
      else lines.push(`Program ${id(p)} invoke [2]`, line, `Program ${id(p)} success`);
    }
    const sig = Buffer.alloc(64, 7);
    sig.writeUInt32LE(this.slot, 0);
    sig.writeUInt32LE(this.index, 4);
    const t: ChainTx = {
      signature: bs58.encode(sig),
      slot: this.slot,
      blockIndex: this.index++,
      blockTime: this.time,
      logs: [`Program ${id(program)} invoke [1]`, ...lines, `Program ${id(program)} success`],
      failed: false,
      commitment: "finalized",
    };
    this.txs.push(t);
    return t;
  }

  /** Shorthand: a transaction of one event of `program`. */
  emit(program: ProgramName, name: string, fields: LooseFields): ChainTx {
    return this.tx(program, [[program, name, fields]]);
  }
}

export interface SyntheticOptions {
  devices: number;
  /** Stop once at least this many events were generated. */
  events: number;
  devicesPerLease?: number;
  hoursPerLease?: number;
}

/** Yields batches of transactions (one event-rich transaction per step) until `events` is reached. */
export function* syntheticHistory(o: SyntheticOptions, batchSize = 500): Generator<ChainTx[], void, void> {
  const staking = new Emitter(stakingIdl);
  const leases = new Emitter(leasesIdl);
  const rewards = new Emitter(rewardsIdl);
  const ids = { staking: stakingIdl.address, leases: leasesIdl.address, rewards: rewardsIdl.address };
  let seed = 1;
  const key = () => {
    const b = Buffer.alloc(32);
    for (let i = 0; i < 32; i += 4) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      b.writeUInt32LE(seed, i);
    }
    return new PublicKey(b);
  };
  const zero = PublicKey.default;
  let slot = 1;
  let index = 0;
  let time = 1_700_000_000;
  let count = 0;
  let batch: ChainTx[] = [];
  const tx = (program: string, lines: string[], events: number): ChainTx | undefined => {
    const sig = Buffer.alloc(64);
    sig.writeUInt32LE(slot, 0);
    sig.writeUInt32LE(index, 4);
    const t: ChainTx = {
      signature: bs58.encode(sig),
      slot,
      blockIndex: index++,
      blockTime: time,
      logs: [`Program ${program} invoke [1]`, ...lines, `Program ${program} success`],
      failed: false,
      commitment: "finalized",
    };
    count += events;
    batch.push(t);
    return t;
  };
  const flush = function* () {
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  };
  const nextSlot = (seconds = 0) => {
    slot++;
    index = 0;
    time += seconds;
  };
  const bn = (n: number | bigint) => new BN(n.toString());

  tx(
    ids.leases,
    [leases.log("MarketInitialized", { authority: zero, network_mint: zero, stable_mint: zero, hour_length: bn(HOUR), grace_period: bn(25 * HOUR) })],
    1,
  );
  tx(
    ids.rewards,
    [rewards.log("PoolInitialized", { pool: zero, reward_mint: zero, start_time: bn(time), hour_length: bn(HOUR), cap: bn(300_000_000_000_000n) })],
    1,
  );
  const devices: { address: PublicKey; owner: PublicKey }[] = [];
  for (let i = 0; i < o.devices; i++) {
    const d = { address: key(), owner: key() };
    devices.push(d);
    const model = 1 + (i % 4);
    tx(
      ids.staking,
      [
        staking.log("DeviceRegistered", {
          device: d.address,
          owner: d.owner,
          device_key: d.address,
          gpu_model: model,
          gpu_count: 8,
          vram_gb: 80,
          region: i % 12,
          bandwidth_tier: 2,
          multiplier_bps: 10_000,
          minimum_stake: bn(1_600_000_000),
        }),
        staking.log("Staked", { device: d.address, staker: d.owner, amount: bn(1_600_000_000), total_stake: bn(1_600_000_000) }),
      ],
      2,
    );
    yield* flush();
  }
  const per = o.devicesPerLease ?? 4;
  const hours = o.hoursPerLease ?? 3;
  let hour = 0;
  let cursor = 0;
  let cycle = 0;
  let burned = 0n;
  // A discretionary slash every 32 lease cycles: proposed on a device, executed (or, every other time,
  // cancelled) 16 cycles later; the market burns its fees every 16 cycles.
  let proposal: { device: (typeof devices)[number]; key: PublicKey; bps: number; execute: boolean } | undefined;
  while (count < o.events) {
    nextSlot(HOUR);
    const lease = key();
    const renter = key();
    const cluster = Array.from({ length: per }, () => devices[cursor++ % devices.length]);
    const price = 1_000_000 + (cursor % 7) * 250_000;
    tx(
      ids.leases,
      [
        leases.log("LeaseCreated", {
          lease,
          renter,
          payment_mint: zero,
          gpu_model: 1 + (cursor % 4),
          gpu_count: per * 8,
          hours,
          price_per_gpu_hour: bn(price),
          principal: bn(price * per * 8 * hours),
          renter_fee: bn(price),
          origin: bn(time),
        }),
      ],
      1,
    );
    for (const [slotNo, d] of cluster.entries())
      tx(
        ids.leases,
        [
          leases.log("DeviceAssigned", { lease, device: d.address, slot: slotNo, gpus: 8, first_hour: 0 }),
          `Program ${ids.staking} invoke [2]`,
          staking.log("DeviceStatusChanged", { device: d.address, status: 2, lease }),
          `Program ${ids.staking} success`,
        ],
        2,
      );
    for (let h = 0; h < hours; h++) {
      tx(
        ids.leases,
        cluster.map((d) => leases.log("TimeProven", { lease, device: d.address, attester: zero, first_hour: h, hour_count: 1, amount: bn(price * 8) })),
        per,
      );
      tx(ids.rewards, [rewards.log("HourEmitted", { hour, amount: bn(4_566_210_000), total_weight: bn(1000), nominated_devices: per })], 1);
      tx(
        ids.rewards,
        cluster.map((d) => rewards.log("UptimeRecorded", { device: d.address, first_hour: hour, hour_count: 1, streak: h + 1 })),
        per,
      );
      hour++;
    }
    tx(ids.leases, [leases.log("LeaseSettled", { lease, earned_total: bn(price * per * 8 * hours), refund: bn(0), refunded_total: bn(0) })], 1);
    for (const d of cluster)
      tx(
        ids.leases,
        [
          leases.log("PayoutClaimed", { lease, device: d.address, supplier: d.owner, hours, gross: bn(price * 8 * hours), fee: bn(price / 10) }),
          leases.log("DeviceReleased", { lease, device: d.address }),
          `Program ${ids.staking} invoke [2]`,
          staking.log("DeviceStatusChanged", { device: d.address, status: 0, lease }),
          `Program ${ids.staking} success`,
        ],
        3,
      );
    tx(ids.rewards, [rewards.log("RewardsClaimed", { device: cluster[0].address, owner: cluster[0].owner, amount: bn(1_000_000) })], 1);
    if (cycle % 32 === 0) {
      proposal = { device: cluster[0], key: key(), bps: 100 + (cycle % 5) * 100, execute: cycle % 64 === 0 };
      tx(
        ids.staking,
        [
          staking.log("SlashProposed", {
            device: proposal.device.address,
            proposal: proposal.key,
            authority: zero,
            bps: proposal.bps,
            reason: 3,
            executable_at: bn(time + 48 * HOUR),
          }),
        ],
        1,
      );
    } else if (cycle % 32 === 16 && proposal) {
      const p = proposal;
      if (p.execute) {
        const stake = 1_600_000_000n;
        const amount = (stake * BigInt(p.bps)) / 10_000n;
        tx(
          ids.staking,
          [
            staking.log("DeviceSlashed", {
              device: p.device.address,
              authority: zero,
              amount: bn(amount),
              bps: p.bps,
              reason: 3,
              remaining_stake: bn(stake - amount),
              co_stake_amount: bn(0),
              remaining_co_stake: bn(0),
              remaining_unbonding: bn(0),
            }),
            staking.log("SlashExecuted", { device: p.device.address, proposal: p.key, bps: p.bps, reason: 3, amount: bn(amount) }),
          ],
          2,
        );
      } else {
        tx(ids.staking, [staking.log("SlashCancelled", { device: p.device.address, proposal: p.key, bps: p.bps, reason: 3 })], 1);
      }
      proposal = undefined;
    }
    if (cycle % 16 === 15) {
      const amount = BigInt(price) * BigInt(per);
      burned += amount;
      tx(ids.leases, [leases.log("FeesBurned", { mint: zero, amount: bn(amount), total_burned: bn(burned) })], 1);
    }
    cycle++;
    yield* flush();
  }
  if (batch.length > 0) yield batch;
}
