// The proof loop: while a lease's job runs (or has finished), each device's agent signs the hours since
// its last proof and they go on chain in batched prove_time transactions; devices whose next hour is
// past its grace are reported (report_fault: refunded at settlement, slashed, released). Which hours
// may be proven and which slots may be faulted come from the client's hour rules.

import type { DeviceAgent } from "@hourglass/agent";
import { type Attestation, configPda, faultable, type LeaseAccount, MAX_ATTESTATIONS, provableHours, type SlotAccount } from "@hourglass/client";
import type { PublicKey } from "@solana/web3.js";
import type { TrackedLease } from "./jobs.ts";
import type { Operator } from "./operator.ts";

/** Job statuses whose hours are proven: running, or finished having run. */
const RAN: ReadonlySet<string> = new Set(["RUNNING", "SUCCEEDED"]);

export class ProofLoop {
  private treasury?: PublicKey;

  constructor(
    private readonly op: Operator,
    private readonly agents: Map<string, DeviceAgent>,
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
    slots.forEach((s, i) => {
      const hours = provableHours(l, s, now);
      const agent = this.agents.get(s.device.toBase58());
      if (hours && agent?.online) atts.push(agent.attestLease(t.address, i, hours.first, hours.count, t.jobStatus));
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
