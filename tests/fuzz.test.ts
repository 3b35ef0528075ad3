// The instruction fuzzer: FUZZ_INSTRUCTIONS (default 1,000,000) instructions with random data (half
// of them behind a real instruction discriminator) and random account lists (real accounts of every
// type in the wrong slots, programs, sysvars, unknown keys; writable and signer flags at random, with
// the history's real signers) are sent to the three programs in LiteSVM over a live network history,
// one per transaction so that every one of them executes (a transaction stops at its first failure).
// A transaction that fails must leave every account it names unchanged (the fee payer's fee aside);
// whatever happens, no token is created or destroyed (but for network fees a successful burn_fees burns,
// which its FeesBurned events account for).

import { leasesIdl, parseEvents, rewardsIdl, stakingIdl, toBigInt } from "@hourglass/client";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  Keypair,
  MessageV0,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_INSTRUCTIONS_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  SystemProgram,
  VersionedTransaction,
} from "@solana/web3.js";
import { expect } from "chai";
import { NetworkHistory } from "./support/network-history.ts";
import { rng } from "./support/random.ts";

const TOTAL = Number(process.env.FUZZ_INSTRUCTIONS ?? 1_000_000);
const PER_TX = 1;
const IDLS = [stakingIdl, leasesIdl, rewardsIdl];

