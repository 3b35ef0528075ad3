// One network bootstrap: the mints, the staking Config and its GPU tiers, the lease Market (with the
// lease authority wired into staking and the attesters enabled) and the rewards Pool, from one
// parameters object, through anything that sends instructions with signers (the Engine today; a
// cluster connection can implement the same two methods). The parameters live in network/*.json
// (network/localnet.json: the local network's), read by `loadNetworkParams`, which refuses a bad file
// naming the field; tests change only what they need with `withOverrides`.

import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { configPda, LeasesClient, leaseAuthorityPda, marketPda, networkTreasuryPda, poolPda, RewardsClient, StakingClient } from "@hourglass/client";
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { Engine, TxResult } from "./engine.ts";
import { createMint, createTokenAccount } from "./tokens.ts";

/** What the bootstrap sends through: signs with `signers` (the first pays) and executes. */
export type NetworkChain = Pick<Engine, "send" | "rentExempt">;

/** A GPU model's stake multiplier (io.net's, in basis points: 10,000 = 1x). */
export interface GpuTierParams {
  modelCode: number;
  multiplierBps: number;
}

export interface NetworkParams {
  /** Decimals of the mints the bootstrap creates (stake, stable, reward). */
  decimals: number;
  /** One network hour, in seconds: the Market's and the Pool's. */
  hourLengthSeconds: number;
  staking: {
    /** 0 = 14 days; otherwise one hour to 365 days. */
    unbondingPeriodSeconds: number;
    maxSlashBps: number;
    /** propose_slash -> execute_slash; 0 = 48 hours. */
    slashDelaySeconds: number;
    /** Set after the Config; from the caller's GPU model table (none in the file by default). */
    gpuTiers: GpuTierParams[];
  };
  market: {
    /** Seconds after an hour ends during which it may still be proven. */
    gracePeriodSeconds: number;
    renterFeeBps: number;
    supplierFeeBps: number;
    stableSurchargeBps: number;
    faultSlashBps: number;
  };
  pool: {
    graceHours: number;
    breakerWindowHours: number;
    /** Base units the breaker lets out per window. */
    breakerCap: bigint;
    /** A working hour's weight over an idle one; 0 = 20,000 (2x). */
    workFactorBps: number;
  };
}

/** Parameters changed from a file's, section by section. */
export interface NetworkOverrides {
  decimals?: number;
  hourLengthSeconds?: number;
  staking?: Partial<NetworkParams["staking"]>;
  market?: Partial<NetworkParams["market"]>;
  pool?: Partial<NetworkParams["pool"]>;
}

/** The local network's parameters file (network/localnet.json at the top of the repository). */
export const LOCALNET_PARAMS_FILE = fileURLToPath(new URL("../../network/localnet.json", import.meta.url));

const U16 = 0xffff;
const U32 = 0xffff_ffff;
const I64 = Number.MAX_SAFE_INTEGER;
const U64 = 2n ** 64n - 1n;
/** Each field: its bounds (integers). */
const FIELDS = {
  decimals: [0, 18],
  hourLengthSeconds: [1, I64],
  staking: { unbondingPeriodSeconds: [0, I64], maxSlashBps: [0, 10_000], slashDelaySeconds: [0, I64] },
  market: { gracePeriodSeconds: [0, I64], renterFeeBps: [0, 10_000], supplierFeeBps: [0, 10_000], stableSurchargeBps: [0, 10_000], faultSlashBps: [0, 10_000] },
  pool: { graceHours: [0, U32], breakerWindowHours: [0, U32], breakerCap: "u64", workFactorBps: [0, U32] },
} as const;

class ParamsError extends Error {}

function int(v: unknown, [min, max]: readonly [number, number], at: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ParamsError(`${at} must be an integer from ${min} to ${max} (got ${JSON.stringify(v) ?? "nothing"})`);
  }
  return v;
}

function u64(v: unknown, at: string): bigint {
  if (typeof v === "bigint" && v >= 0n && v <= U64) return v;
  if (typeof v === "string" && /^\d+$/.test(v) && BigInt(v) <= U64) return BigInt(v);
  throw new ParamsError(`${at} must be a decimal string of a u64 (got ${typeof v === "bigint" ? v : (JSON.stringify(v) ?? "nothing")})`);
}

