// `hourglass slash ...` for the staking config authority: propose a discretionary slash, cancel it, or
// execute it once the Config's delay has passed; `status` (anyone) shows a device's open proposal.

import { readKeypair, SLASH_REASON_NAMES, type SlashProposalAccount, SlashReason, StakingClient, slashProposalPda } from "@hourglass/client";
import type { PublicKey } from "@solana/web3.js";
import { type Parsed, UsageError } from "./args.ts";
import { context, out, send } from "./context.ts";
import { openSlashProposal, stakingConfig } from "./staking-accounts.ts";

/** Reasons the config authority may give (missed heartbeats is the lease program's fault slash). */
const REASONS: Record<string, number> = { "failed-job": SlashReason.FailedJob, admin: SlashReason.Admin };
/** A reason code as the CLI writes it: the shared name in flag form ("failed-job"). */
const reasonFlag = (code: number) => SLASH_REASON_NAMES[code]?.replaceAll(" ", "-") ?? `unknown(${code})`;

const iso = (unix: number) => new Date(unix * 1000).toISOString();

export async function slash(p: Parsed) {
  const { json, url, conn, keypairFile, txOpts } = context(p);
  const staking = new StakingClient();
  const config = () => stakingConfig(conn, url, staking);
  const proposal = (device: PublicKey) => openSlashProposal(conn, device, staking);
  const describe = (device: PublicKey, s: SlashProposalAccount) => ({
    device: device.toBase58(),
    proposal: slashProposalPda(device)[0].toBase58(),
    bps: s.bps,
    reason: reasonFlag(s.reason),
    proposedAt: s.proposedAt.toNumber(),
    executableAt: s.executableAt.toNumber(),
  });

  switch (p.command) {
    case "propose": {
      const device = p.pubkey("device");
      const bps = p.int("bps", 1, 10_000);
      if (bps === undefined) throw new UsageError("--bps is required (basis points of the device's stake, 1-10000)");
      const reasonName = p.required("reason");
      const reason = REASONS[reasonName];
      if (reason === undefined) throw new UsageError(`--reason must be one of ${Object.keys(REASONS).join(", ")}, not ${JSON.stringify(reasonName)}`);
      const authority = readKeypair(keypairFile);
      p.done();
      const cfg = await config();
      if (!cfg.authority.equals(authority.publicKey))
        throw new UsageError(`the keypair ${authority.publicKey.toBase58()} is not the staking config authority (${cfg.authority.toBase58()})`);
      if (bps > cfg.maxSlashBps) throw new UsageError(`--bps ${bps} is over the Config's bound of ${cfg.maxSlashBps}`);
      const signature = await send(conn, [authority], [await staking.proposeSlash({ authority: authority.publicKey, deviceKey: device, bps, reason })], txOpts);
      const data = { command: "propose", ...describe(device, (await proposal(device))!), signature };
      out(json, data, `proposed slashing ${data.bps} bps of ${data.device} (${data.reason}); executable from ${iso(data.executableAt)} (tx ${signature})`);
      return;
    }
    case "cancel":
    case "execute": {
      const device = p.pubkey("device");
      const authority = readKeypair(keypairFile);
      p.done();
      const open = await proposal(device);
      if (!open) throw new Error(`no open slash proposal for ${device.toBase58()}`);
      const cfg = await config();
      const ix =
        p.command === "cancel"
          ? await staking.cancelSlash({ authority: authority.publicKey, deviceKey: device })
          : await staking.executeSlash({ authority: authority.publicKey, deviceKey: device, treasury: cfg.treasury });
      const signature = await send(conn, [authority], [ix], txOpts);
      const data = { command: p.command, ...describe(device, open), signature };
      out(json, data, `${p.command === "cancel" ? "cancelled" : "executed"} the ${data.bps} bps slash of ${data.device} (tx ${signature})`);
      return;
    }
    case "status": {
      const device = p.pubkey("device");
      p.done();
      const open = await proposal(device);
      if (!open) {
        out(json, { device: device.toBase58(), proposal: null }, `no open slash proposal for ${device.toBase58()}`);
        return;
      }
      const data = describe(device, open);
      out(
        json,
        data,
        `open proposal ${data.proposal}: ${data.bps} bps (${data.reason}), proposed ${iso(data.proposedAt)}, executable from ${iso(data.executableAt)}`,
      );
      return;
    }
    default:
      throw new UsageError(`unknown slash command ${JSON.stringify(p.command)}`);
  }
}
