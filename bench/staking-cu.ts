// Compute units per staking instruction in LiteSVM (our program including its CPIs), measured over
// several runs with fresh keys, printed as a table with the goals; exits 1 if a goal is missed.
// Run: npx tsx bench/staking-cu.ts [--json]

import { STAKING_PROGRAM_ID, toBigInt } from "@hourglass/client";
import { programComputeUnits } from "@hourglass/localchain";
import { Keypair } from "@solana/web3.js";
import { DECIMALS, H100, RTX4070, UNBONDING_SECONDS, World } from "../tests/support/world.ts";
import { GoalTable } from "./table.ts";

/** Goals from the staking issue; other rows are reported without a goal. */
const GOALS: Record<string, number> = { register_device: 6_000, stake: 4_000, request_unstake: 4_000, withdraw: 4_000, slash: 4_000, execute_slash: 5_000 };
const RUNS = 5;
const TOKENS = 10n ** BigInt(DECIMALS);

const samples = new Map<string, number[]>();
const record = (name: string, logs: string[]) => {
  const cu = programComputeUnits(logs, STAKING_PROGRAM_ID);
  samples.set(name, [...(samples.get(name) ?? []), cu]);
};

async function main() {
  for (let run = 0; run < RUNS; run++) {
    const w = await World.create("litesvm", { initialize: false });
    const time = async (name: string, ixs: Awaited<ReturnType<World["initializeConfigIx"]>>, signers: Keypair[]) => {
      const res = await w.ok(name, ixs, signers);
      record(name, res.logs);
      return res;
    };
    await time("initialize_config", await w.initializeConfigIx(), [w.authority]);
    await time(
      "set_gpu_tier",
      await w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: RTX4070.code, multiplierBps: RTX4070.multiplierBps }),
      [w.authority],
    );
    await w.ok("set_gpu_tier", await w.staking.setGpuTier({ authority: w.authority.publicKey, modelCode: H100.code, multiplierBps: H100.multiplierBps }), [
      w.authority,
    ]);
    const lease = Keypair.generate();
    await w.engine.airdrop(lease.publicKey, 1_000_000_000n);
    await time("update_config", await w.updateConfigIx(lease.publicKey), [w.authority]);
    await time("set_attester", await w.staking.setAttester({ authority: w.authority.publicKey, attester: Keypair.generate().publicKey, enabled: true }), [
      w.authority,
    ]);

    const s = await w.newSupplier(100_000n * TOKENS);
    const key = Keypair.generate();
    await time(
      "register_device",
      await w.staking.registerDevice({
        supplier: s.wallet.publicKey,
        deviceKey: key.publicKey,
        gpuModel: RTX4070.code,
        gpuCount: 1,
        vramGb: 12,
        region: 276,
        bandwidthTier: 2,
      }),
      [s.wallet, key],
    );
    const d = { key, address: key.publicKey, supplier: s, gpuCount: 1, multiplierBps: RTX4070.multiplierBps };
    w.devices.push(d);
    await time("stake", await w.stakeIx(d, w.minimum(d) * 4n), [s.wallet]);
    await time("set_device_paused", await w.staking.setDevicePaused({ supplier: s.wallet.publicKey, deviceKey: key.publicKey, paused: true }), [s.wallet]);
    await w.ok("set_device_paused", await w.staking.setDevicePaused({ supplier: s.wallet.publicKey, deviceKey: key.publicKey, paused: false }), [s.wallet]);
    const c = await w.newSupplier(100_000n * TOKENS);
    await time("co_stake", await w.coStakeIx(d, c, 10n * TOKENS), [c.wallet]);
    await time("co_unstake", await w.staking.coUnstake({ staker: c.wallet.publicKey, deviceKey: key.publicKey, amount: 10n * TOKENS }), [c.wallet]);
    await time(
      "assign_lease",
      await w.staking.assignLease({ leaseAuthority: lease.publicKey, deviceKey: key.publicKey, lease: Keypair.generate().publicKey }),
      [lease],
    );
    await time("slash", await w.staking.slash({ authority: lease.publicKey, deviceKey: key.publicKey, treasury: w.treasury, bps: 100, reason: 1 }), [lease]);
    await time("release_lease", await w.staking.releaseLease({ leaseAuthority: lease.publicKey, deviceKey: key.publicKey }), [lease]);
    // The two-step discretionary slash (with co-stake and unbonding on the device).
    const proposal = { authority: w.authority.publicKey, deviceKey: key.publicKey };
    await time("propose_slash", await w.staking.proposeSlash({ ...proposal, bps: 100, reason: 3 }), [w.authority]);
    await time("cancel_slash", await w.staking.cancelSlash(proposal), [w.authority]);
    await w.ok("propose_slash", await w.staking.proposeSlash({ ...proposal, bps: 100, reason: 3 }), [w.authority]);
    await w.engine.warp(Number(w.staking.decodeConfig((await w.engine.getAccount(w.config))!.data).slashDelay));
    await time("execute_slash", await w.staking.executeSlash({ ...proposal, treasury: w.treasury }), [w.authority]);
    const stake = toBigInt((await w.device(d)).stake);
    await time("request_unstake", await w.staking.requestUnstake({ supplier: s.wallet.publicKey, deviceKey: key.publicKey, amount: stake }), [s.wallet]);
    await w.engine.warp(UNBONDING_SECONDS);
    await time("withdraw", await w.staking.withdraw({ supplier: s.wallet.publicKey, deviceKey: key.publicKey, destination: s.tokens }), [s.wallet]);
    await time("co_withdraw", await w.staking.coWithdraw({ staker: c.wallet.publicKey, deviceKey: key.publicKey, destination: c.tokens }), [c.wallet]);
    await time("deregister", await w.staking.deregister({ supplier: s.wallet.publicKey, deviceKey: key.publicKey }), [s.wallet]);
  }

  const table = new GoalTable();
  for (const [name, xs] of samples) {
    const goal = GOALS[name];
    table.add(`staking ${name} (max of ${xs.length} runs; min ${Math.min(...xs)})`, Math.max(...xs), goal === undefined ? undefined : { max: goal }, "CU");
  }
  if (!table.report(`staking program, compute units in LiteSVM (${RUNS} runs, fresh keys each; CPIs included)`)) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
