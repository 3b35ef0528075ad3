// Staking accounts the supplier and slash commands read over RPC.

import { type ConfigAccount, configPda, type SlashProposalAccount, type StakingClient, slashProposalPda } from "@hourglass/client";
import type { Connection, PublicKey } from "@solana/web3.js";

/** The staking Config, or a clear error when `url` has none. */
export async function stakingConfig(conn: Connection, url: string, staking: StakingClient): Promise<ConfigAccount> {
  const info = await conn.getAccountInfo(configPda()[0]);
  if (!info?.owner.equals(staking.programId)) throw new Error(`no Hourglass staking Config at ${configPda()[0].toBase58()} on ${url}`);
  return staking.decodeConfig(info.data);
}

/** The device's open slash proposal, if any. */
export async function openSlashProposal(conn: Connection, device: PublicKey, staking: StakingClient): Promise<SlashProposalAccount | null> {
  const info = await conn.getAccountInfo(slashProposalPda(device)[0]);
  return info?.owner.equals(staking.programId) ? staking.decodeSlashProposal(info.data) : null;
}