function record(v: unknown, at: string, known: readonly string[]): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ParamsError(`${at || "the parameters"} must be an object`);
  for (const k of Object.keys(v)) if (!known.includes(k)) throw new ParamsError(`${at ? `${at}.` : ""}${k} is not a network parameter`);
  return v as Record<string, unknown>;
}

function tiers(v: unknown, at: string): GpuTierParams[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ParamsError(`${at} must be a list of { modelCode, multiplierBps }`);
  return v.map((t, i) => {
    const r = record(t, `${at}[${i}]`, ["modelCode", "multiplierBps"]);
    return { modelCode: int(r.modelCode, [0, U16], `${at}[${i}].modelCode`), multiplierBps: int(r.multiplierBps, [0, U32], `${at}[${i}].multiplierBps`) };
  });
}

function section<S extends "staking" | "market" | "pool">(top: Record<string, unknown>, name: S): NetworkParams[S] {
  const spec = FIELDS[name] as Record<string, readonly [number, number] | "u64">;
  const extra = name === "staking" ? ["gpuTiers"] : [];
  const r = record(top[name], name, [...Object.keys(spec), ...extra]);
  const out: Record<string, unknown> = {};
  for (const [k, bounds] of Object.entries(spec)) out[k] = bounds === "u64" ? u64(r[k], `${name}.${k}`) : int(r[k], bounds, `${name}.${k}`);
  if (name === "staking") out.gpuTiers = tiers(r.gpuTiers, "staking.gpuTiers");
  return out as NetworkParams[S];
}

/** Checks `value` as network parameters; throws naming `source` and the first bad field. */
export function parseNetworkParams(value: unknown, source = "network parameters"): NetworkParams {
  try {
    const top = record(value, "", ["decimals", "hourLengthSeconds", "staking", "market", "pool"]);
    return {
      decimals: int(top.decimals, FIELDS.decimals, "decimals"),
      hourLengthSeconds: int(top.hourLengthSeconds, FIELDS.hourLengthSeconds, "hourLengthSeconds"),
      staking: section(top, "staking"),
      market: section(top, "market"),
      pool: section(top, "pool"),
    };
  } catch (e) {
    if (e instanceof ParamsError) throw new Error(`${source}: ${e.message}`);
    throw e;
  }
}

/** `o` without its undefined fields (an override left undefined keeps the file's value). */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `params` with `overrides` applied, checked again. */
export function withOverrides(params: NetworkParams, overrides: NetworkOverrides = {}): NetworkParams {
  const { staking, market, pool, ...top } = overrides;
  return parseNetworkParams(
    {
      ...params,
      ...defined(top),
      staking: { ...params.staking, ...defined(staking) },
      market: { ...params.market, ...defined(market) },
      pool: { ...params.pool, ...defined(pool) },
    },
    "network parameter overrides",
  );
}

/** Reads and checks a parameters file (default network/localnet.json), then applies `overrides`. */
export function loadNetworkParams(file = LOCALNET_PARAMS_FILE, overrides?: NetworkOverrides): NetworkParams {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const params = parseNetworkParams(json, file);
  return overrides ? withOverrides(params, overrides) : params;
}

export interface BootstrapOptions {
  /** Pays for and signs everything; the Config's, the Market's and the Pool's authority. */
  authority: Keypair;
  /** Mint authority of the stake and stable mints it creates (default: the authority). */
  mintAuthority?: PublicKey;
  /** Keys enabled as attesters in the staking Config. */
  attesters?: PublicKey[];
  /** What it initialises (default: all). `config: false` when the Config is there already. */
  parts?: { config?: boolean; market?: boolean; pool?: boolean };
  /** Mints and token accounts that exist already; the others it needs are created. */
  existing?: { stakeMint?: PublicKey; treasury?: PublicKey; stableMint?: PublicKey; stableTreasury?: PublicKey; rewardMint?: PublicKey };
}

/** What the bootstrap made (the parts it did not initialise are absent). */
export interface Network {
  params: NetworkParams;
  authority: PublicKey;
  config: PublicKey;
  stakeMint?: PublicKey;
  /** The staking Config's treasury (the authority's token account of the stake mint). */
  treasury?: PublicKey;
  market?: PublicKey;
  stableMint?: PublicKey;
  stableTreasury?: PublicKey;
  /** The Market's network-token fee vault. */
  networkTreasury?: PublicKey;
  pool?: PublicKey;
  rewardMint?: PublicKey;
  /** The last result of each instruction it sent, by name (initialize_config, set_gpu_tier, ...). */
  results: Map<string, TxResult>;
}

