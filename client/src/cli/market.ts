// `hourglass market ...` for anyone: status (fees collected and burned), burn-fees (burns the network
// fee vault; stable-mint fees are not burned and stay in the stable treasury).
import { PublicKey } from "@solana/web3.js";
import { LeasesClient, marketPda } from "../leases/index.ts";
import { toBigInt } from "../program.ts";
import { UsageError, type Parsed } from "./args.ts";
import { context, out, readKeypair, send } from "./context.ts";

export async function market(p: Parsed) {
  const { json, url, conn, keypairFile, txOpts } = context(p);
  const leases = new LeasesClient();
  const load = async () => {
    const info = await conn.getAccountInfo(marketPda()[0]);
    if (!info || !info.owner.equals(leases.programId)) throw new Error(`no Hourglass lease Market at ${marketPda()[0].toBase58()} on ${url}`);
    return leases.decodeMarket(info.data);
  };
  // Read from the accounts themselves (SPL layouts: a token account's amount at 64, a mint's supply at 36).
  const u64At = async (account: PublicKey, offset: number, what: string) => {
    const info = await conn.getAccountInfo(account);
    if (!info || info.data.length < offset + 8) throw new Error(`no ${what} at ${account.toBase58()}`);
    return info.data.readBigUInt64LE(offset);
  };
  const tokens = (account: PublicKey) => u64At(account, 64, "token account");
  const supply = (mint: PublicKey) => u64At(mint, 36, "mint");

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
