// Staking accounts the supplier and slash commands read over RPC.
import type { Connection, PublicKey } from "@solana/web3.js";
import { configPda, slashProposalPda, type ConfigAccount, type SlashProposalAccount, type StakingClient } from "@hourglass/client";

/** The staking Config, or a clear error when `url` has none. */
export async function stakingConfig(conn: Connection, url: string, staking: StakingClient): Promise<ConfigAccount> {
  const info = await conn.getAccountInfo(configPda()[0]);
  if (!info || !info.owner.equals(staking.programId)) throw new Error(`no Hourglass staking Config at ${configPda()[0].toBase58()} on ${url}`);
  return staking.decodeConfig(info.data);
}

/** The device's open slash proposal, if any. */
export async function openSlashProposal(conn: Connection, device: PublicKey, staking: StakingClient): Promise<SlashProposalAccount | null> {
  const info = await conn.getAccountInfo(slashProposalPda(device)[0]);
  return info && info.owner.equals(staking.programId) ? staking.decodeSlashProposal(info.data) : null;
}