/**
 * Initialises a network on `chain` from `params`, in this order: the stake mint and treasury, the
 * Config and each GPU tier; for the Market the stable mint and treasury and the lease authority in the
 * Config; the attesters; the Market; the reward mint (minted by the Pool) and the Pool. Throws with the
 * program's logs when an instruction fails.
 */
export async function bootstrapNetwork(chain: NetworkChain, params: NetworkParams, opts: BootstrapOptions): Promise<Network> {
  const parts = { config: true, market: true, pool: true, ...opts.parts };
  const authority = opts.authority;
  const mintAuthority = opts.mintAuthority ?? authority.publicKey;
  const staking = new StakingClient();
  const leases = new LeasesClient();
  const rewards = new RewardsClient();
  const results = new Map<string, TxResult>();
  const send = async (name: string, ix: TransactionInstruction) => {
    const res = await chain.send([ix], [authority]);
    if (!res.ok) throw new Error(`${name} failed: ${res.error}\n${res.logs.join("\n")}`);
    results.set(name, res);
  };
  const net: Network = { params, authority: authority.publicKey, config: configPda()[0], results, ...opts.existing };
  const stakeAccounts = async () => {
    net.stakeMint ??= await createMint(chain, authority, mintAuthority, params.decimals);
    net.treasury ??= await createTokenAccount(chain, authority, net.stakeMint, authority.publicKey);
    return { stakeMint: net.stakeMint, treasury: net.treasury };
  };
  const { staking: s, market: m, pool: p } = params;

  if (parts.config) {
    const { stakeMint, treasury } = await stakeAccounts();
    await send(
      "initialize_config",
      await staking.initializeConfig({
        authority: authority.publicKey,
        stakeMint,
        treasury,
        unbondingPeriodSeconds: s.unbondingPeriodSeconds,
        maxSlashBps: s.maxSlashBps,
        slashDelaySeconds: s.slashDelaySeconds,
      }),
    );
    for (const tier of s.gpuTiers) await send("set_gpu_tier", await staking.setGpuTier({ authority: authority.publicKey, ...tier }));
  }
  if (parts.market) {
    net.stableMint ??= await createMint(chain, authority, mintAuthority, params.decimals);
    net.stableTreasury ??= await createTokenAccount(chain, authority, net.stableMint, authority.publicKey);
    const { treasury } = await stakeAccounts();
    await send(
      "update_config",
      await staking.updateConfig({
        authority: authority.publicKey,
        treasury,
        unbondingPeriodSeconds: s.unbondingPeriodSeconds,
        maxSlashBps: s.maxSlashBps,
        slashDelaySeconds: s.slashDelaySeconds,
        leaseAuthority: leaseAuthorityPda()[0],
      }),
    );
  }
  for (const attester of opts.attesters ?? [])
    await send("set_attester", await staking.setAttester({ authority: authority.publicKey, attester, enabled: true }));
  if (parts.market) {
    await send(
      "initialize_market",
      await leases.initializeMarket({
        authority: authority.publicKey,
        networkMint: net.stakeMint!,
        stableMint: net.stableMint!,
        stableTreasury: net.stableTreasury!,
        gracePeriodSeconds: m.gracePeriodSeconds,
        hourLengthSeconds: params.hourLengthSeconds,
        renterFeeBps: m.renterFeeBps,
        supplierFeeBps: m.supplierFeeBps,
        stableSurchargeBps: m.stableSurchargeBps,
        faultSlashBps: m.faultSlashBps,
      }),
    );
    net.market = marketPda()[0];
    net.networkTreasury = networkTreasuryPda()[0];
  }
  if (parts.pool) {
    net.rewardMint ??= await createMint(chain, authority, poolPda()[0], params.decimals);
    await send(
      "initialize_pool",
      await rewards.initializePool({
        authority: authority.publicKey,
        rewardMint: net.rewardMint,
        hourLengthSeconds: params.hourLengthSeconds,
        graceHours: p.graceHours,
        breakerWindowHours: p.breakerWindowHours,
        breakerCap: p.breakerCap,
        workFactorBps: p.workFactorBps,
      }),
    );
    net.pool = poolPda()[0];
  }
  return net;
}