describe(`instruction fuzzer (${TOTAL.toLocaleString("en-US")} instructions, LiteSVM)`, function () {
  this.timeout(3_600_000);

  it("no failed transaction changes anything and no token is created or destroyed", async () => {
    const keys = new Map<string, PublicKey>();
    let unsubscribe = () => {};
    const h = await NetworkHistory.create("litesvm", (engine) => {
      unsubscribe = engine.subscribe((r) => {
        if (!r.transaction || !("compileMessage" in r.transaction)) return;
        for (const k of r.transaction.compileMessage().accountKeys) keys.set(k.toBase58(), k);
      });
    });
    const first = await h.run();
    await h.runMore(first);
    unsubscribe();
    const engine = h.engine;
    const w = h.lw.w;
    // Signers the fuzzer holds: its own payer and the history's real ones.
    const payer = Keypair.generate();
    await engine.airdrop(payer.publicKey, 10n ** 14n);
    const signers = [payer, h.lw.attester, h.rw.attester, w.authority, first.renter, ...first.devices.flatMap((d) => [d.key, d.supplier.wallet])];
    for (const s of signers) keys.set(s.publicKey.toBase58(), s.publicKey);
    for (const k of [SystemProgram.programId, TOKEN_PROGRAM_ID, SYSVAR_CLOCK_PUBKEY, SYSVAR_INSTRUCTIONS_PUBKEY, SYSVAR_RENT_PUBKEY]) keys.set(k.toBase58(), k);
    for (let i = 0; i < 8; i++) keys.set(`unknown${i}`, Keypair.generate().publicKey);
    const pool = [...keys.values()];
    const signerKeys = new Set(signers.map((s) => s.publicKey.toBase58()));
    const canSign = pool.map((k) => signerKeys.has(k.toBase58()));

    // Token accounts and mints among the known keys: their balances and supplies at the start.
    const tokenState = async () => {
      const balances = new Map<string, bigint>();
      const supplies = new Map<string, bigint>();
      for (const k of pool) {
        const a = await engine.getAccount(k);
        if (!a?.owner.equals(TOKEN_PROGRAM_ID)) continue;
        if (a.data.length === 165) {
          const mint = new PublicKey(a.data.subarray(0, 32)).toBase58();
          balances.set(mint, (balances.get(mint) ?? 0n) + a.data.readBigUInt64LE(64));
        } else if (a.data.length === 82) {
          supplies.set(k.toBase58(), a.data.readBigUInt64LE(36));
        }
      }
      return { balances, supplies };
    };
    const start = await tokenState();
    expect(start.supplies.size).to.be.greaterThanOrEqual(3);

    const r = rng(20261122);
    const programs = IDLS.map((idl) => ({ id: new PublicKey(idl.address), discs: idl.instructions.map((ix) => Buffer.from(ix.discriminator)) }));
    // Instructions refer to pool entries by index; messages are laid out here (web3.js's compiler
    // spends its time in base58, which would make a million instructions take most of an hour).
    type FuzzIx = { program: number; metas: { at: number; writable: boolean; signer: boolean }[]; data: Buffer };
    const payerAt = pool.findIndex((k) => k.equals(payer.publicKey));
    const programAt = programs.map((p) => pool.findIndex((k) => k.equals(p.id)));
    const compile = (ixs: FuzzIx[]): { message: MessageV0; size: number } => {
      const flags = new Map<number, { signer: boolean; writable: boolean }>([[payerAt, { signer: true, writable: true }]]);
      const note = (at: number, signer: boolean, writable: boolean) => {
        const f = flags.get(at) ?? { signer: false, writable: false };
        flags.set(at, { signer: f.signer || signer, writable: f.writable || writable });
      };
      for (const ix of ixs) {
        for (const m of ix.metas) note(m.at, m.signer, m.writable);
        note(ix.program, false, false);
      }
      const rank = (at: number) => {
        const f = flags.get(at)!;
        return at === payerAt ? -1 : (f.signer ? 0 : 2) + (f.writable ? 0 : 1);
      };
      const order = [...flags.keys()].sort((a, b) => rank(a) - rank(b));
      const index = new Map(order.map((at, i) => [at, i]));
      const f = order.map((at) => flags.get(at)!);
      const header = {
        numRequiredSignatures: f.filter((x) => x.signer).length,
        numReadonlySignedAccounts: f.filter((x) => x.signer && !x.writable).length,
        numReadonlyUnsignedAccounts: f.filter((x) => !x.signer && !x.writable).length,
      };
      const message = new MessageV0({
        header,
        staticAccountKeys: order.map((at) => pool[at]),
        recentBlockhash: blockhash,
        compiledInstructions: ixs.map((ix) => ({
          programIdIndex: index.get(ix.program)!,
          accountKeyIndexes: ix.metas.map((m) => index.get(m.at)!),
          data: ix.data,
        })),
        addressTableLookups: [],
      });
      // version byte + header + keys + blockhash + instructions + lookups, and the signatures.
      const size =
        1 +
        3 +
        1 +
        32 * order.length +
        32 +
        1 +
        ixs.reduce((n, ix) => n + 1 + 1 + ix.metas.length + 2 + ix.data.length, 0) +
        1 +
        1 +
        64 * header.numRequiredSignatures;
      return { message, size };
    };
    // Accounts are compared in batches: LiteSVM 0.8's getAccount leaks about 700 bytes of native
    // memory per call, so reading every named account around each of a million transactions would
    // take gigabytes. Every account a fuzzed transaction can name is in the pool, and the whole pool is
    // compared after every batch (and around every transaction that succeeds).
    const BATCH = 1_000;
    const snapshot = async () => {
      const out: string[] = [];
      for (const k of pool) {
        const a = await engine.getAccount(k);
        out.push(a ? `${k.equals(payer.publicKey) ? "-" : a.lamports}:${a.owner.toBuffer().toString("hex")}:${a.data.toString("hex")}` : "none");
      }
      return out;
    };
    engine.setSigverify!(false);
    // Every transaction is distinct already; remembering a million of them would take gigabytes.
    engine.setTransactionHistory!(0);
    const blockhash = await engine.latestBlockhash();
    let sent = 0;
    let baseline = await snapshot();
    let failedTx = 0;
    let okTx = 0;
    // burn_fees is the one instruction that destroys tokens (the network fees it burns, by mint).
    const burned = new Map<string, bigint>();
    const t0 = Date.now();
    while (sent < TOTAL) {
      const ixs: FuzzIx[] = [];
      for (let i = 0; i < PER_TX && sent < TOTAL; i++, sent++) {
        const p = r.int(programs.length);
        const data = r.int(2) === 0 ? Buffer.concat([programs[p].discs[r.int(programs[p].discs.length)], r.bytes(r.int(64))]) : r.bytes(r.int(80));
        const metas = Array.from({ length: r.int(10) }, () => {
          const at = r.int(pool.length);
          return { at, writable: r.int(2) === 0, signer: canSign[at] && r.int(8) === 0 };
        });
        ixs.push({ program: programAt[p], metas, data });
      }
      // Drop instructions from the end until the transaction fits its 1,232 bytes.
      let message = compile(ixs);
      while (message.size > 1232 && ixs.length > 1) {
        ixs.pop();
        sent--;
        message = compile(ixs);
      }
      // Signature checks are off: random signatures keep every transaction distinct, and the signer
      // flags in the message are what the programs see.
      const tx = new VersionedTransaction(
        message.message,
        Array.from({ length: message.message.header.numRequiredSignatures }, () => r.bytes(64)),
      );
      const named = message.message.staticAccountKeys;
      const res = await engine.sendSigned(tx);
      if (res.ok) {
        // A success may change what it writes; every other account must still be as the failed
        // transactions before it found it.
        okTx++;
        for (const e of parseEvents(leasesIdl, res.logs)) {
          if (e.name !== "FeesBurned") continue;
          const mint = (e.data.mint as PublicKey).toBase58();
          burned.set(mint, (burned.get(mint) ?? 0n) + toBigInt(e.data.amount));
        }
        const written = new Set(named.filter((_, i) => message.message.isAccountWritable(i)).map((k) => k.toBase58()));
        const now = await snapshot();
        for (let i = 0; i < pool.length; i++)
          if (!written.has(pool[i].toBase58()) && now[i] !== baseline[i]) expect.fail(`a transaction before ${res.signature} changed ${pool[i].toBase58()}`);
        baseline = now;
      } else {
        failedTx++;
      }
      if ((okTx + failedTx) % BATCH === 0) {
        const now = await snapshot();
        for (let i = 0; i < pool.length; i++)
          if (now[i] !== baseline[i]) expect.fail(`a failed transaction changed ${pool[i].toBase58()} (in the last ${BATCH})`);
      }
    }
    engine.setSigverify!(true);
    const end = await tokenState();
    for (const [mint, amount] of burned) {
      end.supplies.set(mint, end.supplies.get(mint)! + amount);
      end.balances.set(mint, end.balances.get(mint)! + amount);
    }
    expect(end.supplies).to.deep.equal(start.supplies);
    expect(end.balances).to.deep.equal(start.balances);
    console.log(
      `      ${sent.toLocaleString("en-US")} instructions in ${(okTx + failedTx).toLocaleString("en-US")} transactions (${failedTx.toLocaleString("en-US")} failed, ${okTx} succeeded) over ${pool.length} accounts in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  });
});
