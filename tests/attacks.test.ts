// The attack suite, applied to every instruction of the three programs as the network history really
// uses them: just before each transaction of the history executes, every instruction of ours in it is
// sent again in mutated forms, one vulnerability class at a time, at exactly the chain state where the
// genuine one succeeds. Every mutated transaction must fail with a specific error and leave every
// account it names unchanged (the fee payer's fee aside); then the genuine transaction runs and the
// history continues. Classes: missing signer, read-only where a write is needed, wrong owner, type
// cosplay (another type's discriminator in an account of the right size), account-data mismatch (a
// real account of the right type that belongs to someone or something else: another device, lease,
// escrow or config, a token account of another mint or owner), arbitrary CPI target, spoofed sysvar,
// duplicate mutable accounts, re-initialisation, and closing plus revival in one transaction.

import { CoreError, LEASES_PROGRAM_ID, leasesIdl, REWARDS_PROGRAM_ID, rewardsIdl, STAKING_PROGRAM_ID, stakingIdl } from "@hourglass/client";
import type { ObservedEngine, TxResult } from "@hourglass/localchain";
import { TOKEN_PROGRAM_ID, unpackAccount } from "@solana/spl-token";
import { type AccountInfo, Keypair, PublicKey, SystemProgram, Transaction, TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { NetworkHistory } from "./support/network-history.ts";

const OURS = new Set([STAKING_PROGRAM_ID, LEASES_PROGRAM_ID, REWARDS_PROGRAM_ID].map((p) => p.toBase58()));
const IDLS = [stakingIdl, leasesIdl, rewardsIdl];
/** Account-type discriminators of each program (for type cosplay). */
const TYPES = new Map(IDLS.map((idl) => [idl.address, (idl.accounts ?? []).map((a) => Buffer.from(a.discriminator))]));
/** Account-type names by program and discriminator. */
const TYPE_NAMES = new Map(
  IDLS.flatMap((idl) => (idl.accounts ?? []).map((a) => [`${idl.address}:${Buffer.from(a.discriminator).toString("hex")}`, a.name] as const)),
);
/** Instruction names by program and discriminator (for the report). */
const IX_NAMES = new Map(
  IDLS.flatMap((idl) => idl.instructions.map((ix) => [`${idl.address}:${Buffer.from(ix.discriminator).toString("hex")}`, ix.name] as const)),
);
const SYSVAR_OWNER = new PublicKey("Sysvar1111111111111111111111111111111111111");
/** Program error codes by name (generated from the IDLs). */
const CORE = CoreError;
/** A duplicated account is caught by whichever identity check sees it first. */
/** A real account of the right type in the wrong place fails a relation check (PDA, mint, token owner) or a program-specific one (>= 6100). */
const MISMATCH = [CORE.WrongPda, CORE.WrongMint, CORE.WrongTokenOwner, CORE.InvalidTokenAccount, CORE.DuplicateAccount];
const IDENTITY = [
  CORE.DuplicateAccount,
  CORE.WrongDiscriminator,
  CORE.WrongPda,
  CORE.WrongOwner,
  CORE.WrongLength,
  CORE.WrongMint,
  CORE.WrongTokenOwner,
  CORE.InvalidTokenAccount,
];
/** Runtime errors that are themselves specific (the runtime refused before or during our checks). */
const RUNTIME =
  /MissingRequiredSignature|PrivilegeEscalation|ReadonlyDataModified|ExternalAccount|ReadonlyLamportChange|AccountAlreadyInUse|IncorrectProgramId|InvalidAccountOwner|ExecutableLamportChange|UnsupportedSysvar|InvalidArgument|AccountBorrow|AccountDataTooSmall|InvalidAccountData|AccountAlreadyInitialized/;

/** Instruction account names by program and discriminator (to name a slot). */
const SLOT_NAMES = new Map(
  IDLS.flatMap((idl) =>
    idl.instructions.map((ix) => [`${idl.address}:${Buffer.from(ix.discriminator).toString("hex")}`, ix.accounts.map((a) => a.name)] as const),
  ),
);

/**
 * Account-data mismatches the programs accept on purpose, by `instruction.slot`: the signer is trusted
 * for any account of that type, so another one is a different but valid request, not an attack.
 */
const MISMATCH_ACCEPTED: Record<string, string> = {
  "assign_device.device (another Device)": "the attester places leases: any free, staked device of the lease's GPU model is a valid placement",
  "claim.destination (same mint, other owner)": "the supplier signs and sends its block rewards to any account of the reward mint",
  "claim_co_stake.destination (same mint, other owner)": "the co-staker signs and sends its rewards to any account of the reward mint",
  "co_withdraw.destination (same mint, other owner)": "the co-staker signs and withdraws to any account of the stake mint",
  "withdraw.destination (same mint, other owner)": "the supplier signs and withdraws to any account of the stake mint",
};

type Attack = { cls: string; ixs: TransactionInstruction[]; signers: Keypair[]; payer: PublicKey; allowed: number[]; slot?: string };

function ixName(ix: TransactionInstruction): string {
  return IX_NAMES.get(`${ix.programId.toBase58()}:${ix.data.subarray(0, 8).toString("hex")}`) ?? "?";
}

function slotName(ix: TransactionInstruction, index: number): string {
  const names = SLOT_NAMES.get(`${ix.programId.toBase58()}:${ix.data.subarray(0, 8).toString("hex")}`) ?? [];
  return `${ixName(ix)}.${names[index] ?? `remaining[${index - names.length}]`}`;
}

function replaceKey(
  ix: TransactionInstruction,
  index: number,
  key: PublicKey,
  patch: Partial<{ isSigner: boolean; isWritable: boolean }> = {},
): TransactionInstruction {
  return new TransactionInstruction({
    programId: ix.programId,
    data: ix.data,
    keys: ix.keys.map((k, i) => (i === index ? { ...k, pubkey: key, ...patch } : k)),
  });
}

class Harness {
  readonly codes = new Map<string, Map<string, number>>();
  readonly covered = new Map<string, Set<string>>();
  attempts = 0;
  private send!: ObservedEngine["send"];
  /** Every account the history has named so far (substitutes for account-data mismatch). */
  private readonly seen = new Map<string, PublicKey>();
  /** Mismatches accepted by design (MISMATCH_ACCEPTED), by `instruction.slot`. */
  readonly accepted = new Map<string, number>();
  /** Pays the fees of attacks that take the genuine fee payer's signature away. */
  private readonly attacker = Keypair.generate();

  constructor(private readonly engine: ObservedEngine) {}

  /** Intercepts the engine: each genuine transaction is attacked first, then executed. */
  install(): void {
    void this.engine.airdrop(this.attacker.publicKey, 1_000_000_000_000n);
    this.send = this.engine.send.bind(this.engine);
    this.engine.send = async (ixs, signers) => {
      for (const ix of ixs) for (const k of ix.keys) this.seen.set(k.pubkey.toBase58(), k.pubkey);
      await this.attackAll(ixs, signers);
      const res = await this.send(ixs, signers);
      if (res.ok) await this.reinit(ixs, signers);
      return res;
    };
  }

  private async clone(acc: AccountInfo<Buffer>, patch: Partial<AccountInfo<Buffer>>): Promise<PublicKey> {
    const k = Keypair.generate().publicKey;
    await this.engine.setAccount(k, { ...acc, ...patch, data: patch.data ?? Buffer.from(acc.data) });
    return k;
  }

  private async attacksFor(ixs: TransactionInstruction[], signers: Keypair[], at: number): Promise<Attack[]> {
    const ix = ixs[at];
    const payer = signers[0].publicKey;
    const out: Attack[] = [];
    const withIx = (cls: string, mutated: TransactionInstruction, allowed: number[]) =>
      out.push({ cls, ixs: ixs.map((x, i) => (i === at ? mutated : x)), signers, payer, allowed });
    const writable = ix.keys.map((k, i) => [k, i] as const).filter(([k]) => k.isWritable && !k.isSigner);
    for (let i = 0; i < ix.keys.length; i++) {
      const meta = ix.keys[i];
      const acc = await this.engine.getAccount(meta.pubkey);
      const elsewhereSigner = ixs.some((x, j) => j !== at && x.keys.some((k) => k.isSigner && k.pubkey.equals(meta.pubkey)));
      if (meta.isSigner && !elsewhereSigner) {
        const mutated = replaceKey(ix, i, meta.pubkey, { isSigner: false });
        if (!meta.pubkey.equals(payer)) withIx("missing signer", mutated, [CORE.MissingSigner]);
        else
          out.push({
            cls: "missing signer",
            ixs: ixs.map((x, j) => (j === at ? mutated : x)),
            signers: [this.attacker, ...signers],
            payer: this.attacker.publicKey,
            allowed: [CORE.MissingSigner],
          });
      }
      if (meta.isWritable && !meta.isSigner)
        withIx("read-only where a write is needed", replaceKey(ix, i, meta.pubkey, { isWritable: false }), [CORE.NotWritable]);
      if (meta.pubkey.toBase58().startsWith("Sysvar")) {
        // A sysvar the runtime fills in (the instructions sysvar): an ordinary account in its place.
        withIx(
          "spoofed sysvar",
          replaceKey(
            ix,
            i,
            await this.clone(acc ?? { lamports: 1_000_000_000, owner: SystemProgram.programId, executable: false, rentEpoch: 0, data: Buffer.alloc(256) }, {
              owner: SystemProgram.programId,
            }),
          ),
          [],
        );
        continue;
      }
      if (!acc) continue;
      if (acc.executable) {
        // Arbitrary CPI target: another deployed program in the program slot.
        const fake = meta.pubkey.equals(STAKING_PROGRAM_ID) ? REWARDS_PROGRAM_ID : STAKING_PROGRAM_ID;
        if (!meta.pubkey.equals(ix.programId)) withIx("arbitrary CPI target", replaceKey(ix, i, fake), [CORE.WrongProgram]);
        continue;
      }
      if (acc.owner.equals(SYSVAR_OWNER)) {
        withIx("spoofed sysvar", replaceKey(ix, i, await this.clone(acc, { owner: SystemProgram.programId })), []);
        continue;
      }
      if (OURS.has(acc.owner.toBase58()) && acc.data.length >= 8) {
        withIx("wrong owner", replaceKey(ix, i, await this.clone(acc, { owner: SystemProgram.programId })), [CORE.WrongOwner, CORE.WrongPda]);
        const other = TYPES.get(acc.owner.toBase58())!.find((d) => !d.equals(acc.data.subarray(0, 8)));
        if (other) {
          const data = Buffer.from(acc.data);
          other.copy(data, 0);
          withIx("type cosplay", replaceKey(ix, i, await this.clone(acc, { data })), [CORE.WrongDiscriminator, CORE.WrongPda]);
        }
      }
      for (const [substitute, variant] of await this.sameType(ix, meta.pubkey, acc)) {
        out.push({
          cls: "account-data mismatch",
          ixs: ixs.map((x, j) => (j === at ? replaceKey(ix, i, substitute) : x)),
          signers,
          payer,
          allowed: MISMATCH,
          slot: `${slotName(ix, i)} (${variant})`,
        });
      }
    }
    // Duplicate mutable accounts: a writable account passed again in another writable slot.
    for (let a = 0; a < writable.length; a++) {
      for (let b = 0; b < writable.length; b++) {
        if (a === b || writable[a][0].pubkey.equals(writable[b][0].pubkey)) continue;
        withIx("duplicate mutable accounts", replaceKey(ix, writable[b][1], writable[a][0].pubkey), IDENTITY);
      }
    }
    return out;
  }

  /**
   * Real accounts of the same type as `acc` that the history has named, not in this instruction: for
   * one of ours, each other account with its discriminator (up to three); for a token account, one of
   * another mint and one of the same mint held by another owner.
   */
  private async sameType(ix: TransactionInstruction, key: PublicKey, acc: AccountInfo<Buffer>): Promise<[PublicKey, string][]> {
    const inIx = new Set(ix.keys.map((k) => k.pubkey.toBase58()));
    const candidates: [PublicKey, AccountInfo<Buffer>][] = [];
    for (const [b58, k] of this.seen) {
      if (inIx.has(b58)) continue;
      const other = await this.engine.getAccount(k);
      if (other?.owner.equals(acc.owner) && other.data.length === acc.data.length) candidates.push([k, other]);
    }
    if (OURS.has(acc.owner.toBase58()) && acc.data.length >= 8) {
      const type = TYPE_NAMES.get(`${acc.owner.toBase58()}:${acc.data.subarray(0, 8).toString("hex")}`) ?? "account";
      return candidates
        .filter(([, o]) => o.data.subarray(0, 8).equals(acc.data.subarray(0, 8)))
        .slice(0, 3)
        .map(([k]) => [k, `another ${type}`]);
    }
    if (acc.owner.equals(TOKEN_PROGRAM_ID) && acc.data.length === 165) {
      const mine = unpackAccount(key, acc);
      const tokens = candidates.map(([k, o]) => unpackAccount(k, o));
      const otherMint = tokens.find((t) => !t.mint.equals(mine.mint));
      const otherOwner = tokens.find((t) => t.mint.equals(mine.mint) && !t.owner.equals(mine.owner));
      const out: [PublicKey, string][] = [];
      if (otherMint) out.push([otherMint.address, "other mint"]);
      if (otherOwner) out.push([otherOwner.address, "same mint, other owner"]);
      return out;
    }
    return [];
  }

  private async attackAll(ixs: TransactionInstruction[], signers: Keypair[]): Promise<void> {
    for (let at = 0; at < ixs.length; at++) {
      if (!OURS.has(ixs[at].programId.toBase58())) continue;
      const name = ixName(ixs[at]);
      for (const attack of await this.attacksFor(ixs, signers, at)) await this.expectRefused(attack, name);
    }
  }

  /** An instruction that creates an account must not run a second time over it. */
  private async reinit(ixs: TransactionInstruction[], signers: Keypair[]): Promise<void> {
    for (const ix of ixs) {
      const name = ixName(ix);
      if (!OURS.has(ix.programId.toBase58()) || !/^(initialize_|register_)/.test(name)) continue;
      await this.engine.advanceBlockhash(); // else the same bytes are refused as already processed
      await this.expectRefused({ cls: "re-initialisation", ixs: [ix], signers, payer: signers[0].publicKey, allowed: [CORE.AlreadyInitialized] }, name);
    }
  }

  private async snapshot(keys: PublicKey[], payer: PublicKey): Promise<string[]> {
    const out: string[] = [];
    for (const k of keys) {
      const a = await this.engine.getAccount(k);
      out.push(a ? `${k.equals(payer) ? "fee payer" : a.lamports}:${a.owner.toBase58()}:${a.data.toString("hex")}` : "none");
    }
    return out;
  }

  private readonly sent = new Set<string>();
  /** Mismatches that succeeded without being accepted by design (the test fails listing them). */
  readonly unexpected: string[] = [];

  private async expectRefused(attack: Attack, name: string): Promise<void> {
    // A substitution can rebuild a transaction the history already ran under this blockhash (another
    // device in the same slot is the next genuine assign_device): a fresh blockhash keeps it distinct.
    if (attack.slot) await this.engine.advanceBlockhash();
    const tx = new Transaction({ feePayer: attack.payer, recentBlockhash: await this.engine.latestBlockhash() });
    tx.add(...attack.ixs);
    // Two classes can produce the same transaction (the runtime would refuse it as already processed).
    const bytes = tx.serializeMessage().toString("base64");
    if (this.sent.has(bytes)) return;
    this.sent.add(bytes);
    const message = tx.compileMessage();
    const needed = new Set(message.accountKeys.filter((_, i) => message.isAccountSigner(i)).map((k) => k.toBase58()));
    tx.sign(...attack.signers.filter((s) => needed.has(s.publicKey.toBase58())));
    const keys = [...new Map(attack.ixs.flatMap((x) => x.keys.map((k) => [k.pubkey.toBase58(), k.pubkey] as const))).values()];
    const before = await this.snapshot(keys, attack.payer);
    const saved = attack.slot ? await Promise.all(keys.map((k) => this.engine.getAccount(k))) : [];
    const res: TxResult = await this.engine.sendSigned(tx);
    this.attempts++;
    const what = `${attack.cls} on ${attack.slot ?? name}`;
    if (res.ok && attack.slot) {
      // Put the chain back as it was, so the history goes on from the genuine state either way.
      for (let i = 0; i < keys.length; i++) {
        await this.engine.setAccount(
          keys[i],
          saved[i] ?? { lamports: 0, owner: SystemProgram.programId, executable: false, rentEpoch: 0, data: Buffer.alloc(0) },
        );
      }
      if (attack.slot in MISMATCH_ACCEPTED) this.accepted.set(attack.slot, (this.accepted.get(attack.slot) ?? 0) + 1);
      else this.unexpected.push(`${what} succeeded`);
      return;
    }
    expect(res.ok, `${what} succeeded:\n${res.logs.join("\n")}`).to.equal(false);
    const code = res.errorCode;
    const specific = code !== null ? code >= 6000 && code < 6400 : RUNTIME.test(res.error ?? "");
    expect(specific, `${what}: unspecific failure ${code ?? res.error}\n${res.logs.join("\n")}`).to.equal(true);
    if (code !== null && attack.allowed.length > 0 && code < 6100) {
      // A core loader error must be one that names this class of mistake (program errors are specific).
      expect(attack.allowed, `${what}: got core error ${code}\n${res.logs.join("\n")}`).to.include(code);
    }
    expect(await this.snapshot(keys, attack.payer), `${what} changed an account`).to.deep.equal(before);
    const label = code !== null ? String(code) : (/([A-Za-z]+)\)*$/.exec(res.error ?? "")?.[1] ?? "runtime");
    const byCode = this.codes.get(attack.cls) ?? new Map<string, number>();
    byCode.set(label, (byCode.get(label) ?? 0) + 1);
    this.codes.set(attack.cls, byCode);
    const ixs = this.covered.get(attack.cls) ?? new Set<string>();
    ixs.add(name);
    this.covered.set(attack.cls, ixs);
  }
}

