// The network bootstrap: network/localnet.json is read and checked (a bad field is refused by name),
// typed overrides change only what they name, and bootstrapNetwork initialises the Config, tiers,
// Market and Pool from the parameters on a fresh chain.

import { configPda, LeasesClient, marketPda, poolPda, RewardsClient, StakingClient, toBigInt } from "@hourglass/client";
import { bootstrapNetwork, LOCALNET_PARAMS_FILE, loadNetworkParams, observe, parseNetworkParams, startEngine, withOverrides } from "@hourglass/localchain";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { PROGRAMS, PROGRAMS_DIR } from "./support/world.ts";

describe("network bootstrap", () => {
  const file = loadNetworkParams();
  const json = (p: unknown) => JSON.parse(JSON.stringify(p, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

  it("reads network/localnet.json and refuses a bad or unknown field, naming it", () => {
    expect(file.hourLengthSeconds).to.equal(3_600);
    expect(file.pool.breakerCap).to.equal(10n ** 12n);
    const bad: [unknown, string][] = [
      [{ ...json(file), market: { ...json(file).market, renterFeeBps: 10_001 } }, "market.renterFeeBps must be an integer from 0 to 10000"],
      [{ ...json(file), pool: { ...json(file).pool, breakerCap: 5 } }, "pool.breakerCap must be a decimal string of a u64"],
      [{ ...json(file), staking: { ...json(file).staking, unbonding: 1 } }, "staking.unbonding is not a network parameter"],
      [{ ...json(file), decimals: undefined }, "decimals must be an integer"],
      [[], "the parameters must be an object"],
    ];
    for (const [value, message] of bad) expect(() => parseNetworkParams(value, "x.json")).to.throw(`x.json: ${message}`);
    expect(() => loadNetworkParams(`${LOCALNET_PARAMS_FILE}.missing`)).to.throw("localnet.json.missing");
  });

  it("applies typed overrides to the named fields only, and checks them", () => {
    const p = withOverrides(file, { market: { gracePeriodSeconds: 1_800 }, pool: { graceHours: undefined } });
    expect(p.market).to.deep.equal({ ...file.market, gracePeriodSeconds: 1_800 });
    expect(p.pool).to.deep.equal(file.pool);
    expect(() => withOverrides(file, { hourLengthSeconds: 0 })).to.throw("hourLengthSeconds must be an integer from 1");
  });

  it("initialises the Config, GPU tiers, Market and Pool from the parameters", async () => {
    const engine = observe(await startEngine("litesvm", PROGRAMS, PROGRAMS_DIR));
    const authority = Keypair.generate();
    const attester = Keypair.generate().publicKey;
    await engine.airdrop(authority.publicKey, 100_000_000_000n);
    const params = withOverrides(file, { staking: { gpuTiers: [{ modelCode: 7, multiplierBps: 30_000 }] }, market: { renterFeeBps: 40 } });
    const net = await bootstrapNetwork(engine, params, { authority, attesters: [attester] });
    expect([...net.results.keys()]).to.deep.equal([
      "initialize_config",
      "set_gpu_tier",
      "update_config",
      "set_attester",
      "initialize_market",
      "initialize_pool",
    ]);
    const config = new StakingClient().decodeConfig((await engine.getAccount(configPda()[0]))!.data);
    expect(config.unbondingPeriod.toNumber()).to.equal(params.staking.unbondingPeriodSeconds);
    expect(config.stakeMint.toBase58()).to.equal(net.stakeMint!.toBase58());
    const market = new LeasesClient().decodeMarket((await engine.getAccount(marketPda()[0]))!.data);
    expect(market.renterFeeBps).to.equal(40);
    expect(market.supplierFeeBps).to.equal(params.market.supplierFeeBps);
    const pool = new RewardsClient().decodePool((await engine.getAccount(poolPda()[0]))!.data);
    expect(toBigInt(pool.breakerCap)).to.equal(params.pool.breakerCap);
    expect(pool.rewardMint.toBase58()).to.equal(net.rewardMint!.toBase58());
  });
});
