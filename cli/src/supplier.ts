// `hourglass supplier ...`: register, stake, unstake, withdraw, status, co-stake.

import { DEVICE_STATUS_NAMES, MAX_BANDWIDTH_TIER, MAX_GPUS, readKeypair, StakingClient } from "@hourglass/client";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import { type Parsed, UsageError } from "./args.ts";
import { context, out, send } from "./context.ts";
import { openSlashProposal, stakingConfig } from "./staking-accounts.ts";

export async function supplier(p: Parsed) {
  const { json, url, conn, keypairFile, txOpts } = context(p);
  const staking = new StakingClient();

  const needConfig = () => stakingConfig(conn, url, staking);
  const tokenAccount = async (given: string | undefined, owner: PublicKey) =>
    given ? p.pubkey("from", given) : getAssociatedTokenAddressSync((await needConfig()).stakeMint, owner);

  switch (p.command) {
    case "register": {
      const wallet = readKeypair(keypairFile);
      const deviceKey = readKeypair(p.required("device-key"));
      const ix = await staking.registerDevice({
        supplier: wallet.publicKey,
        deviceKey: deviceKey.publicKey,
        gpuModel: p.intRequired("gpu-model", 0, 65_535),
        gpuCount: p.intRequired("gpus", 1, MAX_GPUS),
        vramGb: p.int("vram", 0, 65_535) ?? 0,
        region: p.int("region", 0, 999) ?? 0,
        bandwidthTier: p.int("bandwidth", 0, MAX_BANDWIDTH_TIER) ?? 0,
      });
      p.done();
      const signature = await send(conn, [wallet, deviceKey], [ix], txOpts);
      out(
        json,
        { command: "register", device: deviceKey.publicKey.toBase58(), supplier: wallet.publicKey.toBase58(), signature },
        `registered device ${deviceKey.publicKey.toBase58()} (tx ${signature})`,
      );
      return;
    }
    case "stake":
    case "co-stake": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const amount = p.amount("amount");
      const from = await tokenAccount(p.opt("from"), wallet.publicKey);
      p.done();
      const ix =
        p.command === "stake"
          ? await staking.stake({ supplier: wallet.publicKey, deviceKey: device, supplierTokens: from, amount })
          : await staking.coStake({ staker: wallet.publicKey, deviceKey: device, stakerTokens: from, amount });
      const signature = await send(conn, [wallet], [ix], txOpts);
      out(
        json,
        { command: p.command, device: device.toBase58(), amount: amount.toString(), signature },
        `${p.command === "stake" ? "staked" : "co-staked"} ${amount} on ${device.toBase58()} (tx ${signature})`,
      );
      return;
    }
    case "unstake": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const amount = p.amount("amount");
      p.done();
      const signature = await send(conn, [wallet], [await staking.requestUnstake({ supplier: wallet.publicKey, deviceKey: device, amount })], txOpts);
      const info = await conn.getAccountInfo(device);
      const unlock = info ? staking.decodeDevice(info.data).unbondingUnlockAt.toNumber() : 0;
      out(
        json,
        { command: "unstake", device: device.toBase58(), amount: amount.toString(), unlockAt: unlock, signature },
        `unbonding ${amount} from ${device.toBase58()} until ${new Date(unlock * 1000).toISOString()} (tx ${signature})`,
      );
      return;
    }
    case "withdraw": {
      const wallet = readKeypair(keypairFile);
      const device = p.pubkey("device");
      const to = p.opt("to") ? p.pubkey("to") : getAssociatedTokenAddressSync((await needConfig()).stakeMint, wallet.publicKey);
      p.done();
      const signature = await send(conn, [wallet], [await staking.withdraw({ supplier: wallet.publicKey, deviceKey: device, destination: to })], txOpts);
      out(
        json,
        { command: "withdraw", device: device.toBase58(), destination: to.toBase58(), signature },
        `withdrew unbonded stake of ${device.toBase58()} to ${to.toBase58()} (tx ${signature})`,
      );
      return;
    }
    case "status": {
      const device = p.pubkey("device");
      p.done();
      const info = await conn.getAccountInfo(device);
      if (!info?.owner.equals(staking.programId)) throw new Error(`no Hourglass device at ${device.toBase58()}`);
      const d = staking.decodeDevice(info.data);
      const proposal = await openSlashProposal(conn, device, staking);
      const data = {
        device: device.toBase58(),
        owner: d.owner.toBase58(),
        status: DEVICE_STATUS_NAMES[d.status] ?? `unknown(${d.status})`,
        gpuModel: d.gpuModel,
        gpuCount: d.gpuCount,
        vramGb: d.vramGb,
        region: d.region,
        bandwidthTier: d.bandwidthTier,
        multiplierBps: d.multiplierBps,
        stake: d.stake.toString(),
        coStake: d.coStake.toString(),
        unbonding: d.unbondingAmount.toString(),
        coUnbonding: d.coUnbonding.toString(),
        unbondingUnlockAt: d.unbondingUnlockAt.toNumber(),
        provenHours: d.provenHours.toString(),
        slashedTotal: d.slashedTotal.toString(),
        currentLease: d.currentLease.equals(PublicKey.default) ? null : d.currentLease.toBase58(),
        pendingSlash: proposal ? { bps: proposal.bps, reason: proposal.reason, executableAt: proposal.executableAt.toNumber() } : null,
      };
      const human = [
        `device     ${data.device}`,
        `owner      ${data.owner}`,
        `status     ${data.status}${data.currentLease ? ` (lease ${data.currentLease})` : ""}`,
        `gpus       ${data.gpuCount} x model ${data.gpuModel}, ${data.vramGb} GB, region ${data.region}, bandwidth tier ${data.bandwidthTier}`,
        `stake      ${data.stake} (+ ${data.coStake} co-stake)`,
        `unbonding  ${data.unbonding}${data.unbondingUnlockAt ? ` until ${new Date(data.unbondingUnlockAt * 1000).toISOString()}` : ""}`,
        `slashed    ${data.slashedTotal}`,
        ...(data.pendingSlash
          ? [`proposed   slash of ${data.pendingSlash.bps} bps, executable from ${new Date(data.pendingSlash.executableAt * 1000).toISOString()}`]
          : []),
      ].join("\n");
      out(json, data, human);
      return;
    }
    default:
      throw new UsageError(`unknown supplier command ${JSON.stringify(p.command)}`);
  }
}
