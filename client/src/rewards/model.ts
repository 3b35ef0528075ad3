// The rewards program's accounting replayed exactly in TypeScript (programs/rewards/src/interface/
// state.rs and the crank, record_uptime, denominate, claim and co-stake instructions), to check the
// chain against and to show what a device or staker is owed.
//
// Per emitted hour with nominated weight W: acc += ((amount + unallocated) << 64) / W and unallocated
// goes to 0; an hour with W = 0 adds its amount to unallocated. A weight change made during the hour in
// progress counts from the next hour: the device's share of the hour in progress at its old weight is
// held back ("ahead") until that hour is emitted. A device's earnings weight x dAcc >> 64 are split:
// the co-stakers' share ceil(coBasis x ((earned << 64) / basis) >> 64) is set aside in coOwed and
// paid through the per-stake accumulator accStake += (earned << 64) / basis; the supplier is credited
// the rest at once. A co-staker is paid min(recorded, live) x dAccStake >> 64 out of coOwed, and the
// part it forfeits (recorded - live) goes to the supplier. With no co-stake recorded, coOwed goes to
// the supplier.
import { toBigInt } from "../program.ts";

const Q = 64n;

interface ModelDevice {
  weight: bigint;
  debt: bigint;
  accStake: bigint;
  basis: bigint;
  supplierSnapshot: bigint;
  coOwed: bigint;
  accrued: bigint;
  ahead: bigint;
  aheadHour: number;
}

interface ModelPosition {
  device: string;
  snapshot: bigint;
  debt: bigint;
  accrued: bigint;
}

export class RewardsModel {
  acc = 0n;
  /** Weight counted in the hour in progress, and the change pending for the next hour. */
  weight = 0n;
  pending = 0n;
  unallocated = 0n;
  /** The first hour not emitted. */
  hour = 0;
  readonly devices = new Map<string, ModelDevice>();
  readonly positions = new Map<string, ModelPosition>();

  /** Emits the hour in progress (its schedule amount), then applies the weight changes made during it. */
  emit(amount: bigint): void {
    if (this.weight === 0n) {
      this.unallocated += amount;
    } else {
      this.acc += ((amount + this.unallocated) << Q) / this.weight;
      this.unallocated = 0n;
    }
    this.weight += this.pending;
    this.pending = 0n;
    this.hour++;
  }

  /** The accumulator once the hour in progress (paying `nextAmount`) is emitted. */
  accAfter(nextAmount: bigint): bigint {
    return this.weight === 0n ? this.acc : this.acc + ((nextAmount + this.unallocated) << Q) / this.weight;
  }

  /** register_reward: the supplier's stake at registration is recorded. */
  register(id: string, stake: bigint): void {
    this.devices.set(id, { weight: 0n, debt: 0n, accStake: 0n, basis: stake, supplierSnapshot: stake, coOwed: 0n, accrued: 0n, ahead: 0n, aheadHour: 0 });
  }

  device(id: string): ModelDevice {
    const d = this.devices.get(id);
    if (!d) throw new Error(`model: no device ${id}`);
    return d;
  }

  private earn(d: ModelDevice, acc: bigint): bigint {
    if (acc <= d.debt) return 0n;
    const earned = ((acc - d.debt) * d.weight) >> Q;
    d.debt = acc;
    return earned;
  }

  private distribute(d: ModelDevice, earned: bigint): void {
    if (earned === 0n) return;
    const coBasis = d.basis - d.supplierSnapshot;
    if (coBasis === 0n) {
      d.accrued += earned;
      return;
    }
    const perStake = (earned << Q) / d.basis;
    const share = perStake * coBasis;
    const coPart = (share >> Q) + ((share & ((1n << Q) - 1n)) !== 0n ? 1n : 0n);
    d.accStake += perStake;
    d.coOwed += coPart;
    d.accrued += earned - coPart;
  }

  /** Settles the device up to the current accumulator. */
  settle(id: string): void {
    const d = this.device(id);
    if (d.ahead !== 0n && this.hour > d.aheadHour) {
      const ahead = d.ahead;
      d.ahead = 0n;
      this.distribute(d, ahead);
    }
    if (d.coOwed !== 0n && d.basis === d.supplierSnapshot) {
      d.accrued += d.coOwed;
      d.coOwed = 0n;
    }
    this.distribute(d, this.earn(d, this.acc));
  }

  private settleThroughHour(id: string, nextAmount: bigint): void {
    this.settle(id);
    const d = this.device(id);
    const earned = this.earn(d, this.accAfter(nextAmount));
    if (earned !== 0n) {
      d.ahead += earned;
      d.aheadHour = this.hour;
    }
  }

