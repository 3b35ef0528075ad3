// `hourglass market ...` for anyone: status (fees collected and burned), burn-fees (burns the network
// fee vault; stable-mint fees are not burned and stay in the stable treasury).

import { LeasesClient, marketPda, readKeypair, toBigInt } from "@hourglass/client";
import { getAccount, getMint } from "@solana/spl-token";
import type { PublicKey } from "@solana/web3.js";
import { type Parsed, UsageError } from "./args.ts";
import { context, out, send } from "./context.ts";

export async function market(p: Parsed) {
  const { json, url, conn, keypairFile, txOpts } = context(p);
  const leases = new LeasesClient();
  const load = async () => {
    const info = await conn.getAccountInfo(marketPda()[0]);
    if (!info?.owner.equals(leases.programId)) throw new Error(`no Hourglass lease Market at ${marketPda()[0].toBase58()} on ${url}`);
    return leases.decodeMarket(info.data);
  };
  const tokens = async (account: PublicKey) => (await getAccount(conn, account)).amount;
  const supply = async (mint: PublicKey) => (await getMint(conn, mint)).supply;

  switch (p.command) {
    case "status": {
      p.done();
      const m = await load();
      const data = {
        market: marketPda()[0].toBase58(),
        networkMint: m.networkMint.toBase58(),
        networkSupply: (await supply(m.networkMint)).toString(),
        feeVault: m.networkTreasury.toBase58(),
        feesToBurn: (await tokens(m.networkTreasury)).toString(),
        totalBurned: m.totalBurned.toString(),
        stableTreasury: m.stableTreasury.toBase58(),
        stableFees: (await tokens(m.stableTreasury)).toString(),
      };
      out(
        json,
        data,
        [
          `market     ${data.market}`,
          `network    mint ${data.networkMint}, supply ${data.networkSupply}`,
          `fee vault  ${data.feeVault}: ${data.feesToBurn} to burn, ${data.totalBurned} burned so far`,
          `stable     treasury ${data.stableTreasury} holds ${data.stableFees} (not burned)`,
        ].join("\n"),
      );
      return;
    }
    case "burn-fees": {
      const caller = readKeypair(keypairFile);
      p.done();
      const before = await load();
      const amount = await tokens(before.networkTreasury);
      // Refused on-chain too (NothingToBurn); checked here so nothing is sent.
      if (amount === 0n) throw new Error(`the fee vault ${before.networkTreasury.toBase58()} holds nothing to burn`);
      const signature = await send(conn, [caller], [await leases.burnFees({ caller: caller.publicKey, networkMint: before.networkMint })], txOpts);
      const after = await load();
      const burned = toBigInt(after.totalBurned) - toBigInt(before.totalBurned);
      out(
        json,
        { command: "burn-fees", mint: after.networkMint.toBase58(), burned: burned.toString(), totalBurned: after.totalBurned.toString(), signature },
        `burned ${burned} base units of ${after.networkMint.toBase58()} (${after.totalBurned} in all; tx ${signature})`,
      );
      return;
    }
    default:
      throw new UsageError(`unknown market command ${JSON.stringify(p.command)}`);
  }
}
