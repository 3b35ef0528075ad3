// The main job's embedded local network starts, deploys the programs and stakes its simulated fleet.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { LEASES_PROGRAM_ID, STAKING_PROGRAM_ID } from "../client/src/index.ts";
import { ROOT } from "./support/world.ts";

const run = promisify(execFile);
const tsx = path.join(ROOT, "node_modules/.bin/tsx");

describe("local network (main job)", function () {
  it("starts with the staking program deployed and every simulated device staked", async function () {
    const { stdout } = await run(tsx, ["scripts/localnet.ts", "--once", "--json"], { cwd: ROOT });
    const summary = JSON.parse(stdout);
    expect(summary.programs.staking).to.equal(STAKING_PROGRAM_ID.toBase58());
    expect(summary.programs.leases).to.equal(LEASES_PROGRAM_ID.toBase58());
    expect(summary.market).to.be.a("string");
    expect(summary.programs.rewards).to.be.a("string");
    expect(summary.pool).to.be.a("string");
    expect(summary.devices).to.have.length(10);
    const staked = summary.devices.reduce((n: bigint, d: { stake: string }) => n + BigInt(d.stake), 0n);
    expect(BigInt(summary.stakeVault.balance)).to.equal(staked);
    for (const d of summary.devices) expect(d.stakeCu).to.be.within(1, 4_000);
  });

  it("rejects an unknown option with a clear message", async function () {
    const err = await run(tsx, ["scripts/localnet.ts", "--bogus"], { cwd: ROOT }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).to.not.equal(null);
    expect(err!.code).to.equal(2);
    expect(err!.stderr).to.contain("unknown option --bogus");
  });
});