  /** What record_uptime, claim and denominate do with the supplier's live stake: settle, then record it. */
  supplierStake(id: string, live: bigint): void {
    this.settle(id);
    const d = this.device(id);
    d.basis = d.basis - d.supplierSnapshot + live;
    d.supplierSnapshot = live;
  }

  /** Nominated during the hour in progress (paying `nextAmount`) with weight `w`, counting from the next hour. */
  nominate(id: string, w: bigint, nextAmount: bigint): void {
    const d = this.device(id);
    d.debt = this.accAfter(nextAmount);
    d.weight = w;
    this.pending += w;
  }

  /** A nominated device's weight becomes `w` from the next hour (0: denominated). */
  setWeight(id: string, w: bigint, nextAmount: bigint): void {
    const d = this.device(id);
    if (w === d.weight) return;
    this.settleThroughHour(id, nextAmount);
    this.pending += w - d.weight;
    d.weight = w;
  }

  denominate(id: string, nextAmount: bigint): void {
    this.setWeight(id, 0n, nextAmount);
  }

  /** sync_co_stake / claim_co_stake: a co-staker's checkpoint with its live effective co-stake. */
  coCheckpoint(staker: string, device: string, live: bigint): void {
    this.settle(device);
    const d = this.device(device);
    let s = this.positions.get(staker);
    if (!s) {
      s = { device, snapshot: 0n, debt: d.accStake, accrued: 0n };
      this.positions.set(staker, s);
    }
    const delta = d.accStake - s.debt;
    s.debt = d.accStake;
    const full = (delta * s.snapshot) >> Q;
    const credit = (delta * (s.snapshot < live ? s.snapshot : live)) >> Q;
    if (full > d.coOwed) throw new Error("model: co-stakers owed more than was set aside");
    d.coOwed -= full;
    d.accrued += full - credit;
    s.accrued += credit;
    d.basis = d.basis - s.snapshot + live;
    s.snapshot = live;
  }

  /** What claim pays the device's supplier, whose live stake is `live`. */
  claim(id: string, live: bigint): bigint {
    this.supplierStake(id, live);
    const d = this.device(id);
    const a = d.accrued;
    d.accrued = 0n;
    return a;
  }

  /** What claim_co_stake pays. */
  claimCo(staker: string, live: bigint): bigint {
    const s = this.positions.get(staker);
    if (!s) throw new Error(`model: no position ${staker}`);
    this.coCheckpoint(staker, s.device, live);
    const a = s.accrued;
    s.accrued = 0n;
    return a;
  }
}

/** Where every base unit in the reward vault stands, from the accounts on chain. */
export interface RewardsLedger {
  /** Suppliers' settled rewards. */
  supplierAccrued: bigint;
  /** Set aside for co-stakers, not yet credited to a position. */
  coOwed: bigint;
  /** Credited to co-staker positions. */
  coAccrued: bigint;
  /** Earned by nominated devices since their last settlement (weight x dAcc >> 64). */
  unsettled: bigint;
  /** Held back for an hour already emitted. */
  ahead: bigint;
  /** Held back for the hour in progress (not minted yet, so not in the vault). */
  aheadUnminted: bigint;
  /** Hours without weight, carried into the next hour with weight. */
  unallocated: bigint;
  /** Everything named: claimable by a named supplier or co-staker, or unallocated. */
  named: bigint;
}

type Big = bigint | number | { toString(base?: number): string };
/** Decoded integers through the base-16 path (toBigInt: bn.js's base 10 can misprint under V8's optimiser). */
const big = (v: Big): bigint => toBigInt(v);

export function rewardsLedger(
  pool: { accHi: Big; accLo: Big; nextHour: number; unallocated: Big },
  records: { weight: Big; debtHi: Big; debtLo: Big; coOwed: Big; accrued: Big; ahead: Big; aheadHour: number }[],
  positions: { accrued: Big }[],
): RewardsLedger {
  const acc = (big(pool.accHi) << Q) + big(pool.accLo);
  const l: RewardsLedger = {
    supplierAccrued: 0n,
    coOwed: 0n,
    coAccrued: 0n,
    unsettled: 0n,
    ahead: 0n,
    aheadUnminted: 0n,
    unallocated: big(pool.unallocated),
    named: 0n,
  };
  for (const r of records) {
    const debt = (big(r.debtHi) << Q) + big(r.debtLo);
    l.supplierAccrued += big(r.accrued);
    l.coOwed += big(r.coOwed);
    if (acc > debt) l.unsettled += ((acc - debt) * big(r.weight)) >> Q;
    if (pool.nextHour > r.aheadHour) l.ahead += big(r.ahead);
    else l.aheadUnminted += big(r.ahead);
  }
  for (const p of positions) l.coAccrued += big(p.accrued);
  l.named = l.supplierAccrued + l.coOwed + l.coAccrued + l.unsettled + l.ahead + l.unallocated;
  return l;
}
