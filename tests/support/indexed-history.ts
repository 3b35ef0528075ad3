// A network history indexed from genesis by the in-process source into a fresh SQLite file; and
// EventHistory, a history written event by event (encoded with the IDL) for the views' own tests.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ChainTx, type IndexerDb, type LooseFields, openDb, Pipeline, type ProgramName, SvmSource, SyntheticChain } from "@hourglass/indexer";
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { NetworkHistory } from "./network-history.ts";

export interface IndexedHistory {
  h: NetworkHistory;
  run: Awaited<ReturnType<NetworkHistory["run"]>>;
  db: IndexerDb;
  pipeline: Pipeline;
  source: SvmSource;
  /** Every transaction of the history as the in-process source handed it over. */
  txs: ChainTx[];
  close(): void;
}

export async function indexedHistory(): Promise<IndexedHistory> {
  const dir = mkdtempSync(path.join(tmpdir(), "hourglass-indexed-"));
  const db = openDb(path.join(dir, "indexer.sqlite"));
  const pipeline = new Pipeline(db);
  let source!: SvmSource;
  const txs: ChainTx[] = [];
  let capture!: SvmSource;
  const h = await NetworkHistory.create("litesvm", (engine) => {
    source = new SvmSource(engine, pipeline, 5);
    source.start();
    capture = new SvmSource(engine, { ingest: (_s, batch) => txs.push(...batch), checkpoint: () => undefined }, 0);
    capture.start();
  });
  const run = await h.run();
  source.flush();
  capture.stop();
  return {
    h,
    run,
    db,
    pipeline,
    source,
    txs,
    close() {
      source.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const HOUR = 3600;
const ZERO = PublicKey.default.toBase58();
const key = () => Keypair.generate().publicKey.toBase58();

/** A chain with a market and a pool starting at `start` (an hour boundary), and helpers for devices. */
export class EventHistory {
  readonly c: SyntheticChain;
  constructor(readonly start = 1_700_000_000 - (1_700_000_000 % HOUR)) {
    this.c = new SyntheticChain(start);
    this.c.emit("leases", "MarketInitialized", { authority: ZERO, network_mint: ZERO, stable_mint: ZERO, hour_length: HOUR, grace_period: 25 * HOUR });
    this.c.emit("rewards", "PoolInitialized", { pool: ZERO, reward_mint: ZERO, start_time: start, hour_length: HOUR, cap: 10n ** 15n });
  }
  emit(program: ProgramName, name: string, fields: LooseFields) {
    return this.c.emit(program, name, fields);
  }
  /** Moves the chain's clock to `t` (the next transaction's block time). */
  at(t: number) {
    expect(t).to.be.at.least(this.c.time);
    this.c.advance(t - this.c.time);
    return this;
  }
  device(owner = key(), stake = 10_000n) {
    const device = key();
    this.c.tx("staking", [
      [
        "staking",
        "DeviceRegistered",
        {
          device,
          owner,
          device_key: device,
          gpu_model: 1,
          gpu_count: 8,
          vram_gb: 80,
          region: 276,
          bandwidth_tier: 2,
          multiplier_bps: 10_000,
          minimum_stake: 1_000,
        },
      ],
      ["staking", "Staked", { device, staker: owner, amount: stake, total_stake: stake }],
    ]);
    return { device, owner };
  }
  /** Uptime recorded for block rewards over pool hours [first, first + count). */
  uptime(device: string, first: number, count: number) {
    this.emit("rewards", "UptimeRecorded", { device, first_hour: first, hour_count: count, streak: count });
  }
  /** A one-device lease whose origin is `origin`, with `hours` proven from its first hour. */
  lease(device: string, origin: number, hours: number) {
    const lease = key();
    this.emit("leases", "LeaseCreated", {
      lease,
      renter: key(),
      payment_mint: ZERO,
      gpu_model: 1,
      gpu_count: 8,
      hours: hours + 1,
      price_per_gpu_hour: 1_000_000,
      principal: 8_000_000 * (hours + 1),
      renter_fee: 20_000,
      origin,
    });
    this.c.tx("leases", [
      ["leases", "DeviceAssigned", { lease, device, slot: 0, gpus: 8, first_hour: 0 }],
      ["staking", "DeviceStatusChanged", { device, status: 2, lease }],
    ]);
    if (hours > 0) this.emit("leases", "TimeProven", { lease, device, attester: ZERO, first_hour: 0, hour_count: hours, amount: 8_000_000 * hours });
    return lease;
  }
  fault(lease: string, device: string, missedHour: number) {
    this.emit("leases", "DeviceFaulted", { lease, device, missed_hour: missedHour, slash_bps: 500 });
  }
  /** Pool hour index of time `t`. */
  hour(t: number) {
    return Math.floor((t - this.start) / HOUR);
  }
}
