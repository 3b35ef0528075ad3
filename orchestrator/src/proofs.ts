// The proof loop: while a lease's job runs (or has finished), the agent of each device whose node is in
// the lease's cluster and whose heartbeats arrive is asked to sign the hours since its last proof, and
// the signatures it hands in go on chain in batched prove_time transactions; devices whose next hour is
// past its grace are reported (report_fault: refunded at settlement, slashed, released). Which hours
// may be proven and which slots may be faulted come from the client's hour rules.

import { type Attestation, configPda, faultable, type LeaseAccount, MAX_ATTESTATIONS, provableHours, type SlotAccount } from "@hourglass/client";
import type { PublicKey } from "@solana/web3.js";
import type { Fleet } from "./fleet/port.ts";
import type { TrackedLease } from "./jobs.ts";
import type { Operator } from "./operator.ts";

/** Job statuses whose hours are proven: running, or finished having run. */
const RAN: ReadonlySet<string> = new Set(["RUNNING", "SUCCEEDED"]);

export class ProofLoop {
  private treasury?: PublicKey;

  constructor(
    private readonly op: Operator,
    private readonly fleet: Fleet,
  ) {}

  /**
   * Proves what ran (hours of a Ray outage are proven once the job runs again, within grace), then
   * faults the devices past their grace, judged on the slots as the proofs just left them.
   */
  async pass(t: TrackedLease, l: LeaseAccount, slots: SlotAccount[], now: number): Promise<void> {
    const proved = await this.prove(t, l, slots, now);
    // The slots are read again only if a proof was sent.
    const after = proved ? (await this.op.readLease(t.address)).slots : slots;
    await this.fault(t, l, after, now);
  }

  /** Whether any prove_time was sent. */
  private async prove(t: TrackedLease, l: LeaseAccount, slots: SlotAccount[], now: number): Promise<boolean> {
    if (!RAN.has(t.jobStatus)) return false;
    const atts: Attestation[] = [];
    const lease = t.address.toBase58();
    slots.forEach((s, i) => {
      const hours = provableHours(l, s, now);
      const device = s.device.toBase58();
      // Only a device whose agent heartbeats and whose node Ray lists in the lease's own cluster.
      if (!hours || !t.verified.has(device) || !this.fleet.alive(device)) return;
      const att = this.fleet.attestation(device, { kind: "lease", lease, slot: i, first: hours.first, count: hours.count, status: t.jobStatus });
      if (att) atts.push(att);
    });
    for (let i = 0; i < atts.length; i += MAX_ATTESTATIONS) {
      await this.op.send(
        "prove_time",
        await this.op.leases.proveTime({ attester: this.op.publicKey, lease: t.address, attestations: atts.slice(i, i + MAX_ATTESTATIONS) }),
      );
    }
    return atts.length > 0;
  }

  private async fault(t: TrackedLease, l: LeaseAccount, slots: SlotAccount[], now: number): Promise<void> {
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (!faultable(l, s, now)) continue;
      await this.op.send("report_fault", [
        await this.op.leases.reportFault({
          caller: this.op.publicKey,
          lease: t.address,
          slot: i,
          device: s.device,
          stakingTreasury: await this.stakingTreasury(),
        }),
      ]);
    }
  }

  private async stakingTreasury(): Promise<PublicKey> {
    if (!this.treasury) {
      const acc = await this.op.chain.getAccount(configPda()[0]);
      this.treasury = this.op.staking.decodeConfig(acc!.data).treasury;
    }
    return this.treasury;
  }
}
