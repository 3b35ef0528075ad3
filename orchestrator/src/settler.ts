// The settler: pauses leases whose booked hours ran out (the job stops until the renter extends), and
// once a lease has ended plus its grace settles it: complete (the renter refunded), every supplier's
// claim, every device released; what does not go through is retried on the next tick.

import { completable, type LeaseAccount, LeaseStatus, pausable } from "@hourglass/client";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import type { PublicKey } from "@solana/web3.js";
import type { JobSupervisor, TrackedLease } from "./jobs.ts";
import type { Operator } from "./operator.ts";

export class Settler {
  constructor(
    private readonly op: Operator,
    private readonly jobs: JobSupervisor,
  ) {}

  /** Pauses a lease whose booked hours are used up; settles one that ended plus grace (`l` as read before this pass's proofs). */
  async pass(t: TrackedLease, l: LeaseAccount, now: number): Promise<void> {
    if (pausable(l, now)) await this.op.send("pause", [await this.op.leases.pause({ caller: this.op.publicKey, lease: t.address })]);
    if (completable(l, now)) await this.settle(t);
  }

  /** Refunds the renter, pays every supplier, releases every device. */
  async settle(t: TrackedLease): Promise<void> {
    const { lease: l, slots } = await this.op.readLease(t.address);
    const me = this.op.publicKey;
    const ata = (owner: PublicKey) => getAssociatedTokenAddressSync(l.paymentMint, owner, true);
    const ensure = (owner: PublicKey) => createAssociatedTokenAccountIdempotentInstruction(me, ata(owner), owner, l.paymentMint);
    if (l.status !== LeaseStatus.Settled) {
      const r = await this.op.send("complete", [
        ensure(l.renter),
        await this.op.leases.complete({ caller: me, lease: t.address, escrow: l.escrow, renterTokens: ata(l.renter) }),
      ]);
      if (!r.ok) return;
    }
    let done = true;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s.provenHours > s.claimedHours) {
        const r = await this.op.send("claim", [
          ensure(s.owner),
          await this.op.leases.claim({ caller: me, lease: t.address, escrow: l.escrow, slot: i, supplierTokens: ata(s.owner), treasury: l.treasury }),
        ]);
        done = done && r.ok;
      }
      if (!s.released) {
        const r = await this.op.send("release_device", [await this.op.leases.releaseDevice({ caller: me, lease: t.address, slot: i, device: s.device })]);
        done = done && r.ok;
      }
    }
    // Anything that did not go through is retried on the next tick.
    if (!done) return;
    t.settled = true;
    try {
      await this.jobs.stop(t.address.toBase58());
    } catch {
      // the head is away; a settled lease's job has nothing left to do
    }
    this.op.log(`lease ${t.address.toBase58()}: settled`);
  }
}