describe("attack suite: every instruction of the network history, every vulnerability class", function () {
  this.timeout(600_000);

  it("refuses every mutated transaction with a specific error and changes nothing", async () => {
    let harness!: Harness;
    const h = await NetworkHistory.create("litesvm", (engine) => {
      harness = new Harness(engine);
      harness.install();
    });
    await h.runMore(await h.run());
    const instructions = new Set([...harness.covered.values()].flatMap((s) => [...s]));
    for (const [cls, codes] of harness.codes)
      console.log(`      ${cls.padEnd(36)} ${[...harness.covered.get(cls)!].length} instructions  ${[...codes].map(([c, n]) => `${c}×${n}`).join(" ")}`);
    console.log(`      ${harness.attempts} attacks over ${instructions.size} instructions`);
    for (const [slot, n] of harness.accepted) console.log(`      accepted by design: ${slot} ×${n} (${MISMATCH_ACCEPTED[slot]})`);
    expect(harness.unexpected, "account-data mismatches that were accepted").to.deep.equal([]);
    // Every mismatch accepted by design was seen (a stale entry would hide nothing, but would mislead).
    expect([...harness.accepted.keys()].sort()).to.deep.equal(Object.keys(MISMATCH_ACCEPTED).sort());
    for (const cls of [
      "missing signer",
      "read-only where a write is needed",
      "wrong owner",
      "type cosplay",
      "account-data mismatch",
      "arbitrary CPI target",
      "spoofed sysvar",
      "duplicate mutable accounts",
      "re-initialisation",
    ]) {
      expect(harness.covered.get(cls)?.size ?? 0, cls).to.be.greaterThan(0);
    }
    // Every instruction of the three programs but those only the lease program may call (staking's
    // assign_lease, release_lease and slash, signed by its PDA: attacked through the lease program's
    // assign_device, release_device and report_fault, which CPI into them).
    const all = IDLS.flatMap((idl) => idl.instructions.map((ix) => ix.name));
    const cpiOnly = new Set(["assign_lease", "release_lease", "slash"]);
    const missing = [...new Set(all)].filter((n) => !instructions.has(n) && !cpiOnly.has(n));
    expect(missing).to.deep.equal([]);
  });

  it("closing and revival in one transaction: a closed lease refunded in the same transaction is a plain system account", async () => {
    const h = await NetworkHistory.create("litesvm");
    const first = await h.run();
    const { lw } = h;
    const o = first.settled;
    const renter = first.renter;
    // close_lease, then lamports sent straight back to the lease's address in the same transaction.
    const close = await lw.leases.closeLease({ renter: renter.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey });
    const revive = SystemProgram.transfer({ fromPubkey: renter.publicKey, toPubkey: o.lease.publicKey, lamports: 10_000_000 });
    await lw.ok("close_lease", [close, revive], [renter]); // asserts success
    const revived = (await lw.engine.getAccount(o.lease.publicKey))!;
    expect(revived.owner.equals(SystemProgram.programId)).to.equal(true);
    expect(revived.data.length).to.equal(0);
    // The lease program does not take it for a lease any more.
    const again = await lw.send(
      "complete",
      await lw.leases.complete({ caller: lw.attester.publicKey, lease: o.lease.publicKey, escrow: o.escrow.publicKey, renterTokens: o.renterTokens }),
      [lw.attester],
    );
    expect(again.ok).to.equal(false);
    expect(again.errorCode).to.equal(CORE.WrongOwner);
  });
});
