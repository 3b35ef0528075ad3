// `hourglass rewards ...` for suppliers and co-stakers: status, claim.

import { deviceRewardPda, poolPda, RewardsClient, readKeypair } from "@hourglass/client";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Parsed, UsageError } from "./args.ts";
import { context, out, send } from "./context.ts";

export async function rewards(p: Parsed) {
  const { json, url, conn, keypairFile, txOpts } = context(p);
  const client = new RewardsClient();
  const pool = async () => {
    const info = await conn.getAccountInfo(poolPda()[0]);
    if (!info) throw new Error(`no Hourglass emission pool at ${poolPda()[0].toBase58()} on ${url}`);
    return client.decodePool(info.data);
  };

  switch (p.command) {
    case "status": {
      const device = p.pubkey("device");
      p.done();
      const pl = await pool();
      const info = await conn.getAccountInfo(deviceRewardPda(device)[0]);
      if (!info) throw new Error(`device ${device.toBase58()} has no reward record (register_reward)`);
      const r = client.decodeDeviceReward(info.data);
      const data = {
        device: device.toBase58(),
        owner: r.owner.toBase58(),
        nominated: r.nominated,
        weight: r.weight.toString(),
        nominalWeight: r.nominalWeight.toString(),
        streak: r.streak,
        nextHour: r.nextHour,
        accrued: r.accrued.toString(),
        claimed: r.claimed.toString(),
        pool: {
          nextHour: pl.nextHour,
          totalWeight: pl.totalWeight.toString(),
          nominatedDevices: pl.nominatedDevices,
          totalEmitted: pl.totalEmitted.toString(),
          paused: !pl.pausedAt.isZero(),
        },
      };
      out(
        json,
        data,
        [
          `device     ${data.device} (${data.nominated ? `nominated, weight ${data.weight}` : `not nominated, weight when nominated ${data.nominalWeight}`})`,
          `uptime     streak ${data.streak} h, recorded up to hour ${data.nextHour}`,
          `rewards    ${data.claimed} claimed, ${data.accrued} settled and unclaimed`,
          `pool       hour ${data.pool.nextHour}, ${data.pool.nominatedDevices} devices nominated, ${data.pool.totalEmitted} emitted${data.pool.paused ? " (paused)" : ""}`,
        ].join("\n"),
      );
      return;
    }
    case "claim": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const co = p.flag("co-stake");
      const to = p.opt("to") ? p.pubkey("to") : getAssociatedTokenAddressSync((await pool()).rewardMint, wallet.publicKey);
      p.done();
      const ix = co
        ? await client.claimCoStake({ staker: wallet.publicKey, device, destination: to })
        : await client.claim({ owner: wallet.publicKey, device, destination: to });
      const signature = await send(conn, [wallet], [ix], txOpts);
      out(
        json,
        { command: "claim", device: device.toBase58(), destination: to.toBase58(), coStake: co, signature },
        `claimed rewards of ${device.toBase58()} to ${to.toBase58()} (tx ${signature})`,
      );
      return;
    }
    default:
      throw new UsageError(`unknown rewards command ${JSON.stringify(p.command)}`);
  }
}
