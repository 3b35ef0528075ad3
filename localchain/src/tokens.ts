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
import { Keypair, type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import type { Engine } from "./engine.ts";

async function must(p: Promise<{ ok: boolean; error: string | null; logs: string[] }>, what: string) {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error}\n${r.logs.join("\n")}`);
}

/** A new account of `space` bytes owned by the token program, rent-exempt, paid by `payer`, set up by `init` in the same transaction. */
async function createTokenProgramAccount(
  engine: Pick<Engine, "send" | "rentExempt">,
  payer: Keypair,
  space: number,
  init: (address: PublicKey) => TransactionInstruction,
  what: string,
): Promise<PublicKey> {
  const account = Keypair.generate();
  const lamports = Number(await engine.rentExempt(space));
  await must(
    engine.send(
      [
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: account.publicKey,
          lamports,
          space,
          programId: TOKEN_PROGRAM_ID,
        }),
        init(account.publicKey),
      ],
      [payer, account],
    ),
    what,
  );
  return account.publicKey;
}

export function createMint(engine: Pick<Engine, "send" | "rentExempt">, payer: Keypair, authority: PublicKey, decimals: number): Promise<PublicKey> {
  return createTokenProgramAccount(engine, payer, MINT_SIZE, (mint) => createInitializeMint2Instruction(mint, decimals, authority, null), "create mint");
}

export function createTokenAccount(engine: Pick<Engine, "send" | "rentExempt">, payer: Keypair, mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  return createTokenProgramAccount(engine, payer, ACCOUNT_SIZE, (account) => createInitializeAccount3Instruction(account, mint, owner), "create token account");
}

export async function mintTo(engine: Engine, payer: Keypair, mint: PublicKey, to: PublicKey, authority: Keypair, amount: bigint) {
  await must(engine.send([createMintToInstruction(mint, to, authority.publicKey, amount)], [payer, authority]), "mint to");
}

export async function tokenBalance(engine: Engine, account: PublicKey): Promise<bigint> {
  const info = await engine.getAccount(account);
  if (!info) throw new Error(`no token account ${account.toBase58()}`);
  return unpackAccount(account, info, TOKEN_PROGRAM_ID).amount;
}
