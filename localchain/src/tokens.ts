// SPL Token set-up through an Engine: mints, token accounts, minting, balances.
import {
  ACCOUNT_SIZE,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  unpackAccount,
} from "@solana/spl-token";
import { Keypair, type PublicKey, SystemProgram } from "@solana/web3.js";
import type { Engine } from "./engine.ts";

async function must(p: Promise<{ ok: boolean; error: string | null; logs: string[] }>, what: string) {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error}\n${r.logs.join("\n")}`);
}

export async function createMint(engine: Pick<Engine, "send" | "rentExempt">, payer: Keypair, authority: PublicKey, decimals: number): Promise<PublicKey> {
  const mint = Keypair.generate();
  const lamports = Number(await engine.rentExempt(MINT_SIZE));
  await must(
    engine.send(
      [
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: mint.publicKey,
          lamports,
          space: MINT_SIZE,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeMint2Instruction(mint.publicKey, decimals, authority, null),
      ],
      [payer, mint],
    ),
    "create mint",
  );
  return mint.publicKey;
}

export async function createTokenAccount(engine: Pick<Engine, "send" | "rentExempt">, payer: Keypair, mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  const account = Keypair.generate();
  const lamports = Number(await engine.rentExempt(ACCOUNT_SIZE));
  await must(
    engine.send(
      [
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: account.publicKey,
          lamports,
          space: ACCOUNT_SIZE,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeAccount3Instruction(account.publicKey, mint, owner),
      ],
      [payer, account],
    ),
    "create token account",
  );
  return account.publicKey;
}

export async function mintTo(engine: Engine, payer: Keypair, mint: PublicKey, to: PublicKey, authority: Keypair, amount: bigint) {
  await must(engine.send([createMintToInstruction(mint, to, authority.publicKey, amount)], [payer, authority]), "mint to");
}

export async function tokenBalance(engine: Engine, account: PublicKey): Promise<bigint> {
  const info = await engine.getAccount(account);
  if (!info) throw new Error(`no token account ${account.toBase58()}`);
  return unpackAccount(account, info, TOKEN_PROGRAM_ID).amount;
}
